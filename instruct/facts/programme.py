"""Facts of the programme rule set (PROG): the dossier, convention, gouvernance, axes,
perimeters, fiches actions, avenants and chronology."""

from __future__ import annotations

import datetime as dt
from typing import Any

from instruct.facts.action_logement import duplicate_immeubles
from instruct.facts.anah_anru import situation_anru
from instruct.facts.base import (
    CONTEXT,
    Builder,
    Entity,
    F,
    FieldSpec,
    cents,
    date_int,
    deployment_avenant,
    months_between,
)
from instruct.model.dossier import Avenant, Dossier, FicheAction
from instruct.model.geometry import inclusion
from instruct.referentiel.registry import Referentiel
from instruct.vocabulary import AXES, SIGNATAIRES_REQUIS, TRAME_AVENANT, TRAME_CONVENTION

TYPES: dict[str, dict[str, FieldSpec]] = {
    "dossier": {
        **CONTEXT,
        "insee": F("str", "code INSEE de la ville-centre"),
        "commune": F("str", "nom de la ville-centre", True),
        "referentiel_acv_fourni": F("bool", "liste officielle des communes ACV fournie", True),
        "commune_acv": F("bool", "commune dans la liste officielle ACV"),
        "id_acv": F("str", "identifiant ACV de la commune"),
        "date_convention": F("date", "date de signature de la convention-cadre"),
        "date_avenant": F("date", "date de signature de l'avenant de déploiement"),
        "date_fin_initialisation": F(
            "date",
            "fin de l'initialisation (avenant, ou date d'évaluation s'il n'est pas signé)",
            derived_from=("date_convention",),
        ),
        "mois_initialisation": F("int", "durée de l'initialisation en mois", derived_from=("date_convention",)),
        "perimetre_etude": F("bool", "périmètre d'étude défini"),
        "perimetre_intervention": F("bool", "périmètre d'intervention (ORT) pré-identifié"),
        "nb_indicateurs_moyens": F("int", "nombre d'indicateurs de moyens"),
        "nb_indicateurs_resultats": F("int", "nombre d'indicateurs de résultats"),
        "nb_dates_futures": F("int", "nombre de dates postérieures à la date d'évaluation", True),
        "nb_immeubles": F("int", "nombre d'immeubles proposés à Action Logement", True),
        "situation_anru": F(
            "str", "situation de la ville au regard de l'ANRU (PNRQAD, NPNRU en centre, en périphérie, aucun)"
        ),
        "siren_epci_referentiel": F("str", "SIREN de l'EPCI selon la liste officielle ACV"),
        "siren_epci": F("str", "SIREN de l'intercommunalité"),
        "siren_epci_concorde": F(
            "bool",
            "SIREN de l'EPCI identique dans le dossier et la liste officielle",
            derived_from=("siren_epci_referentiel", "siren_epci"),
        ),
        "nb_immeubles_en_double": F(
            "int", "immeubles décrits deux fois (même adresse ou même référence cadastrale)", True
        ),
        "immeubles_en_double": F("str", "immeubles décrits deux fois"),
        "convention_signee": F("bool", "convention-cadre ACV signée"),
        "note_projet_urbain": F("bool", "note sur le projet urbain et son avancement (pièce)"),
        "avis_note_projet_urbain": F("str", "avis de la DDT sur la note de projet urbain"),
        "plan_situation_immeubles": F("bool", "plan de situation des immeubles (pièce)"),
        "note_utilite_immeubles": F("bool", "note sur l'utilité des projets immobiliers (pièce)"),
        "avis_note_utilite_immeubles": F("str", "avis sur la note d'utilité des projets immobiliers"),
        "dates_futures": F("str", "dates postérieures à la date d'évaluation"),
    },
    "element": {
        **CONTEXT,
        "liste": F("str", "liste d'éléments attendus", True),
        "code": F("str", "élément attendu", True),
        "libelle": F("str", "libellé de l'élément", True),
        "present": F("bool", "élément présent"),
    },
    "signataire": {
        **CONTEXT,
        "role": F("str", "rôle du signataire attendu", True),
        "libelle": F("str", "signataire attendu", True),
        "requis": F("bool", "signature requise", True),
        "signe": F("bool", "a signé la convention-cadre"),
    },
    "axe": {
        **CONTEXT,
        "numero": F("int", "numéro de l'axe", True),
        "libelle": F("str", "intitulé de l'axe", True),
        "diagnostic": F("bool", "diagnostic de l'axe renseigné"),
        "objectifs": F("bool", "objectifs de l'axe renseignés"),
        "nb_actions": F("int", "nombre de fiches actions de l'axe", True),
    },
    "inclusion": {
        **CONTEXT,
        "interieur": F("str", "périmètre contenu", True),
        "exterieur": F("str", "périmètre contenant", True),
        "surface_m2": F("m2", "surface du périmètre contenu (m²)"),
        "hors_m2": F("m2", "surface hors du périmètre contenant (m²)"),
        "hors_pct": F("pct", "part hors du périmètre contenant"),
    },
    "fiche_action": {
        **CONTEXT,
        "mature": F("bool", "action mature", True),
        "objet": F("str", "objet (intitulé)"),
        "maitre_ouvrage": F("str", "maître d'ouvrage"),
        "calendrier": F("bool", "calendrier renseigné", True),
        "cout_cents": F("cents", "coût de l'action"),
        "nb_financeurs": F("int", "nombre de financeurs", True),
        "financeurs": F("str", "financeurs du plan de financement"),
        "total_financement_cents": F("cents", "total du plan de financement", True),
        "ecart_financement_cents": F(
            "cents", "écart entre coût et financements (valeur absolue)", derived_from=("cout_cents",)
        ),
        "derniere_date_engagement": F("date", "date du dernier engagement financier"),
        "financeur_dernier_engagement": F("str", "financeur du dernier engagement"),
        "date_approbation_comite_projet": F("date", "date d'approbation par le comité de projet"),
        "date_comite_regional": F("date", "date de passage en comité régional d'engagement"),
        "jours_approbation_avant_cre": F(
            "int",
            "jours entre l'approbation locale et le comité régional",
            derived_from=("date_approbation_comite_projet", "date_comite_regional"),
        ),
        "ajoutee_apres_avenant": F("bool", "fiche ajoutée après l'avenant"),
        "nb_financeurs_non_signataires": F("int", "financeurs n'ayant pas signé la fiche", True),
        "localisee": F("bool", "localisation de l'action renseignée", True),
        "finance_anru": F("bool", "l'ANRU finance l'action", True),
        "categorie_anru": F("str", "nature de l'intervention financée par l'ANRU"),
        "excedent_financement_cents": F(
            "cents", "financements au-delà du coût de l'action", derived_from=("cout_cents",)
        ),
        "hors_intervention_pct": F("pct", "part de la localisation hors du périmètre d'intervention"),
        "financeurs_non_signataires": F("str", "financeurs n'ayant pas signé la fiche"),
    },
    "avenant": {
        **CONTEXT,
        "numero": F("int", "numéro de l'avenant", True),
        "objet": F("str", "objet de l'avenant", True),
        "signe": F("bool", "avenant signé", True),
        "budget_total_cents": F("cents", "budget total de l'avenant"),
        "somme_fiches_cents": F("cents", "somme des coûts des fiches actions"),
        "fiches_sans_cout": F("str", "fiches actions sans coût"),
        "ecart_total_fiches_cents": F(
            "cents",
            "écart entre budget total et somme des fiches (valeur absolue)",
            derived_from=("budget_total_cents", "somme_fiches_cents"),
        ),
        "parts_cents": F("cents", "part des cofinanceurs + part du porteur"),
        "ecart_parts_cents": F(
            "cents",
            "écart entre budget total et parts (valeur absolue)",
            derived_from=("budget_total_cents", "parts_cents"),
        ),
    },
    "chronologie": {
        **CONTEXT,
        "avant": F("str", "événement qui doit précéder", True),
        "apres": F("str", "événement qui doit suivre", True),
        "date_avant": F("date", "date de l'événement qui doit précéder", True),
        "date_apres": F("date", "date de l'événement qui doit suivre", True),
        "jours": F("int", "jours entre les deux événements", True),
    },
}

