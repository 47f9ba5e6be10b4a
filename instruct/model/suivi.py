"""The follow-up of a convention after its avenant: monitoring dashboard, final evaluation,
closure (« Phase 3 – Déploiement des projets et des actions » of the programme guide)."""

from __future__ import annotations

from pydantic import Field, model_validator

from instruct.model.fields import Date, Modele


class Suivi(Modele):
    """Suivi et fin de la convention (« Phase 3 – Déploiement des projets et des actions »)."""

    tableau_de_bord: bool | None = Field(
        None,
        title="Tableau de bord de suivi",
        description="vrai : un tableau de bord de suivi des actions est tenu ; faux : aucun ; absent : non renseigné",
    )
    evaluation_finale: bool | None = Field(
        None,
        title="Évaluation finale réalisée",
        description="vrai : l'évaluation finale des résultats est faite ; faux : pas encore ; absent : non renseigné",
    )
    date_evaluation_finale: Date | None = Field(
        None, title="Date de l'évaluation finale", description="date de l'évaluation finale des résultats"
    )
    cloture: bool | None = Field(
        None,
        title="Convention close",
        description="vrai : la convention est close ; faux : pas encore ; absent : non renseigné",
    )
    date_cloture: Date | None = Field(None, title="Date de clôture", description="date de clôture de la convention")

    @model_validator(mode="after")
    def _dates(self) -> Suivi:
        if self.evaluation_finale is False and self.date_evaluation_finale is not None:
            raise ValueError("une date d'évaluation finale est donnée pour une évaluation déclarée non faite")
        if self.cloture is False and self.date_cloture is not None:
            raise ValueError("une date de clôture est donnée pour une convention déclarée non close")
        return self
