"""Facts of the programme rule set (PROG) about the calendar, validation and follow-up of the
convention (issue 14): the comités régionaux d'engagement, the validation and the co-signatories
of the deployment avenant, the durations, the launch of the actions matures, the monitoring
dashboard, the final evaluation and the closure.

Measurements only (dates, days and months between them); the deadlines and durations the guide
sets are dated parameters read by the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from instruct.facts.base import CONTEXT, Builder, Context, Entity, F, Family, FieldSpec, add_months, date_int
from instruct.facts.convention import signing_roles
from instruct.facts.programme import TYPES as PROGRAMME_TYPES
from instruct.facts.programme import convention_phase
from instruct.french import french_date
from instruct.model.dossier import Avenant, FicheAction
from instruct.vocabulary import SIGNATAIRES_REQUIS

DOSSIER_ENTITY = Entity("dossier", "dossier", "Dossier", "")

TYPES: dict[str, dict[str, FieldSpec]] = {
    "calendrier_convention": {
        **CONTEXT,
        "phase_convention": PROGRAMME_TYPES["dossier"]["phase_convention"],
        "date_convention": F(
            "date",
            "date de signature de la convention-cadre",
            definition="Date de signature de la convention-cadre (convention.cadre.date_signature).",
        ),
        "date_avenant": F(
            "date",
            "date de signature de l'avenant de déploiement",
            definition="Date de signature de l'avenant de déploiement retenu (le premier signé).",
        ),
        "date_cre_1": F(
            "date",
            "date du comité régional d'engagement n° 1",
            definition=(
                "Date du comité régional d'engagement qui a examiné la convention-cadre "
                "(convention.cadre.date_comite_regional_engagement)."
            ),
        ),
        "jours_cre_1_avant_convention": F(
            "int",
            "jours du comité régional d'engagement n° 1 à la signature de la convention-cadre",
            derived_from=("date_cre_1", "date_convention"),
            definition=(
                "Nombre de jours de la date du comité régional d'engagement n° 1 à celle de la "
                "signature de la convention-cadre (négatif si le comité s'est réuni après)."
            ),
        ),
        "date_cre_2": F(
            "date",
            "date du comité régional d'engagement n° 2",
            definition=(
                "Date du comité régional d'engagement qui a validé l'avenant de déploiement "
                "(convention.avenants[].date_comite_regional_engagement)."
            ),
        ),
        "jours_cre_2_avant_avenant": F(
            "int",
            "jours du comité régional d'engagement n° 2 à la signature de l'avenant",
            derived_from=("date_cre_2", "date_avenant"),
            definition=(
                "Nombre de jours de la date du comité régional d'engagement n° 2 à celle de la "
                "signature de l'avenant de déploiement (négatif si le comité s'est réuni après)."
            ),
        ),
        "duree_convention_mois": F(
            "int",
            "durée globale de la convention en mois",
            definition="Durée globale de la convention-cadre en mois (convention.cadre.duree_annees × 12).",
        ),
        "date_fin_convention": F(
            "date",
            "fin de la convention",
            derived_from=("date_convention", "duree_convention_mois"),
            definition="Date de signature de la convention-cadre augmentée de sa durée globale.",
        ),
        "jours_depuis_fin_convention": F(
            "int",
            "jours écoulés depuis la fin de la convention",
            derived_from=("date_fin_convention",),
            definition=(
                "Nombre de jours de la fin de la convention à la date d'évaluation (négatif tant qu'elle court)."
            ),
        ),
        "convention_terminee": F(
            "bool",
            "convention arrivée à son terme",
            definition=(
                "Vrai si la fin de la convention (signature augmentée de la durée globale) précède la "
                "date d'évaluation ; faux si elle court encore, ou si la convention-cadre est déclarée "
                "sans date de signature (pas encore signée) ; absent sinon."
            ),
        ),
        "mois_convention_apres_avenant": F(
            "int",
            "mois de convention restant à la signature de l'avenant",
            derived_from=("date_fin_convention", "date_avenant"),
            definition=(
                "Nombre de mois entiers de la signature de l'avenant de déploiement à la fin de la "
                "convention : la durée laissée au déploiement."
            ),
        ),
        "tableau_de_bord": F(
            "bool",
            "tableau de bord de suivi tenu",
            definition="Vrai si la ville déclare tenir un tableau de bord de suivi (suivi.tableau_de_bord).",
        ),
        "evaluation_finale": F(
            "bool",
            "évaluation finale faite",
            definition="Vrai si la ville déclare l'évaluation finale faite (suivi.evaluation_finale).",
        ),
        "date_evaluation_finale": F(
            "date",
            "date de l'évaluation finale",
            definition="Date de l'évaluation finale des résultats (suivi.date_evaluation_finale).",
        ),
        "cloture": F(
            "bool",
            "convention close",
            definition="Vrai si la ville déclare la convention close (suivi.cloture).",
        ),
        "cloture_declaree": F(
            "bool",
            "clôture de la convention déclarée",
            True,
            definition="Vrai si la ville déclare la convention close ; faux sinon (elle dit le contraire, ou rien).",
        ),
        "date_cloture": F(
            "date", "date de clôture de la convention", definition="Date de clôture (suivi.date_cloture)."
        ),
        "jours_evaluation_avant_cloture": F(
            "int",
            "jours de l'évaluation finale à la clôture",
            derived_from=("date_evaluation_finale", "date_cloture"),
            definition=(
                "Nombre de jours de l'évaluation finale à la clôture de la convention (négatif si "
                "la clôture précède l'évaluation)."
            ),
        ),
    },
    "validation_avenant": {
        **CONTEXT,
        "code": F("str", "validation attendue", True, definition="Code de la validation attendue de l'avenant."),
        "libelle": F(
            "str", "validation attendue", True, definition="Libellé français de la validation attendue de l'avenant."
        ),
        "date_avenant": F(
            "date",
            "date de signature de l'avenant de déploiement",
            definition="Date de signature de l'avenant de déploiement retenu (le premier signé).",
        ),
        "validee": F(
            "bool",
            "validation donnée",
            definition=(
                "Vrai si le dossier date la validation de l'avenant (comité de projet) ou donne une "
                "délibération de cet organe sur l'avenant ; faux si la liste des délibérations est "
                "donnée sans lui ; absent sinon."
            ),
        ),
        "date_validation": F(
            "date",
            "date de la validation",
            definition="Date de la validation (la première délibération de l'organe, s'il y en a plusieurs).",
        ),
        "constat": F(
            "str",
            "validation constatée",
            definition="La validation et sa date au regard de la signature de l'avenant (texte pour le message).",
        ),
        "jours_avant_signature": F(
            "int",
            "jours de la validation à la signature de l'avenant",
            derived_from=("date_validation", "date_avenant"),
            definition=(
                "Nombre de jours de la validation à la signature de l'avenant (négatif si la "
                "validation est postérieure à la signature)."
            ),
        ),
    },
    "signataire_avenant": {
        **CONTEXT,
        "role": F("str", "rôle du signataire attendu", True, definition="Rôle du signataire attendu de l'avenant."),
        "libelle": F("str", "signataire attendu", True, definition="Libellé français du signataire attendu."),
        "requis": F(
            "bool",
            "signature requise",
            True,
            definition=(
                "Vrai si la signature est requise : toujours, sauf celle de l'ANRU, requise seulement "
                "quand des quartiers sont déclarés (quartiers absents : non requise ici, alors que la "
                "convention-cadre la dit inconnue)."
            ),
        ),
        "signe": F(
            "bool",
            "a signé l'avenant",
            definition=(
                "Vrai si un signataire de ce rôle figure parmi les signataires de l'avenant de "
                "déploiement retenu ; absent si l'avenant ne donne aucun signataire."
            ),
        ),
    },
    "lancement_action": {
        **CONTEXT,
        "mature": F("bool", "action mature", True, definition="Vrai si la fiche est d'une action mature (maturite)."),
        "date_avenant": F(
            "date",
            "date de signature de l'avenant de déploiement (fin de l'initialisation)",
            definition="Date de signature de l'avenant de déploiement retenu (le premier signé).",
        ),
        "lancee_pendant_initialisation": F(
            "bool",
            "action lancée avant la signature de l'avenant",
            definition=(
                "Vrai si l'action a été lancée (fiches_actions[].date_lancement) au plus tard à la "
                "signature de l'avenant ; faux si elle l'a été après, ou si elle est déclarée non "
                "lancée (fiches_actions[].lancee) ; absent sinon."
            ),
        ),
        "date_lancement": F(
            "date", "date de lancement de l'action", definition="Date de lancement (fiches_actions[].date_lancement)."
        ),
        "jours_apres_avenant": F(
            "int",
            "jours de retard sur la fin de l'initialisation",
            definition=(
                "Nombre de jours de la signature de l'avenant au lancement de l'action, ou à la date "
                "d'évaluation si elle n'est pas lancée ; connu quand l'action n'a pas été lancée "
                "avant l'avenant."
            ),
        ),
        "etat_lancement": F(
            "str",
            "lancement de l'action",
            definition="Le lancement de l'action en quelques mots (texte pour le message).",
        ),
    },
}


def _days(start: dt.date | None, end: dt.date | None) -> int | None:
    return (end - start).days if start and end else None


def _full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (0 if end is not after start)."""
    n = max((end.year - start.year) * 12 + end.month - start.month, 0)
    while n > 0 and add_months(start, n) > end:
        n -= 1
    return n


