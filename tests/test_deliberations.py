"""Extracts of délibérations as towns write them, made here (DOCX with python-docx, PDF with
pypdf): the council that met, the date of its séance, what it approves, who signed the extract
and when; and the délibérations of the convention-cadre filled in the dossier from them."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import make_docx, make_pdf

from instruct.documents import extract
from instruct.documents.deliberations import number_words
from instruct.documents.evidence import SURE
from instruct.documents.fill import fill
from instruct.documents.read import read_piece_isolated
from instruct.documents.reconcile import read_files

HEADER = ["RÉPUBLIQUE FRANÇAISE", "COMMUNE DE KERBRIVAN", "Extrait du registre des délibérations du conseil municipal"]
OBJET_CADRE = "Objet : Action Cœur de Ville – approbation de la convention-cadre et autorisation de signature"
BODY = [
    "Vu le code général des collectivités territoriales ;",
    "Le conseil municipal, après en avoir délibéré, à l'unanimité :",
    "– APPROUVE les termes de la convention annexée ;",
    "– AUTORISE Monsieur le Maire à la signer.",
]


def reading(path, kind="deliberation", ville=None):
    return extract.read(read_piece_isolated(path), kind, ville)


def signer(r):
    [party] = r.signatures
    return party.role, party.nom, party.quote.sure and party.nom_confidence >= SURE


def test_a_seance_in_words_and_a_fait_a_date(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        HEADER
        + [
            "L'an deux mille dix-huit, le vingt-cinq septembre, à dix-neuf heures, le conseil municipal, "
            "légalement convoqué, s'est réuni sous la présidence de M. Éric RIVOALLAN, maire.",
            OBJET_CADRE,
            *BODY,
            "Fait à Kerbrivan, le 28 septembre 2018",
            "Le Maire,",
            "Éric RIVOALLAN",
        ],
    )
    r = reading(path)
    said = r.deliberation
    assert said.organe[0] == "commune" and said.organe[1].sure
    assert said.seance[0] == dt.date(2018, 9, 25) and said.seance[1].sure
    assert "vingt-cinq septembre" in said.seance[1].text
    assert said.objet[0] == "convention_cadre" and said.objet[1].sure and said.numero is None
    assert r.date_signature[0] == dt.date(2018, 9, 28) and r.date_signature[1].sure  # the extract, not the séance
    assert signer(r) == ("ville_centre", "Éric RIVOALLAN", True)
    assert r.signatures[0].organisme == "Commune de Kerbrivan"


def test_a_communautaire_deliberation_signed_the_day_of_its_seance(tmp_path):
    path = make_pdf(
        tmp_path / "deliberation-communautaire.pdf",
        [
            "MONTREVAL MÉTROPOLE\n"
            "Extrait du registre des délibérations\n"
            "Le 29/11/2018, le conseil communautaire, dûment convoqué, s'est réuni à l'hôtel de la Métropole.\n"
            "Objet : approbation de la convention-cadre Action Cœur de Ville\n"
            "Le conseil, après en avoir délibéré, APPROUVE la convention.\n"
            "Fait et délibéré les jour, mois et an susdits.\n"
            "Le Président,\n"
            "Bruno PERRAUDIN"
        ],
    )
    r = reading(path)
    assert r.deliberation.organe[0] == "intercommunalite" and r.deliberation.organe[1].sure
    assert r.deliberation.seance[0] == dt.date(2018, 11, 29)
    day, quote = r.date_signature
    assert day == dt.date(2018, 11, 29) and quote.sure and "susdits" in quote.text
    assert signer(r) == ("intercommunalite", "Bruno PERRAUDIN", True)


def test_signed_by_delegation_an_avenant_approved(tmp_path):
    path = make_docx(
        tmp_path / "deliberation-avenant.docx",
        HEADER
        + [
            "Séance du 12.10.2020",
            "Objet : Action Cœur de Ville – approbation de l'avenant n° 2 à la convention-cadre",
            *BODY,
            "Pour extrait certifié conforme,",
            "à Kerbrivan, le 14/10/2020",
            "Pour le Maire et par délégation,",
            "L'Adjoint délégué,",
            "M. Jean LE GALL",
        ],
    )
    r = reading(path)
    assert r.deliberation.objet[0] == "avenant" and r.deliberation.numero == 2
    assert r.deliberation.seance[0] == dt.date(2020, 10, 12)
    assert r.date_signature[0] == dt.date(2020, 10, 14) and r.date_signature[1].sure
    assert signer(r) == ("ville_centre", "Jean LE GALL", True)


def test_the_convention_d_ort_approved(tmp_path):
    path = make_docx(
        tmp_path / "deliberation-ort.docx",
        HEADER + ["Séance du 3 juillet 2019", "Objet : convention d'opération de revitalisation de territoire (ORT)"],
    )
    r = reading(path)
    assert r.deliberation.objet[0] == "ort"
    assert r.signatures is None and r.date_signature is None  # no signature block: nothing, never a default


def test_two_dates_of_seance_that_disagree_are_only_a_proposal(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        HEADER
        + [
            "Séance du 25 septembre 2018",
            "L'an deux mille dix-huit, le vingt-six septembre, le conseil municipal s'est réuni.",
            OBJET_CADRE,
        ],
    )
    day, quote = reading(path).deliberation.seance
    assert not quote.sure


def test_a_date_of_transmission_is_not_the_date_of_signature(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        HEADER
        + [
            "Séance du 25 septembre 2018",
            OBJET_CADRE,
            "Certifié exécutoire, transmis en préfecture le 2 octobre 2018",
            "Le Maire,",
            "Éric RIVOALLAN",
        ],
    )
    r = reading(path)
    assert r.date_signature is not None and not r.date_signature[1].sure


def test_a_president_signing_for_a_conseil_municipal_is_to_check(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        HEADER
        + ["Séance du 25 septembre 2018", OBJET_CADRE, "Fait à Kerbrivan, le 26 septembre 2018", "Le Président,"],
    )
    [party] = reading(path).signatures
    assert party.nom is None and not party.quote.sure


def test_a_deliberation_of_another_town_is_not_the_ville_centre(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        HEADER
        + [
            "Séance du 25 septembre 2018",
            OBJET_CADRE,
            "Fait à Kerbrivan, le 26 septembre 2018",
            "Le Maire,",
            "Éric RIVOALLAN",
        ],
    )
    [other] = reading(path, ville="Lauzac").signatures
    assert other.role == "autre_commune" and not other.quote.sure  # or a header misread: to check
    assert reading(path, ville="Kerbrivan").signatures[0].role == "ville_centre"
    for ville, filled in (("Lauzac", None), ("Kerbrivan", [{"organe": "commune", "date": "2018-09-25"}])):
        data = {"convention": {"cadre": {}}}
        fill(data, read_files([path], [], ville))
        assert data["convention"]["cadre"].get("deliberations") == filled


@pytest.mark.parametrize(
    "line",
    [
        "Séance du mardi 25 septembre 2018",
        "Séance du conseil municipal du 25/09/2018",
        "Conseil municipal du 25 septembre 2018",
        "Le vingt-cinq septembre deux mille dix-huit, à dix-neuf heures, le conseil municipal s'est réuni.",
        "Convocation du 18/09/2018 – le conseil municipal, légalement convoqué, s'est réuni le 25/09/2018.",
        "L'an deux mil dix-huit et le mardi vingt-cinq du mois de septembre, le conseil municipal s'est réuni.",
        "1'an deux mille dix-huit, Ie vingt-cinq septembre, Ie conseil municipal s'est réuni.",  # OCR noise
    ],
)
def test_the_seance_as_towns_write_it(tmp_path, line):
    path = make_docx(tmp_path / "deliberation.docx", HEADER[:2] + [line, OBJET_CADRE])
    day, quote = reading(path).deliberation.seance
    assert day == dt.date(2018, 9, 25) and quote.sure and quote.text.endswith(line[-30:])


def test_a_signature_drawn_in_a_table_the_name_above_the_title(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        HEADER + ["Séance du 25 septembre 2018", OBJET_CADRE, "Pour extrait conforme, à Kerbrivan, le 27/09/2018"],
        tables=[[("Le secrétaire de séance,\nJean MARTIN", "Éric RIVOALLAN\nMaire de Kerbrivan")]],
    )
    r = reading(path)
    assert r.date_signature[0] == dt.date(2018, 9, 27)
    assert signer(r) == ("ville_centre", "Éric RIVOALLAN", True)
    assert r.signatures[0].qualite == "Maire de Kerbrivan"


@pytest.mark.parametrize(
    ("words", "value"),
    [("deux mille dix-huit", 2018), ("deux mil vingt", 2020), ("vingt et un", 21), ("premier", 1), ("trente", 30)],
)
def test_numbers_in_words(words, value):
    assert number_words(words) == value


# --- the délibérations of the convention-cadre, filled from the pieces ---------------------------


def deliberation_pieces(tmp_path, seance_commune="Séance du 25 septembre 2018"):
    commune = make_docx(
        tmp_path / "deliberation-commune.docx",
        HEADER
        + [seance_commune, OBJET_CADRE, *BODY, "Fait à Kerbrivan, le 26 septembre 2018", "Le Maire,", "Éric RIVOALLAN"],
    )
    interco = make_pdf(
        tmp_path / "deliberation-communaute.pdf",
        [
            "COMMUNAUTÉ D'AGGLOMÉRATION DU TRÉGOR\n"
            "Extrait du registre des délibérations du conseil communautaire\n"
            "Séance du 27/09/2018\n"
            "Objet : convention-cadre Action Cœur de Ville\n"
            "Pour extrait conforme, à Lannion, le 28/09/2018\n"
            "Le Président,\n"
            "Joël LE JEUNE"
        ],
    )
    avenant = make_docx(
        tmp_path / "deliberation-avenant.docx",
        HEADER + ["Séance du 12 octobre 2020", "Objet : approbation de l'avenant n° 1 à la convention-cadre"],
    )
    return [commune, interco, avenant]


def test_the_cadre_deliberations_are_filled_with_their_quote(tmp_path):
    docs = read_files(deliberation_pieces(tmp_path), [], "Kerbrivan")
    data = {"convention": {"cadre": {}}}
    fill(data, docs)
    assert data["convention"]["cadre"]["deliberations"] == [
        {"organe": "commune", "date": "2018-09-25"},
        {"organe": "intercommunalite", "date": "2018-09-27"},
    ]  # the avenant's délibération is not the convention-cadre's
    quote = docs.provenance["convention.cadre.deliberations[1]"]
    assert quote.file == "deliberation-communaute.pdf" and "27/09/2018" in quote.text


def test_what_the_dossier_says_is_kept_and_a_doubtful_seance_is_a_doubt(tmp_path):
    pieces = deliberation_pieces(
        tmp_path, "Séance du 25 septembre 2018, l'an deux mille dix-huit, le vingt-six septembre"
    )
    docs = read_files(pieces, [], "Kerbrivan")
    declared = {"convention": {"cadre": {"deliberations": []}}}
    fill(declared, docs)
    assert declared["convention"]["cadre"]["deliberations"] == []
    data = {"convention": {"cadre": {}}}
    fill(data, docs)
    assert data["convention"]["cadre"]["deliberations"] == [{"organe": "intercommunalite", "date": "2018-09-27"}]
    assert any(d.file == "deliberation-commune.docx" and d.subject == "date de la séance" for d in docs.doubts)


def test_the_parties_block_fill_is_kept_and_completed(tmp_path):
    docs = read_files(deliberation_pieces(tmp_path), [], "Kerbrivan")
    data = {"convention": {"cadre": {"deliberations": [{"organe": "commune", "date": "2018-09-20"}]}}}
    docs.provenance["convention.cadre.deliberations"] = docs.provenance["convention.cadre.deliberations[0]"] = (
        extract.Quote("convention.docx", "paragraphe 3", "délibération du 20 septembre 2018")
    )
    fill(data, docs)
    assert data["convention"]["cadre"]["deliberations"] == [
        {"organe": "commune", "date": "2018-09-20"},
        {"organe": "intercommunalite", "date": "2018-09-27"},
    ]


def test_an_avenant_listed_gets_the_deliberation_approving_it(tmp_path):
    docs = read_files(deliberation_pieces(tmp_path), [], "Kerbrivan")
    data = {"convention": {"avenants": [{"numero": 2}, {"numero": 1}]}}
    fill(data, docs)
    second, first = data["convention"]["avenants"]
    assert "deliberations" not in second
    assert first["deliberations"] == [{"organe": "commune", "date": "2020-10-12"}]
    assert docs.provenance["convention.avenants[1].deliberations[0]"].file == "deliberation-avenant.docx"
    assert "cadre" not in data["convention"]  # no convention-cadre is made up for its délibérations


def test_a_place_and_date_line_and_a_sentence_of_the_maire_that_is_not_a_title(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        [
            "VILLE DE KERBRIVAN",
            "Délibération n° 2018-091 – Approbation de la convention-cadre Action Cœur de Ville",
            "Séance du 25 septembre 2018",
            "Vu le code général des collectivités territoriales, le 12/03/2018 ;",
            "Le conseil municipal, après en avoir délibéré, APPROUVE la convention.",
            "Rappel : séance du 2 octobre 2018 pour le budget.",  # after the decisions: not the séance
            "Le Maire certifie le caractère exécutoire de cet acte.",
            "Kerbrivan, le 28 septembre 2018",
            "Le Maire, Éric RIVOALLAN",
        ],
    )
    r = reading(path)
    assert r.deliberation.objet[0] == "convention_cadre" and r.deliberation.objet[1].sure
    assert r.deliberation.seance[0] == dt.date(2018, 9, 25) and r.deliberation.seance[1].sure
    assert r.date_signature[0] == dt.date(2018, 9, 28)
    assert signer(r) == ("ville_centre", "Éric RIVOALLAN", True)
    assert r.signatures[0].qualite == "Maire"


def test_an_undated_extract_after_susdits_is_only_proposed_the_seance(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        HEADER
        + [
            "Séance du 25 septembre 2018",
            OBJET_CADRE,
            "Fait et délibéré les jour, mois et an susdits.",
            "Pour extrait conforme,",
            "Le Maire,",
            "Éric RIVOALLAN",
        ],
    )
    day, quote = reading(path).date_signature
    assert day == dt.date(2018, 9, 25) and not quote.sure


def test_what_the_council_approved_its_duration_and_total(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        HEADER
        + [
            "Séance du 25 septembre 2018",
            OBJET_CADRE,
            "La convention, d'une durée de six (6) ans, prévoit un programme dont le coût total s'élève à "
            "4 490 000 € HT.",
            *BODY,
            "Fait à Kerbrivan, le 26 septembre 2018",
            "Le Maire,",
            "Éric RIVOALLAN",
        ],
    )
    read = reading(path, ville="Kerbrivan")
    assert read.duree_annees[0] == 6 and read.budget["total"][0] == 4490000
