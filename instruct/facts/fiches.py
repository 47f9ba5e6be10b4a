"""Facts of the programme rule set (PROG) about the actions: each fiche action (cost,
financing, dates, place), the inclusion of perimeters in one another, each avenant's budget
against the fiches (the pairs of dates that must be in order are in chronologie)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from instruct.facts.base import (
    CODES,
    CONTEXT,
    Builder,
    Entity,
    F,
    Family,
    FieldSpec,
    cents,
    date_int,
    financed_by_anru,
    name_key,
)
from instruct.facts.programme import convention_phase
from instruct.french import french_amount
from instruct.model.dossier import Avenant, Dossier, FicheAction
from instruct.model.geometry import inclusion

# The ANRU's possible interventions, as the guide names them (« Les interventions possibles de l'ANRU »).
CATEGORIES_ANRU = {
    "ingenierie": "ingénierie (études, conduite de projet)",
    "amenagement": "aménagement d'ensemble",
    "recyclage_habitat_ancien_valide_ce": "recyclage de l'habitat ancien validé par le comité d'engagement",
    "recyclage_habitat_ancien": "recyclage de l'habitat ancien, pas encore validé par le comité d'engagement",
    "reconstitution_offre_sociale": "reconstitution de l'offre locative sociale",
    "requalification_offre_sociale": "requalification de l'offre locative sociale",
    "equipements": "amélioration des équipements",
    "restructuration_commerciale": "restructuration des équipements commerciaux",
    "diversification_prime_accession": "diversification de l'habitat (prime accession)",
    "autre": "autre intervention",
}


TYPES: dict[str, dict[str, FieldSpec]] = {
    "inclusion": {
        **CONTEXT,
        "interieur": F(
            "str",
            "périmètre contenu",
            True,
            definition=("Nom du périmètre qui doit être contenu (périmètre d'intervention, secteur prioritaire)."),
        ),
        "exterieur": F(
            "str",
            "périmètre contenant",
            True,
            definition="Nom du périmètre qui doit le contenir (périmètre d'étude, périmètre d'intervention).",
        ),
        "surface_m2": F(
            "m2",
            "surface du périmètre contenu (m²)",
            definition="Surface du périmètre contenu, calculée sur sa géométrie, en m² (arrondie au m²).",
        ),
        "hors_m2": F(
            "m2",
            "surface hors du périmètre contenant (m²)",
            definition=("Surface du périmètre contenu qui déborde du périmètre contenant, en m² (arrondie au m²)."),
        ),
        "hors_pct": F(
            "pct",
            "part hors du périmètre contenant",
            definition=(
                "Part de la surface du périmètre contenu hors du périmètre contenant, en % (arrondie au centième)."
            ),
        ),
    },
    "fiche_action": {
        **CONTEXT,
        "mature": F(
            "bool",
            "action mature",
            True,
            definition="Vrai si la fiche a la maturité « mature » (fiches_actions[].maturite).",
        ),
        "objet": F("str", "objet (intitulé)", definition="Intitulé de la fiche action (fiches_actions[].intitule)."),
        "maitre_ouvrage": F(
            "str",
            "maître d'ouvrage",
            definition="Maître d'ouvrage déclaré de l'action (fiches_actions[].maitre_ouvrage).",
        ),
        "calendrier": F(
            "bool",
            "calendrier de l'action",
            definition="Vrai si la fiche donne un calendrier (fiches_actions[].calendrier) ; absent sinon.",
        ),
        "cout_cents": F(
            "cents",
            "coût de l'action",
            definition="Coût déclaré de l'action (fiches_actions[].cout), en euros au centime.",
        ),
        "nb_financeurs": F(
            "int",
            "nombre de financeurs",
            True,
            definition="Nombre de financeurs distincts du plan de financement de la fiche, porteur compris "
            "(noms comparés sans accents ni casse : « Etat » et « État » sont un seul financeur).",
        ),
        "financeurs": F(
            "str",
            "financeurs du plan de financement",
            definition=(
                "Les financeurs de la fiche avec leur montant (texte pour le message) ; absent si la fiche ne "
                "donne pas de plan de financement."
            ),
        ),
        "phase_convention": F(
            "int",
            "phase du programme dont relève la convention",
            definition=(
                "Phase du programme de la convention (celle du fait « dossier » : déclarée dans convention.phase, "
                "à défaut déduite de la signature de la convention-cadre) ; absente si elle n'est pas connue."
            ),
        ),
        "total_financement_cents": F(
            "cents",
            "total du plan de financement",
            True,
            definition=(
                "Somme des montants du plan de financement de la fiche (financement[].montant), en euros au centime."
            ),
        ),
        "ecart_financement_cents": F(
            "cents",
            "écart entre coût et financements (valeur absolue)",
            derived_from=("cout_cents", "financeurs"),
            definition=(
                "Écart absolu entre le coût de l'action et la somme de ses financements, en euros au centime ; "
                "absent si le coût ou le plan de financement n'est pas donné."
            ),
        ),
        "derniere_date_engagement": F(
            "date",
            "date du dernier engagement financier",
            definition=(
                "Date d'engagement la plus tardive parmi les financements de la fiche (financement[].date_engagement)."
            ),
        ),
        "financeur_dernier_engagement": F(
            "str", "financeur du dernier engagement", definition="Financeur de l'engagement le plus tardif de la fiche."
        ),
        "date_approbation_comite_projet": F(
            "date",
            "date d'approbation par le comité de projet",
            definition="Date d'approbation de la fiche par le comité de projet local.",
        ),
        "date_comite_regional": F(
            "date",
            "date de passage en comité régional d'engagement",
            definition="Date de passage de la fiche en comité régional d'engagement.",
        ),
        "jours_approbation_avant_cre": F(
            "int",
            "jours entre l'approbation locale et le comité régional",
            derived_from=("date_approbation_comite_projet", "date_comite_regional"),
            definition=(
                "Nombre de jours de l'approbation par le comité de projet au comité régional "
                "d'engagement (négatif si le comité régional précède)."
            ),
        ),
        "ajoutee_apres_avenant": F(
            "bool",
            "fiche ajoutée après l'avenant",
            definition=(
                "Vrai si une fiche non mature est approuvée (à défaut signée) après la signature de "
                "l'avenant de déploiement ; faux pour une fiche mature ou sans avenant signé."
            ),
        ),
        "nb_financeurs_non_signataires": F(
            "int",
            "financeurs n'ayant pas signé la fiche",
            definition=(
                "Nombre de financeurs (porteur exclu) absents des signataires de la fiche (noms comparés sans "
                "tenir compte des accents, de la casse, des espaces, apostrophes et tirets) ; absent si la fiche a "
                "des financeurs mais ne donne pas ses signataires (fiches_actions[].signataires)."
            ),
        ),
        "localisee": F(
            "bool",
            "localisation de l'action renseignée",
            True,
            definition="Vrai si la fiche donne une localisation (point ou surface).",
        ),
        "finance_anru": F(
            "bool",
            "l'ANRU finance l'action",
            True,
            definition="Vrai si une ligne du plan de financement de la fiche est de l'ANRU (rôle ou nom du financeur).",
        ),
        "categorie_anru": F(
            "str",
            "nature de l'intervention financée par l'ANRU",
            definition="Nature de l'intervention financée par l'ANRU déclarée sur la fiche (categorie_anru).",
            choices=CATEGORIES_ANRU,
        ),
        "categorie_anru_libelle": F(
            "str",
            "nature de l'intervention financée par l'ANRU, en toutes lettres",
            derived_from=("categorie_anru",),
            definition="La même nature, en français (« aménagement d'ensemble », « prime accession »…).",
        ),
        "excedent_financement_cents": F(
            "cents",
            "financements au-delà du coût de l'action",
            derived_from=("cout_cents",),
            definition=(
                "Somme des financements au-delà du coût de l'action (0 si elle ne le dépasse pas), en euros au centime."
            ),
        ),
        "hors_intervention_pct": F(
            "pct",
            "part de la localisation hors du périmètre d'intervention",
            definition=(
                "Part de la localisation de l'action hors du périmètre d'intervention, en % au "
                "centième (un point : 0 ou 100 %)."
            ),
        ),
        "financeurs_non_signataires": F(
            "str",
            "financeurs n'ayant pas signé la fiche",
            definition="Les financeurs qui n'ont pas signé la fiche (texte pour le message).",
        ),
    },
    "avenant": {
        **CONTEXT,
        "numero": F(
            "int", "numéro de l'avenant", True, definition="Numéro de l'avenant (convention.avenants[].numero)."
        ),
        "objet": F(
            "str",
            "objet de l'avenant",
            True,
            definition="Objet déclaré de l'avenant (deploiement ou autre).",
            choices=CODES,
        ),
        "signe": F("bool", "avenant signé", True, definition="Vrai si l'avenant a une date de signature."),
        "budget_total_cents": F(
            "cents",
            "budget total de l'avenant",
            definition="Budget total déclaré de l'avenant (budget.total), en euros au centime.",
        ),
        "somme_fiches_cents": F(
            "cents",
            "somme des coûts des fiches actions",
            definition=(
                "Somme des coûts des fiches actions de l'avenant (toutes, sauf celles approuvées ou signées "
                "après sa signature : le guide les ajoute progressivement ensuite), en euros au centime ; "
                "inconnue si l'une d'elles n'a pas de coût."
            ),
        ),
        "fiches_sans_cout": F(
            "str",
            "fiches actions sans coût",
            definition="Identifiants des fiches actions de l'avenant sans coût (texte pour le message).",
        ),
        "fiches_apres_avenant": F(
            "str",
            "fiches actions ajoutées après l'avenant",
            definition=(
                "Identifiants des fiches actions approuvées en comité de projet (à défaut signées) après la "
                "signature de l'avenant, hors de son budget (texte pour le message)."
            ),
        ),
        "ecart_total_fiches_cents": F(
            "cents",
            "écart entre budget total et somme des fiches (valeur absolue)",
            derived_from=("budget_total_cents", "somme_fiches_cents"),
            definition=(
                "Écart absolu entre le budget total de l'avenant et la somme des coûts des fiches, en euros au centime."
            ),
        ),
        "parts_cents": F(
            "cents",
            "part des cofinanceurs + part du porteur",
            definition=(
                "Part des cofinanceurs plus part du porteur déclarées au budget de l'avenant, en euros au centime."
            ),
        ),
        "ecart_parts_cents": F(
            "cents",
            "écart entre budget total et parts (valeur absolue)",
            derived_from=("budget_total_cents", "parts_cents"),
            definition=(
                "Écart absolu entre le budget total de l'avenant et la somme des deux parts, en euros au centime."
            ),
        ),
    },
}


def inclusions(b: Builder, d: Dossier) -> None:
    p = d.perimetres
    pairs = [
        (
            "perimetre_intervention",
            "périmètre d'intervention",
            p.intervention if p else None,
            "perimetres.intervention",
            "périmètre d'étude",
            p.etude if p else None,
            "perimetres.etude",
        )
    ]
    for i, secteur in enumerate(p.secteurs_prioritaires if p else []):
        pairs.append(
            (
                f"secteur_{secteur.id}",
                f"secteur prioritaire « {secteur.nom} »",
                secteur.geometrie,
                f"perimetres.secteurs_prioritaires[{i}].geometrie",
                "périmètre d'intervention",
                p.intervention,
                "perimetres.intervention",
            )
        )
    for ident, inner_label, inner, inner_path, outer_label, outer, outer_path in pairs:
        values: dict[str, Any] = {"interieur": inner_label, "exterieur": outer_label}
        if inner is not None and outer is not None:
            measure = inclusion(inner.shape, outer.shape)
            values["surface_m2"] = round(measure.inner_m2)
            values["hors_m2"] = round(measure.outside_m2)
            values["hors_pct"] = round(measure.outside_share * 10000)
        both = f"{inner_path}, {outer_path}"
        b.add(
            "inclusion",
            Entity("inclusion", ident, f"Inclusion : {inner_label} dans le {outer_label}", inner_path),
            values,
            {"surface_m2": inner_path, "hors_m2": both, "hors_pct": both},
        )


def _share_outside(localisation, perimetre) -> int | None:
    """Hundredths of a percent of the action's place outside the perimeter (a point: 0 or 100 %)."""
    if localisation is None or perimetre is None:
        return None
    place, area = localisation.shape, perimetre.shape
    if place.geom_type in {"Point", "MultiPoint"}:
        return 0 if area.covers(place) else 10000
    return round(inclusion(place, area).outside_share * 10000)