def _avenant_path(c: Context, field: str) -> str:
    return f"convention.avenants[{c.avenant_index}].{field}" if c.avenant else "convention.avenants"


def calendrier(b: Builder, c: Context) -> None:
    d, avenant = c.dossier, c.avenant
    cadre = d.convention.cadre if d.convention else None
    signed = cadre.date_signature if cadre else None
    avenant_date = avenant.date_signature if avenant else None
    cre_1 = cadre.date_comite_regional_engagement if cadre else None
    cre_2 = avenant.date_comite_regional_engagement if avenant else None
    duree = cadre.duree_annees if cadre else None
    fin = add_months(signed, 12 * duree) if signed and duree else None
    suivi = d.suivi
    values: dict[str, Any] = {
        "date_convention": date_int(signed),
        "date_avenant": date_int(avenant_date),
        "date_cre_1": date_int(cre_1),
        "jours_cre_1_avant_convention": _days(cre_1, signed),
        "date_cre_2": date_int(cre_2),
        "jours_cre_2_avant_avenant": _days(cre_2, avenant_date),
        "duree_convention_mois": 12 * duree if duree else None,
        "date_fin_convention": date_int(fin),
        "jours_depuis_fin_convention": _days(fin, c.as_of),
        "mois_convention_apres_avenant": _full_months(avenant_date, fin) if fin and avenant_date else None,
        "convention_terminee": (fin < c.as_of) if fin else (False if cadre and not signed else None),
        "cloture_declaree": suivi is not None and suivi.cloture is True,
    }
    if suivi is not None:
        values |= {
            "tableau_de_bord": suivi.tableau_de_bord,
            "evaluation_finale": suivi.evaluation_finale,
            "date_evaluation_finale": date_int(suivi.date_evaluation_finale),
            "cloture": suivi.cloture,
            "date_cloture": date_int(suivi.date_cloture),
            "jours_evaluation_avant_cloture": _days(suivi.date_evaluation_finale, suivi.date_cloture),
        }
    phase, phase_path = convention_phase(d)
    values["phase_convention"] = phase
    paths = {
        "phase_convention": phase_path,
        "date_convention": "convention.cadre.date_signature",
        "date_avenant": _avenant_path(c, "date_signature"),
        "date_cre_1": "convention.cadre.date_comite_regional_engagement",
        "jours_cre_1_avant_convention": "convention.cadre.date_comite_regional_engagement, "
        "convention.cadre.date_signature",
        "date_cre_2": _avenant_path(c, "date_comite_regional_engagement"),
        "jours_cre_2_avant_avenant": _avenant_path(c, "date_comite_regional_engagement")
        + ", "
        + _avenant_path(c, "date_signature"),
        "duree_convention_mois": "convention.cadre.duree_annees",
        "date_fin_convention": "convention.cadre.date_signature, convention.cadre.duree_annees",
        "jours_depuis_fin_convention": "convention.cadre.date_signature, convention.cadre.duree_annees ; "
        "date d'évaluation",
        "convention_terminee": "convention.cadre.date_signature, convention.cadre.duree_annees ; date d'évaluation",
        "mois_convention_apres_avenant": "convention.cadre.date_signature, convention.cadre.duree_annees, "
        + _avenant_path(c, "date_signature"),
        "tableau_de_bord": "suivi.tableau_de_bord",
        "evaluation_finale": "suivi.evaluation_finale",
        "date_evaluation_finale": "suivi.date_evaluation_finale",
        "cloture": "suivi.cloture",
        "cloture_declaree": "suivi.cloture",
        "date_cloture": "suivi.date_cloture",
        "jours_evaluation_avant_cloture": "suivi.date_evaluation_finale, suivi.date_cloture",
    }
    b.add("calendrier_convention", DOSSIER_ENTITY, values, paths)


