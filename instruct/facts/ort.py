"""Facts of the ORT rule set: the convention's fields, its secteurs, the national registry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from instruct.facts.base import CONTEXT, Builder, Entity, F, Family, FieldSpec, date_int, name_key, names_partner
from instruct.french import french_date
from instruct.model.dossier import Avenant, Dossier, Signataire
from instruct.model.geometry import inclusion, union
from instruct.referentiel.registry import Referentiel

TYPES: dict[str, dict[str, FieldSpec]] = {
    "ort": {
        **CONTEXT,
        "date_signature_ort": F(
            "date",
            "date de signature de la convention d'ORT",
            definition="Date de signature de la convention d'ORT (ort.date_signature).",
        ),
        "duree_ort": F(
            "int", "durée de l'ORT (années)", definition="Durée déclarée de l'ORT, en années (ort.duree_annees)."
        ),
        "signe_etat": F(
            "bool",
            "l'État (préfet) signe l'ORT",
            definition=(
                "Vrai si le préfet figure parmi les signataires de l'ORT (ort.signataires, à défaut "
                "ceux de la convention-cadre), par son rôle ou par son nom (« État », « Préfecture »… : accents, "
                "casse, espaces et apostrophes ignorés)."
            ),
        ),
        "signe_epci": F(
            "bool",
            "l'EPCI signe l'ORT",
            derived_from=("signe_etat",),
            definition=(
                "Vrai si l'intercommunalité figure parmi les signataires de l'ORT (mêmes signataires), par son rôle "
                "ou par son nom (collectivites.intercommunalite.nom ; « CA », « CC », « CU » développés ; accents, "
                "casse, espaces et apostrophes ignorés)."
            ),
        ),
        "signe_ville_principale": F(
            "bool",
            "la ville principale signe l'ORT",
            derived_from=("signe_etat",),
            definition=(
                "Vrai si la ville-centre signe l'ORT, par son rôle, par son code INSEE porté par "
                "une commune signataire ou par son nom (« Ville de … » ; accents, casse, espaces ignorés)."
            ),
        ),
        "derogation_ville_principale": F(
            "date",
            "décision du préfet autorisant l'ORT sans la ville principale",
            definition=(
                "Date de la décision du préfet autorisant l'ORT sans la ville principale "
                "(ort.derogation_ville_principale)."
            ),
        ),
        "date_ort_derogation": F(
            "date",
            "ORT signée sans la ville principale, sur décision du préfet",
            definition=(
                "La plus ancienne de la décision du préfet autorisant l'ORT sans la ville principale et de la "
                "signature de l'ORT (ort.derogation_ville_principale, ort.date_signature), lue par ORT-01 comme "
                "par ORT-03 ; absente sans décision, sans date de signature, ou pour une décision datée après "
                "le jour de l'examen."
            ),
        ),
        "projet_revitalisation": F(
            "bool",
            "projet urbain, économique et social de revitalisation exposé",
            definition=("Vrai si l'ORT déclare exposer le projet urbain, économique et social de revitalisation."),
        ),
        "actions_habitat": F(
            "bool",
            "actions d'amélioration de l'habitat",
            definition="Vrai si l'ORT déclare des actions d'amélioration de l'habitat.",
        ),
        "calendrier_ort": F("bool", "calendrier de l'ORT", definition="Vrai si l'ORT déclare un calendrier."),
        "plan_financement_ort": F(
            "bool", "plan de financement de l'ORT", definition="Vrai si l'ORT déclare un plan de financement."
        ),
        "nb_secteurs": F(
            "int",
            "secteurs d'intervention délimités",
            definition=("Nombre de secteurs d'intervention de l'ORT (ort.secteurs) ; absent s'il n'y en a aucun."),
        ),
        "secteur_centre_ville_principale": F(
            "bool",
            "un secteur comprend le centre-ville de la ville principale",
            definition=(
                "Vrai si un secteur situé dans la ville principale (par son code INSEE) est déclaré comprendre un "
                "centre-ville ; absent sans secteur ou sans code INSEE de la ville-centre."
            ),
        ),
        "secteur_centre_ville": F(
            "bool",
            "un secteur comprend un centre-ville (de toute commune)",
            derived_from=("nb_secteurs",),
            definition=(
                "Vrai si un secteur d'intervention, de quelque commune qu'il soit, est déclaré comprendre un "
                "centre-ville (ort.secteurs[].centre_ville)."
            ),
        ),
        "nb_parties_urbanisees": F(
            "int",
            "secteurs en « partie déjà urbanisée »",
            derived_from=("nb_secteurs",),
            definition="Nombre de secteurs déclarés en « partie déjà urbanisée ».",
        ),
        "communes_non_signataires": F(
            "str",
            "communes des secteurs qui ne signent pas",
            definition=("Codes INSEE des communes des secteurs qui ne signent pas l'ORT (texte pour le message)."),
        ),
        "nb_communes_non_signataires": F(
            "int",
            "communes des secteurs qui ne signent pas",
            derived_from=("signe_etat",),
            definition=(
                "Nombre de communes des secteurs (ort.secteurs[].commune_insee) qui ne signent pas, "
                "reconnues à leur code INSEE, à leur nom (collectivites : accents, casse, espaces ignorés) ou, "
                "pour la ville-centre, à son rôle."
            ),
        ),
        "avenant_secteurs_et_plan": F(
            "bool",
            "l'avenant ACV fixe les secteurs d'intervention et le plan d'actions",
            definition=(
                "Vrai si l'avenant de déploiement est signé et déclare ses périmètres d'intervention "
                "et son plan d'actions."
            ),
        ),
        "registre_fourni": F(
            "bool",
            "registre national des ORT fourni",
            True,
            definition=("Vrai si le registre national des ORT (ort-communes.csv) est fourni par --referentiel."),
        ),
        "registre_commune_presente": F(
            "bool",
            "la ville principale figure au registre national des ORT",
            definition=(
                "Vrai si le code INSEE de la ville-centre figure au registre national des ORT ; connu "
                "dès que le registre est fourni."
            ),
        ),
        "registre_signee": F(
            "bool",
            "le registre national des ORT donne l'ORT de la ville comme signée",
            definition=(
                "Vrai si le registre donne l'ORT de la ville comme « Signée » (faux si elle n'y "
                "figure pas) ; connu dès que le registre est fourni."
            ),
        ),
        "registre_nb_desaccords": F(
            "int",
            "valeurs du dossier (date, durée de l'ORT) que le registre national donne autrement",
            definition=(
                "Nombre de valeurs (date de signature, durée) que le dossier et le registre donnent "
                "tous deux et différemment ; connu dès que le registre est fourni."
            ),
        ),
        "registre_detail": F(
            "str",
            "ce que dit le registre national des ORT",
            definition=(
                "Ce que le registre dit de la ville (statut, date, durée) ou les désaccords relevés "
                "(texte pour le message)."
            ),
        ),
    },
    "secteur_ort": {
        **CONTEXT,
        "nom": F("str", "secteur d'intervention", True, definition="Nom du secteur d'intervention de l'ORT."),
        "centre_ville": F(
            "bool",
            "le secteur comprend un centre-ville",
            True,
            definition="Vrai si le secteur est déclaré comprendre un centre-ville.",
        ),
        "seuil_aec_m2": F(
            "m2",
            "seuil de rétablissement de l'AEC fixé par la convention",
            definition=(
                "Seuil de surface de vente au-delà duquel la convention rétablit l'autorisation "
                "d'exploitation commerciale dans le secteur, en m²."
            ),
        ),
        "seuil_aec_alimentaire_m2": F(
            "m2",
            "seuil de rétablissement de l'AEC, commerce alimentaire",
            definition="Même seuil pour un commerce à prédominance alimentaire, en m².",
        ),
        "opah_ru_declaree": F(
            "bool",
            "une OPAH-RU (en cours ou projetée) avec son périmètre est déclarée",
            definition=(
                "Vrai si une OPAH-RU en cours ou projetée avec son périmètre est déclarée (dispositifs_anah), "
                "faux si les dispositifs sont déclarés sans aucune OPAH-RU en cours ou projetée ; absent si "
                "les dispositifs ne sont pas déclarés ou qu'une telle OPAH-RU n'a pas de périmètre."
            ),
        ),
        "hors_opah_m2": F(
            "m2",
            "surface du secteur sans OPAH-RU",
            definition=(
                "Surface du secteur hors de l'union des périmètres d'OPAH-RU en cours ou projetées, "
                "en m² (arrondie au m²)."
            ),
        ),
        "hors_opah_pct": F(
            "pct",
            "part du secteur sans OPAH-RU",
            derived_from=("hors_opah_m2",),
            definition=(
                "Part de la surface du secteur hors de ces périmètres d'OPAH-RU, en %, arrondie au "
                "centième inférieur (un recouvrement réel ne lit jamais 100 %)."
            ),
        ),
    },
}


def _registry(d: Dossier, referentiel: Referentiel | None) -> dict[str, Any]:
    """What the national ORT registry says of this town, next to the dossier: is the town
    there, is its ORT signed, how many of the dossier's values it gives otherwise. Whether
    that confirms the dossier is for the rule (ORT-09) to say."""
    if referentiel is None or referentiel.ort is None:
        return {"registre_fourni": False}
    ville = d.collectivites.ville_centre
    entry = referentiel.ort.get(ville.insee) if ville and ville.insee else None
    measured = {"registre_fourni": True, "registre_commune_presente": entry is not None}
    if entry is None:
        return {
            **measured,
            "registre_signee": False,
            "registre_nb_desaccords": 0,
            "registre_detail": "commune absente du registre",
        }
    told = [f"statut « {entry.statut or 'vide'} »"]
    if entry.date_signature:
        told.append(f"signée le {french_date(entry.date_signature)}")
    if entry.duree_annees:
        told.append(f"durée {entry.duree_annees} ans")
    ort = d.ort
    disagreements = []
    if ort and ort.date_signature and entry.date_signature and ort.date_signature != entry.date_signature:
        disagreements.append(
            f"date : dossier {french_date(ort.date_signature)}, registre {french_date(entry.date_signature)}"
        )
    if ort and ort.duree_annees and entry.duree_annees and ort.duree_annees != entry.duree_annees:
        disagreements.append(f"durée : dossier {ort.duree_annees} ans, registre {entry.duree_annees} ans")
    signed = entry.statut == "Signée"
    return {
        **measured,
        "registre_signee": signed,
        "registre_nb_desaccords": len(disagreements),
        "registre_detail": "; ".join(disagreements) if signed and disagreements else "registre : " + ", ".join(told),
    }


def in_ort_secteurs(place: Any, d: Dossier) -> bool | None:
    """Whether a place (point or parcel, GeoJSON) lies in a secteur d'intervention (X-01): True if
    inside one; False only when every secteur has its geometry; None (unknown) otherwise."""
    secteurs = d.ort.secteurs if d.ort else []
    if place is None or not secteurs:
        return None
    shape = place.shape if place.shape.geom_type == "Point" else place.shape.representative_point()
    if any(s.geometrie is not None and s.geometrie.shape.covers(shape) for s in secteurs):
        return True
    return False if all(s.geometrie is not None for s in secteurs) else None


# The usual abbreviations of an EPCI's name, spelled out before names are compared.
EPCI_ABBREVIATIONS = {
    "ca": "communaute d agglomeration",
    "cc": "communaute de communes",
    "cu": "communaute urbaine",
}


def _epci_key(name: str) -> str:
    key = name_key(name)
    first, _, rest = key.partition(" ")
    return f"{EPCI_ABBREVIATIONS[first]} {rest}" if first in EPCI_ABBREVIATIONS and rest else key


def _signatories(d: Dossier, signataires: list[Signataire]) -> dict[str, Any]:
    """Who signs, by role, by INSEE code (on a commune's signature only) or by name: names are
    compared by french.name_key, so « Etat » signs for « État », « communaute d’agglomeration du
    val de belle » for « Communauté d'agglomération du Val de Belle »."""
    coll = d.collectivites
    ville = coll.ville_centre.insee if coll.ville_centre else None
    communes = {name_key(coll.ville_centre.nom): ville} if ville else {}
    communes |= {name_key(c.nom): c.insee for c in coll.autres_communes}
    epci = _epci_key(coll.intercommunalite.nom) if coll.intercommunalite else None
    insee: set[str] = set()
    etat = signs_epci = signs_ville = False
    for s in signataires:
        key = name_key(s.organisme)
        bare = re.sub(r"^(ville|commune|mairie) (de |d |du |des )?", "", key)
        etat |= s.role == "prefet" or names_partner(s.organisme, "prefet")
        signs_epci |= s.role == "intercommunalite" or _epci_key(s.organisme) == epci
        if s.role == "ville_centre":
            signs_ville = True
            if ville:
                insee.add(ville)
        elif s.role in {"autre_commune", "autre"} and s.insee is None and communes.get(bare):
            insee.add(communes[bare])  # a commune known by its name only
        if s.insee and s.role in {"ville_centre", "autre_commune"}:  # an INSEE code counts on a commune's signature
            insee.add(s.insee)
    signs_ville = signs_ville or (ville is not None and ville in insee)
    return {"etat": etat, "epci": signs_epci, "ville": signs_ville, "insee": insee}


def _derogation_date(ort, as_of: dt.date) -> dt.date | None:
    """The earlier of the préfet's decision and the ORT's signature: both must fall under the 3DS
    law for the derogation to hold (the rule compares this date with ort.loi_3ds). A decision dated
    after the day of judgement does not exist yet."""
    decision = ort.derogation_ville_principale
    if not decision or not ort.date_signature or decision > as_of:
        return None
    return min(decision, ort.date_signature)


def ort_facts(b: Builder, d: Dossier, avenant: Avenant | None, referentiel: Referentiel | None, as_of: dt.date) -> None:
    """The ORT: the convention's own fields, and whether the ACV avenant makes it worth ORT."""
    ort = d.ort
    values: dict[str, Any] = _registry(d, referentiel)
    if avenant is not None and avenant.contenu is not None:
        values["avenant_secteurs_et_plan"] = bool(
            avenant.date_signature and avenant.contenu.perimetres_intervention and avenant.contenu.plan_actions
        )
    cadre = d.convention.cadre if d.convention else None
    signataires = (
        ort.signataires if ort is not None and ort.signataires is not None else (cadre.signataires if cadre else None)
    )
    if ort is not None:
        ville = d.collectivites.ville_centre.insee if d.collectivites.ville_centre else None
        who = _signatories(d, signataires or [])
        signed_insee = who["insee"]
        communes = {s.commune_insee for s in ort.secteurs}
        missing = sorted(communes - signed_insee)
        values.update(
            {
                "date_signature_ort": date_int(ort.date_signature),
                "duree_ort": ort.duree_annees,
                "signe_etat": who["etat"] if signataires is not None else None,
                "signe_epci": who["epci"] if signataires is not None else None,
                "signe_ville_principale": who["ville"] if signataires is not None else None,
                "derogation_ville_principale": date_int(ort.derogation_ville_principale)
                if ort.derogation_ville_principale
                else None,
                "date_ort_derogation": date_int(_derogation_date(ort, as_of)) if _derogation_date(ort, as_of) else None,
                "projet_revitalisation": ort.projet_revitalisation,
                "actions_habitat": ort.actions_habitat,
                "calendrier_ort": ort.calendrier,
                "plan_financement_ort": ort.plan_financement,
                "nb_secteurs": len(ort.secteurs) or None,
                "secteur_centre_ville_principale": any(
                    s.centre_ville and s.commune_insee == ville for s in ort.secteurs
                )
                if ort.secteurs and ville
                else None,
                "secteur_centre_ville": any(s.centre_ville for s in ort.secteurs) if ort.secteurs else None,
                "nb_parties_urbanisees": sum(1 for s in ort.secteurs if s.partie_urbanisee) if ort.secteurs else None,
                "nb_communes_non_signataires": len(missing) if signataires is not None else None,
                "communes_non_signataires": ", ".join(missing) or None,
            }
        )
    b.add(
        "ort",
        Entity("ort", "ort", "Opération de revitalisation de territoire", "ort"),
        values,
        {
            "date_signature_ort": "ort.date_signature",
            "duree_ort": "ort.duree_annees",
            "signe_etat": "ort.signataires (à défaut convention.cadre.signataires)",
            "signe_epci": "ort.signataires (à défaut convention.cadre.signataires)",
            "signe_ville_principale": "ort.signataires (à défaut convention.cadre.signataires)",
            "derogation_ville_principale": "ort.derogation_ville_principale",
            "date_ort_derogation": "ort.derogation_ville_principale, ort.date_signature",
            "secteur_centre_ville": "ort.secteurs[*].centre_ville",
            "projet_revitalisation": "ort.projet_revitalisation",
            "actions_habitat": "ort.actions_habitat",
            "calendrier_ort": "ort.calendrier",
            "plan_financement_ort": "ort.plan_financement",
            "nb_secteurs": "ort.secteurs",
            "secteur_centre_ville_principale": "ort.secteurs[*].centre_ville, ort.secteurs[*].commune_insee",
            "nb_parties_urbanisees": "ort.secteurs[*].partie_urbanisee",
            "nb_communes_non_signataires": "ort.secteurs[*].commune_insee, ort.signataires[*].insee",
            "avenant_secteurs_et_plan": "convention.avenants[].contenu.perimetres_intervention, "
            "convention.avenants[].contenu.plan_actions",
            "registre_fourni": "registre national des ORT (ort-communes.csv)",
            "registre_commune_presente": "ort-communes.csv (code commune) ; collectivites.ville_centre.insee",
            "registre_signee": "ort-communes.csv (Signée ?)",
            "registre_nb_desaccords": "ort-communes.csv ; ort.date_signature, ort.duree_annees",
        },
    )
    running = [x for x in d.dispositifs_anah or [] if x.type == "OPAH-RU" and x.etat in {"en_cours", "projete"}]
    opah = [x.perimetre.shape for x in running if x.perimetre]
    opah_union = union(opah) if opah else None
    # unknown (left out) when the dispositifs are not declared, or an OPAH-RU has no perimeter
    declared = True if opah_union is not None else False if d.dispositifs_anah is not None and not running else None
    for i, secteur in enumerate(ort.secteurs if ort else []):
        values = {
            "nom": secteur.nom,
            "centre_ville": secteur.centre_ville,
            "seuil_aec_m2": secteur.seuil_aec_m2,
            "seuil_aec_alimentaire_m2": secteur.seuil_aec_alimentaire_m2,
        }
        if declared is not None:
            values["opah_ru_declaree"] = declared
        if opah_union is not None and secteur.geometrie is not None:
            measure = inclusion(secteur.geometrie.shape, opah_union)
            values["hors_opah_m2"] = round(measure.outside_m2)
            values["hors_opah_pct"] = int(
                measure.outside_share * 10000
            )  # rounded down: a real overlap never reads 100 %
        b.add(
            "secteur_ort",
            Entity("secteur_ort", secteur.id, f"Secteur d'intervention « {secteur.nom} »", f"ort.secteurs[{i}]"),
            values,
            {
                "seuil_aec_m2": f"ort.secteurs[{i}].seuil_aec_m2",
                "seuil_aec_alimentaire_m2": f"ort.secteurs[{i}].seuil_aec_alimentaire_m2",
                "hors_opah_m2": f"ort.secteurs[{i}].geometrie, dispositifs_anah[type=OPAH-RU].perimetre",
                "opah_ru_declaree": "dispositifs_anah",
            },
        )


ORDER = 40
FAMILIES = (Family(("ort", "secteur_ort"), lambda b, c: ort_facts(b, c.dossier, c.avenant, c.referentiel, c.as_of)),)
