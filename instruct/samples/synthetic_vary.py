"""Varying a template dossier (as a dict): what each template is (its centre, date window, names
to replace), the templates read, dates shifted, geometry translated, texts replaced, amounts
scaled with balanced plans, and the building blocks (immeubles, people) taken from the other
samples into villebelle's frame."""

from __future__ import annotations

import copy
import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from instruct.errors import InputError, Problem
from instruct.samples.synthetic_towns import INTITULES, LAST, STREETS, Town, new_person

# Where each template's geometry is centred (its point in samples/referentiel/acv-communes.csv).
CENTRES = {"villebelle": (2.0, 47.0), "montclair": (3.0, 48.0), "saint-aubin": (1.0, 46.0), "belcastel": (4.0, 49.0)}
# Days the template's dates may move (the programme's deadlines stay met, or missed, as in the template):
# villebelle's and belcastel's conventions-cadres stay signed by 30 September 2018 (PROG-23).
SHIFTS = {"villebelle": (-120, 2), "montclair": (-360, 0), "saint-aubin": (-120, 90), "belcastel": (-100, 16)}
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
    balanced_budgets = [
        a.get("budget") is not None
        and a["budget"]["total"] == sum((Decimal(f.get("cout") or 0) for f in fiches_of(d, a)), Decimal(0))
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


def fiches_of(d: dict, avenant: dict) -> list[dict]:
    """The fiches in an avenant's budget: not approved (or else signed) after its signature (PROG-15)."""
    signed = avenant.get("date_signature")
    dated = [
        (f, f.get("date_approbation_comite_projet") or f.get("date_signature")) for f in d.get("fiches_actions", [])
    ]
    return [f for f, day in dated if signed is None or day is None or day <= signed]


def rebudget_avenant(d: dict, avenant: dict) -> None:
    fiches = fiches_of(d, avenant)
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
        person, gender = new_person(rng, used)
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
        for avenant in d["convention"]["avenants"]:  # the avenant has the convention's partners (PROG-26)
            avenant.setdefault("signataires", []).append({"role": "anru", "organisme": "ANRU"})
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
