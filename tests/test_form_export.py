"""The dossier.yaml the form exports: read back by the loader `acv check` uses to the same
Dossier, with the same findings; readable (model order, ISO dates, exact amounts, no null)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import EVALUATION_DATE, SAMPLES

from instruct.documents.load import load
from instruct.engine.check import check_dossier
from instruct.form import dump_yaml, to_raw, validated
from instruct.model.dossier import Dossier
from instruct.yamlio import parse, read_text

SAMPLE_FILES = sorted(SAMPLES.glob("*/dossier.yaml")) + sorted(SAMPLES.glob("*.yaml"))


def _reload(text: str, tmp_path) -> Dossier:
    path = tmp_path / "dossier.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path).dossier


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_the_export_of_every_sample_reads_back_the_same(path, tmp_path):
    original = Dossier.model_validate(parse(read_text(path), str(path)))
    dossier, errors = validated(to_raw(original))
    text = dump_yaml(dossier)
    assert errors == {} and _reload(text, tmp_path) == original
    assert "null" not in text and "!!" not in text
    assert dump_yaml(original.model_dump(mode="json")) == text  # from a dict as from a Dossier


def test_the_export_is_readable_and_exact(tmp_path):
    raw = {
        "collectivites.ville_centre.nom": "Villebelle",
        "collectivites.ville_centre.insee": "99101",
        "convention.cadre.date_signature": "28/09/2018",
        "convention.cadre.signataires.__aucun": "on",
        "fiches_actions.0.id": "FA-01",
        "fiches_actions.0.intitule": "true",
        "fiches_actions.0.cout": "1 234 567,89",
        "indicateurs.0.nom": "Part",
        "indicateurs.0.type": "resultats",
        "indicateurs.0.valeur_cible": "0,123456789012345678",
        "sujets_transversaux.innovation": "Deux lignes\r\net une autre : « oui »",
        "immeubles.0.id": "halles",
        "immeubles.0.travaux.parties_communes.__aucun": "on",
    }
    dossier, errors = validated(raw)
    assert errors == {}
    text = dump_yaml(dossier)
    back = _reload(text, tmp_path)
    assert back == dossier
    assert back.fiches_actions[0].cout == Decimal("1234567.89") and back.fiches_actions[0].intitule == "true"
    assert back.indicateurs[0].valeur_cible == Decimal("0.123456789012345678")
    assert back.convention.cadre.signataires == [] and back.immeubles[0].travaux.parties_communes is False
    assert back.convention.cadre.date_signature == dt.date(2018, 9, 28)
    lines = text.splitlines()
    assert lines[0] == "# Dossier Action Cœur de Ville — Villebelle"
    assert [line.split(":")[0] for line in lines if line and not line.startswith((" ", "#", "-"))] == [
        "id",
        "fictif",
        "collectivites",
        "convention",
        "sujets_transversaux",
        "fiches_actions",
        "indicateurs",
        "immeubles",
    ]
    assert "    date_signature: 2018-09-28" in lines and "  cout: 1234567.89" in lines
    assert "    signataires: []" in lines and "  innovation: |-" in lines
    assert "null" not in text and "pieces" not in text  # an empty list that only repeats the default


def test_the_export_gives_the_same_findings(catalogue, tmp_path):
    loaded = load(SAMPLES / "villebelle" / "dossier.yaml")
    dossier, _ = validated(to_raw(loaded.dossier))
    again = _reload(dump_yaml(dossier), tmp_path)
    before = check_dossier(loaded.dossier, catalogue, EVALUATION_DATE, engine="python")
    after = check_dossier(again, catalogue, EVALUATION_DATE, engine="python")
    assert [f.comparable() for f in after.findings] == [f.comparable() for f in before.findings]
