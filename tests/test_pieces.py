"""Reading pieces: real DOCX and PDF files made here, and bad files that must become findings."""

import datetime as dt
import json
import subprocess
import zipfile
from decimal import Decimal

import pytest
from builders import make_docx, make_pdf
from conftest import acv_command

from instruct.documents.extract import summary
from instruct.documents.read import MAX_PAGES, read_piece
from instruct.documents.sections import trame
from instruct.documents.values import dates
from instruct.french import find_amount
from instruct.vocabulary import TRAME_CONVENTION_PARTIES

TRAME = [
    "Article 1 – Parties",
    "Article 2 – Préambule et objectifs poursuivis",
    "Article 3 – Engagement général des parties",
    "Article 4 – Organisation des collectivités et comité de projet",
    "V. Durée, évolution et fonctionnement général de la convention",
    "Article 6 – Phase d'initialisation",
    "Article 7 – Modalités de suivi et évaluation",
    "Article 8 – Traitement des litiges",
    "Annexe 1 – Fiches actions matures",
]


def make_convention(path, headings, table_rows=()):
    paragraphs = ["CONVENTION-CADRE PLURIANNUELLE ACTION CŒUR DE VILLE", "Signée à Villebelle le 28 septembre 2018."]
    for heading in headings:
        paragraphs += [heading, "Texte de la partie. Budget global : 1 234 567,50 €."]
    return make_docx(path, paragraphs, [table_rows] if table_rows else [])


def test_complete_convention_docx_has_every_part_with_where(tmp_path):
    piece = read_piece(
        make_convention(tmp_path / "convention.docx", TRAME, [("Intitulé", "Coût"), ("Halle", "1,2 M€")])
    )
    parts = trame(piece, TRAME_CONVENTION_PARTIES)
    assert set(parts) == {
        "parties",
        "preambule_objectifs",
        "engagement_parties",
        "organisation_comite_projet",
        "duree_evolution_fonctionnement",
        "phase_initialisation",
        "suivi_evaluation",
        "traitement_litiges",
        "annexe_fiches_matures",
    }
    assert parts["duree_evolution_fonctionnement"].where.startswith("paragraphe ")
    assert any(b.where == "tableau 1, ligne 2" and "1,2 M€" in b.text for b in piece.blocks)


def test_convention_missing_two_parts(tmp_path):
    piece = read_piece(
        make_convention(
            tmp_path / "incomplete.docx", [h for h in TRAME if not h.startswith(("Article 7", "Article 8"))]
        )
    )
    assert summary(piece)["trame_absente"] == ["suivi_evaluation", "traitement_litiges"]


def test_avenant_pdf_with_pages(tmp_path):
    piece = read_piece(
        make_pdf(
            tmp_path / "avenant.pdf",
            [
                "AVENANT N 1\nI. Diagnostic du territoire\nSigne le 10/12/2019",
                "Tableau des actions\nHalle : 1 200 000,00 EUR\nTotal 4 180 000,00 euros",
            ],
        )
    )
    assert [b.where for b in piece.blocks] == ["page 1", "page 2"]
    found = summary(piece)
    assert (found["type"], found["numero"]) == ("avenant", 1)
    assert found["trame"]["diagnostic_afom"]["ou"] == "page 1"
    assert {"date": "2019-12-10", "ou": "page 1", "texte": "Signe le 10/12/2019"} in found["dates"]
    assert any(m["montant"] == "4180000.00" and m["ou"] == "page 2" for m in found["montants"])


@pytest.mark.parametrize(
    "text, value",
    [
        ("1 234 567,50 €", "1234567.50"),
        ("1,2 M€", "1200000.00"),
        ("32 k€", "32000.00"),
        ("1.234.567 euros", "1234567.00"),
        ("12\u202f000,00 €", "12000.00"),
        ("sans montant", None),
    ],
)
def test_french_amounts(text, value):
    assert find_amount(text) == (Decimal(value) if value else None)


def test_french_dates():
    assert dates("signée le 1er février 2019 et le 28/09/2018") == [dt.date(2019, 2, 1), dt.date(2018, 9, 28)]


