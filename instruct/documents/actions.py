"""The table of actions (its rows, costs, calendars and financeurs) and the budget lines of a piece.

Tables are read as towns draw them: a header found in the first rows, wrapped over two rows or
not, its columns named many ways (columns.py), the unit in a heading (« Budget (€ HT) ») with
bare numbers below; merged axis rows, TOTAL and sous-total rows are not actions (a TOTAL row
gives the budget total when no sentence states it); a table continued on the next page without
its header is the same table; a repeated header is skipped. Each action's quote says how sure the
row is an action; `cout_confidence` how sure its cost was read right.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from instruct.documents.columns import column_scales, scored_columns
from instruct.documents.evidence import SURE, Quote
from instruct.documents.read import PieceText, Row
from instruct.documents.readings import Action
from instruct.documents.text import normal
from instruct.documents.values import MONTHS, dates
from instruct.french import amounts, cell_amount

MONTH_YEAR = re.compile(r"\b(\d{1,2})/(\d{4})\b")
YEAR = re.compile(r"\b(20\d\d|19\d\d)\b")
MONTH_WORDS = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{4})\b")
PLAUSIBLE = Decimal(5_000_000_000)  # no action of a town costs more: a bigger number is misread
BARE = 0.6  # a bare number under a heading that gives no unit: euros, or k€?


def calendrier(text: str) -> tuple[dt.date | None, dt.date | None]:
    """ "10/2018 – 06/2019" -> 2018-10-01, 2019-06-30 ; "2019-2021" -> 2019-01-01, 2021-12-31."""
    full = dates(text)
    if len(full) >= 2:
        return full[0], full[1]
    months = [(int(y), int(m)) for m, y in MONTH_YEAR.findall(text) if 1 <= int(m) <= 12]
    if len(months) < 2:  # « mars 2018 – juin 2019 »
        months = [(int(y), MONTHS[m]) for m, y in MONTH_WORDS.findall(normal(text))]
    if len(months) >= 2:
        (y1, m1), (y2, m2) = months[0], months[1]
        return dt.date(y1, m1, 1), dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
    years = [int(y) for y in YEAR.findall(text)]
    if len(years) >= 2:
        return dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
    return None, None


def _start_end(debut: str, fin: str) -> tuple[dt.date | None, dt.date | None]:
    """Two columns « Début » and « Fin »: the first day of the one, the last of the other."""
    start, _ = calendrier(f"{debut} {debut}")
    _, end = calendrier(f"{fin} {fin}")
    return start, end


def financement(text: str) -> list[tuple[str, Decimal]]:
    """ "Anah : 40 000,00 € ; Ville : 20 000 €" -> [("Anah", 40000), ("Ville", 20000)]."""
    out = []
    for part in re.split(r"\s*[;\n]\s*", text):
        found = amounts(part)
        name = re.split(r"\s*:\s*|\s+\d", part, maxsplit=1)[0].strip(" ,-–")
        if found and name:
            out.append((name, found[0].value))
    return out


# --- the tables -----------------------------------------------------------------------------------


@dataclass
class ActionTable:
    where: str
    header: tuple[str, ...]
    columns: dict[str, tuple[int, float]]  # column -> (index, how surely its heading names it)
    scales: dict[int, Decimal]  # index -> the unit its heading gives bare numbers
    rows: list[tuple[Row, float]] = field(default_factory=list)  # data rows, with how surely they belong here
    page: int | None = None  # the last page it runs on (PDF)


# Besides the intitulé, a table of actions names a cost, a maître d'ouvrage or financeurs; a
# calendar alone (« Action | Début | Fin », an annexe's calendrier détaillé) is not one.
MIN_OTHER = {"cout", "maitre_ouvrage", "financeurs"}
TOTAL = re.compile(r"^(sous[- ]?)?(total|totaux)\b|^montant total\b|^cout total\b|^ensemble des actions\b")
# The programme's total; any other « Total … » (des études, axe 2, partiel) is a sous-total.
GRAND_TOTAL = re.compile(
    r"^(total|totaux|montant total|cout total|ensemble des actions)( general| global| ht| ttc| \(.*\)"
    r"| (du|de l'|de la|des) (programme|plan d'actions?|projet|avenant|convention|actions( chiffrees| retenues)?))*"
    r"\s*:?$"
)
AXIS = re.compile(r"^(axes?|orientations?|volets?|themes?|thematiques?|objectifs?|enjeux?|priorites?|secteurs?)\b")


def _page(where: str) -> int | None:
    match = re.match(r"page (\d+)", where)
    return int(match.group(1)) if match else None


def _merged(rows: list[Row]) -> tuple[str, ...]:
    """Header rows wrapped over several rows, cell by cell (a merged cell repeated once)."""
    width = max(len(r.cells) for r in rows)
    out = []
    for i in range(width):
        parts: list[str] = []
        for row in rows:
            text = row.cells[i].strip() if i < len(row.cells) else ""
            if text and text not in parts:
                parts.append(text)
        out.append(" | ".join(parts))  # columns.column_scores reads the lower row first
    return tuple(out)


def _header_like(row: Row) -> bool:
    """A row that may continue a header: short cells, no amount nor number, not one merged text."""
    texts = [c.strip() for c in row.cells if c.strip()]
    if not texts or any(len(t) > 60 or amounts(t) or re.search(r"\d{3}|%", t) for t in texts):
        return False
    if any(len(t.split()) > 5 for t in texts) or (len(texts) == 1 and AXIS.search(normal(texts[0]))):
        return False  # a row of the table (« Opération façades du centre historique »), an axis
    return len(row.cells) < 2 or len(set(texts)) > 1 or len(texts) < len(row.cells)


def _is_action_header(columns: dict[str, tuple[int, float]]) -> bool:
    return "intitule" in columns and (bool(MIN_OTHER & set(columns)) or ("calendrier" in columns and len(columns) >= 3))


def _header_score(cells: tuple[str, ...]) -> float:
    columns = scored_columns(cells)
    return sum(score for _, score in columns.values()) + 0.5 * len(column_scales(cells))


def _find_header(rows: list[Row]) -> tuple[tuple[str, ...], int] | None:
    """The header's cells (wrapped rows merged) and the index of the first data row."""
    best: tuple[float, int, int] | None = None
    for first in range(min(4, len(rows))):
        for span in (1, 2, 3):
            if first + span > len(rows) or (span > 1 and not _header_like(rows[first + span - 1])):
                break
            cells = _merged(rows[first : first + span])
            if not _is_action_header(scored_columns(cells)):
                continue
            score = _header_score(cells)
            if best is None or score > best[0] + 0.01:
                best = (score, first, span)
    if best is None:
        return None
    _, first, span = best
    return _merged(rows[first : first + span]), first + span


