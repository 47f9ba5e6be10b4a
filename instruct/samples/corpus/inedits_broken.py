"""The unreadable pieces of the held-out corpus: a scan (pages that are images, no text), a PDF cut
short, a PDF locked by a password, a web page saved under a .pdf name, a DOCX whose archive is
broken. Their truth states only the problem."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

from instruct.samples.corpus.inedits_build import Article, articles
from instruct.samples.corpus.inedits_docx import build_docx
from instruct.samples.corpus.inedits_model import MENTION, Para, Parties, Piece, Signatures, Title
from instruct.samples.corpus.inedits_pdf import build_pdf
from instruct.samples.corpus.inedits_scan import scan_page
from instruct.samples.corpus.inedits_towns import CALMEILLES, ROCHEFAYE, SAINTE_AURELLE, VAUDRENNE
from instruct.samples.corpus.inedits_words import parties_entre
from instruct.samples.corpus.truth import FICTIF, Verite

SCAN_LINES = [
    "CONVENTION-CADRE ACTION CŒUR DE VILLE",
    "Ville de Rochefaye-d'Anval",
    "",
    "ENTRE :",
    "La Commune de Rochefaye-d'Anval, représentée par son Maire,",
    "Mme Claudine MOURGUES, dûment habilitée par délibération",
    "du conseil municipal du 24 septembre 2018,",
    "ET",
    "La Communauté de communes des Coteaux d'Anval, représentée",
    "par son Président, M. Didier CHABRERIE,",
    "ET",
    "L'État, représenté par la Préfète de l'Orvanne,",
    "",
    "Article 1 - Objet",
    "La présente convention a pour objet de décrire les modalités",
    "de mise en œuvre du programme à Rochefaye-d'Anval.",
    "",
    "Fait à Rochefaye-d'Anval, le 18 octobre 2018",
    "",
    "Document fictif établi pour des essais.",
]


def write_scan(folder: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    path = folder / "inedit-30-rochefaye-convention-scannee.pdf"
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle("numérisation")
    canvas.setSubject(FICTIF)
    for n, lines in enumerate([SCAN_LINES[:13], SCAN_LINES[13:]]):
        canvas.drawImage(ImageReader(io.BytesIO(scan_page(lines, 31 + n))), 0, 0, width=A4[0], height=A4[1])
        canvas.showPage()
    canvas.save()
    path.write_bytes(out.getvalue())
    return path


def _avenant_calmeilles() -> Piece:
    t = CALMEILLES
    orgs = [t.ville, t.epci, t.prefet]
    body = articles(
        [
            Article(
                "Objet de l'avenant", paragraphs=["Le présent avenant complète le plan d'actions de la convention."]
            ),
            Article("Diagnostic", "diagnostic_afom"),
            Article("Objectifs généraux et par axe", "objectifs_generaux_et_par_axe"),
            Article("Périmètres d'intervention", "perimetres_intervention"),
            Article("Calendrier général", "calendrier_general"),
        ],
        "ARTICLE",
        {"ville": t.nom, "epci": t.sigle},
    )
    return Piece(
        "x.pdf",
        "avenant",
        "",
        [Title(["AVENANT N° 2", "Convention Action Cœur de Ville de Calmeilles"]), Parties(orgs, parties_entre(orgs))]
        + body
        + [Para(MENTION)] * 12
        + [Signatures("Fait à Calmeilles, le 3 mars 2020", None, orgs, None)],
        "pdf",
        running_header="Avenant n° 2 – Calmeilles",
    )


def write_truncated(folder: Path) -> Path:
    path = folder / "inedit-31-calmeilles-avenant-2-incomplet.pdf"
    data = build_pdf(_avenant_calmeilles())
    path.write_bytes(data[: len(data) * 55 // 100])
    return path


def write_damaged(folder: Path) -> Path:
    """A whole PDF whose middle was overwritten (a disk or transfer error): header and end intact,
    page objects and cross-reference table garbled."""
    path = folder / "inedit-35-port-arvelle-deliberation-illisible.pdf"
    piece = Piece(
        path.name,
        "deliberation",
        "",
        [
            Title(["Commune de Port-Arvelle", "Extrait du registre des délibérations"]),
            *[Para(MENTION) for _ in range(20)],
        ],
        "pdf",
    )
    data = bytearray(build_pdf(piece))
    rng = random.Random(35)
    for position in range(200, len(data) - 60):
        if rng.random() < 0.35:
            data[position] = rng.randrange(256)
    path.write_bytes(bytes(data))
    return path


def write_encrypted(folder: Path) -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    path = folder / "inedit-32-sainte-aurelle-deliberation-protegee.pdf"
    t = SAINTE_AURELLE
    piece = Piece(
        path.name,
        "deliberation",
        "",
        [
            Title(["EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL", "Ville de Sainte-Aurelle"]),
            Para("Séance du 8 octobre 2018. Objet : convention-cadre Action Cœur de Ville."),
            Para("Le conseil municipal, après en avoir délibéré, autorise le Maire à signer la convention-cadre."),
        ],
        "pdf",
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(build_pdf(piece))))
    fixed = ByteStringObject(bytes(range(16)))
    writer._ID = ArrayObject((fixed, fixed))
    writer.generate_file_identifiers = lambda: None  # a fixed identifier: the same bytes every run
    writer.encrypt(user_password=t.nom.lower(), owner_password="mairie", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


def write_not_pdf(folder: Path) -> Path:
    path = folder / "inedit-33-vaudrenne-note.pdf"
    html = (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Session expirée</title></head>\n'
        f"<body><h1>Votre session a expiré</h1><p>Veuillez vous reconnecter à l'espace de dépôt de "
        f"{VAUDRENNE.nom}.</p><!-- {FICTIF} --></body></html>\n"
    )
    path.write_text(html, encoding="utf-8")
    return path


def write_broken_docx(folder: Path) -> Path:
    path = folder / "inedit-34-rochefaye-avenant-1.docx"
    t = ROCHEFAYE
    orgs = [t.ville, t.epci]
    piece = Piece(
        path.name,
        "avenant",
        "",
        [Title(["AVENANT N° 1"]), Parties(orgs, parties_entre(orgs)), *[Para(MENTION) for _ in range(30)]],
        "docx",
    )
    data = build_docx(piece)
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def _truth(name: str, probleme: str, style: str) -> Verite:
    return Verite(fichier=name, style=style, type=None, probleme=probleme)


PIECES: list[tuple[Callable[[Path], Path], Verite]] = [
    (
        write_scan,
        _truth("inedit-30-rochefaye-convention-scannee.pdf", "scanne", "PDF d'images (numérisation), sans texte"),
    ),
    (
        write_truncated,
        _truth(
            "inedit-31-calmeilles-avenant-2-incomplet.pdf", "tronque", "PDF coupé à 55 % (téléversement interrompu)"
        ),
    ),
    (
        write_encrypted,
        _truth("inedit-32-sainte-aurelle-deliberation-protegee.pdf", "chiffre", "PDF protégé par mot de passe (RC4)"),
    ),
    (
        write_damaged,
        _truth(
            "inedit-35-port-arvelle-deliberation-illisible.pdf", "endommage", "PDF aux octets brouillés en son milieu"
        ),
    ),
    (write_not_pdf, _truth("inedit-33-vaudrenne-note.pdf", "pas_un_pdf", "page HTML enregistrée sous un nom .pdf")),
    (
        write_broken_docx,
        _truth("inedit-34-rochefaye-avenant-1.docx", "docx_corrompu", "DOCX dont l'archive est coupée"),
    ),
]
