"""Shared by the fuzzing tests: the samples as data, their mutations (hypothesis strategies),
one in-process check on both engines, and the "is this French?" heuristic."""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

from instruct.documents.load import validate
from instruct.engine.check import check_dossier
from instruct.errors import InputError
from instruct.rules.catalogue import load_catalogue
from instruct.yamlio import parse, read_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
DATE = dt.date(2026, 11, 26)
ENGINES = ("durable", "python")
LARGE = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"

# Hypothesis profiles and home (here rather than in a tests/fuzz/conftest.py: the other tests
# import `conftest`, and a second one on sys.path would shadow tests/conftest.py). `make test`
# deselects the suite (-m "not fuzz" in pyproject's addopts); `make fuzz` selects it with
# HYPOTHESIS_PROFILE=fuzz: a large budget, random seeds, failing examples kept in
# .pytest_cache/hypothesis/examples and replayed first on the next run.
HOME = ROOT / ".pytest_cache" / "hypothesis"  # ignored by git (.hypothesis/ is not)

set_hypothesis_home_dir(str(HOME))  # hypothesis's own cache (constants) goes there too

# The default profile: fixed seeds (derandomize), no example database, so that two runs of the
# small suite see exactly the same dossiers. Each test sets its own max_examples (fuzzing.budget).
# No shrinking: every example runs both engines, and shrinking several distinct failures took
# minutes (5 for the schema-generated dossiers); `make fuzz` shrinks.
settings.register_profile(
    "small",
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(str(HOME / "examples")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "small"))


def budget(small: int, large: int) -> int:
    """max_examples: `small` in the default run, `large` under make fuzz; FUZZ_EXAMPLES=N sets
    every test's budget to N (a quick look, or a night)."""
    if os.environ.get("FUZZ_EXAMPLES"):
        return int(os.environ["FUZZ_EXAMPLES"])
    return large if LARGE else small


# --- the samples -------------------------------------------------------------------------------


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*/dossier.yaml")) + sorted(SAMPLES.glob("*.yaml"))


@cache
def _sample_texts() -> dict[str, str]:
    return {str(p.relative_to(SAMPLES)): read_text(p) for p in sample_files()}


def sample(name: str) -> dict:
    """A fresh copy of a sample dossier as the parser gives it (dates stay text)."""
    text = _sample_texts()[name]
    return parse(text, name)


SAMPLE_NAMES = sorted(_sample_texts())


@cache
def catalogue():
    return load_catalogue()


# --- French or not ------------------------------------------------------------------------------

# Words and phrases of the libraries' English messages (pydantic, PyYAML, json, shapely, numpy,
# python-multipart, starlette, Python's exceptions) that have no business in a French message.
ENGLISH = re.compile(
    r"Input should|Field required|\bvalid\b|should be|not allowed|Traceback|\bError\b|\w+Error\b|"
    r"\bdimension\b|\bexpected\b|\bmust\b|\binvalid\b|\bcannot\b|\bunexpected\b|\bMaximum\b|"
    r"\bKeys\b|\bfound\b|\bwhile\b|\bmapping\b|\bNot Found\b|\bMethod Not Allowed\b|"
    r"\bInternal Server\b|\bUnprocessable\b|\bvalue is not\b|\bis not\b|\bthe\b|\bnot\b|\bobject\b|"
    r"\w+Exception\b|Self-intersection|\bout of range\b|\bToo many\b|\bExpecting\b|\bdelimiter\b",
)


def english(text: str) -> list[str]:
    """The English words found in `text` (empty: it passes as French). File paths are left out
    (a temporary folder may be called pytest-of-root)."""
    return sorted({m.group(0) for m in ENGLISH.finditer(re.sub(r"\S*/\S*", " ", text))})


def assert_french(text: str, where: str) -> None:
    found = english(text)
    assert not found, f"{where} : message en anglais ({', '.join(found)}) : {text[:600]!r}"


# --- one dossier through the checker --------------------------------------------------------------


def outcomes(report) -> list[tuple]:
    """What a decision rests on: one (rule, check, entity, status) per finding, in a stable order."""
    return sorted((f.rule, f.check or "", f.entity.type, f.entity.id, f.status) for f in report.findings)


def report_text(report) -> str:
    return "\n".join([f.message for f in report.findings] + list(report.notes))