def action_tables(piece: PieceText) -> list[ActionTable]:
    """The tables of actions of a piece, each with its header read and its continuations joined."""
    out: list[ActionTable] = []
    previous: ActionTable | None = None  # the table just before, when it was a table of actions
    for table in piece.tables:
        rows = [r for r in table.rows if any(c.strip() for c in r.cells)]
        if not rows:
            continue
        found = _find_header(rows)
        page = _page(table.where)
        if found is not None and previous is not None and found[0] == previous.header and _next_page(previous, page):
            previous.rows += [(r, 1.0) for r in rows[found[1] :]]  # its header repeated on the next page
            previous.page = page
            continue
        if found is not None:
            header, start = found
            previous = ActionTable(table.where, header, scored_columns(header), column_scales(header), page=page)
            previous.rows = [(r, 1.0) for r in rows[start:]]
            out.append(previous)
            continue
        if previous is not None and _continues(previous, rows, page, piece.kind):
            belongs = 1.0 if piece.kind == "pdf" else 0.7  # a DOCX table is not cut by a page: a guess
            previous.rows += [(r, belongs) for r in rows]
            previous.page = page
            continue
        previous = None
    return out


def _continues(table: ActionTable, rows: list[Row], page: int | None, kind: str) -> bool:
    """A table right after a table of actions, with as many columns, on the same or the next page."""
    if any(len(r.cells) != len(table.header) for r in rows[:3]) or _header_like(rows[0]):
        return False  # another table, or one with a header of its own (« Financeur | Montant »)
    return _next_page(table, page) if kind == "pdf" else True


