"""The recipes of the conventions-cadres and avenants of the « essais » corpus: each one a
different combination of phrasings, headings, tables and signature blocks, as if written by a
different town clerk. `style` is the one line the truth keeps of it."""

from __future__ import annotations

import datetime as dt

from instruct.samples.corpus.essais_build import avenant_title
from instruct.samples.corpus.essais_model import PageBreak

BASE = ["ville_centre", "intercommunalite", "prefet", "cdc", "action_logement", "anah"]
LONG_TEXT = (
    "L'action s'inscrit dans la stratégie de reconquête du centre-ville. Elle associe les habitants, les "
    "commerçants et les propriétaires ; ses effets sont mesurés par des indicateurs de fréquentation, de "
    "vacance et de qualité des logements, suivis chaque année par le comité de projet. "
) * 6


def conventions() -> list[dict]:
    c = [
        dict(name="ce01_kerbrivan_convention.docx", town=0, seed=1, writer="docx",
             style="DOCX, Heading styles « Article 1er – », ENTRE/ET, « son maire, M. », délibérations en toutes lettres, grille de tableau, signatures empilées « Pour … »",
             numbering="article_er", parties=dict(intro="entre", rep="son_titre", delib="long"),
             table="libelle", duree=(6, "words"), signature=dict(sig="stacked", fait="fait", sig_date="long")),
        dict(name="ce02_lauzac_convention.pdf", town=1, seed=2, writer="pdf",
             style="PDF reportlab, « ARTICLE 1 : », ENTRE LES SOUSSIGNÉS, pas de virgule avant « représentée », « M. NOM, maire », tableau sans filets, signatures en deux colonnes, en-tête courant et « Page n / N »",
             numbering="ARTICLE", parties=dict(intro="soussignes", comma=False, rep="nom_titre", delib="dots"),
             table="budget_unit", ruled=False, duree=(5, "digits"), ville_form="Ville",
             signature=dict(sig="columns2", fait="exemplaires", sig_date="slash"),
             options=dict(header="Convention-cadre Action Cœur de Ville – Lauzac-sur-Tarn", footer="n/N")),
        dict(name="ce03_montreval_convention.docx", town=2, seed=3, writer="docx",
             style="DOCX, titres numérotés automatiquement par Word (numbering.xml), parties en prose « Entre … d'une part, et … d'autre part », axes en lignes fusionnées, ligne TOTAL, tableau de signatures fusionné",
             numbering="auto", parties=dict(intro="prose", rep="son_titre", delib="slash"),
             table="axe_action", axis_rows=True, total_row="TOTAL", duree=(6, "words"),
             roles=BASE + ["region", "departement"], signature=dict(sig="grid", fait="fait_nl", sig_date="dots"),
             options=dict(headings="auto", auto="article")),
        dict(name="ce04_saint_aubrac_convention.pdf", town=3, seed=4, writer="pdf",
             style="PDF reportlab, « Article premier : », lignes « Vu la délibération … », en-tête de tableau sur deux lignes (k€ HT), césures en fin de ligne, titres sur deux lignes, signatures en trois colonnes",
             numbering="article_premier", parties=dict(intro="entre", rep="nom_titre", delib="vu"),
             table="two_rows", total_row="Total général", duree=(5, "words"), roles=BASE + ["epf"],
             signature=dict(sig="columns3", fait="fait", sig_date="long"),
             options=dict(hyphenate=True, narrow_headings=260, footer="n")),
        dict(name="ce05_valdrome_convention.docx", town=4, seed=5, writer="docx",
             style="DOCX, titres en gras sans style de titre « I. », « Monsieur NOM, en sa qualité de maire », pourcentages au lieu de montants, total dans une phrase (M€), signatures sans « Pour » (« Le Maire de X, »)",
             numbering="roman_dot", parties=dict(intro="entre", rep="monsieur", delib="long"),
             table="percent", total_row="", budget_sentence="meur", duree=(6, "digits"),
             signature=dict(sig="maire", fait="a", sig_date="long"), options=dict(headings="bold")),
        dict(name="ce06_pontcharrier_convention.pdf", town=5, seed=6, writer="pdf",
             style="PDF reportlab, « 1. » et « 1.1 », « X Agglo », montants « 1.200.000 € », en-tête « Montant prévisionnel » sur deux lignes, tableau poursuivi page suivante sans en-tête, Times",
             numbering="decimal", parties=dict(intro="soussignes", rep="son_titre", delib="slash", ciapres=False),
             table="wrapped", total_row="TOTAL", actions=22, repeat_header=False,
             break_before_table=[], duree=None, signature=dict(sig="stacked", fait="fait", sig_date="dashes"),
             options=dict(font="Times-Roman", footer="n/N")),
        dict(name="ce07_brisselieu_convention.docx", town=6, seed=7, writer="docx",
             style="DOCX, « TITRE I – », « Intercom X », montants « EUR », une zone de texte, signatures plusieurs par ligne (tabulations)",
             numbering="titre", parties=dict(intro="entre", rep="nom_titre", delib="long"), textbox=True,
             table="eur_word", total_row="Total", duree=(5, "digits"), signature=dict(sig="line", fait="exemplaires", sig_date="long")),
        dict(name="ce08_castelmoron_convention.pdf", town=7, seed=8, writer="pdf",
             style="PDF reportlab, chiffres romains sans point « II – », « X Communauté », montants en M€, CCI et CMA parties, signataires sans nom pour l'État",
             numbering="roman", parties=dict(intro="entre", rep="son_titre", delib="dots"),
             table="meur", total_row="TOTAL", duree=(6, "words"), roles=BASE + ["cci", "cma"],
             signature=dict(sig="columns2", fait="fait", sig_date="short", unnamed=["prefet"])),
        dict(name="ce09_orvane_convention.docx", town=8, seed=9, writer="docx",
             style="DOCX, sigle « la CAPO » (ci-après), « Article 1er – » en gras, k€, Région et Département, annexe non numérotée « Annexe – … »",
             numbering="article_er", parties=dict(intro="soussignes", rep="son_titre", delib="long"),
             table="keur", total_row="TOTAL GÉNÉRAL", duree=(6, "digits"), annexes="unnumbered",
             roles=BASE + ["region", "departement"], signature=dict(sig="stacked", fait="fait_nl", sig_date="slash"),
             options=dict(headings="bold")),
        dict(name="ce10_ferrandieres_convention.pdf", town=9, seed=10, writer="pdf",
             style="PDF reportlab, texte OCR bruité (« 1'État », « Ia »), « Communauté urbaine », page de signature numérisée (image)",
             numbering="ARTICLE", parties=dict(intro="entre", rep="nom_titre", delib="long"),
             table="libelle", total_row="TOTAL", duree=(5, "words"), signature=dict(sig="scanned", fait="fait", sig_date="long"),
             ocr=True),
        dict(name="ce11_bellegrange_convention.docx", town=10, seed=11, writer="docx",
             style="DOCX, sans numérotation des titres, « Communauté de communes » et sigle, ANRU partie, délibérations absentes, grille de signatures",
             numbering="none", parties=dict(intro="entre", rep="son_titre", delib="none"),
             table="budget_unit", total_row="TOTAL", duree=None, roles=BASE + ["anru"],
             signature=dict(sig="grid", fait="exemplaires", sig_date="long")),
        dict(name="ce12_vireloup_convention.pdf", town=11, seed=12, writer="pdf",
             style="PDF reportlab, « Article 1er – », parties sans article défini, phase d'initialisation sans tableau, durée en chiffres, signatures empilées, en-tête courant",
             numbering="article_er", parties=dict(intro="soussignes", comma=False, rep="son_titre", delib="long"),
             omit=["phase_initialisation"], duree=(5, "digits"), total_row="",
             signature=dict(sig="stacked", fait="fait", sig_date="long"),
             options=dict(header="Ville de Vireloup – Action Cœur de Ville", footer="n/N")),
        dict(name="ce13_sainte_merenne_convention.docx", town=12, seed=13, writer="docx",
             style="DOCX, « X Agglomération », « Article premier : », sans article « Litiges », axes fusionnés, montants « € HT »",
             numbering="article_premier", parties=dict(intro="entre", rep="monsieur", delib="slash"),
             omit=["traitement_litiges"], table="libelle", axis_rows=True, total_row="TOTAL", duree=(6, "words"),
             signature=dict(sig="columns2", fait="fait", sig_date="long")),
        dict(name="ce14_rocheval_convention.pdf", town=13, seed=14, writer="pdf",
             style="PDF reportlab, « X Métropole », « 1. », total énoncé dans une phrase en € HT, signatures « Le Maire de X, » sans « Pour », césures",
             numbering="decimal", parties=dict(intro="prose", rep="nom_titre", delib="dots"),
             table="axe_action", total_row="", budget_sentence="eur_ht", duree=(5, "digits"),
             signature=dict(sig="maire", fait="a", sig_date="dots"), options=dict(hyphenate=True, footer="n/N")),
    ]
    c.append(
        dict(name="ce15_tournefort_convention_longue.pdf", town=14, seed=15, writer="pdf",
             style="PDF reportlab d'une soixantaine de pages (vitesse) : « Article 1er – », 56 actions sur plusieurs pages (en-tête répété), fiches-actions d'une page chacune",
             numbering="article_er", parties=dict(intro="entre", rep="son_titre", delib="long"),
             table="libelle", axis_rows=True, total_row="TOTAL", actions=56, fiches=56, fiche_pages=2,
             fiche_text_long=LONG_TEXT, duree=(6, "words"), roles=BASE + ["region", "departement", "epf"],
             signature=dict(sig="columns3", fait="exemplaires", sig_date="long"),
             options=dict(header="Convention-cadre Action Cœur de Ville – Tournefort-en-Brie", footer="n/N"))
    )
    for recipe in c:
        recipe["kind"] = "convention_cadre"
    return c