def validations(b: Builder, c: Context) -> None:
    avenant: Avenant | None = c.avenant
    avenant_date = avenant.date_signature if avenant else None
    label = f"Avenant n° {avenant.numero}" if avenant else "Avenant de déploiement"
    comite = avenant.date_validation_comite_projet if avenant else None
    items: list[tuple[str, str, bool | None, dt.date | None, str]] = [
        (
            "comite_projet",
            "validation par le comité de projet",
            True if comite else None,
            comite,
            _avenant_path(c, "date_validation_comite_projet"),
        )
    ]
    deliberations = avenant.deliberations if avenant else None
    for organe, libelle in (
        ("commune", "délibération du conseil municipal"),
        ("intercommunalite", "délibération du conseil communautaire"),
    ):
        dates = sorted(x.date for x in deliberations or [] if x.organe == organe)
        validee = None if deliberations is None else bool(dates)
        if not dates and c.documents and _avenant_path(c, "deliberations") in c.documents.provenance:
            validee = None  # a list read from the pieces: a council not found may be a piece not sent
        items.append(
            (f"deliberation_{organe}", libelle, validee, dates[0] if dates else None, _avenant_path(c, "deliberations"))
        )
    for code, libelle, validee, when, path in items:
        b.add(
            "validation_avenant",
            Entity("validation_avenant", code, f"{label} : {libelle}", path),
            {
                "code": code,
                "libelle": libelle,
                "date_avenant": date_int(avenant_date),
                "validee": validee,
                "date_validation": date_int(when),
                "jours_avant_signature": _days(when, avenant_date),
                "constat": _constat(libelle, validee, when, avenant_date),
            },
            {
                "date_avenant": _avenant_path(c, "date_signature"),
                "validee": path,
                "date_validation": path,
                "jours_avant_signature": f"{path}, " + _avenant_path(c, "date_signature"),
            },
        )


