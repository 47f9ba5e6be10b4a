"""Whatever is typed, the form gives a dossier that can be evaluated: random values, deleted
fields, forged list sizes and list actions on the samples' form values never raise, every error
is French and names a field of the form, every step's page builds, and the export reads back."""

from __future__ import annotations

from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instruct.documents.load import load
from instruct.form import STEPS, ActionError, apply, build, dump_yaml, to_raw, validated
from instruct.form.schema import spec_at
from instruct.model.dossier import Dossier
from instruct.yamlio import parse

RAWS = {
    name: to_raw(parse((SAMPLES / name / "dossier.yaml").read_text(encoding="utf-8"), name))
    for name in ("villebelle", "saint-aubin", "montclair")
}
TYPED = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "oui", "non", "on", "31/02/2020", "2019-06-15", "1 234,50", "-3", "1e9", "{}", "[]"]),
    st.sampled_from(['{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}', "null", "0", "99"]),
)
ENGLISH = ("Input should", "Field required", "value is not", "Value error", "Extra inputs")


@st.composite
def typed_forms(draw):
    raw = dict(RAWS[draw(st.sampled_from(sorted(RAWS)))])
    keys = sorted(raw)
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()):
            raw[key] = draw(TYPED)
        else:
            raw.pop(key, None)
    for _ in range(draw(st.integers(0, 2))):
        prefix = draw(st.sampled_from(["fiches_actions", "convention.avenants", "immeubles", "quartiers", "axes"]))
        raw[f"{prefix}.__nombre"] = draw(st.sampled_from(["0", "1", "7", "x", "-1"]))
    for _ in range(draw(st.integers(0, 2))):
        verb = draw(st.sampled_from(["ajouter", "supprimer", "monter", "descendre"]))
        target = draw(st.sampled_from(["fiches_actions", "fiches_actions.0", "fiches_actions.1", "immeubles.0", "x.1"]))
        try:
            raw = apply(raw, f"{verb}:{target}")
        except ActionError as exc:
            assert str(exc) and not any(word in str(exc) for word in ENGLISH)
    return raw


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=typed_forms())
def test_whatever_is_typed_the_form_gives_a_dossier(raw, tmp_path_factory):
    dossier, errors = validated(raw)
    assert isinstance(dossier, Dossier)
    for name, message in errors.items():
        assert spec_at(name) is not None, name
        assert message and not any(word in message for word in ENGLISH), message
    for step in STEPS:
        build(step.slug, raw, errors)
    path = tmp_path_factory.mktemp("export") / "dossier.yaml"
    path.write_text(dump_yaml(dossier), encoding="utf-8")
    assert load(path).dossier == dossier
