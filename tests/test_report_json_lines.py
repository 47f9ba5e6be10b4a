"""The JSON report's lines are written by orjson for speed: they must be the standard library's
bytes, whatever a finding holds (the fallback to `json` takes what orjson writes differently)."""

from __future__ import annotations

import json

import pytest

from instruct.reports.json import _line

TRICKY = [
    {"message": "Écart « 12 % » — ligne\u2028suivante\x7f", "remedy": None, "evidence": []},
    {"message": 'guillemets " et \\ barre, \x01 contrôle, \t tab, \n ligne', "evidence": []},
    {"evidence": [{"label": "Coût", "value": "1 200,00 €", "missing": False}], "parameters": []},
    {"evidence": [{"value": 1e-7}], "parameters": []},  # orjson writes 1e-7, json 1e-07
    {"evidence": [{"value": 0.1 + 0.2}], "parameters": []},
    {"evidence": [{"value": float("nan")}], "parameters": []},  # json: NaN; orjson: null
    {"evidence": [{"value": 2**70}], "parameters": []},  # beyond 64 bits
    {"evidence": [], "parameters": [{"name": "plafond", "value": 1500.5}]},
    {"evidence": [{"value": "x", "pieces": [{"fichier": "a.pdf", "ou": "page 3", "texte": "« 12 »"}]}]},
    {"evidence": [{"value": "x", "pieces": [{"fichier": "a.pdf", "ou": 3, "texte": 1.5}]}]},
    {"evidence": [{"value": "x"}], "parameters": [], 1: "clé qui n'est pas du texte"},
    {"message": "surrogate seul \ud800"},
    {"first": True, "rules": ["PROG-01"], "entities": ["Villebelle"], "findings": [0, 3, 17]},
    {"evidence": [{"value": ("tuple", 1)}]},
]


@pytest.mark.parametrize("item", TRICKY, ids=range(len(TRICKY)))
def test_a_line_is_the_standard_librarys_compact_json(item):
    assert _line(item) == json.dumps(item, ensure_ascii=False, separators=(",", ":"))
