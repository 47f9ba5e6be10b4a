"""Témoins: the délibérations (« Extrait du registre des délibérations ») and the unreadable pieces
(an image-only scan drawn with Pillow, a PDF encrypted with pypdf)."""

from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path

from instruct.samples.corpus.temoins_build import build, d
from instruct.samples.corpus.temoins_conventions2 import roc_amadieu
from instruct.samples.corpus.temoins_model import MENTION, Doc
from instruct.samples.corpus.temoins_write import write_pdf
from instruct.samples.corpus.truth import Signataire

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _deliberation(d_: dict) -> tuple[Doc, dict]:
    doc = Doc(headings=d_.get("headings", "bold"), header=d_.get("header", ""))
    doc.title = d_["titre"][0]
    for ligne in d_["titre"]:
        doc.add("title", ligne)
    doc.p(MENTION)
    for texte in d_["corps"]:
        if texte.startswith("#"):
            doc.h(texte[1:].strip(), 2)
        else:
            doc.p(texte)
    doc.add("sig", 1, [d_["sig"]])
    truth = {
        "type": "deliberation",
        "signataires": [Signataire(role=d_["role"], nom=d_["nom"])],
        "date_signature": d_["date"],
        "budget_total": d_.get("budget"),
        "duree_annees": d_.get("duree"),
    }
    return doc, truth


def delib_valbrune() -> tuple[Doc, dict]:
    return _deliberation(
        {
            "titre": ["EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS", "DU CONSEIL MUNICIPAL DE VALBRUNE-SUR-OISE"],
            "corps": [
                "Séance du 25 septembre 2018 – Délibération n° 2018-09-117",
                "Conseillers en exercice : 29 – Présents : 23 – Votants : 27",
                "L'an deux mille dix-huit, le vingt-cinq septembre à dix-neuf heures, le Conseil municipal, "
                "légalement convoqué, s'est réuni en séance publique sous la présidence de Mme Hélène MARCHAND, Maire.",
                "# Objet : Action Cœur de Ville – approbation de la convention-cadre",
                "Vu le Code général des collectivités territoriales ;",
                "Considérant la sélection de la commune au titre du programme national Action Cœur de Ville ;",
                "Après en avoir délibéré, le Conseil municipal, à l'unanimité :",
                "– APPROUVE la convention-cadre Action Cœur de Ville ;",
                "– AUTORISE Madame le Maire à la signer ainsi que tout document s'y rapportant.",
                "Fait et délibéré les jour, mois et an susdits.",
                "Pour extrait certifié conforme,",
                "Valbrune-sur-Oise, le 25 septembre 2018",
            ],
            "sig": ["Le Maire,", "Hélène MARCHAND"],
            "role": "ville_centre",
            "nom": "Hélène MARCHAND",
            "date": d(2018, 9, 25),
            "headings": "styles",
        }
    )


def delib_kermaden() -> tuple[Doc, dict]:
    return _deliberation(
        {
            "titre": ["Kermaden Agglo", "Extrait du registre des délibérations du conseil communautaire"],
            "corps": [
                "Séance du 05/07/2018",
                "Membres en exercice : 54 ; présents : 41 ; pouvoirs : 6",
                "Le cinq juillet deux mille dix-huit, le conseil communautaire s'est réuni à l'hôtel "
                "d'agglomération sous la présidence de Mme Soizic MORVAN, Présidente.",
                "# Programme Action Cœur de Ville de Kermaden : participation de l'Agglo",
                "Le rapporteur rappelle que la Ville de Kermaden a été retenue au programme. La convention-cadre, "
                "d'une durée de 6 ans, associe l'Agglo, l'État, la Région et la Ville.",
                "Le conseil communautaire, après en avoir délibéré, par 45 voix pour et 2 abstentions, "
                "approuve la convention-cadre et autorise la Présidente à la signer.",
                "Fait et délibéré les jour, mois et an que dessus.",
            ],
            "sig": ["La Présidente,", "Soizic MORVAN"],
            "role": "intercommunalite",
            "nom": "Soizic MORVAN",
            "date": d(2018, 7, 5),
            "duree": 6,
            "header": "Kermaden Agglo – Registre des délibérations",
        }
    )


