"""Facts of the Anah rule set: the town's situation and each dispositif (state, perimeter,
requests for the chef de projet, studies and suivi-animation).

A datum the town did not give is left out of the fact (never None, never turned into False
or 0): the rule that needs it says incomplet. The quartiers are ANRU's (anah_anru.py); this
module reads their perimeters only to measure the overlap with a dispositif."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any

from instruct.facts.anah_anru import centre_surface, overlaps
from instruct.facts.base import CODES, CONTEXT, Builder, Entity, F, Family, FieldSpec, cents, date_int
from instruct.model.dossier import DemandeAnah, DispositifAnah, Dossier
from instruct.model.geometry import inclusion

OPAH_TYPES = {"OPAH-RU", "OPAH-CD", "plan_de_sauvegarde"}


def _request_fields(objet: str, what: str) -> dict[str, FieldSpec]:
    """The two facts of a request for studies or suivi-animation: asked, and its amount."""
    return {
        f"demande_{objet}": F(
            "bool",
            f"cofinancement {what} demandé à l'Anah",
            True,
            definition=f"Vrai si le dispositif porte une demande de cofinancement {what} (demandes du dispositif).",
        ),
        f"montant_{objet}_cents": F(
            "cents",
            f"montant demandé pour {what.removeprefix('du ').removeprefix('des ')}",
            definition=(
                f"Somme des montants demandés pour {what.removeprefix('du ').removeprefix('des ')} "
                "(à défaut de montant, taux × dépense annuelle HT), en euros au centime ; absent si une "
                "demande ne donne ni montant ni taux et dépense."
            ),
        ),
    }


# The town's situation (situation_anah), in the words of a finding.
SITUATIONS_ANAH = {
    "opah_ru": "une OPAH-RU en cours",
    "etudes": "des études pré-opérationnelles",
    "autres": "un autre dispositif en cours",
    "aucun": "aucun dispositif",
}

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
            choices=SITUATIONS_ANAH,
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
            "str",
            "type de dispositif",
            True,
            definition="Type du dispositif (OPAH-RU, OPAH-CD, plan_de_sauvegarde…).",
            choices=CODES,
        ),
        "etat": F(
            "str",
            "état du dispositif",
            True,
            definition="État du dispositif (en_cours, projete, etudes_pre_operationnelles…).",
            choices=CODES,
        ),
        "en_cours_a_date": F(
            "bool",
            "dispositif en cours à la date d'évaluation",
            True,
            definition=(
                "Vrai si le dispositif est déclaré « en_cours » et que sa date de fin, si elle est donnée, "
                "n'est pas antérieure à la date d'évaluation."
            ),
        ),
        "maitre_ouvrage": F(
            "str",
            "maître d'ouvrage du dispositif",
            True,
            definition="Maître d'ouvrage déclaré du dispositif.",
            choices=CODES,
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
        "dans_epci": F(
            "bool",
            "périmètre compris dans le territoire de l'intercommunalité",
            definition=(
                "Vrai si le dossier déclare le périmètre du dispositif compris dans le territoire de "
                "l'intercommunalité (dispositifs_anah[].perimetre_dans_epci)."
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
        "montant_chef_projet_cents": F(
            "cents",
            "montant annuel demandé pour le chef de projet",
            definition=(
                "Somme des montants demandés pour le chef de projet, en euros au centime ; absent si une "
                "demande ne donne pas son montant."
            ),
        ),
        "depense_supposee_chef_projet_cents": F(
            "cents",
            "dépense subventionnable que suppose le montant demandé au taux demandé",
            definition=(
                "Montant demandé pour le chef de projet divisé par le taux demandé, en euros arrondis au "
                "centime supérieur ; absent sans montant, sans taux ou avec un taux nul."
            ),
        ),
        "excedent_chef_projet_cents": F(
            "cents",
            "montant demandé au-delà du taux demandé appliqué à la dépense déclarée",
            definition=(
                "Montant demandé pour le chef de projet moins taux demandé × dépense annuelle HT "
                "déclarée, en euros arrondis au centime supérieur, 0 s'il n'y a pas d'excédent ; absent "
                "sans montant, taux ou dépense."
            ),
        ),
        "recoupe_npnru_national": F(
            "bool",
            "le périmètre recoupe un quartier NPNRU d'intérêt national",
            definition=(
                "Vrai si le périmètre du dispositif partage plus d'un demi-m² avec un quartier NPNRU "
                "d'intérêt national (quartiers[].programme, quartiers[].perimetre) ; faux si aucun quartier "
                "déclaré n'est d'intérêt national ; absent si les quartiers ne sont pas déclarés ou si un "
                "périmètre manque pour le dire."
            ),
        ),
        "quartiers_npnru_national": F(
            "str",
            "quartiers NPNRU d'intérêt national recoupés",
            derived_from=("recoupe_npnru_national",),
            definition="Noms des quartiers NPNRU d'intérêt national que recoupe le périmètre du dispositif.",
        ),
        **_request_fields("etudes", "des études"),
        **_request_fields("suivi_animation", "du suivi-animation"),
    },
}


def situation_anah(dispositifs: list[DispositifAnah]) -> dict[str, Any]:
    running = [x for x in dispositifs if x.etat == "en_cours"]
    if any(x.type == "OPAH-RU" for x in running):
        situation = "opah_ru"
    elif any(x.etat == "etudes_pre_operationnelles" for x in dispositifs):
        situation = "etudes"
    elif running:
        situation = "autres"
    else:
        situation = "aucun"
    return {
        "situation_anah": situation,
        "nb_dispositifs_en_cours": len(running),
        "nb_dispositifs_en_etudes": sum(1 for x in dispositifs if x.etat == "etudes_pre_operationnelles"),
        "nb_opah_projetees": sum(1 for x in dispositifs if x.etat == "projete" and x.type in OPAH_TYPES),
        "etudes_definies": any(
            x.etat == "etudes_pre_operationnelles" or any(r.objet == "etudes" for r in x.demandes) for x in dispositifs
        ),
    }


def chef_de_projet(requests: list[DemandeAnah]) -> dict[str, Any]:
    """The request for the chef de projet: highest rate, total expense and amount, and what the
    amount supposes at that rate. Several requests: the highest rate and the totals."""
    if not requests:
        return {}
    rates = [r.taux_pct for r in requests if r.taux_pct is not None]
    rate = max(rates) if rates else None
    expenses = [r.depense_annuelle_ht for r in requests]
    expense = sum(cents(x) for x in expenses) if all(x is not None for x in expenses) else None
    amounts = [r.montant for r in requests]
    amount = sum(cents(x) for x in amounts) if all(x is not None for x in amounts) else None
    values: dict[str, Any] = {
        "taux_chef_projet_pct": math.ceil(rate * 100) if rate is not None else None,  # a cap is exceeded by 0,01 %
        "depense_chef_projet_cents": expense,
        "montant_chef_projet_cents": amount,
    }
    if amount is not None and rate is not None:
        share = Fraction(rate) / 100
        if share > 0:
            values["depense_supposee_chef_projet_cents"] = math.ceil(Fraction(amount) / share)
        if expense is not None:
            values["excedent_chef_projet_cents"] = max(0, math.ceil(amount - share * expense))
    return values


def request_amount(requests: list[DemandeAnah]) -> int | None:
    """Total amount of requests (an amount, else rate × expense), in cents; None if one says neither."""
    total = Fraction(0)
    for r in requests:
        if r.montant is not None:
            total += cents(r.montant)
        elif r.taux_pct is not None and r.depense_annuelle_ht is not None:
            total += Fraction(r.taux_pct) / 100 * cents(r.depense_annuelle_ht)
        else:
            return None
    return math.ceil(total)


def npnru_national(x: DispositifAnah, d: Dossier) -> dict[str, Any]:
    """Whether the dispositif's perimeter overlaps a quartier NPNRU d'intérêt national: unknown
    (left out) when the quartiers are not declared, or when a perimeter is missing and no known
    one overlaps."""
    if d.quartiers is None:
        return {}
    national = [q for q in d.quartiers if q.programme == "NPNRU_national"]
    if not national:
        return {"recoupe_npnru_national": False}
    perimetre = x.perimetre.shape if x.perimetre else None
    hit = [q.nom for q in national if perimetre is not None and q.perimetre and overlaps(perimetre, q.perimetre.shape)]
    if hit:
        return {"recoupe_npnru_national": True, "quartiers_npnru_national": ", ".join(hit)}
    if perimetre is None or any(q.perimetre is None for q in national):
        return {}
    return {"recoupe_npnru_national": False}


def anah(b: Builder, d: Dossier, as_of: dt.date) -> None:
    dispositifs = d.dispositifs_anah
    b.add(
        "anah",
        Entity("anah", "anah", "Articulation avec les dispositifs de l'Anah", "dispositifs_anah"),
        situation_anah(dispositifs) if dispositifs is not None else {},
        {
            "situation_anah": "dispositifs_anah[*].type, dispositifs_anah[*].etat",
            "nb_dispositifs_en_cours": "dispositifs_anah[*].etat",
            "nb_dispositifs_en_etudes": "dispositifs_anah[*].etat",
            "nb_opah_projetees": "dispositifs_anah[*].etat",
            "etudes_definies": "dispositifs_anah[*].demandes",
        },
    )
    intervention = d.perimetres.intervention if d.perimetres else None
    centre = centre_surface(d)
    programmed = any(x.type in OPAH_TYPES and x.etat in {"en_cours", "projete"} for x in dispositifs or [])
    for i, x in enumerate(dispositifs or []):
        path = f"dispositifs_anah[{i}]"
        perimetre = x.perimetre.shape if x.perimetre else None
        requests = {objet: [r for r in x.demandes if r.objet == objet] for objet in ("etudes", "suivi_animation")}
        chef = [r for r in x.demandes if r.objet == "chef_de_projet"]
        values = {
            "type": x.type,
            "etat": x.etat,
            "en_cours_a_date": x.etat == "en_cours" and not (x.date_fin and x.date_fin < as_of),
            "maitre_ouvrage": x.maitre_ouvrage,
            "perimetre_fourni": perimetre is not None,
            "date_debut": date_int(x.date_debut),
            "date_fin": date_int(x.date_fin),
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
            "dans_epci": x.perimetre_dans_epci,
            "demande_chef_projet": bool(chef),
            **chef_de_projet(chef),
            **npnru_national(x, d),
        }
        for objet, asked in requests.items():
            values[f"demande_{objet}"] = bool(asked)
            values[f"montant_{objet}_cents"] = request_amount(asked) if asked else None
        chef_path = f"{path}.demandes[objet=chef_de_projet]"
        b.add(
            "dispositif_anah",
            Entity("dispositif_anah", x.id, f"Dispositif {x.type} {x.id}", path),
            values,
            {
                "type": f"{path}.type",
                "etat": f"{path}.etat",
                "en_cours_a_date": f"{path}.etat, {path}.date_fin",
                "maitre_ouvrage": f"{path}.maitre_ouvrage",
                "date_fin": f"{path}.date_fin",
                "date_debut": f"{path}.date_debut",
                "etudes_terminees": f"{path}.date_fin",
                "reference_convention": f"{path}.reference_convention",
                "prolongation_prevue": f"{path}.prolongation_prevue",
                "gouvernance_fusionnee": f"{path}.gouvernance_fusionnee",
                "objectifs_comptes": f"{path}.objectifs_comptes_dans_programme",
                "coordination": f"{path}.coordination_maitres_ouvrage",
                "intersecte_intervention": f"{path}.perimetre, perimetres.intervention",
                "part_centre_couverte_pct": f"{path}.perimetre, ort.secteurs (centre-ville de la ville principale) "
                "ou perimetres.secteurs_prioritaires",
                "dans_epci": f"{path}.perimetre_dans_epci",
                "demande_chef_projet": f"{path}.demandes",
                "taux_chef_projet_pct": f"{chef_path}.taux_pct",
                "depense_chef_projet_cents": f"{chef_path}.depense_annuelle_ht",
                "montant_chef_projet_cents": f"{chef_path}.montant",
                "depense_supposee_chef_projet_cents": f"{chef_path}.montant, {chef_path}.taux_pct",
                "excedent_chef_projet_cents": f"{chef_path}.montant, {chef_path}.taux_pct, "
                f"{chef_path}.depense_annuelle_ht",
                "recoupe_npnru_national": f"{path}.perimetre, quartiers[*].programme, quartiers[*].perimetre",
                "quartiers_npnru_national": "quartiers[*].nom",
                "dispositif_programme": "dispositifs_anah[*].etat",
                "perimetre_fourni": f"{path}.perimetre",
                "demande_etudes": f"{path}.demandes",
                "montant_etudes_cents": f"{path}.demandes[objet=etudes]",
                "demande_suivi_animation": f"{path}.demandes",
                "montant_suivi_animation_cents": f"{path}.demandes[objet=suivi_animation]",
            },
        )


ORDER = 50
FAMILIES = (Family(("anah", "dispositif_anah"), lambda b, c: anah(b, c.dossier, c.as_of)),)
