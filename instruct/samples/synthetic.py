"""Synthetic dossiers to exercise the batch (`acv samples generate`).

Each dossier is built from a sample of the template folder given (the repository's samples/:
villebelle, montclair, saint-aubin, belcastel), loaded with the project's loader, then varied:
the commune (name, INSEE code, EPCI, point), the dates (shifted together, within the programme's
deadlines), the amounts (scaled, plans of financement kept balanced), the intitulés and people,
optional fiches, quartiers, dispositifs and immeubles. One profile per dossier says what it is
meant to show: recevable, incomplet, non conforme to a named rule, or unreadable (a YAML error,
a wrong type). Pieces (convention DOCX, avenant PDF with its table, notes; now and then a scan
or a corrupt file) are rendered from the final dossier by `render_pieces`, so that they agree
with it.

Without a communes list the towns are invented (INSEE codes 99xxx, attributed to no commune).
With `communes` (the programme's list, `acv-communes.csv`) the real towns' names, INSEE codes,
EPCI SIREN and points are used, in file order; every dossier stays marked as synthetic
(`fictif: true`, an id starting with « synthetique- », a header comment). The geometry of the
template is translated to the town's point, so the geometric rules behave as in the template.

Same arguments and seed, same bytes. `out/manifeste.csv` lists each dossier with its profile
and the outcome it is built for.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import math
import os
import random
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from instruct.errors import InputError, Problem
from instruct.model.dossier import Dossier

N_MAX = 5000
MANIFEST = "manifeste.csv"
MANIFEST_COLUMNS = ["dossier", "commune", "insee", "profil", "pieces", "attendu", "regles_visees"]
COMMUNES_COLUMNS = ("insee_com", "lib_com", "lon", "lat")
HEADER_REAL = "# Dossier SYNTHÉTIQUE généré par acv samples generate : il ne décrit pas le dossier réel de la commune."

# Expected outcome, in words, per group of profiles.
EXPECTED = {
    "recevable": "recevable",
    "incomplet": "incomplet",
    "non_conforme": "non_recevable ou incomplet",
    "illisible": "illisible",
}
# Share of each group (the unreadable ones: positions 17, 67, 117… i.e. 2 %).
SHARES = {"recevable": 0.31, "incomplet": 0.35, "non_conforme": 0.32}
ILLISIBLE_EVERY, ILLISIBLE_AT = 50, 17

# Where each template's geometry is centred (its point in samples/referentiel/acv-communes.csv).
CENTRES = {"villebelle": (2.0, 47.0), "montclair": (3.0, 48.0), "saint-aubin": (1.0, 46.0), "belcastel": (4.0, 49.0)}
# Days the template's dates may move (the programme's deadlines stay met, or missed, as in the template).
SHIFTS = {"villebelle": (-120, 100), "montclair": (-360, 0), "saint-aubin": (-120, 90), "belcastel": (-100, 100)}
CADRES = {
    "villebelle": dt.date(2018, 9, 28),
    "montclair": dt.date(2026, 3, 16),
    "saint-aubin": dt.date(2018, 10, 5),
    "belcastel": dt.date(2018, 9, 14),
}
# Names of the template to replace (longest first), and its codes.
TOKENS = {
    "villebelle": {
        "nom": "Villebelle",
        "insee": "99101",
        "siren": "999000001",
        "epci": ["Communauté d'agglomération du Val de Belle", "CA du Val de Belle"],
        "others": {"Office HLM Val de Belle Habitat": "office"},
        "people": {
            "Claire Martin": "maire",
            "Paul Durand": "president",
            "Anne Leroy": "prefet",
            "Julien Petit": "directeur",
        },
    },
    "montclair": {
        "nom": "Montclair-sur-Lys",
        "insee": "99102",
        "siren": "999000002",
        "epci": ["Communauté de communes des Coteaux du Lys", "CC des Coteaux du Lys"],
        "others": {},
        "people": {},
    },
    "saint-aubin": {
        "nom": "Saint-Aubin-les-Forges",
        "insee": "99103",
        "siren": "999000003",
        "epci": ["Communauté d'agglomération Forges et Vallées", "CA Forges et Vallées"],
        "others": {"Forges Habitat (fictif)": "bailleur", "Centre-ville de Saint-Aubin": "centre"},
        "people": {"Sophie Morel": "directeur"},
    },
    "belcastel": {
        "nom": "Belcastel-sur-Orne",
        "insee": "99104",
        "siren": "999000004",
        "epci": ["Communauté de communes Orne et Bocage (fictive)", "CC Orne et Bocage"],
        "others": {
            "Orne Habitat (fictif)": "bailleur",
            "Orne Habitat": "bailleur",
            "SEM Belcastel Aménagement (fictive)": "sem",
            "CCI Orne": "cci",
        },
        "people": {"Nadia Lefèvre": "directeur", "Indivision Moreau": "indivision"},
    },
}

ROLE_LABELS = {
    "maire": "Maire",
    "president": "Présidence de l'intercommunalité",
    "prefet": "Préfet",
    "directeur": "Direction de projet Action Cœur de Ville",
    "indivision": "Indivision privée",
}


@dataclass(frozen=True)
class Profile:
    name: str
    group: str  # recevable, incomplet, non_conforme, illisible
    template: str
    rules: tuple[str, ...]  # non_conforme: rules expected non_conforme; incomplet: rule sets expected incomplet
    description: str  # French, for the dossier's header
    documents_only: bool = False  # only when pieces are generated


_PROFILES = [
    Profile("complet", "recevable", "villebelle", (), "dossier complet, recevable pour tous les jeux de règles"),
    Profile(
        "complet_immeubles",
        "recevable",
        "villebelle",
        (),
        "dossier complet avec des immeubles éligibles à Action Logement et leurs notes",
        documents_only=True,
    ),
    Profile(
        "incomplet_initialisation",
        "incomplet",
        "montclair",
        ("PROG", "ORT"),
        "phase d'initialisation : gouvernance, périmètres, indicateurs et ORT pas encore renseignés",
    ),
    Profile(
        "incomplet_gouvernance", "incomplet", "villebelle", ("PROG",), "gouvernance et préparation non renseignées"
    ),
    Profile(
        "incomplet_perimetres", "incomplet", "villebelle", ("PROG",), "périmètres d'étude et d'intervention non fournis"
    ),
    Profile("incomplet_ort", "incomplet", "villebelle", ("ORT",), "convention d'ORT non renseignée"),
    Profile("incomplet_anah", "incomplet", "villebelle", ("ANAH",), "situation au regard de l'Anah non déclarée"),
    Profile(
        "incomplet_immeuble",
        "incomplet",
        "villebelle",
        ("AL-O",),
        "un immeuble proposé à Action Logement sans son dossier opérateur",
    ),
    Profile("incomplet_pieces", "incomplet", "villebelle", ("X",), "une pièce déclarée n'est pas fournie"),
    Profile(
        "avenant_tardif",
        "non_conforme",
        "villebelle",
        ("PROG-07", "PROG-08"),
        "avenant signé plus de 18 mois après la convention-cadre et après le 31/03/2020",
    ),
    Profile(
        "budget_incoherent",
        "non_conforme",
        "villebelle",
        ("PROG-15",),
        "budget de l'avenant ou plan de financement d'une fiche qui ne s'équilibre pas",
    ),
    Profile(
        "action_hors_perimetre",
        "non_conforme",
        "villebelle",
        ("PROG-22",),
        "une action localisée hors du périmètre d'intervention",
    ),
    Profile(
        "double_financement",
        "non_conforme",
        "villebelle",
        ("ANRU-03", "X-03"),
        "une action financée par l'ANRU et la Banque des Territoires au-delà de son coût",
    ),
    Profile(
        "quartier_npnru_centre",
        "non_conforme",
        "villebelle",
        ("ANRU-02",),
        "un quartier NPNRU au cœur du périmètre d'intervention sans projet commun",
    ),
    Profile(
        "opah_sans_prolongation",
        "non_conforme",
        "villebelle",
        ("ANAH-04",),
        "une OPAH-RU en cours qui s'achève avant le programme sans prolongation prévue",
    ),
    Profile(
        "signataire_manquant", "non_conforme", "villebelle", ("PROG-02",), "l'Anah n'a pas signé la convention-cadre"
    ),
    Profile(
        "fiche_non_signee",
        "non_conforme",
        "villebelle",
        ("PROG-20",),
        "une fiche ajoutée après l'avenant sans la signature d'un financeur",
    ),
    Profile(
        "engagement_tardif",
        "non_conforme",
        "villebelle",
        ("PROG-16",),
        "un engagement financier prévu après la fin des engagements du programme",
    ),
    Profile(
        "secteur_debordant",
        "non_conforme",
        "villebelle",
        ("PROG-12",),
        "un secteur prioritaire qui déborde du périmètre d'intervention",
    ),
    Profile(
        "immeuble_plafond",
        "non_conforme",
        "villebelle",
        ("AL-O-14",),
        "un immeuble dont la demande dépasse les plafonds d'Action Logement",
    ),
    Profile(
        "investisseur_partiel",
        "non_conforme",
        "villebelle",
        ("AL-O-10",),
        "un investisseur privé qui ne maîtrise qu'une partie des logements de l'immeuble",
    ),
    Profile(
        "contreparties_insuffisantes",
        "non_conforme",
        "villebelle",
        ("AL-O-12",),
        "un immeuble dont les droits de réservation sont en deçà de 75 % des logements",
    ),
    Profile(
        "immeuble_hors_perimetre",
        "non_conforme",
        "villebelle",
        ("AL-O-11", "X-01"),
        "un immeuble hors du périmètre d'intervention et de l'ORT",
    ),
    Profile("piece_corrompue", "non_conforme", "villebelle", ("X-06",), "une pièce PDF corrompue", documents_only=True),
    Profile(
        "cumul_saint_aubin",
        "non_conforme",
        "saint-aubin",
        ("PROG-08", "PROG-22", "ANRU-02", "ANRU-03", "ANAH-04"),
        "écarts multiples (avenant tardif, budgets, quartier NPNRU au centre, double financement, OPAH-RU)",
    ),
    Profile(
        "cumul_belcastel",
        "non_conforme",
        "belcastel",
        ("AL-O-09", "AL-O-10", "AL-O-11", "AL-O-14"),
        "six immeubles proposés à Action Logement, dont plusieurs inéligibles",
    ),
    Profile("illisible_yaml", "illisible", "villebelle", (), "fichier YAML mal formé"),
    Profile("illisible_type", "illisible", "villebelle", (), "valeur d'un mauvais type"),
]
PROFILE_BY_NAME = {p.name: p for p in _PROFILES}
PROFILES = [p.name for p in _PROFILES]


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


def _person(rng: random.Random, used: set[str]) -> tuple[str, str]:
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


# --- profiles in sequence --------------------------------------------------------------------------


def groups_sequence(n: int) -> list[str]:
    """The group of each position: 2 % unreadable at fixed positions, the rest by largest deficit
    (so any first k dossiers are already a mix)."""
    counts = dict.fromkeys(SHARES, 0)
    total = sum(SHARES.values())
    out, placed = [], 0
    for i in range(n):
        if i % ILLISIBLE_EVERY == ILLISIBLE_AT:
            out.append("illisible")
            continue
        placed += 1
        group = max(SHARES, key=lambda g: (SHARES[g] / total * placed - counts[g], SHARES[g]))
        counts[group] += 1
        out.append(group)
    return out


def profile_sequence(n: int, seed: int, documents: bool) -> list[Profile]:
    rng = random.Random(f"acv-profils/{seed}")
    cycles = {}
    for group in list(SHARES) + ["illisible"]:
        kinds = [p for p in _PROFILES if p.group == group and (documents or not p.documents_only)]
        rng.shuffle(kinds)
        cycles[group] = kinds
    seen = dict.fromkeys(cycles, 0)
    out = []
    for group in groups_sequence(n):
        out.append(cycles[group][seen[group] % len(cycles[group])])
        seen[group] += 1
    return out


# --- the dossier as a dict ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Templates:
    """The sample dossiers the synthetic ones are built from, each loaded and validated by the
    project's loader, as plain dicts; every use gets its own copy."""

    dossiers: dict[str, dict]

    def dossier(self, name: str) -> dict:
        return copy.deepcopy(self.dossiers[name])

    def part(self, name: str, path: Callable[[dict], Any]) -> Any:
        """A piece of another template (an immeuble, a fiche…), moved into villebelle's frame."""
        cx, cy = CENTRES[name]
        vx, vy = CENTRES["villebelle"]
        return translate(copy.deepcopy(path(self.dossiers[name])), vx - cx, vy - cy)


