"""Parties, signatories, kinds and dates as towns write them: real DOCX (python-docx) and PDF
(reportlab) pieces made here, each in one of the ways a convention or an avenant is written."""

import datetime as dt

import pytest
from builders import make_docx
from docx import Document

from instruct.documents.evidence import SURE
from instruct.documents.extract import read
from instruct.documents.kinds import avenant_number
from instruct.documents.read import read_piece
from instruct.documents.roles import role_of, role_scored
from instruct.documents.text import normal
from instruct.documents.values import date_spans, dates, month_spans

TITLE = "Convention-cadre pluriannuelle Action Cœur de Ville"


def make_pdf(path, pages):
    """A PDF written by reportlab: each page a list of lines, a line a text or a tuple of texts
    drawn in columns; None for a page that is only an image (no text)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        if lines is None:
            drawing.rect(50, 400, 400, 300, fill=1)
        else:
            y = 800
            for line in lines:
                for n, text in enumerate(line if isinstance(line, tuple) else (line,)):
                    drawing.setFont("Helvetica", 10)
                    drawing.drawString(50 + 260 * n, y, text)
                y -= 15
        drawing.showPage()
    drawing.save()
    return path


def reading_of(path, ville=None):
    return read(read_piece(path), ville=ville)


def sure(party):
    return party.quote.confidence >= SURE


def by_role(parties):
    return {p.role: p for p in parties}


def test_soussignes_without_comma_dotted_deliberation_and_stacked_signatures(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "Article 1 : Parties signataires",
            "ENTRE LES SOUSSIGNÉS :",
            "La Ville de Lauzac-sur-Tarn représentée par M. Patrick LABORIE, maire, agissant en vertu "
            "d'une délibération en date du 30.10.2018, ci-après dénommée « la Ville »,",
            "La Communauté de communes du Val de Lauze représentée par sa présidente, Mme Anne VASSEUR-LAMBERT, "
            "dûment habilitée par délibération du conseil communautaire du 25 octobre 2018,",
            "d'une part,",
            "ET",
            "L'État, représenté par Monsieur le Préfet Jean D'HERBIGNY,",
            "La Banque des Territoires, représentée par son directeur régional, M. Marc LE GALL,",
            "d'autre part,",
            "IL A ÉTÉ CONVENU CE QUI SUIT :",
            "Article 2 : Objet",
            "Fait en 4 exemplaires originaux, à Lauzac-sur-Tarn, le",
            "15/11/18",
            "Pour la Ville,",
            "Le Maire,",
            "Patrick LABORIE",
            "Pour la Communauté de communes du Val de Lauze,",
            "La Présidente,",
            "Anne VASSEUR-LAMBERT",
            "Pour l'État,",
            "Le Préfet,",
            "Jean D'HERBIGNY",
            "Pour la Banque des Territoires,",
            "Le Directeur régional,",
            "Marc LE GALL",
            "Annexe 1 – Fiches actions",
        ],
    )
    reading = reading_of(path)
    assert (reading.kind, reading.kind_confidence) == ("convention_cadre", 1.0)
    parties = by_role(reading.parties)
    assert list(parties) == ["ville_centre", "intercommunalite", "prefet", "cdc"]
    assert all(sure(p) for p in reading.parties)
    ville, interco = parties["ville_centre"], parties["intercommunalite"]
    assert (ville.organisme, ville.nom, ville.deliberation, ville.alias) == (
        "Ville de Lauzac-sur-Tarn",
        "Patrick LABORIE",
        dt.date(2018, 10, 30),
        "la Ville",
    )
    assert (interco.nom, interco.deliberation) == ("Anne VASSEUR-LAMBERT", dt.date(2018, 10, 25))
    assert interco.deliberation_quote.confidence >= SURE
    assert (parties["prefet"].organisme, parties["prefet"].nom) == ("État", "Jean D'HERBIGNY")
    assert parties["cdc"].nom == "Marc LE GALL" and parties["cdc"].deliberation is None
    assert [(s.role, s.nom) for s in reading.signatures] == [
        ("ville_centre", "Patrick LABORIE"),
        ("intercommunalite", "Anne VASSEUR-LAMBERT"),
        ("prefet", "Jean D'HERBIGNY"),
        ("cdc", "Marc LE GALL"),
    ]
    day, quote = reading.date_signature
    assert day == dt.date(2018, 11, 15) and quote.confidence >= SURE and quote.where.startswith("paragraphe")


def test_prose_parties_and_a_signature_grid_in_a_docx_table(tmp_path):
    document = Document()
    for text in (
        "Avenant n° 2 à la convention Action Cœur de Ville de Montreval",
        "Les parties",
        "Entre la Commune de Montreval, représentée par son maire, M. Marc RIVOALLAN, dûment habilité à cet effet "
        "par délibération n° 2018-045 du 05/12/2018, ci-après dénommée « la Ville » et Montreval Métropole, "
        "représentée par sa présidente, Mme Claire DUPRAT, d'une part, et l'État, représenté par le préfet de la "
        "Brenne, M. Pierre DELAMARRE, la Caisse des Dépôts et Consignations, représentée par le directeur régional, "
        "M. Yannick TAILLEFER, d'autre part,",
        "il est convenu ce qui suit :",
        "Fait à Montreval, le 1er mars 2021",
    ):
        document.add_paragraph(text)
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).text = "Pour la Ville\nLe Maire\nMarc RIVOALLAN"
    grid.cell(0, 1).text = "Pour la Métropole\nLa Présidente\nClaire DUPRAT"
    grid.cell(1, 0).text = "Pour l'État\nLe Préfet\nPierre DELAMARRE"
    grid.cell(1, 1).text = "Pour la Caisse des Dépôts et Consignations\nLe Directeur régional\nYannick TAILLEFER"
    document.save(str(tmp_path / "avenant.docx"))
    reading = reading_of(tmp_path / "avenant.docx")
    assert (reading.kind, reading.numero) == ("avenant", 2)
    assert [(p.role, p.organisme, p.nom) for p in reading.parties] == [
        ("ville_centre", "Commune de Montreval", "Marc RIVOALLAN"),
        ("intercommunalite", "Montreval Métropole", "Claire DUPRAT"),
        ("prefet", "État", "Pierre DELAMARRE"),
        ("cdc", "Caisse des Dépôts et Consignations", "Yannick TAILLEFER"),
    ]
    assert reading.parties[0].deliberation == dt.date(2018, 12, 5)
    assert reading.parties[1].deliberation is None
    assert sorted((s.role, s.nom) for s in reading.signatures) == [
        ("cdc", "Yannick TAILLEFER"),
        ("intercommunalite", "Claire DUPRAT"),
        ("prefet", "Pierre DELAMARRE"),
        ("ville_centre", "Marc RIVOALLAN"),
    ]
    assert all(sure(s) for s in reading.signatures)
    assert reading.date_signature[0] == dt.date(2021, 3, 1)


def test_pdf_with_ocr_noise_visas_hyphens_and_two_columns_of_signatures(tmp_path):
    path = make_pdf(
        tmp_path / "convention.pdf",
        [
            [
                "CONVENTION-CADRE PLURIANNUELLE « ACTION CŒUR DE VILLE »",
                "Article premier : Désignation des parties",
                "Vu la délibération du conseil municipal de Saint-Aubrac en date du 15 août 2018 autorisant le",
                "maire à signer la présente convention ;",
                "Vu la délibération du conseil communautaire de la Métropole de Saint-Aubrac du 8 août 2018",
                "approuvant la présente convention ;",
                "ENTRE",
                "La Commune de Saint-Aubrac, repré-",
                "sentée par Mme Anne BERTHOMIEU, maire,",
                "La Métropole de Saint-Aubrac, représentée par son président, M. Yannick ESCANDE,",
                "ET",
                "1'État, représenté par le préfet de l'Orvane, M. Olivier LABORIE,",
                "L'Établissement public foncier de l'Orvane, représenté par sa directrice générale,",
                "Mme Valérie GUILLOU,",
                "Il est convenu ce qui suit.",
            ],
            [
                "Article 9 : Litiges",
                "Fait à Saint-Aubrac,",
                "le 2 septembre 2018",
                ("Pour la Commune de Saint-Aubrac,", "Pour la Métropole de Saint-Aubrac,"),
                ("La Maire,", "Le Président,"),
                ("Anne BERTHOMIEU", "Yannick ESCANDE"),
                ("Pour l'État,", "Pour l'EPF,"),
                ("Le Préfet,", "La Directrice générale,"),
                ("Olivier LABORIE", "Valérie GUILLOU"),
            ],
        ],
    )
    reading = reading_of(path, ville="Saint-Aubrac")
    parties = by_role(reading.parties)
    assert list(parties) == ["ville_centre", "intercommunalite", "prefet", "autre"]
    assert parties["ville_centre"].nom == "Anne BERTHOMIEU" and parties["prefet"].organisme == "État"
    assert parties["ville_centre"].deliberation == dt.date(2018, 8, 15)
    assert parties["intercommunalite"].deliberation == dt.date(2018, 8, 8)
    assert "Vu la délibération du conseil communautaire" in parties["intercommunalite"].deliberation_quote.text
    assert parties["autre"].organisme == "Établissement public foncier de l'Orvane" and sure(parties["autre"])
    assert sorted((s.role, s.nom) for s in reading.signatures) == [
        ("autre", "Valérie GUILLOU"),
        ("intercommunalite", "Yannick ESCANDE"),
        ("prefet", "Olivier LABORIE"),
        ("ville_centre", "Anne BERTHOMIEU"),
    ]
    assert reading.date_signature[0] == dt.date(2018, 9, 2) and reading.date_signature[1].where == "page 2"


def test_signatures_without_pour_and_a_scanned_signature_page(tmp_path):
    lines = [
        TITLE,
        "ENTRE",
        "La Commune de Valdrôme, représentée par Monsieur Olivier PERRAUDIN, en sa qualité de maire,",
        "Valdrôme Agglomération, représentée par M. Jean AUBRY, président,",
        "Il est convenu ce qui suit.",
        "À Valdrôme, le 9 octobre 2018",
        "Le Maire de Valdrôme,",
        "Olivier PERRAUDIN",
        "Le Président de Valdrôme Agglomération,",
        "Jean AUBRY",
        "La Préfète du Val-d'Ysse,",
        "Laure RIVOALLAN",
    ]
    reading = reading_of(make_docx(tmp_path / "sans-pour.docx", lines))
    assert [(p.role, p.nom, p.qualite) for p in reading.parties] == [
        ("ville_centre", "Olivier PERRAUDIN", "maire"),
        ("intercommunalite", "Jean AUBRY", "président"),
    ]
    assert [(s.role, s.nom) for s in reading.signatures] == [
        ("ville_centre", "Olivier PERRAUDIN"),
        ("intercommunalite", "Jean AUBRY"),
        ("prefet", "Laure RIVOALLAN"),
    ]
    assert reading.date_signature[0] == dt.date(2018, 10, 9)
    scanned = reading_of(make_pdf(tmp_path / "scan.pdf", [lines[:5], None]))
    assert len(scanned.parties) == 2 and scanned.signatures is None and scanned.date_signature is None


def test_an_unknown_party_is_kept_to_check_and_nothing_is_made_up(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "ENTRE",
            "La Commune de Villebelle, représentée par son maire, M. Jean DUPONT,",
            "La Société Quelconque, représentée par son gérant, M. Paul MARTIN,",
            "Il est convenu ce qui suit.",
        ],
    )
    reading = reading_of(path, ville="Villebelle")
    ville, other = reading.parties
    assert (ville.role, sure(ville)) == ("ville_centre", True)
    assert other.role == "autre" and other.organisme == "Société Quelconque"
    assert reading.signatures is None and reading.date_signature is None
    nothing = reading_of(make_docx(tmp_path / "vide.docx", [TITLE, "Le programme vise le centre-ville."]))
    assert nothing.parties is None and nothing.signatures is None


def test_without_the_town_the_only_commune_is_the_ville_centre_and_two_are_to_check(tmp_path):
    text = [
        TITLE,
        "ENTRE",
        "La Commune de Charleval, représentée par son maire, M. Jean DUPONT,",
        "La Commune de Sedanne, représentée par son maire, Mme Claire MARTIN,",
        "Il est convenu ce qui suit.",
    ]
    two = reading_of(make_docx(tmp_path / "deux.docx", text)).parties
    assert [p.role for p in two] == ["ville_centre", "autre_commune"] and not any(sure(p) for p in two)
    given = reading_of(make_docx(tmp_path / "deux.docx", text), ville="Sedanne").parties
    assert [(p.role, sure(p)) for p in given] == [("autre_commune", True), ("ville_centre", True)]
    titled = reading_of(make_docx(tmp_path / "titre.docx", [f"{TITLE} – Sedanne"] + text[1:])).parties
    assert [(p.role, sure(p)) for p in titled] == [("autre_commune", True), ("ville_centre", True)]


def test_parties_cut_by_semicolons_and_signatures_title_and_name_on_one_line(tmp_path):
    path = make_docx(
        tmp_path / "avenant.docx",
        [
            "Avenant n°1 à la convention Action Cœur de Ville",
            "Les parties :",
            "Entre : la Commune de Sablé, représentée par son Maire, Monsieur Marc Joulaud, en vertu d'une "
            "délibération du 25/09/2018 ; la Communauté de communes du Pays Sabolien, représentée par son Président, "
            "Monsieur Daniel Chevalier ; et l'État, représenté par le Préfet de la Sarthe, Monsieur Nicolas Quillet,",
            "il a été convenu ce qui suit :",
            "Fait à Sablé le 12 octobre 2019",
            "Le Maire, Marc Joulaud",
            "Le Président, Daniel Chevalier",
            "Pour le Préfet et par délégation, le Sous-Préfet, Paul Bleu",
        ],
    )
    reading = reading_of(path)
    assert [(p.role, p.organisme, p.nom) for p in reading.parties] == [
        ("ville_centre", "Commune de Sablé", "Marc Joulaud"),
        ("intercommunalite", "Communauté de communes du Pays Sabolien", "Daniel Chevalier"),
        ("prefet", "État", "Nicolas Quillet"),
    ]
    assert reading.parties[0].deliberation == dt.date(2018, 9, 25)
    assert [(s.role, s.nom, s.nom_confidence >= SURE) for s in reading.signatures] == [
        ("ville_centre", "Marc Joulaud", True),
        ("intercommunalite", "Daniel Chevalier", True),
        ("prefet", "Paul Bleu", False),  # a name without civilité nor capitals the parties do not confirm
    ]
    assert sure(reading.signatures[2])


@pytest.mark.parametrize(
    "opening, kind, numero, certain",
    [
        (["CONVENTION-CADRE PLURIANNUELLE", "ACTION CŒUR DE VILLE"], "convention_cadre", None, True),
        (["Convention Action Cœur de Ville de Bellegrange"], "convention_cadre", None, True),
        (["Avenant n°1 à la convention-cadre Action Cœur de Ville"], "avenant", 1, True),
        (["AVENANT N° 2", "à la convention Action Cœur de Ville"], "avenant", 2, True),
        (["Avenant numéro 3 à la convention-cadre"], "avenant", 3, True),
        (["Premier avenant à la convention-cadre Action Cœur de Ville"], "avenant", 1, True),
        (["Avenant valant convention d'ORT à la convention-cadre"], "avenant", None, True),
        (
            ["EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL", "Objet : avenant n°1 à la convention"],
            "deliberation",
            None,
            True,
        ),
        (["Délibération du conseil communautaire n° 2020-14"], "deliberation", None, True),
        (["Note de présentation du projet urbain – Kerbrivan"], "note_projet_urbain", None, True),
        (["Note sur l'utilité des immeubles"], "note_utilite_immeubles", None, True),
        (["Plan de situation des immeubles"], "plan_situation", None, True),
        (["Dossier de l'opérateur"], "dossier_operateur", None, True),
        (["Fiche action n° 3 – Halle"], "fiche_action", None, True),
        (["Compte rendu", "Le comité s'est réuni.", "Une délibération sera prise plus tard."], None, None, False),
    ],
)
def test_kinds_and_avenant_numbers(tmp_path, opening, kind, numero, certain):
    reading = reading_of(make_docx(tmp_path / "piece.docx", opening + ["Le texte de la pièce."]))
    assert reading.kind == (kind if certain else reading.kind)
    assert (reading.kind_confidence >= SURE) == certain
    if kind == "avenant":
        assert reading.numero == numero


@pytest.mark.parametrize(
    ("opening", "numero", "certain"),
    [
        (["Avenant n° 2 à la convention-cadre Action Cœur de Ville"], 2, True),
        (["Deuxième avenant à la convention-cadre Action Cœur de Ville"], 2, True),
        (["Avenant à la convention-cadre Action Cœur de Ville", "ENTRE", "Le présent avenant n° 3 modifie…"], 3, True),
        (["Avenant à la convention-cadre Action Cœur de Ville", "Objet : avenant n° 2"], 2, False),
        (
            ["Avenant n° 2 à la convention-cadre Action Cœur de Ville", "ENTRE", "Le présent avenant n° 3 modifie…"],
            2,
            False,
        ),
    ],
)
def test_how_sure_the_avenant_number_is(tmp_path, opening, numero, certain):
    """The number of the title is sure; one read only from an « Objet : » line, or a title and an
    opening that disagree, is to check, with the line it was read from."""
    reading = reading_of(make_docx(tmp_path / "avenant.docx", opening + ["Le texte de la pièce."]))
    assert reading.kind == "avenant" and reading.numero == numero
    assert (reading.numero_confidence >= SURE) == certain
    assert str(numero) in reading.numero_quote.text or "Deuxième" in reading.numero_quote.text
    assert reading.numero_quote.where.startswith("paragraphe ")


@pytest.mark.parametrize(
    "text, number",
    [("avenant n°1", 1), ("avenant n° 12", 12), ("avenant no 2", 2), ("deuxieme avenant", 2), ("avenant a la", None)],
)
def test_avenant_number_forms(text, number):
    assert avenant_number(normal(text)) == number


def test_dates_in_every_form_with_their_place():
    text = "le 1er octobre 2018, le 01/10/2018, le 12.10.2018, le 12-10-2018, le 1/10/18 ; n° 2018-045"
    assert dates(text) == [
        dt.date(2018, 10, 1),
        dt.date(2018, 10, 1),
        dt.date(2018, 10, 12),
        dt.date(2018, 10, 12),
        dt.date(2018, 10, 1),
    ]
    day, start, end = date_spans("Signée à Vireloup le 3 mars 2019.")[0]
    assert (day, "Signée à Vireloup le 3 mars 2019."[start:end]) == (dt.date(2019, 3, 3), "3 mars 2019")
    assert [d for d, _, _ in month_spans("de octobre 2018 au 3 mars 2019")] == [dt.date(2018, 10, 1)]
    assert dates("1.200.000 € et 31/02/2019") == []


@pytest.mark.parametrize(
    "name, role",
    [
        ("Communauté d'agglomération du Pays de Kerbrivan", "intercommunalite"),
        ("Communauté urbaine de Ferrandières", "intercommunalite"),
        ("Rocheval Métropole", "intercommunalite"),
        ("Métropole de Saint-Aubrac", "intercommunalite"),
        ("Valdrôme Agglomération", "intercommunalite"),
        ("Pontcharrier Agglo", "intercommunalite"),
        ("Intercom Bocage et Vire-Haute", "intercommunalite"),
        ("Castelmoron Communauté", "intercommunalite"),
        ("CAPO", "intercommunalite"),
        ("Conseil régional Rhône-Sarre", "region"),
        ("Département de la Brie-Haute", "departement"),
        ("Conseil départemental du Cher", "departement"),
        ("État", "prefet"),
        ("Préfecture de l'Orvane", "prefet"),
        ("Banque des Territoires", "cdc"),
        ("Caisse des Dépôts et Consignations", "cdc"),
        ("Action Logement Groupe", "action_logement"),
        ("Agence nationale de l'habitat", "anah"),
        ("Agence nationale pour la rénovation urbaine", "anru"),
        ("Établissement public foncier de Normandie", "autre"),
        ("Chambre de commerce et d'industrie du Cher", "autre"),
        ("Chambre de métiers et de l'artisanat", "autre"),
    ],
)
def test_roles_of_every_naming(name, role):
    found, confidence = role_scored(name)
    assert (found, confidence >= SURE) == (role, True)
    assert role_of(name) == role


def test_a_place_is_never_a_sure_name():
    from instruct.documents.people import person

    assert person("Centre-Val de Loire")[1] < SURE and person("le Directeur régional Centre-Val de Loire")[1] < SURE
    assert person("M. Jean-Pierre de La Fontaine") == ("Jean-Pierre de La Fontaine", 0.95)
    assert person("Bruno ROUSSILHE Laure PERRAUDIN") == (None, 0.0)


def test_role_of_a_commune_and_of_an_unknown_body():
    assert role_of("Ville de Montclair", "Montclair") == "ville_centre"
    assert role_of("Commune de Sedanne", "Montclair") == "autre_commune"
    assert role_scored("Les Amis du Vieux Bourg") == ("autre", 0.5)


def test_a_signature_grid_given_as_cells_of_several_lines():
    """The layout readers give a PDF line drawn in columns as cells, a cell holding several lines."""
    from instruct.documents.read import Block, PieceText

    piece = PieceText(
        "avenant.pdf",
        "pdf",
        [
            Block("Avenant n° 3 à la convention-cadre", "page 1", page=1, heading=1),
            Block("ENTRE", "page 1", page=1),
            Block("Vireloup Agglo, représentée par son président, M. Paul MARTIN,", "page 1", page=1),
            Block("Il est convenu ce qui suit.", "page 1", page=1),
            Block("Fait à Vireloup, le 3 mars 2021", "page 4", page=4),
            Block(
                "",
                "page 4",
                page=4,
                cells=("Pour la Commune\nLe Maire\nJean DUPONT", "Pour Vireloup Agglo\nLe Président\nPaul MARTIN"),
            ),
        ],
    )
    reading = read(piece, ville="Vireloup")
    assert [(p.role, p.nom) for p in reading.parties] == [("intercommunalite", "Paul MARTIN")]
    assert [(s.role, s.nom, sure(s)) for s in reading.signatures] == [
        ("ville_centre", "Jean DUPONT", True),
        ("intercommunalite", "Paul MARTIN", True),
    ]
    assert reading.date_signature[0] == dt.date(2021, 3, 3) and reading.date_signature[1].where == "page 4"


def test_a_grid_of_titles_read_apart_from_its_fait_a(tmp_path):
    """The DOCX reader may give a table after the paragraphs: the grid is found by its blocks."""
    document = Document()
    for text in (TITLE, "ENTRE", "La Commune de Malvoisine, représentée par son maire, M. Jean DUPONT,"):
        document.add_paragraph(text)
    document.add_paragraph("Il est convenu ce qui suit.")
    document.add_paragraph("Fait à Malvoisine, le 12-10-2018")
    grid = document.add_table(rows=1, cols=2)
    grid.cell(0, 0).text = "Le Maire de Malvoisine\nJean DUPONT"
    grid.cell(0, 1).text = "La Préfète de la Dordane\nClaire MARTIN"
    document.add_paragraph("Annexe 1 – Fiches actions")
    document.save(str(tmp_path / "convention.docx"))
    reading = reading_of(tmp_path / "convention.docx")
    assert [(s.role, s.nom) for s in reading.signatures] == [
        ("ville_centre", "Jean DUPONT"),
        ("prefet", "Claire MARTIN"),
    ]
    assert reading.date_signature[0] == dt.date(2018, 10, 12)


@pytest.mark.parametrize(
    ("letterhead", "title", "role", "organisme"),
    [
        ("COMMUNE DE SAINT-AUBIN-SUR-MER", "La Maire,", "ville_centre", "Commune de Saint-Aubin-sur-Mer"),
        ("VAL D'ORGE AGGLOMÉRATION", "Le Président,", "intercommunalite", "Val d'Orge Agglomération"),
    ],
)
def test_a_deliberation_signed_for_extract_under_its_letterhead(tmp_path, letterhead, title, role, organisme):
    """« Pour extrait conforme, à X, le … » then a bare title: the body is the letterhead's."""
    path = make_pdf(
        tmp_path / "deliberation.pdf",
        [
            [
                "RÉPUBLIQUE FRANÇAISE",
                letterhead,
                "Extrait du registre des délibérations",
                "Séance du 3 juillet 2018",
                "Objet : Programme Action Cœur de Ville – approbation de la convention-cadre",
                "Le conseil, après en avoir délibéré, APPROUVE la convention et AUTORISE sa signature.",
                "Fait et délibéré les jour, mois et an susdits.",
                "Pour extrait conforme, à Saint-Aubin, le 3/7/18",
                title,
                "Claire DUPONT",
                "Reçu en préfecture le 5/7/2018",
            ]
        ],
    )
    reading = reading_of(path)
    assert reading.kind == "deliberation"
    assert [(s.role, s.organisme, s.nom, sure(s)) for s in reading.signatures] == [
        (role, organisme, "Claire DUPONT", True)
    ]
    assert reading.date_signature[0] == dt.date(2018, 7, 3)


