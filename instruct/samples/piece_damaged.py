"""The pieces a reader cannot read: a scan (images of pages, no text) and a truncated PDF."""

from __future__ import annotations

import io
import random
from pathlib import Path

from instruct.samples.piece_text import AUTHOR, write_file


def scanned_pdf(path: str | Path, pages: int = 2) -> Path:
    """A PDF of images of pages only (lines and small filled rectangles): no text to extract."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle("Numérisation")
    c.setAuthor(AUTHOR)
    rng = random.Random("scan")
    width, height = A4
    for _ in range(pages):
        c.setFillGray(0.97)
        c.rect(0, 0, width, height, stroke=0, fill=1)  # the paper, slightly grey
        c.setFillGray(0.15)
        c.rect(70, height - 110, 180, 22, stroke=0, fill=1)  # a letterhead block
        c.setStrokeGray(0.3)
        c.line(60, height - 130, width - 60, height - 130)
        y = height - 160
        while y > 110:
            x = 70 + (30 if rng.random() < 0.12 else 0)
            end = width - 70 - (rng.randrange(0, 220) if rng.random() < 0.2 else 0)
            while x < end:  # "words": runs of little dark squares
                word = rng.randrange(12, 60)
                c.setFillGray(0.1 + rng.random() * 0.25)
                for dx in range(0, min(word, int(end - x)), 3):
                    if rng.random() < 0.8:
                        c.rect(x + dx, y + rng.choice((0, 1)), 2.4, 6 + rng.choice((0, 0, 2)), stroke=0, fill=1)
                x += word + 5
            y -= 15 if rng.random() < 0.9 else 30
        c.setFillGray(0.2)
        c.circle(width - 150, 130, 38, stroke=1, fill=0)  # a stamp
        c.rect(width - 230, 95, 120, 4, stroke=0, fill=1)  # a signature stroke
        c.showPage()
    c.save()
    return write_file(path, buffer.getvalue())


def corrupt_pdf(path: str | Path) -> Path:
    """Bytes that start like a PDF and are truncated garbage after a few hundred bytes."""
    head = (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R "
        b"/MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 2048 /Filter /FlateDecode "
        b">>\nstream\n"
    )
    rng = random.Random("corrupt")
    garbage = bytes(rng.randrange(256) for _ in range(420 - len(head)))
    return write_file(path, head + garbage)
