"""Parsing that cannot be bombed, files read safely: alias bombs, deep nesting, FIFOs and devices,
PyYAML's and json's errors — each refused at once, in French, with its line, through `acv check`
(a real process, measured) and through the service's upload (a real server on loopback)."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import pytest
import yaml
from conftest import SAMPLES, acv_command
from test_service import client, service  # noqa: F401  (the fixture: uvicorn on loopback)

from instruct import yamlcompose
from instruct.documents.load import load
from instruct.errors import InputError
from instruct.yamlcompose import french
from instruct.yamlio import parse

CHECK_TIMEOUT = 60  # before: the 370-byte bomb held `acv check` for minutes, a FIFO forever


def laughs(levels: int, width: int) -> str:
    """The classic "billion laughs": each anchor lists `width` aliases of the previous one."""
    names = "abcdefghijklmnopqrstuvwxyz" if levels <= 26 else [f"a{i}" for i in range(levels)]
    lol = ",".join(['"lol"'] * width)
    lines = [f"{names[0]}: &{names[0]} [{lol}]"]
    lines += [f"{names[i]}: &{names[i]} [{','.join([f'*{names[i - 1]}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


BOMBS = {
    "classique": laughs(9, 9),  # 9^9 ≈ 387 million strings
    "profond": laughs(40, 10),  # 10^40
    "large": "a: &a [" + ", ".join(["x"] * 5000) + "]\nb: [" + ", ".join(["*a"] * 200_000) + "]\n",  # 10^9, 1 Mo
    "fusion": "b0: &b0 {x: 1, y: 2}\n"  # merge keys: PyYAML's flatten_mapping copies 10^30 pairs
    + "".join(f"b{i}: &b{i} {{<<: [{', '.join([f'*b{i - 1}'] * 10)}]}}\n" for i in range(1, 31)),
}


def run_measured(*args: str) -> tuple[subprocess.CompletedProcess, float, int]:
    """`acv` as a process of its own: (result, CPU seconds, peak memory in KiB), from wait4."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(acv_command() + list(args), stdout=out, stderr=err, text=True)
        deadline = time.monotonic() + CHECK_TIMEOUT
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                pytest.fail(f"acv {' '.join(args)} : toujours en cours après {CHECK_TIMEOUT} s")
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(process.args, process.returncode, out.read(), err.read())
    return result, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """The cost of starting `acv check` and refusing a one-line file: the bombs are measured beyond it."""
    path = tmp_path_factory.mktemp("base") / "dossier.yaml"
    path.write_text("id: [x\n", encoding="utf-8")
    result, cpu, peak = run_measured("check", str(path))
    assert result.returncode == 2, result.stderr
    return cpu, peak


def assert_french(text: str) -> None:
    english = re.compile(r"\b(not|allowed|found|expected|could|while|scanning|parsing|Expecting|error)\b")
    assert not english.search(text), text
    assert "Traceback" not in text and "Erreur interne" not in text, text


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_an_alias_bomb_is_refused_by_acv_check_at_once_with_little_memory(name, tmp_path, baseline):
    path = tmp_path / "dossier.yaml"
    path.write_text(BOMBS[name], encoding="utf-8")
    result, cpu, peak = run_measured("check", str(path))
    assert result.returncode == 2, result.stderr
    assert "YAML invalide" in result.stderr and "ligne" in result.stderr, result.stderr
    assert "alias" in result.stderr or "imbrication" in result.stderr, result.stderr
    assert_french(result.stderr)
    assert cpu - baseline[0] < 1.0, (
        f"{cpu:.2f} s de calcul (départ et refus d'un fichier d'une ligne : {baseline[0]:.2f} s)"
    )
    assert peak - baseline[1] < 50 * 1024, (
        f"{peak // 1024} Mo au plus (pour un fichier d'une ligne : {baseline[1] // 1024} Mo)"
    )


def test_the_classic_bomb_is_a_few_hundred_bytes():
    assert len(BOMBS["classique"]) < 400