DOSSIER_ENTITY = Entity("dossier", "dossier", "Dossier", "")


def dossier_fact(
    b: Builder,
    d: Dossier,
    as_of: dt.date,
    referentiel: Referentiel | None,
    avenant: Avenant | None,
    avenant_index: int | None,
) -> None:
    ville = d.collectivites.ville_centre
    cadre = d.convention.cadre if d.convention else None
    values: dict[str, Any] = {
        "insee": ville.insee,
        "siren_epci": d.collectivites.intercommunalite.siren,
        "commune": ville.nom,
        "referentiel_acv_fourni": referentiel is not None and referentiel.communes is not None,
    }
    paths = {
        "insee": "collectivites.ville_centre.insee",
        "siren_epci": "collectivites.intercommunalite.siren",
        "commune": "collectivites.ville_centre.nom",
        "referentiel_acv_fourni": "option --referentiel",
    }
    if referentiel is not None and referentiel.communes is not None and ville.insee:
        commune = referentiel.find(ville.insee)
        values["commune_acv"] = commune is not None
        paths["commune_acv"] = f"collectivites.ville_centre.insee ; {referentiel.source}"
        if commune:
            values["id_acv"] = commune.id_acv
            if commune.siren_epci:
                values["siren_epci_referentiel"] = commune.siren_epci
            if commune.siren_epci and d.collectivites.intercommunalite.siren:
                values["siren_epci_concorde"] = commune.siren_epci == d.collectivites.intercommunalite.siren
                paths["siren_epci_concorde"] = f"collectivites.intercommunalite.siren ; {referentiel.source}"
    if cadre and cadre.date_signature:
        values["date_convention"] = date_int(cadre.date_signature)
        end = avenant.date_signature if avenant and avenant.date_signature else as_of
        values["date_fin_initialisation"] = date_int(end)
        values["mois_initialisation"] = months_between(cadre.date_signature, end)
        paths["date_convention"] = "convention.cadre.date_signature"
        paths["mois_initialisation"] = paths["date_fin_initialisation"] = (
            f"convention.cadre.date_signature, convention.avenants[{avenant_index}].date_signature"
            if avenant and avenant.date_signature
            else "convention.cadre.date_signature ; date d'évaluation (avenant non signé)"
        )
    if avenant and avenant.date_signature:
        values["date_avenant"] = date_int(avenant.date_signature)
        paths["date_avenant"] = f"convention.avenants[{avenant_index}].date_signature"
    if d.perimetres is not None:
        values["perimetre_etude"] = d.perimetres.etude is not None
        values["perimetre_intervention"] = d.perimetres.intervention is not None
    paths["perimetre_etude"] = "perimetres.etude"
    paths["perimetre_intervention"] = "perimetres.intervention"
    if d.indicateurs is not None:
        values["nb_indicateurs_moyens"] = sum(1 for i in d.indicateurs if i.type == "moyens")
        values["nb_indicateurs_resultats"] = sum(1 for i in d.indicateurs if i.type == "resultats")
    paths["nb_indicateurs_moyens"] = paths["nb_indicateurs_resultats"] = "indicateurs"
    values["nb_immeubles"] = len(d.immeubles)
    paths["nb_immeubles"] = "immeubles"
    values["situation_anru"] = situation_anru(d)
    paths["situation_anru"] = "quartiers"
    doubles = duplicate_immeubles(d)
    values["nb_immeubles_en_double"] = len(doubles)
    values["immeubles_en_double"] = "; ".join(doubles) or None
    paths["nb_immeubles_en_double"] = "immeubles[*].adresse, immeubles[*].reference_cadastrale"
    if cadre is not None:
        values["convention_signee"] = cadre.date_signature is not None
        paths["convention_signee"] = "convention.cadre.date_signature"
    for kind, field_name, avis_name in (
        ("note_projet_urbain", "note_projet_urbain", "avis_note_projet_urbain"),
        ("plan_situation", "plan_situation_immeubles", None),
        ("note_utilite_immeubles", "note_utilite_immeubles", "avis_note_utilite_immeubles"),
    ):
        listed = [(i, p) for i, p in enumerate(d.pieces) if p.type == kind]
        paths[field_name] = f"pieces[{listed[0][0]}]" if listed else f"pieces (type {kind})"
        if listed:
            values[field_name] = True
            if avis_name:  # several versions: an unfavourable avis on any of them wins
                given = [(i, p.avis) for i, p in listed if p.avis]
                chosen = next((g for g in given if g[1] == "defavorable"), given[0] if given else None)
                values[avis_name] = chosen[1] if chosen else None
                paths[avis_name] = f"pieces[{chosen[0]}].avis" if chosen else f"pieces[{listed[0][0]}].avis"
    futures = [f"{path} ({value.isoformat()})" for path, value in _dated_fields(d) if value > as_of]
    values["nb_dates_futures"] = len(futures)
    if futures:
        values["dates_futures"] = ", ".join(futures[:10]) + (" …" if len(futures) > 10 else "")
        paths["nb_dates_futures"] = "; ".join(p.split(" (")[0] for p in futures[:10])
    b.add("dossier", DOSSIER_ENTITY, values, paths)


