"""The pieces of the « essais » corpus that are neither conventions nor avenants: extracts of the
registre des délibérations, notes (projet urbain, utilité des immeubles) and a plan de situation."""

from __future__ import annotations

import datetime as dt

from instruct.samples.corpus.essais_actions import STREETS
from instruct.samples.corpus.essais_model import (
    FICTIF_LINE,
    MONTHS,
    Element,
    Heading,
    Para,
    Piece,
    Table,
    amount,
    date_text,
)
from instruct.samples.corpus.essais_towns import TOWNS, person
from instruct.samples.corpus.truth import Signataire, Verite

UNITS = [
    "",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
TENS = {2: "vingt", 3: "trente"}


def day_words(day: int) -> str:
    if day < 20:
        return "premier" if day == 1 else UNITS[day]
    tens, unit = divmod(day, 10)
    return TENS[tens] + ("" if unit == 0 else (" et un" if unit == 1 else f"-{UNITS[unit]}"))


def year_words(year: int) -> str:
    return (
        "deux mille " + UNITS[year - 2000]
        if year - 2000 < 20
        else "deux mille vingt" + ("" if year == 2020 else f"-{UNITS[year - 2020]}" if year != 2021 else " et un")
    )


def _president(fem: bool, communautaire: bool) -> str:
    if communautaire:
        return "la Présidente" if fem else "le Président"
    return "le Maire"


def deliberation(recipe: dict) -> Piece:
    """An « Extrait du registre des délibérations » approving a convention or an avenant."""
    town = TOWNS[recipe["town"]]
    seed = recipe["seed"]
    seance: dt.date = recipe["seance"]
    communautaire = recipe.get("communautaire", False)
    nom, civ, fem = person(seed, 0)
    organe = "conseil communautaire" if communautaire else "conseil municipal"
    titre = ("La Présidente" if fem else "Le Président") if communautaire else ("Le Maire" if not fem else "La Maire")
    qualite = ("présidente" if fem else "président") if communautaire else "maire"
    objet = recipe.get(
        "objet", "Programme Action Cœur de Ville – approbation de la convention-cadre et autorisation de signature"
    )
    num = f"{seance.year}-{40 + seed:03d}"
    el: list[Element] = [
        Para("RÉPUBLIQUE FRANÇAISE", bold=True, align="center"),
        Para(f"Département {town.dept}", align="center"),
        Para(town.interco.upper() if communautaire else f"COMMUNE DE {town.ville.upper()}", bold=True, align="center"),
        Para(f"Extrait du registre des délibérations du {organe}", bold=True, align="center", size=13),
        Para(FICTIF_LINE, align="center", size=8),
        Para(f"Séance du {date_text(seance, recipe.get('seance_form', 'long'))}", bold=True, align="center"),
        Para(f"Délibération n° {num}", bold=True),
        Para(
            f"Nombre de membres en exercice : {27 + seed % 9} – présents : {19 + seed % 5} – votants : {24 + seed % 5}"
        ),
        Para(
            f"L'an {year_words(seance.year)}, le {day_words(seance.day)} {MONTHS[seance.month - 1]}, "
            "à dix-neuf heures, "
            f"le {organe}, légalement convoqué, s'est réuni sous la présidence de {civ} {nom}, {qualite}.",
            align="justify",
        ),
        Para(f"Objet : {objet}", bold=True),
        Para("Vu le code général des collectivités territoriales ;"),
        Para("Vu le programme national Action Cœur de Ville ;"),
        Para(recipe.get("vu", "Vu le projet de convention annexé à la présente délibération ;")),
        Para(
            f"Considérant que la ville de {town.ville} a été retenue au titre du programme et que la convention "
            "fixe les engagements des partenaires ;",
            align="justify",
        ),
        Para(f"Le {organe}, après en avoir délibéré, à l'unanimité des suffrages exprimés :"),
        Para("– APPROUVE les termes de la convention annexée ;"),
        Para(
            f"– AUTORISE {'Madame' if fem else 'Monsieur'} {_president(fem, communautaire)} "
            "à la signer ainsi que toute pièce s'y rapportant."
        ),
        Para("Fait et délibéré les jour, mois et an susdits."),
        Para(f"Pour extrait conforme, à {town.ville}, le {date_text(seance, recipe.get('sign_form', 'long'))}"),
        Para(f"{titre},", keep=True),
        Para(nom),
    ]
    if recipe.get("recu"):
        el.append(Para(f"Reçu en préfecture le {date_text(seance + dt.timedelta(days=3), 'slash')} – acte exécutoire."))
    truth = Verite(
        fichier=recipe["name"],
        style=recipe["style"],
        type="deliberation",
        signataires=[Signataire(role="intercommunalite" if communautaire else "ville_centre", nom=nom)],
        date_signature=seance,
    )
    return Piece(
        recipe["name"], f"Délibération n° {num}", el, truth, writer=recipe["writer"], options=recipe.get("options", {})
    )


def note(recipe: dict) -> Piece:
    """A note: the projet urbain (headings, a total in a sentence) or the utilité des immeubles (a table)."""
    town = TOWNS[recipe["town"]]
    kind = recipe["kind"]
    el: list[Element] = []
    total = recipe.get("total")
    if kind == "note_projet_urbain":
        title = f"Note de présentation du projet urbain – {town.ville}"
        el += [Para(title, bold=True, align="center", size=14), Para(FICTIF_LINE, align="center", size=8)]
        el += [
            Heading("Le centre-ville aujourd'hui", 1, "1."),
            Para(
                f"Le centre de {town.ville} concentre 4 200 habitants, 310 commerces et l'essentiel des équipements. "
                "La vacance des logements y atteint 17 %.",
                align="justify",
            ),
            Heading("Les orientations du projet", 1, "2."),
            Para(
                "Reconquérir l'habitat ancien, conforter le commerce de proximité, apaiser les circulations et "
                "révéler le patrimoine et les bords de rivière.",
                align="justify",
            ),
            Heading("Les secteurs prioritaires", 1, "3."),
            Para("Le quartier de la gare, la place du marché et les quais.", align="justify"),
        ]
        if total:
            el += [
                Heading("Coût et financement", 1, "4."),
                Para(
                    f"Le coût global du projet est estimé à {amount(total, recipe['total_form'])} "
                    "HT sur la durée du programme."
                ),
            ]
    else:
        title = f"Note sur l'utilité des immeubles – {town.ville}"
        el += [Para(title, bold=True, align="center", size=14), Para(FICTIF_LINE, align="center", size=8)]
        el.append(
            Para(
                "La présente note justifie l'utilité publique de l'acquisition des immeubles ci-dessous, "
                "en vue de leur restauration dans le cadre de l'opération de revitalisation du territoire.",
                align="justify",
            )
        )
        rows = [["Adresse", "Parcelle", "État", "Usage projeté"]]
        for n in range(recipe.get("immeubles", 5)):
            rows.append(
                [
                    f"{3 + n * 4}, rue {STREETS[n % len(STREETS)]}",
                    f"AB {120 + n * 7}",
                    ["vacant, dégradé", "en péril", "insalubre", "vacant"][n % 4],
                    ["logements", "commerce et logements", "équipement public", "logements sociaux"][n % 4],
                ]
            )
        el.append(Table(rows, widths=[140, 70, 120, 151]))
        el.append(
            Para(
                "Ces immeubles, vacants depuis plus de cinq ans, dégradent l'image de la rue et font obstacle "
                "au projet.",
                align="justify",
            )
        )
    el.append(Para(f"{town.ville}, {MONTHS[(recipe['seed'] * 5) % 12]} 2019 – le service urbanisme"))
    truth = Verite(fichier=recipe["name"], style=recipe["style"], type=kind, budget_total=total)
    return Piece(recipe["name"], title, el, truth, writer=recipe["writer"], options=recipe.get("options", {}))


def plan(recipe: dict) -> Piece:
    """A plan de situation: a drawing of the centre, its périmètre ORT and a legend (PDF)."""
    town = TOWNS[recipe["town"]]
    title = f"Plan de situation – périmètre de l'ORT – {town.ville}"
    el: list[Element] = [Para(title, bold=True, align="center", size=14), Para(FICTIF_LINE, align="center", size=8)]
    truth = Verite(fichier=recipe["name"], style=recipe["style"], type="plan_situation")
    return Piece(recipe["name"], title, el, truth, writer="plan", options={"town": town.ville})


def plan_drawing(town: str):
    """Streets, a river, the périmètre of the ORT, a north arrow and a legend."""
    from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
    from reportlab.lib import colors

    d = Drawing(480, 520)
    d.add(Rect(0, 0, 480, 520, fillColor=colors.HexColor("#fbfaf4"), strokeColor=colors.grey))
    d.add(
        PolyLine(
            [0, 140, 120, 170, 240, 150, 360, 200, 480, 190], strokeColor=colors.HexColor("#5b8fd1"), strokeWidth=9
        )
    )
    for x in range(40, 480, 70):
        d.add(Line(x, 60, x + 30, 500, strokeColor=colors.HexColor("#bbbbbb"), strokeWidth=3))
    for y in range(80, 520, 90):
        d.add(Line(0, y, 480, y + 20, strokeColor=colors.HexColor("#bbbbbb"), strokeWidth=3))
    d.add(
        Polygon(
            [130, 200, 330, 210, 360, 380, 250, 430, 140, 360],
            fillColor=colors.Color(0.9, 0.4, 0.2, alpha=0.25),
            strokeColor=colors.HexColor("#b5542a"),
            strokeWidth=2,
            strokeDashArray=[6, 3],
        )
    )
    d.add(String(200, 300, "Centre-ville", fontName="Helvetica-Bold", fontSize=11))
    d.add(String(300, 165, "la rivière", fontName="Helvetica-Oblique", fontSize=9))
    d.add(String(420, 480, "N", fontName="Helvetica-Bold", fontSize=14))
    d.add(Polygon([425, 440, 432, 470, 439, 440], fillColor=colors.black))
    d.add(Rect(10, 10, 200, 40, fillColor=colors.white, strokeColor=colors.grey))
    d.add(
        Rect(18, 30, 14, 9, fillColor=colors.Color(0.9, 0.4, 0.2, alpha=0.25), strokeColor=colors.HexColor("#b5542a"))
    )
    d.add(String(38, 31, "Périmètre de l'ORT", fontName="Helvetica", fontSize=8))
    d.add(String(18, 16, f"{town} – échelle 1/5 000", fontName="Helvetica", fontSize=8))
    return d
