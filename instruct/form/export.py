"""A dossier -> the dossier.yaml `acv check` reads back to the same Dossier: French keys in the
model's order, amounts exact, dates ISO, nothing said twice (no `null`, no empty list that only
repeats the default), geometries' coordinates on one line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml

from instruct.form.schema import GROUPE, LISTE, Spec, root
from instruct.model.dossier import Dossier
from instruct.model.validation import validate_dossier


class _Flow(list):
    """A list written on one line (a geometry's coordinates)."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml when there
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    """1430000.00 -> 1430000, 1234567.5 -> 1234567.50, 0.125 -> 0.125: the same however it was typed."""
    if value == value.to_integral_value():
        text = format(value.to_integral_value(), "f")
    elif value == value.quantize(Decimal("0.01")):
        text = format(value.quantize(Decimal("0.01")), "f")
    else:
        text = format(value.normalize(), "f")
    if "." not in text:
        return dumper.represent_scalar("tag:yaml.org,2002:int", text)
    if Decimal(repr(float(text))) == value:  # read back exactly as a YAML float
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    return dumper.represent_str(text)  # too many digits for a float: text, which the model reads exactly


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp", v.isoformat()))


def _clean(spec: Spec, value: Any) -> Any:
    if spec.kind == GROUPE and isinstance(value, dict):
        return _group(spec, value)
    if spec.kind == LISTE and isinstance(value, list):
        return [_group(spec, item) if isinstance(item, dict) else item for item in value]
    if spec.kind == "geometrie" and isinstance(value, dict):
        return {k: (_Flow(v) if k == "coordinates" else v) for k, v in value.items() if v is not None}
    return value


def _group(spec: Spec, value: dict) -> dict:
    out = {}
    for child in spec.children:
        item = value.get(child.name)
        if item is None:
            continue
        if item == [] and not child.nullable:  # the default: [] says nothing more than absent
            continue
        out[child.name] = _clean(child, item)
    return out


def dump_yaml(dossier: Dossier | dict) -> str:
    """The dossier.yaml of a Dossier (or of a dossier dict, validated first: pydantic's
    ValidationError if it is not a dossier)."""
    if not isinstance(dossier, Dossier):
        dossier = validate_dossier(dossier)
    data = _group(root(), dossier.model_dump())
    commune = dossier.collectivites.ville_centre.nom if dossier.collectivites.ville_centre else None
    header = f"# Dossier Action Cœur de Ville{' — ' + commune if commune else ''}\n"
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    return header + body
