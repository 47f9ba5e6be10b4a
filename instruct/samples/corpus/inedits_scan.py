"""A page as a copier scans it: a grey image of typed lines, slightly tilted, with specks of
dust. No text layer: a reader sees only an image. The typeface is reportlab's own Vera (it has
the French accents), so the image does not depend on the fonts of the machine."""

from __future__ import annotations

import io
import random
from pathlib import Path


def scan_page(lines: list[str], seed: int) -> bytes:
    """A grey page image as a copier makes it: the text slightly tilted, specks of dust."""
    import reportlab
    from PIL import Image, ImageDraw, ImageFont

    width, height = 827, 1169  # A4 at 100 dpi
    image = Image.new("L", (width, height), 236)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), 17)
    y = 90
    for line in lines:
        draw.text((80, y), line, fill=25, font=font)
        y += 28
    rng = random.Random(seed)
    for _ in range(400):
        x, yy = rng.randrange(width), rng.randrange(height)
        draw.point((x, yy), fill=rng.randrange(60, 200))
    image = image.rotate(0.6, fillcolor=236)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
