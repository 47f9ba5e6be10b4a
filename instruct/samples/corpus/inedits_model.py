"""What a held-out piece is made of, before any format: its elements (title lines, headings,
paragraphs, the parties block, a table of actions, the signature block) and the people and
organisations they name. The writers (inedits_docx, inedits_pdf, inedits_canvas) draw the elements;
`truth()` says what a careful reader finds in them, from the same objects, never from the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from instruct.samples.corpus.truth import FICTIF, Action, Partie, Signataire, Verite

MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
ROMAINS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV"]
MENTION = f"Mention : {FICTIF}, sans valeur juridique ; toute ressemblance serait fortuite."


def date_fr(day: dt.date, form: str = "long") -> str:
    """A date the ways clerks type them: long (« 1er octobre 2018 »), slash (« 01/10/2018 »),
    dot (« 12.10.2018 »), dash (« 12-10-2018 »), short (« 1/10/18 »)."""
    if form == "long":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {MOIS[day.month - 1]} {day.year}"
    if form == "slash":
        return day.strftime("%d/%m/%Y")
    if form == "dot":
        return day.strftime("%d.%m.%Y")
    if form == "dash":
        return day.strftime("%d-%m-%Y")
    if form == "short":
        return f"{day.day}/{day.month}/{day.year % 100:02d}"
    raise ValueError(form)


def _group(value: int, sep: str) -> str:
    text = f"{value:,}"
    return text.replace(",", sep)


def money(value: Decimal | int, form: str) -> str:
    """An amount in euros as written in a cell or a sentence. Forms: ht (« 1 200 000 € HT »),
    eur (« 1 200 000 € »), dots (« 1.200.000 € »), code (« 1 200 000 EUR »), nbsp (non-breaking
    spaces), k (« 1 200 k€ »), kbare (« 1 200 » under « k€ »), m (« 1,2 M€ »), bare (« 1 200 000 »,
    the unit in the heading), cents (« 85 000,00 € »)."""
    value = Decimal(value)
    whole = int(value)
    if form == "ht":
        return f"{_group(whole, ' ')} € HT"
    if form == "eur":
        return f"{_group(whole, ' ')} €"
    if form == "dots":
        return f"{_group(whole, '.')} €"
    if form == "code":
        return f"{_group(whole, ' ')} EUR"
    if form == "nbsp":
        return f"{_group(whole, chr(0xA0))}\u00a0€"
    if form == "bare":
        return _group(whole, " ")
    if form == "kbare":  # thousands of euros, the unit (k€) in the heading
        assert whole % 1000 == 0, value
        return _group(whole // 1000, " ")
    if form == "cents":
        return f"{_group(whole, ' ')},{int((value - whole) * 100):02d} €"
    if form == "k":
        assert whole % 1000 == 0, value
        return f"{_group(whole // 1000, ' ')} k€"
    if form == "m":
        millions = (value / Decimal(1_000_000)).normalize()
        assert millions == round(millions, 3), value
        return f"{str(millions).replace('.', ',')} M€"
    raise ValueError(form)


@dataclass(frozen=True)
class Org:
    """A party as the piece names it. `organisme` is written without its article."""

    role: str
    organisme: str
    article: str  # « la », « l' », « le »: how the text introduces it
    qualite: str  # « Maire », « Président », « Préfet de la Lize »
    nom: str | None = None  # the person, without civilité
    civilite: str = "M."
    par: str = "son"  # « représentée par son Maire », « représenté par le Préfet »
    deliberation: dt.date | None = None
    organe: str = "du conseil municipal"  # whose délibération
    alias: str | None = None  # « la Ville »: ci-après dénommée …
    feminine: bool = True  # représentée / représenté

    def named(self) -> str:
        """The organisation with its article: « la Commune de X », « l'État »."""
        art = self.article
        return f"{art}{self.organisme}" if art.endswith("'") else f"{art} {self.organisme}".strip()

    def person(self) -> str:
        return f"{self.civilite} {self.nom}" if self.nom else ""

    def partie(self) -> Partie:
        return Partie(role=self.role, organisme=self.organisme, representant=self.nom, deliberation=self.deliberation)


# --- the elements of a piece ---------------------------------------------------------------------


@dataclass
class Title:
    lines: list[str]


@dataclass
class Heading:
    """A heading. `label` is the number as typed (« Article 1er – »); `auto` numbers it with
    Word's automatic numbering instead (the label is then not in the text); `code` is the trame
    part it opens, if any; `bold_only` writes it as a bold Normal paragraph."""

    text: str
    level: int = 1
    label: str = ""
    code: str | None = None
    auto: bool = False
    bold_only: bool = False
    wrap: str | None = None  # a second line: the heading wrapped over two lines


