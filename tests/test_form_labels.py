"""Every field of the dossier model has a French title, every choice a French label, every
repeatable item a noun: a field added without one fails here. And what the form shows a town
(labels, help, choices, item labels) holds no machine word."""

from __future__ import annotations

import re
import types
from typing import Annotated, Literal, Union, get_args, get_origin

import pytest
from conftest import SAMPLES
from pydantic import BaseModel

from instruct.form import STEPS, build, to_raw
from instruct.form.labels import CHOICES, FIELD_CHOICES, ITEMS
from instruct.form.schema import LISTE, root
from instruct.model.dossier import Dossier
from instruct.yamlio import parse, read_text

MACHINE = re.compile(r"[a-z]_[a-z]|\[\]|\bfalse\b|\btrue\b|\bnull\b|\bNone\b")


def _types(tp) -> list:
    """Every type an annotation names (through Annotated, unions, lists)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _types(get_args(tp)[0])
    if origin in (Union, types.UnionType, list):
        return [t for arg in get_args(tp) for t in _types(arg)]
    return [tp]


def models() -> list[type[BaseModel]]:
    found, todo = [], [Dossier]
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.append(model)
        for info in model.model_fields.values():
            todo += [t for t in _types(info.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
    return found


def literal_values() -> list[tuple[str, str, object]]:
    out = []
    for model in models():
        for name, info in model.model_fields.items():
            for tp in _types(info.annotation):
                if get_origin(tp) is Literal:
                    out += [(model.__name__, name, v) for v in get_args(tp) if v is not False]
    return out


def test_every_field_has_a_french_title():
    missing = [f"{m.__name__}.{name}" for m in models() for name, info in m.model_fields.items() if not info.title]
    assert not missing, "champs sans titre (Field(title=...)) : " + ", ".join(missing)


def test_every_choice_has_a_french_label():
    missing = sorted(
        {
            f"{m}.{name} = {v!r}"
            for m, name, v in literal_values()
            if v not in CHOICES and (name, v) not in FIELD_CHOICES
        }
    )
    assert not missing, "valeurs sans libellé (instruct/form/labels.py, CHOICES) : " + ", ".join(missing)


def test_every_list_item_has_a_noun():
    def walk(spec):
        for child in spec.children:
            if child.kind == LISTE:
                yield child
            yield from walk(child)

    missing = sorted({s.model.__name__ for s in walk(root()) if s.model.__name__ not in ITEMS})
    assert not missing, "listes sans nom d'élément (instruct/form/labels.py, ITEMS) : " + ", ".join(missing)


def test_the_steps_hold_every_part_of_the_dossier_once():
    roots = [r for step in STEPS for r in step.racines]
    assert sorted(roots) == sorted(Dossier.model_fields)
    assert len(set(roots)) == len(roots)
    assert [s.slug for s in STEPS] == [
        "collectivites",
        "convention",
        "gouvernance",
        "perimetres",
        "axes",
        "fiches",
        "immeubles",
        "dispositifs",
        "suivi",
        "pieces",
    ]


def _nodes(nodes):
    for node in nodes:
        yield node
        if node.node == "groupe":
            yield from _nodes(node.children + node.items)


@pytest.mark.parametrize("step", [s.slug for s in STEPS])
def test_what_a_town_reads_is_french(step):
    raw = to_raw(parse(read_text(SAMPLES / "belcastel" / "dossier.yaml"), "belcastel"))
    shown = []
    for node in _nodes(build(step, raw, {})):
        shown += [node.label, node.help or ""]
        if node.node == "champ":
            shown += [label for _, label in node.choices] + [node.hint or "", node.aucun or ""]
        else:
            shown += [node.item_label, node.add_label or "", node.aucun or ""]
    wrong = sorted({text for text in shown if MACHINE.search(text)})
    assert not wrong, wrong
    assert all(text[:1] == text[:1].upper() for text in shown if text), "les libellés commencent par une majuscule"


def test_some_labels():
    spec = root()
    assert spec.child("fiches_actions").item_label == "Fiche action"
    assert spec.child("convention").child("avenants").child("objet").choices == (
        ("deploiement", "Déploiement"),
        ("modification", "Modification"),
    )
    assert dict(spec.child("quartiers").child("programme").choices)["NPNRU_regional"] == "NPNRU, intérêt régional"
    assert spec.child("fiches_actions").child("cout").label == "Coût"