def _dated_fields(d: Dossier):
    """Dates of events that have happened (signatures, approvals), with their paths."""
    if d.convention:
        cadre = d.convention.cadre
        if cadre and cadre.date_signature:
            yield "convention.cadre.date_signature", cadre.date_signature
        if cadre:
            for i, delib in enumerate(cadre.deliberations or []):
                yield f"convention.cadre.deliberations[{i}].date", delib.date
            for i, sig in enumerate(cadre.signataires or []):
                if sig.date_signature:
                    yield f"convention.cadre.signataires[{i}].date_signature", sig.date_signature
        for i, av in enumerate(d.convention.avenants):
            if av.date_signature:
                yield f"convention.avenants[{i}].date_signature", av.date_signature
            for j, sig in enumerate(av.signataires):
                if sig.date_signature:
                    yield f"convention.avenants[{i}].signataires[{j}].date_signature", sig.date_signature
    if d.gouvernance and d.gouvernance.directeur_projet and d.gouvernance.directeur_projet.date_nomination:
        yield "gouvernance.directeur_projet.date_nomination", d.gouvernance.directeur_projet.date_nomination
    for i, fiche in enumerate(d.fiches_actions):
        for name in ("date_approbation_comite_projet", "date_comite_regional", "date_signature"):
            value = getattr(fiche, name)
            if value:
                yield f"fiches_actions[{i}].{name}", value
    if d.gouvernance and d.gouvernance.comite_projet and d.gouvernance.comite_projet.date_installation:
        yield "gouvernance.comite_projet.date_installation", d.gouvernance.comite_projet.date_installation


