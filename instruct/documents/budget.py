"""The budget a piece states: its total, the part des cofinanceurs and the part du porteur, read
from sentences (« Le coût total du programme s'élève à 14,6 M€ HT », « Montant total du plan
d'actions : … », « Part des cofinanceurs : … ») with how sure each is; failing a sentence, the
TOTAL row of the table of actions, or of the maquette financière (financeur by financeur)."""

from __future__ import annotations

import re
from decimal import Decimal

from instruct.documents.actions import TOTAL, table_total
from instruct.documents.columns import column_scales, scored_columns
from instruct.documents.evidence import SURE, Quote
from instruct.documents.read import PieceText
from instruct.documents.text import normal
from instruct.french import amounts, cell_amount

# name -> (pattern on the normalised line, how surely the amount after it is that value)
BUDGET: dict[str, tuple[tuple[str, float], ...]] = {
    "total": (
        (r"^(le |la )?(montant|cout|budget|enveloppe)s? (total|global|globale|previsionnel total)e?s?\b", 1.0),
        (r"\b(montant|cout|budget|enveloppe|investissement)s? (total|global|globale|d'ensemble|consolide)e?s?\b", 0.9),
        (r"\b(programme|plan d'actions?|projet)\b.{0,60}\b(est estime|s'eleve|est evalue|se monte|represente)", 0.85),
        (r"^total (general|du programme|du plan d'actions?|du projet)\b", 0.9),
        (r"\bensemble des (actions|operations)\b.{0,60}\b(montant|cout|budget|represente|s'eleve|est estime)", 0.85),
        (
            r"^(le |la )?(cout|montant|budget)s? (des|de l'ensemble des) .{0,80}"
            r"\b(est estime|s'eleve|est evalue|se monte)",
            0.85,
        ),
    ),
    "part_cofinanceurs": (
        (r"^(la )?part (des |de l'ensemble des )?(co)?financeurs\b|^(la )?part des partenaires\b", 1.0),
    ),
    "part_porteur": (
        (r"^(la )?part (du porteur|de la (ville|commune|collectivite)|du maitre d'ouvrage)\b", 1.0),
        (r"^(le )?reste a charge\b|^(l')?autofinancement\b", 0.85),
    ),
}
MONEY = re.compile(r"\d.{0,3}(€|eur|k|m|million)", re.IGNORECASE)  # a line that may hold an amount
PROGRAMME = re.compile(r"\bprogramme|plan d'actions?|\bprojet\b|convention|ensemble des actions|des actions\b|avenant")
ELSEWHERE = re.compile(
    r"\boperation\b|\bde l'action\b|\bcette action\b|\bfiche\b|\bsubvention|\bdont\b.{0,20}$|\betude\b"
    r"|\bparticipation|\baides?\b|\bcredits\b|\bdotation|\bsollicite|\bfinancements? (de|du|des)\b"
)


def _after(line: str, position: int, following: str) -> tuple[Decimal, float] | None:
    """The first amount written after `position` in the line, or at the start of the next line; an
    amount cut by the line's end (« s'élève à 3 695 » / « 000 € HT ») is read whole."""
    if following and re.search(r"\d$", line.rstrip()) and re.match(r"\s*\d", following):
        line = f"{line} {following}"
        following = ""
    plain = normal(line)
    ratio = len(line) / max(1, len(plain))  # normal() shortens a little; place the search approximately
    written = [a for a in amounts(line) if a.start >= int(position * ratio) - 2]
    others = {a.value for a in written[1:]} - {written[0].value} if written else set()
    if written and others and not (written[0].tax == "HT" and all(a.tax == "TTC" for a in written[1:])):
        return written[0].value, 0.7  # « fixé à 8 M€, il est porté à 10 M€ »: which one?
    if written:
        return written[0].value, 1.0
    nxt = amounts(following)
    if nxt and nxt[0].start < 8:
        return nxt[0].value, 0.95
    return None


def _budget_candidates(piece: PieceText) -> dict[str, list[tuple[Decimal, Quote]]]:
    lines = piece.lines()
    found: dict[str, list[tuple[Decimal, Quote]]] = {name: [] for name in BUDGET}
    for n, (line, where) in enumerate(lines):
        following = lines[n + 1][0] if n + 1 < len(lines) else ""
        if len(line) > 400 or not MONEY.search(f"{line} {following[:12]}"):
            continue
        plain = normal(line)
        for name, patterns in BUDGET.items():
            best = None
            for pattern, score in patterns:
                match = re.search(pattern, plain)
                if match is None:
                    continue
                amount = _after(line, match.start(), following)
                if amount is None:
                    continue
                sure = score * amount[1]
                if name == "total" and score < 1.0 and not PROGRAMME.search(plain):
                    sure *= 0.85
                if ELSEWHERE.search(plain[: match.end() + 40]):
                    sure *= 0.7  # an operation's or a fiche's total, not the programme's
                if best is None or sure > best[1]:
                    best = (amount[0], sure, line if amount[1] == 1.0 else f"{line} {following}")
            if best is not None:
                found[name].append((best[0], Quote(piece.file, where, best[2][:240], round(best[1], 3))))
    return found


def stated_totals(piece: PieceText) -> set[Decimal]:
    """The totals the piece's sentences state, sure or not."""
    return {value for value, _ in _budget_candidates(piece)["total"]}


def budget(piece: PieceText) -> dict[str, tuple[Decimal, Quote]]:
    """The budget's total, part des cofinanceurs and part du porteur: the surest statement of each
    (two sure statements that differ are both only proposals); the total of the table of actions
    when no sentence states the total."""
    out: dict[str, tuple[Decimal, Quote]] = {}
    for name, candidates in _budget_candidates(piece).items():
        if not candidates:
            continue
        value, quote = max(candidates, key=lambda c: c[1].confidence)
        rivals = {v for v, q in candidates if q.confidence >= SURE and v != value}
        if rivals:
            quote = Quote(quote.file, quote.where, quote.text, min(quote.confidence, 0.7))
        out[name] = (value, quote)
    for from_table in (table_total, maquette_total):
        if "total" in out and out["total"][1].sure:
            break
        found = from_table(piece)
        if found is not None and ("total" not in out or found[1].confidence > out["total"][1].confidence):
            out["total"] = found
    return out


def maquette_total(piece: PieceText) -> tuple[Decimal, Quote] | None:
    """The TOTAL row of a maquette financière (« Financeur | Montant »): sure when it is the sum
    of the financeurs above it."""
    found = []
    for table in piece.tables:
        if not table.rows:
            continue
        header = table.rows[0].cells
        columns = scored_columns(header)
        if "financeurs" not in columns or "cout" not in columns or "intitule" in columns:
            continue
        index, scale = columns["cout"][0], column_scales(header).get(columns["cout"][0])
        values: list[Decimal | None] = []
        for row in table.rows[1:]:
            cell = row.cells[index] if index < len(row.cells) else ""
            value = cell_amount(cell, scale) or next((a.value for a in amounts(cell)), None)
            label = normal(next((c for c in row.cells if c.strip()), ""))
            if TOTAL.search(label) or label.startswith("ensemble des financements"):
                if value is not None:
                    sure = 0.95 if values and None not in values and sum(values) == value else 0.7
                    found.append((value, Quote(piece.file, row.where, " | ".join(row.cells)[:240], sure)))
                break
            values.append(value)
    if len(found) != 1:
        return None  # none, or several maquettes: which is the programme's?
    return found[0]
