"""Reading a DOCX in document order, within the archive's size and ratio limits: paragraphs and
tables interleaved as Word shows them (content controls opened, text boxes read once after their
anchor), each paragraph with its heading level and its automatic number, each table row with its
cells, one per grid column (a merged cell's text once, in its first column and row; "" in the
others). Headers, footers and a table of contents' entries are not body text.

« paragraphe N » counts the body's paragraphs as python-docx's `document.paragraphs` does, and
« tableau T » its tables as `document.tables`, so that evidence stays where it was; paragraphs
and tables inside a content control are placed by it (« contrôle de contenu 2, paragraphe 1 »)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from instruct.documents.docx_numbering import Numbering
from instruct.documents.docx_styles import VAL, RunLook, Styles, W, integer, on_off
from instruct.documents.read import MAX_RATIO, MAX_UNZIPPED, Block, PieceText, Row, Table

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, TBL, TR, TC, R = f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}r"
SDT, SDT_CONTENT, CUSTOM_XML = f"{W}sdt", f"{W}sdtContent", f"{W}customXml"
TEXT_BOX = f"{W}txbxContent"
ALTERNATE, CHOICE = f"{MC}AlternateContent", f"{MC}Choice"
# What a run shows besides its w:t: a line break, a tab, a hyphen Word keeps on the line.
SHOWN = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
# Not shown: properties, deleted or moved-away text, the VML copy of a drawing, field codes.
HIDDEN = {f"{W}{tag}" for tag in ("pPr", "rPr", "sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr", "del", "moveFrom")}
HIDDEN |= {f"{W}instrText", f"{W}delText", f"{MC}Fallback"}

HEADING_MAX = 150  # a bold line longer than this is a paragraph, not a heading
SENTENCE_WORDS = 5  # a line ending with a full stop is a sentence from this many words (« ARTICLE 1. » is not)
NUMBERED_HEADING = ("article", "titre", "chapitre", "partie", "section", "annexe")


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
    piece.reader = "python-docx"
    try:
        _Reader(document, piece).body(document.element.body)
    except Exception:  # an XML shape this reader does not foresee: python-docx's plain reading still reads it
        piece.blocks.clear()
        piece.tables.clear()
        piece.reader = "python-docx (lecture simple)"
        _plain(document, piece)


def _plain(document, piece: PieceText) -> None:
    """Paragraphs then tables, as python-docx gives them: no order between them, no numbering."""
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


def _part(document, relation: str):
    """The XML of a part the document relates to (styles, numbering), None when it has none."""
    try:
        return document.part.part_related_by(relation).element
    except (KeyError, AttributeError):
        return None


class _Reader:
    def __init__(self, document, piece: PieceText) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.piece = piece
        self.styles = Styles(_part(document, RT.STYLES))
        self.numbering = Numbering(_part(document, RT.NUMBERING), self.styles)
        body = self.styles.run_look(RunLook(), None, self.styles.default_paragraph).size
        self.body_size = body or 20  # half-points: Word's 10 pt when the document says nothing

    # --- containers ---------------------------------------------------------------------------

    def body(self, body) -> None:
        paragraphs = tables = controls = 0
        for child in body:
            if child.tag == P:
                paragraphs += 1
                self.paragraph(child, f"paragraphe {paragraphs}")
            elif child.tag == TBL:
                tables += 1
                self.table(child, f"tableau {tables}")
            elif child.tag in (SDT, CUSTOM_XML):
                controls += 1
                if not _placeholder(child):
                    self.container(child, f"contrôle de contenu {controls}, ", numbered=True)

    def container(self, element, prefix: str, numbered: bool) -> None:
        """Paragraphs and tables of a content control or a text box, placed by `prefix`."""
        paragraphs = tables = 0
        for child in _block_items(element):
            if child.tag == P:
                paragraphs += 1
                self.paragraph(child, f"{prefix}paragraphe {paragraphs}" if numbered else prefix)
            else:
                tables += 1
                self.table(child, f"{prefix}tableau {tables}" if numbered else f"{prefix}, tableau {tables}")

    # --- paragraphs ---------------------------------------------------------------------------

    def paragraph(self, p, where: str) -> None:
        text, runs, boxes = _content(p)
        ppr = p.find(f"{W}pPr")
        style = self.styles.paragraph_style(_style_of(ppr))
        number, pattern, depth = self._number(ppr, style)
        if text.strip() and not self.styles.is_contents(style):  # a table of contents repeats the headings
            heading = self._heading(ppr, style, text, runs, (pattern, depth))
            self.piece.blocks.append(Block(text, where, heading=heading, number=number))
        for box in boxes:
            self.container(box, f"{where} (zone de texte)", numbered=False)

    def _number(self, ppr, style: str | None) -> tuple[str, str, int]:
        """The paragraph's automatic number as shown, its level's pattern (« Article %1 ») and depth."""
        numbered = self.numbering.of_paragraph(ppr, style)
        return (*self.numbering.advance(*numbered), numbered[1]) if numbered else ("", "", 0)

    def _heading(self, ppr, style: str | None, text: str, runs: list, numbered: tuple[str, int]) -> int:
        """The level from the paragraph's own outline level, its style, else a short line
        standing out: all bold (level 2; 1 in capitals or larger than the body text), or
        numbered like a heading (« Article %1 »)."""
        own = integer(ppr.find(f"{W}outlineLvl")) if ppr is not None else None
        if own is not None and 0 <= own < 9:
            return own + 1
        level = self.styles.heading_level(style)
        if level:
            return level
        line = " ".join(text.split())
        sentence = line.endswith(".") and not line.endswith("..") and len(line.split()) >= SENTENCE_WORDS
        if len(line) >= HEADING_MAX or sentence or line.endswith((",", ";")):
            return 0  # long, or a sentence, or a line that goes on (« Pour la Commune de X, »)
        if not any(c.isalpha() for c in line):
            return 0
        pattern, depth = numbered
        if pattern.strip().lower().startswith(NUMBERED_HEADING):
            return depth + 1
        looks = [
            self.styles.run_look(RunLook.of(run.find(f"{W}rPr")), _run_style(run), style)
            for run, shown in runs
            if shown.strip()
        ]
        if not looks or not all(look.bold for look in looks):
            return 0
        capitals = all(look.caps for look in looks) or line.upper() == line
        larger = all((look.size or 0) > self.body_size for look in looks)
        return 1 if capitals or larger else 2

    # --- tables -------------------------------------------------------------------------------

    def table(self, tbl, where: str) -> None:
        rows: list[Row] = []
        for r, tr in enumerate(_children(tbl, TR), 1):
            cells: list[str] = []
            trpr = tr.find(f"{W}trPr")
            before = integer(trpr.find(f"{W}gridBefore")) if trpr is not None else None
            cells += [""] * max(0, min(before or 0, 64))
            for tc in _children(tr, TC):
                tcpr = tc.find(f"{W}tcPr")
                span = integer(tcpr.find(f"{W}gridSpan")) if tcpr is not None else None
                span = max(1, min(span or 1, 64))
                merge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                # A merged cell's text once, in its first column and its first row: repeated down, a
                # cost merged over two actions would count twice.
                going_on = merge is not None and merge.get(VAL, "continue") == "continue"
                cells += ["" if going_on else self.cell_text(tc)] + [""] * (span - 1)
            row_where = f"{where}, ligne {r}"
            if any(cells):
                shown = " | ".join(" ".join(c.split()) for c in cells if c)
                self.piece.blocks.append(Block(shown, row_where, cells=tuple(cells)))
                rows.append(Row(tuple(cells), row_where))
        self.piece.tables.append(Table(where, rows))

    def cell_text(self, tc) -> str:
        """The cell's paragraphs (with their automatic numbers) and nested tables, one per line."""
        lines = []
        for item in _block_items(tc):
            if item.tag == P:
                text, _, boxes = _content(item)
                ppr = item.find(f"{W}pPr")
                number = self._number(ppr, self.styles.paragraph_style(_style_of(ppr)))[0]
                lines.append(f"{number} {text}" if number and text.strip() else text)
                lines += [self.cell_text(box) for box in boxes]
            else:
                lines += [" | ".join(cell for cell in row.cells if cell) for row in self._nested(item)]
        return "\n".join(
            squeezed for line in lines for part in line.split("\n") if (squeezed := " ".join(part.split()))
        )

    def _nested(self, tbl) -> list[Row]:
        """A table inside a cell: its rows, kept out of the piece's blocks and tables."""
        blocks, tables = len(self.piece.blocks), len(self.piece.tables)
        self.table(tbl, "")
        rows = self.piece.tables[-1].rows
        del self.piece.blocks[blocks:], self.piece.tables[tables:]
        return [Row(tuple(" ".join(c.split()) for c in row.cells), row.where) for row in rows]


