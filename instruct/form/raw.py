"""The form's values (`Raw`: flat, as typed, keyed by dotted path) <-> a dossier dict.

`from_raw` reads every value the French way, then validates the dossier: every problem goes to
the field it concerns, in French, and the offending value is left out until a `Dossier`
validates, so that a half-filled form can always be evaluated. `to_raw` writes a dossier (a
dossier.yaml read by `instruct.yamlio`, or a `Dossier`) back into form values.

Values: as typed (amounts « 1 234 567,50 », dates « 15/06/2019 » or ISO); yes/no « oui », « non »
or « » (non renseigné); a choice its option's value (shown by its French label); several choices
or a list of texts one per line; a geometry its GeoJSON text. Marker keys: `<list>.__nombre` the
number of items of a list; `<field>.__aucun` (« on ») the answer « aucun (déclaré) » of a nullable
list or of a text that may be declared « aucune »."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from instruct.documents.load import _french
from instruct.form.schema import GROUPE, LISTE, LISTE_TEXTES, PARAGRAPHE, TEXTE, Spec, root
from instruct.form.values import TRUE_MARKS, parse, write
from instruct.messages import clean_loc
from instruct.model.dossier import Dossier
from instruct.model.validation import validate_dossier

Raw = dict[str, str]
COUNT = "__nombre"
AUCUN = "__aucun"
MAX_ITEMS = 2000
_MISSING = object()
# A model-wide check names the field it blames: model -> (words of its message, field), first match.
_BLAME = {
    "FicheAction": [("", "date_lancement")],
    "Suivi": [("évaluation", "date_evaluation_finale"), ("clôture", "date_cloture")],
    "Immeuble": [("maîtrisés", "logements_maitrises"), ("reservations", "reservations"), ("", "loyers_maitrises")],
}
_WORDS = {"reservations": "réservations", "loyers_maitrises": "loyers maîtrisés"}


@dataclass
class Conversion:
    data: dict
    errors: dict[str, str] = field(default_factory=dict)
    dossier: Dossier | None = None


def join(prefix: str, name: str | int) -> str:
    return f"{prefix}.{name}" if prefix else str(name)


def marked(raw: Raw, key: str) -> bool:
    return raw.get(key, "").strip().lower() in TRUE_MARKS


# --- to_raw -----------------------------------------------------------------------------------


def to_raw(data: dict | Dossier) -> Raw:
    """A dossier (dict or Dossier) -> the form's values."""
    if isinstance(data, Dossier):
        data = data.model_dump()
    else:
        # what does not validate is written as it is, for the town to correct
        with contextlib.suppress(ValidationError):
            data = validate_dossier(data).model_dump()
    raw: Raw = {}
    _write_group(root(), data if isinstance(data, dict) else {}, "", raw)
    return raw


def _write_group(spec: Spec, value: dict, prefix: str, raw: Raw) -> None:
    for child in spec.children:
        _write_field(child, value.get(child.name), join(prefix, child.name), raw)


def _write_field(spec: Spec, value: Any, key: str, raw: Raw) -> None:
    if value is None:
        return
    if spec.kind == GROUPE:
        if isinstance(value, dict):
            _write_group(spec, value, key, raw)
        return
    if spec.kind == LISTE:
        if not isinstance(value, list):
            return
        raw[join(key, COUNT)] = str(len(value))
        if not value and spec.aucun:
            raw[join(key, AUCUN)] = "on"
        for i, item in enumerate(value):
            if isinstance(item, dict):
                _write_group(spec, item, join(key, i), raw)
        return
    if spec.aucun and (value is False or value == []):
        raw[join(key, AUCUN)] = "on"
        return
    text = write(spec, value)
    if text != "":
        raw[key] = text


