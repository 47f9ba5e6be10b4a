"""Fidelity to the texts: every rule cites the passage that decides it, and a passage quoted
from the programme guide is really in the guide.

A citation quotes the guide word for word; excerpts are joined by « ; » or cut by « […] ».
Bullets, line breaks, the kind of quote or dash and the case are not compared.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from instruct.rules.catalogue import load_catalogue

GUIDE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_0630a0696e194d0d.txt"
SEPARATORS = re.compile(r"\s*(?:\[…\]|\[\.\.\.\]|…| ; )\s*")


def plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("•", " ").replace("", " ")
    text = re.sub(r"[«»“”\"’'`]", "'", text)
    text = re.sub(r"[‐‑‒–—−]", "-", text)
    text = " ".join(text.split())
    text = re.sub(r" ([.,;:)])", r"\1", text)
    return re.sub(r"([(']) ", r"\1", text)


@cache
def _rules():
    return tuple(rule for ruleset in load_catalogue().rulesets.values() for rule in ruleset.rules)


def test_every_rule_cites_the_text_that_decides_it():
    missing = [rule.key for rule in _rules() if not (rule.source.citation or "").strip()]
    assert not missing, "règles sans citation (source.citation) : " + ", ".join(missing)


def test_quotes_from_the_guide_are_in_the_guide():
    if not GUIDE.is_file():
        pytest.skip(f"guide absent : {GUIDE}")
    guide = plain(GUIDE.read_text(encoding="utf-8"))
    wrong = []
    for rule in _rules():
        if "guide" not in rule.source.document.casefold() or not rule.source.citation:
            continue
        for excerpt in SEPARATORS.split(rule.source.citation):
            if excerpt.strip(' .«»"') and plain(excerpt.strip(' «»"')) not in guide:
                wrong.append(f"{rule.key} : « {excerpt} »")
    assert not wrong, "citations introuvables dans le guide :\n" + "\n".join(wrong)


# What a town must never read: a CLI option, a make target or command, a field path or a
# machine name (snake_case), a list path (`x[]`), a dotted path, or code quotes.
MACHINE_WORDS = re.compile(
    r"--[a-z]|\bmake [a-z]|\bacv [a-z]|\b[a-z]+_[a-z_]+\b|\b[a-z_]+\[\]|\b[a-z]+\.[a-z_]+\.[a-z_]+|`"
)


def test_rule_texts_speak_to_a_town_in_french():
    from instruct.rules.catalogue import PLACEHOLDER

    wrong = []
    for rule in _rules():
        texts = [("message", rule.message), ("remedy", rule.remedy)]
        texts += [(f"messages.{k}", v) for k, v in rule.messages.items()]
        texts += [(f"remedies.{k}", v) for k, v in rule.remedies.items()]
        for key, text in texts:
            found = MACHINE_WORDS.findall(PLACEHOLDER.sub("…", text))
            if found:
                wrong.append(f"{rule.key} {key} : {', '.join(found)}")
    assert not wrong, "mots de machine dans les textes des règles :\n" + "\n".join(wrong)
