"""Témoins: a held-out corpus written apart from `essais` and `inedits`. This module holds what a
piece is made of (blocks the writers render) and the French phrasings the pieces share; every
truth is built from the same data that writes the piece, never read back from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from instruct.samples.corpus.truth import FICTIF, Action, Partie, Signataire

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
MENTION = f"Avertissement : {FICTIF} ; les communes, les personnes et les montants sont inventés."


@dataclass
class Doc:
    """A piece as a list of blocks: ("title", text), ("h", level, text), ("p", text),
    ("table", rows, opts), ("sig", columns, blocks), ("break",)."""

    blocks: list[tuple] = field(default_factory=list)
    header: str = ""
    footer: str = ""
    title: str = ""
    headings: str = "styles"  # docx: "styles" (Heading N) or "bold" (bold paragraphs)

    def add(self, *block) -> Doc:
        self.blocks.append(tuple(block))
        return self

    def p(self, text: str) -> Doc:
        return self.add("p", text)

    def h(self, text: str, level: int = 1) -> Doc:
        return self.add("h", level, text)


def date_fr(d: dt.date, style: str = "long") -> str:
    if style == "slash":
        return d.strftime("%d/%m/%Y")
    if style == "dot":
        return d.strftime("%d.%m.%Y")
    jour = "1er" if d.day == 1 else str(d.day)
    return f"{jour} {MOIS[d.month - 1]} {d.year}"


def groupes(n: int, sep: str = " ") -> str:
    s = f"{n:,}".replace(",", sep)
    return s


def montant(v: Decimal, style: str) -> str:
    """« 1 200 000 € HT », « 1,2 M€ », « 850 k€ », « 850 » in a k€ column."""
    if style == "ht":
        return f"{groupes(int(v))} € HT"
    if style == "eur":
        return f"{groupes(int(v), chr(0xA0))} €"
    if style == "meur":
        return f"{v / 1_000_000:f}".rstrip("0").rstrip(".").replace(".", ",") + " M€"
    if style == "keur":
        return f"{groupes(int(v / 1000))} k€"
    if style == "kcol":
        return groupes(int(v / 1000))
    raise ValueError(style)


@dataclass
class P:
    """One party as the piece writes it."""

    role: str
    organisme: str
    article: str = "la "  # « la », « le », « l' », « » : written before the organisme
    civ: str | None = None
    nom: str | None = None
    fonction: str | None = None  # « Maire », « Président », « Préfet de l'Oise »
    delib: dt.date | None = None
    instance: str = "du conseil municipal"
    dit: str | None = None  # « la Ville »
    fem: bool | None = None  # the organisme's gender, for « représentée »; None: from the article
    vu: bool = False  # the délibération is cited in a « Vu la délibération … » line, not in the block

    @property
    def e(self) -> str:
        fem = self.fem if self.fem is not None else self.article == "la "
        return "e" if fem else ""

    def truth(self) -> Partie:
        return Partie(role=self.role, organisme=self.organisme, representant=self.nom, deliberation=self.delib)

    def signataire(self, named: bool = True) -> Signataire:
        return Signataire(role=self.role, nom=self.nom if named else None)


def partie_texte(p: P, forme: int, dstyle: str = "long", majuscule: bool = True) -> str:
    """The party's paragraph, in one of several clerks' phrasings."""
    debut = p.article + p.organisme
    if majuscule:
        debut = debut[0].upper() + debut[1:]
    qui = ""
    if p.nom:
        personne = f"{p.civ} {p.nom}"
        genre = p.e
        if forme % 3 == 0:
            poss = "le" if p.role == "prefet" else ("sa" if p.civ == "Mme" else "son")
            qui = f", représenté{genre} par {poss} {p.fonction}, {personne}"
        elif forme % 3 == 1:
            qui = f" représenté{genre} par {personne}, {p.fonction}"
        else:
            qui = f", représenté{genre} par {personne} en sa qualité de {p.fonction}"
    autorise = ""
    if p.delib and not p.vu:
        d = date_fr(p.delib, dstyle)
        if forme % 2 == 0:
            autorise = f", dûment habilité{'e' if p.civ == 'Mme' else ''} par délibération {p.instance} en date du {d}"
        else:
            autorise = f", agissant en vertu d'une délibération {p.instance} du {d}"
    dit = f", ci-après dénommé{p.e} « {p.dit} »" if p.dit else ""
    return f"{debut}{qui}{autorise}{dit},"


def bloc_parties(
    doc: Doc,
    parties: list[P],
    style: str,
    dstyle: str = "long",
    forme0: int = 0,
    objet: str = "La présente convention est conclue",
) -> None:
    """« ENTRE » / « ENTRE LES SOUSSIGNÉS » blocks, or one prose paragraph « d'une part / d'autre part »."""
    if style == "prose":
        textes = [partie_texte(p, forme0 + i, dstyle, i == 0).rstrip(",") for i, p in enumerate(parties)]
        corps = textes[0] + ", d'une part,\n\net " + ";\n".join(textes[1:]) + ", d'autre part,"
        doc.p(f"{objet} entre :")
        doc.p(corps)
        doc.p("Il a été convenu ce qui suit.")
        return
    doc.p("ENTRE LES SOUSSIGNÉS :" if style == "soussignes" else "ENTRE")
    for i, p in enumerate(parties):
        if i == 1:
            doc.p("ET")
        elif i > 1 and style == "soussignes":
            doc.p("ainsi que")
        doc.p(partie_texte(p, forme0 + i, dstyle))
    doc.p("Il est convenu ce qui suit :" if style != "soussignes" else "IL A ÉTÉ CONVENU CE QUI SUIT :")


def table_actions(lignes: list[tuple], header: list[str], style: str, total: bool = True) -> tuple[list, list]:
    """lignes: ("axe", label) or (intitulé, coût Decimal | None, pourcent str | None, financeurs str).
    Returns the table rows and the truth's actions (axis and TOTAL rows left out)."""
    rows: list[list[str]] = [header]
    actions: list[Action] = []
    somme = Decimal(0)
    n = len(header)
    for ligne in lignes:
        if ligne[0] == "axe":
            rows.append([ligne[1]] + [""] * (n - 1))
            continue
        intitule, cout, pct, fin = ligne
        cell = montant(cout, style) if cout is not None else (pct or "")
        rows.append(([intitule, cell, fin] + [""] * n)[:n])
        actions.append(Action(intitule=intitule, cout=cout))
        somme += cout or 0
    if total:
        rows.append((["TOTAL", montant(somme, style)] + [""] * n)[:n])
    return rows, actions


def somme(actions: list[Action]) -> Decimal:
    return sum((a.cout or Decimal(0) for a in actions), Decimal(0))


def signatures(doc: Doc, fait: str, signes: list[tuple[str, str | None, str]], colonnes: int) -> None:
    """`fait`: the « Fait à … » lines; signes: (« Pour la Commune de X, », nom or None, qualité)."""
    for ligne in fait.split("\n"):
        doc.p(ligne)
    blocs = []
    for pour, nom, qualite in signes:
        lignes = [pour, qualite] + ([nom] if nom else [])
        blocs.append(lignes)
    doc.add("sig", colonnes, blocs)