def check_everywhere(data: Any, where: str):
    """Validate then check on both engines, twice on one: return the python engine's report, or
    None for an input refused with an InputError in French. Any other exception fails the test
    (it is exit 3 in `acv check`, a 500 in the service)."""
    try:
        dossier = validate(data, "dossier.yaml", None)
    except InputError as exc:
        assert exc.problems, f"{where} : InputError sans problème"
        assert_french(exc.render(), f"{where} : erreur de validation")
        return None
    reports = {}
    for engine in ENGINES:
        try:
            reports[engine] = check_dossier(dossier, catalogue(), DATE, engine=engine, source="dossier.yaml")
        except InputError as exc:  # a problem only the checker sees (a geometry…) is still an input error
            assert_french(exc.render(), f"{where} : erreur du moteur {engine}")
            reports[engine] = None
    assert (reports["durable"] is None) == (reports["python"] is None), f"{where} : un seul moteur refuse l'entrée"
    if reports["python"] is None:
        return None
    assert outcomes(reports["durable"]) == outcomes(reports["python"]), f"{where} : les deux moteurs diffèrent"
    assert [f.comparable() for f in reports["durable"].findings] == [
        f.comparable() for f in reports["python"].findings
    ], f"{where} : les deux moteurs diffèrent (messages, preuves ou ordre des constats)"
    again = check_dossier(dossier, catalogue(), DATE, engine="python", source="dossier.yaml")
    assert [f.comparable() for f in again.findings] == [f.comparable() for f in reports["python"].findings], (
        f"{where} : la même entrée donne deux rapports différents"
    )
    assert_french(report_text(reports["python"]), f"{where} : rapport")
    return reports["python"]


