"""One vocabulary: the enumerations are the strings reports already hold, every label is French,
a partner has one spelling that every entry point reaches from either, the trame and axes
tables agree with the model and the reader, and french.py reads dates and amounts."""

import datetime as dt
import json
import subprocess
from decimal import Decimal

import pytest
from conftest import EVALUATION_DATE, ROOT, SAMPLES, acv_command

from instruct.documents.load import load
from instruct.documents.read import Block, PieceText
from instruct.documents.sections import trame
from instruct.engine.check import check_dossier
from instruct.french import ISO, find_amount, parse_amount, parse_date
from instruct.model.dossier import ContenuAvenant, TrameConvention
from instruct.reports import json as report_json
from instruct.reports.text import STATUS_LABEL, VERDICTS
from instruct.vocabulary import (
    AXES_PROGRAMME,
    TRAME_AVENANT_PARTIES,
    TRAME_CONVENTION_PARTIES,
    Etape,
    EtatDossier,
    Gravite,
    Partenaire,
    Statut,
    Verdict,
    canonical_partner,
    titres_pieces,
)


def test_enum_values_are_the_strings_of_the_json_report(catalogue, sample_referentiel):
    report = check_dossier(
        load(SAMPLES / "belcastel").dossier, catalogue, EVALUATION_DATE, referentiel=sample_referentiel
    )
    data = json.loads(report_json.render(report))
    for ruleset in [*data["rulesets"].values(), *data["entities"]]:
        assert list(ruleset["counts"]) == [s.value for s in Statut]
        assert ruleset["verdict"] in {v.value for v in Verdict}
    findings = data["findings"]
    assert {f["status"] for f in findings} <= {s.value for s in Statut}
    assert {f["severity"] for f in findings} <= {g.value for g in Gravite}
    assert Statut.A_VERIFIER == "a_verifier" and json.dumps(Verdict.NON_RECEVABLE) == '"non_recevable"'


@pytest.mark.parametrize("enum", [Statut, Gravite, Verdict, Etape, Partenaire, EtatDossier])
def test_every_member_has_a_french_label(enum):
    for member in enum:
        label = member.libelle
        assert label and "_" not in label and label == label.strip(), f"{member!r} : {label!r}"
    assert Statut.A_VERIFIER.libelle == "à vérifier" and Etape.DEPLOIEMENT.libelle == "déploiement"
    assert Verdict.NON_RECEVABLE.libelle == "non recevable" and EtatDossier.SANS_SUITE.libelle == "classé sans suite"


def test_report_labels_come_from_the_vocabulary():
    assert STATUS_LABEL == {
        "conforme": "conforme",
        "non_conforme": "NON CONFORME",
        "incomplet": "INCOMPLET",
        "a_verifier": "À VÉRIFIER",
        "non_applicable": "non applicable",
    }
    assert VERDICTS == {
        "sans_objet": "AUCUN POINT APPLICABLE",
        "recevable": "RECEVABLE",
        "a_corriger": "À CORRIGER",
        "incomplet": "INCOMPLET",
        "non_recevable": "NON RECEVABLE",
    }


def test_rule_sets_and_checklists_name_partners_of_the_vocabulary(catalogue):
    assert {rs.partenaire for rs in catalogue.rulesets.values()} <= {p.value for p in Partenaire}
    for path in (ROOT / "checklists").glob("*-*.md"):
        partner, _, stage = path.stem.rpartition("-")
        assert partner in {p.value for p in Partenaire} and stage in {e.value for e in Etape}, path.name


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("action_logement", "action-logement"),
        ("Action-Logement", "action-logement"),
        (" anah ", "anah"),
        ("AL-V", "al-v"),  # a rule set code is left to the catalogue
        ("inconnu", "inconnu"),
    ],
)
def test_canonical_partner(typed, canonical):
    assert canonical_partner(typed) == canonical


