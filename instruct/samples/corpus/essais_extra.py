"""The recipes of the « essais » pieces beyond the first conventions and avenants: those exported
or re-saved by LibreOffice, the délibérations, the notes, the plan de situation and the pieces
no reader can read."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from instruct.samples.corpus.essais_broken import (
    broken_piece,
    corrupt_docx,
    damaged,
    encrypted,
    not_a_pdf,
    scanned_pages,
    truncated,
)
from instruct.samples.corpus.essais_build import avenant_title, build
from instruct.samples.corpus.essais_model import Piece, noisy
from instruct.samples.corpus.essais_other import deliberation, note, plan
from instruct.samples.corpus.essais_recipes import BASE

OFFICE = [
    {
        "name": "ce16_aiguebelle_convention_lo.pdf",
        "town": 15,
        "seed": 41,
        "writer": "office_pdf",
        "kind": "convention_cadre",
        "style": (
            "PDF exporté par LibreOffice d'un DOCX à titres numérotés par Word en chiffres "
            "romains, sigle « la CAGA », axes fusionnés, grille de signatures fusionnée"
        ),
        "numbering": "auto",
        "parties": {"intro": "entre", "rep": "son_titre", "delib": "long"},
        "table": "libelle",
        "axis_rows": True,
        "total_row": "TOTAL",
        "duree": (6, "words"),
        "signature": {"sig": "grid", "fait": "fait", "sig_date": "long"},
        "options": {
            "headings": "auto",
            "auto": "roman",
            "page_numbers": True,
            "header": "Action Cœur de Ville – Aiguebelle-sur-Loue",
        },
    },
    {
        "name": "ce17_malvoisine_convention_lo.pdf",
        "town": 16,
        "seed": 42,
        "writer": "office_pdf",
        "kind": "convention_cadre",
        "style": (
            "PDF exporté par LibreOffice d'un DOCX à titres en gras « Article 1er – », "
            "« X Agglo », k€, signatures plusieurs par ligne"
        ),
        "numbering": "article_er",
        "parties": {"intro": "soussignes", "comma": False, "rep": "nom_titre", "delib": "dots"},
        "table": "keur",
        "total_row": "TOTAL",
        "duree": (5, "digits"),
        "signature": {"sig": "line", "fait": "exemplaires", "sig_date": "slash"},
        "roles": BASE + ["cci"],
        "options": {"headings": "bold", "font": "Arial"},
    },
    {
        "name": "ce18_port_lannec_convention_lo.pdf",
        "town": 17,
        "seed": 43,
        "writer": "office_pdf",
        "kind": "convention_cadre",
        "style": (
            "PDF exporté par LibreOffice, « 1. », « Intercom X », lignes « Vu la délibération "
            "», zone de texte, en-tête sur deux lignes"
        ),
        "numbering": "decimal",
        "parties": {"intro": "entre", "rep": "son_titre", "delib": "vu"},
        "textbox": True,
        "table": "two_rows",
        "total_row": "Total",
        "duree": (6, "digits"),
        "signature": {"sig": "stacked", "fait": "fait_nl", "sig_date": "long"},
    },
    {
        "name": "ae11_bellegrange_avenant2_lo.pdf",
        "signed": dt.date(2021, 3, 15),
        "town": 10,
        "seed": 44,
        "writer": "office_pdf",
        "kind": "avenant",
        "numero": 2,
        "avenant_title": avenant_title(2, "n° "),
        "style": (
            "PDF exporté par LibreOffice, « Avenant n° 2 », titres numérotés par Word "
            "« TITRE I - », sigle CCCB, signatures en colonnes"
        ),
        "numbering": "auto",
        "parties": {"intro": "entre", "rep": "monsieur", "delib": "long"},
        "table": "axe_action",
        "total_row": "TOTAL",
        "signature": {"sig": "columns2", "fait": "fait", "sig_date": "long"},
        "options": {"headings": "auto", "auto": "titre"},
    },
    {
        "name": "ae12_vireloup_avenant3_lo.pdf",
        "signed": dt.date(2021, 6, 1),
        "town": 11,
        "seed": 45,
        "writer": "office_pdf",
        "kind": "avenant",
        "numero": 3,
        "avenant_title": avenant_title(3, "N°"),
        "style": (
            "PDF exporté par LibreOffice, « AVENANT N° 3 », pourcentages, total en phrase (M€), « Le Maire de X, »"
        ),
        "numbering": "ARTICLE",
        "synonyms": 1,
        "parties": {"intro": "prose", "rep": "nom_titre", "delib": "slash"},
        "table": "percent",
        "total_row": "",
        "budget_sentence": "meur",
        "duree": (5, "words"),
        "signature": {"sig": "maire", "fait": "a", "sig_date": "dots"},
    },
    {
        "name": "ce19_sainte_merenne_convention_lo.docx",
        "town": 12,
        "seed": 46,
        "writer": "office_docx",
        "kind": "convention_cadre",
        "style": (
            "DOCX réenregistré par LibreOffice, titres numérotés par Word « 1. », Budget (€ HT), signatures empilées"
        ),
        "numbering": "auto",
        "parties": {"intro": "soussignes", "rep": "son_titre", "delib": "long"},
        "table": "budget_unit",
        "total_row": "TOTAL",
        "duree": (6, "words"),
        "signature": {"sig": "stacked", "fait": "fait", "sig_date": "long"},
        "options": {"headings": "auto", "auto": "decimal"},
    },
    {
        "name": "ae13_rocheval_avenant1_lo.docx",
        "signed": dt.date(2019, 12, 12),
        "town": 13,
        "seed": 47,
        "writer": "office_docx",
        "kind": "avenant",
        "numero": 1,
        "avenant_title": avenant_title(1, "ordinal"),
        "style": (
            "DOCX réenregistré par LibreOffice, « Premier avenant », « Fiche / Opération "
            "/ Montant prévisionnel », grille de signatures"
        ),
        "numbering": "article_er",
        "synonyms": 2,
        "parties": {"intro": "entre", "rep": "nom_titre", "delib": "dots"},
        "table": "wrapped",
        "total_row": "TOTAL",
        "signature": {"sig": "grid", "fait": "exemplaires", "sig_date": "long"},
    },
]

DELIBERATIONS = [
    {
        "name": "de01_kerbrivan_deliberation.docx",
        "town": 0,
        "seed": 51,
        "writer": "docx",
        "seance": dt.date(2018, 9, 25),
        "style": "DOCX, extrait du registre du conseil municipal, date en toutes lettres",
    },
    {
        "name": "de02_lauzac_deliberation.pdf",
        "town": 1,
        "seed": 52,
        "writer": "pdf",
        "seance": dt.date(2018, 10, 12),
        "seance_form": "dots",
        "sign_form": "dots",
        "recu": True,
        "style": "PDF reportlab, séance « 12.10.2018 », mention de réception en préfecture",
    },
    {
        "name": "de03_montreval_deliberation_communautaire.pdf",
        "town": 2,
        "seed": 53,
        "writer": "pdf",
        "seance": dt.date(2018, 11, 29),
        "communautaire": True,
        "sign_form": "slash",
        "style": "PDF reportlab, conseil communautaire de « X Métropole », date « 29/11/2018 »",
        "options": {"font": "Times-Roman"},
    },
    {
        "name": "de04_orvane_deliberation_lo.pdf",
        "town": 8,
        "seed": 54,
        "writer": "office_pdf",
        "seance": dt.date(2020, 2, 1),
        "sign_form": "dashes",
        "objet": "Programme Action Cœur de Ville – approbation de l'avenant n° 3 à la convention-cadre",
        "vu": "Vu la délibération du 1er octobre 2018 approuvant la convention-cadre ;",
        "style": "PDF exporté par LibreOffice, approbation d'un avenant, date « 01-02-2020 »",
    },
    {
        "name": "de06_pontcharrier_deliberation_ocr.pdf",
        "town": 5,
        "seed": 56,
        "writer": "pdf",
        "seance": dt.date(2018, 10, 1),
        "ocr": True,
        "style": "PDF reportlab, texte OCR bruité, séance du « 1er octobre 2018 »",
    },
    {
        "name": "de05_castelmoron_deliberation.docx",
        "town": 7,
        "seed": 55,
        "writer": "docx",
        "seance": dt.date(2018, 7, 3),
        "sign_form": "short",
        "style": "DOCX, date « 3/7/18 »",
    },
]

NOTES = [
    {
        "name": "no01_kerbrivan_note_projet_urbain.pdf",
        "town": 0,
        "seed": 61,
        "writer": "pdf",
        "kind": "note_projet_urbain",
        "total": Decimal(14_600_000),
        "total_form": "meur",
        "style": "PDF reportlab, note de projet urbain, total « estimé à 14,6 M€ HT »",
    },
    {
        "name": "no02_lauzac_note_projet_urbain.docx",
        "town": 1,
        "seed": 62,
        "writer": "docx",
        "kind": "note_projet_urbain",
        "style": "DOCX, note de projet urbain sans montant",
        "options": {"headings": "bold"},
    },
    {
        "name": "no03_montreval_note_immeubles.pdf",
        "town": 2,
        "seed": 63,
        "writer": "pdf",
        "kind": "note_utilite_immeubles",
        "style": "PDF reportlab, note d'utilité des immeubles avec tableau des immeubles",
    },
    {
        "name": "no04_valdrome_note_immeubles.docx",
        "town": 4,
        "seed": 64,
        "writer": "docx",
        "kind": "note_utilite_immeubles",
        "immeubles": 7,
        "style": "DOCX, note d'utilité des immeubles, tableau à filets",
    },
]


def _rendered(piece: Piece) -> bytes:
    from instruct.samples.corpus.essais_docx import render_docx
    from instruct.samples.corpus.essais_pdf import render_pdf

    with tempfile.TemporaryDirectory(prefix="essais-") as tmp:
        path = Path(tmp, piece.name)
        (render_docx if piece.name.endswith(".docx") else render_pdf)(piece, path)
        return path.read_bytes()


def _source(name: str, town: int, seed: int, writer: str) -> Piece:
    return build(
        {
            "name": name,
            "town": town,
            "seed": seed,
            "writer": writer,
            "kind": "convention_cadre",
            "style": "source",
            "table": "libelle",
            "duree": (6, "words"),
        }
    )


def broken() -> list[Piece]:
    def scan() -> bytes:
        piece = _source("source.pdf", 14, 71, "pdf")
        lines = [getattr(el, "text", "") for el in piece.elements][:70]
        return scanned_pages(lines, "scan")

    return [
        broken_piece("xx01_convention_numerisee.pdf", "PDF d'images de pages (copieur), aucun texte", "scanne", scan),
        broken_piece(
            "xx02_avenant_tronque.pdf",
            "PDF reportlab coupé à 55 % (téléchargement interrompu)",
            "tronque",
            lambda: truncated(_rendered(_source("a.pdf", 3, 72, "pdf"))),
        ),
        broken_piece(
            "xx03_convention_chiffree.pdf",
            "PDF chiffré par pypdf (RC4 128 bits, mot de passe utilisateur)",
            "chiffre",
            lambda: encrypted(_rendered(_source("c.pdf", 5, 73, "pdf")), "essais"),
        ),
        broken_piece(
            "xx04_convention_pas_un_pdf.pdf",
            "page HTML d'erreur d'un portail, nommée .pdf",
            "pas_un_pdf",
            lambda: not_a_pdf("Pontcharrier"),
        ),
        broken_piece(
            "xx05_avenant_corrompu.docx",
            "DOCX coupé au milieu de son archive",
            "docx_corrompu",
            lambda: corrupt_docx(_rendered(_source("d.docx", 6, 74, "docx"))),
        ),
        broken_piece(
            "xx06_convention_endommagee.pdf",
            "PDF dont la table des références et les en-têtes d'objets sont écrasés",
            "endommage",
            lambda: damaged(_rendered(_source("e.pdf", 9, 75, "pdf")), "abime"),
        ),
    ]


def extra_pieces() -> list[Piece]:
    out = [build(recipe) for recipe in OFFICE]
    out += [noisy(deliberation(r)) if r.get("ocr") else deliberation(r) for r in DELIBERATIONS]
    out += [note(recipe) for recipe in NOTES]
    out.append(
        plan(
            {
                "name": "pl01_kerbrivan_plan_situation.pdf",
                "town": 0,
                "seed": 81,
                "style": "PDF reportlab, plan de situation dessiné (rues, rivière, périmètre ORT, légende)",
            }
        )
    )
    return out + broken()
