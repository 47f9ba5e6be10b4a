"""The pieces of the « essais » corpus a reader cannot read, each for its own reason: a scan (images
of pages, no text layer), a truncated PDF, a damaged PDF, an encrypted PDF, a « .pdf » that is
an HTML page, a corrupt DOCX. Their truth says only the problem."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from pathlib import Path

from instruct.samples.corpus.essais_model import FICTIF_LINE, Piece, scan_font
from instruct.samples.corpus.truth import Verite
from instruct.samples.piece_text import write_file


def scanned_pages(paragraphs: list[str], seed: str, pages: int = 2) -> bytes:
    """A PDF whose pages are grey JPEG images of text, as a copier makes them: no text to extract."""
    import textwrap

    lines = [line for text in paragraphs for line in (textwrap.wrap(text, 84) or [""])]
    lines_per_page = [lines[n * 38 : (n + 1) * 38] for n in range(pages)]
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle("Numérisation")
    c.setCreator("Copieur multifonction")
    rng = random.Random(seed)
    font = scan_font(15)
    for lines in lines_per_page:
        image = Image.new("L", (827, 1169), 238)
        draw = ImageDraw.Draw(image)
        y = 80
        for line in lines:
            draw.text((80, y), line, fill=35 + rng.randrange(40), font=font)
            y += 27
        for _ in range(2500):
            draw.point((rng.randrange(827), rng.randrange(1169)), fill=rng.randrange(60, 200))
        image = image.rotate(-0.8, fillcolor=238)
        data = io.BytesIO()
        image.save(data, format="JPEG", quality=45)
        data.seek(0)
        c.drawImage(ImageReader(data), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buffer.getvalue()


def truncated(data: bytes, keep: float = 0.55) -> bytes:
    """The first part of a PDF: a download that stopped."""
    return data[: int(len(data) * keep)]


def damaged(data: bytes, seed: str) -> bytes:
    """A PDF whose cross-reference table and object headers were overwritten by noise: a bad disk copy."""
    rng = random.Random(seed)
    out = bytearray(data)
    start = data.rfind(b"xref")
    for i in range(start, len(out) - 30):
        out[i] = rng.randrange(256)
    for match in re.finditer(rb"\d+ 0 obj", data):
        for i in range(match.start(), match.end()):
            out[i] = rng.randrange(33, 126)
    return bytes(out)


def encrypted(data: bytes, password: str) -> bytes:
    """The PDF encrypted by pypdf (RC4 128 bits, a user password), its identifiers fixed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    fixed = ByteStringObject(b"essais-chiffre-1")
    writer._ID = ArrayObject((fixed, fixed))
    writer.encrypt(user_password=password, owner_password=password + "-proprietaire", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    out = buffer.getvalue()
    # pypdf draws the second identifier at random: make it the first one, same length, so offsets hold.
    return re.sub(rb"/ID \[ <([0-9a-f]+)> <[0-9a-f]+> \]", lambda m: b"/ID [ <%s> <%s> ]" % (m[1], m[1]), out)


def not_a_pdf(town: str) -> bytes:
    """What a portal sends instead of the file: an HTML error page, named .pdf."""
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Session expirée</title></head>\n'
        f"<body><h1>Votre session a expiré</h1><p>Le document « convention {town} » n'a pas pu être téléchargé. "
        f"Veuillez vous reconnecter.</p><p>{FICTIF_LINE}</p></body></html>\n"
    ).encode()


def corrupt_docx(data: bytes) -> bytes:
    """A DOCX cut in the middle of its archive, its central directory lost."""
    return data[: len(data) // 2]


def broken_piece(name: str, style: str, problem: str, make: Callable[[], bytes]) -> Piece:
    truth = Verite(fichier=name, style=style, type=None, probleme=problem)
    return Piece(name, name, [], truth, writer="broken", options={"make": make})


def write_broken(piece: Piece, path: Path) -> Path:
    return write_file(path, piece.options["make"]())