def signataires(b: Builder, d: Dossier) -> None:
    cadre = d.convention.cadre if d.convention else None
    roles = {s.role for s in cadre.signataires} if cadre and cadre.signataires is not None else None
    anru_concerne = bool(d.quartiers)
    for role, libelle in SIGNATAIRES_REQUIS.items():
        b.add(
            "signataire",
            Entity("signataire", role, f"Signataire : {libelle}", "convention.cadre.signataires"),
            {
                "role": role,
                "libelle": libelle,
                "requis": anru_concerne if role == "anru" else True,
                "signe": None if roles is None else role in roles,
            },
            {"signe": "convention.cadre.signataires", "requis": "quartiers" if role == "anru" else ""},
        )


def _element(
    b: Builder, liste: str, code: str, libelle: str, present: bool | None, path: str, entity_label: str
) -> None:
    b.add(
        "element",
        Entity(liste, code, f"{entity_label} : {libelle}", path),
        {"liste": liste, "code": code, "libelle": libelle, "present": present},
        {"present": path},
    )


def elements(b: Builder, d: Dossier, avenant: Avenant | None, avenant_index: int | None) -> None:
    cadre = d.convention.cadre if d.convention else None
    gouv = d.gouvernance
    # Prérequis pour l'initialisation (PROG-03)
    deliberations = {x.organe for x in cadre.deliberations} if cadre and cadre.deliberations is not None else None
    comite = gouv.comite_projet if gouv else None
    for code, libelle, present, path in (
        (
            "comite_projet_installe",
            "comité de projet installé",
            None if gouv is None else bool(comite and comite.date_installation),
            "gouvernance.comite_projet.date_installation",
        ),
        (
            "directeur_projet_nomme",
            "directeur de projet recruté et nommé",
            None if gouv is None else gouv.directeur_projet is not None,
            "gouvernance.directeur_projet",
        ),
        (
            "deliberation_commune",
            "délibération de la commune",
            None if deliberations is None else "commune" in deliberations,
            "convention.cadre.deliberations",
        ),
        (
            "deliberation_intercommunalite",
            "délibération de l'intercommunalité",
            None if deliberations is None else "intercommunalite" in deliberations,
            "convention.cadre.deliberations",
        ),
    ):
        _element(b, "prerequis_initialisation", code, libelle, present, path, "Prérequis d'initialisation")
    # Trame de la convention-cadre (PROG-04)
    contenu = cadre.contenu if cadre else None
    for code, libelle in TRAME_CONVENTION.items():
        _element(
            b,
            "trame_convention",
            code,
            libelle,
            getattr(contenu, code) if contenu else None,
            f"convention.cadre.contenu.{code}",
            "Convention-cadre",
        )
    # Contenu de l'avenant (PROG-09)
    contenu_av = avenant.contenu if avenant else None
    for code, libelle in TRAME_AVENANT.items():
        _element(
            b,
            "trame_avenant",
            code,
            libelle,
            getattr(contenu_av, code) if contenu_av else None,
            f"convention.avenants[{avenant_index}].contenu.{code}" if avenant else "convention.avenants",
            "Avenant",
        )
    # Sujets transversaux (PROG-11)
    sujets = d.sujets_transversaux
    for code, libelle in (
        ("innovation", "innovation"),
        ("numerique", "numérique"),
        ("animation", "animation du centre-ville"),
    ):
        _element(
            b,
            "sujets_transversaux",
            code,
            libelle,
            None if sujets is None else getattr(sujets, code) is not None,
            f"sujets_transversaux.{code}",
            "Sujet transversal",
        )
    # Prérequis pour le déploiement (PROG-13)
    equipe = gouv.equipe_projet if gouv else None
    for code, libelle, present, path in (
        (
            "equipe_projet_operationnelle",
            "équipe projet opérationnelle",
            None if gouv is None else bool(equipe and equipe.operationnelle),
            "gouvernance.equipe_projet.operationnelle",
        ),
        (
            "partenariat_local",
            "partenariat local consolidé",
            None if gouv is None else bool(gouv.partenaires_locaux),
            "gouvernance.partenaires_locaux",
        ),
    ):
        _element(b, "prerequis_deploiement", code, libelle, present, path, "Prérequis de déploiement")
    # Composition du comité de projet (PROG-17)
    if gouv is None or (comite is not None and comite.membres is None):
        qualites = None  # not told
    else:
        qualites = {m.qualite for m in (comite.membres or [])} if comite else set()  # no comité: nobody sits
    for code, libelle, wanted in (
        ("elus", "élus", {"elu"}),
        ("directeur_projet", "directeur de projet", {"directeur_projet"}),
        ("prefet", "préfet de département ou référent départemental", {"prefet", "referent_departemental"}),
        ("cdc", "représentant de la Caisse des Dépôts", {"cdc"}),
        ("action_logement", "représentant d'Action Logement", {"action_logement"}),
    ):
        _element(
            b,
            "comite_projet",
            code,
            libelle,
            None if qualites is None else bool(qualites & wanted),
            "gouvernance.comite_projet.membres",
            "Comité de projet",
        )
    # Prérequis pour la préparation (PROG-21)
    prep = d.preparation
    for code, libelle, present, path in (
        (
            "contacts_cles",
            "contacts clefs identifiés",
            None if prep is None else bool(prep.contacts_cles),
            "preparation.contacts_cles",
        ),
        (
            "dispositifs_identifies",
            "contrats et dispositifs antérieurs ou en vigueur identifiés",
            None if prep is None else bool(prep.dispositifs_identifies),
            "preparation.dispositifs_identifies",
        ),
        (
            "elements_diagnostic",
            "premiers éléments de diagnostic",
            None if prep is None else prep.elements_diagnostic,
            "preparation.elements_diagnostic",
        ),
        (
            "trame_etat",
            "trame de convention-cadre de l'État utilisée",
            None if prep is None else prep.trame_etat_utilisee,
            "preparation.trame_etat_utilisee",
        ),
    ):
        _element(b, "prerequis_preparation", code, libelle, present, path, "Prérequis de préparation")