def test_bad_files_are_findings_not_crashes(tmp_path):
    corrupt = tmp_path / "corrompu.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    assert read_piece(corrupt).problems[0].startswith("PDF endommagé (fin de fichier manquante")
    assert "scanné : pas de texte" in read_piece(make_pdf(tmp_path / "scan.pdf", [None, None])).problems[0]
    assert "chiffré" in read_piece(make_pdf(tmp_path / "secret.pdf", ["texte"], encrypt="secret")).problems[0]
    bad_docx = tmp_path / "casse.docx"
    bad_docx.write_bytes(b"PK\x03\x04 not a zip")
    assert "DOCX illisible" in read_piece(bad_docx).problems[0]
    bomb = tmp_path / "bombe.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (50 * 1024 * 1024))
    assert "archive DOCX suspecte" in read_piece(bomb).problems[0]


def test_a_folder_of_unreadable_pieces_says_what_is_wrong_with_each(tmp_path):
    """No dossier.yaml and nothing readable: one French line per piece naming its problem (not
    « aucune pièce ne nomme la ville-centre »), exit 2, no traceback, no exception name."""
    pieces = tmp_path / "dossier" / "pieces"
    pieces.mkdir(parents=True)
    make_pdf(pieces / "convention-scannee.pdf", [None, None])
    make_pdf(pieces / "avenant-chiffre.pdf", ["Avenant n° 1"], encrypt="secret")
    whole = make_pdf(tmp_path / "avenant.pdf", ["Avenant n° 2 à la convention-cadre"] * 3).read_bytes()
    (pieces / "avenant-tronque.pdf").write_bytes(whole[: len(whole) // 2])
    (pieces / "note.docx").write_bytes(b"PK\x03\x04 not a zip")
    done = subprocess.run(
        acv_command() + ["check", str(tmp_path / "dossier")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert "  - convention-scannee.pdf : document scanné : pas de texte" in lines
    assert "  - avenant-chiffre.pdf : PDF chiffré : fournir une version non protégée" in lines
    assert any(line.startswith("  - avenant-tronque.pdf : PDF endommagé (fin de fichier manquante") for line in lines)
    assert any(line.startswith("  - note.docx : DOCX illisible") for line in lines)
    assert "aucune pièce lisible" in done.stderr and "ne nomme la ville-centre" not in done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr.replace("Erreur", "")


def test_docx_with_external_entity_is_not_resolved(tmp_path):
    path = make_docx(tmp_path / "xxe.docx", TRAME[:1])
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE", encoding="utf-8")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members["word/document.xml"].decode("utf-8")
    xml = xml.replace(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE w [<!ENTITY x SYSTEM "file://{secret}">]>',
        1,
    )
    xml = xml.replace("Article 1 – Parties", "Article 1 – Parties &x;", 1)
    members["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    piece = read_piece(path)
    assert "MOT-DE-PASSE" not in " ".join(b.text for b in piece.blocks)


def test_long_pdf_is_truncated(tmp_path):
    piece = read_piece(make_pdf(tmp_path / "long.pdf", ["page"] * (MAX_PAGES + 5)))
    assert piece.truncated and len(piece.blocks) == MAX_PAGES and f"{MAX_PAGES} premières" in piece.problems[0]


def test_acv_ingest(tmp_path):
    path = make_convention(tmp_path / "convention.docx", TRAME[:3])
    done = subprocess.run(
        acv_command() + ["ingest", str(path), "--format", "json"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (
        result["trame"]["parties"]["texte"] == "Article 1 – Parties" and "traitement_litiges" in result["trame_absente"]
    )
    corrupt = tmp_path / "x.pdf"
    corrupt.write_bytes(b"garbage")
    bad = subprocess.run(acv_command() + ["ingest", str(corrupt)], capture_output=True, text=True, timeout=60)
    assert (
        bad.returncode == 1
        and "Problème : fichier nommé .pdf qui n'est pas un PDF" in bad.stdout
        and "Traceback" not in bad.stderr
    )


def test_a_reading_that_swells_stops_alone_with_a_problem(tmp_path, monkeypatch):
    import instruct.documents.read as pieces

    path = make_docx(tmp_path / "convention.docx", ["Convention-cadre"])
    assert pieces.read_piece_isolated(path).readable
    monkeypatch.setattr(pieces, "read_piece", lambda p: bytearray(400 * 1024 * 1024))  # a reader that swells
    monkeypatch.setattr(pieces, "MAX_MEMORY", 100 * 1024 * 1024)
    piece = pieces.read_piece_isolated(path)
    assert not piece.readable and piece.problems == ["lecture arrêtée : plus de 100 Mio de mémoire"]


def test_a_reading_that_hangs_is_killed(tmp_path, monkeypatch):
    import time

    import instruct.documents.read as pieces

    path = make_pdf(tmp_path / "boucle.pdf", ["Avenant"])
    monkeypatch.setattr(pieces, "read_piece", lambda p: time.sleep(60))  # a reader stuck in a loop
    monkeypatch.setattr(pieces, "MAX_SECONDS", 0.2)
    monkeypatch.setattr(pieces, "GRACE_SECONDS", 0.3)
    start = time.monotonic()
    piece = pieces.read_piece_isolated(path)
    assert time.monotonic() - start < 5
    assert piece.problems == ["lecture interrompue après 0 s"] or piece.problems[0].startswith(
        "lecture interrompue après"
    )
