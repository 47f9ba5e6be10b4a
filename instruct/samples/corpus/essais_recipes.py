"""The recipes of the conventions-cadres and avenants of the « essais » corpus: each one a
different combination of phrasings, headings, tables and signature blocks, as if written by a
different town clerk. `style` is the one line the truth keeps of it. The avenants: essais_avenants."""

from __future__ import annotations

import datetime as dt

BASE = ["ville_centre", "intercommunalite", "prefet", "cdc", "action_logement", "anah"]
LONG_TEXT = (
    "L'action s'inscrit dans la stratégie de reconquête du centre-ville. Elle associe les habitants, les "
    "commerçants et les propriétaires ; ses effets sont mesurés par des indicateurs de fréquentation, de "
    "vacance et de qualité des logements, suivis chaque année par le comité de projet. "
) * 6


def conventions() -> list[dict]:
    c = [
        {
            "name": "ce01_kerbrivan_convention.docx",
            "town": 0,
            "seed": 1,
            "signed": dt.date(2018, 10, 1),
            "writer": "docx",
            "style": (
                "DOCX, Heading styles « Article 1er – », ENTRE/ET, « son maire, M. », délibérations "
                "en toutes lettres, grille de tableau, signatures empilées « Pour … »"
            ),
            "numbering": "article_er",
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "long"},
            "table": "libelle",
            "duree": (6, "words"),
            "signature": {"sig": "stacked", "fait": "fait", "sig_date": "long"},
        },
        {
            "name": "ce02_lauzac_convention.pdf",
            "town": 1,
            "seed": 2,
            "writer": "pdf",
            "style": (
                "PDF reportlab, « ARTICLE 1 : », ENTRE LES SOUSSIGNÉS, pas de virgule avant "
                "« représentée », « M. NOM, maire », tableau sans filets, signatures en deux "
                "colonnes, en-tête courant et « Page n / N »"
            ),
            "numbering": "ARTICLE",
            "parties": {"intro": "soussignes", "comma": False, "rep": "nom_titre", "delib": "dots"},
            "table": "budget_unit",
            "ruled": False,
            "duree": (5, "digits"),
            "ville_form": "Ville",
            "signature": {"sig": "columns2", "fait": "exemplaires", "sig_date": "slash"},
            "options": {"header": "Convention-cadre Action Cœur de Ville – Lauzac-sur-Tarn", "footer": "n/N"},
        },
        {
            "name": "ce03_montreval_convention.docx",
            "town": 2,
            "seed": 3,
            "writer": "docx",
            "style": (
                "DOCX, titres numérotés automatiquement par Word (numbering.xml), parties "
                "en prose « Entre … d'une part, et … d'autre part », axes en lignes fusionnées, "
                "ligne TOTAL, tableau de signatures fusionné"
            ),
            "numbering": "auto",
            "parties": {"intro": "prose", "rep": "son_titre", "delib": "slash"},
            "table": "axe_action",
            "axis_rows": True,
            "total_row": "TOTAL",
            "duree": (6, "words"),
            "roles": BASE + ["region", "departement"],
            "signature": {"sig": "grid", "fait": "fait_nl", "sig_date": "dots"},
            "options": {"headings": "auto", "auto": "article"},
        },
        {
            "name": "ce04_saint_aubrac_convention.pdf",
            "town": 3,
            "seed": 4,
            "writer": "pdf",
            "style": (
                "PDF reportlab, « Article premier : », lignes « Vu la délibération … », en-tête "
                "de tableau sur deux lignes (k€ HT), césures en fin de ligne, titres sur "
                "deux lignes, signatures en trois colonnes"
            ),
            "numbering": "article_premier",
            "parties": {"intro": "entre", "rep": "nom_titre", "delib": "vu"},
            "table": "two_rows",
            "total_row": "Total général",
            "duree": (5, "words"),
            "roles": BASE + ["epf"],
            "signature": {"sig": "columns3", "fait": "fait", "sig_date": "long"},
            "options": {"hyphenate": True, "narrow_headings": 260, "footer": "n"},
        },
        {
            "name": "ce05_valdrome_convention.docx",
            "town": 4,
            "seed": 5,
            "writer": "docx",
            "style": (
                "DOCX, titres en gras sans style de titre « I. », « Monsieur NOM, en sa qualité "
                "de maire », pourcentages au lieu de montants, total dans une phrase (M€), "
                "signatures sans « Pour » (« Le Maire de X, »)"
            ),
            "numbering": "roman_dot",
            "parties": {"intro": "entre", "rep": "monsieur", "delib": "long"},
            "table": "percent",
            "total_row": "",
            "budget_sentence": "meur",
            "duree": (6, "digits"),
            "signature": {"sig": "maire", "fait": "a", "sig_date": "long"},
            "options": {"headings": "bold"},
        },
        {
            "name": "ce06_pontcharrier_convention.pdf",
            "town": 5,
            "seed": 6,
            "writer": "pdf",
            "style": (
                "PDF reportlab, « 1. » et « 1.1 », « X Agglo », montants « 1.200.000 € », "
                "en-tête « Montant prévisionnel » sur deux lignes, tableau poursuivi page "
                "suivante sans en-tête, Times"
            ),
            "numbering": "decimal",
            "parties": {"intro": "soussignes", "rep": "son_titre", "delib": "slash", "ciapres": False},
            "table": "wrapped",
            "total_row": "TOTAL",
            "actions": 22,
            "repeat_header": False,
            "duree": None,
            "signature": {"sig": "stacked", "fait": "fait", "sig_date": "dashes"},
            "options": {"font": "Times-Roman", "footer": "n/N"},
        },
        {
            "name": "ce07_brisselieu_convention.docx",
            "town": 6,
            "seed": 7,
            "writer": "docx",
            "style": (
                "DOCX, « TITRE I – », « Intercom X », montants « EUR », une zone de texte, "
                "signatures plusieurs par ligne (tabulations)"
            ),
            "numbering": "titre",
            "parties": {"intro": "entre", "rep": "nom_titre", "delib": "long"},
            "textbox": True,
            "table": "eur_word",
            "total_row": "Total",
            "duree": (5, "digits"),
            "signature": {"sig": "line", "fait": "exemplaires", "sig_date": "long"},
        },
        {
            "name": "ce08_castelmoron_convention.pdf",
            "town": 7,
            "seed": 8,
            "writer": "pdf",
            "style": (
                "PDF reportlab, chiffres romains sans point « II – », « X Communauté », montants "
                "en M€, CCI et CMA parties, signataires sans nom pour l'État"
            ),
            "numbering": "roman",
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "dots"},
            "table": "meur",
            "total_row": "TOTAL",
            "duree": (6, "words"),
            "roles": BASE + ["cci", "cma"],
            "signature": {"sig": "columns2", "fait": "fait", "sig_date": "short", "unnamed": ["prefet"]},
        },
        {
            "name": "ce09_orvane_convention.docx",
            "town": 8,
            "seed": 9,
            "writer": "docx",
            "style": (
                "DOCX, sigle « la CAPO » (ci-après), « Article 1er – » en gras, k€, Région "
                "et Département, annexe non numérotée « Annexe – … »"
            ),
            "numbering": "article_er",
            "parties": {"intro": "soussignes", "rep": "son_titre", "delib": "long"},
            "table": "keur",
            "total_row": "TOTAL GÉNÉRAL",
            "duree": (6, "digits"),
            "annexes": "unnumbered",
            "roles": BASE + ["region", "departement"],
            "signature": {"sig": "stacked", "fait": "fait_nl", "sig_date": "slash"},
            "options": {"headings": "bold"},
        },
        {
            "name": "ce10_ferrandieres_convention.pdf",
            "town": 9,
            "seed": 10,
            "writer": "pdf",
            "style": (
                "PDF reportlab, texte OCR bruité (« 1'État », « Ia »), « Communauté urbaine "
                "», page de signature numérisée (image)"
            ),
            "numbering": "ARTICLE",
            "parties": {"intro": "entre", "rep": "nom_titre", "delib": "long"},
            "table": "libelle",
            "total_row": "TOTAL",
            "duree": (5, "words"),
            "signature": {"sig": "scanned", "fait": "fait", "sig_date": "long"},
            "ocr": True,
        },
        {
            "name": "ce11_bellegrange_convention.docx",
            "town": 10,
            "seed": 11,
            "writer": "docx",
            "style": (
                "DOCX, sans numérotation des titres, « Communauté de communes » et sigle, "
                "ANRU partie, délibérations absentes, grille de signatures, en-tête et pied « Page n / N » Word"
            ),
            "numbering": "none",
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "none"},
            "table": "budget_unit",
            "total_row": "TOTAL",
            "duree": None,
            "roles": BASE + ["anru"],
            "signature": {"sig": "grid", "fait": "exemplaires", "sig_date": "long"},
            "options": {"header": "Ville de Bellegrange – convention Action Cœur de Ville", "page_numbers": True},
        },
        {
            "name": "ce12_vireloup_convention.pdf",
            "town": 11,
            "seed": 12,
            "writer": "pdf",
            "style": (
                "PDF reportlab, « Article 1er – », parties sans article défini, phase d'initialisation "
                "sans tableau, durée en chiffres, signatures empilées, en-tête courant"
            ),
            "numbering": "article_er",
            "parties": {"intro": "soussignes", "comma": False, "rep": "son_titre", "delib": "long"},
            "omit": ["phase_initialisation"],
            "duree": (5, "digits"),
            "total_row": "",
            "signature": {"sig": "stacked", "fait": "fait", "sig_date": "long"},
            "options": {"header": "Ville de Vireloup – Action Cœur de Ville", "footer": "n/N"},
        },
        {
            "name": "ce13_sainte_merenne_convention.docx",
            "town": 12,
            "seed": 13,
            "writer": "docx",
            "style": (
                "DOCX, « X Agglomération », « Article premier : », sans article « Litiges "
                "», axes fusionnés, montants « € HT »"
            ),
            "numbering": "article_premier",
            "parties": {"intro": "entre", "rep": "monsieur", "delib": "slash"},
            "omit": ["traitement_litiges"],
            "table": "libelle",
            "axis_rows": True,
            "total_row": "TOTAL",
            "duree": (6, "words"),
            "signature": {"sig": "columns2", "fait": "fait", "sig_date": "long"},
        },
        {
            "name": "ce14_rocheval_convention.pdf",
            "town": 13,
            "seed": 14,
            "writer": "pdf",
            "style": (
                "PDF reportlab, « X Métropole », « 1. », total énoncé dans une phrase en "
                "€ HT, signatures « Le Maire de X, » sans « Pour », césures"
            ),
            "numbering": "decimal",
            "parties": {"intro": "prose", "rep": "nom_titre", "delib": "dots"},
            "table": "axe_action",
            "total_row": "",
            "budget_sentence": "eur_ht",
            "duree": (5, "digits"),
            "signature": {"sig": "maire", "fait": "a", "sig_date": "dots"},
            "options": {"hyphenate": True, "footer": "n/N"},
        },
    ]
    c.append(
        {
            "name": "ce15_tournefort_convention_longue.pdf",
            "town": 14,
            "seed": 15,
            "writer": "pdf",
            "style": (
                "PDF reportlab d'une soixantaine de pages (vitesse) : « Article 1er – », "
                "56 actions sur plusieurs pages (en-tête répété), fiches-actions d'une page "
                "chacune"
            ),
            "numbering": "article_er",
            "parties": {"intro": "entre", "rep": "son_titre", "delib": "long"},
            "table": "libelle",
            "axis_rows": True,
            "total_row": "TOTAL",
            "actions": 56,
            "fiches": 56,
            "fiche_pages": 2,
            "fiche_text_long": LONG_TEXT,
            "duree": (6, "words"),
            "roles": BASE + ["region", "departement", "epf"],
            "signature": {"sig": "columns3", "fait": "exemplaires", "sig_date": "long"},
            "options": {"header": "Convention-cadre Action Cœur de Ville – Tournefort-en-Brie", "footer": "n/N"},
        }
    )
    c += [
        {
            "name": "ce20_castelmoron_convention_liste.docx",
            "town": 7,
            "seed": 16,
            "writer": "docx",
            "style": (
                "DOCX, parties en liste à puces « Entre les soussignés : », Heading styles, montants « € » "
                "sans HT, date de signature laissée en blanc (« le …… »), CMA partie"
            ),
            "numbering": "article_er",
            "parties": {"intro": "liste", "rep": "nom_titre", "delib": "long"},
            "table": "libelle",
            "cost_form": "eur",
            "total_row": "TOTAL",
            "duree": (5, "words"),
            "roles": BASE + ["cma"],
            "signature": {"sig": "stacked", "fait": "exemplaires", "sig_date": "blank"},
        },
        {
            "name": "ce21_rocheval_convention_liste.pdf",
            "town": 13,
            "seed": 17,
            "writer": "pdf",
            "style": (
                "PDF reportlab, parties en liste à puces, « I. », césures, tableau sans filets en EUR, "
                "signatures en deux colonnes, date « 1/10/18 », binôme avec une autre commune"
            ),
            "signed": dt.date(2018, 10, 1),
            "numbering": "roman_dot",
            "parties": {"intro": "liste", "comma": False, "rep": "son_titre", "delib": "dots"},
            "table": "eur_word",
            "ruled": False,
            "total_row": "Total",
            "duree": (6, "digits"),
            "roles": ["ville_centre", "autre_commune", "intercommunalite", "prefet", "cdc", "action_logement", "anah"],
            "signature": {"sig": "columns2", "fait": "fait", "sig_date": "short"},
            "options": {"hyphenate": True, "footer": "n/N"},
        },
    ]
    for recipe in c:
        recipe["kind"] = "convention_cadre"
    return c
