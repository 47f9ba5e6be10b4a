"""The form's shape, read once from the dossier model: one `Spec` per field, with its kind of
input, its French label and help, its choices, and whether « non renseigné » and « aucun » are
different answers (a nullable list, a text that may be declared « aucune »). Every other module
of the stage walks these specs, never the pydantic classes."""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from instruct.form.labels import AXE_CHOICES, choice_label, humanize, item_nouns
from instruct.model.dossier import Axe, Dossier, FicheAction
from instruct.model.fields import Geometrie

# Kinds of inputs (Champ.kind) and of groups.
TEXTE, PARAGRAPHE, MONTANT, DATE, ENTIER, NOMBRE = "texte", "paragraphe", "montant", "date", "entier", "nombre"
BOOLEEN, CHOIX, LISTE_TEXTES, GEOMETRIE = "booleen", "choix", "liste_textes", "geometrie"
GROUPE, LISTE = "groupe", "liste"  # a sub-model; a list of sub-models


@dataclass(frozen=True)
class Spec:
    name: str  # the field's name in its model
    kind: str
    label: str
    help: str | None = None
    required: bool = False  # no default: the model refuses the item without it
    nullable: bool = False  # None is allowed (absent = non renseigné)
    aucun: str | None = None  # label of the « aucun » answer, when it differs from « non renseigné »
    choices: tuple[tuple[str, str], ...] = ()
    multiple: bool = False  # several choices (a list of Literals)
    integer_choices: bool = False  # the choices' values are integers
    default: Any = None
    model: type[BaseModel] | None = None  # the sub-model of a GROUPE, the item model of a LISTE
    children: tuple[Spec, ...] = field(default=(), repr=False)  # a GROUPE's or a LISTE item's fields
    item_label: str = ""  # « Fiche action » (a LISTE)
    item_add: str = ""  # « une fiche action » (a LISTE)

    def child(self, name: str) -> Spec | None:
        return next((c for c in self.children if c.name == name), None)


def _unwrap(tp: Any) -> tuple[Any, list]:
    """Annotated[X, meta...] -> (X, meta)."""
    meta: list = []
    while get_origin(tp) is Annotated:
        args = get_args(tp)
        tp, meta = args[0], meta + list(args[1:])
    return tp, meta


def _max_length(meta: list) -> int | None:
    for item in meta:
        if isinstance(item, MaxLen):
            return item.max_length
        if isinstance(item, FieldInfo):
            found = _max_length(item.metadata)
            if found is not None:
                return found
    return None


def _decimal_places(meta: list) -> int | None:
    for item in meta:
        places = getattr(item, "decimal_places", None)
        if places is not None:
            return places
        if isinstance(item, FieldInfo):
            found = _decimal_places(item.metadata)
            if found is not None:
                return found
    return None


def _members(tp: Any) -> list:
    if get_origin(tp) in (Union, types.UnionType):
        return list(get_args(tp))
    return [tp]


def _is_model(tp: Any, base: type = BaseModel) -> bool:
    return isinstance(tp, type) and issubclass(tp, base)


def _spec(model: type[BaseModel], name: str, info: FieldInfo) -> Spec:
    label = info.title or humanize(name)
    help_text = info.description
    required = info.is_required()
    default = None if required else info.default
    tp, meta = _unwrap(info.annotation)
    meta = meta + list(info.metadata)
    members = [_unwrap(m) for m in _members(tp)]
    nullable = any(m is type(None) for m, _ in members)
    members = [(m, mm) for m, mm in members if m is not type(None)]
    literal_false = [m for m, _ in members if get_origin(m) is Literal and get_args(m) == (False,)]
    members = [(m, mm) for m, mm in members if not (get_origin(m) is Literal and get_args(m) == (False,))]
    common: dict[str, Any] = {
        "name": name,
        "label": label,
        "help": help_text,
        "required": required,
        "nullable": nullable,
        "default": default,
    }
    if all(get_origin(m) is Literal for m, _ in members):
        values = [v for m, _ in members for v in get_args(m)]
        integer = all(isinstance(v, int) for v in values)
        choices = tuple((str(v), choice_label(v, name)) for v in values)
        return Spec(kind=CHOIX, choices=choices, integer_choices=integer, **common)
    main, main_meta = members[0]
    main_meta = main_meta + meta
    if literal_false:  # Texte | Literal[False] | None: texte, « aucune (déclaré) », non renseigné
        common["aucun"] = "Aucune (déclaré)"
    if get_origin(main) is list:
        (item,) = get_args(main)
        item, item_meta = _unwrap(item)
        aucun = "Aucun (déclaré)" if nullable else None
        common["aucun"] = aucun
        if _is_model(item):
            noun, add = item_nouns(item.__name__, label)
            return Spec(kind=LISTE, model=item, children=fields_of(item), item_label=noun, item_add=add, **common)
        if get_origin(item) is Literal:
            choices = tuple((str(v), choice_label(v, name)) for v in get_args(item))
            return Spec(kind=CHOIX, choices=choices, multiple=True, **common)
        return Spec(kind=LISTE_TEXTES, **common)
    if _is_model(main, Geometrie):
        return Spec(kind=GEOMETRIE, model=main, **common)
    if _is_model(main):
        return Spec(kind=GROUPE, model=main, children=fields_of(main), **common)
    if main is bool:
        return Spec(kind=BOOLEEN, **common)
    if main is int:
        if (model is FicheAction and name == "axe") or (model is Axe and name == "numero"):
            return Spec(kind=CHOIX, choices=tuple(AXE_CHOICES), integer_choices=True, **common)
        return Spec(kind=ENTIER, **common)
    if main is Decimal:
        return Spec(kind=MONTANT if _decimal_places(main_meta) == 2 else NOMBRE, **common)
    if main is dt.date:
        return Spec(kind=DATE, **common)
    longest = _max_length(main_meta)
    return Spec(kind=PARAGRAPHE if longest and longest > 500 else TEXTE, **common)


@cache
def fields_of(model: type[BaseModel]) -> tuple[Spec, ...]:
    """The specs of a model's fields, in the model's order."""
    return tuple(_spec(model, name, info) for name, info in model.model_fields.items())


@cache
def root() -> Spec:
    """The whole dossier, as a group."""
    return Spec(name="", kind=GROUPE, label="Dossier", model=Dossier, children=fields_of(Dossier), required=True)


def split(path: str) -> list[str]:
    """`fiches_actions.0.cout` -> ['fiches_actions', '0', 'cout']."""
    return [p for p in path.split(".") if p != ""]


def spec_at(path: str) -> Spec | None:
    """The spec of the field at a dotted path (indexes skipped), or None."""
    spec: Spec | None = root()
    for part in split(path):
        if spec is None:
            return None
        if part.isdigit() and spec.kind == LISTE:
            continue
        spec = spec.child(part) if spec.kind in (GROUPE, LISTE) else None
    return spec