def axes(b: Builder, d: Dossier) -> None:
    by_number = {a.numero: (i, a) for i, a in enumerate(d.axes or [])}
    actions = {n: sum(1 for f in d.fiches_actions if f.axe == n) for n in AXES}
    for numero, libelle in AXES.items():
        index, axe = by_number.get(numero, (None, None))
        path = f"axes[{index}]" if index is not None else "axes"
        b.add(
            "axe",
            Entity("axe", str(numero), f"Axe {numero} – {libelle}", path),
            {
                "numero": numero,
                "libelle": libelle,
                "diagnostic": None if d.axes is None else bool(axe and axe.diagnostic),
                "objectifs": None if d.axes is None else bool(axe and axe.objectifs),
                "nb_actions": actions[numero],
            },
            {
                "diagnostic": f"{path}.diagnostic",
                "objectifs": f"{path}.objectifs",
                "nb_actions": "fiches_actions[*].axe",
            },
        )


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
    for i, fiche in enumerate(d.fiches_actions):
        path = f"fiches_actions[{i}]"
        total = sum((cents(f.montant) for f in fiche.financement), 0)
        dated = [f for f in fiche.financement if f.date_engagement]
        last = max(dated, key=lambda f: f.date_engagement) if dated else None
        financeurs = [f.financeur for f in fiche.financement if f.role != "porteur"]
        signed_by = {s.casefold() for s in fiche.signataires}
        missing = [name for name in dict.fromkeys(financeurs) if name.casefold() not in signed_by]
        values: dict[str, Any] = {
            "mature": fiche.maturite == "mature",
            "objet": fiche.intitule,
            "maitre_ouvrage": fiche.maitre_ouvrage,
            "calendrier": fiche.calendrier is not None,
            "cout_cents": cents(fiche.cout) if fiche.cout is not None else None,
            "nb_financeurs": len(fiche.financement),
            "financeurs": ", ".join(
                f"{f.financeur} ({f.montant:,.2f} €)".replace(",", "\u202f").replace(".", ",")
                for f in fiche.financement
            )
            or None,
            "total_financement_cents": total,
            "ecart_financement_cents": abs(cents(fiche.cout) - total) if fiche.cout is not None else None,
            "derniere_date_engagement": date_int(last.date_engagement) if last else None,
            "financeur_dernier_engagement": last.financeur if last else None,
            "date_approbation_comite_projet": date_int(fiche.date_approbation_comite_projet)
            if fiche.date_approbation_comite_projet
            else None,
            "date_comite_regional": date_int(fiche.date_comite_regional) if fiche.date_comite_regional else None,
            "nb_financeurs_non_signataires": len(missing),
            "financeurs_non_signataires": ", ".join(missing) or None,
            "localisee": fiche.localisation is not None,
            "finance_anru": any(f.role == "anru" for f in fiche.financement),
            "categorie_anru": fiche.categorie_anru,
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
                "cout_cents": f"{path}.cout",
                "nb_financeurs": f"{path}.financement",
                "total_financement_cents": f"{path}.financement[*].montant",
                "ecart_financement_cents": f"{path}.cout, {path}.financement[*].montant",
                "derniere_date_engagement": f"{path}.financement[*].date_engagement",
                "date_approbation_comite_projet": f"{path}.date_approbation_comite_projet",
                "date_comite_regional": f"{path}.date_comite_regional",
                "jours_approbation_avant_cre": f"{path}.date_approbation_comite_projet, {path}.date_comite_regional",
                "ajoutee_apres_avenant": f"{path}.date_approbation_comite_projet, {path}.date_signature, date de l'avenant",
                "nb_financeurs_non_signataires": f"{path}.financement[*].financeur, {path}.signataires",
                "localisee": f"{path}.localisation",
                "finance_anru": f"{path}.financement[*].role",
                "categorie_anru": f"{path}.categorie_anru",
                "excedent_financement_cents": f"{path}.cout, {path}.financement[*].montant",
                "hors_intervention_pct": f"{path}.localisation, perimetres.intervention",
            },
        )


def _fiche_date(fiche: FicheAction) -> dt.date | None:
    return fiche.date_approbation_comite_projet or fiche.date_signature


def avenants(b: Builder, d: Dossier) -> None:
    """Budget of each avenant against the sum of the fiches actions (unknown if one has no cost)."""
    if not d.convention:
        return
    for i, av in enumerate(d.convention.avenants):
        path = f"convention.avenants[{i}]"
        covered = d.fiches_actions
        without_cost = [f.id for f in covered if f.cout is None]
        somme = None if without_cost else sum((cents(f.cout) for f in covered), 0)
        values: dict[str, Any] = {
            "numero": av.numero,
            "objet": av.objet,
            "signe": av.date_signature is not None,
            "somme_fiches_cents": somme,
            "fiches_sans_cout": ", ".join(without_cost) or None,
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
                "ecart_total_fiches_cents": f"{path}.budget.total, fiches_actions[*].cout",
                "parts_cents": f"{path}.budget.part_cofinanceurs, {path}.budget.part_porteur",
                "ecart_parts_cents": f"{path}.budget.total, {path}.budget.part_cofinanceurs, {path}.budget.part_porteur",
            },
        )


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
