"""Tables of a PDF page, rebuilt from where each piece of text is drawn.

A PDF has no tables, only text drawn at positions. The header row gives the columns (the x of
each header cell). Generators draw a table cell by cell, row by row, so a fragment drawn in a
column left of the previous fragment's starts a new row; text drawn at the left margin with no
other cell (the paragraph after the table) ends it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SAME_LINE = 2.0  # points
SLACK = 3.0  # a cell's text starts a little right of its column's left edge


@dataclass(frozen=True)
class Fragment:
    x: float
    y: float
    text: str


def collector(fragments: list[Fragment]) -> Callable:
    """A pypdf `visitor_text` that records each piece of text with its position on the page."""

    def visit(text, cm, tm, _font, _size):
        if text and text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            fragments.append(Fragment(x, y, " ".join(text.split())))

    return visit


def _lines(fragments: list[Fragment]) -> list[list[int]]:
    """Consecutive fragments on the same baseline, as index lists."""
    lines: list[list[int]] = []
    for i, f in enumerate(fragments):
        if lines and abs(fragments[lines[-1][-1]].y - f.y) <= SAME_LINE:
            lines[-1].append(i)
        else:
            lines.append([i])
    return lines


def page_tables(fragments: list[Fragment], page: int, is_header: Callable[[list[str]], bool]) -> list[list[list[str]]]:
    """Every table of the page whose header row `is_header` recognises: rows of cells, header
    first."""
    tables = []
    lines = _lines(fragments)
    consumed = -1
    for line in lines:
        if line[0] <= consumed or len(line) < 2:
            continue
        cells = [fragments[i] for i in sorted(line, key=lambda i: fragments[i].x)]
        if not is_header([c.text for c in cells]):
            continue
        table, consumed = _read_table(fragments, line[-1] + 1, [c.x for c in cells])
        tables.append([[c.text for c in cells]] + table)
    return tables


def _read_table(fragments: list[Fragment], start: int, columns: list[float]) -> tuple[list[list[str]], int]:
    rows: list[list[list[str]]] = []
    previous = len(columns)
    end = start
    for i in range(start, len(fragments)):
        f = fragments[i]
        if f.x < columns[0] - SLACK:
            break
        column = max(c for c, left in enumerate(columns) if left - SLACK <= f.x)
        if column < previous:
            if rows and sum(1 for cell in rows[-1] if cell) < 2:
                rows.pop()  # the text after the table, not a row
                break
            rows.append([[] for _ in columns])
        rows[-1][column].append(f.text)
        previous = column
        end = i
    if rows and sum(1 for cell in rows[-1] if cell) < 2:
        rows.pop()
    return [[" ".join(parts) for parts in row] for row in rows], end