@dataclass
class Para:
    text: str
    bold: bool = False
    center: bool = False
    italic: bool = False


@dataclass
class Parties:
    """The parties block: its paragraphs (already written by a parties style) and the orgs."""

    orgs: list[Org]
    paragraphs: list[str]


@dataclass
class Row:
    """One row of a table of actions: an action (intitule, cout) or an axis / total row."""

    cells: list[str]
    kind: str = "action"  # action, axe, total
    intitule: str | None = None
    cout: Decimal | None = None


@dataclass
class ActionsTable:
    header: list[list[str]]  # one or two header rows
    rows: list[Row]
    widths: list[float] = field(default_factory=list)  # points (PDF) ; fractions are scaled
    ruled: bool = True
    repeat_header: bool = True
    merge_axes: bool = True  # axis rows span the whole table
    lists_actions: bool = True  # False: another table (immeubles…), not a table of actions

    def actions(self) -> list[Action]:
        return [Action(intitule=r.intitule, cout=r.cout) for r in self.rows if r.kind == "action"]


@dataclass
class Signatures:
    """The signature block: « Fait à … » line(s), then the signers, in a grid of `columns`
    (1: one per line; 0: no « Pour … », only « Le Maire de X, »)."""

    place_line: str  # « Fait à Vieux-Brézac, le 12 octobre 2018 » (date on the next line if date_line)
    date_line: str | None
    orgs: list[Org]
    date: dt.date | None
    columns: int = 2
    with_names: bool = True
    pour: bool = True  # « Pour la Commune de X » above the qualité
    scanned: bool = False  # the signed page was scanned and inserted as an image (PDF writer only)
    tabs: bool = False  # DOCX: the columns typed on the same lines, separated by tabs (no table)

    def signataires(self) -> list[Signataire]:
        return [Signataire(role=o.role, nom=o.nom if self.with_names else None) for o in self.orgs]

    def head(self, org: Org) -> list[str]:
        """The lines above the signature: « Pour la Commune de X, », « Le Maire, »."""
        article = "La" if org.civilite == "Mme" else "Le"
        lines = [f"Pour {org.named()}," if self.pour else ""]
        lines.append(f"{article} {org.qualite}" + ("" if self.pour else ","))
        return [line for line in lines if line]

    def name(self, org: Org) -> str | None:
        """The name under the signature, when the block gives it."""
        if not (self.with_names and org.nom):
            return None
        return org.nom if self.pour else org.person()

    def lines(self) -> list[str]:
        """The whole block, one signer after the other (a scanned page)."""
        out = [self.place_line] + ([self.date_line] if self.date_line else []) + [""]
        for org in self.orgs:
            out += self.cell(org, gap=1) + [""]
        return out

    def cell(self, org: Org, gap: int = 2) -> list[str]:
        name = self.name(org)
        return self.head(org) + ([""] * gap + [name] if name else [])


class PageBreak:
    pass


@dataclass
class Piece:
    """One piece of the corpus and what its truth says besides its elements."""

    fichier: str
    kind: str | None
    style: str
    elements: list
    fmt: str  # docx, pdf (platypus), canvas (laid out line by line), office (DOCX → LibreOffice PDF)
    numero: int | None = None
    budget_total: Decimal | None = None
    duree_annees: int | None = None
    running_header: str = ""
    running_footer: str = ""  # « Page N / M » is added by the writer when page_numbers
    page_numbers: bool = True
    options: dict = field(default_factory=dict)

    def truth(self) -> Verite:
        parties = next((e for e in self.elements if isinstance(e, Parties)), None)
        signatures = next((e for e in self.elements if isinstance(e, Signatures)), None)
        tables = [e for e in self.elements if isinstance(e, ActionsTable) and e.lists_actions]
        trame = None
        if self.kind in ("convention_cadre", "avenant"):
            codes = [e.code for e in self.elements if isinstance(e, Heading) and e.code]
            if self.kind == "convention_cadre" and parties is not None:
                codes.insert(0, "parties")
            trame = sorted(set(codes))
        return Verite(
            fichier=self.fichier,
            style=self.style,
            type=self.kind,
            numero=self.numero,
            parties=[o.partie() for o in parties.orgs] if parties else None,
            signataires=signatures.signataires() if signatures else None,
            date_signature=signatures.date if signatures else None,
            trame=trame,
            actions=[a for t in tables for a in t.actions()] if tables else None,
            budget_total=self.budget_total,
            duree_annees=self.duree_annees,
        )
