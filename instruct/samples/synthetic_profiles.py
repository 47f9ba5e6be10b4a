"""The profiles of the synthetic dossiers (what each is meant to show, and the outcome expected),
their sequence over a set, and the manifest's columns."""

from __future__ import annotations

import random
from dataclasses import dataclass

N_MAX = 5000
MANIFEST = "manifeste.csv"
MANIFEST_COLUMNS = ["dossier", "commune", "insee", "profil", "pieces", "attendu", "regles_visees"]
COMMUNES_COLUMNS = ("insee_com", "lib_com", "lon", "lat")
HEADER_REAL = "# Dossier SYNTHÉTIQUE généré par acv samples generate : il ne décrit pas le dossier réel de la commune."

# Expected outcome, in words, per group of profiles.
EXPECTED = {
    "recevable": "recevable",
    "incomplet": "incomplet",
    "non_conforme": "non recevable, à corriger ou incomplet",
    "illisible": "illisible",
}
# Share of each group (the unreadable ones: positions 17, 67, 117… i.e. 2 %).
SHARES = {"recevable": 0.31, "incomplet": 0.35, "non_conforme": 0.32}
ILLISIBLE_EVERY, ILLISIBLE_AT = 50, 17


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
        "opah_non_referencee",
        "non_conforme",
        "villebelle",
        ("ANAH-04",),
        "une OPAH-RU en cours à laquelle la convention-cadre ne se réfère pas (et qui s'achève avant le programme)",
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
        ("PROG-08", "PROG-22", "ANRU-02", "ANRU-03"),
        "écarts multiples (avenant tardif, budgets, quartier NPNRU au centre, double financement)",
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