def _next_page(table: ActionTable, page: int | None) -> bool:
    return page is None or table.page is None or 0 <= page - table.page <= 1


# --- the rows ---------------------------------------------------------------------------------------


# What character recognition confuses: « 1'habitat », « de Ia Halle ».
OCR = ((re.compile(r"(?<![\w'])1'(?=[a-zà-ÿ])"), "l'"), (re.compile(r"(?<=\s)Ia(?=\s+[a-zà-ÿA-ZÀ-Ý])"), "la"))


def unnoised(text: str) -> str:
    """A text with its usual recognition errors fixed and its spaces made single."""
    text = " ".join(text.split())
    for pattern, fixed in OCR:
        text = pattern.sub(fixed, text)
    return text


def _cell(row: Row, table: ActionTable, name: str) -> str | None:
    """The stripped text of the row's cell under column `name`, None when empty or absent."""
    index = table.columns.get(name, (None, 0.0))[0]
    value = row.cells[index].strip() if index is not None and index < len(row.cells) else ""
    return unnoised(value) or None


def row_kind(row: Row, table: ActionTable) -> str:
    """action, total, sous_total, axe, header (repeated) or vide."""
    texts = [" ".join(c.split()) for c in row.cells]
    filled = [t for t in texts if t]
    if not filled:
        return "vide"
    words = [normal(t) for t in filled if not amounts(t) and not re.fullmatch(r"[\d\s.,%€]+", t)]
    if words and TOTAL.search(words[0]):
        return "total" if GRAND_TOTAL.search(words[0]) else "sous_total"
    columns = scored_columns(tuple(texts))
    headings = all(len(t.split()) <= 4 for t in filled)  # « Opération façades du centre historique » is a row
    if headings and len(columns) >= 2 and not any(amounts(t) for t in filled) and _is_action_header(columns):
        return "header"
    if not any(amounts(t) for t in filled) and len(set(filled)) == 1:
        intitule = _cell(row, table, "intitule")
        merged = len(filled) > 1
        if merged or AXIS.search(normal(filled[0])) or intitule is None:
            return "axe"
    return "action"


def _cost(text: str | None, scale: Decimal | None) -> tuple[Decimal | None, float]:
    """A cost cell: the amount and how sure. A percentage or words are no cost (None, sure)."""
    if not text:
        return None, 1.0
    value = cell_amount(text, scale)
    if value is not None:
        return (value, 1.0) if value <= PLAUSIBLE else (None, 0.5)
    found = amounts(text)
    if len(found) == 1:
        return found[0].value, 0.95
    if found:
        ht = [a for a in found if a.tax == "HT"]
        return (ht[0].value, 0.85) if len(ht) == 1 else (found[0].value, 0.6)
    if "%" in text:
        return None, 1.0
    bare = cell_amount(text, Decimal(1))
    if bare is not None:  # a bare number under a heading that gives no unit: euros, or k€?
        return bare, BARE
    return None, 0.9 if not re.search(r"\d", text) else 0.6


def _table_cost(row: Row, table: ActionTable) -> tuple[Decimal | None, float]:
    index = table.columns.get("cout", (None, 0.0))[0]
    return _cost(_cell(row, table, "cout"), table.scales.get(index) if index is not None else None)