# --- walking and mutating a dossier ------------------------------------------------------------------


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and indexes) below `value`, the root excluded."""
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            out.append(prefix + (key,))
            out += paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.append(prefix + (i,))
            out += paths(item, prefix + (i,))
    return out


def get(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


def put(value: Any, path: tuple, new: Any) -> None:
    get(value, path[:-1])[path[-1]] = new


def is_geometry(value: Any) -> bool:
    return isinstance(value, dict) and "type" in value and "coordinates" in value


def in_coordinates(path: tuple) -> bool:
    return "coordinates" in path


WRONG_TYPES = ["texte", 12, 1.5, True, [], {}, ["x"], {"a": 1}, {1: "x"}, "2019-02-30", "01053"]
EXTREME_NUMBERS = [0, -1, -0.0, 10**30, -(10**18), 2**63, 2**64 + 1, 1e308, -1e308, 5e-324, 0.001, 123456789.123]
NON_FINITE = [math.nan, math.inf, -math.inf]
CONTROL = ["\x00", "\x07", "\x1b[31m", "\u202e", "\ufeff", "\r\n", "\x0b", "\x7f"]
LONG = ["é" * 5_000, "x" * 100_000, "mot " * 3_000]
POLYGON = [[[1.99, 46.995], [2.01, 46.995], [2.01, 47.005], [1.99, 47.005], [1.99, 46.995]]]
BAD_GEOMETRIES = [
    {"type": "Polygon", "coordinates": [[[]]]},
    {"type": "Polygon", "coordinates": [[]]},
    {"type": "Polygon", "coordinates": []},
    {"type": "Polygon", "coordinates": [[[None, None], [None, None], [None, None], [None, None]]]},
    {"type": "Polygon", "coordinates": [[["2.0", "47.0"], ["2.1", "47.0"], ["2.1", "47.1"], ["2.0", "47.0"]]]},
    {"type": "Polygon", "coordinates": "texte"},
    {"type": "Polygon", "coordinates": [[[1.99, 46.995, 0, 0], [2.01, 46.995, 0, 0], [2.01, 47.0, 0, 0]] * 2]},
    {"type": "Polygon", "coordinates": [[[1.99, 46.995, 7], [2.01, 46.995, 7], [2.01, 47.0, 7], [1.99, 46.995, 7]]]},
    {"type": "Point", "coordinates": [2.0, 47.0]},
    {"type": "LineString", "coordinates": [[2.0, 47.0], [2.1, 47.1]]},
    {"type": "MultiPolygon", "coordinates": [POLYGON, []]},
    {"type": "Polygon", "coordinates": [[[2.0, 47.0], [2.1, 47.1], [2.1, 47.0], [2.0, 47.1], [2.0, 47.0]]]},  # bowtie
    {"type": "Polygon", "coordinates": [[[2.0, 47.0], [2.1, 47.0], [2.1, 47.1]]]},  # ring not closed
    {"type": "Polygon", "coordinates": [[[200.0, 95.0], [201.0, 95.0], [201.0, 96.0], [200.0, 95.0]]]},
    {"type": "Polygon", "coordinates": [[[math.nan, 47.0], [2.1, 47.0], [2.1, 47.1], [math.nan, 47.0]]]},
    {"type": "Polygon", "coordinates": [[[1e308, 47.0], [2.1, 47.0], [2.1, 47.1], [1e308, 47.0]]]},
    {"type": "Polygon", "coordinates": [[[[[2.0]]]]]},
    {"type": "GeometryCollection", "geometries": []},
    {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": POLYGON}},
    {"type": "Polygon"},
    {"coordinates": POLYGON},
    {"type": None, "coordinates": POLYGON},
]

# Geometry weighs three: it is where most internal errors were found (issue 13).
KINDS = ("geometry", "drop", "null", "wrong_type", "extreme", "geometry", "non_finite", "control", "long", "geometry")
KINDS += ("duplicate", "reorder")


@st.composite
def mutation(draw, data: dict) -> str:
    """Apply one mutation to `data` in place; return what was done (for the failure message)."""
    every = [p for p in paths(data) if not in_coordinates(p)] or [()]
    kind = draw(st.sampled_from(KINDS))
    if kind == "geometry":
        geometries = [p for p in paths(data) if is_geometry(get(data, p))]
        if geometries:
            path = draw(st.sampled_from(geometries))
            bad = copy.deepcopy(draw(st.sampled_from(BAD_GEOMETRIES)))
            put(data, path, bad)
            return f"{_show(path)} = {bad!r}"[:300]
        kind = "wrong_type"
    if kind in ("duplicate", "reorder"):
        lists = [p for p in every if p and isinstance(get(data, p), list) and len(get(data, p)) >= 1]
        if lists:
            path = draw(st.sampled_from(lists))
            items = get(data, path)
            if kind == "duplicate":
                i = draw(st.integers(0, len(items) - 1))
                items.append(copy.deepcopy(items[i]))
                return f"{_show(path)} : élément {i} en double"
            order = draw(st.permutations(range(len(items))))
            put(data, path, [items[i] for i in order])
            return f"{_show(path)} : ordre {order}"
        kind = "null"
    if kind == "drop":
        keys = [p for p in every if p and isinstance(p[-1], str)]
        if keys:
            path = draw(st.sampled_from(keys))
            del get(data, path[:-1])[path[-1]]
            return f"{_show(path)} supprimé"
        kind = "null"
    if kind in ("control", "long"):
        strings = [p for p in every if p and isinstance(get(data, p), str)]
        if strings:
            path = draw(st.sampled_from(strings))
            old = get(data, path)
            if kind == "control":
                char = draw(st.sampled_from(CONTROL))
                at = draw(st.integers(0, len(old)))
                put(data, path, old[:at] + char + old[at:])
                return f"{_show(path)} : caractère {char!r} en position {at}"
            put(data, path, draw(st.sampled_from(LONG)))
            return f"{_show(path)} : texte de {len(get(data, path))} caractères"
        kind = "wrong_type"
    if kind in ("extreme", "non_finite"):
        numbers = [
            p for p in every if p and isinstance(get(data, p), (int, float)) and not isinstance(get(data, p), bool)
        ]
        numbers += [p for p in every if p and isinstance(get(data, p), str) and re.fullmatch(r"[\d.]+", get(data, p))]
        if numbers:
            path = draw(st.sampled_from(numbers))
            new = draw(st.sampled_from(EXTREME_NUMBERS if kind == "extreme" else NON_FINITE))
            put(data, path, new)
            return f"{_show(path)} = {new!r}"
        kind = "wrong_type"
    path = draw(st.sampled_from([p for p in every if p] or [("id",)]))
    new = None if kind == "null" else copy.deepcopy(draw(st.sampled_from(WRONG_TYPES)))
    put(data, path, new)
    return f"{_show(path)} = {new!r}"


def _show(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


@st.composite
def mutated_samples(draw, names: list[str] = SAMPLE_NAMES, most: int = 3) -> tuple[str, dict, list[str]]:
    """A sample dossier with 1 to `most` mutations: (sample name, data, what was done)."""
    name = draw(st.sampled_from(names))
    data = sample(name)
    done = [draw(mutation(data)) for _ in range(draw(st.integers(1, most)))]
    return name, data, done


# --- transformations that must not change an outcome -------------------------------------------------

# Lists whose order means something: coordinates (a ring is a sequence of points).
ORDERED_KEYS = {"coordinates"}


def reorder_lists(value: Any, choose) -> Any:
    """A copy with every list of objects or texts permuted by `choose(n) -> permutation`."""
    if isinstance(value, dict):
        return {k: (copy.deepcopy(v) if k in ORDERED_KEYS else reorder_lists(v, choose)) for k, v in value.items()}
    if isinstance(value, list):
        items = [reorder_lists(v, choose) for v in value]
        order = choose(len(items))
        return [items[i] for i in order]
    return value


def reverse(n: int) -> list[int]:
    return list(range(n))[::-1]


ID_KEYS = ("id", "piece")


def identifiers(value: Any) -> list[str]:
    """The ids of a dossier: values of `id` keys (and the piece references that point at them)."""
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ID_KEYS and isinstance(item, str):
                out.append(item)
            else:
                out += identifiers(item)
    elif isinstance(value, list):
        for item in value:
            out += identifiers(item)
    return out


def rename_ids(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {
            k: (mapping.get(v, v) if k in ID_KEYS and isinstance(v, str) else rename_ids(v, mapping))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [rename_ids(v, mapping) for v in value]
    return value


def renamed_back(found: list[tuple], mapping: dict[str, str]) -> list[tuple]:
    """Outcomes of the renamed dossier with the old ids put back, also inside the entity ids the
    facts compose (`secteur_<id>`, `avenant-fiche-<id>`): the new ids are distinctive enough."""
    back = sorted(mapping.items(), key=lambda item: -len(item[1]))

    def restore(ident: str) -> str:
        for old, new in back:
            ident = ident.replace(new, old)
        return ident

    return sorted((rule, check, kind, restore(ident), status) for rule, check, kind, ident, status in found)