def delib_roc() -> tuple[Doc, dict]:
    return _deliberation(
        {
            "titre": ["Ville de Roc-Amadieu", "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS"],
            "corps": [
                "Conseil municipal du 14.02.2019",
                "Nombre de conseillers : 33 – présents : 27 – votants : 31",
                "Sous la présidence de M. Étienne CAYROL, Maire.",
                "# Délibération n° 19-012 – Convention-cadre Action Cœur de Ville",
                "Monsieur le Maire expose que la convention-cadre, conclue pour une durée de six (6) ans, porte un "
                "programme d'actions matures d'un montant total de 4 490 000 € HT, hors aides aux façades.",
                "Le Conseil municipal, après en avoir délibéré, à la majorité (4 voix contre) : approuve la convention-"
                "cadre ; autorise le Maire à la signer.",
                "Pour extrait conforme,",
                "Roc-Amadieu, le 18 février 2019",
            ],
            "sig": ["Le Maire,", "Étienne CAYROL"],
            "role": "ville_centre",
            "nom": "Étienne CAYROL",
            "date": d(2019, 2, 18),
            "budget": D(4490000),
            "duree": 6,
        }
    )


def scan() -> tuple:
    """An image-only PDF: a délibération photographed askew, no text layer."""
    lignes = [
        "COMMUNE DE SAINT-JULIEN-DES-FORGES",
        "",
        "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS",
        "DU CONSEIL MUNICIPAL",
        "",
        "Séance du 1er octobre 2018",
        "",
        "Objet : Action Cœur de Ville – convention-cadre",
        "",
        "Le Conseil municipal, après en avoir délibéré,",
        "à l'unanimité, approuve la convention-cadre",
        "et autorise M. le Maire à la signer.",
        "",
        "Pour extrait conforme,",
        "Le Maire,",
        "Bernard FOUCHÉ",
        "",
        "Document fictif établi pour des essais",
    ]

    def write(path: Path) -> None:
        from PIL import Image, ImageDraw, ImageFilter, ImageFont
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen import canvas

        img = Image.new("L", (1240, 1754), 236)
        draw = ImageDraw.Draw(img)
        font = ImageFont.truetype(FONT, 30)
        for k, ligne in enumerate(lignes):
            draw.text((140, 160 + 58 * k), ligne, fill=40, font=font)
        for k in range(0, 1754, 7):  # the scanner's streaks, deterministic
            draw.line([(k * 13 % 1240, k), (k * 13 % 1240 + 3, k)], fill=150)
        img = img.rotate(1.3, fillcolor=200, resample=Image.BICUBIC).filter(ImageFilter.GaussianBlur(0.8))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=55)
        buf.seek(0)
        c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
        c.save()

    return write, {"type": "deliberation", "probleme": "scanne"}


def chiffre() -> tuple:
    """An avenant encrypted with a user password: nothing can be read without it."""
    spec = roc_amadieu()
    spec.update(kind="avenant", numero=2, titre=["Avenant n°2 – Roc-Amadieu"], sections=[], annexes=[])
    doc, _ = build(spec)

    def write(path: Path) -> None:
        from pypdf import PdfReader, PdfWriter
        from pypdf.generic import ArrayObject, ByteStringObject

        clair = path.with_suffix(".clair.pdf")
        write_pdf(doc, clair)
        writer = PdfWriter(clone_from=PdfReader(clair))
        clair.unlink()
        ident = ByteStringObject(b"temoins-roc-2020")
        writer._ID = ArrayObject([ident, ident])
        writer.generate_file_identifiers = lambda: None  # a fixed identifier: the same bytes every run
        writer.encrypt(user_password="Roc2020!", owner_password="mairie-roc", algorithm="RC4-128")
        with path.open("wb") as f:
            writer.write(f)

    return write, {"type": None, "probleme": "chiffre"}