# --- the XML ----------------------------------------------------------------------------------


def _children(element, tag: str):
    """The children with this tag, content controls and custom XML opened."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML) and not _placeholder(child):
            yield from _children(child, tag)


def _block_items(element):
    """Paragraphs and tables in order, content controls and custom XML opened."""
    for child in element:
        if child.tag in (P, TBL):
            yield child
        elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML) and not _placeholder(child):
            yield from _block_items(child)


def _placeholder(element) -> bool:
    """A content control still showing its placeholder (« Cliquez ou appuyez ici pour entrer du texte. »)."""
    return element.tag == SDT and bool(on_off(element.find(f"{W}sdtPr/{W}showingPlcHdr")))


def _style_of(ppr) -> str | None:
    style = ppr.find(f"{W}pStyle") if ppr is not None else None
    return style.get(VAL) if style is not None else None


def _run_style(run) -> str | None:
    style = run.find(f"{W}rPr/{W}rStyle")
    return style.get(VAL) if style is not None else None


def _content(p) -> tuple[str, list, list]:
    """The paragraph's shown text, its runs with their text, and the text boxes anchored in it."""
    parts: list[str] = []
    runs: list = []
    boxes: list = []
    _walk(p, parts, runs, boxes, None)
    return "".join(parts).strip("\n"), [(run, "".join(shown)) for run, shown in runs], boxes


def _walk(element, parts: list[str], runs: list, boxes: list, run) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in HIDDEN:
            continue
        if tag == f"{W}t":
            _show(child.text or "", parts, run)
        elif tag in SHOWN:
            _show(SHOWN[tag], parts, run)
        elif tag == f"{W}br":  # a line break; a page or column break also ends the line
            _show("\n", parts, run)
        elif tag == R:
            if on_off(child.find(f"{W}rPr/{W}vanish")):
                continue
            here = (child, [])
            runs.append(here)
            _walk(child, parts, runs, boxes, here)
        elif tag == TEXT_BOX:
            boxes.append(child)
        elif _placeholder(child):
            continue
        elif tag == ALTERNATE:
            choice = child.find(CHOICE)
            if choice is not None:
                _walk(choice, parts, runs, boxes, run)
        else:
            _walk(child, parts, runs, boxes, run)


def _show(text: str, parts: list[str], run) -> None:
    parts.append(text)
    if run is not None:
        run[1].append(text)
