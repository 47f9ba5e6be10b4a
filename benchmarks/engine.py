"""Throughput and memory of the rules engine on generated dossiers of realistic size.

    .venv/bin/python benchmarks/engine.py [--n 1000] [--repeat 3] [--seed 1] [--horloge cpu|mur]
                                          [--engine both|durable|python] [--date 2026-11-26]
                                          [--partenaire anah,ort] [--trace-n N | --no-tracemalloc]
                                          [--reference]

The full catalogue (every partner's rule set) by default; `--partenaire` narrows it as `acv check`
does. The CPU clock by default (this process's time: robust on a shared machine).

Prints, for the durable-rules engine and the plain-Python reference evaluator:

- dossiers per second (median of --repeat passes) for two pipelines:
  (a) end to end from YAML text: yamlio.parse -> loader.validate -> check_dossier -> report_json.render
  (b) the engine part alone, from validated Dossier objects: check_dossier -> report_json.report_dict
  and the durable/python time ratio;
- the one-off durable ruleset compile (cached per process) and the first calls;
- a per-stage breakdown of one pass (parse, validate, prepare, build_facts, evaluate,
  build_findings, verdicts, report_dict, json) that mirrors instruct.engine.check.check_dossier;
- what the cyclic GC costs: the timed passes run with the generated corpus frozen (gc.freeze,
  so that the rate does not depend on how many Dossier objects the benchmark holds); one pass
  in a service-like state (only YAML texts held, nothing frozen) and one with the GC disabled
  are shown beside them;
- peak RSS of the process and the tracemalloc peak of one dedicated pass per engine;
- corpus statistics: YAML size, facts and findings per dossier, mix of verdicts and statuses,
  and whether both engines produce the same outcomes.

Single process, single thread; nothing is pinned to a core. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from importlib import metadata
from pathlib import Path

import yaml

# --stages-only run by --reference: the reference checkout's instruct/ is imported instead of this one's.
sys.path.insert(0, os.environ.get("ACV_BENCH_CODE") or str(Path(__file__).resolve().parent.parent))

import common  # benchmarks/, the script's own folder

from instruct import yamlio
from instruct.documents.load import validate
from instruct.engine import durable as engine_durable
from instruct.engine.check import ENGINES, assemble_report, check_dossier, prepared_rules
from instruct.engine.findings import build_findings
from instruct.engine.prepare import prepare
from instruct.facts import build_facts
from instruct.model.report import Report
from instruct.referentiel.registry import CommuneACV, Referentiel
from instruct.reports import json as report_json
from instruct.rules.catalogue import load_catalogue
from instruct.vocabulary import TRAME_AVENANT, TRAME_CONVENTION

SOURCE = "x.yaml"
PARTENAIRES: list[str] | None = None  # set from --partenaire; None: the full catalogue
DEFAULT_AS_OF = dt.date(2026, 11, 26)
# Issue 19, full catalogue, one core, CPU clock:
TARGET_ENGINE = 200.0  # dossiers/s, (b) the engine part
TARGET_END_TO_END = 100.0  # dossiers/s, (a) YAML text -> JSON text
TARGET_RATIO = 1.5  # durable time / python time, (b)
CLOCK = time.process_time  # set from --horloge
ENGINE_STAGES = ("prepare", "build_facts", "evaluate", "build_findings", "verdicts")

# =============================================================================================
# Generator
# =============================================================================================

PREFIXES = [
    "Saint-",
    "Mont",
    "Belle",
    "Ville",
    "Val-",
    "Roche",
    "Bourg",
    "Pont-",
    "Clair",
    "Fontaine-",
    "Château-",
    "Sainte-",
    "Beau",
    "Neuf",
    "Haute-",
    "Long",
    "Vieux-",
    "Grand-",
]
ROOTS = [
    "Aubin",
    "Lys",
    "Marne",
    "Forges",
    "Loire",
    "Sorgue",
    "Vienne",
    "Aven",
    "Orne",
    "Dore",
    "Isle",
    "Brenne",
    "Cher",
    "Eure",
    "Sarthe",
    "Meuse",
    "Creuse",
    "Saône",
    "Tarn",
    "Lot",
    "Gers",
    "Aude",
]
SUFFIXES = ["", "", "", "-sur-Mer", "-les-Bains", "-en-Vallée", "-le-Château", "-sur-Loire", "-la-Forêt"]
FIRST = [
    "Claire",
    "Paul",
    "Anne",
    "Julien",
    "Sophie",
    "Marc",
    "Nathalie",
    "Hugo",
    "Léa",
    "Étienne",
    "Camille",
    "Thomas",
    "Inès",
    "Bruno",
    "Chloé",
    "Olivier",
    "Agnès",
    "Rémi",
    "Zoé",
    "Yves",
]
LAST = [
    "Martin",
    "Durand",
    "Leroy",
    "Petit",
    "Moreau",
    "Lefèvre",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
]
STREETS = [
    "rue de la République",
    "rue Nationale",
    "place du Marché",
    "rue des Tanneurs",
    "quai de la Loire",
    "rue Victor-Hugo",
    "rue Gambetta",
    "boulevard Carnot",
    "rue du Pont",
    "place de l'Hôtel-de-Ville",
    "rue des Halles",
    "rue Pasteur",
    "avenue de la Gare",
    "rue Jean-Jaurès",
    "impasse des Cordiers",
]
DIAGNOSTICS = [
    "Vacance de {p} % des logements du centre ancien, concentrée dans les étages au-dessus des commerces.",
    "Vacance commerciale de {p} % sur l'axe marchand principal, avec une fragilité des cellules de moins de 50 m².",
    "Gare à {k} km du centre, liaisons piétonnes et cyclables discontinues, stationnement saturé les jours de marché.",
    "Patrimoine bâti remarquable mais peu mis en valeur ; espaces publics minéralisés et peu ombragés.",
    "Équipements culturels et sportifs vieillissants, implantés en périphérie et peu accessibles sans voiture.",
    "Population du centre en baisse de {p} % en dix ans, vieillissement marqué et revenus inférieurs à la moyenne.",
    "Parc de logements anciens énergivores : {p} % des résidences principales construites avant 1948.",
]
OBJECTIFS = [
    "Remettre {n} logements vacants sur le marché",
    "Ramener la vacance commerciale sous {p} %",
    "Relier la gare au centre à pied et à vélo",
    "Requalifier {n} places et rues du centre",
    "Rénover la médiathèque et le cinéma",
    "Accueillir {n} ménages supplémentaires en centre-ville",
    "Créer une maison de santé pluriprofessionnelle",
    "Réduire de {p} % la consommation énergétique des logements",
]
ACTIONS = [
    (1, "Étude pré-opérationnelle OPAH-RU"),
    (1, "OPAH-RU multisite"),
    (1, "Recyclage d'îlot dégradé"),
    (1, "Opération de restauration immobilière"),
    (1, "Aide au ravalement de façades"),
    (2, "Manager de centre-ville"),
    (2, "Foncière de redynamisation commerciale"),
    (2, "Halles couvertes"),
    (2, "Boutique à l'essai"),
    (2, "Signalétique commerciale"),
    (3, "Liaison douce gare – centre"),
    (3, "Pôle d'échanges multimodal"),
    (3, "Plan de jalonnement"),
    (3, "Parking relais"),
    (4, "Requalification de la place du Marché"),
    (4, "Aménagement des quais"),
    (4, "Mise en lumière du patrimoine"),
    (4, "Végétalisation des cours d'école"),
    (5, "Rénovation de la médiathèque"),
    (5, "Maison de santé"),
    (5, "Tiers-lieu numérique"),
    (5, "Conservatoire de musique"),
]
FINANCEURS = [
    ("Banque des Territoires", "cdc"),
    ("Anah", "anah"),
    ("Action Logement Services", "action_logement"),
    ("Région", "region"),
    ("Département", "departement"),
    ("État (DSIL)", "prefet"),
    ("État (FNADT)", "prefet"),
]
INDICATEURS = [
    ("Logements remis sur le marché", "resultats", "logements"),
    ("Taux de vacance commerciale", "resultats", "%"),
    ("Crédits engagés", "moyens", "euros"),
    ("Fréquentation du centre-ville", "resultats", "visiteurs/jour"),
    ("Actions engagées", "moyens", "actions"),
    ("Surface d'espaces publics requalifiés", "resultats", "m²"),
    ("Commerces ouverts", "resultats", "commerces"),
    ("Études lancées", "moyens", "études"),
    ("Population du centre", "resultats", "habitants"),
    ("Comités de projet tenus", "moyens", "réunions"),
    ("Logements rénovés (OPAH)", "resultats", "logements"),
    ("Ingénierie mobilisée", "moyens", "ETP"),
]
DEPARTEMENTS = [f"{d:02d}" for d in range(1, 96) if d != 20]
PHASE_1_LIMIT = dt.date(2020, 3, 31)
PHASE_2_START = dt.date(2023, 1, 1)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A date in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, span)) if span > 0 else start


def _euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _ring(rng: random.Random, lon0: float, lat0: float, radius_m: float, jitter: float = 0.06) -> list[list[float]]:
    """A closed star-shaped ring (always a valid polygon) of 20-50 vertices around a centre."""
    n = rng.randint(20, 50)
    k = 111_320.0
    coslat = math.cos(math.radians(lat0))
    angles = sorted(rng.uniform(0, 6.283185307179586) for _ in range(n))
    ring = []
    for a in angles:
        r = radius_m * (1 + rng.uniform(-jitter, jitter))
        ring.append([round(lon0 + r * math.cos(a) / (k * coslat), 6), round(lat0 + r * math.sin(a) / k, 6)])
    ring.append(list(ring[0]))
    return ring


def _offset(lon0: float, lat0: float, dist_m: float, angle: float) -> tuple[float, float]:
    k = 111_320.0
    return lon0 + dist_m * math.cos(angle) / (k * math.cos(math.radians(lat0))), lat0 + dist_m * math.sin(angle) / k


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` cents in `parts` positive amounts that add up exactly."""
    weights = [rng.uniform(0.5, 2.0) for _ in range(parts)]
    s = sum(weights)
    out = [int(total * w / s) for w in weights[:-1]]
    out.append(total - sum(out))
    return out