def _constat(libelle: str, validee: bool | None, when: dt.date | None, avenant_date: dt.date | None) -> str | None:
    if validee is False:
        return f"aucune {libelle} sur l'avenant"
    if when is None or avenant_date is None:
        return None
    text = f"{libelle} le {french_date(when)}"
    late = (when - avenant_date).days
    if late > 0:
        return f"{text}, {late} jour(s) après la signature de l'avenant le {french_date(avenant_date)}"
    if late < 0:
        return f"{text}, avant la signature de l'avenant le {french_date(avenant_date)}"
    return f"{text}, jour de la signature de l'avenant"


def signataires_avenant(b: Builder, c: Context) -> None:
    avenant = c.avenant
    roles = signing_roles(avenant.signataires) if avenant and avenant.signataires else None
    label = f"Avenant n° {avenant.numero}" if avenant else "Avenant de déploiement"
    path = _avenant_path(c, "signataires")
    for role, libelle in SIGNATAIRES_REQUIS.items():
        b.add(
            "signataire_avenant",
            Entity("signataire_avenant", role, f"{label}, signataire : {libelle}", path),
            {
                "role": role,
                "libelle": libelle,
                "requis": bool(c.dossier.quartiers) if role == "anru" else True,
                "signe": None if roles is None else role in roles,
            },
            {"signe": path, "requis": "quartiers" if role == "anru" else ""},
        )


def _launch(fiche: FicheAction, avenant_date: dt.date | None, as_of: dt.date) -> dict[str, Any]:
    """Whether a fiche's action was launched by the end of the initialisation (the avenant)."""
    if avenant_date is None:
        return {}
    if fiche.date_lancement is not None:
        late = (fiche.date_lancement - avenant_date).days
        text = f"lancée le {french_date(fiche.date_lancement)}"
        return {
            "lancee_pendant_initialisation": late <= 0,
            "jours_apres_avenant": late if late > 0 else None,
            "etat_lancement": text + (f", {late} jour(s) après la signature de l'avenant" if late > 0 else ""),
        }
    if fiche.lancee is False:
        late = max((as_of - avenant_date).days, 0)
        return {
            "lancee_pendant_initialisation": False,
            "jours_apres_avenant": late,
            "etat_lancement": f"toujours pas lancée, {late} jour(s) après la signature de l'avenant",
        }
    return {"etat_lancement": "lancée, sans date" if fiche.lancee else None}


def lancements(b: Builder, c: Context) -> None:
    avenant_date = c.avenant.date_signature if c.avenant else None
    for i, fiche in enumerate(c.dossier.fiches_actions):
        path = f"fiches_actions[{i}]"
        label = f"Fiche action {fiche.id}" + (f" « {fiche.intitule} »" if fiche.intitule else "")
        b.add(
            "lancement_action",
            Entity("fiche_action", fiche.id, label, path),
            {
                "mature": fiche.maturite == "mature",
                "date_avenant": date_int(avenant_date),
                "date_lancement": date_int(fiche.date_lancement),
                **_launch(fiche, avenant_date, c.as_of),
            },
            {
                "mature": f"{path}.maturite",
                "date_avenant": _avenant_path(c, "date_signature"),
                "date_lancement": f"{path}.date_lancement",
                "lancee_pendant_initialisation": f"{path}.date_lancement, {path}.lancee, "
                + _avenant_path(c, "date_signature"),
                "jours_apres_avenant": f"{path}.date_lancement, " + _avenant_path(c, "date_signature"),
            },
        )


ORDER = 70
FAMILIES = (
    Family(("calendrier_convention",), calendrier),
    Family(("validation_avenant",), validations),
    Family(("signataire_avenant",), signataires_avenant),
    Family(("lancement_action",), lancements),
)
