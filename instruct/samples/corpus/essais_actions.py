"""The programmes of actions of the « essais » towns and their tables, drawn with every header
naming the clerks use: the truth's actions are the same rows, TOTAL and axis rows left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from instruct.samples.corpus.essais_model import Table, amount, date_text
from instruct.samples.corpus.essais_towns import Town
from instruct.samples.corpus.truth import Action
from instruct.vocabulary import AXES_PIECES

POOL = {
    1: [
        "Opération programmée d'amélioration de l'habitat – renouvellement urbain (OPAH-RU)",
        "Étude pré-opérationnelle habitat du centre ancien",
        "Réhabilitation de l'îlot {rue}",
        "Opération de restauration immobilière du quartier {quartier}",
        "Résorption de l'habitat indigne rue {rue}",
    ],
    2: [
        "Création d'une foncière commerciale",
        "Recrutement d'un manager de centre-ville",
        "Requalification des halles {lieu}",
        "Aide à la rénovation des vitrines commerciales",
        "Animation commerciale du cœur de ville",
    ],
    3: [
        "Plan de circulation et de stationnement du centre-ville",
        "Aménagement d'une voie verte le long de la {riviere}",
        "Pôle d'échanges multimodal de la gare",
        "Jalonnement piéton et signalétique",
    ],
    4: [
        "Requalification de la place {lieu}",
        "Mise en lumière du patrimoine bâti",
        "Étude de site patrimonial remarquable",
        "Végétalisation des cours d'école et des squares",
    ],
    5: [
        "Construction de la médiathèque {lieu}",
        "Maison de santé pluriprofessionnelle",
        "Création d'une maison France Services",
        "Rénovation du cinéma {lieu}",
    ],
}
PLACES = [
    "Saint-Martin",
    "du Marché",
    "des Cordeliers",
    "Gambetta",
    "de la Fontaine",
    "Jean-Jaurès",
    "du Château",
    "des Tanneurs",
]
STREETS = ["des Tanneurs", "Pasteur", "du Four", "Victor-Hugo", "de la Monnaie", "Carnot", "des Halles"]
RIVERS = ["Lauze", "Orvane", "Brenne", "Ysse", "Garance"]
MAITRES = ["Ville", "Commune", "Intercommunalité", "EPF", "Bailleur social", "SEM d'aménagement", "CCI", "Département"]


@dataclass
class Row:
    axe: int
    intitule: str
    maitre: str
    debut: dt.date
    fin: dt.date
    cout: Decimal


def programme(town: Town, seed: int, count: int, start: dt.date) -> list[Row]:
    """`count` actions spread over the five axes, costs in tens of thousands of euros."""
    rows = []
    for n in range(count):
        axe = 1 + (n * 5 // max(count, 1)) % 5 if count >= 5 else 1 + (seed + n) % 5
        pool = POOL[axe]
        text = pool[(seed + n) % len(pool)].format(
            rue=STREETS[(seed + n) % len(STREETS)],
            quartier=PLACES[(seed * 3 + n) % len(PLACES)],
            lieu=PLACES[(seed * 5 + n) % len(PLACES)],
            riviere=RIVERS[(seed + n) % len(RIVERS)],
        )
        if any(r.intitule == text for r in rows):
            text = f"{text} (tranche {n // len(pool) + 1})"
        debut = dt.date(start.year + (n % 3), 1 + (seed + n * 4) % 12, 1)
        fin = dt.date(debut.year + 1 + n % 3, debut.month, 1)
        cout = Decimal(10_000 * (8 + (seed * 37 + n * 53) % 290))
        rows.append(
            Row(
                axe,
                text,
                MAITRES[(seed + n) % len(MAITRES)].replace("Ville", town.ville if n % 2 else "Ville"),
                debut,
                fin,
                cout,
            )
        )
    rows.sort(key=lambda r: r.axe)
    return rows


def total(rows: list[Row]) -> Decimal:
    return sum((r.cout for r in rows), Decimal(0))


def actions_truth(rows: list[Row], percent: bool) -> list[Action]:
    return [Action(intitule=r.intitule, cout=None if percent else r.cout) for r in rows]


HEADERS = {
    # name: (header rows, cost form, columns of a row)
    "libelle": ([["N°", "Libellé de l'action", "Maître d'ouvrage", "Calendrier", "Coût HT"]], "eur_ht"),
    "axe_action": ([["Axe / Action", "Porteur", "Montant prévisionnel", "Financement"]], "eur"),
    "budget_unit": ([["Action", "Maîtrise d'ouvrage", "Budget (€ HT)", "Début", "Fin"]], "bare"),
    "two_rows": (
        [
            ["Intitulé de l'opération", "Maître d'ouvrage", "Calendrier", "", "Coût"],
            ["", "", "Début", "Fin", "(k€ HT)"],
        ],
        "bare_k",
    ),
    "percent": ([["Action", "Porteur", "Échéance", "Part du coût total"]], "percent"),
    "wrapped": ([["Fiche", "Opération", "Montant\nprévisionnel", "Financeurs"]], "points"),
    "eur_word": ([["Projet", "Maître d'ouvrage", "Période", "Coût estimé"]], "EUR"),
    "meur": ([["Action", "Pilote", "Calendrier", "Coût global"]], "meur"),
    "keur": ([["Opération", "Porteur de projet", "Dates", "Coût (HT)"]], "keur"),
}


def actions_table(
    rows: list[Row],
    header: str,
    *,
    axis_rows: bool,
    total_row: str,
    date_form: str = "month",
    ruled: bool = True,
    repeat_header: bool = True,
    cost_form: str | None = None,
) -> Table:
    """The table of actions; `total_row` « TOTAL », « Total général »… or "" for none."""
    head, form = HEADERS[header]
    form = cost_form or form
    grand = total(rows)
    data = [list(h) for h in head]
    spans = []
    if header == "two_rows":
        spans.append((0, 2, 3))
    ncol = len(head[0])
    bold_rows = list(range(len(head)))
    last_axe = 0
    for n, r in enumerate(rows, start=1):
        if axis_rows and r.axe != last_axe:
            label = f"Axe {r.axe} – {AXES_PIECES[r.axe]}"
            spans.append((len(data), 0, ncol - 1))
            bold_rows.append(len(data))
            data.append([label] + [""] * (ncol - 1))
        last_axe = r.axe
        cost = (
            f"{(r.cout * 100 / grand).quantize(Decimal('0.1'))} %".replace(".", ",")
            if form == "percent"
            else amount(r.cout, form)
        )
        period = f"{date_text(r.debut, date_form)} – {date_text(r.fin, date_form)}"
        if header == "libelle":
            data.append([f"{r.axe}.{n}", r.intitule, r.maitre, period, cost])
        elif header == "axe_action":
            data.append([r.intitule, r.maitre, cost, "État (DSIL) ; Banque des Territoires ; Ville"])
        elif header in ("budget_unit", "two_rows"):
            data.append([r.intitule, r.maitre, date_text(r.debut, date_form), date_text(r.fin, date_form), cost])
            if header == "budget_unit":
                data[-1] = [r.intitule, r.maitre, cost, date_text(r.debut, date_form), date_text(r.fin, date_form)]
        elif header == "percent":
            data.append([r.intitule, r.maitre, date_text(r.fin, date_form), cost])
        elif header == "wrapped":
            data.append([f"FA {n:02d}", r.intitule, cost, "Région ; Département ; Commune"])
        else:
            data.append([r.intitule, r.maitre, period, cost])
    if total_row:
        spans.append((len(data), 0, ncol - 2))
        bold_rows.append(len(data))
        cost = "100 %" if form == "percent" else amount(grand, form)
        data.append([total_row] + [""] * (ncol - 2) + [cost])
    widths = {
        4: [150, 100, 90, 141],
        5: [150, 100, 70, 70, 91] if header != "libelle" else [36, 175, 90, 100, 80],
    }[ncol]
    if header == "axe_action":
        widths = [190, 90, 90, 111]
    return Table(
        data,
        header_rows=len(head),
        ruled=ruled,
        spans=spans,
        widths=widths,
        repeat_header=repeat_header,
        bold_rows=tuple(bold_rows),
    )
