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
    role: RoleSignataire
    organisme: Court
    insee: Annotated[str, Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$")] | None = Field(
        None, description="code INSEE, pour une commune signataire"
    )
    nom: Court | None = None
    qualite: Court | None = Field(None, description="fonction du signataire (maire, président…)")
    date_signature: Date | None = None


class Deliberation(Modele):
    organe: Literal["commune", "intercommunalite", "autre"]
    date: Date
    reference: Court | None = None


class TrameConvention(Modele):
    """Parts of the convention-cadre trame (« Une trame de convention cadre »): true = present, false =
    absent, left out = not told."""

    parties: bool | None = None
    preambule_objectifs: bool | None = None
    engagement_parties: bool | None = None
    organisation_comite_projet: bool | None = None
    duree_evolution_fonctionnement: bool | None = None
    phase_initialisation: bool | None = Field(
        None, description="avec le tableau récapitulatif des études et actions matures"
    )
    suivi_evaluation: bool | None = None
    traitement_litiges: bool | None = None
    annexe_fiches_matures: bool | None = None


class ConventionCadre(Modele):
    date_signature: Date | None = None
    signataires: list[Signataire] | None = Field(None, description="absent : non renseigné ; [] : aucun signataire")
    deliberations: list[Deliberation] | None = Field(
        None, description="absent : non renseigné ; [] : aucune délibération"
    )
    duree_annees: Annotated[int, Field(ge=1, le=30)] | None = None
    contenu: TrameConvention | None = None
    piece: Identifiant | None = Field(None, description="id de la pièce (document signé)")
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

    diagnostic_afom: bool | None = None
    objectifs_generaux_et_par_axe: bool | None = None
    perimetres_intervention: bool | None = None
    plan_actions: bool | None = None
    calendrier_general: bool | None = None
    budget_financement: bool | None = None
    annexe_livrables_etudes: bool | None = None
    annexe_document_presentation: bool | None = None
    annexe_plan_perimetres: bool | None = None
    annexe_calendrier_detaille: bool | None = None
    annexe_budget_detaille: bool | None = None
    annexe_fiches_actions: bool | None = None


class BudgetAvenant(Modele):
    total: Montant
    part_cofinanceurs: Montant | None = None
    part_porteur: Montant | None = None


class Avenant(Modele):
    numero: Annotated[int, Field(ge=1, le=99)]
    objet: Literal["deploiement", "modification"] = "deploiement"
    date_signature: Date | None = Field(None, description="vide tant que l'avenant n'est pas signé")
    signataires: list[Signataire] = []
    contenu: ContenuAvenant | None = None
    budget: BudgetAvenant | None = None
    piece: Identifiant | None = None
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
        description=(
            "phase du programme dont relève la convention : 1 (convention-cadre de 2018 et son avenant, "
            "engagements jusqu'à fin 2022), 2 (conventions 2023-2026, instruction du 24 mai 2023, ou convention "
            "antérieure poursuivie dans cette phase) ; absent : déduite de la signature de la convention-cadre "
            "(1 avant le 1er janvier 2023, 2 ensuite)"
        ),
    )
    cadre: ConventionCadre | None = None
    avenants: list[Avenant] = []

    @field_validator("avenants")
    @classmethod
    def _numeros_uniques(cls, avenants: list[Avenant]) -> list[Avenant]:
        return refuse_duplicates(avenants, "numero", "numéro d'avenant")
