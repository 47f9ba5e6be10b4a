"""Facts of the programme rule set (PROG) about the order of events: one fact per pair of dates
that must follow each other (convention-cadre then avenants, comité de projet then signature…),
only when both dates are known."""

from __future__ import annotations

from instruct.facts.base import CONTEXT, Builder, Entity, F, Family, FieldSpec, date_int, deployment_avenant
from instruct.model.dossier import Dossier
from instruct.model.immeuble import EtapePlanning

# The order of an operation's typed planning steps (« autre » has no place in it).
PLANNING_ORDER = ("acquisition", "debut_travaux", "fin_travaux", "livraison", "mise_en_location")


def planning_in_order(planning: list[EtapePlanning]) -> bool:
    """Whether each typed step is dated no later than every step of a later kind, wherever the
    steps stand in the list (the list's order never decides)."""
    rank = {kind: n for n, kind in enumerate(PLANNING_ORDER)}
    typed = [(rank[e.type], e.date) for e in planning if e.type in rank]
    return all(da <= db for ra, da in typed for rb, db in typed if ra < rb)


TYPES: dict[str, dict[str, FieldSpec]] = {
    "chronologie": {
        **CONTEXT,
        "avant": F(
            "str",
            "événement qui doit précéder",
            True,
            definition=(
                "Événement qui doit précéder (signature de la convention-cadre ou de l'avenant de déploiement)."
            ),
        ),
        "apres": F(
            "str",
            "événement qui doit suivre",
            True,
            definition="Événement qui doit suivre (signature d'un avenant ou d'une fiche action).",
        ),
        "date_avant": F(
            "date", "date de l'événement qui doit précéder", True, definition="Date de l'événement qui doit précéder."
        ),
        "date_apres": F(
            "date", "date de l'événement qui doit suivre", True, definition="Date de l'événement qui doit suivre."
        ),
        "jours": F(
            "int",
            "jours entre les deux événements",
            True,
            definition="Nombre de jours de la première date à la seconde (négatif si l'ordre est inversé).",
        ),
    },
}


def chronologie(b: Builder, d: Dossier) -> None:
    """One fact per pair of dates that must be in order (only when both dates are known)."""
    pairs = []
    cadre = d.convention.cadre if d.convention else None
    if cadre and cadre.date_signature:
        for i, av in enumerate(d.convention.avenants):
            if av.date_signature:
                pairs.append(
                    (
                        f"convention-avenant-{av.numero}",
                        "signature de la convention-cadre",
                        cadre.date_signature,
                        "convention.cadre.date_signature",
                        f"signature de l'avenant n° {av.numero}",
                        av.date_signature,
                        f"convention.avenants[{i}].date_signature",
                    )
                )
        for i, fiche in enumerate(d.fiches_actions):
            if fiche.date_signature:
                pairs.append(
                    (
                        f"convention-fiche-{fiche.id}",
                        "signature de la convention-cadre",
                        cadre.date_signature,
                        "convention.cadre.date_signature",
                        f"signature de la fiche action {fiche.id}",
                        fiche.date_signature,
                        f"fiches_actions[{i}].date_signature",
                    )
                )
    avenant = deployment_avenant(d)
    if avenant and avenant.date_signature:
        i_av = d.convention.avenants.index(avenant)
        for i, fiche in enumerate(d.fiches_actions):
            if fiche.maturite != "mature" and fiche.date_signature:
                pairs.append(
                    (
                        f"avenant-fiche-{fiche.id}",
                        f"signature de l'avenant n° {avenant.numero}",
                        avenant.date_signature,
                        f"convention.avenants[{i_av}].date_signature",
                        f"signature de la fiche action {fiche.id}",
                        fiche.date_signature,
                        f"fiches_actions[{i}].date_signature",
                    )
                )
    for ident, avant, d1, p1, apres, d2, p2 in pairs:
        b.add(
            "chronologie",
            Entity("chronologie", ident, f"Chronologie : {avant} → {apres}", p2),
            {
                "avant": avant,
                "apres": apres,
                "date_avant": date_int(d1),
                "date_apres": date_int(d2),
                "jours": (d2 - d1).days,
            },
            {"date_avant": p1, "date_apres": p2, "jours": f"{p1}, {p2}"},
        )


ORDER = 25  # after the fiches, as before the split
FAMILIES = (Family(("chronologie",), lambda b, c: chronologie(b, c.dossier)),)
