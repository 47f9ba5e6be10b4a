"""yamlio.parse's fast path (libyaml's composer and `_build`, our constructor) gives exactly what the
path before gives (`_parse_slow`: our budgeted composer or libyaml's, PyYAML's constructor): the same
objects of the same types (bool or int, int or float, text), or the same French errors on the same
lines — on every YAML file of the repository, a table of tricky scalars, duplicate and merge keys,
anchors, budgets and bombs, and random documents and texts."""

import datetime as dt
import os
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st
from test_parsing_limits import BOMBS, PARSER_ERRORS

from instruct import yamlio
from instruct.errors import InputError


def yaml_files() -> list[Path]:
    """Every .yaml and .yml file of the repository (samples, rules, tests, instruct, benchmarks…)."""
    found = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name not in SKIPPED]
        found += [Path(folder) / name for name in names if name.endswith((".yaml", ".yml"))]
    return sorted(found)


SKIPPED = {"build", "dist", "node_modules", "__pycache__"}
FILES = yaml_files()


def typed(value):
    """The value with every type spelt out (True is not 1, 1 is not 1.0, -0.0 is not 0.0, nan is nan),
    mappings as their ordered pairs."""
    if type(value) is dict:
        return ("dict", [(typed(key), typed(item)) for key, item in value.items()])
    if type(value) is list:
        return ("list", [typed(item) for item in value])
    if type(value) in (set, frozenset):
        return (type(value).__name__, sorted(repr(item) for item in value))
    return (type(value).__name__, repr(value))


def sharing(value) -> list[int]:
    """Which lists and mappings are the same object (PyYAML builds an alias of one once): for each met
    depth first, the rank of its first meeting."""
    ranks: dict[int, int] = {}
    found, todo = [], [value]
    while todo:
        item = todo.pop()
        if type(item) in (dict, list):
            first = id(item) not in ranks
            found.append(ranks.setdefault(id(item), len(ranks)))
            if first:
                todo += [*item.keys(), *item.values()] if type(item) is dict else item
    return found


def outcome(parse, text: str, source: str = "x.yaml"):
    """The objects, typed, and which are shared; or the French problems with their lines."""
    try:
        data = parse(text, source)
        return "objets", (typed(data), sharing(data))
    except InputError as exc:
        return "erreur", [(problem.path, problem.message, problem.line) for problem in exc.problems]


def assert_same(text: str, source: str = "x.yaml"):
    fast = outcome(yamlio.parse, text, source)
    assert fast == outcome(yamlio._parse_slow, text, source), text
    return fast


def test_the_repository_has_yaml_files_and_those_without_anchors_take_the_fast_path():
    """The rule files' `&source` anchors stand for mappings (shared, or merged with `<<`): PyYAML's
    constructor builds them, as before; every file without `&` is read by libyaml's composer and _build."""
    names = {str(path.relative_to(ROOT)) for path in FILES}
    assert {"samples/villebelle/dossier.yaml", "samples/belcastel/dossier.yaml"} <= names
    assert sum(name.startswith("rules/") for name in names) >= 5 and len(names) >= 20, names
    texts = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in FILES}
    fast = {name for name, text in texts.items() if yamlio._fast(text) is not yamlio._DECLINED}
    assert {name for name, text in texts.items() if "&" not in text} <= fast
    assert {"samples/villebelle/dossier.yaml", "samples/montclair/dossier.yaml", "rules/parametres.yaml"} <= fast


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_repository_yaml_file_is_read_as_before(path):
    kind, _ = assert_same(path.read_text(encoding="utf-8-sig"), str(path))
    assert kind == "objets"


def test_dates_written_twice_by_safe_dump_take_the_fast_path():
    """yaml.safe_dump anchors a date object met twice (`&id001 2018-09-16`, as benchmarks/engine.py's
    generated dossiers): an alias of a scalar, read by libyaml's composer and our constructor."""
    data = yamlio.parse((SAMPLES / "villebelle" / "dossier.yaml").read_text(encoding="utf-8"), "x.yaml")
    day = dt.date(2018, 9, 16)
    data["dates"] = [day, {"signature": day, "effet": day}]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert "&id001 2018-09-16" in text and "*id001" in text
    assert yamlio._fast(text) is not yamlio._DECLINED
    kind, _ = assert_same(text)
    assert kind == "objets"
    assert yamlio.parse(text, "x.yaml")["dates"] == ["2018-09-16", {"signature": "2018-09-16", "effet": "2018-09-16"}]