def read_templates(folder: Path) -> Templates:
    """The templates from `folder` (the repository's samples/): one sub-folder per template."""
    from instruct.documents.load import load

    missing = [name for name in CENTRES if not (folder / name / "dossier.yaml").is_file()]
    if missing:
        raise InputError(
            str(folder),
            [
                Problem(
                    "",
                    f"dossier(s) modèle(s) absent(s) : {', '.join(f'{name}/dossier.yaml' for name in missing)} "
                    "(indiquez avec --modeles le répertoire samples/ du dépôt)",
                )
            ],
        )
    return Templates(
        {
            name: load(folder / name / "dossier.yaml").dossier.model_dump(mode="python", exclude_unset=True)
            for name in CENTRES
        }
    )


def _walk(value: Any, leaf: Callable[[Any], Any]) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, leaf) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, leaf) for v in value]
    return leaf(value)


def shift_dates(value: Any, days: int) -> Any:
    delta = dt.timedelta(days=days)
    return _walk(value, lambda v: v + delta if isinstance(v, dt.date) else v)


def translate(value: Any, dlon: float, dlat: float) -> Any:
    """Every GeoJSON geometry moved by (dlon, dlat) degrees."""

    def coords(c: Any) -> Any:
        if isinstance(c, list) and len(c) == 2 and all(isinstance(x, (int, float)) for x in c):
            return [round(c[0] + dlon, 6), round(c[1] + dlat, 6)]
        return [coords(x) for x in c]

    if isinstance(value, dict):
        if value.get("type") in {"Point", "MultiPoint", "Polygon", "MultiPolygon"} and "coordinates" in value:
            return {**value, "coordinates": coords(value["coordinates"])}
        return {k: translate(v, dlon, dlat) for k, v in value.items()}
    if isinstance(value, list):
        return [translate(v, dlon, dlat) for v in value]
    return value


