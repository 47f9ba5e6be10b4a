"""The towns of the synthetic dossiers: invented ones (INSEE 99xxx) or the real ones of the
programme's communes list, with their people's names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from instruct.errors import InputError, Problem
from instruct.samples.synthetic_profiles import COMMUNES_COLUMNS

# --- towns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    nom: str
    insee: str
    lon: float
    lat: float
    siren: str | None
    epci: str  # full name
    epci_court: str
    real: bool
    signature: dt.date | None = None
    partner: tuple[str, str] | None = None  # the other commune of a two-commune ACV territory (nom, insee)


PREFIXES = [
    "Mont",
    "Roche",
    "Ville",
    "Bel",
    "Beau",
    "Font",
    "Château",
    "Val",
    "Clair",
    "Pierre",
    "Haut",
    "Bois",
    "Chante",
    "Vau",
    "Cour",
    "Pré",
    "Lor",
    "Mar",
    "Aigue",
    "Saint-Ours-",
    "Sainte-Aure-",
    "Saint-Brice-",
]
SUFFIXES = [
    "clair",
    "brune",
    "belle",
    "castel",
    "fort",
    "mont",
    "val",
    "fontaine",
    "roche",
    "champ",
    "vert",
    "lieu",
    "court",
    "bourg",
    "noble",
    "rive",
    "sol",
    "pré",
    "serre",
    "lande",
]
RIVERS = [
    "Ardelle",
    "Brisonne",
    "Courbelle",
    "Doulaine",
    "Estrelle",
    "Fauvette",
    "Glanne",
    "Lisonne",
    "Morelle",
    "Ourcelle",
    "Sorgette",
    "Vière",
    "Aurance",
    "Thonnelle",
    "Brenelle",
]
SAMPLE_NAMES = {
    "Villebelle",
    "Montclair",
    "Montclair-sur-Lys",
    "Saint-Aubin-les-Forges",
    "Belcastel",
    "Belcastel-sur-Orne",
    "Rochebrune",
}
PAYS = ["Bocage", "Coteaux", "Causses", "Marches", "Vallons", "Landes", "Plateaux"]
FIRST = [
    ("Claire", "f"),
    ("Paul", "m"),
    ("Anne", "f"),
    ("Julien", "m"),
    ("Sophie", "f"),
    ("Nadia", "f"),
    ("Marc", "m"),
    ("Hélène", "f"),
    ("Karim", "m"),
    ("Isabelle", "f"),
    ("Thomas", "m"),
    ("Laure", "f"),
    ("Olivier", "m"),
    ("Camille", "f"),
    ("Yann", "m"),
    ("Nathalie", "f"),
    ("Pierre", "m"),
    ("Élodie", "f"),
    ("Mathieu", "m"),
    ("Aïcha", "f"),
]
LAST = [
    "Martin",
    "Durand",
    "Leroy",
    "Petit",
    "Morel",
    "Lefèvre",
    "Garnier",
    "Roussel",
    "Fontaine",
    "Chevalier",
    "Benali",
    "Girard",
    "Lambert",
    "Bonnet",
    "Mercier",
    "Perrin",
    "Blanchard",
    "Guérin",
    "Colin",
    "Renaud",
]
INTITULES = {
    1: [
        "Étude pré-opérationnelle OPAH-RU",
        "Étude de repérage de l'habitat dégradé",
        "Diagnostic de la vacance des logements",
        "Étude de restauration immobilière",
    ],
    2: [
        "Manager de centre-ville",
        "Aides à la rénovation des vitrines",
        "Animation commerciale et marchés",
        "Foncière commerciale du centre-ville",
    ],
    3: [
        "Liaison douce gare – centre",
        "Plan de circulation apaisée",
        "Pôle d'échanges de la gare",
        "Jalonnement piéton et stationnement vélo",
    ],
    4: [
        "Requalification de la place du Marché",
        "Aménagement des berges",
        "Mise en lumière du patrimoine",
        "Requalification de la Grand-Rue",
    ],
    5: [
        "Rénovation de la médiathèque",
        "Maison de santé pluriprofessionnelle",
        "Espace France Services",
        "Restructuration des halles",
    ],
}
STREETS = [
    "rue des Halles",
    "place du Marché",
    "rue Saint-Martin",
    "rue du Pont",
    "rue de la République",
    "rue Victor-Hugo",
    "quai des Tanneurs",
    "rue Nationale",
    "Grand-Rue",
    "rue des Cordeliers",
    "rue du Château",
    "place de l'Église",
]


def de(nom: str) -> str:
    """ "Agen" -> "d'Agen", "Le Puy-en-Velay" -> "du Puy-en-Velay", "Les Sables" -> "des Sables"."""
    if nom.startswith("Le "):
        return "du " + nom[3:]
    if nom.startswith("Les "):
        return "des " + nom[4:]
    if nom[:1] in "AEIOUYÉÈÊÎÔÂ" and not nom.startswith(("La ", "L'")):
        return "d'" + nom
    return "de " + nom


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "commune"


def new_person(rng: random.Random, used: set[str]) -> tuple[str, str]:
    while True:
        first, gender = rng.choice(FIRST)
        name = f"{first} {rng.choice(LAST)}"
        if name not in used:
            used.add(name)
            return name, gender


def fictitious_towns(n: int, seed: int) -> list[Town]:
    """n invented towns with distinct names; INSEE codes 99105…99999 (not the samples' 99101-99104, 99150),
    distinct up to 894 towns, then used again (a département 99 has no more codes)."""
    rng = random.Random(f"acv-villes/{seed}")
    codes = [f"99{c:03d}" for c in range(105, 1000) if c != 150]
    rng.shuffle(codes)
    towns, names = [], set()
    for i in range(n):
        while True:
            prefix = rng.choice(PREFIXES)
            suffix = rng.choice([s for s in SUFFIXES if s != prefix.lower()])
            base = prefix + (suffix.capitalize() if prefix.endswith("-") else suffix)
            kind = rng.random()
            if kind < 0.45:
                nom = f"{base}-sur-{rng.choice(RIVERS)}"
            elif kind < 0.7:
                nom = f"{base}-en-{rng.choice(PAYS)}"
            elif kind < 0.85:
                nom = f"{base}-les-{rng.choice(['Forges', 'Moulins', 'Vignes', 'Tanneries', 'Granges'])}"
            else:
                nom = base
            if nom not in names and nom not in SAMPLE_NAMES:
                names.add(nom)
                break
        river = rng.choice(RIVERS)
        epci = rng.choice(
            [
                (f"Communauté d'agglomération du Val de {river}", f"CA du Val de {river}"),
                (f"Communauté de communes des Coteaux de {river}", f"CC des Coteaux de {river}"),
                (f"Communauté d'agglomération {de(nom)}", f"CA {de(nom)}"),
                (f"Communauté de communes {de(nom)} et {de(river)}", f"CC {de(nom)} et {de(river)}"),
            ]
        )
        lon, lat = round(rng.uniform(-1.2, 6.8), 4), round(rng.uniform(43.4, 50.2), 4)
        towns.append(Town(nom, codes[i % len(codes)], lon, lat, f"999{100000 + i:06d}", epci[0], epci[1], real=False))
    return towns


def read_communes(path: Path, n: int) -> list[Town]:
    """The first n towns of an ACV communes list (`acv-communes.csv`), or an InputError naming file and line."""
    source = str(path)
    if not path.is_file():
        raise InputError(
            source, [Problem("", "fichier introuvable (--communes : la liste des communes ACV, acv-communes.csv)")]
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, [Problem("", f"le fichier n'est pas en UTF-8 (octet {exc.start})")]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COMMUNES_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            source,
            [
                Problem(
                    "",
                    f"colonnes manquantes : {', '.join(missing)} (attendu l'en-tête de acv-communes.csv : "
                    "insee_com,lib_com,id_acv,population,insee_dep,insee_reg,lib_reg,siren_epci,"
                    "date_signature,lon,lat)",
                    1,
                )
            ],
        )
    rows, problems = [], []
    for row in reader:
        line = reader.line_num
        insee = (row.get("insee_com") or "").strip().upper()
        if insee.isdigit() and len(insee) == 4:
            insee = insee.zfill(5)  # a leading zero lost by a spreadsheet, as the referentiel reads it
        nom = (row.get("lib_com") or "").strip()
        point = []
        for column, low, high in (("lon", -180, 180), ("lat", -90, 90)):
            raw = (row.get(column) or "").strip().replace(",", ".")
            try:
                value = float(raw)
                if not (low <= value <= high) or math.isnan(value):
                    raise ValueError
                point.append(value)
            except ValueError:
                problems.append(
                    Problem(column, f"« {raw} » : nombre entre {low} et {high} attendu (degrés WGS 84)", line)
                )
        if not re.fullmatch(r"\d{5}|2[AB]\d{3}", insee):
            problems.append(
                Problem("insee_com", f"« {insee} » : code INSEE invalide (5 caractères, 2A/2B pour la Corse)", line)
            )
        if not nom:
            problems.append(Problem("lib_com", "nom de la commune vide", line))
        if len(problems) >= 20:
            break
        if len(point) == 2 and nom and re.fullmatch(r"\d{5}|2[AB]\d{3}", insee):
            rows.append((row, insee, nom, point))
    if problems:
        raise InputError(source, problems)
    if n > len(rows):
        raise InputError(
            source,
            [
                Problem(
                    "",
                    f"le fichier ne compte que {len(rows)} communes : impossible d'en générer {n} "
                    f"(--n {len(rows)} au plus avec ce fichier)",
                )
            ],
        )
    by_acv: dict[str, list[tuple[str, str]]] = {}
    for row, insee, nom, _ in rows:
        if (row.get("id_acv") or "").strip():
            by_acv.setdefault(row["id_acv"].strip(), []).append((nom, insee))
    towns = []
    for row, insee, nom, (lon, lat) in rows[:n]:
        siren = (row.get("siren_epci") or "").strip()
        population = (row.get("population") or "").strip()
        ca = not population.isdigit() or int(population) >= 15000
        epci = (
            (f"Communauté d'agglomération {de(nom)}", f"CA {de(nom)}")
            if ca
            else (f"Communauté de communes {de(nom)}", f"CC {de(nom)}")
        )
        others = [c for c in by_acv.get((row.get("id_acv") or "").strip(), []) if c[1] != insee]
        towns.append(
            Town(
                nom,
                insee,
                lon,
                lat,
                siren if re.fullmatch(r"\d{9}", siren) else None,
                epci[0],
                epci[1],
                real=True,
                signature=_date_fr((row.get("date_signature") or "").strip()),
                partner=others[0] if others else None,
            )
        )
    return towns


def _date_fr(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
