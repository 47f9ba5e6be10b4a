"""A warm `acv check` pays for less start-up (issue 19): the dossier's validator is kept on disk and read back
instead of built (model.validation), the sub-models' validators are deferred (model.fields.Modele), and the
pieces' cache key finds the readers' versions without importlib.metadata (documents.piece_cache). Each keeps
what is checked and said: same dossier, same errors, a key that changes when a reader is upgraded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata

import pydantic
import pytest
from conftest import ROOT, SAMPLES
from pydantic import ValidationError

from instruct import diskcache
from instruct.documents import piece_cache
from instruct.model import validation
from instruct.model.dossier import Dossier
from instruct.yamlio import parse, read_text

BAD = {
    "id": "x y",
    "collectivites": {"ville_centre": {"nom": "Ville\tcentre", "insee": "123"}},
    "perimetres": {"intervention": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}},
    "inconnu": 1,
}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder, and a validator looked for again."""
    monkeypatch.setenv("ACV_CACHE", str(tmp_path / "cache"))
    validation.dossier_validator.cache_clear()
    yield tmp_path / "cache" / validation.KIND
    validation.dossier_validator.cache_clear()


def _sample(name: str) -> dict:
    path = SAMPLES / name if name.endswith(".yaml") else SAMPLES / name / "dossier.yaml"
    return parse(read_text(path), str(path))


def _errors(call, data) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        call(data)
    return json.loads(caught.value.json(include_url=False))  # each ctx error as its text


@pytest.mark.parametrize(
    "name", ["villebelle", "belcastel", "montclair", "saint-aubin", "ort-sans-ville-principale.yaml"]
)
def test_the_kept_validator_gives_model_validates_dossier(cache, name):
    data = _sample(name)
    validation.validate_dossier(data)  # builds and keeps it
    validation.dossier_validator.cache_clear()
    kept = validation.validate_dossier(data)  # read back from the disk
    assert kept == Dossier.model_validate(data)
    assert kept.model_dump(mode="json") == Dossier.model_validate(data).model_dump(mode="json")
    assert [g.shape.wkt for g in _geometries(kept)] == [g.shape.wkt for g in _geometries(Dossier.model_validate(data))]


def _geometries(dossier: Dossier) -> list:
    perimetres = dossier.perimetres
    return [p for p in (perimetres.etude, perimetres.intervention) if p is not None] if perimetres else []


def test_the_kept_validator_refuses_with_the_same_french_errors(cache):
    validation.validate_dossier(_sample("villebelle"))
    validation.dossier_validator.cache_clear()
    errors = _errors(validation.validate_dossier, BAD)
    assert errors == _errors(Dossier.model_validate, BAD)
    messages = " ".join(e["msg"] for e in errors)
    assert "tabulation U+0009 interdit" in messages and "le contour se recoupe lui-même" in messages


def test_a_second_process_reads_the_validator_instead_of_building_it(cache, monkeypatch):
    validation.dossier_validator()
    assert len(list(cache.glob("*.pickle"))) == 1
    validation.dossier_validator.cache_clear()

    def refused(*args, **kwargs):
        raise AssertionError("rebuilt although kept on disk")

    monkeypatch.setattr(Dossier, "model_rebuild", refused)
    assert validation.dossier_validator().title == "Dossier"


def test_a_damaged_or_foreign_file_is_not_used(cache, monkeypatch):
    validation.dossier_validator()
    (kept,) = cache.glob("*.pickle")
    good = kept.read_bytes()
    rebuilt = []
    rebuild = Dossier.model_rebuild
    monkeypatch.setattr(Dossier, "model_rebuild", lambda *a, **k: rebuilt.append(1) or rebuild(*a, **k))

    kept.write_bytes(b"not a pickle")  # damaged: built again, and kept again
    validation.dossier_validator.cache_clear()
    assert validation.validate_dossier(_sample("villebelle")).id and rebuilt == [1]
    assert kept.read_bytes() == good

    os.chmod(kept, 0o666)  # a sound file, but writable by others: never unpickled
    validation.dossier_validator.cache_clear()
    assert validation.validate_dossier(_sample("villebelle")).id and rebuilt == [1, 1]


def test_without_a_cache_the_validator_is_built(monkeypatch):
    monkeypatch.setenv("ACV_CACHE", "0")
    validation.dossier_validator.cache_clear()
    try:
        assert validation.validate_dossier(_sample("villebelle")) == Dossier.model_validate(_sample("villebelle"))
    finally:
        validation.dossier_validator.cache_clear()


def test_the_key_changes_with_pydantic_and_the_code(monkeypatch):
    key = validation._key()
    monkeypatch.setattr(pydantic, "VERSION", "0.0.0")
    assert validation._key() != key
    monkeypatch.undo()
    monkeypatch.setattr(diskcache, "code_digest", lambda: "autre code")
    assert validation._key() != key


def test_readers_versions_are_importlib_metadatas():
    piece_cache._readers.cache_clear()
    expected = []
    for name in piece_cache.READER_DISTRIBUTIONS:
        try:
            expected.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            expected.append(f"{name}=absent")
    assert piece_cache._readers() == ";".join(expected)