def unknown_fields(data: dict) -> list[str]:
    """What a dossier file holds that the form has no field for (left out by `to_raw`), said in
    French: « Fiche action n° 1 : « foo » n'est pas une information du dossier ; ignorée »."""
    from instruct.form.paths import label_of  # paths builds on the steps, which build on this module

    found: list[str] = []

    def walk(spec: Spec, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            return
        for name, item in value.items():
            child = spec.child(str(name))
            where = join(path, name)
            if child is None:
                place = label_of(path) if path else "Dossier"
                found.append(f"{place} : « {str(name)[:60]} » n'est pas une information du dossier ; ignorée")
            elif child.kind == GROUPE:
                walk(child, item, where)
            elif child.kind == LISTE and isinstance(item, list):
                for i, element in enumerate(item):
                    walk(child, element, join(where, i))

    walk(root(), data, "")
    return found


# --- from_raw ---------------------------------------------------------------------------------


def list_sizes(raw: Raw) -> dict[str, int]:
    """Each list's number of items: its marker, or one more than the highest index typed."""
    sizes: dict[str, int] = {}
    for key, value in raw.items():
        parts = key.split(".")
        if parts[-1] == COUNT:
            prefix = ".".join(parts[:-1])
            number = int(value) if isinstance(value, str) and value.strip().isdigit() else 0
            sizes[prefix] = max(sizes.get(prefix, 0), min(number, MAX_ITEMS))
        for i, part in enumerate(parts[1:], 1):
            if part.isdigit() and int(part) < MAX_ITEMS:
                prefix = ".".join(parts[:i])
                sizes[prefix] = max(sizes.get(prefix, 0), int(part) + 1)
    return sizes


def _read_group(spec: Spec, prefix: str, raw: Raw, sizes: dict, errors: dict, blanks: dict) -> dict:
    out = {}
    for child in spec.children:
        value = _read_field(child, join(prefix, child.name), raw, sizes, errors, blanks)
        if value is not _MISSING:
            out[child.name] = value
    return out


def _read_field(spec: Spec, key: str, raw: Raw, sizes: dict, errors: dict, blanks: dict) -> Any:
    if spec.kind == GROUPE:
        value = _read_group(spec, key, raw, sizes, errors, blanks)
        return value if value or spec.required else _MISSING
    if spec.kind == LISTE:
        count = sizes.get(key, 0)
        items = []
        for i in range(count):
            item = _read_group(spec, join(key, i), raw, sizes, errors, blanks)
            if _blank(spec, item):  # added and left empty (or only its defaults): not an item yet
                blanks.setdefault(_loc(key), []).append(i)
            else:
                items.append(item)
        if items:
            return items
        if marked(raw, join(key, AUCUN)) or (not spec.nullable and (count or join(key, COUNT) in raw)):
            return []
        return _MISSING
    text = raw.get(key) or ""
    if not isinstance(text, str) or not text.strip():
        if spec.aucun and marked(raw, join(key, AUCUN)):
            return [] if spec.kind == LISTE_TEXTES or spec.multiple else False
        return _MISSING
    if spec.kind == PARAGRAPHE:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if spec.kind == TEXTE:
        return text
    try:
        value = parse(spec, text)
    except ValueError as exc:
        errors[key] = str(exc)
        return _MISSING
    if value == [] and not spec.aucun:
        return _MISSING
    return value


def _loc(key: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in key.split("."))


def _blank(spec: Spec, value: Any) -> bool:
    """Nothing typed in an item but what its fields hold by default (a select on « autre »)."""
    if spec.kind == GROUPE or (spec.kind == LISTE and isinstance(value, dict)):
        return isinstance(value, dict) and all(
            (child := spec.child(name)) is not None and _blank(child, item) for name, item in value.items()
        )
    if spec.kind == LISTE:
        return value == [] and not spec.nullable
    return spec.default is not None and value == spec.default


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:50]


def default_id(data: dict) -> str:
    """`<commune-slug>-<yyyy>`: the convention-cadre's year, else this year."""
    ville = ((data.get("collectivites") or {}).get("ville_centre") or {}).get("nom")
    signed = ((data.get("convention") or {}).get("cadre") or {}).get("date_signature")
    year = signed.year if isinstance(signed, dt.date) else dt.date.today().year
    return f"{slug(ville) if isinstance(ville, str) and slug(ville) else 'dossier'}-{year}"


def from_raw(raw: Raw) -> Conversion:
    """The form's values -> the largest valid dossier dict, and French errors by field name."""
    errors: dict[str, str] = {}
    removed: dict[tuple, list[int]] = {}  # list -> the indexes (the form's) left out of the data
    data = _read_group(root(), "", raw, list_sizes(raw), errors, removed)
    if not data.get("id"):
        data["id"] = default_id(data)
    for _ in range(100):
        try:
            return Conversion(data, errors, validate_dossier(data))
        except ValidationError as exc:
            _repair(data, exc.errors(), errors, removed)
    minimal = {"id": data["id"], "collectivites": {}}
    return Conversion(minimal, errors, validate_dossier(minimal))


# --- repairs ----------------------------------------------------------------------------------


def _original(loc: tuple, removed: dict[tuple, list[int]]) -> tuple:
    """A location in the data as repaired so far -> the same in the form's numbering."""
    out: list = []
    for part in loc:
        if isinstance(part, int):
            index = part
            for gone in sorted(removed.get(tuple(out), [])):
                if gone <= index:
                    index += 1
            out.append(index)
        else:
            out.append(part)
    return tuple(out)


