"""The control corpus's model: a piece is a list of blocks (written by controle_docx, controle_pdf,
controle_office) and a truth built from the same data (controle_pieces*). Everything is invented:
towns, people, amounts; every piece says « document fictif établi pour des essais »."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
NBSP = "\u00a0"


@dataclass
class Org:
    """A party as one piece names it."""

    role: str
    organisme: str  # as written, without article
    art: str = "la "  # « la », « le », « l' »
    rep: str | None = None  # « Jean DUPONT »
    civ: str = "M."
    qualite: str = ""  # « Maire », « Président de … »
    delib: dt.date | None = None
    alias: str | None = None  # ci-après dénommée « … »
    pour: str = ""  # the signature block's « Pour … » line; defaults to « Pour <art><organisme> »

    def nomme(self) -> str:
        return f"{self.art}{self.organisme}"

    def ligne_pour(self) -> str:
        return self.pour or f"Pour {self.nomme()}"

    def partie(self) -> Partie:
        return Partie(role=self.role, organisme=self.organisme, representant=self.rep, deliberation=self.delib)


@dataclass
class Ligne:
    """A row of a table of actions: an axis row (axe=True), an action, or nothing else."""

    intitule: str
    cout: Decimal | None = None
    axe: bool = False
    taux: str | None = None  # « 30 % »: the row gives a rate, not a cost
    autres: tuple[str, ...] = ()  # the other cells (maître d'ouvrage, calendrier…)


@dataclass
class Piece:
    fichier: str
    format: str  # docx, pdf, office, scan, chiffre
    blocs: list = field(default_factory=list)
    verite: Verite | None = None
    entete: str = ""  # running header
    titres_styles: bool = True  # DOCX: Heading styles (else bold paragraphs)
    police: str = "Helvetica"
    ecrire: Callable | None = None  # scan, chiffre: the function that writes the piece


def date_longue(d: dt.date) -> str:
    jour = "1er" if d.day == 1 else str(d.day)
    return f"{jour} {MOIS[d.month - 1]} {d.year}"


def date_courte(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def date_points(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


def euros(x: Decimal, unite: str = " €") -> str:
    """1250000 -> « 1 250 000 € » (non-breaking spaces)."""
    ent = int(x)
    frac = x - ent
    s = f"{ent:,}".replace(",", NBSP)
    if frac:
        s += "," + f"{frac:.2f}"[2:]
    return s + unite


def keuros(x: Decimal) -> str:
    """850000 -> « 850 », 1200500 -> « 1 200,5 » (a k€ column)."""
    k = x / 1000
    ent = int(k)
    s = f"{ent:,}".replace(",", NBSP)
    if k != ent:
        s += "," + str(k - ent)[2:].rstrip("0")
    return s


def actions(lignes: list[Ligne]) -> list[Action]:
    return [Action(intitule=li.intitule, cout=li.cout) for li in lignes if not li.axe]


def total(lignes: list[Ligne]) -> Decimal:
    return sum((li.cout for li in lignes if li.cout is not None and not li.axe), Decimal(0))


def verite(piece: Piece, style: str, type_: str | None, **champs) -> Verite:
    """The truth of `piece`, which states FICTIF in its text (checked by the tests)."""
    return Verite(fichier=piece.fichier, fictif=FICTIF, style=style, type=type_, **champs)


def signataires(orgs: list[Org], sans_nom: tuple[str, ...] = ()) -> list[Signataire]:
    return [Signataire(role=o.role, nom=None if o.role in sans_nom else o.rep) for o in orgs]