def _acv(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([*acv_command(), *args], input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_cli_takes_both_spellings_and_stores_one(tmp_path):
    base = f"sqlite:///{tmp_path / 'comptes.sqlite3'}"
    for login, spelling in (("al-tiret", "action-logement"), ("al-souligne", "action_logement")):
        done = _acv(
            "users", "create", login, "--role", "instructeur", "--partenaire", spelling,
            "--territoire", "dep:01", "--base", base, stdin="un-long-mot-de-passe\n",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    done = _acv("users", "create", "x-inconnu", "--role", "instructeur", "--partenaire", "logement",
                "--territoire", "dep:01", "--base", base, stdin="un-long-mot-de-passe\n")  # fmt: skip
    assert done.returncode == 2 and "action-logement, anah, anru, ddt" in done.stderr
    listing = _acv("users", "list", "--base", base).stdout.splitlines()
    assert sorted(line.split()[2] for line in listing) == ["action-logement", "action-logement"]


def test_checklist_takes_both_spellings():
    hyphen = _acv("checklist", "--partenaire", "action-logement", "--etape", "operateur", "--date", "2026-11-26")
    underscore = _acv("checklist", "--partenaire", "action_logement", "--etape", "operateur", "--date", "2026-11-26")
    assert hyphen.returncode == underscore.returncode == 0, underscore.stderr
    assert underscore.stdout == hyphen.stdout and "— action-logement" in hyphen.stdout


def test_the_trame_tables_are_the_model_s_fields_and_pieces_keep_their_headings():
    assert [p.code for p in TRAME_CONVENTION_PARTIES] == list(TrameConvention.model_fields)
    assert [p.code for p in TRAME_AVENANT_PARTIES] == list(ContenuAvenant.model_fields)
    assert titres_pieces("convention_cadre", annexes=True) == {"annexe_fiches_matures": "Fiches actions matures"}
    assert list(titres_pieces("convention_cadre", annexes=False))[4:6] == [
        "phase_initialisation",
        "duree_evolution_fonctionnement",
    ]
    assert [a.numero for a in AXES_PROGRAMME] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("parties", [TRAME_CONVENTION_PARTIES, TRAME_AVENANT_PARTIES])
def test_the_reader_recognises_every_part_as_the_pieces_write_it(parties):
    lines = [f"{'Annexe' if p.annexe else 'Article'} {n} – {p.titre_piece}" for n, p in enumerate(parties, 1)]
    piece = PieceText("piece.docx", "docx", [Block("\n".join(lines), "page 1")])
    assert list(trame(piece, parties)) == [p.code for p in parties]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-26", dt.date(2026, 11, 26)),
        (" 26/11/2026 ", dt.date(2026, 11, 26)),
        ("1/2/2019", dt.date(2019, 2, 1)),
        ("26.11.2026", dt.date(2026, 11, 26)),
        (dt.date(2020, 1, 1), dt.date(2020, 1, 1)),
        ("26-11-2026", "date invalide « 26-11-2026 » : attendu AAAA-MM-JJ, JJ/MM/AAAA ou JJ.MM.AAAA"),
        ("31/02/2026", "date invalide « 31/02/2026 » : ce jour n'existe pas"),
        ("demain", "date invalide « demain » : attendu AAAA-MM-JJ, JJ/MM/AAAA ou JJ.MM.AAAA"),
    ],
)
def test_parse_date(text, expected):
    if isinstance(expected, str):
        with pytest.raises(ValueError) as error:
            parse_date(text)
        assert str(error.value) == expected
    else:
        assert parse_date(text) == expected


def test_parse_date_iso_only_names_the_one_form():
    with pytest.raises(ValueError, match="attendu AAAA-MM-JJ$"):
        parse_date("26/11/2026", ISO)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 234 567,50", "1234567.50"),
        ("1.234.567,50 €", "1234567.50"),
        ("4 180 000 €", "4180000.00"),
        ("4\xa0180\u202f000,5 euros", "4180000.50"),
        ("32 k€", "32000.00"),
        ("1,2 M€", "1200000.00"),
        ("12", "12.00"),
        ("1 23,5", "montant invalide « 1 23,5 »"),
        ("12 dollars", "montant invalide « 12 dollars »"),
        ("deux euros", "montant invalide « deux euros »"),
    ],
)
def test_parse_amount(text, expected):
    if expected.startswith("montant"):
        with pytest.raises(ValueError, match=expected + " : attendu par exemple"):
            parse_amount(text)
    else:
        assert parse_amount(text) == Decimal(expected)


def test_find_amount_reads_the_first_amount_with_a_unit_in_prose():
    assert find_amount("En 2019, 12 actions pour 1 234 567,50 € TTC") == Decimal("1234567.50")
    assert find_amount("12 actions en 2019") is None


def test_names_compare_without_accents_case_or_spacing():
    from instruct.french import name_key

    assert name_key("Etat (DSIL)") == name_key("État  (dsil)")
    assert name_key("Communauté d’agglomération du Val-de-Belle") == name_key(
        "communaute d'agglomeration du val de belle"
    )
    assert name_key("Anah") != name_key("ANRU")
