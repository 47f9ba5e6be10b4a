"""The convention of an ACV dossier: the convention-cadre (signatories, délibérations, the parts
of the national trame), its avenants (contents, budget) and the phase of the programme it
belongs to. Absent information follows model.dossier's rule: left out, not told."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from instruct.model.fields import (
    Court,
    Date,
    Identifiant,
    Modele,
    Montant,
    RoleSignataire,
    refuse_duplicates,
)


class Signataire(Modele):
    role: RoleSignataire = Field(title="Rôle", description="ce que le signataire représente")
    organisme: Court = Field(title="Organisme")
    insee: Annotated[str, Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$")] | None = Field(
        None, title="Code INSEE de la commune", description="code INSEE, pour une commune signataire"
    )
    nom: Court | None = Field(None, title="Nom du signataire")
    qualite: Court | None = Field(None, title="Qualité", description="fonction du signataire (maire, président…)")
    date_signature: Date | None = Field(None, title="Date de signature")


class Deliberation(Modele):
    organe: Literal["commune", "intercommunalite", "autre"] = Field(title="Assemblée")
    date: Date = Field(title="Date de la délibération")
    reference: Court | None = Field(None, title="Référence", description="numéro ou référence de la délibération")


class TrameConvention(Modele):
    """Parts of the convention-cadre trame (« Une trame de convention cadre »): true = present, false =
    absent, left out = not told."""

    parties: bool | None = Field(None, title="Parties")
    preambule_objectifs: bool | None = Field(None, title="Préambule et objectifs poursuivis")
    engagement_parties: bool | None = Field(None, title="Engagement général des parties")
    organisation_comite_projet: bool | None = Field(None, title="Organisation des collectivités et comité de projet")
    duree_evolution_fonctionnement: bool | None = Field(
        None, title="Durée, évolution et fonctionnement général de la convention"
    )
    phase_initialisation: bool | None = Field(
        None,
        title="Phase d'initialisation",
        description="avec le tableau récapitulatif des études et actions matures (calendrier, budget, "
        "partenaires financeurs)",
    )
    suivi_evaluation: bool | None = Field(None, title="Modalités de suivi et évaluation")
    traitement_litiges: bool | None = Field(None, title="Traitement des litiges")
    annexe_fiches_matures: bool | None = Field(None, title="Annexe : fiches actions matures")


class ConventionCadre(Modele):
    date_signature: Date | None = Field(None, title="Date de signature")
    signataires: list[Signataire] | None = Field(
        None, title="Signataires", description="absent : non renseigné ; [] : aucun signataire"
    )
    deliberations: list[Deliberation] | None = Field(
        None, title="Délibérations", description="absent : non renseigné ; [] : aucune délibération"
    )
    duree_annees: Annotated[int, Field(ge=1, le=30)] | None = Field(
        None, title="Durée (années)", description="durée de la convention, en années"
    )
    contenu: TrameConvention | None = Field(None, title="Contenu de la convention-cadre")
    piece: Identifiant | None = Field(
        None, title="Pièce de la convention signée", description="id de la pièce (document signé)"
    )
    date_comite_regional_engagement: Date | None = Field(
        None,
        title="Comité régional d'engagement n° 1",
        description=(
            "date du comité régional d'engagement n° 1, qui a examiné la convention-cadre ; absent : non renseignée"
        ),
    )


class ContenuAvenant(Modele):
    """Parts of the avenant (« Contenu de l'avenant(s) à la convention », trame P2): true = present,
    false = absent, left out = not told."""

    diagnostic_afom: bool | None = Field(None, title="Résultats du diagnostic (analyse AFOM)")
    objectifs_generaux_et_par_axe: bool | None = Field(None, title="Objectifs généraux du projet et par axe")
    perimetres_intervention: bool | None = Field(None, title="Périmètres d'intervention")
    plan_actions: bool | None = Field(None, title="Plan d'actions")
    calendrier_general: bool | None = Field(None, title="Calendrier général")
    budget_financement: bool | None = Field(
        None, title="Budget et financement (montant total, part cofinanceurs / part porteur)"
    )
    annexe_livrables_etudes: bool | None = Field(None, title="Annexe : livrables des études")
    annexe_document_presentation: bool | None = Field(None, title="Annexe : document de présentation du projet")
    annexe_plan_perimetres: bool | None = Field(None, title="Annexe : plan des périmètres d'intervention")
    annexe_calendrier_detaille: bool | None = Field(None, title="Annexe : calendrier détaillé du projet")
    annexe_budget_detaille: bool | None = Field(None, title="Annexe : budget détaillé du projet")
    annexe_fiches_actions: bool | None = Field(None, title="Annexe : fiches actions")


class BudgetAvenant(Modele):
    total: Montant = Field(title="Montant total")
    part_cofinanceurs: Montant | None = Field(None, title="Part des cofinanceurs")
    part_porteur: Montant | None = Field(None, title="Part du porteur")


class Avenant(Modele):
    numero: Annotated[int, Field(ge=1, le=99)] = Field(
        title="Numéro de l'avenant", description="1 pour le premier avenant"
    )
    objet: Literal["deploiement", "modification"] = Field(
        "deploiement", title="Objet", description="déploiement du programme, ou modification d'un avenant précédent"
    )
    date_signature: Date | None = Field(
        None, title="Date de signature", description="vide tant que l'avenant n'est pas signé"
    )
    signataires: list[Signataire] = Field([], title="Signataires")
    contenu: ContenuAvenant | None = Field(None, title="Contenu de l'avenant")
    budget: BudgetAvenant | None = Field(None, title="Budget de l'avenant")
    piece: Identifiant | None = Field(
        None, title="Pièce de l'avenant signé", description="identifiant de la pièce (document signé)"
    )
    date_validation_comite_projet: Date | None = Field(
        None,
        title="Validation en comité de projet",
        description="date à laquelle le comité de projet a validé l'avenant ; absent : non renseignée",
    )
    date_comite_regional_engagement: Date | None = Field(
        None,
        title="Comité régional d'engagement n° 2",
        description="date du comité régional d'engagement n° 2, qui a validé l'avenant ; absent : non renseignée",
    )
    deliberations: list[Deliberation] | None = Field(
        None,
        title="Délibérations approuvant l'avenant",
        description="délibérations de la commune et de l'intercommunalité sur l'avenant ; absent : non renseigné ; "
        "[] : aucune délibération",
    )


class Convention(Modele):
    phase: Literal[1, 2] | None = Field(
        None,
        title="Phase du programme",
        description=(
            "phase du programme dont relève la convention : 1 (convention-cadre de 2018 et son avenant, "
            "engagements jusqu'à fin 2022), 2 (conventions 2023-2026, instruction du 24 mai 2023, ou convention "
            "antérieure poursuivie dans cette phase) ; absent : déduite de la signature de la convention-cadre "
            "(1 avant le 1er janvier 2023, 2 ensuite)"
        ),
    )
    cadre: ConventionCadre | None = Field(None, title="Convention-cadre")
    avenants: list[Avenant] = Field([], title="Avenants")

    @field_validator("avenants")
    @classmethod
    def _numeros_uniques(cls, avenants: list[Avenant]) -> list[Avenant]:
        return refuse_duplicates(avenants, "numero", "numéro d'avenant")