def _row_action(piece: PieceText, table: ActionTable, row: Row, belongs: float) -> Action:
    cell = lambda name: _cell(row, table, name)  # noqa: E731
    if "calendrier" in table.columns:
        debut, fin = calendrier(cell("calendrier") or "")
    else:
        debut, fin = _start_end(cell("debut") or "", cell("fin") or "")
    cout, cout_confidence = _table_cost(row, table)
    if "cout" not in table.columns:
        cout_confidence = 0.9
    confidence = min(belongs, 1.0 if table.columns["intitule"][1] >= SURE else 0.7)
    filled = [c for c in row.cells if c.strip()]
    if len(filled) == 1:  # only an intitulé: an action not yet costed, or a title row?
        confidence = min(confidence, 0.7)
    return Action(
        cell("id"),
        cell("intitule"),
        cell("maitre_ouvrage"),
        debut,
        fin,
        cout,
        financement(cell("financeurs") or ""),
        Quote(piece.file, row.where, " | ".join(" ".join(c.split()) for c in row.cells)[:240], confidence),
        cout_confidence,
    )


def actions(piece: PieceText) -> list[Action]:
    """The rows of the tables of actions, in order. A table that restates actions already read
    (an annex's calendrier or budget détaillé, action by action) adds none."""
    out: list[Action] = []
    for table in action_tables(piece):
        rows = [
            _row_action(piece, table, row, belongs)
            for row, belongs in table.rows
            if row_kind(row, table) == "action" and _cell(row, table, "intitule")
        ]
        seen = {_key(a.intitule) for a in out}
        if out and rows and sum(_key(a.intitule) in seen for a in rows) * 2 >= len(rows):
            continue
        out += _units_checked(piece, table, rows)
    return out


def _units_checked(piece: PieceText, table: ActionTable, rows: list[Action]) -> list[Action]:
    """Bare numbers under a heading without unit are euros when their sum is a total the piece
    writes with its unit (the TOTAL row, or a sentence): then they are sure."""
    costs = [a.cout for a in rows]
    if not any(a.cout_confidence == BARE for a in rows) or None in costs:
        return rows
    from instruct.documents.budget import stated_totals  # budget reads this module

    written = {
        a.value for row, _ in table.rows if row_kind(row, table) == "total" for c in row.cells for a in amounts(c)
    }
    if sum(costs) in written | stated_totals(piece):
        for action in rows:
            action.cout_confidence = max(action.cout_confidence, 0.95)
    return rows


def _key(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", normal(text or ""))


def table_total(piece: PieceText) -> tuple[Decimal, Quote] | None:
    """The TOTAL row of the tables of actions (not a sous-total): its cost cell, or the one amount
    of the row. Sure when it is the sum of the rows above it, or the row holds one amount only."""
    found = []
    for table in action_tables(piece):
        costs: list[Decimal | None] = []
        for row, _ in table.rows:
            kind = row_kind(row, table)
            if kind == "action":
                costs.append(_table_cost(row, table)[0])
            if kind != "total":
                continue
            value, sure = _table_cost(row, table)
            cost_scale = table.scales.get(table.columns.get("cout", (-1, 0.0))[0])
            written = {a.value for c in row.cells for a in amounts(c)} | {
                v for i, c in enumerate(row.cells) if (v := cell_amount(c, table.scales.get(i))) is not None
            }
            bare = {v for c in row.cells if (v := cell_amount(c, cost_scale or Decimal(1))) is not None}  # merged cells
            if value is None and (written or bare):
                value, sure = (written.pop(), 0.85) if len(written) == 1 else (None, 0.0)
                if value is None and len(bare) == 1:
                    value, sure = bare.pop(), 0.7 if cost_scale else BARE  # sure only when it sums the actions
            if value is None:
                continue
            sure = min(sure, 0.85)  # a total read right; the programme's?
            if costs and None not in costs and sure > BARE:  # in euros, or in k€ like its bare rows?
                sure = 1.0 if sum(costs) == value else 0.7  # the sum of the actions above it, or not
            found.append((value, row, sure))
    if not found:
        return None
    value, row, sure = max(reversed(found), key=lambda f: f[2])  # the surest, the last of equals
    if sure < 1.0 and len({v for v, _, _ in found}) > 1:
        sure = min(sure, 0.7)  # several totals that differ, none the sum of its rows: which is the programme's?
    text = " | ".join(" ".join(c.split()) for c in row.cells)[:240]
    return value, Quote(piece.file, row.where, text, sure)