def fiches(b: Builder, d: Dossier, avenant: Avenant | None) -> None:
    avenant_date = avenant.date_signature if avenant else None
    intervention = d.perimetres.intervention if d.perimetres else None
    phase, phase_path = convention_phase(d)
    for i, fiche in enumerate(d.fiches_actions):
        path = f"fiches_actions[{i}]"
        total = sum((cents(f.montant) for f in fiche.financement), 0)
        dated = [f for f in fiche.financement if f.date_engagement]
        last = max(dated, key=lambda f: f.date_engagement) if dated else None
        financeurs = [f.financeur for f in fiche.financement if f.role != "porteur"]
        signed_by = None if fiche.signataires is None else {name_key(s) for s in fiche.signataires}
        missing = [n for n in {name_key(n): n for n in financeurs}.values() if name_key(n) not in (signed_by or ())]
        values: dict[str, Any] = {
            "mature": fiche.maturite == "mature",
            "objet": fiche.intitule,
            "maitre_ouvrage": fiche.maitre_ouvrage,
            "calendrier": True if fiche.calendrier is not None else None,
            "phase_convention": phase,
            "cout_cents": cents(fiche.cout),
            "nb_financeurs": len({name_key(f.financeur) for f in fiche.financement}),
            "financeurs": ", ".join(f"{f.financeur} ({french_amount(f.montant)})" for f in fiche.financement) or None,
            "total_financement_cents": total,
            # no financing plan given: the gap is unknown, not the whole cost
            "ecart_financement_cents": abs(cents(fiche.cout) - total)
            if fiche.cout is not None and fiche.financement
            else None,
            "derniere_date_engagement": date_int(last.date_engagement) if last else None,
            "financeur_dernier_engagement": last.financeur if last else None,
            "date_approbation_comite_projet": date_int(fiche.date_approbation_comite_projet)
            if fiche.date_approbation_comite_projet
            else None,
            "date_comite_regional": date_int(fiche.date_comite_regional),
            # the signatories not given: who signed is not told (unless there is no financeur to sign)
            "nb_financeurs_non_signataires": len(missing) if signed_by is not None or not financeurs else None,
            "financeurs_non_signataires": (", ".join(missing) or None) if signed_by is not None else None,
            "localisee": fiche.localisation is not None,
            "finance_anru": any(financed_by_anru(f) for f in fiche.financement),
            "categorie_anru": fiche.categorie_anru,
            "categorie_anru_libelle": CATEGORIES_ANRU.get(fiche.categorie_anru) if fiche.categorie_anru else None,
            "excedent_financement_cents": max(0, total - cents(fiche.cout)) if fiche.cout is not None else None,
            "hors_intervention_pct": _share_outside(fiche.localisation, intervention),
        }
        if fiche.date_approbation_comite_projet and fiche.date_comite_regional:
            values["jours_approbation_avant_cre"] = (
                fiche.date_comite_regional - fiche.date_approbation_comite_projet
            ).days
        fiche_date = _fiche_date(fiche)
        if fiche.maturite == "mature" or not avenant_date:
            values["ajoutee_apres_avenant"] = False
        elif fiche_date:
            values["ajoutee_apres_avenant"] = fiche_date > avenant_date
        label = f"Fiche action {fiche.id}" + (f" « {fiche.intitule} »" if fiche.intitule else "")
        b.add(
            "fiche_action",
            Entity("fiche_action", fiche.id, label, path),
            values,
            {
                "mature": f"{path}.maturite",
                "objet": f"{path}.intitule",
                "maitre_ouvrage": f"{path}.maitre_ouvrage",
                "calendrier": f"{path}.calendrier",
                "financeurs": f"{path}.financement",
                "phase_convention": phase_path,
                "cout_cents": f"{path}.cout",
                "nb_financeurs": f"{path}.financement",
                "total_financement_cents": f"{path}.financement[*].montant",
                "ecart_financement_cents": f"{path}.cout, {path}.financement[*].montant",
                "derniere_date_engagement": f"{path}.financement[*].date_engagement",
                "date_approbation_comite_projet": f"{path}.date_approbation_comite_projet",
                "date_comite_regional": f"{path}.date_comite_regional",
                "jours_approbation_avant_cre": f"{path}.date_approbation_comite_projet, {path}.date_comite_regional",
                "ajoutee_apres_avenant": f"{path}.date_approbation_comite_projet, {path}.date_signature, "
                "date de l'avenant",
                "nb_financeurs_non_signataires": f"{path}.financement[*].financeur, {path}.signataires",
                "localisee": f"{path}.localisation",
                "finance_anru": f"{path}.financement[*].role, {path}.financement[*].financeur",
                "categorie_anru": f"{path}.categorie_anru",
                "categorie_anru_libelle": f"{path}.categorie_anru",
                "excedent_financement_cents": f"{path}.cout, {path}.financement[*].montant",
                "hors_intervention_pct": f"{path}.localisation, perimetres.intervention",
            },
        )


