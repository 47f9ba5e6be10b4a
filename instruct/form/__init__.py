"""The guided form of a dossier, generated from the dossier model: its steps, the groups and
fields a step shows (French labels, help, choices), the values as typed <-> a dossier (French
amounts and dates, errors beside their field, a partial dossier that can always be evaluated),
list actions, the labels of the paths findings cite, and the dossier.yaml it exports. Pure
Python: the web pages (service.form_pages) are built on it.

- schema: the form's shape read from the model (kinds of inputs, labels, « aucun » answers);
- labels: the French labels of choices and list items; values: one value read and written;
- raw: form values <-> dossier dict, partial validation; actions: add/remove/move list items;
- steps: the steps and the tree of a step (`build`); paths: evidence paths -> labels, steps, ids;
- export: the dossier.yaml; geofiles, geoshapes: geometry files (GeoJSON, KML, Shapefile) read;
  carte: what the périmètres' map shows beside a field.

May import: instruct (the common modules), model, documents.
"""

from collections.abc import Iterable

from instruct.form.actions import ActionError, apply
from instruct.form.export import dump_yaml
from instruct.form.paths import anchor_of, key_of, label_of, step_of
from instruct.form.raw import AUCUN, COUNT, Conversion, Raw, default_id, from_raw, to_raw, unknown_fields
from instruct.form.steps import STEPS, Champ, Etape, Groupe, Node, build, build_at, merge_step, step_keys
from instruct.model.dossier import Dossier

__all__ = [
    "AUCUN",
    "COUNT",
    "STEPS",
    "ActionError",
    "Champ",
    "Conversion",
    "Etape",
    "Groupe",
    "Node",
    "Raw",
    "anchor_of",
    "apply",
    "build",
    "build_at",
    "default_id",
    "dump_yaml",
    "from_raw",
    "key_of",
    "label_of",
    "merge_step",
    "raw_from_form",
    "step_keys",
    "step_of",
    "to_raw",
    "unknown_fields",
    "validated",
]


def validated(raw: Raw) -> tuple[Dossier, dict[str, str]]:
    """The form's values -> (a Dossier that always validates, French errors by field name)."""
    conversion = from_raw(raw)
    return conversion.dossier, conversion.errors


def raw_from_form(items: Iterable[tuple[str, object]]) -> Raw:
    """A posted form's (name, value) pairs -> Raw: a name sent several times (checked boxes of a
    multiple choice) gives its values one per line."""
    raw: Raw = {}
    for name, value in items:
        if not isinstance(value, str):
            continue
        raw[name] = f"{raw[name]}\n{value}" if name in raw else value
    return raw