def test_a_bare_title_not_fitting_the_letterhead_names_no_body(tmp_path):
    """« Le Président, » under a commune's letterhead is not the commune's signatory."""
    path = make_pdf(
        tmp_path / "deliberation.pdf",
        [
            [
                "COMMUNE DE SAINT-AUBIN",
                "Extrait du registre des délibérations",
                "Le conseil, après en avoir délibéré, APPROUVE la convention Action Cœur de Ville.",
                "Pour extrait conforme, à Saint-Aubin, le 3/7/18",
                "Le Président,",
                "Claire DUPONT",
            ]
        ],
    )
    reading = reading_of(path)
    assert all(s.organisme != "Commune de Saint-Aubin" for s in reading.signatures or [])


def test_grid_lines_run_together_are_placed_by_what_they_say():
    """A layout reader may give the lines of two columns as one paragraph, in any order: each
    title goes to the body it fits, each name to the body the parties block gives it."""
    from instruct.documents.read import Block, PieceText

    lines = (
        "Le Président,\nLe Maire,\nHervé MARCHETTI\nJean D'HERBIGNY\nle 15 mars 2021",
        "Le Directeur,\nHervé MARCHETTI",
    )
    readings = []
    for mixed in lines:
        piece = PieceText(
            "avenant.pdf",
            "pdf",
            [
                Block("Avenant n° 2 à la convention-cadre Action Cœur de Ville", "page 1", page=1, heading=1),
                Block("ENTRE", "page 1", page=1),
                Block(
                    "La Commune de Bellegrange, représentée par son maire, M. Jean D'HERBIGNY,\n"
                    "La Communauté de communes Cœur de Bellegrange (ci-après « la CCCB »), représentée par son "
                    "président, M. Hervé MARCHETTI,",
                    "page 1",
                    page=1,
                ),
                Block("Il est convenu ce qui suit.", "page 1", page=1),
                Block("Fait à Bellegrange, le 15 mars 2021", "page 3", page=3),
                Block("", "page 3", page=3, cells=("Pour la Commune de", "Pour la CCCB,")),
                Block("Bellegrange,", "page 3", page=3),
                Block(mixed, "page 3", page=3),
            ],
        )
        readings.append(read(piece))
    placed, unsure = readings
    assert [(s.role, s.organisme, s.qualite, s.nom, sure(s)) for s in placed.signatures] == [
        ("ville_centre", "Commune de Bellegrange", "Maire", "Jean D'HERBIGNY", True),
        ("intercommunalite", "CCCB", "Président", "Hervé MARCHETTI", True),
    ]
    assert all(s.nom_confidence >= SURE for s in placed.signatures)
    # « Le Directeur » fits no column: the columns are in doubt, the commune's signatory without a name to check
    commune = next(s for s in unsure.signatures if s.role == "ville_centre")
    assert commune.nom is None and commune.quote.confidence < SURE


