"""Mutated dossiers and the hostile files of issue 13 through `acv check`: exit 0, 1 or 2 (never
3, never a hang), and what it says is French. A subprocess (as a user runs it) where a hang or
the memory is at stake, and for a few mutated samples; the CLI's `main` in-process otherwise."""

from __future__ import annotations

import copy
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fuzzing import BAD_GEOMETRIES, assert_french, budget, mutated_samples, put, sample
from hypothesis import given, settings
from hypothesis import strategies as st

from instruct.cli.main import main

pytestmark = pytest.mark.fuzz

TIMEOUT = 30  # seconds: a check of the largest sample takes about 2 s on a loaded machine
MEMORY = 3 * 1024**3  # address space of one `acv check`: a bomb must not take the machine with it


def _acv() -> list[str]:
    script = Path(sys.executable).parent / "acv"
    return [str(script)] if script.exists() else [sys.executable, "-m", "instruct.cli.main"]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def acv_check(path: Path, *extra: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    command = [*_acv(), "check", str(path), "--date", "2026-11-26", *extra]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=_limit_memory,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"acv check {path.name} : pas de réponse en {timeout} s")
    where = f"acv check {path.name} {' '.join(extra)}"
    assert done.returncode in (0, 1, 2), f"{where} : code {done.returncode}\n{done.stderr[-1500:]}"
    assert "Traceback" not in done.stderr, f"{where} : {done.stderr[-1500:]}"
    if done.returncode == 2:
        assert done.stderr.strip(), f"{where} : code 2 sans message"
        assert_french(done.stderr, where)
    else:
        assert_french(done.stdout, where)
    return done


def acv_check_here(path: Path, capsys, *extra: str) -> int:
    """The same command through the CLI's `main`, in this process (no start-up cost)."""
    code = main(["check", str(path), "--date", "2026-11-26", *extra])
    out, err = capsys.readouterr()
    where = f"acv check {path.name} {' '.join(extra)}"
    assert code in (0, 1, 2), f"{where} : code {code}\n{err[-1500:]}"
    if code == 2:
        assert err.strip(), f"{where} : code 2 sans message"
        assert_french(err, where)
    else:
        assert_french(out, where)
    return code


def write(folder: Path, data, as_json: bool) -> Path:
    if as_json:  # NaN and Infinity as Python's json writes them (and reads them back)
        path = folder / "dossier.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path = folder / "dossier.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@settings(max_examples=budget(3, 150))
@given(mutated_samples(), st.booleans(), st.sampled_from(["durable", "python"]))
def test_mutated_samples_cli(tmp_path_factory, mutated, as_json, engine):
    name, data, done = mutated
    folder = tmp_path_factory.mktemp("dossier")
    path = write(folder, data, as_json)
    result = acv_check(path, "--moteur", engine)
    assert result.returncode in (0, 1, 2), f"{name} après {done}"


# --- the malformed geometries the issue lists, one by one, through the CLI --------------------------

ISSUE_GEOMETRIES = {
    "polygone vide [[[]]]": BAD_GEOMETRIES[0],
    "coordonnées null": BAD_GEOMETRIES[3],
    "coordonnées en texte": BAD_GEOMETRIES[4],
    "coordonnées 4-D": BAD_GEOMETRIES[6],
    "Point au lieu d'un Polygon": BAD_GEOMETRIES[8],
}


@pytest.mark.parametrize("what", sorted(ISSUE_GEOMETRIES))
def test_issue_geometries_cli(tmp_path, capsys, what):
    data = sample("villebelle/dossier.yaml")
    put(data, ("ort", "secteurs", 0, "geometrie"), copy.deepcopy(ISSUE_GEOMETRIES[what]))
    code = acv_check_here(write(tmp_path, data, as_json=False), capsys)
    assert code == 2, f"{what} : une géométrie inutilisable est une erreur de saisie (code 2)"


# --- hostile files -----------------------------------------------------------------------------------


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """The classic YAML alias bomb: `width ** levels` leaves in a few hundred bytes."""
    lines = ["id: bombe", 'l0: &l0 ["x"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_refused_fast(tmp_path):
    path = tmp_path / "bombe.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    assert path.stat().st_size < 600
    result = acv_check(path, timeout=10)
    assert result.returncode == 2


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json(tmp_path, capsys, depth):
    path = tmp_path / "profond.json"
    path.write_text('{"id": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    assert acv_check_here(path, capsys) == 2


@pytest.mark.parametrize(
    "text", ["id: [\n", "id: a: b\n", "{id: 1}}\n", "\t- x\n", "id: !!python/object:os.system x\n"]
)
def test_yaml_syntax_errors_in_french(tmp_path, capsys, text):
    path = tmp_path / "dossier.yaml"
    path.write_text(text, encoding="utf-8")
    assert acv_check_here(path, capsys) == 2


@pytest.mark.parametrize("text", ['{"id": "a", "id": "b"}', '{"id": 1e999}', '{"id": "x"', "[1, 2]", '{"\\ud800": 1}'])
def test_json_errors_in_french(tmp_path, capsys, text):
    path = tmp_path / "dossier.json"
    path.write_text(text, encoding="utf-8")
    assert acv_check_here(path, capsys) == 2


def test_fifo_named_yaml(tmp_path):
    """A FIFO is not a dossier: refused at once, not read until its writer closes it."""
    path = tmp_path / "tube.yaml"
    os.mkfifo(path)
    assert acv_check(path, timeout=10).returncode == 2


def test_dev_zero_named_yaml(tmp_path):
    path = tmp_path / "zero.yaml"
    path.symlink_to("/dev/zero")
    assert acv_check(path, timeout=10).returncode == 2
