"""Facts of the Anah and ANRU rule sets: the town's situation, each dispositif, each quartier."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from shapely.ops import unary_union

from instruct.facts.base import CONTEXT, Builder, Entity, F, Family, FieldSpec, cents, date_int
from instruct.model.dossier import Dossier
from instruct.model.geometry import inclusion

TYPES: dict[str, dict[str, FieldSpec]] = {
    "anah": {
        **CONTEXT,
        "situation_anah": F(
            "str",
            "situation de la ville au regard des dispositifs de l'Anah",
            definition=(
                "Classement de la ville selon ses dispositifs Anah : opah_ru (une OPAH-RU en cours), "
                "etudes (études pré-opérationnelles), autres (un autre dispositif en cours) ou aucun."
            ),
        ),
        "nb_dispositifs_en_cours": F(
            "int",
            "dispositifs de l'Anah en cours",
            derived_from=("situation_anah",),
            definition="Nombre de dispositifs déclarés à l'état « en_cours » (dispositifs_anah[].etat), tous types.",
        ),
        "nb_dispositifs_en_etudes": F(
            "int",
            "dispositifs de l'Anah en études pré-opérationnelles",
            derived_from=("situation_anah",),
            definition=(
                "Nombre de dispositifs déclarés à l'état « etudes_pre_operationnelles » (dispositifs_anah[].etat)."
            ),
        ),
        "nb_opah_projetees": F(
            "int",
            "OPAH-RU, OPAH-CD ou plans de sauvegarde dont le lancement est prévu",
            derived_from=("nb_dispositifs_en_cours",),
            definition="Nombre de dispositifs OPAH-RU, OPAH-CD ou plans de sauvegarde à l'état « projete ».",
        ),
        "etudes_definies": F(
            "bool",
            "études pré-opérationnelles définies ou demandées",
            derived_from=("nb_dispositifs_en_cours",),
            definition=("Vrai si un dispositif est en études pré-opérationnelles ou porte une demande d'études."),
        ),
    },
    "dispositif_anah": {
        **CONTEXT,
        "type": F(
            "str", "type de dispositif", True, definition="Type du dispositif (OPAH-RU, OPAH-CD, plan_de_sauvegarde…)."
        ),
        "etat": F(
            "str",
            "état du dispositif",
            True,
            definition="État du dispositif (en_cours, projete, etudes_pre_operationnelles…).",
        ),
        "maitre_ouvrage": F(
            "str", "maître d'ouvrage du dispositif", True, definition="Maître d'ouvrage déclaré du dispositif."
        ),
        "perimetre_fourni": F(
            "bool",
            "périmètre du dispositif fourni",
            True,
            definition="Vrai si le dispositif donne la géométrie de son périmètre.",
        ),
        "date_debut": F("date", "date de début", definition="Date de début du dispositif."),
        "date_fin": F("date", "date de fin", definition="Date de fin du dispositif."),
        "etudes_terminees": F(
            "bool",
            "études terminées à la date d'évaluation",
            derived_from=("date_fin",),
            definition="Vrai si la date de fin du dispositif n'est pas postérieure à la date d'évaluation.",
        ),
        "dispositif_programme": F(
            "bool",
            "un dispositif opérationnel (OPAH, plan de sauvegarde) en cours ou programmé",
            True,
            definition=(
                "Vrai si une OPAH-RU, une OPAH-CD ou un plan de sauvegarde est en cours ou projeté dans le dossier."
            ),
        ),
        "reference_convention": F(
            "bool",
            "la convention ACV s'y réfère",
            definition="Vrai si le dispositif déclare que la convention ACV s'y réfère.",
        ),
        "prolongation_prevue": F(
            "bool", "prolongation prévue", definition="Vrai si une prolongation du dispositif est déclarée prévue."
        ),
        "gouvernance_fusionnee": F(
            "bool",
            "instances fusionnées avec celles du programme",
            definition=("Vrai si les instances du dispositif sont déclarées fusionnées avec celles du programme."),
        ),
        "objectifs_comptes": F(
            "bool",
            "objectifs comptés dans ceux du programme",
            definition="Vrai si les objectifs du dispositif sont déclarés comptés dans ceux du programme.",
        ),
        "coordination": F(
            "bool",
            "coordination entre maîtres d'ouvrage décrite",
            definition="Vrai si la coordination entre maîtres d'ouvrage est déclarée décrite.",
        ),
        "intersecte_intervention": F(
            "bool",
            "le périmètre croise le périmètre d'intervention",
            definition=(
                "Vrai si le périmètre du dispositif partage plus d'un demi-m² avec le périmètre d'intervention."
            ),
        ),
        "part_centre_couverte_pct": F(
            "pct",
            "part du centre-ville de la ville principale couverte par le périmètre",
            definition=(
                "Part du centre-ville de la ville principale (ses secteurs d'ORT de centre-ville, à "
                "défaut les secteurs prioritaires) couverte par le périmètre du dispositif, en % au "
                "centième."
            ),
        ),
        "demande_chef_projet": F(
            "bool",
            "cofinancement du chef de projet demandé à l'Anah",
            True,
            definition="Vrai si le dispositif porte une demande de cofinancement du chef de projet.",
        ),
        "taux_chef_projet_pct": F(
            "pct",
            "taux de cofinancement demandé pour le chef de projet",
            definition=("Taux le plus élevé demandé pour le chef de projet, en %, arrondi au centième supérieur."),
        ),
        "depense_chef_projet_cents": F(
            "cents",
            "dépense annuelle HT du chef de projet",
            definition=("Somme des dépenses annuelles HT déclarées pour le chef de projet, en euros au centime."),
        ),
        "npnru_national": F(
            "bool",
            "un quartier NPNRU d'intérêt national est déclaré",
            True,
            definition="Vrai si un quartier NPNRU d'intérêt national est déclaré (quartiers[].programme).",
        ),
    },
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


OPAH_TYPES = {"OPAH-RU", "OPAH-CD", "plan_de_sauvegarde"}


def _centre(d: Dossier):
    """The ville principale's centre-ville as one surface: its ORT secteurs that include a
    centre-ville, else the secteurs prioritaires; None when neither is drawn."""
    ville = d.collectivites.ville_centre.insee
    parts = [
        s.geometrie.shape
        for s in (d.ort.secteurs if d.ort else [])
        if s.centre_ville and s.geometrie and s.commune_insee == ville
    ]
    if not parts:
        parts = [s.geometrie.shape for s in (d.perimetres.secteurs_prioritaires if d.perimetres else [])]
    return unary_union(parts) if parts else None


def overlaps(a, b) -> bool:
    """Two surfaces share an area (not just an edge): more than half a square metre."""
    measure = inclusion(a, b)
    return measure.inner_m2 - measure.outside_m2 > 0.5


def anah(b: Builder, d: Dossier, as_of: dt.date) -> None:
    dispositifs = d.dispositifs_anah
    values: dict[str, Any] = {}
    if dispositifs is not None:
        running = [x for x in dispositifs if x.etat == "en_cours"]
        if any(x.type == "OPAH-RU" for x in running):
            situation = "opah_ru"
        elif any(x.etat == "etudes_pre_operationnelles" for x in dispositifs):
            situation = "etudes"
        elif running:
            situation = "autres"
        else:
            situation = "aucun"
        values = {
            "situation_anah": situation,
            "nb_dispositifs_en_cours": len(running),
            "nb_dispositifs_en_etudes": sum(1 for x in dispositifs if x.etat == "etudes_pre_operationnelles"),
            "nb_opah_projetees": sum(1 for x in dispositifs if x.etat == "projete" and x.type in OPAH_TYPES),
            "etudes_definies": any(
                x.etat == "etudes_pre_operationnelles" or any(r.objet == "etudes" for r in x.demandes)
                for x in dispositifs
            ),
        }
    b.add(
        "anah",
        Entity("anah", "anah", "Articulation avec les dispositifs de l'Anah", "dispositifs_anah"),
        values,
        {
            "situation_anah": "dispositifs_anah[*].type, dispositifs_anah[*].etat",
            "nb_dispositifs_en_cours": "dispositifs_anah[*].etat",
            "nb_dispositifs_en_etudes": "dispositifs_anah[*].etat",
            "nb_opah_projetees": "dispositifs_anah[*].etat",
            "etudes_definies": "dispositifs_anah[*].demandes",
        },
    )
    intervention = d.perimetres.intervention if d.perimetres else None
    centre = _centre(d)
    npnru_national = any(q.programme == "NPNRU_national" for q in d.quartiers or [])
    programmed = any(x.type in OPAH_TYPES and x.etat in {"en_cours", "projete"} for x in dispositifs or [])
    for i, x in enumerate(dispositifs or []):
        path = f"dispositifs_anah[{i}]"
        chef = [r for r in x.demandes if r.objet == "chef_de_projet"]
        # several requests for the chef de projet: the highest rate and the total expense
        taux = max((r.taux_pct for r in chef if r.taux_pct is not None), default=None)
        depenses = [r.depense_annuelle_ht for r in chef if r.depense_annuelle_ht is not None]
        perimetre = x.perimetre.shape if x.perimetre else None
        b.add(
            "dispositif_anah",
            Entity("dispositif_anah", x.id, f"Dispositif {x.type} {x.id}", path),
            {
                "type": x.type,
                "etat": x.etat,
                "maitre_ouvrage": x.maitre_ouvrage,
                "perimetre_fourni": perimetre is not None,
                "date_debut": date_int(x.date_debut) if x.date_debut else None,
                "date_fin": date_int(x.date_fin) if x.date_fin else None,
                "etudes_terminees": x.date_fin <= as_of if x.date_fin else None,
                "dispositif_programme": programmed,
                "reference_convention": x.reference_convention,
                "prolongation_prevue": x.prolongation_prevue,
                "gouvernance_fusionnee": x.gouvernance_fusionnee,
                "objectifs_comptes": x.objectifs_comptes_dans_programme,
                "coordination": x.coordination_maitres_ouvrage,
                "intersecte_intervention": overlaps(perimetre, intervention.shape)
                if perimetre is not None and intervention
                else None,
                "part_centre_couverte_pct": (
                    round((1 - inclusion(centre, perimetre).outside_share) * 10000)
                    if perimetre is not None and centre is not None
                    else None
                ),
                "demande_chef_projet": bool(chef),
                "taux_chef_projet_pct": math.ceil(taux * 100)
                if taux is not None
                else None,  # a cap is exceeded by the first hundredth
                "depense_chef_projet_cents": sum(cents(x) for x in depenses) if depenses else None,
                "npnru_national": npnru_national,
            },
            {
                "date_fin": f"{path}.date_fin",
                "date_debut": f"{path}.date_debut",
                "reference_convention": f"{path}.reference_convention",
                "prolongation_prevue": f"{path}.prolongation_prevue",
                "gouvernance_fusionnee": f"{path}.gouvernance_fusionnee",
                "objectifs_comptes": f"{path}.objectifs_comptes_dans_programme",
                "coordination": f"{path}.coordination_maitres_ouvrage",
                "intersecte_intervention": f"{path}.perimetre, perimetres.intervention",
                "part_centre_couverte_pct": f"{path}.perimetre, ort.secteurs (centre-ville de la ville principale) "
                "ou perimetres.secteurs_prioritaires",
                "taux_chef_projet_pct": f"{path}.demandes[objet=chef_de_projet].taux_pct",
                "depense_chef_projet_cents": f"{path}.demandes[objet=chef_de_projet].depense_annuelle_ht",
                "npnru_national": "quartiers[*].programme",
                "dispositif_programme": "dispositifs_anah[*].etat",
                "perimetre_fourni": f"{path}.perimetre",
            },
        )


def quartiers(b: Builder, d: Dossier) -> None:
    intervention = d.perimetres.intervention if d.perimetres else None
    anru_fiches = [
        f for f in d.fiches_actions if any(x.role == "anru" for x in f.financement) and f.date_comite_regional
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
            "date_comite_engagement": date_int(q.date_comite_engagement) if q.date_comite_engagement else None,
            "date_comite_regional": date_int(first_crf) if first_crf else None,
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


ORDER = 50
FAMILIES = (
    Family(("anah", "dispositif_anah"), lambda b, c: anah(b, c.dossier, c.as_of)),
    Family(("quartier",), lambda b, c: quartiers(b, c.dossier)),
)
