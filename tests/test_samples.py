"""The bundled samples: expected verdicts, and both engines agree on every finding."""

import pytest

from instruct.check import check_dossier
from instruct.loader import load

from conftest import EVALUATION_DATE, SAMPLES

EXPECTED = {"villebelle": "recevable", "montclair": "incomplet", "saint-aubin": "non_recevable"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_verdict_and_engines_agree(name, catalogue, sample_referentiel):
    dossier = load(SAMPLES / name).dossier
    reports = {
        engine: check_dossier(dossier, catalogue, EVALUATION_DATE, referentiel=sample_referentiel, engine=engine)
        for engine in ("durable", "python")
    }
    assert reports["durable"].rulesets["PROG"].verdict == EXPECTED[name]
    durable = sorted(f.comparable() for f in reports["durable"].findings)
    python = sorted(f.comparable() for f in reports["python"].findings)
    assert durable == python
    # the whole report, messages and evidence included, is the same
    assert [f.__dict__ for f in reports["durable"].findings] == [f.__dict__ for f in reports["python"].findings]


def test_every_sample_directory_is_covered():
    folders = {p.name for p in SAMPLES.iterdir() if (p / "dossier.yaml").exists()}
    assert folders == set(EXPECTED)


def test_non_compliant_sample_names_its_gaps(catalogue, sample_referentiel):
    report = check_dossier(load(SAMPLES / "saint-aubin").dossier, catalogue, EVALUATION_DATE, referentiel=sample_referentiel)
    gaps = {(f.rule, f.entity.id) for f in report.findings if f.status == "non_conforme"}
    assert ("PROG-02", "anah") in gaps  # missing signatory
    assert ("PROG-07", "dossier") in gaps and ("PROG-08", "dossier") in gaps  # late avenant
    assert ("PROG-15", "SA-01") in gaps and ("PROG-15", "1") in gaps  # budgets that do not add up
    assert ("PROG-22", "SA-02") in gaps  # action outside the périmètre
    assert ("PROG-12", "secteur_gare") in gaps
    outside = next(f for f in report.findings if f.rule == "PROG-12" and f.entity.id == "secteur_gare")
    assert "50,00 %" in outside.message  # the secteur sticks out by half its area


def test_incomplete_sample_says_what_is_missing(catalogue):
    report = check_dossier(load(SAMPLES / "montclair").dossier, catalogue, EVALUATION_DATE)
    by_key = {(f.rule, f.entity.id): f for f in report.findings}
    perimetres = by_key[("PROG-05", "dossier")]
    assert perimetres.status == "incomplet"
    assert {e["path"] for e in perimetres.evidence if e.get("missing")} == {"perimetres.etude", "perimetres.intervention"}
    # without a referentiel the commune is "to check", never guessed
    assert by_key[("PROG-01", "dossier")].status == "a_verifier"
    # 8 months after the convention, no avenant yet: within the 18 months
    assert by_key[("PROG-07", "dossier")].status == "conforme"
