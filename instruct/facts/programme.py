"""Facts of the programme rule set (PROG) about the dossier as a whole: the ville-centre and
the official ACV list, the convention's dates and initialisation, perimeters declared,
indicators, pieces and their avis, dates later than the evaluation date.

The other PROG facts: facts.convention (signatories, expected parts, axes) and facts.fiches
(fiches actions, perimeters, avenants' budgets, chronology)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from instruct.facts.action_logement import duplicate_immeubles
from instruct.facts.anah_anru import situation_anru
from instruct.facts.base import CODES, CONTEXT, Builder, Entity, F, Family, FieldSpec, date_int, months_between
from instruct.french import french_date
from instruct.model.dossier import Avenant, Dossier
from instruct.referentiel.registry import Referentiel

# The town's situation (situation_anru), in the words of a finding.
SITUATIONS_ANRU = {
    "pnrqad": "un quartier PNRQAD",
    "npnru_centre": "un quartier NPNRU en centre-ville",
    "npnru_peripherie": "un quartier NPNRU en périphérie",
    "npnru_localisation_inconnue": "un quartier NPNRU, sans périmètre pour le situer par rapport au centre",
    "aucun": "aucun quartier NPNRU ou PNRQAD",
}

TYPES: dict[str, dict[str, FieldSpec]] = {
    "dossier": {
        **CONTEXT,
        "insee": F(
            "str",
            "code INSEE de la ville-centre",
            definition="Code INSEE de la ville-centre tel que déclaré (collectivites.ville_centre.insee).",
        ),
        "commune": F(
            "str",
            "nom de la ville-centre",
            definition="Nom de la ville-centre (collectivites.ville_centre.nom) ; absent si aucune pièce ne la nomme.",
        ),
        "referentiel_acv_fourni": F(
            "bool",
            "liste officielle des communes ACV fournie",
            True,
            definition=(
                "Vrai si la liste officielle des communes ACV (acv-communes.csv) est fournie par --referentiel."
            ),
        ),
        "commune_acv": F(
            "bool",
            "commune dans la liste officielle ACV",
            definition=(
                "Vrai si le code INSEE de la ville-centre figure dans la liste officielle des "
                "communes ACV ; connu quand la liste et le code sont fournis."
            ),
        ),
        "id_acv": F(
            "str",
            "identifiant ACV de la commune",
            definition=(
                "Identifiant ACV de la commune lu dans la liste officielle (colonne id_acv), quand elle y figure."
            ),
        ),
        "date_convention": F(
            "date",
            "date de signature de la convention-cadre",
            definition="Date de signature de la convention-cadre (convention.cadre.date_signature).",
        ),
        "phase_convention": F(
            "int",
            "phase du programme dont relève la convention",
            definition=(
                "Phase du programme de la convention : celle que le dossier déclare (convention.phase) ; à défaut, "
                "déduite de la signature de la convention-cadre : 1 si elle précède le 1er janvier 2023 (début de "
                "la période 2023-2026), 2 sinon ; absente si ni l'une ni l'autre n'est connue."
            ),
        ),
        "etat_avenant": F(
            "str",
            "signature de l'avenant de déploiement",
            derived_from=("date_convention",),
            definition=(
                "Où en est l'avenant de déploiement à la fin de l'initialisation retenue : « signé le … » ou "
                "« toujours pas signé au … (date d'évaluation) » (texte pour le message)."
            ),
        ),
        "date_avenant": F(
            "date",
            "date de signature de l'avenant de déploiement",
            definition="Date de signature de l'avenant de déploiement retenu (le premier signé).",
        ),
        "date_fin_initialisation": F(
            "date",
            "fin de l'initialisation (avenant, ou date d'évaluation s'il n'est pas signé)",
            derived_from=("date_convention",),
            definition=(
                "Date de fin de l'initialisation : signature de l'avenant de déploiement, ou date "
                "d'évaluation s'il n'est pas signé."
            ),
        ),
        "mois_initialisation": F(
            "int",
            "durée de l'initialisation en mois",
            derived_from=("date_convention",),
            definition=(
                "Nombre de mois, arrondi au mois supérieur, de la signature de la convention-cadre à "
                "la fin de l'initialisation (date_fin_initialisation)."
            ),
        ),
        "perimetre_etude": F(
            "bool",
            "périmètre d'étude défini",
            definition="Vrai si le dossier donne le périmètre d'étude (perimetres.etude) ; absent sinon.",
        ),
        "perimetre_intervention": F(
            "bool",
            "périmètre d'intervention (ORT) pré-identifié",
            definition="Vrai si le dossier donne le périmètre d'intervention (perimetres.intervention) ; absent sinon.",
        ),
        "nb_indicateurs_moyens": F(
            "int",
            "nombre d'indicateurs de moyens",
            definition="Nombre d'indicateurs de type « moyens » de la section indicateurs.",
        ),
        "nb_indicateurs_resultats": F(
            "int",
            "nombre d'indicateurs de résultats",
            definition="Nombre d'indicateurs de type « resultats » de la section indicateurs.",
        ),
        "nb_dates_futures": F(
            "int",
            "nombre de dates postérieures à la date d'évaluation",
            True,
            definition=(
                "Nombre de dates d'événements passés (signatures, délibérations, nomination, comités, "
                "approbations) postérieures à la date d'évaluation."
            ),
        ),
        "nb_immeubles": F(
            "int",
            "nombre d'immeubles proposés à Action Logement",
            True,
            definition="Nombre d'immeubles de la section immeubles (0 si elle est absente).",
        ),
        "situation_anru": F(
            "str",
            "situation de la ville au regard de l'ANRU (PNRQAD, NPNRU en centre, en périphérie, aucun)",
            definition=(
                "Classement de la ville selon ses quartiers (quartiers[].programme, .perimetre et "
                "perimetres.intervention) : pnrqad, npnru_centre, npnru_peripherie, "
                "npnru_localisation_inconnue ou aucun."
            ),
            choices=SITUATIONS_ANRU,
        ),
        "siren_epci_referentiel": F(
            "str",
            "SIREN de l'EPCI selon la liste officielle ACV",
            definition="SIREN de l'EPCI de la commune, lu dans la liste officielle des communes ACV.",
        ),
        "siren_epci": F(
            "str",
            "SIREN de l'intercommunalité",
            definition="SIREN de l'intercommunalité déclaré (collectivites.intercommunalite.siren).",
        ),
        "siren_epci_concorde": F(
            "bool",
            "SIREN de l'EPCI identique dans le dossier et la liste officielle",
            derived_from=("siren_epci_referentiel", "siren_epci"),
            definition=(
                "Vrai si le SIREN de l'intercommunalité du dossier est celui que la liste officielle "
                "donne pour la commune."
            ),
        ),
        "nb_immeubles_en_double": F(
            "int",
            "immeubles décrits deux fois (même adresse ou même référence cadastrale)",
            definition=(
                "Nombre de paires d'immeubles de même adresse ou de même référence cadastrale (accents, casse, "
                "virgules et espaces ignorés) ; absent si aucune paire n'est trouvée alors qu'un immeuble n'a pas "
                "son adresse ou sa référence cadastrale."
            ),
        ),
        "immeubles_en_double": F(
            "str",
            "immeubles décrits deux fois",
            definition=(
                "Les paires d'immeubles en double, avec l'adresse ou la référence commune (texte pour le message)."
            ),
        ),
        "convention_signee": F(
            "bool",
            "convention-cadre ACV signée",
            definition=("Vrai si la convention-cadre a une date de signature (convention.cadre.date_signature)."),
        ),
        "note_projet_urbain": F(
            "bool",
            "note sur le projet urbain et son avancement (pièce)",
            definition=("Vrai si une pièce de type note_projet_urbain est déclarée (pieces[].type) ; absent sinon."),
        ),
        "avis_note_projet_urbain": F(
            "str",
            "avis de la DDT sur la note de projet urbain",
            definition=(
                "Avis porté sur la note de projet urbain (pieces[].avis) : « defavorable » si une de "
                "ses versions l'est, sinon le premier avis donné."
            ),
            choices=CODES,
        ),
        "plan_situation_immeubles": F(
            "bool",
            "plan de situation des immeubles (pièce)",
            definition=("Vrai si une pièce de type plan_situation est déclarée (pieces[].type) ; absent sinon."),
        ),
        "note_utilite_immeubles": F(
            "bool",
            "note sur l'utilité des projets immobiliers (pièce)",
            definition=(
                "Vrai si une pièce de type note_utilite_immeubles est déclarée (pieces[].type) ; absent sinon."
            ),
        ),
        "avis_note_utilite_immeubles": F(
            "str",
            "avis sur la note d'utilité des projets immobiliers",
            definition=(
                "Avis porté sur la note d'utilité des immeubles (pieces[].avis) : « defavorable » si "
                "une de ses versions l'est, sinon le premier avis donné."
            ),
            choices=CODES,
        ),
        "dates_futures": F(
            "str",
            "dates postérieures à la date d'évaluation",
            definition=(
                "Les dix premières dates postérieures à la date d'évaluation, avec leur chemin dans "
                "le dossier (texte pour le message)."
            ),
        ),
    },
}

DOSSIER_ENTITY = Entity("dossier", "dossier", "Dossier", "")

# The phase of the programme a convention belongs to. Phase 1: the conventions-cadres of the
# guide of April 2018 and their avenant, engagements « jusqu'à fin 2022 ». Phase 2: the period
# 2023-2026 of the Government's instruction of 24 May 2023 (NOR IOML2312173J), which prolongs the
# conventions in force by avenant and prepares the conventions 2023-2026. So a convention-cadre
# signed before 1 January 2023 is of phase 1, one signed from then on of phase 2, unless the
# dossier says otherwise (convention.phase: a convention of 2018 continued in phase 2). The date
# is the parameter prog.debut_phase_2 (tests/test_cases.py checks that they agree); rules of
# both branches read the result (dossier and fiche facts).
PHASE_2_FROM = dt.date(2023, 1, 1)


def convention_phase(d: Dossier) -> tuple[int | None, str]:
    """(phase, where it comes from); phase None when neither declared nor deducible."""
    if d.convention and d.convention.phase:
        return d.convention.phase, "convention.phase"
    cadre = d.convention.cadre if d.convention else None
    if cadre and cadre.date_signature:
        phase = 1 if cadre.date_signature < PHASE_2_FROM else 2
        return phase, "convention.cadre.date_signature (phase déduite : avant ou après le 1er janvier 2023)"
    return None, "convention.phase, convention.cadre.date_signature"


def dossier_fact(
    b: Builder,
    d: Dossier,
    as_of: dt.date,
    referentiel: Referentiel | None,
    avenant: Avenant | None,
    avenant_index: int | None,
    provided: set[str] | None = None,
) -> None:
    """`provided`: the files of the dossier folder that were found (None: checked without its
    folder). A declared piece counts as present only if its file was there to examine."""
    ville = d.collectivites.ville_centre
    epci = d.collectivites.intercommunalite
    cadre = d.convention.cadre if d.convention else None
    values: dict[str, Any] = {
        "insee": ville.insee if ville else None,
        "siren_epci": epci.siren if epci else None,
        "commune": ville.nom if ville else None,
        "referentiel_acv_fourni": referentiel is not None and referentiel.communes is not None,
    }
    paths = {
        "insee": "collectivites.ville_centre.insee",
        "siren_epci": "collectivites.intercommunalite.siren",
        "commune": "collectivites.ville_centre.nom",
        "referentiel_acv_fourni": "liste officielle des communes ACV (acv-communes.csv)",
    }
    if referentiel is not None and referentiel.communes is not None and ville and ville.insee:
        commune = referentiel.find(ville.insee)
        values["commune_acv"] = commune is not None
        paths["commune_acv"] = f"collectivites.ville_centre.insee ; {referentiel.source}"
        if commune:
            values["id_acv"] = commune.id_acv
            if commune.siren_epci:
                values["siren_epci_referentiel"] = commune.siren_epci
            if commune.siren_epci and epci and epci.siren:
                values["siren_epci_concorde"] = commune.siren_epci == epci.siren
                paths["siren_epci_concorde"] = f"collectivites.intercommunalite.siren ; {referentiel.source}"
    if cadre and cadre.date_signature:
        values["date_convention"] = date_int(cadre.date_signature)
        end = avenant.date_signature if avenant and avenant.date_signature else as_of
        values["date_fin_initialisation"] = date_int(end)
        values["mois_initialisation"] = months_between(cadre.date_signature, end)
        values["etat_avenant"] = (
            f"signé le {french_date(end)}"
            if avenant and avenant.date_signature
            else f"toujours pas signé au {french_date(end)} (date d'évaluation)"
        )
        paths["date_convention"] = "convention.cadre.date_signature"
        paths["mois_initialisation"] = paths["date_fin_initialisation"] = paths["etat_avenant"] = (
            f"convention.cadre.date_signature, convention.avenants[{avenant_index}].date_signature"
            if avenant and avenant.date_signature
            else "convention.cadre.date_signature ; date d'évaluation (avenant non signé)"
        )
    values["phase_convention"], paths["phase_convention"] = convention_phase(d)
    if avenant and avenant.date_signature:
        values["date_avenant"] = date_int(avenant.date_signature)
        paths["date_avenant"] = f"convention.avenants[{avenant_index}].date_signature"
    if d.perimetres is not None:  # a périmètre not given is not told, never « none »
        values["perimetre_etude"] = True if d.perimetres.etude is not None else None
        values["perimetre_intervention"] = True if d.perimetres.intervention is not None else None
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
    identified = all(imm.adresse and imm.reference_cadastrale for imm in d.immeubles)
    values["nb_immeubles_en_double"] = len(doubles) if doubles or identified else None  # unknown is incomplet
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
        listed = [(i, p) for i, p in enumerate(d.pieces) if p.type == kind and p.fichier in (provided or ())]
        paths[field_name] = f"pieces[{listed[0][0]}]" if listed else f"pieces (type {kind})"
        if listed:
            values[field_name] = True
            if avis_name:  # several versions: an unfavourable avis on any of them wins
                given = [(i, p.avis) for i, p in listed if p.avis]
                chosen = next((g for g in given if g[1] == "defavorable"), given[0] if given else None)
                values[avis_name] = chosen[1] if chosen else None
                paths[avis_name] = f"pieces[{chosen[0]}].avis" if chosen else f"pieces[{listed[0][0]}].avis"
    futures = [(path, f"{label} ({french_date(value)})") for path, label, value in _dated_fields(d) if value > as_of]
    values["nb_dates_futures"] = len(futures)
    if futures:
        values["dates_futures"] = ", ".join(text for _, text in futures[:10]) + (" …" if len(futures) > 10 else "")
        paths["nb_dates_futures"] = "; ".join(path for path, _ in futures[:10])
    b.add("dossier", DOSSIER_ENTITY, values, paths)


def _dated_fields(d: Dossier):
    """Dates of events that have happened (signatures, approvals): (path, French label, date)."""
    if d.convention:
        cadre = d.convention.cadre
        if cadre and cadre.date_signature:
            yield "convention.cadre.date_signature", "signature de la convention-cadre", cadre.date_signature
        if cadre:
            for i, delib in enumerate(cadre.deliberations or []):
                yield f"convention.cadre.deliberations[{i}].date", f"délibération n° {i + 1}", delib.date
            for i, sig in enumerate(cadre.signataires or []):
                if sig.date_signature:
                    who = sig.organisme or sig.role
                    yield f"convention.cadre.signataires[{i}].date_signature", f"signature de {who}", sig.date_signature
            if cadre.date_comite_regional_engagement:
                yield (
                    "convention.cadre.date_comite_regional_engagement",
                    "comité régional d'engagement de la convention-cadre",
                    cadre.date_comite_regional_engagement,
                )
        for i, av in enumerate(d.convention.avenants):
            events = {
                "date_signature": "signature",
                "date_validation_comite_projet": "validation en comité de projet",
                "date_comite_regional_engagement": "comité régional d'engagement",
            }
            for name, what in events.items():
                if getattr(av, name):
                    yield f"convention.avenants[{i}].{name}", f"{what} de l'avenant n° {av.numero}", getattr(av, name)
            for j, delib in enumerate(av.deliberations or []):
                yield (
                    f"convention.avenants[{i}].deliberations[{j}].date",
                    f"délibération sur l'avenant n° {av.numero}",
                    delib.date,
                )
            for j, sig in enumerate(av.signataires):
                if sig.date_signature:
                    yield (
                        f"convention.avenants[{i}].signataires[{j}].date_signature",
                        f"signature de l'avenant n° {av.numero} par {sig.organisme or sig.role}",
                        sig.date_signature,
                    )
    if d.suivi:
        for name, what in (("date_evaluation_finale", "évaluation finale"), ("date_cloture", "clôture")):
            if getattr(d.suivi, name):
                yield f"suivi.{name}", what, getattr(d.suivi, name)
    gouvernance = d.gouvernance
    if gouvernance and gouvernance.directeur_projet and gouvernance.directeur_projet.date_nomination:
        day = gouvernance.directeur_projet.date_nomination
        yield "gouvernance.directeur_projet.date_nomination", "nomination du directeur de projet", day
    events = {
        "date_approbation_comite_projet": "approbation en comité de projet",
        "date_comite_regional": "comité régional",
        "date_signature": "signature",
        "date_lancement": "lancement",
    }
    for i, fiche in enumerate(d.fiches_actions):
        for name, what in events.items():
            value = getattr(fiche, name)
            if value:
                yield f"fiches_actions[{i}].{name}", f"{what} de la fiche action {fiche.id}", value
    if gouvernance and gouvernance.comite_projet and gouvernance.comite_projet.date_installation:
        day = gouvernance.comite_projet.date_installation
        yield "gouvernance.comite_projet.date_installation", "installation du comité de projet", day


ORDER = 0


def _provided(documents) -> set[str] | None:
    return None if documents is None else {p.file for p in documents.pieces if p.provided}


FAMILIES = (
    Family(
        (),
        lambda b, c: dossier_fact(
            b, c.dossier, c.as_of, c.referentiel, c.avenant, c.avenant_index, _provided(c.documents)
        ),
    ),
)