def field_key(loc: tuple) -> str:
    """The name of the form's field (or group) a location falls in: `fiches_actions.0.cout`."""
    spec: Spec | None = root()
    parts: list[str] = []
    for part in loc:
        if spec is None:
            break
        if isinstance(part, int):
            if spec.kind != LISTE:
                break
            parts.append(str(part))
            continue
        child = spec.child(str(part)) if spec.kind in (GROUPE, LISTE) else None
        if child is None:
            break
        parts.append(str(part))
        spec = child
        if spec.kind not in (GROUPE, LISTE):
            break
    return ".".join(parts)


def _spec_of(loc: tuple) -> Spec | None:
    spec: Spec | None = root()
    for part in loc:
        if spec is None or isinstance(part, int):
            continue
        spec = spec.child(part) if spec.kind in (GROUPE, LISTE) else None
    return spec


def _get(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "à renseigner : cette information est obligatoire"
    if kind == "literal_error":
        return "choisissez une valeur de la liste"
    last = error["loc"][-1] if error["loc"] else ""
    if kind == "string_pattern_mismatch" and isinstance(last, str) and last.endswith("insee"):
        return "code INSEE invalide : 5 caractères (chiffres, ou 2A/2B pour la Corse)"
    message = _french(error)
    for word, french in _WORDS.items():
        message = message.replace(f"{word} :", f"{french} :")
    return message


def _repair(data: dict, problems: list[dict], errors: dict, removed: dict) -> None:
    deletions: list[tuple] = []
    for error in problems:
        loc = clean_loc(error["loc"])
        message = _message(error)
        value = _get(data, loc)
        key_loc = _truncate(loc)
        if isinstance(value, list) and "en double" in message:  # refuse_duplicates
            for index in _duplicates(value):
                deletions.append((*loc, index))
                errors.setdefault(field_key(_original((*loc, index, _key_of(value[index])), removed)), message)
            continue
        spec = _spec_of(key_loc)
        blamed = _blame(spec, value, message) if isinstance(value, dict) else None
        if blamed:
            key_loc = (*key_loc, blamed)
        errors.setdefault(field_key(_original(key_loc, removed)), message)
        deletions.append(_target(key_loc, error["type"] == "missing" and key_loc == loc))
    for loc in sorted(set(deletions), key=_order, reverse=True):
        _delete(data, loc, removed)
    _prune(root(), data)


def _prune(spec: Spec, data: dict) -> None:
    """Groups left empty by a repair are not given (`cadre: {}` would say nothing anyway)."""
    for child in spec.children:
        value = data.get(child.name)
        if child.kind == GROUPE and isinstance(value, dict):
            _prune(child, value)
            if not value and not child.required:
                del data[child.name]
        elif child.kind == LISTE and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _prune(child, item)


def _truncate(loc: tuple) -> tuple:
    """The location cut at the form's field (a geometry's coordinates belong to the geometry)."""
    key = field_key(loc)
    depth = len(key.split(".")) if key else 0
    return loc[:depth]


def _blame(spec: Spec | None, value: dict, message: str) -> str | None:
    if spec is None or spec.model is None:
        return None
    for words, name in _BLAME.get(spec.model.__name__, []):
        if words in message and name in value:
            return name
    return None


def _target(loc: tuple, missing: bool) -> tuple:
    """What to leave out: the value, or (a required value missing or wrong) what holds it."""
    if missing or _required(loc):
        while loc and not isinstance(loc[-1], int) and _required(loc) and len(loc) > 1:
            loc = loc[:-1]
    return loc


def _required(loc: tuple) -> bool:
    spec = _spec_of(loc)
    return bool(spec and spec.required)


def _key_of(item: Any) -> str:
    return next((k for k in ("id", "numero", "code_qpv") if isinstance(item, dict) and k in item), "id")


def _duplicates(items: list) -> list[int]:
    seen, later = set(), []
    for i, item in enumerate(items):
        value = item.get(_key_of(item)) if isinstance(item, dict) else None
        if value in seen:
            later.append(i)
        seen.add(value)
    return later


def _order(loc: tuple) -> tuple:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in loc)


def _delete(data: dict, loc: tuple, removed: dict) -> None:
    if not loc:
        return
    if loc == ("id",):
        data["id"] = default_id(data)
        return
    if loc == ("collectivites",):
        data["collectivites"] = {}
        return
    parent = _get(data, loc[:-1])
    last = loc[-1]
    if isinstance(last, int) and isinstance(parent, list) and last < len(parent):
        removed.setdefault(_original(loc[:-1], removed), []).append(_original(loc, removed)[-1])
        del parent[last]
        spec = _spec_of(loc[:-1])
        if not parent and spec is not None and spec.nullable:  # all its items were wrong: not « aucun »
            holder = _get(data, loc[:-2])
            if isinstance(holder, dict):
                holder.pop(loc[-2], None)
    elif isinstance(parent, dict):
        parent.pop(last, None)
