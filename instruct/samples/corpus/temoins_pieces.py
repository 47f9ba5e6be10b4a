"""Témoins: the list of pieces: (file name without extension, format, maker, style line). A maker
returns the Doc (or, for « raw », a function writing the file) and the truth's fields."""

from __future__ import annotations

from instruct.samples.corpus import temoins_autres as o
from instruct.samples.corpus import temoins_avenants as a
from instruct.samples.corpus import temoins_conventions as c
from instruct.samples.corpus import temoins_conventions2 as c2
from instruct.samples.corpus import temoins_conventions3 as c3
from instruct.samples.corpus.temoins_build import build


def _b(spec):
    return lambda: build(spec())


PIECES = [
    (
        "cc_valbrune_sur_oise",
        "docx",
        _b(c.valbrune),
        "DOCX, Heading styles, ENTRE, « Article 1er – », € HT, TOTAL row, signature table in two columns",
    ),
    (
        "cc_kermaden",
        "pdf",
        _b(c.kermaden),
        "reportlab PDF, ENTRE LES SOUSSIGNÉS, « ARTICLE 2 : », dates 28/06/2018, k€ column with axis rows",
    ),
    (
        "cc_saint_julien_des_forges",
        "office",
        _b(c.saint_julien),
        "LibreOffice PDF, prose parties d'une part / d'autre part, TITRE I / Art. 1 -, M€, percentage row, no TOTAL",
    ),
    (
        "cc_montferrand_les_vignes",
        "docx",
        _b(c2.montferrand),
        "DOCX, bold-only headings, « I. », Métropole, Département, EPF, one « Pour … » per line, date next line",
    ),
    (
        "cc_pont_aubert",
        "pdf",
        _b(c2.pont_aubert),
        "reportlab PDF, « 1. », ANRU, 35-row table, five axis rows, over two pages, TOTAL, two-column signatures",
    ),
    (
        "cc_lussac_en_thierache",
        "office",
        _b(c2.lussac),
        "LibreOffice PDF, « Désignation des parties », no actions table, partial trame, undated « Fait à … le … »",
    ),
    (
        "cc_roc_amadieu",
        "docx",
        _b(c2.roc_amadieu),
        "DOCX, prose parties, « représenté par M. X, Président » without comma, k€ amounts, 30 % row",
    ),
    (
        "cc_bethanville",
        "pdf",
        _b(c3.bethanville),
        "reportlab PDF, two communes, « Vu la délibération … » lines, unruled k€ table, « Fait en six exemplaires »",
    ),
    (
        "cc_sainte_anne_d_orlac",
        "office",
        _b(c3.orlac),
        "LibreOffice PDF, Vu lines with 25.09.2018, Région, EPF, « 1. » headings, total in a sentence",
    ),
    (
        "av1_valbrune_sur_oise",
        "docx",
        _b(a.valbrune_1),
        "DOCX avenant N°1, full avenant trame, six numbered annexes, k€ column, axis rows",
    ),
    (
        "av2_kermaden",
        "pdf",
        _b(a.kermaden_2),
        "reportlab PDF « Avenant n° 2 », AFOM/stratégie/échéancier/maquette financière, unnumbered annexes",
    ),
    (
        "av1_ort_saint_julien_des_forges",
        "office",
        _b(a.saint_julien_ort),
        "LibreOffice PDF « AVENANT 1 » valant convention d'ORT, prose parties, M€, 25 % row, durée 5 ans",
    ),
    (
        "av3_pont_aubert",
        "pdf",
        _b(a.pont_aubert_3),
        "reportlab PDF « Avenant numéro 3 », « I. », long table over pages, no calendar part",
    ),
    (
        "av1_montferrand_les_vignes",
        "docx",
        _b(a.montferrand_1),
        "DOCX « Avenant n°1 », bold-only headings, partial trame, no TOTAL",
    ),
    (
        "av1_bethanville",
        "pdf",
        _b(a.bethanville_1),
        "reportlab PDF « PREMIER AVENANT », « ARTICLE n : », budget stated in M€, k€ table",
    ),
    (
        "av2_lussac_en_thierache",
        "docx",
        _b(a.lussac_2),
        "DOCX « AVENANT N° 2 », Heading styles, dates 08/10/2018, annexes plan de financement / planning",
    ),
    (
        "delib_valbrune_sur_oise",
        "docx",
        o.delib_valbrune,
        "DOCX délibération du conseil municipal, Heading styles, « Pour extrait certifié conforme »",
    ),
    (
        "delib_kermaden_agglo",
        "pdf",
        o.delib_kermaden,
        "reportlab PDF délibération du conseil communautaire, running header, « les jour, mois et an que dessus »",
    ),
    (
        "delib_roc_amadieu",
        "pdf",
        o.delib_roc,
        "reportlab PDF délibération, séance 14.02.2019, certified on 18 February, total and durée stated",
    ),
    ("scan_delib_saint_julien", "raw", o.scan, "image-only PDF (Pillow drawing in reportlab), askew, no text layer"),
    ("av2_roc_amadieu_chiffre", "raw", o.chiffre, "reportlab PDF encrypted by pypdf (RC4-128, user password)"),
]
