"""Reading a DOCX: its paragraphs and tables, within the archive's size and ratio limits."""

from __future__ import annotations

import zipfile
from pathlib import Path

from instruct.documents.read import MAX_RATIO, MAX_UNZIPPED, Block, PieceText, Row, Table


def read_docx(path: Path, piece: PieceText) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unzipped = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
                piece.problems.append(
                    f"archive DOCX suspecte (taille décompressée {unzipped} octets, "
                    f"rapport {unzipped // packed}) : non lue"
                )
                return
    except zipfile.BadZipFile:
        piece.problems.append("DOCX illisible ou corrompu (archive invalide)")
        return
    from docx import Document

    try:
        document = Document(str(path))
    except Exception:  # python-docx raises several types on a malformed package
        piece.problems.append("DOCX illisible : son contenu (document.xml) ne peut être lu")
        return
    for number, paragraph in enumerate(document.paragraphs, 1):
        if paragraph.text.strip():
            piece.blocks.append(Block(paragraph.text, f"paragraphe {number}"))
    for t, table in enumerate(document.tables, 1):
        rows = []
        for r, row in enumerate(table.rows, 1):
            cells = tuple(" ".join(c.text.split()) for c in row.cells)
            if any(cells):
                piece.blocks.append(Block(" | ".join(cells), f"tableau {t}, ligne {r}", cells=cells))
                rows.append(Row(cells, f"tableau {t}, ligne {r}"))
        piece.tables.append(Table(f"tableau {t}", rows))