def _fiche_date(fiche: FicheAction) -> dt.date | None:
    return fiche.date_approbation_comite_projet or fiche.date_signature


def _added_after(fiche: FicheAction, avenant_date: dt.date | None) -> bool:
    fiche_date = _fiche_date(fiche)
    return avenant_date is not None and fiche_date is not None and fiche_date > avenant_date


def avenants(b: Builder, d: Dossier) -> None:
    """Budget of each avenant against the sum of its fiches actions (unknown if one has no cost).

    Its fiches: all but those approved (or else signed) after its signature, which the guide adds
    progressively once the avenant is signed (« Ajout progressif des fiches suite à signature de
    l'avenant »); a fiche with no date, or an avenant not yet signed, counts them all."""
    if not d.convention:
        return
    for i, av in enumerate(d.convention.avenants):
        path = f"convention.avenants[{i}]"
        later = [f for f in d.fiches_actions if _added_after(f, av.date_signature)]
        covered = [f for f in d.fiches_actions if not _added_after(f, av.date_signature)]
        without_cost = [f.id for f in covered if f.cout is None]
        somme = None if without_cost else sum((cents(f.cout) for f in covered), 0)
        values: dict[str, Any] = {
            "numero": av.numero,
            "objet": av.objet,
            "signe": av.date_signature is not None,
            "somme_fiches_cents": somme,
            "fiches_sans_cout": ", ".join(sorted(without_cost)) or None,
            "fiches_apres_avenant": ", ".join(sorted(f.id for f in later)) or None,
        }
        if av.budget:
            total = cents(av.budget.total)
            values["budget_total_cents"] = total
            if somme is not None:
                values["ecart_total_fiches_cents"] = abs(total - somme)
            if av.budget.part_cofinanceurs is not None and av.budget.part_porteur is not None:
                parts = cents(av.budget.part_cofinanceurs) + cents(av.budget.part_porteur)
                values["parts_cents"] = parts
                values["ecart_parts_cents"] = abs(total - parts)
        b.add(
            "avenant",
            Entity("avenant", str(av.numero), f"Avenant n° {av.numero}", path),
            values,
            {
                "budget_total_cents": f"{path}.budget.total",
                "somme_fiches_cents": "fiches_actions[*].cout",
                "fiches_sans_cout": "fiches_actions[*].cout",
                "fiches_apres_avenant": f"fiches_actions[*].date_approbation_comite_projet, "
                f"fiches_actions[*].date_signature, {path}.date_signature",
                "ecart_total_fiches_cents": f"{path}.budget.total, fiches_actions[*].cout",
                "parts_cents": f"{path}.budget.part_cofinanceurs, {path}.budget.part_porteur",
                "ecart_parts_cents": f"{path}.budget.total, {path}.budget.part_cofinanceurs, "
                f"{path}.budget.part_porteur",
            },
        )


ORDER = 20
FAMILIES = (
    Family(("inclusion",), lambda b, c: inclusions(b, c.dossier)),
    Family(("fiche_action",), lambda b, c: fiches(b, c.dossier, c.avenant)),
    Family(("avenant",), lambda b, c: avenants(b, c.dossier)),
)