def test_an_upgraded_reader_changes_the_key(tmp_path, monkeypatch):
    """A newer dist-info found first in sys.path (as importlib.metadata would find it) is the version used;
    a reader found by no dist-info folder is asked of importlib.metadata."""
    (tmp_path / "pdfminer_six-99.1.dist-info").mkdir()
    (tmp_path / "Python_Docx-3.0.dist-info").mkdir()
    (tmp_path / "pypdf.dist-info").mkdir()  # no version in its name: the installed one is found after it
    installed = metadata.version("pypdf")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "absent"), str(tmp_path), *sys.path])
    piece_cache._readers.cache_clear()
    try:
        readers = dict(item.split("=") for item in piece_cache._readers().split(";"))
    finally:
        piece_cache._readers.cache_clear()
    assert readers["pdfminer.six"] == "99.1" and readers["python-docx"] == "3.0"
    assert readers["pypdf"] == installed


WARM_CHECK = """
import json, sys
from instruct.documents.load import load
from instruct.model.dossier import Dossier
from instruct.model.fields import Geometrie
loaded = load(sys.argv[1])
print(json.dumps({
    "metadata": "importlib.metadata" in sys.modules,
    "dossier_built": Dossier.__pydantic_complete__,
    "sub_model_built": Geometrie.__pydantic_complete__,
    "numpy": "numpy" in sys.modules,
}))
"""


def test_a_warm_check_builds_no_model_and_scans_no_distribution(tmp_path):
    """After a first check, loading villebelle builds no pydantic validator (the dossier's is read back, the
    sub-models' deferred) and imports no importlib.metadata (neither pydantic's plugin scan nor the readers'
    versions)."""
    env = {**os.environ, "ACV_CACHE": str(tmp_path / "cache")}
    command = [sys.executable, "-c", WARM_CHECK, str(SAMPLES / "villebelle")]
    first = json.loads(subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout)
    assert first["dossier_built"]  # nothing kept yet: built, then kept
    warm = json.loads(subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout)
    assert warm == {"metadata": False, "dossier_built": False, "sub_model_built": False, "numpy": True}


def _check_args(tmp_path, path=None) -> list[str]:
    villebelle = str(path or SAMPLES / "villebelle")
    return [
        "check",
        villebelle,
        "--date",
        "2026-11-26",
        "--referentiel",
        str(SAMPLES / "referentiel"),
        "-o",
        str(tmp_path / "r.txt"),
    ]


def test_the_start_up_runs_without_the_collector_and_the_checks_with_it(tmp_path, monkeypatch):
    import gc

    from instruct.cli import check as cli_check
    from instruct.cli.main import main
    from instruct.engine import check as engine_check
    from instruct.rules import catalogue as rules_catalogue

    monkeypatch.setattr(cli_check, "_FROZEN", [True])  # this test process is not frozen
    seen: list[tuple[str, bool]] = []
    for module, name in ((rules_catalogue, "load_catalogue"), (engine_check, "check_path")):
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a, _real=real, _name=name, **k: seen.append((_name, gc.isenabled())) or _real(*a, **k)
        )
    assert gc.isenabled()
    assert main(_check_args(tmp_path)) in (0, 1)
    assert seen == [("load_catalogue", False), ("check_path", True)] and gc.isenabled()
    assert main(_check_args(tmp_path, tmp_path / "absent")) == 2  # an input error: the collector is on again
    assert gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        main(_check_args(tmp_path))
        assert not gc.isenabled()
    finally:
        gc.enable()


FROZEN_CHECK = """
import gc, sys
from instruct.cli.main import main
frozen = gc.get_freeze_count()
main(sys.argv[1:])
print(frozen, gc.get_freeze_count(), gc.isenabled())
"""


def test_a_check_process_freezes_what_its_start_up_loaded(tmp_path):
    env = {**os.environ, "ACV_CACHE": str(tmp_path / "cache")}
    command = [sys.executable, "-c", FROZEN_CHECK, *_check_args(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    before, after, enabled = done.stdout.split()
    assert before == "0" and int(after) > 10_000  # the modules, classes and catalogue
    assert enabled == "True"  # the collector on again after the start-up
    assert (tmp_path / "r.txt").stat().st_size > 0


FIRST_GEOMETRY = """
import os, sys
from instruct.cli.main import settle_process
from instruct.model.geometry import to_shape
settle_process()  # what `acv` does first
assert "numpy" not in sys.modules
to_shape({"type": "Polygon", "coordinates": [[[2.0, 47.0], [2.01, 47.0], [2.01, 47.01], [2.0, 47.0]]]})
print(os.environ.get("OPENBLAS_NUM_THREADS"), len(os.listdir("/proc/self/task")))
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads counted in /proc (Linux)")
@pytest.mark.parametrize(("chosen", "expected"), [(None, "1 1"), ("2", "2 2")])
def test_the_first_geometry_starts_no_blas_thread_unless_the_user_chose(chosen, expected):
    """numpy, imported by the first geometry, starts OpenBLAS's threads (their spinning: ≈ 70 ms of CPU); no
    geometry uses them: an `acv` process has one (its only thread), unless OPENBLAS_NUM_THREADS says otherwise."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if chosen:
        env["OPENBLAS_NUM_THREADS"] = chosen
    done = subprocess.run([sys.executable, "-c", FIRST_GEOMETRY], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.stdout.split() == expected.split(), done.stderr
