"""Real DOCX and PDF files for the tests: written with python-docx, and with pypdf (a text
layer drawn with Helvetica, one page per text; an empty text makes a page without text, like a
scan)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def make_docx(path, paragraphs, tables=()):
    """One paragraph per item; each table a list of rows (tuples of cells)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=0, cols=len(rows[0]))
        for row in rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    document.save(str(path))
    return Path(path)


def make_pdf(path, pages_text, encrypt=None):
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    for text in pages_text:
        page = writer.add_blank_page(595, 842)
        if text:
            lines = "".join(f"({line.replace('(', '[').replace(')', ']')}) Tj 0 -16 Td " for line in text.split("\n"))
            stream = DecodedStreamObject()
            stream.set_data(f"BT /F1 11 Tf 50 800 Td {lines} ET".encode("cp1252"))
            page[NameObject("/Contents")] = writer._add_object(stream)
            page[NameObject("/Resources")] = DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
            )
    if encrypt:
        writer.encrypt(encrypt)
    with open(path, "wb") as handle:
        writer.write(handle)
    return Path(path)


def write_piece(folder: Path, spec: dict) -> Path:
    """A piece described in a test case: {fichier, paragraphes?, tableaux?, pages?, octets?}."""
    path = folder / spec["fichier"]
    if "octets" in spec:
        path.write_bytes(spec["octets"].encode("latin-1"))
    elif path.suffix == ".docx":
        make_docx(path, spec.get("paragraphes", []), [[tuple(r) for r in t] for t in spec.get("tableaux", [])])
    elif path.suffix == ".pdf":
        make_pdf(path, spec.get("pages", [""]))
    else:
        path.write_text(spec.get("texte", ""), encoding="utf-8")
    return path
