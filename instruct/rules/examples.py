"""The rules' example cases (`tests/cases/*.yaml`, as Publicodes' « exemples »), read for a rule's
page: what each case gives as input, in French words, and the status it expects.

Where they are: `instruct/exemples/` in an installed wheel (setup.py ships tests/cases there, as
it ships rules/ as instruct/regles/), tests/cases beside the package in a checkout. Without them
the page says so. A case's dossier fragment is described with the dossier model's French field
titles (model.dossier), never its keys.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from instruct.french import french_amount, french_date, french_number
from instruct.model.dossier import Dossier
from instruct.model.fields import Montant
from instruct.yamlio import parse, read_text

REFERENTIELS = {
    False: "sans liste officielle des communes ni registre des ORT",
    True: "avec la liste fictive des communes du programme et le registre fictif des ORT",
    "shared": "avec la liste officielle réelle des communes du programme",
}


@dataclass(frozen=True)
class Item:
    """One thing a case gives: a French label, its value, and the items it holds."""

    label: str
    value: str = ""
    items: tuple[Item, ...] = field(default=())

    def lines(self, indent: str = "") -> list[str]:
        out = [indent + "- " + self.label + (f" : {self.value}" if self.value else "")]
        for item in self.items:
            out += item.lines(indent + "  ")
        return out


@dataclass(frozen=True)
class Expected:
    entity: str  # in French: « le dossier », « immeuble IMM-06 »…
    status: str  # a status, or "aucun" (no finding for this entity)


@dataclass(frozen=True)
class Example:
    name: str
    key: str  # the rule's key (id, or id/check)
    date: dt.date
    referentiel: str
    inputs: tuple[Item, ...]
    expected: tuple[Expected, ...]
    known_defect: str | None = None  # xfail: the case documents a defect not yet corrected


def default_cases_dir() -> Path | None:
    """instruct/exemples in a wheel, tests/cases in a checkout, None when neither is there."""
    package = Path(__file__).resolve().parents[1]
    for folder in (package / "exemples", package.parent / "tests" / "cases"):
        if folder.is_dir() and any(folder.glob("*.yaml")):
            return folder
    return None


def read_cases(directory: Path | None) -> list[dict]:
    """The raw cases of every *.yaml of the folder (none if there is no folder)."""
    out: list[dict] = []
    for path in sorted(directory.glob("*.yaml")) if directory else []:
        data = parse(read_text(path), str(path))
        out += [case for case in data or [] if isinstance(case, dict)]
    return out


def case_key(case: dict) -> str:
    return f"{case['rule']}/{case['check']}" if case.get("check") else str(case["rule"])


class Describer:
    """A case in French: its dossier fragment through the model's titles, its pieces, its expected
    statuses. `choice` gives the French label of a value written in machine words; `entity` the
    French name of an entity « type:id »."""

    def __init__(self, choice: Callable[[str], str], entity: Callable[[str], str]):
        self.choice, self.entity = choice, entity

    def example(self, case: dict) -> Example:
        date = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(str(case["date"]))
        inputs = list(self.fragment(case.get("dossier") or {}, Dossier))
        if "pieces" in case:
            inputs.append(self.pieces(case["pieces"] or []))
        if not inputs:
            inputs.append(Item("Dossier de base", "une ville fictive et son intercommunalité, rien d'autre"))
        expected = tuple(Expected(self.entity(key), str(status)) for key, status in case["expected"].items())
        name = str(case["name"])
        if case.get("check"):  # « ORT-03 centre_ville — … »: the check's name in words
            name = name.replace(str(case["check"]), str(case["check"]).replace("_", " "))
        return Example(
            name=name,
            key=case_key(case),
            date=date,
            referentiel=REFERENTIELS.get(case.get("referentiel", False), REFERENTIELS[False]),
            inputs=tuple(inputs),
            expected=expected,
            known_defect=case.get("xfail"),
        )

    def fragment(self, data: dict, model: type[BaseModel] | None) -> list[Item]:
        out = []
        for key, value in data.items():
            info = model.model_fields.get(key) if model else None
            label = (info.title if info and info.title else None) or self.choice(str(key)).capitalize()
            model_of = _model_of(info.annotation) if info else None
            out.append(self.item(label, value, model_of, amount=bool(info) and _is_amount(info)))
        return out

    def item(self, label: str, value: Any, model: type[BaseModel] | None, amount: bool = False) -> Item:
        if isinstance(value, dict):
            if value.get("type") in GEOMETRIES and "coordinates" in value:
                return Item(label, f"un tracé ({GEOMETRIES[value['type']]})")
            return Item(label, "", tuple(self.fragment(value, model)))
        if isinstance(value, list):
            if not value:
                return Item(label, "aucun (liste vide)")
            if all(isinstance(v, dict) for v in value):
                children = tuple(
                    Item(f"élément {n}", "", tuple(self.fragment(v, model))) for n, v in enumerate(value, 1)
                )
                return Item(label, f"{len(value)} élément(s)", children)
            return Item(label, ", ".join(self.scalar(v) for v in value))
        return Item(label, self.scalar(value, amount))

    def scalar(self, value: Any, amount: bool = False) -> str:
        if amount and not isinstance(value, bool) and isinstance(value, int | float | str):
            try:
                return french_amount(Decimal(str(value)))
            except ArithmeticError:
                pass
        if value is None:
            return "non renseigné"
        if isinstance(value, bool):
            return "oui" if value else "non"
        if isinstance(value, dt.date):
            return french_date(value)
        if isinstance(value, float | int):
            return french_number(Decimal(str(value)), 0 if float(value).is_integer() else 2)
        text = str(value)
        if ISO_DATE.fullmatch(text):
            return french_date(dt.date.fromisoformat(text))
        return f"« {self.choice(text)} »"

    def pieces(self, pieces: list[dict]) -> Item:
        if not pieces:
            return Item("Pièces déposées", "aucune")
        items = []
        for spec in pieces:
            name = str(spec.get("fichier", ""))
            kind = name.rsplit(".", 1)[-1].upper() if "." in name else "fichier"
            title = f"pièce {kind} « {name.rsplit('.', 1)[0]} »"
            if "octets" in spec:
                items.append(Item(title, "un fichier endommagé (contenu illisible)"))
                continue
            lines = [str(p) for p in spec.get("paragraphes", [])]
            lines += [
                f"page {n} : {p}" if p else f"page {n} : sans texte (comme un scan)"
                for n, p in enumerate(spec.get("pages", []), 1)
            ]
            lines += [" | ".join(str(c) for c in row) for table in spec.get("tableaux", []) for row in table]
            items.append(Item(title, "", tuple(Item(line.replace("\n", " / ")) for line in lines)))
        return Item("Pièces déposées", f"{len(pieces)} pièce(s)", tuple(items))


GEOMETRIES = {"Polygon": "polygone", "MultiPolygon": "plusieurs polygones", "Point": "point", "LineString": "ligne"}


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _is_amount(info: FieldInfo) -> bool:
    """A Montant of the model (fields.Montant: Decimal euros, two decimals)."""
    if Montant in typing.get_args(info.annotation) or info.annotation == Montant:
        return True
    return info.annotation is Decimal and any(getattr(m, "decimal_places", None) == 2 for m in info.metadata)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, through Optional, list and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