def test_parties_written_person_first_and_a_date_under_each_signatory(tmp_path):
    """« M. X, maire, agissant pour le compte de la Commune de Y »: the body is the party, the
    person its representative, the quote the piece's own text; a date under each signatory and none
    in « Fait à » gives the last, to check when they differ."""
    opening = [
        TITLE,
        "ENTRE LES SOUSSIGNÉS :",
        "M. Jean DUPONT, maire, agissant pour le compte de la Commune de Rocheval, en vertu d'une délibération "
        "du conseil municipal du 12 juin 2018,",
        "Mme Anne MARTIN, présidente, agissant au nom et pour le compte de la Communauté de communes du Val "
        "de Roche, dûment habilitée par délibération du 3 juillet 2018,",
        "Monsieur Luc BERNARD, préfet de la Dordane, agissant au nom de l'État,",
        "Il est convenu ce qui suit.",
        "Fait à Rocheval, en trois exemplaires.",
    ]
    signed = ["Pour la Commune de Rocheval,", "Le Maire,", "Jean DUPONT", "le 3 mars 2021"]
    signed += ["Pour la Communauté de communes du Val de Roche,", "La Présidente,", "Anne MARTIN"]
    signed += ["le 5 mars 2021", "Pour l'État,", "Le Préfet,", "Luc BERNARD"]
    same = reading_of(make_docx(tmp_path / "same.docx", opening + signed + ["le 5 mars 2021"]))
    assert [(p.role, p.organisme, p.nom, p.deliberation, sure(p)) for p in same.parties] == [
        ("ville_centre", "Commune de Rocheval", "Jean DUPONT", dt.date(2018, 6, 12), True),
        ("intercommunalite", "Communauté de communes du Val de Roche", "Anne MARTIN", dt.date(2018, 7, 3), True),
        ("prefet", "État", "Luc BERNARD", None, True),
    ]
    assert same.parties[0].quote.text.startswith("M. Jean DUPONT, maire, agissant pour le compte")
    assert [(s.role, s.nom) for s in same.signatures] == [
        ("ville_centre", "Jean DUPONT"),
        ("intercommunalite", "Anne MARTIN"),
        ("prefet", "Luc BERNARD"),
    ]
    day, quote = same.date_signature
    assert day == dt.date(2021, 3, 5) and quote.confidence < SURE  # 3 and 5 March: the last, to check
    agree = reading_of(make_docx(tmp_path / "agree.docx", opening + [s.replace("3 mars", "5 mars") for s in signed]))
    assert agree.date_signature[0] == dt.date(2021, 3, 5) and agree.date_signature[1].confidence < SURE  # one undated
    everyone = [s.replace("3 mars", "5 mars") for s in signed] + ["le 5 mars 2021"]
    dated = reading_of(make_docx(tmp_path / "dated.docx", opening + everyone))
    assert dated.date_signature[0] == dt.date(2021, 3, 5) and dated.date_signature[1].confidence >= SURE
    fait = [line.replace("en trois exemplaires.", "le 1er mars 2021") for line in opening]
    later = reading_of(make_docx(tmp_path / "later.docx", fait + everyone)).date_signature
    assert later[0] == dt.date(2021, 3, 1) and later[1].confidence < SURE  # « Fait le 1er », signed the 5th