def descendants() -> list[int]:
    """Our child processes and theirs (the service's evaluation workers)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [], [os.getpid()]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def peak_memory_kib(pids: list[int]) -> int:
    """The largest peak resident size (VmHWM) among these processes and ours."""
    peak = 0
    for pid in [os.getpid(), *pids]:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as status:
                peak = max([peak] + [int(line.split()[1]) for line in status if line.startswith("VmHWM:")])
        except OSError:
            continue
    return peak


@pytest.mark.parametrize("name", ["classique", "large"])
def test_an_alias_bomb_uploaded_is_refused_at_once_and_nothing_is_stored(service, name):  # noqa: F811
    _, base = service
    town = client(base, "villebelle")
    listed = town.get("/api/dossiers").json()
    warm = town.post("/api/dossiers", files={"dossier": ("dossier.yaml", b"id: [x\n")})  # the workers started
    assert warm.status_code == 422, warm.text
    before = peak_memory_kib(descendants())
    start = time.monotonic()
    r = town.post("/api/dossiers", files={"dossier": ("dossier.yaml", BOMBS[name].encode())})
    elapsed = time.monotonic() - start
    assert r.status_code == 422, r.text
    problem = r.json()["problemes"][0]
    assert "alias" in problem["message"] and problem["ligne"], r.text
    assert_french(r.text)
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert peak_memory_kib(descendants()) - before < 50 * 1024
    assert town.get("/api/dossiers").json() == listed


def nested(kind: str, levels: int) -> str:
    if kind == "json":
        return '{"id": "x", "a": ' + "[" * levels + "]" * levels + "}"
    if kind == "yaml-flow":
        return "id: x\na: " + "[" * levels + "]" * levels + "\n"
    return "id: x\n" + "".join("  " * i + "a:\n" for i in range(levels)) + "  " * levels + "b: 1\n"


@pytest.mark.parametrize("levels", [1000, 100_000])
@pytest.mark.parametrize("kind", ["json", "yaml-flow", "yaml-bloc"])
def test_deep_nesting_is_refused_in_french_with_its_line(kind, levels, tmp_path):
    if kind == "yaml-bloc" and levels > 1000:
        levels = 2000  # 100 000 indented levels would be a 10 GB file (4 MB here)
    path = tmp_path / ("dossier.json" if kind == "json" else "dossier.yaml")
    path.write_text(nested(kind, levels), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert "imbrication trop profonde" in problem.message and problem.line, caught.value.render()
    assert problem.line == (1 if kind == "json" else 2 if kind == "yaml-flow" else 42)
    assert_french(caught.value.render())


def test_deep_nesting_through_acv_check(tmp_path):
    path = tmp_path / "dossier.json"
    path.write_text(nested("json", 100_000), encoding="utf-8")
    result = subprocess.run(acv_command() + ["check", str(path)], capture_output=True, text=True, timeout=CHECK_TIMEOUT)
    assert result.returncode == 2 and "imbrication trop profonde" in result.stderr, result.stderr


@pytest.mark.parametrize("levels", [1000, 100_000])
def test_deep_json_bodies_and_uploads_are_refused_by_the_service_in_french(service, levels):  # noqa: F811
    _, base = service
    body = '{"identifiant": ' + "[" * levels + "]" * levels + ', "mot_de_passe": "x"}'
    r = client(base).post("/api/session", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and "imbrication trop profonde" in r.text, r.text
    town = client(base, "villebelle")
    r = town.post("/api/dossiers", files={"dossier": ("dossier.json", nested("json", levels).encode())})
    assert r.status_code == 422 and "imbrication trop profonde" in r.text, r.text
    r = client(base).post("/api/session", content='{"identifiant": "x",}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["problemes"][0]["ligne"] == 1, r.text
    assert_french(r.text)


def test_a_fifo_named_dossier_yaml_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "dossier.yaml"
    os.mkfifo(fifo)
    result = subprocess.run(acv_command() + ["check", str(fifo)], capture_output=True, text=True, timeout=CHECK_TIMEOUT)
    assert result.returncode == 2 and "tube (FIFO)" in result.stderr, result.stderr
    result = subprocess.run(
        acv_command() + ["check", str(tmp_path)], capture_output=True, text=True, timeout=CHECK_TIMEOUT
    )  # the folder holding it: dossier.yaml is there, and refused, not ignored
    assert result.returncode == 2 and "tube (FIFO)" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("target", "message"),
    [("/dev/zero", "périphérique"), ("/dev/null", "périphérique"), ("dir", "répertoire"), ("fifo", "tube (FIFO)")],
)
def test_only_regular_files_are_read_a_symbolic_link_is_followed(tmp_path, target, message):
    if target == "dir":
        (tmp_path / "dir").mkdir()
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
    folder = tmp_path / "dossier"
    folder.mkdir()
    (folder / "dossier.yaml").symlink_to(tmp_path / target if not target.startswith("/") else target)
    (tmp_path / "lien.yaml").symlink_to(folder / "dossier.yaml")
    for path in (folder, tmp_path / "lien.yaml") if target != "dir" else (folder,):  # a link to a folder is one
        with pytest.raises(InputError) as caught:
            load(path)
        assert message in caught.value.render(), caught.value.render()


def test_a_regular_file_is_still_read_through_a_symbolic_link(tmp_path):
    (tmp_path / "lien.yaml").symlink_to(SAMPLES / "ort-sans-ville-principale.yaml")
    assert load(tmp_path / "lien.yaml").dossier.id


@pytest.mark.parametrize("kind", ["fifo", "broken link", "device"])
def test_a_piece_that_is_not_a_regular_file_is_refused_not_skipped(tmp_path, kind):
    """A pipe, a device or a broken link among the pieces: a French error naming it, without blocking
    (it used to be left out without a word)."""
    folder = tmp_path / "dossier"
    shutil.copytree(SAMPLES / "villebelle", folder)
    odd = folder / "pieces" / "annexe.pdf"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "broken link":
        odd.symlink_to(tmp_path / "absent.pdf")
    else:
        odd.symlink_to("/dev/zero")
    result = subprocess.run(
        acv_command() + ["check", str(folder), "--date", "2026-11-26"],
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT,
    )
    assert result.returncode == 2, result.stderr
    assert "annexe.pdf" in result.stderr and "pas un fichier ordinaire" in result.stderr, result.stderr


PARSER_ERRORS = [  # text -> what the French message says, its line
    ("id: x\ntitre: a: b\n", "« : » inattendu", 2),
    ("id: x\nville:\n  nom: a\n bad: c\n", "clé attendue", 4),
    ("id: x\ntitre: @x\n", "ne peut pas commencer une valeur", 2),
    ("id: x\ntitre: `x\n", "ne peut pas commencer une valeur", 2),
    ("id: x\na:\n\t- b\n", "ne peut pas commencer une valeur", 3),
    ("id: x\ntitre: a\x01\n", "caractère de contrôle interdit", 2),
    ("id: éééé\nville: Nîmes\ntitre: a\x01\n", "caractère de contrôle interdit (#x0001)", 3),
    ("id: x\nliste:\n  - a\n  b: c\n", "élément de liste « - » attendu", 4),
    ("id: x\ntitre: |\n  a\n b\n", "clé attendue", 4),
    ("id: x\na: *nulle\n", "alias (*) sans ancre (&)", 2),
    ("id: x\na: &x 1\nb: &x 2\n", "ancre &x en double", 3),
    ("id: x\na: [1, 2\n", "« , » ou « ] » attendu", 3),
    ("id: x\na: {b: 1\n", "« , » ou « } » attendu", 3),
    ("id: x\na: 'texte\n", "fin du fichier inattendue", 3),
    ('id: x\na: "\\q"\n', "séquence « \\ » inconnue", 2),
    ("id: x\n? [a]\n: b\n", "une clé doit être un texte ou un nombre", 2),
    ("id: x\na: !python/object 1\n", "étiquette « ! » non autorisée", 2),
    ("id: x\n---\nid: y\n", "un seul document attendu", 2),
    ("id: x\nid: y\n", "clé en double « id »", 2),
    ("id: x\na: b\n- c\n", "clé attendue", 3),
    ("id: x\na:\n  b: 1\n  &x\n", "« : » attendu après la clé", 5),
    ("&r id: x\na: *r\nb: *z\n", "alias *z sans ancre &z", 3),  # with an anchor: our composer
    ("&r [1, *r]\n", "alias *r à l'intérieur de sa propre ancre", 1),
]


@pytest.mark.parametrize(("text", "expected", "line"), PARSER_ERRORS)
def test_parser_errors_are_french_with_their_line(tmp_path, text, expected, line):
    for path in (tmp_path / "dossier.yaml", tmp_path / "seul.yaml"):  # in a folder, and as a file
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            load(tmp_path if path.name == "dossier.yaml" else path)
        (problem,) = caught.value.problems
        assert expected in problem.message and problem.line == line, caught.value.render()
        assert problem.message.startswith("YAML invalide")
        assert_french(caught.value.render())
        path.unlink()


def test_an_error_not_translated_is_said_in_general_terms():
    mark = yaml.Mark("x", 0, 6, 2, None, None)
    error = yaml.MarkedYAMLError("while doing something new", mark, "found a problem never seen", mark)
    assert french(error, "") == ("syntaxe YAML invalide à cet endroit (colonne 3)", 7)


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        ('{"id": "x",\n "a": [1, 2,, 3]}', "valeur attendue (colonne 13)", 2),
        ('{"id": "x" "a": 1}', "« , » attendu", 1),
        ('{"id": "x", a: 1}', "nom de clé entre guillemets doubles attendu", 1),
        ('{"id": "x"}\n{}', "contenu en trop", 2),
        ('{"id": "\\q"}', "séquence « \\ » invalide", 1),
        ('{"id": ' + "1" * 5000 + "}", "une valeur ne peut pas être lue", None),
    ],
)
def test_json_errors_are_french_with_their_line(tmp_path, text, expected, line):
    path = tmp_path / "dossier.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert expected in problem.message and problem.line == line, caught.value.render()
    assert_french(caught.value.render())


def test_the_parser_errors_through_acv_check(tmp_path):
    path = tmp_path / "dossier.yaml"
    path.write_text("id: x\ntitre: a: b\n", encoding="utf-8")
    result = subprocess.run(acv_command() + ["check", str(path)], capture_output=True, text=True, timeout=CHECK_TIMEOUT)
    assert result.returncode == 2, result.stderr
    assert "(ligne 2) : YAML invalide : « : » inattendu" in result.stderr and "colonne 9" in result.stderr
    assert_french(result.stderr)


def test_both_composers_give_the_samples_as_before():
    """libyaml's composer (a short text without `&`) and ours (any other) build the same data, the
    data PyYAML's safe loader builds."""
    for path in sorted(SAMPLES.glob("*/dossier.yaml")):
        text = path.read_text(encoding="utf-8")
        plain = parse(text, str(path))
        as_before = json.loads(json.dumps(yaml.safe_load(text), default=str))  # dates stay text here
        assert parse(text + "\n# &\n", str(path)) == plain == as_before, path


def test_without_libyaml_the_budget_holds(monkeypatch):
    monkeypatch.setattr(yamlcompose, "CParser", None)
    loader = yamlcompose.loader_class(yaml.constructor.SafeConstructor)
    with pytest.raises(yamlcompose.LimitError) as caught:
        loader(BOMBS["classique"]).get_single_data()
    assert "alias" in caught.value.problem and caught.value.problem_mark.line == 5
    text = (SAMPLES / "villebelle" / "dossier.yaml").read_text(encoding="utf-8")
    assert loader(text).get_single_data() == yaml.safe_load(text)
