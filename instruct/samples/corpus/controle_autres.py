"""The control corpus's délibérations and unreadable pieces: a municipal and a community council's
extract, an avenant scanned to an image-only PDF, a PDF locked by a password."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from instruct.samples.corpus.controle_ecrire import ecrire_pdf
from instruct.samples.corpus.controle_model import Piece, verite
from instruct.samples.corpus.truth import FICTIF, Signataire

D_ = dt.date
MENTION = f"({FICTIF})"


def deliberation_mervent() -> Piece:
    """DOCX, municipal council, « Fait et délibéré … », « Pour extrait conforme », séance in words."""
    p = Piece("2025-018 deliberation CM Mervent.docx", "docx", titres_styles=False)
    p.blocs = [
        ("pb", "COMMUNE DE MERVENT-LA-CÔTE"),
        ("titre", "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS\nDU CONSEIL MUNICIPAL"),
        ("pc", MENTION),
        ("p", "Séance du mercredi 12 mars 2025"),
        (
            "p",
            "L'an deux mille vingt-cinq, le douze mars à dix-neuf heures, le conseil municipal de la commune de "
            "Mervent-la-Côte, dûment convoqué le 5 mars 2025, s'est réuni en séance publique à la mairie, sous la "
            "présidence de M. Jean-Luc FERRAND, Maire.",
        ),
        ("p", "Nombre de conseillers en exercice : 27 – présents : 22 – représentés : 3 – votants : 25."),
        ("p", "Secrétaire de séance : Mme Armelle QUÉRÉ."),
        (
            "pb",
            "Délibération n° 2025-018 – Objet : Programme Action Cœur de Ville – approbation de la "
            "convention-cadre et autorisation de signature",
        ),
        ("p", "Vu le code général des collectivités territoriales ;"),
        ("p", "Vu la candidature de la commune au programme Action Cœur de Ville ;"),
        ("p", "Considérant l'intérêt pour la commune de conforter son centre-ville ;"),
        ("p", "Le conseil municipal, après en avoir délibéré, à l'unanimité des suffrages exprimés :"),
        (
            "p",
            "– APPROUVE la convention-cadre Action Cœur de Ville à conclure avec la Communauté de communes "
            "Mervent Océan, l'État et les partenaires financeurs du programme ;",
        ),
        ("p", "– AUTORISE Monsieur le Maire à signer ladite convention ainsi que tout document s'y rapportant."),
        ("p", "Fait et délibéré les jour, mois et an susdits."),
        ("p", "Pour extrait conforme,"),
        ("p", "Le Maire,\nJean-Luc FERRAND"),
    ]
    p.verite = verite(
        p,
        "DOCX, extrait du registre du conseil municipal, séance en lettres et en chiffres, « Fait et délibéré », "
        "« Pour extrait conforme » signé du maire",
        "deliberation",
        signataires=[Signataire(role="ville_centre", nom="Jean-Luc FERRAND")],
        date_signature=D_(2025, 3, 12),
    )
    return p


def deliberation_aulne() -> Piece:
    """reportlab, community council, signed a few days after the séance, « certifié exécutoire »."""
    p = Piece("Aulne_Agglo_DCC_2025_041.pdf", "pdf", entete="Aulne Agglo – Registre des délibérations")
    p.blocs = [
        ("pb", "AULNE AGGLO\nCommunauté d'agglomération"),
        ("titre", "Extrait du registre des délibérations du Conseil communautaire"),
        ("pc", MENTION),
        ("p", "Séance du 27 mars 2025 – Délibération n° DCC-2025-041"),
        (
            "p",
            "Le vingt-sept mars deux mille vingt-cinq, à dix-huit heures trente, le Conseil communautaire d'Aulne "
            "Agglo s'est réuni au siège de la communauté, sous la présidence de Monsieur Thierry LE GOFF, Président.",
        ),
        ("p", "Membres en exercice : 48 – Présents : 39 – Pouvoirs : 6 – Votants : 45."),
        ("pb", "Objet : Action Cœur de Ville de Sauveterre-d'Aulne – convention-cadre pluriannuelle"),
        ("p", "Vu le code général des collectivités territoriales, et notamment son article L. 5211-10 ;"),
        ("p", "Vu les statuts d'Aulne Agglo ;"),
        (
            "p",
            "Considérant que la ville de Sauveterre-d'Aulne, ville-centre de l'agglomération, a été retenue au "
            "titre du programme Action Cœur de Ville ;",
        ),
        (
            "p",
            "Après en avoir délibéré, le Conseil communautaire, par 43 voix pour et 2 abstentions, approuve la "
            "convention-cadre et autorise le Président à la signer.",
        ),
        ("p", "Pour extrait conforme, à Sauveterre-d'Aulne, le 2 avril 2025"),
        ("p", "Le Président,\nThierry LE GOFF"),
        (
            "p",
            "Certifié exécutoire compte tenu de la transmission en préfecture le 3 avril 2025 et de la "
            "publication le 3 avril 2025.",
        ),
    ]
    p.verite = verite(
        p,
        "reportlab, extrait du registre du conseil communautaire, « Pour extrait conforme » daté après la "
        "séance, signé du président, mention exécutoire",
        "deliberation",
        signataires=[Signataire(role="intercommunalite", nom="Thierry LE GOFF")],
        date_signature=D_(2025, 4, 2),
    )
    return p


LIGNES_SCAN = [
    "AVENANT N° 1 À LA CONVENTION-CADRE",
    "ACTION CŒUR DE VILLE DE LANVIC-SUR-OUST",
    FICTIF,
    "",
    "ENTRE la Commune de Lanvic-sur-Oust, représentée par",
    "Mme Josiane LE PORS, Maire, et la Communauté de",
    "communes Oust et Landes, représentée par M. Alain",
    "BOUËXIC, Président,",
    "",
    "Article 1 – Diagnostic du territoire",
    "Le diagnostic met en évidence une vacance commerciale",
    "élevée et un parc de logements anciens dégradé.",
    "",
    "Article 2 – Plan d'actions",
    "…",
]


def ecrire_scan(piece: Piece, path: Path) -> None:
    """A page drawn as a grey, slightly tilted image, with no text layer."""
    rnd = random.Random(1729)
    image = Image.new("L", (1240, 1754), 236)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), 28)
    y = 160
    for ligne in LIGNES_SCAN:
        draw.text((140, y), ligne, fill=40, font=font)
        y += 46
    for _ in range(2500):
        x, yy = rnd.randrange(1240), rnd.randrange(1754)
        draw.point((x, yy), fill=rnd.randrange(90, 200))
    image = image.rotate(0.8, fillcolor=236, resample=Image.BICUBIC)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=60)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setSubject(FICTIF)
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()


def ecrire_chiffre(piece: Piece, path: Path) -> None:
    """A short convention locked with a user password nobody gave."""
    verrou = StandardEncryption("Lanvic-2025!", ownerPassword="proprietaire-fictif", canPrint=0, strength=128)
    ecrire_pdf(piece, path, encrypt=verrou)


def scan() -> Piece:
    p = Piece("avenant1_lanvic_scan.pdf", "scan", ecrire=ecrire_scan)
    p.verite = verite(
        p, "PDF image seule (page numérisée, inclinée, bruitée), sans couche texte", "avenant", probleme="scanne"
    )
    return p


def chiffre() -> Piece:
    p = Piece("convention_cadre_Lanvic_protegee.pdf", "chiffre", ecrire=ecrire_chiffre)
    p.blocs = [
        ("titre", "Convention-cadre Action Cœur de Ville\nLanvic-sur-Oust"),
        ("pc", MENTION),
        ("p", "Le présent document est protégé par un mot de passe."),
    ]
    p.verite = verite(p, "reportlab PDF chiffré (RC4 128 bits, mot de passe d'ouverture)", None, probleme="chiffre")
    return p


PIECES = [deliberation_mervent(), deliberation_aulne(), scan(), chiffre()]