def test_two_intercommunalites_leave_the_programmes_to_check(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "ENTRE",
            "La Commune de Rocheval, représentée par son maire, M. Jean DUPONT,",
            "La Communauté de communes du Val de Roche, représentée par sa présidente, Mme Anne MARTIN,",
            "Rocheval Agglomération, représentée par son président, M. Paul PETIT,",
            "ET",
            "L'État, représenté par le préfet, M. Luc BERNARD,",
            "Il est convenu ce qui suit.",
        ],
    )
    found = reading_of(path).parties
    assert [p.role for p in found] == ["ville_centre", "intercommunalite", "intercommunalite", "prefet"]
    assert [sure(p) for p in found] == [True, False, False, True]


def test_a_deliberation_signed_without_a_date_takes_its_seance(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        [
            "VILLE DE KERBRIVAN",
            "Extrait du registre des délibérations du conseil municipal",
            "Séance du 25.09.2018",
            "Objet : convention-cadre Action Cœur de Ville",
            "Le conseil municipal, après en avoir délibéré, APPROUVE la convention.",
            "Ainsi fait et délibéré les jour, mois et an susdits.",
            "Le Maire, Éric RIVOALLAN",
        ],
    )
    reading = reading_of(path)
    assert [(s.role, s.organisme.endswith("de Kerbrivan"), s.nom, sure(s)) for s in reading.signatures] == [
        ("ville_centre", True, "Éric RIVOALLAN", True)
    ]
    day, quote = reading.date_signature
    assert day == dt.date(2018, 9, 25) and "Séance du 25.09.2018" in quote.text and quote.confidence >= SURE


