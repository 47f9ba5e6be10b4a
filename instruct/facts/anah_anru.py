"""Facts of the ANRU rule set (each quartier), the town's ANRU situation, and the geometry the
Anah facts (anah.py) share with it: the centre-ville, an overlap of two surfaces."""

from __future__ import annotations

from typing import Any

from instruct.facts.base import CONTEXT, Builder, Entity, F, Family, FieldSpec, date_int, financed_by_anru
from instruct.model.dossier import Dossier
from instruct.model.geometry import inclusion, union

TYPES: dict[str, dict[str, FieldSpec]] = {
    "quartier": {
        **CONTEXT,
        "programme": F(
            "str",
            "programme ANRU du quartier",
            True,
            definition="Programme ANRU du quartier (NPNRU_national, NPNRU_regional, PNRQAD…).",
        ),
        "npnru": F(
            "bool",
            "quartier du NPNRU",
            True,
            definition="Vrai si le programme du quartier est un NPNRU (national ou régional).",
        ),
        "intersecte_intervention": F(
            "bool",
            "le quartier croise le périmètre d'intervention",
            definition="Vrai si le quartier partage plus d'un demi-m² avec le périmètre d'intervention.",
        ),
        "intersection_m2": F(
            "m2",
            "surface commune au quartier et au périmètre d'intervention",
            derived_from=("intersecte_intervention",),
            definition="Surface commune au quartier et au périmètre d'intervention, en m² (arrondie au m²).",
        ),
        "intersection_pct": F(
            "pct",
            "part du quartier dans le périmètre d'intervention",
            derived_from=("intersecte_intervention",),
            definition="Part de la surface du quartier dans le périmètre d'intervention, en % au centième.",
        ),
        "convention_referencee": F(
            "bool",
            "les deux conventions (ACV, renouvellement urbain) sont référencées",
            definition=(
                "Vrai si le quartier déclare les deux conventions (ACV, renouvellement urbain) "
                "référencées l'une dans l'autre."
            ),
        ),
        "coherence_projets": F(
            "bool",
            "objectifs, gouvernance, moyens et calendriers mis en cohérence",
            definition=("Vrai si le quartier déclare objectifs, gouvernance, moyens et calendriers mis en cohérence."),
        ),
        "articulation_pnrqad": F(
            "bool",
            "articulation avec le PNRQAD exposée",
            definition="Vrai si l'articulation avec le PNRQAD est déclarée exposée.",
        ),
        "date_comite_engagement": F(
            "date", "comité d'engagement NPNRU", definition="Date du comité d'engagement NPNRU du quartier."
        ),
        "date_comite_regional": F(
            "date",
            "premier comité régional des financeurs d'une action financée par l'ANRU",
            definition=(
                "Date du premier comité régional des financeurs parmi les fiches actions financées par l'ANRU."
            ),
        ),
        "jours_ce_avant_crf": F(
            "int",
            "jours entre le comité d'engagement NPNRU et le comité régional",
            derived_from=("date_comite_engagement", "date_comite_regional"),
            definition=(
                "Nombre de jours du comité d'engagement NPNRU au premier comité régional des "
                "financeurs (négatif si celui-ci précède)."
            ),
        ),
    },
}


def situation_anru(d: Dossier) -> str | None:
    if d.quartiers is None:
        return None
    if not d.quartiers:
        return "aucun"
    if any(q.programme == "PNRQAD" for q in d.quartiers):
        return "pnrqad"
    intervention = d.perimetres.intervention.shape if d.perimetres and d.perimetres.intervention else None
    central = any(
        q.perimetre is not None and intervention is not None and overlaps(q.perimetre.shape, intervention)
        for q in d.quartiers
    )
    if not central and (intervention is None or any(q.perimetre is None for q in d.quartiers)):
        return "npnru_localisation_inconnue"
    return "npnru_centre" if central else "npnru_peripherie"


def centre_surface(d: Dossier):
    """The ville principale's centre-ville as one surface: its ORT secteurs that include a
    centre-ville, else the secteurs prioritaires; None when neither is drawn."""
    ville = d.collectivites.ville_centre.insee if d.collectivites.ville_centre else None
    parts = [
        s.geometrie.shape
        for s in (d.ort.secteurs if d.ort else [])
        if s.centre_ville and s.geometrie and s.commune_insee == ville
    ]
    if not parts:
        parts = [s.geometrie.shape for s in (d.perimetres.secteurs_prioritaires if d.perimetres else [])]
    return union(parts) if parts else None


def overlaps(a, b) -> bool:
    """Two surfaces share an area (not just an edge): more than half a square metre."""
    measure = inclusion(a, b)
    return measure.inner_m2 - measure.outside_m2 > 0.5


def quartiers(b: Builder, d: Dossier) -> None:
    intervention = d.perimetres.intervention if d.perimetres else None
    anru_fiches = [
        f for f in d.fiches_actions if any(financed_by_anru(x) for x in f.financement) and f.date_comite_regional
    ]
    first_crf = min((f.date_comite_regional for f in anru_fiches), default=None)
    for i, q in enumerate(d.quartiers or []):
        path = f"quartiers[{i}]"
        values: dict[str, Any] = {
            "programme": q.programme,
            "npnru": q.programme.startswith("NPNRU"),
            "convention_referencee": q.convention_anru_referencee,
            "coherence_projets": q.coherence_projets,
            "articulation_pnrqad": q.articulation_pnrqad,
            "date_comite_engagement": date_int(q.date_comite_engagement),
            "date_comite_regional": date_int(first_crf),
        }
        if q.perimetre is not None and intervention is not None:
            measure = inclusion(q.perimetre.shape, intervention.shape)
            inside = measure.inner_m2 - measure.outside_m2
            values["intersecte_intervention"] = inside > 0.5
            values["intersection_m2"] = round(inside)
            values["intersection_pct"] = round((1 - measure.outside_share) * 10000)
        if q.date_comite_engagement and first_crf:
            values["jours_ce_avant_crf"] = (first_crf - q.date_comite_engagement).days
        b.add(
            "quartier",
            Entity("quartier", q.code_qpv, f"Quartier {q.nom} ({q.code_qpv})", path),
            values,
            {
                "intersecte_intervention": f"{path}.perimetre, perimetres.intervention",
                "intersection_m2": f"{path}.perimetre, perimetres.intervention",
                "convention_referencee": f"{path}.convention_anru_referencee",
                "coherence_projets": f"{path}.coherence_projets",
                "articulation_pnrqad": f"{path}.articulation_pnrqad",
                "date_comite_engagement": f"{path}.date_comite_engagement",
                "date_comite_regional": "fiches_actions[*].date_comite_regional (financées par l'ANRU)",
            },
        )


ORDER = 51  # after the Anah facts (anah.py)
FAMILIES = (Family(("quartier",), lambda b, c: quartiers(b, c.dossier)),)