def make_dossier(i: int, rng: random.Random, as_of: dt.date = DEFAULT_AS_OF) -> dict:
    """A realistic dossier as plain data (what yaml.safe_load of a dossier.yaml gives).

    About 40 % of the dossiers are clean; the others carry one or more of the gaps an
    instructor meets: missing sections, a budget that does not add up, a late avenant or
    engagement, a missing signatory, a sector drawn outside the perimeter, a date in the future.
    """
    gap = lambda p: rng.random() < p  # noqa: E731 - gaps drawn per dossier
    clean = rng.random() < 0.4
    if clean:
        gap = lambda p: False  # noqa: E731

    dept = rng.choice(DEPARTEMENTS)
    insee = f"{dept}{rng.randint(1, 899):03d}"
    ville = f"{rng.choice(PREFIXES)}{rng.choice(ROOTS)}{rng.choice(SUFFIXES)}"
    epci = f"Communauté d'agglomération {rng.choice(['du', 'de la', 'des'])} {rng.choice(ROOTS)}"
    ville_org = f"Ville de {ville}"

    # --- calendar: phase 1 (2018-2019 convention) or phase 2 (2023) ---------------------------
    phase_2 = rng.random() < 0.25
    if phase_2:
        d_conv = _day(rng, dt.date(2023, 1, 15), dt.date(2023, 9, 30))
        d_aven = d_conv + dt.timedelta(days=rng.randint(150, 500))
        engagement_end = dt.date(2026, 12, 31)
    else:
        d_conv = _day(rng, dt.date(2018, 6, 1), dt.date(2019, 3, 31))
        d_aven = min(d_conv + dt.timedelta(days=rng.randint(180, 520)), _day(rng, dt.date(2019, 10, 1), PHASE_1_LIMIT))
        engagement_end = dt.date(2022, 12, 31)
    if gap(0.12):  # late avenant: beyond 18 months (and beyond the phase-1 deadline)
        d_aven = d_conv + dt.timedelta(days=rng.randint(570, 800))
    avenant_signe = not gap(0.06)
    d_comite = d_conv - dt.timedelta(days=rng.randint(30, 150))
    d_directeur = d_comite - dt.timedelta(days=rng.randint(0, 60))

    # --- convention-cadre -----------------------------------------------------------------------
    signataires = [
        {
            "role": "ville_centre",
            "organisme": ville_org,
            "nom": _person(rng),
            "qualite": "maire",
            "date_signature": d_conv,
        },
        {
            "role": "intercommunalite",
            "organisme": epci,
            "nom": _person(rng),
            "qualite": "président",
            "date_signature": d_conv,
        },
        {
            "role": "prefet",
            "organisme": f"Préfecture ({dept})",
            "nom": _person(rng),
            "qualite": "préfet",
            "date_signature": d_conv,
        },
        {"role": "cdc", "organisme": "Banque des Territoires", "qualite": "directeur régional"},
        {"role": "action_logement", "organisme": "Action Logement Services"},
        {"role": "anah", "organisme": "Anah", "qualite": "délégué local"},
        {"role": "region", "organisme": "Région", "nom": _person(rng)},
        {"role": "departement", "organisme": "Département", "nom": _person(rng)},
    ]
    quartiers = []
    if rng.random() < 0.2:  # a NPNRU quartier: the ANRU must sign
        quartiers.append(
            {
                "code_qpv": f"QP0{dept}{rng.randint(1, 99):03d}",
                "nom": f"Quartier {rng.choice(ROOTS)}",
                "programme": rng.choice(["NPNRU_national", "NPNRU_regional"]),
            }
        )
        if not gap(0.3):
            signataires.append({"role": "anru", "organisme": "ANRU"})
    if gap(0.08):
        required = [s for s in signataires if s["role"] in {"cdc", "action_logement", "anah", "intercommunalite"}]
        signataires.remove(rng.choice(required))
    deliberations = [
        {
            "organe": "commune",
            "date": d_conv - dt.timedelta(days=rng.randint(20, 90)),
            "reference": f"DEL-{d_conv.year}-{rng.randint(1, 199):03d}",
        },
        {
            "organe": "intercommunalite",
            "date": d_conv - dt.timedelta(days=rng.randint(10, 80)),
            "reference": f"CC-{d_conv.year}-{rng.randint(1, 299):03d}",
        },
    ]
    if rng.random() < 0.3:
        deliberations.append({"organe": "autre", "date": d_conv - dt.timedelta(days=rng.randint(5, 60))})
    if gap(0.05):
        deliberations.pop(rng.randrange(2))
    trame = dict.fromkeys(TRAME_CONVENTION, True)
    if gap(0.1):
        trame[rng.choice(list(trame))] = False
    cadre = {
        "date_signature": d_conv,
        "duree_annees": rng.choice([5, 5, 6, 7]),
        "signataires": signataires,
        "deliberations": deliberations,
        "contenu": trame,
        "piece": "convention-cadre",
    }
    if gap(0.03):
        del cadre["contenu"]

    # --- perimeters (étude ⊃ intervention ⊃ 3 secteurs) ----------------------------------------------
    lon0, lat0 = rng.uniform(-1.2, 6.8), rng.uniform(43.6, 49.8)
    r_etude, r_interv = rng.uniform(1600, 2400), rng.uniform(800, 1100)
    lon_i, lat_i = _offset(lon0, lat0, rng.uniform(0, 0.25 * (r_etude - r_interv)), rng.uniform(0, 6.28))
    secteurs = []
    for s in range(3):
        r_s = rng.uniform(120, 220)
        dist = rng.uniform(0, 0.6 * r_interv - r_s)
        if s == 2 and gap(0.1):  # a sector drawn across the intervention perimeter
            dist = r_interv * rng.uniform(0.95, 1.2)
        lon_s, lat_s = _offset(lon_i, lat_i, dist, rng.uniform(0, 6.28))
        secteurs.append(
            {
                "id": f"secteur-{s + 1}",
                "nom": f"Secteur {rng.choice(STREETS)}",
                "geometrie": {"type": "Polygon", "coordinates": [_ring(rng, lon_s, lat_s, r_s)]},
            }
        )
    perimetres = {
        "etude": {"type": "Polygon", "coordinates": [_ring(rng, lon0, lat0, r_etude, 0.04)]},
        "intervention": {"type": "Polygon", "coordinates": [_ring(rng, lon_i, lat_i, r_interv, 0.04)]},
        "secteurs_prioritaires": secteurs,
    }
    if gap(0.04):
        del perimetres["etude"]

    # --- fiches actions ---------------------------------------------------------------------
    # Gaps in fiches are drawn per dossier, then land on one or two fiches.
    def some(p: float, k: int = 1) -> set[int]:
        return set(rng.sample(range(40), k)) if gap(p) else set()

    unbalanced = some(0.12, rng.randint(1, 2))  # financing plan that does not balance the cost
    late_engagement = some(0.05)  # an engagement after the programme's deadline
    cre_first = some(0.04)  # regional committee before the local approval
    unsigned = some(0.06)  # a financeur did not sign the fiche
    future = some(0.03)  # signature dated after the evaluation date
    outside = some(0.06)  # action located outside the intervention perimeter
    no_cost = some(0.04)
    no_maitre = some(0.04)
    fiches = []
    porteurs = [ville_org, epci]
    sum_cout = sum_cofin = 0
    approval_max = min(
        as_of - dt.timedelta(days=120), d_aven + dt.timedelta(days=900), engagement_end - dt.timedelta(days=60)
    )
    for f in range(40):
        axe, titre = rng.choice(ACTIONS)
        mature = f < 8 and rng.random() < 0.9
        maitre = rng.choice(porteurs)
        cout = rng.randint(15_000, 2_500_000) * 100 + rng.choice([0, 0, 0, 50, rng.randint(1, 99)])
        n_fin = rng.randint(2, 4)
        parties = rng.sample(FINANCEURS, n_fin - 1)
        amounts = _split(rng, cout, n_fin)  # amounts[0]: the porteur's share
        if f in unbalanced:
            amounts[0] = max(amounts[0] + rng.choice([-1, 1]) * rng.randint(1_000, 50_000) * 100, 100)
        if mature:
            debut = d_conv + dt.timedelta(days=rng.randint(0, 120))
            approval = None
        else:
            approval = _day(rng, d_conv + dt.timedelta(days=30), approval_max)
            debut = approval + dt.timedelta(days=rng.randint(30, 200))
        fin = debut + dt.timedelta(days=rng.randint(180, 1400))
        financement = []
        for (name, role), amount in zip(parties, amounts[1:]):
            eng = _day(rng, (approval or d_conv) - dt.timedelta(days=40), (approval or d_conv) + dt.timedelta(days=120))
            if eng >= engagement_end:
                eng = engagement_end - dt.timedelta(days=rng.randint(1, 60))
            financement.append({"financeur": name, "role": role, "montant": _euros(amount), "date_engagement": eng})
            sum_cofin += amount
        if f in late_engagement:
            financement[-1]["date_engagement"] = engagement_end + dt.timedelta(days=rng.randint(10, 200))
        financement.append({"financeur": maitre, "role": "porteur", "montant": _euros(amounts[0])})
        fiche = {
            "id": f"FA-{f + 1:02d}",
            "intitule": f"{titre} ({f + 1})",
            "axe": axe,
            "maitre_ouvrage": maitre,
            "maturite": "mature" if mature else "a_venir",
            "calendrier": {"debut": debut, "fin": fin},
            "cout": _euros(cout),
            "financement": financement,
        }
        if not mature:
            # approved before the avenant: annexed to it and signed with it; after: signed on its own
            cre = approval + dt.timedelta(days=rng.randint(10, 60))
            if f in cre_first:
                cre = approval - dt.timedelta(days=rng.randint(5, 30))
            signature = max(cre, approval) + dt.timedelta(days=rng.randint(10, 45))
            if avenant_signe and approval <= d_aven:
                signature = d_aven
            signed = [p["financeur"] for p in financement if p["role"] != "porteur"]
            if f in unsigned:
                signed.pop()
            if f in future:
                signature = as_of + dt.timedelta(days=rng.randint(5, 90))
            fiche.update(
                {
                    "date_approbation_comite_projet": approval,
                    "date_comite_regional": cre,
                    "date_signature": signature,
                    "signataires": signed,
                }
            )
        if rng.random() < 0.3 or f in outside:
            dist = r_interv * rng.uniform(1.3, 2.0) if f in outside else rng.uniform(0, 0.7 * r_interv)
            lon_p, lat_p = _offset(lon_i, lat_i, dist, rng.uniform(0, 6.28))
            fiche["localisation"] = {"type": "Point", "coordinates": [round(lon_p, 6), round(lat_p, 6)]}
        if f in no_cost:
            del fiche["cout"]
        else:
            sum_cout += cout
        if mature and f in no_maitre:
            del fiche["maitre_ouvrage"]
        fiches.append(fiche)

    # --- avenant de déploiement -----------------------------------------------------------------------
    total, cofin = sum_cout, sum_cofin
    budget = {"total": _euros(total), "part_cofinanceurs": _euros(cofin), "part_porteur": _euros(max(total - cofin, 0))}
    if gap(0.12):  # avenant total that no longer matches the fiches
        budget["total"] = _euros(total + rng.randint(10_000, 400_000) * 100)
    if gap(0.06):
        del budget["part_porteur"]
    contenu_av = dict.fromkeys(TRAME_AVENANT, True)
    if gap(0.1):
        for k in rng.sample(list(contenu_av), rng.randint(1, 3)):
            contenu_av[k] = False
    avenant = {
        "numero": 1,
        "objet": "deploiement",
        "date_signature": d_aven if avenant_signe else None,
        "signataires": [
            {"role": r, "organisme": o}
            for r, o in (
                ("ville_centre", ville_org),
                ("intercommunalite", epci),
                ("prefet", f"Préfecture ({dept})"),
                ("cdc", "Banque des Territoires"),
                ("region", "Région"),
            )
        ],
        "contenu": contenu_av,
        "budget": budget,
        "piece": "avenant-1",
    }
    if not avenant_signe:
        del avenant["date_signature"]

    # --- gouvernance, préparation ------------------------------------------------------------
    directeur = _person(rng)
    membres = [
        {"nom": _person(rng), "qualite": "elu", "organisme": ville_org},
        {"nom": _person(rng), "qualite": "elu", "organisme": epci},
        {"nom": directeur, "qualite": "directeur_projet"},
        {"nom": _person(rng), "qualite": rng.choice(["prefet", "referent_departemental"]), "organisme": "DDT"},
        {"nom": _person(rng), "qualite": "cdc", "organisme": "Banque des Territoires"},
        {"nom": _person(rng), "qualite": "action_logement", "organisme": "Action Logement"},
        {"nom": _person(rng), "qualite": "anah", "organisme": "Anah"},
        {"nom": _person(rng), "qualite": "region", "organisme": "Région"},
    ]
    if gap(0.08):
        membres = [m for m in membres if m["qualite"] != rng.choice(["cdc", "action_logement"])]
    gouvernance = {
        "directeur_projet": {"nom": directeur, "fonction": "directeur de projet ACV", "date_nomination": d_directeur},
        "comite_projet": {"date_installation": d_comite, "membres": membres},
        "equipe_projet": {
            "operationnelle": not gap(0.05),
            "membres": [{"nom": directeur}]
            + [
                {
                    "nom": _person(rng),
                    "fonction": rng.choice(
                        ["urbaniste", "chargé de mission commerce", "chargée de mission habitat", "juriste"]
                    ),
                }
                for _ in range(rng.randint(2, 4))
            ],
        },
        "partenaires_locaux": [
            "Chambre de commerce et d'industrie",
            f"Office HLM {rng.choice(ROOTS)} Habitat",
            "Union des commerçants",
        ],
    }
    if gap(0.04):
        del gouvernance["directeur_projet"]
    preparation = {
        "contacts_cles": [{"nom": directeur}, {"nom": _person(rng), "fonction": "référent DDT"}],
        "dispositifs_identifies": ["OPAH 2012-2017", "Contrat de ville 2015-2022"] + (["NPNRU"] if quartiers else []),
        "elements_diagnostic": True,
        "trame_etat_utilisee": not gap(0.1),
    }

    # --- axes, sujets, indicateurs ---------------------------------------------------------------------
    def text(pool: list[str]) -> str:
        return rng.choice(pool).format(p=rng.randint(5, 30), k=rng.randint(1, 3), n=rng.randint(10, 200))

    axes = [
        {
            "numero": n,
            "diagnostic": " ".join(text(DIAGNOSTICS) for _ in range(rng.randint(1, 3))),
            "objectifs": [text(OBJECTIFS) for _ in range(rng.randint(1, 3))],
        }
        for n in range(1, 6)
    ]
    if gap(0.06):
        axes[rng.randrange(5)]["objectifs"] = []
    sujets = {
        "innovation": "Plateforme de participation citoyenne et expérimentation de logistique urbaine du dernier "
        "kilomètre.",
        "numerique": "Wifi public, vitrine numérique des commerces et billetterie en ligne des équipements.",
        "animation": "Manager de centre-ville, programme annuel d'événements et marchés nocturnes.",
    }
    if gap(0.06):
        del sujets[rng.choice(list(sujets))]
    indicateurs = [
        {"nom": nom, "type": t, "unite": u, **({"valeur_cible": rng.randint(5, 500)} if rng.random() < 0.7 else {})}
        for nom, t, u in rng.sample(INDICATEURS, rng.randint(8, 12))
    ]
    if gap(0.04):
        indicateurs = [x for x in indicateurs if x["type"] == "resultats"]

    dossier = {
        "id": f"bench-{i:05d}",
        "fictif": True,
        "collectivites": {
            "ville_centre": {"nom": ville, "insee": insee},
            "intercommunalite": {"nom": epci, "siren": f"2{rng.randint(0, 99_999_999):08d}"},
            "autres_communes": [
                {"nom": f"{rng.choice(PREFIXES)}{rng.choice(ROOTS)}", "insee": f"{dept}{rng.randint(1, 899):03d}"}
                for _ in range(rng.randint(0, 3))
            ],
        },
        "convention": {"cadre": cadre, "avenants": [avenant]},
        "gouvernance": gouvernance,
        "preparation": preparation,
        "perimetres": perimetres,
        "axes": axes,
        "sujets_transversaux": sujets,
        "fiches_actions": fiches,
        "indicateurs": indicateurs,
        "pieces": [
            {
                "id": "convention-cadre",
                "type": "convention_cadre",
                "fichier": "convention-cadre-signee.pdf",
                "titre": "Convention-cadre ACV",
            },
            {"id": "avenant-1", "type": "avenant", "fichier": "avenant-1.pdf"},
            {"id": "note-projet", "type": "note_projet_urbain", "fichier": "note-projet-urbain.docx"},
            {"id": "plan-situation", "type": "plan_situation", "fichier": "plan-perimetres.pdf"},
        ],
        "immeubles": [
            {"id": f"IMM-{k:02d}", "adresse": f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {ville}"}
            for k in range(1, 11)
        ],
        "quartiers": quartiers,
    }
    for section, p in (("sujets_transversaux", 0.05), ("indicateurs", 0.05), ("preparation", 0.05)):
        if gap(p):
            del dossier[section]
    if gap(0.02):
        del dossier["gouvernance"]
    return dossier


def dump_yaml(data: dict) -> str:
    """yaml.safe_dump(data, allow_unicode=True), with libyaml's emitter when present (same text, ~4x faster)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)


def make_referentiel(corpus: list[dict], rng: random.Random) -> Referentiel:
    """The official list of ACV communes: ~95 % of the generated towns plus the rest of the 234."""
    communes: dict[str, CommuneACV] = {}
    for k in range(234):
        insee = f"{rng.choice(DEPARTEMENTS)}{rng.randint(900, 999):03d}"
        communes[insee] = CommuneACV(insee, f"Commune {k}", f"ACV{k:03d}")
    for k, d in enumerate(corpus):
        ville = d["collectivites"]["ville_centre"]
        if rng.random() < 0.95:
            communes[ville["insee"]] = CommuneACV(ville["insee"], ville["nom"], f"ACV{500 + k % 500:03d}")
    return Referentiel(source="acv-communes.csv (généré)", communes=communes)


# =============================================================================================
# Measurement helpers
# =============================================================================================


def rss_mib() -> float:
    """Current resident set size (Linux /proc), MiB; nan elsewhere."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mib() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return ru / (1024 * 1024) if sys.platform == "darwin" else ru / 1024  # bytes on macOS, KiB on Linux


def version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "?"


class Bench:
    def __init__(self, texts: list[str], dossiers: list, catalogue, as_of: dt.date, referentiel: Referentiel):
        self.texts, self.dossiers, self.catalogue, self.as_of, self.referentiel = (
            texts,
            dossiers,
            catalogue,
            as_of,
            referentiel,
        )

    # (a) YAML text -> JSON text
    def from_text(self, engine: str, limit: int | None = None) -> float:
        cat, as_of, ref = self.catalogue, self.as_of, self.referentiel
        texts = self.texts[:limit] if limit else self.texts
        t0 = CLOCK()
        for text in texts:
            dossier = validate(yamlio.parse(text, SOURCE), SOURCE)
            report = check_dossier(
                dossier, cat, as_of, referentiel=ref, engine=engine, source=SOURCE, partenaires=PARTENAIRES
            )
            report_json.render(report)
        return CLOCK() - t0

    # (b) Dossier -> report dict
    def from_dossier(self, engine: str, limit: int | None = None) -> float:
        cat, as_of, ref = self.catalogue, self.as_of, self.referentiel
        dossiers = self.dossiers[:limit] if limit else self.dossiers
        t0 = CLOCK()
        for dossier in dossiers:
            report_json.report_dict(
                check_dossier(
                    dossier, cat, as_of, referentiel=ref, engine=engine, source=SOURCE, partenaires=PARTENAIRES
                )
            )
        return CLOCK() - t0

    def staged(self, text: str, engine: str, acc: dict[str, float]) -> tuple[Report, list, str]:
        """check_dossier's steps one by one (instruct/check.py), each timed into `acc`."""
        pc = CLOCK
        t0 = pc()
        data = yamlio.parse(text, SOURCE)
        t1 = pc()
        dossier = validate(data, SOURCE)
        t2 = pc()
        rulesets = self.catalogue.select(PARTENAIRES)
        prepared = prepared_rules(self.catalogue, rulesets, self.as_of)
        t3 = pc()
        facts = build_facts(dossier, self.as_of, self.referentiel, {p.rule.scope for p in prepared})
        t4 = pc()
        outcomes = ENGINES[engine](prepared, facts)
        t5 = pc()
        findings = build_findings(prepared, facts, outcomes, facts[0])
        t6 = pc()
        report = assemble_report(dossier, rulesets, facts, findings, self.as_of, self.referentiel, SOURCE)
        t7 = pc()
        out = report_json.render(report)
        t8 = pc()
        for name, a, b in (
            ("parse", t0, t1),
            ("validate", t1, t2),
            ("prepare", t2, t3),
            ("build_facts", t3, t4),
            ("evaluate", t4, t5),
            ("build_findings", t5, t6),
            ("verdicts", t6, t7),
            ("render", t7, t8),
        ):
            acc[name] = acc.get(name, 0.0) + (b - a)
        return report, facts, out


STAGES = ("parse", "validate", "prepare", "build_facts", "evaluate", "build_findings", "verdicts", "render")


def fmt_rate(seconds: float, n: int) -> str:
    return f"{n / seconds:9.1f}" if seconds > 0 else "      inf"


def engine_stages(bench: Bench, engines: list[str], repeat: int) -> dict[str, dict[str, list[float]]]:
    """The engine part's steps (check_dossier's, without render) timed one by one over the validated
    dossiers, `repeat` passes per engine, interleaved: engine -> stage -> seconds per dossier, per pass.
    Only public functions that the reference commit has too, so that --reference can run it there."""
    out: dict[str, dict[str, list[float]]] = {e: {k: [] for k in ENGINE_STAGES} for e in engines}
    cat, as_of, ref = bench.catalogue, bench.as_of, bench.referentiel
    n = len(bench.dossiers)
    for _ in range(repeat):
        for engine in engines:
            evaluate = ENGINES[engine]
            acc = dict.fromkeys(ENGINE_STAGES, 0.0)
            for dossier in bench.dossiers:
                t0 = CLOCK()
                rulesets = cat.select(PARTENAIRES)
                prepared = prepared_rules(cat, rulesets, as_of)
                t1 = CLOCK()
                facts = build_facts(dossier, as_of, ref, {p.rule.scope for p in prepared})
                t2 = CLOCK()
                outcomes = evaluate(prepared, facts)
                t3 = CLOCK()
                findings = build_findings(prepared, facts, outcomes, facts[0])
                t4 = CLOCK()
                assemble_report(dossier, rulesets, facts, findings, as_of, ref, SOURCE)
                t5 = CLOCK()
                for name, a, b in zip(ENGINE_STAGES, (t0, t1, t2, t3, t4), (t1, t2, t3, t4, t5)):
                    acc[name] += b - a
            for name in ENGINE_STAGES:
                out[engine][name].append(acc[name] / n)
    return out


def run_reference(args: argparse.Namespace, engines: list[str]) -> tuple[dict, dict]:
    """engine_stages of this code and of the reference commit, each in child processes (same
    generator and corpus, same clock), alternated `--repeat` times, one pass per child: a child whose
    `instruct` is the reference checkout's (ACV_BENCH_CODE) against a child identical but for the code,
    so that neither pays for what the other holds, and drift on a shared machine hits both alike."""
    import json

    command = [sys.executable, str(Path(__file__).resolve()), "--stages-only", "--n", str(args.n)]
    command += ["--repeat", "1", "--seed", str(args.seed), "--date", args.date.isoformat()]
    command += ["--horloge", args.horloge, "--engine", args.engine]
    for item in args.partenaire or []:
        command += ["--partenaire", item]
    results: dict[str, dict] = {"now": {}, "ref": {}}
    with common.reference_tree(common.REFERENCE) as tree:
        for _ in range(args.repeat):
            for side, code in (("now", common.ROOT), ("ref", tree)):
                env = {**os.environ, "ACV_BENCH_CODE": str(code)}
                done = subprocess.run(command, cwd=code, env=env, capture_output=True, text=True, timeout=3600)
                if done.returncode != 0:
                    sys.exit(f"mesure des étapes ({code}) en échec\n{done.stderr[-2000:]}")
                for engine, by_stage in json.loads(done.stdout.splitlines()[-1]).items():
                    for stage, values in by_stage.items():
                        results[side].setdefault(engine, {}).setdefault(stage, []).extend(values)
    return results["now"], results["ref"]


def stage_lines(
    stages: dict[str, dict[str, list[float]]], engines: list[str], before: dict | None, n: int
) -> list[str]:
    """Per engine and stage: µs per dossier (median and range); with the reference, its figures and the ratio."""
    out = []
    for engine in engines:
        out.append(f"  {engine}:")
        parts = {"now": [sum(v) for v in zip(*stages[engine].values())]}
        if before:
            parts["ref"] = [sum(v) for v in zip(*before[engine].values())]
        rows = [(k, stages[engine][k], before[engine][k] if before else None) for k in ENGINE_STAGES]
        rows.append(("engine part", parts["now"], parts.get("ref")))
        for name, now, ref in rows:
            line = f"    {name:<16}{common.summary(now, 1e6, 'µs'):>24}"
            if ref is not None:
                line += f"   {common.REFERENCE}: {common.summary(ref, 1e6, 'µs'):>24}"
                line += f"   {statistics.median(ref) / statistics.median(now):5.2f}x faster"
            out.append(line)
        rate = 1 / statistics.median(parts["now"])
        line = f"    engine part rate: {rate:.1f} dossiers/s"
        if before:
            line += f" ({common.REFERENCE}: {1 / statistics.median(parts['ref']):.1f}/s)"
        out.append(line)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="dossiers generated (default 1000)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed passes per pipeline and engine; the median is reported (default 3)"
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--engine", choices=("both", "durable", "python"), default="both")
    parser.add_argument(
        "--date", type=dt.date.fromisoformat, default=DEFAULT_AS_OF, help=f"evaluation date (default {DEFAULT_AS_OF})"
    )
    parser.add_argument(
        "--partenaire",
        action="append",
        default=None,
        help="rule sets to evaluate, as for `acv check` (default: the full catalogue)",
    )
    common.add_clock_argument(parser, default="cpu")
    parser.add_argument(
        "--reference",
        action="store_true",
        help=f"also time the engine stages of commit {common.REFERENCE} (before issue 19) in a child process",
    )
    parser.add_argument("--stages-only", action="store_true", help=argparse.SUPPRESS)  # what --reference runs
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument(
        "--trace-n", type=int, default=None, help="dossiers in the tracemalloc pass (default: all; it runs ~5x slower)"
    )
    args = parser.parse_args(argv)
    global CLOCK, PARTENAIRES
    CLOCK = common.clock(args)
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be >= 1")
    engines = ["durable", "python"] if args.engine == "both" else [args.engine]
    as_of = args.date
    rss: list[tuple[str, float]] = [("start (imports)", rss_mib())]

    # --- setup (untimed) ---------------------------------------------------------------------------
    t0 = CLOCK()
    catalogue = load_catalogue()
    t_catalogue = CLOCK() - t0
    PARTENAIRES = [p for item in args.partenaire for p in item.split(",")] if args.partenaire else None
    rulesets = catalogue.select(PARTENAIRES)
    n_rules = sum(len(rs.rules) for rs in rulesets)

    t0 = CLOCK()
    rng = random.Random(args.seed)
    corpus = [make_dossier(i, rng, as_of) for i in range(args.n)]
    referentiel = make_referentiel(corpus, random.Random(args.seed + 1))
    t_gen = CLOCK() - t0
    t0 = CLOCK()
    texts = [dump_yaml(d) for d in corpus]
    t_dump = CLOCK() - t0
    # the text must say what the data says (yamlio keeps dates as text: compare validated models)
    first_roundtrip = texts[0] == yaml.safe_dump(corpus[0], allow_unicode=True, sort_keys=False) and validate(
        yamlio.parse(texts[0], SOURCE), SOURCE
    ) == validate(corpus[0], SOURCE)
    del corpus
    gc.collect()
    rss.append(("corpus generated (YAML texts)", rss_mib()))
    bench = Bench(texts, [], catalogue, as_of, referentiel)
    if args.stages_only:  # the reference's figures, for the parent run (--reference): one JSON line
        import json

        bench.dossiers = [validate(yamlio.parse(t, SOURCE), SOURCE) for t in texts]
        for engine in engines:
            bench.from_dossier(engine, min(20, args.n))
        gc.collect()
        gc.freeze()
        print(json.dumps(engine_stages(bench, engines, args.repeat)))
        return 0
    sizes = [len(t.encode("utf-8")) for t in texts]
    diag_n = min(args.n, 200)

    # --- warm-up: the durable compile first, on its own ------------------------------------------------
    warm: list[str] = []
    first_dossier = validate(yamlio.parse(texts[0], SOURCE), SOURCE)
    if "durable" in engines:
        prepared = prepare(rulesets, catalogue.parameters, as_of)
        compile_fn = getattr(engine_durable, "_compile", None)
        if compile_fn is not None and not getattr(engine_durable, "_CACHE", {1: 1}):
            t0 = CLOCK()
            compiled = compile_fn(prepared)
            t_compile = CLOCK() - t0
            warm.append(
                f"durable ruleset compile (first call, cached per process): {t_compile * 1e3:.1f} ms "
                f"({len(compiled.actions)} durable rules from {n_rules} rules)"
            )
        else:  # the adapter changed: time the first evaluation, compile included
            facts = build_facts(first_dossier, as_of, referentiel)
            t0 = CLOCK()
            engine_durable.evaluate(prepared, facts)
            warm.append(f"durable first evaluate (compile + one dossier): {(CLOCK() - t0) * 1e3:.1f} ms")
    for engine in engines:
        t0 = CLOCK()
        check_dossier(first_dossier, catalogue, as_of, referentiel=referentiel, engine=engine, partenaires=PARTENAIRES)
        first = CLOCK() - t0
        bench.from_text(engine, min(20, args.n))
        warm.append(
            f"{engine}: first check_dossier {first * 1e3:.1f} ms, then {min(20, args.n)} dossiers of (a) and (b) to "
            "warm up"
        )
    rss.append(("after warm-up", rss_mib()))

    # --- GC, service-like: only the YAML texts (not tracked by the GC) are held, nothing frozen ----------
    gc_service = {e: diag_n / bench.from_text(e, diag_n) for e in engines}

    # --- the Dossier objects of pipeline (b), then freeze everything held so far ----------------------
    t0 = CLOCK()
    bench.dossiers = [validate(yamlio.parse(t, SOURCE), SOURCE) for t in texts]  # InputError here = generator bug
    t_validate_all = CLOCK() - t0
    dossiers = bench.dossiers
    for engine in engines:
        bench.from_dossier(engine, min(20, args.n))
    rss.append((f"{args.n} Dossier objects held", rss_mib()))
    # The corpus is scaffolding: without this, every full collection walks the N Dossier objects
    # and the rate would fall as N grows (see the GC lines of the report).
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()

    # --- throughput ---------------------------------------------------------------------------------
    times: dict[tuple[str, str], list[float]] = {}
    rss_passes: list[float] = []
    for _ in range(args.repeat):
        for engine in engines:  # engines interleaved so that drift hits both alike
            times.setdefault(("a", engine), []).append(bench.from_text(engine))
            times.setdefault(("b", engine), []).append(bench.from_dossier(engine))
        rss_passes.append(rss_mib())
    rss.append(("after timed passes", rss_mib()))
    med = {k: statistics.median(v) for k, v in times.items()}

    # --- the engine part's stages, over the same frozen corpus (and the reference's, in a child) -------
    if args.reference:
        stages, before = run_reference(args, engines)
    else:
        stages, before = engine_stages(bench, engines, args.repeat), None

    # --- GC switched off: what the collector costs -------------------------------------------------------
    gc.disable()
    gc_off = {e: diag_n / bench.from_text(e, diag_n) for e in engines}
    gc.enable()

    # --- one staged pass per engine (+ statistics, agreement, fidelity to check_dossier) ----------------
    stage_acc: dict[str, dict[str, float]] = {}
    per_engine_comparable: dict[str, list] = {}
    n_facts: list[int] = []
    n_findings: list[int] = []
    verdicts: Counter = Counter()
    statuses: Counter = Counter()
    fidelity_ok = True
    for engine in engines:
        acc: dict[str, float] = {}
        comparables = []
        for k, text in enumerate(texts):
            report, facts, out = bench.staged(text, engine, acc)
            comparables.append(hash(tuple(sorted(f.comparable() for f in report.findings))))
            if engine == engines[0]:
                n_facts.append(len(facts))
                n_findings.append(len(report.findings))
                verdicts.update(f"{code} {r.verdict}" for code, r in report.rulesets.items())
                statuses.update(f.status for f in report.findings)
            if k < 5:  # the staged pipeline must give exactly check_dossier's report
                ref_out = report_json.render(
                    check_dossier(
                        dossiers[k],
                        catalogue,
                        as_of,
                        referentiel=referentiel,
                        engine=engine,
                        source=SOURCE,
                        partenaires=PARTENAIRES,
                    )
                )
                fidelity_ok &= ref_out == out
        stage_acc[engine] = acc
        per_engine_comparable[engine] = comparables
    agree = None
    if len(engines) == 2:
        agree = sum(a == b for a, b in zip(per_engine_comparable["durable"], per_engine_comparable["python"]))

    # --- tracemalloc: one dedicated pass per engine (pipeline a) -------------------------------------------
    traced: dict[str, tuple[float, float, float]] = {}
    trace_n = min(args.trace_n or args.n, args.n)
    if not args.no_tracemalloc:
        for engine in engines:
            gc.collect()
            tracemalloc.start()
            t0 = CLOCK()
            bench.from_text(engine, trace_n)
            elapsed = CLOCK() - t0
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            traced[engine] = (peak / 2**20, current / 2**20, trace_n / elapsed)
        rss.append(("after tracemalloc passes", rss_mib()))

    # --- report -------------------------------------------------------------------------------------
    n = args.n
    out = []
    w = out.append
    w(common.header("acv-instruct — engine benchmark (benchmarks/engine.py)", args))
    w(
        f"Python {platform.python_version()} ({platform.python_implementation()}) on {platform.system()} "
        f"{platform.machine()}; "
        f"os.cpu_count()={os.cpu_count()}, "
        f"usable={len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}; "
        f"single process, single thread, not pinned"
    )
    w(
        f"durable-rules {version('durable-rules')}, pydantic {version('pydantic')}, shapely {version('shapely')}, "
        f"PyYAML {version('PyYAML')} (libyaml C loader: {'yes' if hasattr(yaml, 'CSafeLoader') else 'NO'})"
    )
    w(
        f"rules: {', '.join(rs.code for rs in rulesets)} ({n_rules} rules), catalogue load {t_catalogue * 1e3:.0f} ms; "
        f"as_of {as_of}; n={n}, repeat={args.repeat} (median), seed={args.seed}, engine={args.engine}"
    )
    w("")
    w(
        f"corpus: generated in {t_gen:.2f} s, YAML dumped in {t_dump:.2f} s, parsed+validated once (GC on, nothing "
        f"frozen) in {t_validate_all:.2f} s; "
        f"YAML text validates to the same Dossier as the data: {'yes' if first_roundtrip else 'NO'}"
    )
    w(
        f"  YAML size per dossier: mean {statistics.mean(sizes) / 1024:.1f} KiB (min {min(sizes) / 1024:.1f}, max "
        f"{max(sizes) / 1024:.1f}); "
        f"40 fiches, 3 secteurs, 10 immeubles each"
    )
    w(
        f"  facts per dossier: mean {statistics.mean(n_facts):.1f} (min {min(n_facts)}, max {max(n_facts)}); "
        f"findings per dossier: mean {statistics.mean(n_findings):.1f} (min {min(n_findings)}, max {max(n_findings)})"
    )
    w(
        "  verdicts (per rule set, share of dossiers): "
        + ", ".join(f"{v} {c} ({100 * c / n:.0f} %)" for v, c in sorted(verdicts.items()))
    )
    total_f = sum(statuses.values())
    w("  statuses: " + ", ".join(f"{s} {100 * c / total_f:.1f} %" for s, c in statuses.most_common()))
    if agree is not None:
        w(f"  durable and python outcomes identical on {agree}/{n} dossiers")
    w(
        f"  staged pass reproduces check_dossier's JSON exactly (first {min(5, n)} dossiers): "
        f"{'yes' if fidelity_ok else 'NO'}"
    )
    w("")
    w("warm-up:")
    for line in warm:
        w("  " + line)
    w("")
    hdr = f"{'throughput, dossiers/s (median of ' + str(args.repeat) + ')':<52}" + "".join(f"{e:>10}" for e in engines)
    if len(engines) == 2:
        hdr += f"{'durable/python time':>22}"
    w(hdr)
    for key, label in (
        ("a", "(a) end to end: YAML text -> JSON report"),
        ("b", "(b) engine part: Dossier -> report_dict"),
    ):
        line = f"{label:<52}" + "".join(f"{n / med[(key, e)]:10.1f}" for e in engines)
        if len(engines) == 2:
            line += f"{med[(key, 'durable')] / med[(key, 'python')]:21.2f}x"
        w(line)
        spread = "; ".join(
            f"{e} {min(n / t for t in times[(key, e)]):.1f}–{max(n / t for t in times[(key, e)]):.1f}" for e in engines
        )
        w(f"{'':<6}range over passes: {spread}")
    w(f"{'ms per dossier, (a)':<52}" + "".join(f"{1e3 * med[('a', e)] / n:10.2f}" for e in engines))
    w(f"{'ms per dossier, (b)':<52}" + "".join(f"{1e3 * med[('b', e)] / n:10.2f}" for e in engines))
    w(f"GC, pipeline (a), one pass over {diag_n} dossiers (dossiers/s):")
    w(
        f"{'  service-like: only YAML texts held, nothing frozen':<52}"
        + "".join(f"{gc_service[e]:10.1f}" for e in engines)
    )
    w(
        f"{'  timed passes above: corpus frozen (gc.freeze)':<52}"
        + "".join(f"{n / med[('a', e)]:10.1f}" for e in engines)
        + f"   ({frozen} objects frozen)"
    )
    w(f"{'  GC disabled':<52}" + "".join(f"{gc_off[e]:10.1f}" for e in engines))
    checks = [
        f"(b) >= {TARGET_ENGINE:.0f}/s: "
        + ", ".join(f"{e} {'PASS' if n / med[('b', e)] >= TARGET_ENGINE else 'FAIL'}" for e in engines),
        f"(a) >= {TARGET_END_TO_END:.0f}/s: "
        + ", ".join(f"{e} {'PASS' if n / med[('a', e)] >= TARGET_END_TO_END else 'FAIL'}" for e in engines),
    ]
    if len(engines) == 2:
        ratio = med[("b", "durable")] / med[("b", "python")]
        checks.append(
            f"durable <= {TARGET_RATIO}x python (b): {'PASS' if ratio <= TARGET_RATIO else 'FAIL'} ({ratio:.2f}x)"
        )
    w("targets: " + "; ".join(checks))
    w("")
    w("stage breakdown, one pass of pipeline (a) per engine (µs per dossier, share of the pass):")
    w(f"  {'stage':<16}" + "".join(f"{e:>22}" for e in engines))
    totals = {e: sum(stage_acc[e].values()) for e in engines}
    for stage in STAGES:
        w(
            f"  {stage:<16}"
            + "".join(
                f"{1e6 * stage_acc[e][stage] / n:12.0f} µs {100 * stage_acc[e][stage] / totals[e]:5.1f} %"
                for e in engines
            )
        )
    w(f"  {'total':<16}" + "".join(f"{1e6 * totals[e] / n:12.0f} µs ({n / totals[e]:5.0f}/s)" for e in engines))
    if len(engines) == 2:

        def engine_part(engine: str) -> float:
            return sum(stage_acc[engine][k] for k in STAGES[2:8])

        w(
            "  evaluate stage alone: durable/python time "
            f"{stage_acc['durable']['evaluate'] / stage_acc['python']['evaluate']:.2f}x; "
            "engine part without parse/validate/json: "
            f"{engine_part('durable') / engine_part('python'):.2f}x"
        )
    w(
        "  (prepare = catalogue.select + check.prepared_rules (cached per date); verdicts = per-ruleset "
        "verdict/counts + Report;"
    )
    w("   render = report_json.render: report_dict + JSON text)")
    w("")
    w(
        f"engine part by stage, validated dossiers, {args.repeat} passes (µs per dossier, median and range"
        + (
            f";\n  this code and commit {common.REFERENCE} each in {args.repeat} child processes, alternated, "
            "same corpus)"
            if before
            else ")"
        )
    )
    out.extend(stage_lines(stages, engines, before, n))
    w("")
    w("memory:")
    w(
        f"  peak RSS of the process (ru_maxrss): {peak_rss_mib():.1f} MiB (includes the {n} YAML texts and Dossier "
        "objects held for the run)"
    )
    w("  current RSS: " + "; ".join(f"{label} {value:.1f}" for label, value in rss) + " MiB")
    w(
        "  current RSS after each timed repeat: "
        + ", ".join(f"{v:.1f}" for v in rss_passes)
        + f" MiB ({len(engines) * 2 * n} evaluations per repeat; flat = no per-dossier leak, e.g. durable sessions)"
    )
    for engine, (peak, current, rate) in traced.items():
        w(
            f"  tracemalloc, one pass of (a) over {trace_n} dossiers, {engine}: peak {peak:.2f} MiB, still "
            f"allocated after the pass {current:.2f} MiB "
            f"({rate:.0f} dossiers/s under tracing; Python heap only: the durable C engine's malloc is not traced)"
        )
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