def test_a_grid_whose_cells_give_the_name_before_the_title(tmp_path):
    """« Pour la Ville » ⏎ « Jean DUPONT » ⏎ « Maire » in each cell of a DOCX table: one signatory a cell."""
    document = Document()
    for text in (
        TITLE,
        "ENTRE",
        "La Ville de Rocheval, représentée par Jean DUPONT, maire,",
        "Rocheval Agglo, représentée par Paul MARTIN, président,",
        "ET",
        "L'État, représenté par Luc BERNARD, préfet de la Dordane,",
        "Il est convenu ce qui suit.",
        "Fait à Rocheval,",
        "le 12 octobre 2018",
    ):
        document.add_paragraph(text)
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).text = "Pour la Ville de Rocheval\nJean DUPONT\nMaire"
    grid.cell(0, 1).text = "Pour Rocheval Agglo\nPaul MARTIN\nPrésident"
    grid.cell(1, 0).text = "Pour l'État\nLuc BERNARD\nPréfet de la Dordane"
    document.save(str(tmp_path / "convention.docx"))
    reading = reading_of(tmp_path / "convention.docx")
    assert sorted((s.role, s.nom, s.qualite, sure(s)) for s in reading.signatures) == [
        ("intercommunalite", "Paul MARTIN", "Président", True),
        ("prefet", "Luc BERNARD", "Préfet de la Dordane", True),
        ("ville_centre", "Jean DUPONT", "Maire", True),
    ]
    assert reading.date_signature[0] == dt.date(2018, 10, 12)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Pour extrait conforme, le vingt-cinq septembre deux mille dix-huit", dt.date(2018, 9, 25)),
        ("L'an deux mille dix-huit, le vingt-cinq septembre, à dix-neuf heures", dt.date(2018, 9, 25)),
        ("le trente et un octobre deux mille vingt et un", dt.date(2021, 10, 31)),
        ("le premier février deux mille vingt", dt.date(2020, 2, 1)),
        ("les six parties conviennent, le dix septembre", None),
    ],
)
def test_dates_written_in_letters(text, day):
    assert (dates(text) or [None])[0] == day


