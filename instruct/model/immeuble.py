"""The immeubles a town proposes to Action Logement: one line of the dossier ville each, and
the dossier opérateur (owner, works, dwellings, planning, financing, commitments)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from instruct.model.fields import Court, Date, Geometrie, Identifiant, Modele, Montant, RoleSignataire, Texte


class Logement(Modele):
    typologie: Literal["T1", "T2", "T3", "T4", "T5+"] = Field(title="Typologie")
    surface_habitable_m2: Annotated[Decimal, Field(gt=0, le=1000)] = Field(title="Surface habitable (m²)")
    loyer_mensuel: Montant | None = Field(None, title="Loyer mensuel")
    sous_plafonds_anah: bool | None = Field(
        None, title="Sous les plafonds Anah", description="loyer et ressources sous les plafonds Anah"
    )
    reserve_salaries: bool | None = Field(
        None, title="Réservé aux salariés (Action Logement)", description="droit de réservation Action Logement"
    )


class MaitriseFonciere(Modele):
    mode: Literal["DUP", "acquisition", "RHI", "promesse"] = Field(title="Mode de maîtrise")
    etat: Literal["envisagee", "engagee", "acquise"] | None = Field(
        None,
        title="État d'avancement",
        description="envisagée, engagée (procédure en cours, promesse signée) ou acquise",
    )
    date: Date | None = Field(None, title="Date")


class Operateur(Modele):
    nom: Court = Field(title="Nom de l'opérateur")
    type: Literal["organisme_hlm", "investisseur_prive", "sem", "collectivite", "epf", "autre"] = Field(
        title="Type d'opérateur"
    )
    siren: Annotated[str, Field(pattern=r"^[0-9]{9}$")] | None = Field(None, title="SIREN")
    autres_acteurs: list[Court] | None = Field(
        None,
        title="Autres acteurs de l'opération",
        description="autres acteurs de l'opération (maîtrise d'ouvrage, AMO, EPF, financeurs…) ; "
        "absent : non renseigné ; [] : aucun autre acteur",
    )


class Travaux(Modele):
    parties_communes: Texte | Literal[False] | None = Field(
        None,
        title="Travaux sur les parties communes",
        description="interventions sur les parties communes ; false : aucune (déclaré) ; absent : non renseigné",
    )
    parties_privatives: Texte | Literal[False] | None = Field(
        None,
        title="Travaux sur les parties privatives",
        description="interventions sur les parties privatives ; false : aucune (déclaré) ; absent : non renseigné",
    )
    montant: Montant | None = Field(None, title="Montant des travaux")


class RezDeChaussee(Modele):
    devenir: Texte | None = Field(None, title="Devenir du rez-de-chaussée", description="devenir du pied d'immeuble")
    commerce: Court | None = Field(
        None, title="Commerce", description="type de commerce (si connu) ou orientations commerciales"
    )
    surface_m2: Annotated[Decimal, Field(ge=0, le=100000)] | None = Field(None, title="Surface (m²)")
    plans: bool | None = Field(
        None,
        title="Plans du rez-de-chaussée fournis",
        description="plans du rez-de-chaussée fournis (absent : non renseigné)",
    )
    remembrement: Texte | None = Field(
        None, title="Remembrement des cellules", description="projet de remembrement des cellules, s'il y en a un"
    )


TypeEtape = Literal["acquisition", "debut_travaux", "fin_travaux", "livraison", "mise_en_location", "autre"]
# Labels of the free-text planning that dossiers wrote before the steps were typed, normalised
# (lower case, no accents): an old dossier stays readable; any other label is « autre ».
ETAPES_CONNUES: dict[str, str] = {
    "acquisition": "acquisition",
    "achat": "acquisition",
    "signature de l'acte": "acquisition",
    "travaux": "debut_travaux",
    "debut des travaux": "debut_travaux",
    "debut travaux": "debut_travaux",
    "demarrage des travaux": "debut_travaux",
    "ouverture de chantier": "debut_travaux",
    "fin des travaux": "fin_travaux",
    "achevement des travaux": "fin_travaux",
    "reception des travaux": "fin_travaux",
    "livraison": "livraison",
    "mise en location": "mise_en_location",
}


def _normal(label: str) -> str:
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("’", "'").split())


class EtapePlanning(Modele):
    type: TypeEtape = Field(
        title="Étape",
        description="nature de l'étape : ses dates sont contrôlées selon elle (acquisition, puis début des travaux, "
        "fin des travaux, livraison, mise en location), jamais selon l'ordre de la liste",
    )
    libelle: Court | None = Field(
        None, title="Intitulé de l'étape", description="intitulé de l'étape (obligatoire pour « autre »)"
    )
    date: Date = Field(title="Date")

    @model_validator(mode="before")
    @classmethod
    def _etape_libre(cls, data: Any) -> Any:
        """The former free-text `etape`: a known label gives its type, another is « autre »."""
        if isinstance(data, dict) and "etape" in data and "type" not in data:
            data = dict(data)
            label = data.pop("etape")
            kind = ETAPES_CONNUES.get(_normal(label), "autre") if isinstance(label, str) else "autre"
            data["type"] = kind
            if kind == "autre":
                data.setdefault("libelle", label)
        return data

    @model_validator(mode="after")
    def _libelle(self) -> EtapePlanning:
        if self.type == "autre" and not self.libelle:
            raise ValueError("une étape « autre » doit avoir un libellé")
        return self


class SourceFinancement(Modele):
    type: Literal["fonds_propres", "pret", "subvention"] = Field(title="Nature du financement")
    financeur: Court = Field(title="Financeur")
    role: RoleSignataire | Literal["porteur"] = Field("autre", title="Rôle du financeur")
    montant: Montant = Field(title="Montant")


class DemandeActionLogement(Modele):
    pret: Montant | None = Field(None, title="Prêt demandé")
    pret_duree_annees: Annotated[int, Field(ge=1, le=60)] | None = Field(None, title="Durée du prêt (années)")
    pret_differe_annees: Annotated[int, Field(ge=0, le=10)] | None = Field(None, title="Différé du prêt (années)")
    subvention: Montant | None = Field(None, title="Subvention demandée")
    objet: Literal["travaux", "portage_foncier"] = Field("travaux", title="Objet de la demande")


class Engagement(Modele):
    logements: Annotated[int, Field(ge=0, le=2000)] = Field(title="Nombre de logements")
    duree_annees: Annotated[int, Field(ge=0, le=99)] = Field(title="Durée de l'engagement (années)")


class Immeuble(Modele):
    """An immeuble proposed to Action Logement: dossier ville line + dossier opérateur."""

    id: Identifiant = Field(
        title="Identifiant de l'immeuble",
        description="un identifiant court, sans espace (par exemple 12-rue-des-halles)",
    )
    adresse: Court | None = Field(None, title="Adresse")
    reference_cadastrale: Court | None = Field(None, title="Référence cadastrale")
    surface_m2: Annotated[Decimal, Field(gt=0, le=200000)] | None = Field(None, title="Surface (m²)")
    proprietaire: Court | None = Field(None, title="Propriétaire")
    operateur: Operateur | None = Field(None, title="Opérateur")
    localisation: Geometrie | None = Field(None, title="Localisation", description="point ou géométrie de la parcelle")
    description: Texte | None = Field(None, title="Description")
    maitrise_fonciere: MaitriseFonciere | None = Field(None, title="Maîtrise foncière")
    logements_immeuble: Annotated[int, Field(ge=0, le=2000)] | None = Field(
        None, title="Logements de l'immeuble", description="logements de l'immeuble entier"
    )
    logements_maitrises: Annotated[int, Field(ge=0, le=2000)] | None = Field(
        None, title="Logements maîtrisés", description="logements que l'opérateur maîtrise"
    )
    logements: Annotated[list[Logement], Field(max_length=2000)] | None = Field(
        None, title="Logements programmés", description="programmation, logement par logement"
    )
    travaux: Travaux | None = Field(None, title="Travaux")
    rez_de_chaussee: RezDeChaussee | None = Field(None, title="Rez-de-chaussée")
    plans: list[Literal["situation", "niveaux_etat_des_lieux", "niveaux_projet"]] | None = Field(
        None, title="Plans fournis"
    )
    planning: list[EtapePlanning] | None = Field(None, title="Planning de l'opération")
    prix_de_revient: Montant | None = Field(
        None, title="Prix de revient total", description="coût total de l'opération"
    )
    prix_de_revient_travaux: Montant | None = Field(
        None, title="Prix de revient des travaux", description="coût des travaux, honoraires compris"
    )
    valeur_acquisition: Montant | None = Field(None, title="Valeur d'acquisition")
    prix_de_revient_autres: Montant | None = Field(
        None,
        title="Autres postes du prix de revient",
        description="autres postes du prix de revient, hors acquisition et travaux (frais annexes, "
        "frais financiers…) ; 0 s'il n'y en a pas",
    )
    plan_de_financement: list[SourceFinancement] | None = Field(None, title="Plan de financement")
    demande_action_logement: DemandeActionLogement | None = Field(None, title="Demande à Action Logement")
    reservations: Engagement | None = Field(None, title="Réservations de logements")
    loyers_maitrises: Engagement | None = Field(
        None, title="Loyers maîtrisés", description="logements sous plafonds Anah et durée"
    )
    pieces: list[Identifiant] = Field([], title="Pièces de l'immeuble")

    @model_validator(mode="after")
    def _coherent(self) -> Immeuble:
        if (
            self.logements_immeuble is not None
            and self.logements_maitrises is not None
            and self.logements_maitrises > self.logements_immeuble
        ):
            raise ValueError("plus de logements maîtrisés que l'immeuble n'en compte")
        count = len(self.logements) if self.logements is not None else None
        for name in ("reservations", "loyers_maitrises"):
            engagement = getattr(self, name)
            if engagement is not None and count is not None and engagement.logements > count:
                raise ValueError(f"{name} : {engagement.logements} logements engagés pour {count} logements programmés")
        return self