def replace_text(value: Any, pairs: list[tuple[str, str]]) -> Any:
    def leaf(v: Any) -> Any:
        if isinstance(v, str):
            for old, new in pairs:
                if old in v:
                    v = v.replace(old, new)
        return v

    return _walk(value, leaf)


def cents(value: Decimal | float | int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hundreds(value: Decimal) -> Decimal:
    return (value / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 100


def _sum(items: list[dict], key: str = "montant") -> Decimal:
    return sum((Decimal(i[key]) for i in items), Decimal(0))


def scale_amounts(d: dict, factor: Decimal) -> None:
    """Fiche amounts × factor (to the hundred euros); a balanced plan stays balanced; an avenant's
    budget that was the sum of the fiches stays so, one that was not is scaled (the template's gap kept)."""
    fiches = d.get("fiches_actions", [])
    costs = sum((Decimal(f.get("cout") or 0) for f in fiches), Decimal(0))
    balanced_budgets = [
        a.get("budget") is not None and a["budget"]["total"] == costs
        for a in (d.get("convention") or {}).get("avenants", [])
    ]
    for fiche in fiches:
        balanced = fiche.get("cout") is not None and _sum(fiche.get("financement", [])) == fiche["cout"]
        for line in fiche.get("financement", []):
            line["montant"] = cents(hundreds(line["montant"] * factor))
        if fiche.get("cout") is not None:
            fiche["cout"] = cents(_sum(fiche["financement"])) if balanced else cents(hundreds(fiche["cout"] * factor))
    for avenant, balanced in zip((d.get("convention") or {}).get("avenants", []), balanced_budgets):
        budget = avenant.get("budget")
        if budget is None:
            continue
        if balanced:
            rebudget_avenant(d, avenant)
            continue
        budget["total"] = cents(hundreds(budget["total"] * factor))
        if budget.get("part_cofinanceurs") is not None:
            budget["part_cofinanceurs"] = cents(hundreds(budget["part_cofinanceurs"] * factor))
            if budget.get("part_porteur") is not None:
                budget["part_porteur"] = budget["total"] - budget["part_cofinanceurs"]


def rebudget_avenant(d: dict, avenant: dict) -> None:
    fiches = d.get("fiches_actions", [])
    lines = [f for fiche in fiches for f in fiche.get("financement", [])]
    porteur = sum((Decimal(f["montant"]) for f in lines if f.get("role") == "porteur"), Decimal(0))
    avenant["budget"] = {
        "total": cents(sum((Decimal(f.get("cout") or 0) for f in fiches), Decimal(0))),
        "part_cofinanceurs": cents(_sum(lines) - porteur),
        "part_porteur": cents(porteur),
    }


def _months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


# --- building blocks taken from the other samples (moved into villebelle's frame) -------------------------


def _immeuble_ok(templates: Templates, rng: random.Random, n: int, logements: int, used: set[str]) -> dict:
    """An eligible immeuble (belcastel's IMM-01 pattern) with `logements` logements of 60 m²."""
    imm = templates.part("belcastel", lambda t: t["immeubles"][0])
    k = Decimal(logements)
    typologies = ["T2", "T3", "T2", "T3", "T4", "T2", "T3", "T1", "T5+", "T1", "T2", "T3"]
    imm["logements"] = [
        {"typologie": typologies[i % len(typologies)], "surface_habitable_m2": Decimal(60), "loyer_mensuel": cents(450)}
        for i in range(logements)
    ]
    imm["logements_immeuble"] = imm["logements_maitrises"] = logements
    imm["surface_m2"] = Decimal(75 * logements)
    unit = {"prix_de_revient": 150000, "prix_de_revient_travaux": 90000, "valeur_acquisition": 60000}
    for key, value in unit.items():
        imm[key] = cents(value * k)
    imm["travaux"]["montant"] = cents(90000 * k)
    for line, value in zip(imm["plan_de_financement"], (30000, 55000, 30000, 20000, 15000)):
        line["montant"] = cents(value * k)
    imm["demande_action_logement"].update(pret=cents(30000 * k), subvention=cents(20000 * k))
    engaged = math.ceil(Decimal("0.8") * k)
    imm["reservations"] = {"logements": engaged, "duree_annees": 9}
    imm["loyers_maitrises"] = {"logements": engaged, "duree_annees": 9}
    return _place(imm, rng, n, used)


def _place(imm: dict, rng: random.Random, n: int, used: set[str], point: tuple[float, float] | None = None) -> dict:
    imm["id"] = f"IMM-{n:02d}"
    while True:
        adresse = f"{rng.randrange(1, 60)} {rng.choice(STREETS)}"
        cadastre = f"{rng.choice(['AB', 'AC', 'AD', 'AE', 'AH'])} {rng.randrange(10, 400)}"
        if adresse not in used and cadastre not in used:
            used.update((adresse, cadastre))
            break
    imm["adresse"] = adresse
    if "reference_cadastrale" in imm:
        imm["reference_cadastrale"] = cadastre
    if point is None:  # inside the intervention perimeter, the ORT secteur and the OPAH-RU
        point = (round(rng.uniform(1.994, 2.006), 4), round(rng.uniform(46.9965, 47.0035), 4))
    imm["localisation"] = {"type": "Point", "coordinates": list(point)}
    return imm


def _immeubles_pieces(d: dict) -> None:
    pieces = d.setdefault("pieces", [])
    pieces += [
        {"id": "plan-immeubles", "type": "plan_situation", "fichier": "plan-situation-immeubles.pdf"},
        {"id": "note-utilite", "type": "note_utilite_immeubles", "fichier": "note-utilite.pdf", "avis": "favorable"},
    ]


def _eligible_immeubles(templates: Templates, d: dict, rng: random.Random, count: int, used: set[str]) -> None:
    d["immeubles"] = [_immeuble_ok(templates, rng, i + 1, rng.randrange(6, 13), used) for i in range(count)]
    _immeubles_pieces(d)


# --- variety on villebelle --------------------------------------------------------------------------


def people(d: dict, name: str, town: Town, rng: random.Random) -> list[tuple[str, str]]:
    """The template's people: invented names for a fictitious town; for a real one, no name at all
    (a function, « Maire », « Direction de projet… »), so that nobody real is made to sign."""
    pairs, used = [], set()
    cadre = (d.get("convention") or {}).get("cadre") or {}
    for old, role in TOKENS[name]["people"].items():
        signataire = next((s for s in cadre.get("signataires") or [] if s.get("nom") == old), None)
        if town.real:
            pairs.append((old, ROLE_LABELS[role]))
            if signataire is not None:
                del signataire["nom"]
            continue
        if role == "indivision":
            pairs.append((old, f"Indivision {rng.choice(LAST)}"))
            continue
        person, gender = _person(rng, used)
        pairs.append((old, person))
        if signataire is not None and role in {"prefet", "president"}:
            signataire["qualite"] = {"prefet": "préfet", "president": "président"}[role] + (
                "e" if gender == "f" else ""
            )
    return pairs


def vary_villebelle(d: dict, rng: random.Random) -> None:
    """Intitulés, an extra fiche now and then, a quartier outside the centre, a PIG."""
    chosen: set[str] = set()
    for fiche in d["fiches_actions"]:
        title = rng.choice(INTITULES[fiche["axe"]])
        fiche["intitule"] = title
        chosen.add(title)
    for n in range(rng.choice([0, 0, 1, 2])):  # an extra fiche, signed after the avenant like FA-04
        extra = copy.deepcopy(d["fiches_actions"][3])
        extra["id"] = f"FA-{6 + n:02d}"
        extra["axe"] = rng.randrange(1, 6)
        extra["intitule"] = next(
            (t for t in INTITULES[extra["axe"]] if t not in chosen), f"Action complémentaire {n + 1}"
        )
        chosen.add(extra["intitule"])
        d["fiches_actions"].append(shift_dates(extra, rng.randrange(0, 200)))
        rebudget_avenant(d, d["convention"]["avenants"][0])
    if rng.random() < 0.25:  # a NPNRU quartier away from the centre, the ANRU a signatory
        d["quartiers"] = [
            {
                "code_qpv": f"QP099{rng.randrange(100, 999)}",
                "nom": "Quartier des Tilleuls",
                "programme": "NPNRU_regional",
                "perimetre": {
                    "type": "Polygon",
                    "coordinates": [
                        [[1.981, 46.991], [1.988, 46.991], [1.988, 46.9945], [1.981, 46.9945], [1.981, 46.991]]
                    ],
                },
                "date_convention_anru": dt.date(2019, 6, 20),
                "date_comite_engagement": dt.date(2019, 3, 12),
                "convention_anru_referencee": True,
                "coherence_projets": True,
            }
        ]
        d["convention"]["cadre"]["signataires"].append({"role": "anru", "organisme": "ANRU"})
        d["preparation"]["dispositifs_identifies"].append("NPNRU quartier des Tilleuls")
    if rng.random() < 0.3:
        d["dispositifs_anah"].append(
            {
                "id": "pig-departemental",
                "type": "PIG",
                "etat": "en_cours",
                "maitre_ouvrage": "departement",
                "date_debut": dt.date(2019, 1, 1),
                "date_fin": dt.date(2023, 12, 31),
                "coordination_maitres_ouvrage": True,
            }
        )


# --- the defects, one per profile (villebelle's frame; dates already shifted) ---------------------------


def _defect(templates: Templates, name: str, d: dict, rng: random.Random, delta: int, used: set[str]) -> None:
    fiches = d["fiches_actions"]
    cadre = d["convention"]["cadre"]
    avenant = d["convention"]["avenants"][0]
    if name == "complet_immeubles":
        _eligible_immeubles(templates, d, rng, rng.randrange(1, 4), used)
    elif name == "incomplet_gouvernance":
        del d["gouvernance"], d["preparation"]
    elif name == "incomplet_perimetres":
        del d["perimetres"]
    elif name == "incomplet_ort":
        del d["ort"]
    elif name == "incomplet_anah":
        del d["dispositifs_anah"]
    elif name == "incomplet_immeuble":
        _eligible_immeubles(templates, d, rng, rng.randrange(1, 3), used)
        imm = templates.part("belcastel", lambda t: t["immeubles"][5])  # IMM-06: no dossier opérateur
        imm["maitrise_fonciere"] = {"mode": "acquisition", "etat": "engagee"}
        imm["reference_cadastrale"] = ""  # given by _place
        d["immeubles"].append(_place(imm, rng, len(d["immeubles"]) + 1, used))
    elif name == "incomplet_pieces":
        d.setdefault("pieces", []).append(
            {
                "id": "deliberation-ville",
                "type": "deliberation",
                "fichier": "deliberation-conseil-municipal.pdf",
                "titre": "Délibération du conseil municipal",
            }
        )
    elif name == "avenant_tardif":
        late = max(_months(cadre["date_signature"], 19), dt.date(2020, 4, 15)) + dt.timedelta(
            days=rng.randrange(0, 150)
        )
        avenant["date_signature"] = late
        d["ort"]["date_signature"] = late
        for fiche in fiches:  # fiches signed with the avenant or after it stay so
            if fiche.get("date_signature") is not None and fiche["date_signature"] < late:
                gap = (late - fiche["date_signature"]).days + 20
                for key in ("date_approbation_comite_projet", "date_comite_regional", "date_signature"):
                    fiche[key] += dt.timedelta(days=gap)
                for line in fiche["financement"]:
                    if line.get("date_engagement"):
                        line["date_engagement"] += dt.timedelta(days=gap)
    elif name == "budget_incoherent":
        if rng.random() < 0.5:
            total = avenant["budget"]["total"]
            avenant["budget"]["total"] = cents(hundreds(total * Decimal(rng.choice(["0.82", "0.9", "1.12"]))))
        else:
            fiche = rng.choice(fiches)
            fiche["financement"][-1]["montant"] = cents(
                fiche["financement"][-1]["montant"] + rng.choice([-1, 1]) * 50000
            )
            rebudget_avenant(d, avenant)
    elif name == "action_hors_perimetre":
        fiche = rng.choice(fiches[2:5])
        fiche["localisation"] = {
            "type": "Point",
            "coordinates": [round(rng.uniform(2.012, 2.018), 4), round(rng.uniform(46.992, 47.008), 4)],
        }
    elif name == "double_financement":
        sa04 = templates.part("saint-aubin", lambda t: t["fiches_actions"][2])
        sa04["id"] = f"FA-{len(fiches) + 1:02d}"
        sa04["maitre_ouvrage"] = "Bailleur social du centre (fictif)"
        fiches.append(shift_dates(sa04, delta))
        rebudget_avenant(d, avenant)
    elif name == "quartier_npnru_centre":
        quartier = templates.part("saint-aubin", lambda t: t["quartiers"][0])
        quartier.update(
            code_qpv=f"QP099{rng.randrange(100, 999)}",
            nom="Quartier de la Forge (fictif)",
            date_comite_engagement=cadre["date_signature"] - dt.timedelta(days=200),
        )
        d["quartiers"] = [quartier]
        if not any(s["role"] == "anru" for s in cadre["signataires"]):
            cadre["signataires"].append({"role": "anru", "organisme": "ANRU"})
    elif name == "opah_sans_prolongation":
        opah = d["dispositifs_anah"][0]
        opah["date_fin"] = dt.date(rng.choice([2022, 2023, 2024]), 12, 31)
        opah["prolongation_prevue"] = False
    elif name == "signataire_manquant":
        cadre["signataires"] = [s for s in cadre["signataires"] if s["role"] != "anah"]
    elif name == "fiche_non_signee":
        # a fiche signed after the avenant, which the Banque des Territoires finances and has not signed
        fiche = rng.choice(
            [f for f in fiches if f.get("date_signature") and f["date_signature"] > avenant["date_signature"]]
        )
        fiche["signataires"] = [s for s in fiche["signataires"] if s != "Banque des Territoires"]
        if not any(line["role"] == "cdc" for line in fiche["financement"]):
            porteur = fiche["financement"][-1]
            share = cents(hundreds(porteur["montant"] * Decimal("0.3")))
            fiche["financement"].insert(
                len(fiche["financement"]) - 1,
                {
                    "financeur": "Banque des Territoires",
                    "role": "cdc",
                    "montant": share,
                    "date_engagement": fiche["date_signature"] + dt.timedelta(days=30),
                },
            )
            porteur["montant"] -= share
            rebudget_avenant(d, avenant)
    elif name == "engagement_tardif":
        fiche = rng.choice(fiches[2:5])
        line = next(f for f in fiche["financement"] if f.get("date_engagement"))
        line["date_engagement"] = dt.date(2027, rng.randrange(1, 13), 1)
    elif name == "secteur_debordant":
        secteur = d["perimetres"]["secteurs_prioritaires"][0]
        x0 = round(rng.uniform(2.004, 2.007), 4)
        secteur["geometrie"]["coordinates"] = [
            [[x0, 46.998], [x0 + 0.01, 46.998], [x0 + 0.01, 47.002], [x0, 47.002], [x0, 46.998]]
        ]
        secteur.update(id="gare", nom="Quartier de la gare")
    elif name in {"immeuble_plafond", "investisseur_partiel", "immeuble_hors_perimetre"}:
        _eligible_immeubles(templates, d, rng, rng.randrange(0, 3), used)
        index = {"immeuble_plafond": 3, "investisseur_partiel": 1, "immeuble_hors_perimetre": 2}[name]
        imm = templates.part("belcastel", lambda t: t["immeubles"][index])
        point = (
            (round(rng.uniform(2.025, 2.035), 4), round(rng.uniform(46.992, 47.008), 4))
            if name == "immeuble_hors_perimetre"
            else None
        )
        d["immeubles"].append(_place(imm, rng, len(d["immeubles"]) + 1, used, point))
    elif name == "contreparties_insuffisantes":
        _eligible_immeubles(templates, d, rng, rng.randrange(1, 4), used)
        imm = rng.choice(d["immeubles"])
        imm["reservations"]["logements"] = math.ceil(Decimal("0.75") * len(imm["logements"])) - rng.randrange(1, 3)
    elif name == "piece_corrompue":
        d.setdefault("pieces", []).append(
            {"id": "plan-situation", "type": "plan_situation", "fichier": "plan-situation.pdf"}
        )
    if d.get("immeubles"):  # all added here: the dates of belcastel's operations follow the dossier's
        d["immeubles"] = [shift_dates(imm, delta) for imm in d["immeubles"]]


# --- writing ------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _flat(value: Any) -> bool:
    return _scalar(value) or (isinstance(value, list) and all(_flat(v) for v in value))


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", value, flow_style=bool(value) and all(_flat(v) for v in value)
    )


def _represent_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.Node:
    short = (
        all(_scalar(v) for v in value.values()) and sum(len(str(k)) + len(str(v)) + 4 for k, v in value.items()) < 90
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=short)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def _header(town: Town, profile: Profile) -> str:
    lines = []
    if town.real:
        lines += [
            HEADER_REAL,
            "# Commune réelle de la liste ACV (nom, code INSEE, SIREN de l'EPCI, point) ; tout le reste est inventé.",
        ]
    else:
        lines += [
            "# VILLE FICTIVE — dossier SYNTHÉTIQUE généré par acv samples generate (aucune donnée réelle).",
            f"# {town.nom} n'existe pas ; son code INSEE {town.insee} n'est attribué à aucune commune.",
        ]
    lines.append(
        f"# Profil : {profile.name} — {profile.description} ; attendu : {EXPECTED[profile.group]}"
        + (f" ({', '.join(profile.rules)})" if profile.group == "non_conforme" else "")
        + "."
    )
    return "\n".join(lines) + "\n"


def _unreadable(text: str, profile: Profile, rng: random.Random) -> str:
    lines = text.splitlines()
    if profile.name == "illisible_yaml":
        at = next(i for i, line in enumerate(lines) if "date_signature:" in line)
        choice = rng.randrange(3)
        if choice == 0:  # an unclosed bracket
            lines[at] = lines[at].replace("date_signature: ", "date_signature: [")
        elif choice == 1:  # a key given twice
            lines.insert(lines.index("fictif: true") + 1, "fictif: true")
        else:  # a tab in the indentation
            lines[at] = "\t" + lines[at].lstrip(" ")
    else:
        choice = rng.randrange(3)
        if choice == 0:
            at = next(i for i, line in enumerate(lines) if line.strip().startswith("cout:"))
            lines[at] = re.sub(r"cout: .*", "cout: un million deux cent mille euros", lines[at])
        elif choice == 1:
            at = next(i for i, line in enumerate(lines) if "date_signature:" in line)
            lines[at] = re.sub(r"date_signature: \S+", "date_signature: 2019-02-30", lines[at])
        else:
            at = next(i for i, line in enumerate(lines) if "duree_annees:" in line)
            lines[at] = re.sub(r"duree_annees: \S+", "duree_annees: cinq ans", lines[at])
    return "\n".join(lines) + "\n"


# --- one dossier --------------------------------------------------------------------------------------


@dataclass
class Generated:
    folder: str
    commune: str
    insee: str
    profile: Profile
    pieces: int


def build(
    templates: Templates, index: int, town: Town, profile: Profile, seed: int, documents: bool, folder: Path
) -> Generated:
    rng = random.Random(f"acv-synthetique/{seed}/{index}")
    name = profile.template
    d = templates.dossier(name)
    tokens = TOKENS[name]
    de_nom = de(town.nom)
    pairs = [(tokens["epci"][0], town.epci), (tokens["epci"][1], town.epci_court)]
    others = {
        "office": f"Office HLM {de_nom}",
        "bailleur": f"Habitat {de_nom} (fictif)",
        "sem": f"SEM {town.nom} Aménagement (fictive)",
        "centre": f"Centre-ville {de_nom}",
        "cci": "Chambre de commerce et d'industrie",
    }
    pairs += [(old, others[key]) for old, key in tokens["others"].items()]
    pairs += [
        (f"Ville de {tokens['nom']}", f"Ville {de_nom}"),
        (f"Centre-ville de {tokens['nom']}", f"Centre-ville {de_nom}"),
        (tokens["nom"], town.nom),
        (tokens["insee"], town.insee),
    ]
    pairs += people(d, name, town, rng)
    if name == "villebelle":
        vary_villebelle(d, rng)
    # dates: the town's own signature date when the template's timeline allows it
    low, high = SHIFTS[name]
    delta = (town.signature - CADRES[name]).days if town.signature else None
    if delta is None or not (low <= delta <= high):
        delta = rng.randrange(low, high + 1)
    factor = Decimal(rng.randrange(60, 181)) / 100
    scale_amounts(d, factor)
    d = shift_dates(d, delta)
    used: set[str] = set()
    if name == "villebelle":
        _defect(templates, profile.name, d, rng, delta, used)
    # identity
    d["id"] = f"synthetique-{index + 1:04d}-{slug(town.nom)}"[:64].rstrip("-")
    d["fictif"] = True
    ville = {"nom": town.nom, "insee": town.insee}
    epci = {"nom": town.epci} | ({"siren": town.siren} if town.siren else {})
    d = replace_text(d, pairs)
    d["collectivites"]["ville_centre"] = ville
    d["collectivites"]["intercommunalite"] = epci
    if town.partner:
        d["collectivites"]["autres_communes"] = [{"nom": town.partner[0], "insee": town.partner[1]}]
    cx, cy = CENTRES[name]
    d = translate(d, town.lon - cx, town.lat - cy)
    # pieces
    pieces_dir = folder / "pieces"
    with_pieces = (
        documents
        and profile.group != "illisible"
        and (profile.documents_only or bool(d.get("immeubles")) or rng.random() < 0.6)
    )
    written: list[Path] = []
    if with_pieces:
        written = render(d, profile, rng, pieces_dir)
    else:
        strip_pieces(d, keep=profile.name == "incomplet_pieces")
    dossier = Dossier.model_validate(d)  # what is written is a valid dossier (before an unreadable one is spoilt)
    text = dump_yaml(d)
    if profile.group == "illisible":
        text = _unreadable(text, profile, rng)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dossier.yaml").write_text(_header(town, profile) + text, encoding="utf-8")
    assert dossier.id == d["id"]
    return Generated(folder.name, town.nom, town.insee, profile, len(written))


def strip_pieces(d: dict, keep: bool) -> None:
    """No files: no declared pieces nor references to them (but the one a profile declares missing)."""
    if keep:
        d["pieces"] = [p for p in d.get("pieces", []) if p["type"] == "deliberation"]
    else:
        d.pop("pieces", None)
    convention = d.get("convention") or {}
    for part in [convention.get("cadre") or {}] + convention.get("avenants", []):
        part.pop("piece", None)


def render(d: dict, profile: Profile, rng: random.Random, pieces_dir: Path) -> list[Path]:
    """The pieces of the dossier, rendered from it (they agree with it), declared in `pieces:`."""
    from instruct.samples import render_pieces as rp

    dossier = Dossier.model_validate(d)
    written: list[Path] = []
    template_name = profile.template
    if template_name == "villebelle":
        if profile.name != "incomplet_pieces" or rng.random() < 0.5:
            written.append(rp.convention_docx(dossier, pieces_dir / "convention-cadre.docx"))
            written.append(rp.avenant_pdf(dossier, pieces_dir / "avenant-1.pdf", numero=1))
        written.append(_note_projet(dossier, pieces_dir / "note-projet-urbain.pdf"))
        if d.get("immeubles"):
            written += _notes_immeubles(dossier, pieces_dir)
        if profile.name == "piece_corrompue":
            written.append(rp.corrupt_pdf(pieces_dir / "plan-situation.pdf"))
        elif rng.random() < 0.12:
            written.append(rp.scanned_pdf(pieces_dir / "deliberation-scannee.pdf", pages=1))
            d.setdefault("pieces", []).append(
                {"id": "deliberation-scannee", "type": "deliberation", "fichier": "deliberation-scannee.pdf"}
            )
    elif template_name == "montclair":
        written.append(
            rp.convention_docx(
                dossier,
                pieces_dir / "convention-cadre.docx",
                omit_parts={"suivi_evaluation", "traitement_litiges"},
                omit_signataires={"anah"},
            )
        )
    elif template_name == "saint-aubin":
        avenant = dossier.convention.avenants[0]
        absent = frozenset(code for code, present in avenant.contenu.model_dump().items() if not present)
        total = avenant.budget.total
        written.append(
            rp.avenant_pdf(
                dossier,
                pieces_dir / "avenant-1.pdf",
                numero=1,
                omit_parts=absent,
                total_override=cents(hundreds(total * Decimal("0.98"))),
            )
        )
        written.append(rp.scanned_pdf(pieces_dir / "deliberation-scannee.pdf", pages=1))
        written.append(rp.corrupt_pdf(pieces_dir / "plan-situation.pdf"))
    elif template_name == "belcastel":
        written.append(_note_projet(dossier, pieces_dir / "note-projet-urbain.pdf"))
        written += _notes_immeubles(dossier, pieces_dir)
    names = {p.name for p in written}
    convention = d.get("convention") or {}
    if "convention-cadre.docx" not in names and convention.get("cadre"):
        convention["cadre"].pop("piece", None)
    if "avenant-1.pdf" not in names:
        for avenant in convention.get("avenants", []):
            avenant.pop("piece", None)
    keep = names | ({"deliberation-conseil-municipal.pdf"} if profile.name == "incomplet_pieces" else set())
    d["pieces"] = [p for p in d.get("pieces", []) if p["fichier"] in keep]
    if not d["pieces"]:
        del d["pieces"]
    return written


def _note_projet(dossier: Dossier, path: Path) -> Path:
    from instruct.samples import render_pieces as rp
    from instruct.samples.piece_text import join_fr, lower_first

    ville = dossier.collectivites.ville_centre.nom
    epci = dossier.collectivites.intercommunalite.nom
    total = sum((f.cout or Decimal(0) for f in dossier.fiches_actions), Decimal(0))
    years = sorted(
        {f.calendrier.debut.year for f in dossier.fiches_actions if f.calendrier}
        | {f.calendrier.fin.year for f in dossier.fiches_actions if f.calendrier}
    )
    period = f" sur la période {years[0]}-{years[-1]}" if years else ""
    actions = join_fr([lower_first(f.intitule) for f in dossier.fiches_actions if f.intitule][:5])
    return rp.simple_pdf(
        path,
        f"Note de projet urbain – {ville}",
        [
            f"La présente note expose le projet urbain du centre-ville de {ville}, porté par la commune et la {epci} "
            "dans le cadre du programme Action Cœur de Ville.",
            "Le centre ancien présente une vacance élevée des logements et des commerces ; ses espaces publics et ses "
            "équipements appellent une requalification d'ensemble.",
            f"Le projet urbain s'organise autour des actions suivantes : {actions}."
            if actions
            else "Le plan d'actions est en cours d'élaboration.",
            f"Le programme d'actions représente {rp.euros(total)}{period}.",
        ],
    )


def _notes_immeubles(dossier: Dossier, folder: Path) -> list[Path]:
    from instruct.samples import render_pieces as rp

    ville = dossier.collectivites.ville_centre.nom
    lines, utilite = (
        [],
        [
            f"La commune de {ville} expose l'utilité, pour le projet de revitalisation du centre-ville, de chacun "
            "des immeubles proposés à Action Logement."
        ],
    )
    for imm in dossier.immeubles:
        point = imm.localisation.shape.centroid if imm.localisation is not None else None
        where = f" ; coordonnées {point.y:.4f} N, {point.x:.4f} E".replace(".", ",") if point is not None else ""
        lines.append(
            f"{imm.id} – {imm.adresse or 'adresse à préciser'} ; "
            f"parcelle {imm.reference_cadastrale or 'non renseignée'}{where} ; "
            f"propriétaire : {imm.proprietaire or 'non renseigné'}."
        )
        logements = (
            f"{imm.logements_immeuble} logements" if imm.logements_immeuble else "un nombre de logements à déterminer"
        )
        utilite.append(
            f"{imm.id} – {imm.adresse or 'adresse à préciser'} : immeuble de {logements}, dont la remise sur le marché "
            "contribue à la reconquête de l'habitat du centre ancien."
        )
    return [
        rp.simple_pdf(
            folder / "plan-situation-immeubles.pdf",
            f"Plan de situation des immeubles – {ville}",
            [f"Plan de situation des immeubles proposés à Action Logement dans le centre-ville de {ville}.", *lines],
        ),
        rp.simple_pdf(folder / "note-utilite.pdf", f"Note d'utilité des immeubles – {ville}", utilite),
    ]


# --- the set ------------------------------------------------------------------------------------------


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(str(out), [Problem("", "existe et n'est pas un répertoire")])
    if out.is_dir() and any(out.iterdir()):
        raise InputError(
            str(out),
            [
                Problem(
                    "",
                    "le répertoire existe et n'est pas vide : rien n'est écrasé ; "
                    "indiquez un répertoire absent ou vide",
                )
            ],
        )


def generate(
    n: int,
    out: Path,
    *,
    templates: Path,
    communes: Path | None = None,
    seed: int = 2026,
    documents: bool = True,
) -> list[Path]:
    """Write n synthetic dossiers under out/ (one folder each: out/<slug>/dossier.yaml [+ pieces/…])
    and out/manifeste.csv, built from the sample dossiers in `templates` (the repository's samples/);
    return the folders."""
    out = Path(out)
    if not isinstance(n, int) or n < 1 or n > N_MAX:
        raise InputError("--n", [Problem("", f"nombre de dossiers entre 1 et {N_MAX} attendu (reçu : {n})")])
    _check_out(out)
    models = read_templates(Path(templates))
    towns = read_communes(Path(communes), n) if communes is not None else fictitious_towns(n, seed)
    profiles = profile_sequence(n, seed, documents)
    width = max(3, len(str(n)))
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))  # the set appears whole, or not at all
    try:
        rows = []
        for i, (town, profile) in enumerate(zip(towns, profiles)):
            folder = work / f"{i + 1:0{width}d}-{slug(town.nom)}"
            rows.append(build(models, i, town, profile, seed, documents, folder))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(MANIFEST_COLUMNS)
        for row in rows:
            writer.writerow(
                [
                    row.folder,
                    row.commune,
                    row.insee,
                    row.profile.name,
                    row.pieces,
                    EXPECTED[row.profile.group],
                    " ".join(row.profile.rules) if row.profile.group == "non_conforme" else "",
                ]
            )
        (work / MANIFEST).write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")
        _check_out(out)  # still absent or empty
        if out.is_dir():
            out.rmdir()
        os.rename(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return [out / row.folder for row in rows]
