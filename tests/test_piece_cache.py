"""The pieces already read are kept on disk (documents.piece_cache over instruct.diskcache): a second
check of the same folder reads no piece and gives the same report; what could be foreign, a reading
stopped short, another name or another town are read again; the folder keeps to its budget."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import EVALUATION_DATE, SAMPLES

from instruct import diskcache
from instruct.documents import piece_cache
from instruct.documents.load import load
from instruct.engine.check import check_dossier
from instruct.reports import json as report_json


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("ACV_CACHE", str(folder))
    return folder / piece_cache.KIND


@pytest.fixture
def reads(monkeypatch):
    """The pieces actually read (not taken from the cache), by file name."""
    done: list[str] = []
    real = piece_cache.read_piece_isolated

    def counted(path):
        done.append(path.name)
        return real(path)

    monkeypatch.setattr(piece_cache, "read_piece_isolated", counted)
    return done


def _report(folder, catalogue) -> str:
    loaded = load(folder)
    return report_json.render(check_dossier(loaded.dossier, catalogue, EVALUATION_DATE, documents=loaded.documents))


def test_a_second_check_reads_no_piece_and_says_the_same(tmp_path, cache, reads, catalogue):
    folder = shutil.copytree(SAMPLES / "villebelle", tmp_path / "villebelle")
    first = _report(folder, catalogue)
    assert sorted(reads) == ["avenant-1.pdf", "convention-cadre.docx", "note-projet-urbain.pdf"]
    assert len(list(cache.glob("*.pickle"))) == 3
    reads.clear()
    assert _report(folder, catalogue) == first
    assert reads == []


def test_what_changed_is_read_again(tmp_path, cache, reads, catalogue):
    folder = shutil.copytree(SAMPLES / "villebelle", tmp_path / "villebelle")
    first = _report(folder, catalogue)
    reads.clear()
    pieces = folder / "pieces"
    (pieces / "avenant-1.pdf").rename(pieces / "avenant-n1.pdf")  # same bytes, another name: quoted by its name
    with open(pieces / "note-projet-urbain.pdf", "ab") as f:
        f.write(b"\n% une ligne de plus\n")  # other bytes
    (folder / "dossier.yaml").write_text(
        (folder / "dossier.yaml").read_text(encoding="utf-8").replace("avenant-1.pdf", "avenant-n1.pdf"),
        encoding="utf-8",
    )
    second = _report(folder, catalogue)
    assert sorted(reads) == ["avenant-n1.pdf", "note-projet-urbain.pdf"]
    assert "avenant-n1.pdf" in second and "avenant-1.pdf" in first


def test_a_cache_file_others_could_write_is_never_read(tmp_path, cache, reads, catalogue):
    folder = shutil.copytree(SAMPLES / "villebelle", tmp_path / "villebelle")
    first = _report(folder, catalogue)
    for kept in cache.glob("*.pickle"):
        kept.chmod(0o666)
    reads.clear()
    assert _report(folder, catalogue) == first
    assert len(reads) == 3
    for kept in cache.glob("*.pickle"):
        kept.write_bytes(b"pas un pickle")
        kept.chmod(0o600)
    reads.clear()
    assert _report(folder, catalogue) == first
    assert len(reads) == 3


def test_a_reading_with_a_problem_is_not_kept(tmp_path, cache, reads):
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(b"%PDF-1.4\n% pas de page\n%%EOF\n")
    piece, _ = piece_cache.read_piece_cached(scanned, None, "Villebelle")
    assert piece.problems and not piece.readable
    piece_cache.read_piece_cached(scanned, None, "Villebelle")
    assert reads == ["scan.pdf", "scan.pdf"]
    assert not cache.exists() or not list(cache.glob("*.pickle"))


def test_turned_off_with_acv_cache_0(tmp_path, monkeypatch, reads):
    monkeypatch.setenv("ACV_CACHE", "0")
    path = SAMPLES / "villebelle" / "pieces" / "convention-cadre.docx"
    piece_cache.read_piece_cached(path, "convention_cadre", "Villebelle")
    piece_cache.read_piece_cached(path, "convention_cadre", "Villebelle")
    assert reads == ["convention-cadre.docx", "convention-cadre.docx"]


def test_the_folder_keeps_to_its_budget_least_recently_used_first(tmp_path, monkeypatch):
    monkeypatch.setenv("ACV_CACHE", str(tmp_path))
    for n in range(10):
        diskcache.write("essai", f"k{n}", b"x" * 1000)
        os.utime(tmp_path / "essai" / f"k{n}.pickle", ns=(n * 10**9, n * 10**9))
    assert diskcache.read("essai", "k0") == b"x" * 1000  # used now: the most recent
    diskcache.write("essai", "k10", b"x" * 1000, budget=6000)
    left = sorted(p.stem for p in (tmp_path / "essai").glob("*.pickle"))
    assert "k0" in left and "k10" in left and "k1" not in left
    assert sum(p.stat().st_size for p in (tmp_path / "essai").glob("*.pickle")) <= 6000 * 0.8 + 1100


def test_the_service_s_workers_keep_no_reading_of_a_town_s_pieces(cache, catalogue):
    from instruct.service.evaluator import EvaluationSettings, Evaluators

    sample = SAMPLES / "villebelle"
    files = {"dossier.yaml": (sample / "dossier.yaml").read_bytes()}
    files |= {f"pieces/{p.name}": p.read_bytes() for p in (sample / "pieces").iterdir()}
    evaluators = Evaluators(catalogue, None, EvaluationSettings(engine="python", workers=1))
    try:
        report = evaluators.evaluate(files, EVALUATION_DATE)
    finally:
        evaluators.stop()
    assert any(f.rule == "X-05" for f in report.findings)  # the pieces were read…
    assert not cache.exists() or not list(cache.glob("*.pickle"))  # …and nothing of them kept outside the base