SCALARS = [
    *("yes", "no", "Yes", "NO", "on", "off", "On", "OFF", "y", "n", "Y", "N", "true", "False", "TRUE"),
    *("~", "null", "Null", "NULL", "", "010", "0o10", "0x1F", "0b101", "1_000", "1_000.5", "1:30", "1:30:00"),
    *("-1:30", "190:20:30.15", "02472256", "09262", "08", "00", "0", "-0", "+1", "0x_0A", "0b1_0", "1e3"),
    *("1E3", "1.0e3", "1.0e+3", "12e03", ".5", "-.5", "+.inf", "-.Inf", ".nan", ".NaN", "0.", "1.", "1,000"),
    *("2019-02-30", "2024-01-15", "2024-1-5", "2024-01-15 10:00:00", "2001-12-14t21:59:43.10-05:00"),
    *("12:30", "3.14.15", "=", "<<", "3e", "étage", "1__0", "99999999999999999999", "9" * 5000),
    *("'yes'", '"010"', "'1_000'", "'<<'", '"quoted"', "'2019-02-30'", "x & y", "R&D", "a\x01b"),
    *("!!str 12", "!!int '12'", "!!int x", "!!float x", "!!bool peut-être", "!!null x", "!!binary aGVsbG8="),
    *("!!timestamp 2024-01-01", "!!python/object:os.system 1", "!local x", "!!set {a}", "!!omap [a: 1]"),
    *("&a 1", "&a 010", "&a 2019-02-30", "*a", "*nulle"),
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_a_scalar_is_read_as_before_as_a_value_a_list_item_and_a_key(scalar):
    for text in (
        f"v: {scalar}\n",
        f"v: [{scalar}]\nw:\n  - {scalar}\n",
        f"{scalar}: v\n",
        f"{{{scalar}: v, w: 1}}\n",
        f"a: &a 1\nv: {scalar}\n",
    ):
        assert_same(text)


def test_the_scalars_are_pyyaml_s_yaml_1_1_readings_and_dates_stay_text():
    text = "v: [yes, no, on, off, 010, 0o10, 0x1F, 1_000, 1:30, .5, .inf, ~, null, 2019-02-30, 09262, '010']\n"
    assert yamlio._fast(text) is not yamlio._DECLINED
    assert typed(yamlio.parse(text, "x.yaml")) == typed(
        {
            "v": [True, False, True, False, 8, "0o10", 31, 1000, 90, 0.5, float("inf"), None, None]
            + ["2019-02-30", "09262", "010"]
        }
    )
    assert typed(yamlio.parse("2: a\n1.5: b\nyes: c\n~: d\n", "x.yaml")) == typed(
        {2: "a", 1.5: "b", True: "c", None: "d"}
    )


DOCUMENTS = [
    "a: &a {x: 1, y: 2}\nb:\n  <<: *a\n  x: 3\n",
    "a: &a {x: 1}\nb:\n  <<: *a\n  y: 3\n  y: 4\n",  # a duplicate key next to a merge key
    "a: &a {x: 1}\nb:\n  x: 0\n  <<: *a\n",  # a merged key a key of the mapping overrides: no duplicate
    "b:\n  <<: {x: 1, x: 2}\n",
    "b:\n  <<: [{x: 1}, {y: 2}]\n  <<: {z: 3}\n",
    "a: &a [1, 2]\nb: *a\n",
    "a: &a !!map {x: 1}\nb: *a\n",  # a shared mapping the hint does not see: _build declines its alias
    "a: &a\n  - 1\nb: [*a, *a]\n",
    "&a [1, *a]\n",
    "d: &d 2024-01-15\ne: *d\nf: [*d, *d]\n",
    "d: &d 1\ne: &d 2\n",
    "d: &d 1\ne: *nulle\n",
    "1: a\n1: b\n",
    "1: a\n'1': b\n",
    "1: a\ntrue: b\n",
    "yes: a\ntrue: b\n",
    "~: a\nnull: b\n",
    "1.0: a\n1: b\n",
    ".nan: a\n.nan: b\n",
    "id: x\nid: y\n",
    "'id': x\n\"id\": y\n",
    "id: x\nville:\n  nom: a\n  nom: b\n",
    "=: 1\n",
    "v: =\n",
    "",
    "# rien\n",
    "- a\n- 1\n",
    "texte\n",
    "\ufeffa: 1\n",
    "--- \na: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: |\n  x\n  y\nb: >\n  x\n  y\n\nc: \"a\\tb\\u00e9\\x41\"\nd: 'l''a'\n",
    "? [a]\n: b\n",
    "? {a: 1}\n: b\n",
    "[a]: b\n",
    "a: " + "[" * 39 + "]" * 39 + "\n",
    "a: " + "[" * 40 + "]" * 40 + "\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 50)),
    "[" + ",".join(["a"] * 20_000) + "]\n",
    "nom: Nîmes\n'clé': \"ü\"\nmontant: '1 000'\nnote: le 05 mars, 1 000 € & R&D !\n",
    "v:\n- \t\n",
    "v: a\tb\nw:\t1\n",
]


@pytest.mark.parametrize("text", DOCUMENTS, ids=lambda text: repr(text[:40]))
def test_documents_are_read_as_before(text):
    assert_same(text)


@pytest.mark.parametrize(("text", "expected", "line"), PARSER_ERRORS)
def test_the_french_errors_keep_their_lines(text, expected, line):
    kind, problems = assert_same(text)
    assert kind == "erreur" and expected in problems[0][1] and problems[0][2] == line, problems


def test_duplicate_keys_depth_and_size_are_refused_with_the_same_message_and_line():
    assert assert_same("id: x\nville:\n  nom: a\n  nom: b\n") == (
        "erreur",
        [("", "YAML invalide : clé en double « nom » : la seconde valeur écraserait la première", 4)],
    )
    assert assert_same("a: &a {x: 1}\nb:\n  <<: *a\n  y: 3\n  y: 4\n")[1][0][1:] == (
        "YAML invalide : clé en double « y » : la seconde valeur écraserait la première",
        5,
    )
    deep = "a: " + "[" * 40 + "]" * 40 + "\n"
    assert assert_same(deep) == ("erreur", [("", "YAML invalide : imbrication trop profonde (plus de 40 niveaux)", 1)])
    large = "{" + ",".join(["a"] * 60_000) + "}\n"
    kind, problems = assert_same(large)
    assert kind == "erreur" and "document trop grand" in problems[0][1], problems


def test_a_value_its_tag_cannot_build_is_a_french_error_not_a_traceback():
    """`!!bool peut-être` raised a KeyError through parse before (PyYAML's bool_values)."""
    for text in ("v: !!bool peut-être\n", "v: !!int x\n", "v: !!map [1]\n"):
        assert assert_same(text) == (
            "erreur",
            [("", "YAML invalide : une valeur ne peut pas être lue (étiquette « !! » ?)", None)],
        )


def test_build_counts_nodes_and_nesting_as_the_composer(monkeypatch):
    text = "a: [" + ", ".join(["1"] * 20) + "]\n"  # the mapping, its key, the list and 20 items: 23 nodes
    assert yamlio._fast(text) == {"a": [1] * 20}
    monkeypatch.setattr(yamlio, "MAX_NODES", 22)
    assert yamlio._fast(text) is yamlio._DECLINED
    monkeypatch.setattr(yamlio, "MAX_NODES", 23)
    assert yamlio._fast(text) == {"a": [1] * 20}
    monkeypatch.setattr(yamlio, "MAX_DEPTH", 1)
    assert yamlio._fast(text) is yamlio._DECLINED
    monkeypatch.setattr(yamlio, "MAX_DEPTH", 2)
    assert yamlio._fast(text) == {"a": [1] * 20}


@pytest.mark.parametrize(
    "text",
    [
        "a: &a {x: 1}\nb:\n  <<: *a\n",  # merge
        "a: &a !!map {x: 1}\nb: *a\n",  # a shared mapping
        "&a [1, *a]\n",  # a cycle in libyaml's tree
        "a: !!set {x}\n",
        "a: !!str {x: 1}\n",
        "[a]: b\n",
        "a: 1\na: 2\n",
        "a: [1\n",
    ],
)
def test_fast_declines_what_it_does_not_build_as_pyyaml(text):
    assert yamlio._fast(text) is yamlio._DECLINED
    assert_same(text)


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_alias_bombs_are_declined_at_once_and_refused_as_before(name):
    if len(BOMBS[name]) <= yamlio.PLAIN_CHARS:
        start = time.process_time()
        assert yamlio._fast(BOMBS[name]) is yamlio._DECLINED  # the second alias of a list: declined
        assert time.process_time() - start < 0.05
    kind, problems = assert_same(BOMBS[name])
    assert kind == "erreur" and "alias" in problems[0][1] and problems[0][2], problems


def test_a_text_over_plain_chars_is_left_to_the_path_before(monkeypatch):
    monkeypatch.setattr(yamlio, "_fast", lambda text: pytest.fail("_fast appelé"))
    text = "a: [" + ", ".join(["mot"] * 40_000) + "]\n"
    assert len(text) > yamlio.PLAIN_CHARS
    assert yamlio.parse(text, "x.yaml") == {"a": ["mot"] * 40_000}
    assert "document trop grand" in outcome(yamlio.parse, BOMBS["large"])[1][0][1]


def test_the_shared_hint_only_sends_texts_to_the_path_before():
    """_SHARED_HINT is a guess made for speed: a text it sees goes to _parse_slow at once, a text it
    misses is declined by _build; a text with `&` that anchors nothing still takes the fast path."""
    assert yamlio._SHARED_HINT.search("a: &x\n  b: 1\nc: *x\n")
    assert yamlio._SHARED_HINT.search("a: &x [1]\n") and yamlio._SHARED_HINT.search("a: &x {b: 1}\n")
    assert not yamlio._SHARED_HINT.search("a: &x !!map {b: 1}\nc: *x\n")
    assert not yamlio._SHARED_HINT.search("d: &id001 2018-09-16\nnote: R&D, a & b\n")
    assert yamlio._fast("d: &id001 2018-09-16\ne: *id001\nnote: R&D, a & b\n") == {
        "d": "2018-09-16",
        "e": "2018-09-16",
        "note": "R&D, a & b",
    }


WORDS = st.sampled_from(
    [*("yes", "no", "on", "off", "~", "null", "true", "0", "010", "08", "09262", "0x1F", "0b1", "1_0", "1:30"), ""]
    + [*("1e3", "1.5", "-.5", ".inf", ".nan", "=", "<<", "2024-01-15", "2019-02-30", "12:30", "&", "*", "!", "#")]
    + [*("'", '"', ":", "-", ",", "[", "]", "{", "}", "nom", "Nîmes", "R&D")]
)
SCALAR_VALUES = st.one_of(
    st.text(st.sampled_from("0123456789-+._:eExbo yYnN~'\"#&*!ïé\n\t"), max_size=8),
    WORDS,
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
)
DOCUMENTS_DATA = st.recursive(
    SCALAR_VALUES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.one_of(WORDS, st.text(max_size=6), st.integers(-3, 3), st.booleans()), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(DOCUMENTS_DATA, st.booleans(), st.sampled_from([None, "'", '"']), st.booleans())
def test_random_documents_are_read_as_before(data, flow, style, shared):
    if shared:  # the same objects twice: safe_dump writes anchors and aliases
        data = {"a": data, "b": data, "c": [data]}
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, default_style=style, sort_keys=False)
    assert_same(text)
    joined = " ".join(str(word) for word in (data if isinstance(data, list) else [data]))
    assert_same(f"v: {joined}\n")


PIECES = st.sampled_from(
    [*"ab09: -[]{},'\"#\n\n  &*?|>.~_e8!", "yes", "010", "09262", "1.5", "- ", ": ", "\n  ", "\n- ", "<<: "]
    + ["&a ", "*a", "&b ", "*b", "|\n  ", "!!str ", "!!map ", "? "]
)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(PIECES, max_size=25).map("".join))
def test_random_texts_are_read_as_before(text):
    assert_same(text)


def test_without_libyaml_every_text_goes_the_path_before(monkeypatch):
    monkeypatch.setattr(yamlio, "TreeLoader", None)
    monkeypatch.setattr(yamlio, "_fast", lambda text: pytest.fail("_fast appelé"))
    text = (SAMPLES / "villebelle" / "dossier.yaml").read_text(encoding="utf-8")
    assert yamlio.parse(text, "x.yaml") == yamlio._parse_slow(text, "x.yaml")