def test_a_deliberation_dated_only_in_letters(tmp_path):
    path = make_docx(
        tmp_path / "deliberation.docx",
        [
            "COMMUNE DE KERBRIVAN",
            "Extrait du registre des délibérations du conseil municipal",
            "L'an deux mille dix-huit, le vingt-cinq septembre, le conseil municipal s'est réuni.",
            "Le conseil municipal, après en avoir délibéré, APPROUVE la convention Action Cœur de Ville.",
            "Fait et délibéré les jour, mois et an susdits.",
            "Le Maire,",
            "Éric RIVOALLAN",
        ],
    )
    reading = reading_of(path)
    assert [(s.role, s.nom) for s in reading.signatures] == [("ville_centre", "Éric RIVOALLAN")]
    assert reading.date_signature[0] == dt.date(2018, 9, 25) and reading.date_signature[1].confidence >= SURE


def test_a_fait_a_line_drawn_with_a_wide_gap_and_a_grid_in_successive_rows():
    """The PDF reader gives « Fait à X, » and its date as two cells, then each row of a grid in
    three columns as cells: each column's lines go down the rows."""
    from instruct.documents.read import Block, PieceText

    rows = [
        ("Pour la Commune de Rocheval,", "Pour Rocheval Agglo,", "Pour l'État,"),
        ("Le Maire,", "Le Président,", "Le Préfet,"),
        ("Jean DUPONT", "Paul MARTIN", "Luc BERNARD"),
    ]
    piece = PieceText(
        "convention.pdf",
        "pdf",
        [
            Block(TITLE, "page 1", page=1, heading=1),
            Block("ENTRE", "page 1", page=1),
            Block("La Commune de Rocheval, représentée par son maire, M. Jean DUPONT,", "page 1", page=1),
            Block("Il est convenu ce qui suit.", "page 1", page=1),
            Block("", "page 5", page=5, cells=("Fait à Rocheval,", "le 3 mars 2021")),
        ]
        + [Block(" | ".join(row), "page 5", page=5, cells=row) for row in rows],
    )
    reading = read(piece)
    assert [(s.role, s.qualite, s.nom, sure(s)) for s in reading.signatures] == [
        ("ville_centre", "Maire", "Jean DUPONT", True),
        ("intercommunalite", "Président", "Paul MARTIN", True),
        ("prefet", "Préfet", "Luc BERNARD", True),
    ]
    assert reading.date_signature[0] == dt.date(2021, 3, 3) and reading.date_signature[1].where == "page 5"


def test_a_person_representing_a_body_and_two_intercommunalites_signing(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "ENTRE",
            "M. Jean DUPONT, maire de Rocheval, représentant la Commune de Rocheval, dûment habilité par "
            "délibération du 3 mai 2018,",
            "ET",
            "Mme Anne MARTIN, présidente, agissant au nom de Rocheval Agglo,",
            "M. Paul PETIT, président, agissant pour le compte de la Communauté de communes du Val,",
            "Il est convenu ce qui suit.",
            "Fait à Rocheval, le 3 mars 2021",
            "Pour la Commune de Rocheval, Le Maire, Jean DUPONT",
            "Pour Rocheval Agglo, La Présidente, Anne MARTIN",
            "Pour la Communauté de communes du Val, Le Président, Paul PETIT",
        ],
    )
    reading = reading_of(path)
    assert [(p.role, p.organisme, p.nom, p.deliberation, sure(p)) for p in reading.parties] == [
        ("ville_centre", "Commune de Rocheval", "Jean DUPONT", dt.date(2018, 5, 3), True),
        ("intercommunalite", "Rocheval Agglo", "Anne MARTIN", None, False),
        ("intercommunalite", "Communauté de communes du Val", "Paul PETIT", None, False),
    ]
    assert [(s.role, sure(s)) for s in reading.signatures] == [
        ("ville_centre", True),
        ("intercommunalite", False),
        ("intercommunalite", False),
    ]


