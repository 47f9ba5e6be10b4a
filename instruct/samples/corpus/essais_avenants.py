"""The recipes of the avenants of the « essais » corpus, numbered 1 to 3 and titled every way
(« Avenant n°1 », « AVENANT N° 2 », « Premier avenant »), one valant convention d'ORT."""

from __future__ import annotations

import datetime as dt

from instruct.samples.corpus.essais_build import AVENANT_ANNEXES, avenant_title
from instruct.samples.corpus.essais_recipes import BASE


def avenants() -> list[dict]:
    a = [
        {
            "name": "ae01_kerbrivan_avenant1.pdf",
            "town": 0,
            "seed": 21,
            "writer": "pdf",
            "numero": 1,
            "avenant_title": avenant_title(1, "n°"),
            "style": (
                "PDF reportlab, « Avenant n°1 », « Article 1er – », tableau « Libellé de "
                "l'action / Coût HT », signatures en deux colonnes"
            ),
            "numbering": "article_er",
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "long"},
            "table": "libelle",
            "total_row": "TOTAL",
            "duree": None,
            "signature": {"sig": "columns2", "fait": "fait", "sig_date": "long"},
            "options": {"footer": "n/N"},
        },
        {
            "name": "ae02_lauzac_avenant2.docx",
            "town": 1,
            "seed": 22,
            "writer": "docx",
            "numero": 2,
            "avenant_title": avenant_title(2, "N°"),
            "style": (
                "DOCX, « AVENANT N° 2 », titres numérotés par Word « 1. », tableau deux lignes "
                "d'en-tête, signatures empilées"
            ),
            "numbering": "auto",
            "parties": {"intro": "soussignes", "rep": "nom_titre", "delib": "dots"},
            "table": "two_rows",
            "total_row": "TOTAL",
            "signature": {"sig": "stacked", "fait": "fait_nl", "sig_date": "slash"},
            "options": {"headings": "auto", "auto": "decimal"},
        },
        {
            "name": "ae03_montreval_avenant1.pdf",
            "town": 2,
            "seed": 23,
            "writer": "pdf",
            "numero": 1,
            "avenant_title": avenant_title(1, "ordinal"),
            "style": (
                "PDF reportlab, « Premier avenant », « Secteurs d'intervention de l'ORT », "
                "« Maquette financière », valant convention d'ORT, durée « cinq (5) ans »"
            ),
            "numbering": "ARTICLE",
            "synonyms": 1,
            "valant_ort": True,
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "long"},
            "table": "axe_action",
            "axis_rows": True,
            "total_row": "TOTAL",
            "duree": (5, "words"),
            "signature": {"sig": "columns3", "fait": "exemplaires", "sig_date": "long"},
            "options": {"header": "Avenant n°1 – Montreval", "footer": "n/N"},
        },
        {
            "name": "ae04_saint_aubrac_avenant3.docx",
            "town": 3,
            "seed": 24,
            "writer": "docx",
            "numero": 3,
            "avenant_title": avenant_title(3, "n° "),
            "style": (
                "DOCX, « Avenant n° 3 », titres en gras « I. », « Programme d'actions », "
                "pourcentages et ligne TOTAL à 100 %, total en phrase (k€), signatures « Le Maire de X, »"
            ),
            "numbering": "roman_dot",
            "synonyms": 1,
            "parties": {"intro": "prose", "rep": "monsieur", "delib": "slash"},
            "table": "percent",
            "total_row": "TOTAL",
            "budget_sentence": "keur",
            "signature": {"sig": "maire", "fait": "fait", "sig_date": "long"},
            "options": {"headings": "bold"},
        },
        {
            "name": "ae05_valdrome_avenant2.pdf",
            "town": 4,
            "seed": 25,
            "writer": "pdf",
            "numero": 2,
            "avenant_title": avenant_title(2, "n°"),
            "style": (
                "PDF reportlab, « Avenant n°2 », annexes partielles, tableau sans filets "
                "poursuivi page suivante sans en-tête, Budget (€ HT)"
            ),
            "numbering": "decimal",
            "parties": {"intro": "soussignes", "comma": False, "rep": "son_titre", "delib": "vu"},
            "table": "budget_unit",
            "ruled": False,
            "repeat_header": False,
            "actions": 24,
            "total_row": "TOTAL",
            "omit": ["annexe_livrables_etudes", "annexe_document_presentation"],
            "signature": {"sig": "stacked", "fait": "fait", "sig_date": "dashes"},
            "options": {"font": "Times-Roman"},
        },
        {
            "name": "ae06_pontcharrier_avenant1.docx",
            "town": 5,
            "seed": 26,
            "writer": "docx",
            "numero": 1,
            "avenant_title": avenant_title(1, "N°"),
            "style": (
                "DOCX, « AVENANT N° 1 », « TITRE I – », tableau « Fiche / Opération / Montant "
                "prévisionnel » (montants à points), grille de signatures"
            ),
            "numbering": "titre",
            "synonyms": 2,
            "parties": {"intro": "entre", "rep": "nom_titre", "delib": "long"},
            "table": "wrapped",
            "total_row": "Total général",
            "signature": {"sig": "grid", "fait": "exemplaires", "sig_date": "long"},
            "roles": BASE + ["region"],
        },
        {
            "name": "ae07_brisselieu_avenant2.pdf",
            "town": 6,
            "seed": 27,
            "writer": "pdf",
            "numero": 2,
            "avenant_title": avenant_title(2, "ordinal"),
            "style": (
                "PDF reportlab, « Deuxième avenant », « Intercom X », montants EUR, signatures "
                "plusieurs par ligne, césures"
            ),
            "numbering": "roman",
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "dots"},
            "table": "eur_word",
            "total_row": "TOTAL",
            "duree": (6, "digits"),
            "signature": {"sig": "line", "fait": "fait", "sig_date": "short"},
            "options": {"hyphenate": True},
        },
        {
            "name": "ae08_castelmoron_avenant1.docx",
            "town": 7,
            "seed": 28,
            "writer": "docx",
            "numero": 1,
            "avenant_title": avenant_title(1, "n°"),
            "style": (
                "DOCX, « Avenant n°1 » sans annexes, « Article premier : », M€, une zone "
                "de texte, signatures en colonnes"
            ),
            "numbering": "article_premier",
            "parties": {"intro": "soussignes", "rep": "son_titre", "delib": "long"},
            "table": "meur",
            "total_row": "TOTAL",
            "omit": AVENANT_ANNEXES,
            "textbox": True,
            "signature": {"sig": "columns2", "fait": "fait", "sig_date": "long"},
        },
        {
            "name": "ae09_orvane_avenant3.pdf",
            "town": 8,
            "seed": 29,
            "writer": "pdf",
            "numero": 3,
            "avenant_title": avenant_title(3, "N°"),
            "style": (
                "PDF reportlab, « AVENANT N° 3 », sigle CAPO, sans calendrier général, k€, signataires sans nom, Times"
            ),
            "numbering": "ARTICLE",
            "parties": {"intro": "entre", "rep": "nom_titre", "delib": "slash"},
            "table": "keur",
            "total_row": "TOTAL",
            "omit": ["calendrier_general"],
            "signature": {"sig": "columns3", "fait": "fait_nl", "sig_date": "long", "unnamed": ["cdc", "anah"]},
            "options": {"font": "Times-Roman", "footer": "n/N"},
        },
        {
            "name": "ae10_ferrandieres_avenant2.docx",
            "town": 9,
            "seed": 30,
            "writer": "docx",
            "numero": 2,
            "avenant_title": avenant_title(2, "n° "),
            "style": (
                "DOCX, « Avenant n° 2 », sans numéros de titres, « Plan de financement », "
                "axes fusionnés, délibérations « Vu »"
            ),
            "numbering": "none",
            "synonyms": 2,
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "vu"},
            "table": "axe_action",
            "axis_rows": True,
            "total_row": "TOTAL",
            "signature": {"sig": "stacked", "fait": "exemplaires", "sig_date": "long"},
        },
        {
            "name": "ae14_malvoisine_avenant1_ocr.pdf",
            "town": 16,
            "seed": 31,
            "writer": "pdf",
            "numero": 1,
            "avenant_title": avenant_title(1, "n°"),
            "style": "PDF reportlab, texte OCR bruité (« 1'État », « Ia »), « Avenant n°1 », k€, signatures empilées",
            "numbering": "ARTICLE",
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "long"},
            "table": "keur",
            "total_row": "TOTAL",
            "signature": {"sig": "stacked", "fait": "fait", "sig_date": "long"},
            "ocr": True,
        },
    ]
    for recipe in a:
        recipe["kind"] = "avenant"
        recipe.setdefault("signed", dt.date(2020, 1 + recipe["seed"] % 12, 3 + recipe["seed"] % 25))
    return a
