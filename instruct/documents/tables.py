"""Tables of a PDF page, rebuilt from where each piece of text is drawn (fragments from
pdf_layout, in drawing order).

A PDF has no tables, only text drawn at positions. The header row gives the columns (the x of
each header cell). Generators draw a table cell by cell, row by row, so a fragment drawn in a
column left of the previous fragment's starts a new row. The table ends at text drawn left of
its first column, at a row of a single cell, and at text wider than the column it starts in (a
heading or a paragraph after the table runs across the columns; a cell's text stays in its own).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from instruct.documents.pdf_layout import Fragment, joined

SAME_LINE = 2.0  # points
SLACK = 3.0  # a cell's text starts a little right of its column's left edge
OVERFLOW = 6.0  # points a cell's text may run past the next column's left edge (tight layouts)


def _lines(fragments: list[Fragment]) -> list[list[int]]:
    """Consecutive fragments on the same baseline, as index lists."""
    lines: list[list[int]] = []
    for i, f in enumerate(fragments):
        if lines and abs(fragments[lines[-1][-1]].y - f.y) <= SAME_LINE:
            lines[-1].append(i)
        else:
            lines.append([i])
    return lines


@dataclass
class Found:
    """A table rebuilt on a page: its rows (header first when it has one), its columns' left edges,
    and the baselines of its first and last lines (where it is drawn)."""

    rows: list[list[str]]
    columns: list[float]
    top: float
    bottom: float


def page_tables(fragments: list[Fragment], is_header: Callable[[list[str]], bool]) -> list[Found]:
    """Every table of the page whose header row `is_header` recognises."""
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
        drawn = fragments[line[0] : max(consumed, line[-1]) + 1]
        top, bottom = max(f.y for f in drawn), min(f.y for f in drawn)
        tables.append(Found([[c.text for c in cells]] + table, [c.x for c in cells], top, bottom))
    return tables


def continued_table(fragments: list[Fragment], start: int, columns: Sequence[float]) -> Found | None:
    """The rows of a table continued from the previous page without its header: read from the
    fragment `start` with the previous page's columns."""
    rows, end = _read_table(fragments, start, list(columns))
    drawn = fragments[start : end + 1]
    return Found(rows, list(columns), max(f.y for f in drawn), min(f.y for f in drawn)) if rows and drawn else None


def aligned(xs: Sequence[float], columns: Sequence[float]) -> bool:
    """Cells starting where `columns` start: the first column and at least one other."""
    hits = [any(abs(x - c) <= SLACK + 2 for c in columns) for x in xs]
    return len(xs) >= 2 and abs(xs[0] - columns[0]) <= SLACK + 2 and sum(hits) >= 2


def _read_table(fragments: list[Fragment], start: int, columns: list[float]) -> tuple[list[list[str]], int]:
    """The rows from fragment `start` in `columns`, and the index of the table's last fragment."""
    rows: list[list[list[str]]] = []
    last: list[int] = []  # each row's last fragment
    previous = len(columns)
    for i in range(start, len(fragments)):
        f = fragments[i]
        if f.x < columns[0] - SLACK:
            break
        column = max(c for c, left in enumerate(columns) if left - SLACK <= f.x)
        if column + 1 < len(columns) and f.x1 > columns[column + 1] + OVERFLOW:
            break  # running text across the columns: the table is over
        if column < previous:
            if rows and sum(1 for cell in rows[-1] if cell) < 2:
                if rows[-1][0] or len(rows) > 1:
                    break  # the text after the table, not a row
                rows.pop()  # a header cell wrapped onto a second line (« Financeurs » / « pressentis »)
                last.pop()
            rows.append([[] for _ in columns])
            last.append(i)
        rows[-1][column].append(f.text)
        last[-1] = i
        previous = column
    if rows and sum(1 for cell in rows[-1] if cell) < 2:
        rows.pop()
    end = last[len(rows) - 1] if rows else start - 1
    return [[joined(parts) for parts in row] for row in rows], end