def test_bare_titles_stacked_sign_for_the_party_their_person_represents(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "ENTRE",
            "La Commune de Malvoisine, représentée par son maire, Monsieur Pierre LEROY,",
            "La Communauté de communes du Pays de Malvoisine, représentée par son président, M. Jacques MOREAU,",
            "L'État, représenté par la Préfète de la Dordane, Mme Sophie BLANC,",
            "Il a été convenu ce qui suit :",
            "Fait à Malvoisine, le 3 mars 2021",
            "Le Maire,",
            "Pierre LEROY",
            "Le Président,",
            "Jacques MOREAU",
            "La Préfète,",
            "Sophie BLANC",
        ],
    )
    assert [(s.role, s.organisme, s.nom, sure(s)) for s in reading_of(path).signatures] == [
        ("ville_centre", "Commune de Malvoisine", "Pierre LEROY", True),
        ("intercommunalite", "Communauté de communes du Pays de Malvoisine", "Jacques MOREAU", True),
        ("prefet", "État", "Sophie BLANC", True),
    ]


def test_a_fait_a_line_beside_the_first_signatory(tmp_path):
    """« Pour extrait conforme, à X, le … » on the left, « Le Maire, » and the name to its right."""
    path = make_pdf(
        tmp_path / "deliberation.pdf",
        [
            [
                "COMMUNE DE SAINT-AUBIN",
                "Extrait du registre des délibérations du conseil municipal",
                "Le conseil, après en avoir délibéré, APPROUVE la convention Action Cœur de Ville.",
                ("Pour extrait conforme, à Saint-Aubin, le 3/7/18", "Le Maire,"),
                ("", "Claire DUPONT"),
            ]
        ],
    )
    reading = reading_of(path)
    assert [(s.role, s.nom, sure(s)) for s in reading.signatures] == [("ville_centre", "Claire DUPONT", True)]
    assert reading.date_signature[0] == dt.date(2018, 7, 3)


def test_docx_signature_lines_laid_out_with_tabs(tmp_path):
    """« Pour la Ville,\t\tPour Rocheval Agglo, … » one paragraph a row: the tabs cut the columns."""
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "ENTRE",
            "La Commune de Rocheval, représentée par son maire, M. Jean DUPONT,",
            "Rocheval Agglo, représentée par son président, M. Paul MARTIN,",
            "L'État, représenté par le préfet, M. Luc BERNARD,",
            "Il est convenu ce qui suit.",
            "Fait à Rocheval,\t\tle 3 mars 2021",
            "Pour la Commune de Rocheval,\t\tPour Rocheval Agglo,\t\tPour l'État,",
            "Le Maire,\t\tLe Président,\t\tLe Préfet,",
            "Jean DUPONT\t\tPaul MARTIN\t\tLuc BERNARD",
        ],
    )
    reading = reading_of(path)
    assert [(s.role, s.qualite, s.nom, sure(s)) for s in reading.signatures] == [
        ("ville_centre", "Maire", "Jean DUPONT", True),
        ("intercommunalite", "Président", "Paul MARTIN", True),
        ("prefet", "Préfet", "Luc BERNARD", True),
    ]
    assert reading.date_signature[0] == dt.date(2021, 3, 3)


def test_a_signature_block_under_a_heading_without_fait_a(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "ENTRE",
            "La Commune de Rocheval, représentée par son maire, M. Jean DUPONT,",
            "L'État, représenté par le préfet, M. Luc BERNARD,",
            "Il est convenu ce qui suit.",
            "Article 1 – Objet",
            "Pour la Commune, cette convention engage le programme.",
            "Signatures",
            "Pour la Commune de Rocheval, Le Maire, Jean DUPONT",
            "Pour l'État, Le Préfet, Luc BERNARD",
        ],
    )
    reading = reading_of(path)
    assert [(s.role, s.nom) for s in reading.signatures] == [("ville_centre", "Jean DUPONT"), ("prefet", "Luc BERNARD")]
    assert reading.date_signature is None


def test_a_representative_followed_by_en_sa_qualite_without_a_comma(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "ENTRE",
            "La Commune de Montferrand, représentée par M. Philippe AUDOIN en sa qualité de Maire, dûment "
            "habilité par délibération du conseil municipal en date du 20 septembre 2018,",
            "ET",
            "L'État, représenté par M. Olivier DESCAMPS en sa qualité de Préfet de l'Oise,",
            "IL A ÉTÉ CONVENU CE QUI SUIT :",
        ],
    )
    found = by_role(reading_of(path).parties)
    assert found["ville_centre"].nom == "Philippe AUDOIN" and found["prefet"].nom == "Olivier DESCAMPS"
    assert found["ville_centre"].nom_confidence >= SURE and found["ville_centre"].deliberation == dt.date(2018, 9, 20)


def test_an_alias_on_its_own_line_does_not_end_the_parties_block(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            TITLE,
            "ENTRE",
            "La Ville de Pont-Aubert, représentée par sa Maire, Mme Nadia BENSAÏD,",
            "ET",
            "La Communauté d'agglomération Aubette-Vallées représentée par M. Rémi CHASSAGNE, Président,",
            "ci-après dénommée « CAAV »,",
            "L'État, représenté par M. François-Xavier LEMAIRE, Préfet de l'Aubette,",
            "ci-après dénommés ensemble « les Parties »",
            "Il est convenu ce qui suit :",
        ],
    )
    assert sorted(by_role(reading_of(path).parties)) == ["intercommunalite", "prefet", "ville_centre"]


def test_a_signature_block_missing_a_party_is_only_proposed(tmp_path):
    """A party left out of the signatures (a signature the reader missed) must never read as a
    party that did not sign: the list is only proposed."""
    lines = [
        TITLE,
        "ENTRE",
        "La Commune de Lauzac, représentée par son Maire, M. Jean DUPONT,",
        "ET",
        "La Communauté de communes du Val de Lauze, représentée par sa Présidente, Mme Anne PETIT,",
        "ET",
        "L'État, représenté par M. Paul MARTIN, Préfet du Tarn,",
        "IL A ÉTÉ CONVENU CE QUI SUIT :",
        "Fait à Lauzac, le 12 octobre 2018",
        "Pour la Commune de Lauzac, Le Maire, Jean DUPONT",
        "Pour la Communauté de communes du Val de Lauze, La Présidente, Anne PETIT",
    ]
    signed = reading_of(make_docx(tmp_path / "c.docx", lines)).signatures
    assert sorted(p.role for p in signed) == ["intercommunalite", "ville_centre"]
    assert not any(sure(p) for p in signed)
    everyone = lines + ["Pour l'État, Le Préfet, Paul MARTIN"]
    assert all(sure(p) for p in reading_of(make_docx(tmp_path / "d.docx", everyone)).signatures)


