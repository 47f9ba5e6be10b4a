"""Assembles the elements of a convention or an avenant from its articles: the numbered headings
in a chosen manner, the stock paragraphs of each part, the table of actions in a chosen layout."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from instruct.samples.corpus.inedits_model import ActionsTable, Heading, Para, Row, money
from instruct.samples.corpus.inedits_words import DUREE_MOTS, TEXTES, label, textes


@dataclass
class Article:
    """One article: its title, the trame part it is (or None), its paragraphs (stock ones for
    the part when None), extra elements after them (a table), an optional second heading line."""

    titre: str
    code: str | None = None
    paragraphs: list[str] | None = None
    extra: tuple = ()
    wrap: str | None = None
    sub: bool = False  # a level-2 heading
    plain: bool = False  # an unnumbered heading (« Préambule », « Annexe – … »)


def articles(
    items: list[Article], form: str | None, values: dict, bold_only: bool = False, start: int = 1, upper: bool = False
) -> list:
    """The elements of numbered articles. form None: Word's automatic numbering."""
    out: list = []
    n = start - 1
    sub = 0
    for item in items:
        if item.plain:
            number, level = "", 1
        elif item.sub:
            sub += 1
            number = f"{n}.{sub}" if form else ""
            level = 2
        else:
            n += 1
            sub = 0
            number = label(n, form) if form else ""
            level = 1
        text = item.titre.upper() if upper and level == 1 else item.titre
        out.append(
            Heading(
                text,
                level=level,
                label=number,
                code=item.code,
                auto=form is None and not item.plain,
                bold_only=bold_only,
                wrap=item.wrap,
            )
        )
        stock = item.code if item.code in TEXTES else "annexe"
        paragraphs = item.paragraphs if item.paragraphs is not None else textes(stock, **values)
        out += [Para(text) for text in paragraphs]
        out += list(item.extra)
    return out


def duree_values(years: int) -> dict:
    return {"duree": years, "duree_mots": DUREE_MOTS[years]}


@dataclass
class Layout:
    """How a table of actions is laid out: its header rows, the money form of the cost column,
    whether axis rows and a TOTAL row are drawn, the numbering of the actions."""

    header: list[list[str]]
    columns: tuple[str, ...]  # which cells, in order: id, intitule, mo, cout, debut, fin, periode
    form: str = "ht"
    axes: bool = False
    total: str | None = None  # the TOTAL row's label
    widths: tuple[float, ...] = ()
    ruled: bool = True
    repeat_header: bool = True
    ids: str = "axis"  # axis (« 1.2 »), plain (« 3 »), letter (« A3 »)


AXE_NOMS = {
    1: "Axe 1 – Habitat",
    2: "Axe 2 – Commerce et développement économique",
    3: "Axe 3 – Accessibilité et mobilités",
    4: "Axe 4 – Espaces publics et patrimoine",
    5: "Axe 5 – Équipements et services publics",
}


def actions_table(actions: list[tuple], layout: Layout, percent: dict | None = None) -> ActionsTable:
    """The table of `actions` (axe, intitulé, maître d'ouvrage, coût, début, fin). With
    `percent` (intitulé -> « Ville 50 % … »), the cost cell holds that share and the cost is
    unknown."""
    rows: list[Row] = []
    last_axis = None
    counts: dict[int, int] = {}
    for index, (axe, intitule, mo, cout, debut, fin) in enumerate(actions, start=1):
        if layout.axes and axe != last_axis:
            rows.append(Row([AXE_NOMS[axe]] + [""] * (len(layout.columns) - 1), kind="axe"))
            last_axis = axe
        counts[axe] = counts.get(axe, 0) + 1
        ident = {"axis": f"{axe}.{counts[axe]}", "plain": str(index), "letter": f"{'ABCDE'[axe - 1]}{counts[axe]}"}
        share = (percent or {}).get(intitule)
        cells = []
        for column in layout.columns:
            cells.append(
                {
                    "id": ident[layout.ids],
                    "intitule": intitule,
                    "mo": mo,
                    "cout": share if share else money(cout, layout.form),
                    "debut": str(debut),
                    "fin": str(fin),
                    "periode": f"{debut}-{fin}" if debut != fin else str(debut),
                }[column]
            )
        rows.append(Row(cells, intitule=intitule, cout=None if share else Decimal(cout)))
    if layout.total:
        total = sum(Decimal(a[3]) for a in actions)
        cells = ["" for _ in layout.columns]
        text_col = layout.columns.index("intitule") if "intitule" in layout.columns else 0
        cells[text_col] = layout.total
        cells[layout.columns.index("cout")] = money(total, layout.form)
        rows.append(Row(cells, kind="total"))
    return ActionsTable(
        header=layout.header,
        rows=rows,
        widths=list(layout.widths),
        ruled=layout.ruled,
        repeat_header=layout.repeat_header,
    )


def total_of(actions: list[tuple]) -> Decimal:
    return sum((Decimal(a[3]) for a in actions), Decimal(0))
