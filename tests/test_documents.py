"""Pieces in the check, with the committed sample documents and documents made here: a folder
with only documents, values filled from a piece with its evidence, disagreements between the
dossier and the signed pieces, bad files as findings."""

import json
import shutil
import subprocess

import pytest
from builders import make_docx
from conftest import EVALUATION_DATE, SAMPLES, acv_command
from docx import Document

from instruct.documents.extract import Quote
from instruct.documents.load import load
from instruct.documents.reconcile import quotes_for
from instruct.engine.check import check_dossier
from instruct.errors import InputError
from instruct.samples.render_pieces import avenant_pdf, convention_docx


def acv(*args):
    return subprocess.run(acv_command() + list(args), capture_output=True, text=True, timeout=120)


def report_of(path, catalogue):
    loaded = load(path)
    return check_dossier(loaded.dossier, catalogue, EVALUATION_DATE, documents=loaded.documents)


def findings(report, rule, status=None):
    return [f for f in report.findings if f.rule == rule and (status is None or f.status == status)]


def quotes(finding):
    return [q for e in finding.evidence for q in e.get("pieces", [])]


def test_folder_with_only_documents_is_a_dossier():
    result = acv("check", str(SAMPLES / "rochebrune"), "--date", "2026-11-26", "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["dossier"]["commune"] == "Rochebrune-sur-Aure" and report["dossier"]["insee"] is None
    trame = [f for f in report["findings"] if f["rule"] == "PROG-04"]
    assert len(trame) == 9 and {f["status"] for f in trame} == {"conforme"}
    litiges = next(f for f in trame if f["entity"]["id"] == "traitement_litiges")
    assert litiges["evidence"][0]["pieces"] == [
        {"fichier": "convention-cadre.docx", "ou": "paragraphe 39", "texte": "Article 8 – Traitement des litiges"}
    ]
    # what no piece gives is incomplet, naming the field
    perimetres = next(f for f in report["findings"] if f["rule"] == "PROG-05")
    assert perimetres["status"] == "incomplet" and any(
        e["path"].startswith("perimetres") and e.get("missing") for e in perimetres["evidence"]
    )
    assert next(f for f in report["findings"] if f["rule"] == "PROG-01")["status"] == "a_verifier"
    # the fiches are the avenant's table of actions, each cost quoted from its row
    fiche = next(f for f in report["findings"] if f["rule"] == "PROG-15" and f["entity"]["id"] == "RB-03")
    assert fiche["status"] == "conforme"
    row = fiche["evidence"][0]["pieces"][0]
    assert row["fichier"] == "avenant-1.pdf" and row["ou"].startswith("page ") and "1 400 000,00 €" in row["texte"]
    # the avenant « valant convention d'ORT » answers what it shows of the ORT (L303-2)
    ort = {f["rule"]: f for f in report["findings"] if f["rule"] in {"ORT-02", "ORT-04", "ORT-05"}}
    assert {rule: f["status"] for rule, f in ort.items()} == {
        "ORT-02": "conforme",
        "ORT-04": "conforme",
        "ORT-05": "conforme",
    }
    habitat = [q for e in ort["ORT-04"]["evidence"] for q in e.get("pieces", [])]
    assert "OPAH-RU" in habitat[0]["texte"] and "tableau" in habitat[0]["ou"]
    duree = [q for e in ort["ORT-05"]["evidence"] for q in e.get("pieces", [])]
    assert any("d'une durée de 6 ans" in q["texte"] and q["fichier"] == "convention-cadre.docx" for q in duree)
    assert (
        next(f for f in report["findings"] if f["rule"] == "ORT-03" and f["check"] == "centre_ville")["status"]
        == "incomplet"
    )


def test_pieces_rendered_from_a_dossier_read_back_to_the_same_dossier(tmp_path, catalogue):
    """Round trip: villebelle's convention and avenant, without dossier.yaml, give back its
    parties, dates, trame, actions and budget."""
    villebelle = load(SAMPLES / "villebelle").dossier
    convention_docx(villebelle, tmp_path / "convention-cadre.docx")
    avenant_pdf(villebelle, tmp_path / "avenant-1.pdf")
    read = load(tmp_path).dossier
    cadre, expected = read.convention.cadre, villebelle.convention.cadre
    assert read.collectivites.ville_centre.nom == "Villebelle"
    assert cadre.date_signature == expected.date_signature
    assert [s.role for s in cadre.signataires] == [s.role for s in expected.signataires]
    assert {(d.organe, d.date) for d in cadre.deliberations} == {(d.organe, d.date) for d in expected.deliberations}
    assert cadre.contenu == expected.contenu
    avenant = read.convention.avenants[0]
    assert (avenant.numero, avenant.date_signature, avenant.budget, avenant.contenu) == (
        1,
        villebelle.convention.avenants[0].date_signature,
        villebelle.convention.avenants[0].budget,
        villebelle.convention.avenants[0].contenu,
    )
    assert [(f.id, f.intitule, f.maitre_ouvrage, f.cout, f.calendrier) for f in read.fiches_actions] == [
        (f.id, f.intitule, f.maitre_ouvrage, f.cout, f.calendrier) for f in villebelle.fiches_actions
    ]
    assert [[(x.financeur, x.montant, x.role) for x in f.financement] for f in read.fiches_actions] == [
        [(x.financeur, x.montant, x.role) for x in f.financement] for f in villebelle.fiches_actions
    ]
    assert [f.maturite for f in read.fiches_actions] == [f.maturite for f in villebelle.fiches_actions]
    report = report_of(tmp_path, catalogue)
    assert {f.status for f in findings(report, "PROG-09")} == {"conforme"}
    # The rendered avenant lists every fiche, FA-04 and FA-05 too, approved after it and outside its
    # budget; read back alone, without their dates, they cannot be told apart: its total is not judged here.
    assert {f.status for f in findings(report, "PROG-15") if f.check != "total_avenant"} == {"conforme"}


def test_a_signatory_missing_from_the_signed_convention_and_two_missing_parts(catalogue):
    report = report_of(SAMPLES / "montclair", catalogue)
    [anah] = findings(report, "X-05", "non_conforme")
    assert anah.entity.label == "Signataire de la convention-cadre : l'Anah"
    assert "absent du bloc de signatures" in anah.message and "convention-cadre.docx" in anah.message
    missing = findings(report, "PROG-04", "non_conforme")
    assert {f.entity.id for f in missing} == {"suivi_evaluation", "traitement_litiges"}
    assert all(quotes(f)[0]["ou"] == "document entier" for f in missing)
    assert {f.status for f in findings(report, "PROG-04")} == {"conforme", "non_conforme"}
    # not declared in pieces:, recognised by its content, and so listed for the rules asking for it
    [piece] = load(SAMPLES / "montclair").dossier.pieces
    assert (piece.type, piece.fichier) == ("convention_cadre", "convention-cadre.docx")
    [readable] = findings(report, "X-06")
    assert readable.status == "conforme" and "reconnue au contenu" in readable.message


def test_a_different_total_a_scan_and_a_corrupt_file(catalogue):
    report = report_of(SAMPLES / "saint-aubin", catalogue)
    [total] = findings(report, "X-05", "non_conforme")
    assert "2\u202f500\u202f000,00 €" in total.message and "2\u202f450\u202f000,00 €" in total.message
    assert "avenant-1.pdf (page " in total.message and "Montant total du plan d'actions" in total.message
    [quote] = quotes(total)
    assert (
        quote["fichier"] == "avenant-1.pdf"
        and quote["ou"].startswith("page ")
        and quote["texte"].startswith("Montant total du plan d'actions")
    )
    statuses = {f.entity.id: f.status for f in findings(report, "X-06")}
    assert statuses == {
        "avenant-1.pdf": "conforme",
        "deliberation-scannee.pdf": "a_verifier",
        "plan-situation.pdf": "non_conforme",
    }
    scan = next(f for f in findings(report, "X-06") if f.entity.id == "deliberation-scannee.pdf")
    assert "document scanné : pas de texte" in scan.message


def test_text_and_docx_reports_quote_the_piece(tmp_path):
    text = acv("check", str(SAMPLES / "montclair"), "--date", "2026-11-26").stdout
    assert "Lu dans : convention-cadre.docx, document entier : « aucun titre pour « Traitement des litiges » »" in text
    out = tmp_path / "rapport.docx"
    assert (
        acv("check", str(SAMPLES / "montclair"), "--date", "2026-11-26", "--format", "docx", "-o", str(out)).returncode
        == 1
    )
    lines = [p.text.replace("\u00a0", " ") for p in Document(str(out)).paragraphs]
    assert any("Lu dans : convention-cadre.docx" in line for line in lines)


def test_a_value_read_from_a_piece_that_is_invalid_names_the_piece(tmp_path):
    header = ("N°", "Intitulé", "Maître d'ouvrage", "Calendrier", "Coût", "Financeurs")
    make_docx(
        tmp_path / "convention.docx",
        [
            "Convention-cadre pluriannuelle Action Cœur de Ville",
            "Article 1 – Les parties",
            "ENTRE",
            "La Commune de Villebelle, représentée par Claire Martin, maire,",
            "La Communauté d'agglomération du Val de Belle, représentée par Paul Durand, président,",
            "ci-après, les « Collectivités bénéficiaires » ;",
            "Il est convenu ce qui suit.",
        ],
        [[header, ("FA-01", "Halle", "Ville", "06/2020 – 01/2019", "10 000,00 €", "")]],
    )
    result = acv("check", str(tmp_path))
    assert result.returncode == 2
    assert "fiches_actions[0].calendrier" in result.stderr and "la fin du calendrier précède son début" in result.stderr
    assert "valeur lue dans convention.docx, tableau 1, ligne 2" in result.stderr


def test_documents_that_name_no_town_still_get_a_report(tmp_path):
    """Never a guessed name, never a refusal: the report says the ville-centre is not identified."""
    make_docx(tmp_path / "note.docx", ["Note de projet urbain", "Le centre ancien se vide."])
    result = acv("check", str(tmp_path))
    assert result.returncode == 1 and not result.stderr, result.stderr
    assert "ville-centre non identifiée dans les pièces (INSEE non renseigné)" in result.stdout
    assert "La ville-centre et l'intercommunalité : non identifiées" in result.stdout


def test_the_structured_dossier_wins_and_agreement_is_shown(tmp_path, catalogue):
    shutil.copytree(SAMPLES / "villebelle", tmp_path / "v")
    report = report_of(tmp_path / "v", catalogue)
    agreed = findings(report, "X-05")
    assert agreed and {f.status for f in agreed} == {"conforme"}
    assert any(f.entity.label == "Montant total de l'avenant n° 1" for f in agreed)
    assert not any(quotes(f) for f in report.findings if f.rule != "X-05")  # nothing was filled in


@pytest.mark.parametrize(
    "path, found",
    [
        ("dispositifs_anah[type=OPAH-RU].perimetre", False),
        ("ort.", False),
        ("a[", False),
        ("fiches_actions[*].cout ; x", True),
        ("fiches_actions[2]", True),
    ],
)
def test_evidence_paths_of_any_shape_end(path, found):
    """Each shape ends (one used to loop forever), and a value inside something read from a piece finds its quote."""
    quote = Quote("f", "p", "t")
    assert quotes_for(path, {"fiches_actions": quote}) == ([quote] if found else [])


def test_too_many_pieces_is_a_clear_error(tmp_path, monkeypatch):
    import instruct.documents.reconcile as documents

    (tmp_path / "pieces").mkdir()
    shutil.copy(SAMPLES / "montclair" / "dossier.yaml", tmp_path / "dossier.yaml")
    for n in range(4):
        (tmp_path / "pieces" / f"p{n}.pdf").write_bytes(b"%PDF-1.7")
    monkeypatch.setattr(documents, "MAX_FILES", 3)
    with pytest.raises(InputError) as error:
        load(tmp_path)
    assert "trop de pièces : 4 fichiers (au plus 3 par dossier)" in error.value.render()