def test_the_parties_block_ends_at_the_signature_block(tmp_path):
    lines = [
        TITLE,
        "ENTRE",
        "La Commune de Villebelle, représentée par son maire, M. Jean Dupont,",
        "ET",
        "L'État, représenté par le préfet du département, M. Paul Durand,",
        "Fait à Villebelle, le 28 septembre 2018, en 6 exemplaires originaux.",
        "Pour la Commune de Villebelle",
        "Pour l'État",
    ]
    read = reading_of(make_docx(tmp_path / "c.docx", lines))
    assert [p.organisme for p in read.parties] == ["Commune de Villebelle", "État"]
    assert all(sure(p) for p in read.signatures)


def test_a_signatory_title_wrapped_at_the_end_of_its_line(tmp_path):
    """« …, Isabelle ROUSSEL, directrice » then « régionale »: one signatory, not two."""
    from instruct.documents.read import Block, PieceText

    piece = PieceText(
        "avenant.pdf",
        "pdf",
        [
            Block("Avenant n° 1 à la convention-cadre Action Cœur de Ville", "page 1", page=1, heading=1),
            Block(
                "Fait à Lauzac, le 20 février 2020.\nPour la Commune de Lauzac, Jean DUPONT, maire\n"
                "Pour la Caisse des Dépôts (Banque des Territoires), Isabelle ROUSSEL, directrice\nrégionale",
                "page 3",
                page=3,
            ),
        ],
    )
    signed = read(piece).signatures
    assert [(p.role, p.nom) for p in signed] == [("ville_centre", "Jean DUPONT"), ("cdc", "Isabelle ROUSSEL")]
    assert signed[1].qualite == "directrice régionale"


def test_a_deliberation_cited_by_a_party_does_not_make_the_convention_a_deliberation(tmp_path):
    path = make_docx(
        tmp_path / "convention.docx",
        [
            "Convention-cadre Action Cœur de Ville Commune de Roche-Vallier",
            "Article premier – Les parties signataires",
            "Madame Évelyne MARCHETTI, en sa qualité de Maire, agissant au nom et pour le compte de la Commune de",
            "Roche-Vallier, habilitée à cet effet par délibération du conseil municipal du 1er septembre 2025,",
        ],
    )
    reading = reading_of(path)
    assert reading.kind == "convention_cadre" and reading.kind_confidence >= SURE


def test_an_alias_between_a_party_and_its_representative_in_prose(tmp_path):
    path = make_docx(
        tmp_path / "avenant.docx",
        [
            "Deuxième avenant à la convention-cadre Action Cœur de Ville de Brionne",
            "Le présent avenant est conclu entre la commune de Brionne, représentée par M. Marc VIGNERON, maire "
            "(délibération du conseil municipal du 8 octobre 2026), la Communauté de communes de Brionne et des "
            "Étangs, ci-après « la CCBE », représentée par Mme Odile FAUCHER, présidente (délibération du conseil "
            "communautaire du 15 octobre 2026) et l'État, représenté par M. Laurent SAINT-CLAIR, préfet.",
            "Article 1 – État des lieux",
        ],
    )
    found = by_role(reading_of(path).parties)
    assert found["intercommunalite"].organisme == "Communauté de communes de Brionne et des Étangs"
    assert found["intercommunalite"].nom == "Odile FAUCHER"
    assert found["intercommunalite"].deliberation == dt.date(2026, 10, 15)


def test_prose_parties_whose_representative_wraps_to_the_next_line(tmp_path):
    path = make_pdf(
        tmp_path / "convention.pdf",
        [
            [
                "CONVENTION-CADRE « ACTION CŒUR DE VILLE » Brionne",
                "La présente convention est conclue entre la commune de Brionne,",
                "représentée par M. Marc VIGNERON, maire (délibération",
                "du conseil municipal du 12.03.2025), et l'État, représenté par M. Paul MARTIN, préfet.",
                "Article 1 – Objet",
            ]
        ],
    )
    assert sorted(by_role(reading_of(path).parties)) == ["prefet", "ville_centre"]


def test_a_signature_block_opened_by_the_place_and_date_alone(tmp_path):
    lines = [
        TITLE,
        "ENTRE",
        "La Commune de Brionne, représentée par son maire, M. Marc VIGNERON,",
        "ET",
        "L'État, représenté par le préfet, M. Laurent SAINT-CLAIR,",
        "Article 1 – Objet",
        "Brionne, le 3 novembre 2026",
        "Pour la commune de Brionne, le maire, M. Marc VIGNERON",
        "Pour l'État, le préfet, M. Laurent SAINT-CLAIR",
    ]
    reading = reading_of(make_docx(tmp_path / "c.docx", lines))
    assert [(p.role, p.nom) for p in reading.signatures] == [
        ("ville_centre", "Marc VIGNERON"),
        ("prefet", "Laurent SAINT-CLAIR"),
    ]
    assert reading.date_signature[0] == dt.date(2026, 11, 3)


def test_one_person_signing_for_two_parties_side_by_side():
    """The préfète is also the Anah's delegate: the same name under two columns is two signatures."""
    from instruct.documents.read import Block, PieceText

    piece = PieceText(
        "convention.pdf",
        "pdf",
        [
            Block("Convention-cadre Action Cœur de Ville", "page 1", page=1, heading=1),
            Block("Fait à Roche-Vallier, le 22 septembre 2025", "page 2", page=2),
            Block("", "page 2", page=2, cells=("Pour l'État,", "Pour l'Anah,")),
            Block("", "page 2", page=2, cells=("Préfète des Hautes-Vallées,", "Déléguée,")),
            Block("", "page 2", page=2, cells=("Agnès VIDAL-HOARAU", "Agnès VIDAL-HOARAU")),
        ],
    )
    assert [(p.role, p.nom) for p in read(piece).signatures] == [
        ("prefet", "Agnès VIDAL-HOARAU"),
        ("anah", "Agnès VIDAL-HOARAU"),
    ]


def test_a_signatory_name_cut_after_the_first_name():
    from instruct.documents.read import Block, PieceText

    piece = PieceText(
        "convention.pdf",
        "pdf",
        [
            Block("Convention-cadre Action Cœur de Ville", "page 1", page=1, heading=1),
            Block(
                "Fait à Brionne, le 1er juillet 2025\nPour la commune de Brionne, le maire, M. Marc-Antoine\n"
                "VIGNERON\nPour l'État, le préfet, M. Laurent SAINT-CLAIR",
                "page 2",
                page=2,
            ),
        ],
    )
    assert [(p.role, p.nom) for p in read(piece).signatures] == [
        ("ville_centre", "Marc-Antoine VIGNERON"),
        ("prefet", "Laurent SAINT-CLAIR"),
    ]