def avenants() -> list[dict]:
    a = [
        dict(name="ae01_kerbrivan_avenant1.pdf", town=0, seed=21, writer="pdf", numero=1, avenant_title=avenant_title(1, "n°"),
             style="PDF reportlab, « Avenant n°1 », « Article 1er – », tableau « Libellé de l'action / Coût HT », signatures en deux colonnes",
             numbering="article_er", parties=dict(intro="entre", rep="son_titre", delib="long"), table="libelle", total_row="TOTAL",
             duree=None, signature=dict(sig="columns2", fait="fait", sig_date="long"), options=dict(footer="n/N")),
        dict(name="ae02_lauzac_avenant2.docx", town=1, seed=22, writer="docx", numero=2, avenant_title=avenant_title(2, "N°"),
             style="DOCX, « AVENANT N° 2 », titres numérotés par Word « 1. », tableau deux lignes d'en-tête, signatures empilées",
             numbering="auto", parties=dict(intro="soussignes", rep="nom_titre", delib="dots"), table="two_rows", total_row="TOTAL",
             signature=dict(sig="stacked", fait="fait_nl", sig_date="slash"), options=dict(headings="auto", auto="decimal")),
        dict(name="ae03_montreval_avenant1.pdf", town=2, seed=23, writer="pdf", numero=1, avenant_title=avenant_title(1, "ordinal"),
             style="PDF reportlab, « Premier avenant », « Secteurs d'intervention de l'ORT », « Maquette financière », valant convention d'ORT, durée « cinq (5) ans »",
             numbering="ARTICLE", synonyms=1, valant_ort=True, parties=dict(intro="entre", rep="son_titre", delib="long"),
             table="axe_action", axis_rows=True, total_row="TOTAL", duree=(5, "words"),
             signature=dict(sig="columns3", fait="exemplaires", sig_date="long"), options=dict(header="Avenant n°1 – Montreval", footer="n/N")),
        dict(name="ae04_saint_aubrac_avenant3.docx", town=3, seed=24, writer="docx", numero=3, avenant_title=avenant_title(3, "n° "),
             style="DOCX, « Avenant n° 3 », titres en gras « I. », « Programme d'actions », pourcentages, total en phrase (k€), signatures « Le Maire de X, »",
             numbering="roman_dot", synonyms=1, parties=dict(intro="prose", rep="monsieur", delib="slash"), table="percent", total_row="",
             budget_sentence="keur", signature=dict(sig="maire", fait="fait", sig_date="long"), options=dict(headings="bold")),
        dict(name="ae05_valdrome_avenant2.pdf", town=4, seed=25, writer="pdf", numero=2, avenant_title=avenant_title(2, "n°"),
             style="PDF reportlab, « Avenant n°2 », annexes partielles, tableau sans filets poursuivi page suivante sans en-tête, Budget (€ HT)",
             numbering="decimal", parties=dict(intro="soussignes", comma=False, rep="son_titre", delib="vu"), table="budget_unit",
             ruled=False, repeat_header=False, actions=24, total_row="TOTAL", omit=["annexe_livrables_etudes", "annexe_document_presentation"],
             signature=dict(sig="stacked", fait="fait", sig_date="dashes"), options=dict(font="Times-Roman")),
        dict(name="ae06_pontcharrier_avenant1.docx", town=5, seed=26, writer="docx", numero=1, avenant_title=avenant_title(1, "N°"),
             style="DOCX, « AVENANT N° 1 », « TITRE I – », tableau « Fiche / Opération / Montant prévisionnel » (montants à points), grille de signatures",
             numbering="titre", synonyms=2, parties=dict(intro="entre", rep="nom_titre", delib="long"), table="wrapped", total_row="Total général",
             signature=dict(sig="grid", fait="exemplaires", sig_date="long"), roles=BASE + ["region"]),
        dict(name="ae07_brisselieu_avenant2.pdf", town=6, seed=27, writer="pdf", numero=2, avenant_title=avenant_title(2, "ordinal"),
             style="PDF reportlab, « Deuxième avenant », « Intercom X », montants EUR, signatures plusieurs par ligne, césures",
             numbering="roman", parties=dict(intro="entre", rep="son_titre", delib="dots"), table="eur_word", total_row="TOTAL",
             duree=(6, "digits"), signature=dict(sig="line", fait="fait", sig_date="short"), options=dict(hyphenate=True)),
        dict(name="ae08_castelmoron_avenant1.docx", town=7, seed=28, writer="docx", numero=1, avenant_title=avenant_title(1, "n°"),
             style="DOCX, « Avenant n°1 » sans annexes, « Article premier : », M€, une zone de texte, signatures en colonnes",
             numbering="article_premier", parties=dict(intro="soussignes", rep="son_titre", delib="long"), table="meur", total_row="TOTAL",
             omit=AVENANT_ANNEXES_ALL, textbox=True, signature=dict(sig="columns2", fait="fait", sig_date="long")),
        dict(name="ae09_orvane_avenant3.pdf", town=8, seed=29, writer="pdf", numero=3, avenant_title=avenant_title(3, "N°"),
             style="PDF reportlab, « AVENANT N° 3 », sigle CAPO, sans calendrier général, k€, signataires sans nom, Times",
             numbering="ARTICLE", parties=dict(intro="entre", rep="nom_titre", delib="slash"), table="keur", total_row="TOTAL",
             omit=["calendrier_general"], signature=dict(sig="columns3", fait="fait_nl", sig_date="long", unnamed=["cdc", "anah"]),
             options=dict(font="Times-Roman", footer="n/N")),
        dict(name="ae10_ferrandieres_avenant2.docx", town=9, seed=30, writer="docx", numero=2, avenant_title=avenant_title(2, "n° "),
             style="DOCX, « Avenant n° 2 », sans numéros de titres, « Plan de financement », axes fusionnés, délibérations « Vu »",
             numbering="none", synonyms=2, parties=dict(intro="entre", rep="son_titre", delib="vu"), table="axe_action", axis_rows=True,
             total_row="TOTAL", signature=dict(sig="stacked", fait="exemplaires", sig_date="long")),
    ]
    for recipe in a:
        recipe["kind"] = "avenant"
        recipe.setdefault("signed", dt.date(2020, 1 + recipe["seed"] % 12, 3 + recipe["seed"] % 25))
    return a


AVENANT_ANNEXES_ALL = [
    "annexe_livrables_etudes",
    "annexe_document_presentation",
    "annexe_plan_perimetres",
    "annexe_calendrier_detaille",
    "annexe_budget_detaille",
    "annexe_fiches_actions",
]
__all__ = ["conventions", "avenants", "PageBreak"]
