"""Dossiers mutated from the samples and generated from the JSON Schema, through both engines
in-process: no exception but the product's InputError (in French), both engines identical, the
same input gives the same report, every message French, every report format renders; and, for
valid dossiers, outcomes invariant under list order and id renaming."""

from __future__ import annotations

import copy
import random

import pytest
from fuzzing import (
    SAMPLE_NAMES,
    assert_french,
    budget,
    check_everywhere,
    get,
    identifiers,
    mutated_samples,
    outcomes,
    paths,
    rename_ids,
    renamed_back,
    reorder_lists,
    reverse,
    sample,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from instruct.documents.load import validate
from instruct.errors import InputError
from instruct.model.dossier import Dossier
from instruct.reports import formats

pytestmark = pytest.mark.fuzz


@settings(max_examples=budget(60, 3000))
@given(mutated_samples())
def test_mutated_samples(mutated):
    name, data, done = mutated
    check_everywhere(data, f"{name} après {done}")


@settings(max_examples=budget(15, 500))
@given(mutated_samples(), st.sampled_from(formats.names()))
def test_mutated_samples_render(mutated, name):
    """Every report format renders what the checker accepted (a control character kept in a
    title breaks the DOCX, for example)."""
    sample_name, data, done = mutated
    report = check_everywhere(data, f"{sample_name} après {done}")
    if report is not None:
        body = formats.get(name).render_bytes(report, formats.Options(show_all=True))
        assert body, f"{sample_name} après {done} : rapport {name} vide"


@pytest.fixture(scope="module")
def from_schema():
    """Dossiers the JSON Schema (`acv schema`) admits, drawn by schemathesis's own generator
    (pinned with schemathesis: it has no public API of its own; hypothesis-jsonschema is not
    needed)."""
    from schemathesis.generation.jsonschema.builder import build

    return build(Dossier.model_json_schema(), draft=20, formats={})


@settings(max_examples=budget(25, 1000))
@given(st.data())
def test_schema_generated(from_schema, data):
    """What the schema admits, the model accepts (or refuses in French) and both engines check."""
    dossier = data.draw(from_schema)
    check_everywhere(dossier, f"généré depuis le schéma : {str(dossier)[:500]}")


# --- what must not change an outcome ------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_reversed_lists(name):
    """Every list of objects or texts reversed (coordinates excepted): the same outcomes."""
    data = sample(name)
    before = check_everywhere(data, name)
    after = check_everywhere(reorder_lists(data, reverse), f"{name}, listes inversées")
    assert before is not None and after is not None
    assert outcomes(after) == outcomes(before), _diff(outcomes(before), outcomes(after))


@settings(max_examples=budget(10, 300))
@given(st.sampled_from(SAMPLE_NAMES), st.randoms(use_true_random=False))
def test_shuffled_lists(name, rnd: random.Random):
    def shuffle(n: int) -> list[int]:
        order = list(range(n))
        rnd.shuffle(order)
        return order

    data = sample(name)
    before = check_everywhere(data, name)
    after = check_everywhere(reorder_lists(data, shuffle), f"{name}, listes mélangées")
    assert before is not None and after is not None
    assert outcomes(after) == outcomes(before), _diff(outcomes(before), outcomes(after))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_renamed_ids(name):
    """Every id (and every piece reference) renamed, in an order opposite to the original: the
    same outcomes, entity for entity."""
    data = sample(name)
    ids = sorted(set(identifiers(data)))
    mapping = {old: f"z{len(ids) - i:03d}q{old}"[:64] for i, old in enumerate(ids)}
    before = check_everywhere(data, name)
    after = check_everywhere(rename_ids(data, mapping), f"{name}, ids renommés")
    assert before is not None and after is not None
    restored = renamed_back(outcomes(after), mapping)
    assert restored == outcomes(before), _diff(outcomes(before), restored)


def _lists_with_ids(data) -> list[tuple]:
    return [
        p
        for p in paths(data)
        if isinstance(get(data, p), list)
        and get(data, p)
        and all(isinstance(i, dict) and "id" in i for i in get(data, p))
    ]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_duplicate_ids_refused(name):
    """Two entities of one list with the same id (two secteurs prioritaires, two fiches…): the
    findings could not say which one they are about, and the engines ordered them differently."""
    accepted = []
    for path in _lists_with_ids(sample(name)):
        data = sample(name)
        items = get(data, path)
        items.append(copy.deepcopy(items[0]))
        try:
            validate(data, "dossier.yaml")
        except InputError as exc:
            assert_french(exc.render(), f"{name} : id en double dans {path}")
        else:
            accepted.append(".".join(map(str, path)))
    assert not accepted, f"{name} : id en double accepté dans {accepted}"


def _diff(before: list[tuple], after: list[tuple]) -> str:
    gone, new = sorted(set(before) - set(after)), sorted(set(after) - set(before))
    return f"constats disparus : {gone[:10]} ; apparus : {new[:10]}"
