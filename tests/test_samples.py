"""The bundled samples: expected verdicts, and both engines agree on every finding."""

import pytest
from conftest import EVALUATION_DATE, SAMPLES

from instruct.documents.load import load
from instruct.engine.check import check_dossier

EXPECTED = {
    "villebelle": "recevable",
    "montclair": "incomplet",
    "saint-aubin": "non_recevable",
    "belcastel": "recevable",
    "ort-sans-ville-principale.yaml": "incomplet",
}  # PROG verdict; its point is the ORT (below)


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


def test_every_sample_is_covered():
    found = {p.name for p in SAMPLES.iterdir() if (p / "dossier.yaml").exists() or p.suffix == ".yaml"}
    assert found == set(EXPECTED)


def test_non_compliant_sample_names_its_gaps(catalogue, sample_referentiel):
    report = check_dossier(
        load(SAMPLES / "saint-aubin").dossier, catalogue, EVALUATION_DATE, referentiel=sample_referentiel
    )
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
    assert {e["path"] for e in perimetres.evidence if e.get("missing")} == {
        "perimetres.etude",
        "perimetres.intervention",
    }
    # without a referentiel the commune is "to check", never guessed
    assert by_key[("PROG-01", "dossier")].status == "a_verifier"
    # 8 months after the convention, no avenant yet: within the 18 months
    assert by_key[("PROG-07", "dossier")].status == "conforme"


def test_action_logement_sample_screens_each_immeuble(catalogue, sample_referentiel):
    report = check_dossier(
        load(SAMPLES / "belcastel").dossier,
        catalogue,
        EVALUATION_DATE,
        referentiel=sample_referentiel,
        partenaires=["action-logement"],
    )
    assert list(report.rulesets) == ["AL-V", "AL-O", "X"]  # coherence comes with its related partner
    verdicts = {e.id: e.verdict for e in report.entities}
    assert verdicts == {
        "IMM-01": "recevable",
        "IMM-02": "non_recevable",
        "IMM-03": "non_recevable",
        "IMM-04": "non_recevable",
        "IMM-05": "non_recevable",
        "IMM-06": "non_recevable",
    }
    gaps = {
        (f.rule, f.check, f.entity.id, f.status) for f in report.findings if f.status in {"non_conforme", "incomplet"}
    }
    assert ("AL-O-10", None, "IMM-02", "non_conforme") in gaps  # owns 6 of 9 logements
    assert ("AL-O-11", None, "IMM-03", "non_conforme") in gaps and ("X-01", None, "IMM-03", "non_conforme") in gaps
    assert ("AL-O-14", "plafond_m2", "IMM-04", "non_conforme") in gaps
    assert ("AL-O-14", "subvention_logement", "IMM-04", "non_conforme") in gaps
    assert ("AL-O-09", "prix_de_revient", "IMM-05", "non_conforme") in gaps  # its postes exceed the prix de revient
    plan = [f for f in report.findings if f.rule == "AL-O-09" and f.check == "plan_de_financement"]
    assert [f.entity.id for f in plan if f.status == "a_verifier"] == ["IMM-05"]  # falls short: the délégation judges
    assert ("AL-V-03", "cadastre", "IMM-06", "incomplet") in gaps and (
        "AL-V-03",
        "operateur",
        "IMM-06",
        "incomplet",
    ) in gaps
    assert not [g for g in gaps if g[2] == "IMM-01"]
    cap = next(
        f for f in report.findings if f.rule == "AL-O-14" and f.check == "plafond_m2" and f.entity.id == "IMM-04"
    )
    # the figures behind the outcome: request, surface, cap per m² at the date, excess in euros
    nbsp = "\u202f"  # French thousands separator (narrow no-break space)
    assert f"400{nbsp}000,00 €" in cap.message and "300 m²" in cap.message and f"1{nbsp}000,00 €/m²" in cap.message
    assert f"dépassement 100{nbsp}000,00 €" in cap.message
    assert cap.parameters[0]["name"] == "al.plafond_m2" and cap.parameters[0]["since"] == "2018-03-27"


@pytest.mark.parametrize(
    "name, expected",
    [
        (
            "villebelle",
            {
                "PROG": "recevable",
                "AL-V": "sans_objet",  # no immeuble proposed: nothing applied, not recevable
                "AL-O": "sans_objet",
                "ANAH": "recevable",
                "ANRU": "recevable",
                "ORT": "recevable",
                "X": "recevable",
            },
        ),
        # Anah: only majeur non conformes, nothing missing -> à corriger (issue 18: it said incomplet)
        ("saint-aubin", {"ANAH": "a_corriger", "ANRU": "non_recevable", "X": "non_recevable"}),
        ("montclair", {"ANAH": "a_corriger"}),
        ("ort-sans-ville-principale.yaml", {"ORT": "non_recevable"}),
    ],
)
def test_partner_verdicts(name, expected, catalogue, sample_referentiel):
    loaded = load(SAMPLES / name)  # with its pieces: checked alone, its declared pieces are not examined
    report = check_dossier(
        loaded.dossier, catalogue, EVALUATION_DATE, referentiel=sample_referentiel, documents=loaded.documents
    )
    assert {code: report.rulesets[code].verdict for code in expected} == expected


def test_npnru_overlap_and_double_financing_are_named(catalogue, sample_referentiel):
    report = check_dossier(
        load(SAMPLES / "saint-aubin").dossier, catalogue, EVALUATION_DATE, referentiel=sample_referentiel
    )
    by_key = {(f.rule, f.check, f.entity.id): f for f in report.findings}
    overlap = by_key[("ANRU-02", None, "QP099001")]
    assert (
        overlap.status == "non_conforme" and "100,00 %" in overlap.message
    )  # the quartier lies wholly in the périmètre
    twice = by_key[("ANRU-03", None, "SA-04")]
    assert twice.status == "non_conforme" and "150\u202f000,00 €" in twice.message
    assert by_key[("X-03", "fiche", "SA-04")].status == "non_conforme"
    # a prolongation is possible, not required (guide): an OPAH-RU ending first is a point to judge
    assert by_key[("ANAH-04", "prolongation", "opah-ru-forges")].status == "a_verifier"
    assert by_key[("ANAH-02", None, "anah")].status == "non_applicable"


def test_a_rule_with_nothing_to_examine_says_where_it_looked(catalogue, sample_referentiel):
    report = check_dossier(
        load(SAMPLES / "villebelle").dossier, catalogue, EVALUATION_DATE, referentiel=sample_referentiel
    )
    finding = next(f for f in report.findings if f.rule == "AL-O-01")
    assert finding.status == "non_applicable" and finding.entity.type == "dossier"
    assert finding.evidence == [{"field": "immeuble", "label": "immeubles", "path": "immeubles", "value": "aucun"}]
