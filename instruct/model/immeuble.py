"""The immeubles a town proposes to Action Logement: one line of the dossier ville each, and
the dossier opérateur (owner, works, dwellings, planning, financing, commitments)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from instruct.model.fields import Court, Date, Geometrie, Identifiant, Modele, Montant, RoleSignataire, Texte


class Logement(Modele):
    typologie: Literal["T1", "T2", "T3", "T4", "T5+"]
    surface_habitable_m2: Annotated[Decimal, Field(gt=0, le=1000)]
    loyer_mensuel: Montant | None = None
    sous_plafonds_anah: bool | None = Field(None, description="loyer et ressources sous les plafonds Anah")
    reserve_salaries: bool | None = Field(None, description="droit de réservation Action Logement")


class MaitriseFonciere(Modele):
    mode: Literal["DUP", "acquisition", "RHI", "promesse"]
    etat: Literal["envisagee", "engagee", "acquise"] | None = Field(
        None, description="envisagée, engagée (procédure en cours, promesse signée) ou acquise"
    )
    date: Date | None = None


class Operateur(Modele):
    nom: Court
    type: Literal["organisme_hlm", "investisseur_prive", "sem", "collectivite", "epf", "autre"]
    siren: Annotated[str, Field(pattern=r"^[0-9]{9}$")] | None = None
    autres_acteurs: list[Court] | None = Field(
        None,
        description="autres acteurs de l'opération (maîtrise d'ouvrage, AMO, EPF, financeurs…) ; "
        "absent : non renseigné ; [] : aucun autre acteur",
    )


class Travaux(Modele):
    parties_communes: Texte | Literal[False] | None = Field(
        None, description="interventions sur les parties communes ; false : aucune (déclaré) ; absent : non renseigné"
    )
    parties_privatives: Texte | Literal[False] | None = Field(
        None, description="interventions sur les parties privatives ; false : aucune (déclaré) ; absent : non renseigné"
    )
    montant: Montant | None = None


class RezDeChaussee(Modele):
    devenir: Texte | None = Field(None, description="devenir du pied d'immeuble")
    commerce: Court | None = Field(None, description="type de commerce (si connu) ou orientations commerciales")
    surface_m2: Annotated[Decimal, Field(ge=0, le=100000)] | None = None
    plans: bool | None = Field(None, description="plans du rez-de-chaussée fournis (absent : non renseigné)")
    remembrement: Texte | None = Field(None, description="projet de remembrement des cellules, s'il y en a un")


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
        description="nature de l'étape : ses dates sont contrôlées selon elle (acquisition, puis début des travaux, "
        "fin des travaux, livraison, mise en location), jamais selon l'ordre de la liste"
    )
    libelle: Court | None = Field(None, description="intitulé de l'étape (obligatoire pour « autre »)")
    date: Date

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
    type: Literal["fonds_propres", "pret", "subvention"]
    financeur: Court
    role: RoleSignataire | Literal["porteur"] = "autre"
    montant: Montant


class DemandeActionLogement(Modele):
    pret: Montant | None = None
    pret_duree_annees: Annotated[int, Field(ge=1, le=60)] | None = None
    pret_differe_annees: Annotated[int, Field(ge=0, le=10)] | None = None
    subvention: Montant | None = None
    objet: Literal["travaux", "portage_foncier"] = "travaux"


class Engagement(Modele):
    logements: Annotated[int, Field(ge=0, le=2000)]
    duree_annees: Annotated[int, Field(ge=0, le=99)]


class Immeuble(Modele):
    """An immeuble proposed to Action Logement: dossier ville line + dossier opérateur."""

    id: Identifiant
    adresse: Court | None = None
    reference_cadastrale: Court | None = None
    surface_m2: Annotated[Decimal, Field(gt=0, le=200000)] | None = None
    proprietaire: Court | None = None
    operateur: Operateur | None = None
    localisation: Geometrie | None = Field(None, description="point ou géométrie de la parcelle")
    description: Texte | None = None
    maitrise_fonciere: MaitriseFonciere | None = None
    logements_immeuble: Annotated[int, Field(ge=0, le=2000)] | None = Field(
        None, description="logements de l'immeuble entier"
    )
    logements_maitrises: Annotated[int, Field(ge=0, le=2000)] | None = Field(
        None, description="logements que l'opérateur maîtrise"
    )
    logements: Annotated[list[Logement], Field(max_length=2000)] | None = Field(
        None, description="programmation, logement par logement"
    )
    travaux: Travaux | None = None
    rez_de_chaussee: RezDeChaussee | None = None
    plans: list[Literal["situation", "niveaux_etat_des_lieux", "niveaux_projet"]] | None = None
    planning: list[EtapePlanning] | None = None
    prix_de_revient: Montant | None = None
    prix_de_revient_travaux: Montant | None = Field(None, description="coût des travaux, honoraires compris")
    valeur_acquisition: Montant | None = None
    prix_de_revient_autres: Montant | None = Field(
        None,
        description="autres postes du prix de revient, hors acquisition et travaux (frais annexes, "
        "frais financiers…) ; 0 s'il n'y en a pas",
    )
    plan_de_financement: list[SourceFinancement] | None = None
    demande_action_logement: DemandeActionLogement | None = None
    reservations: Engagement | None = None
    loyers_maitrises: Engagement | None = Field(None, description="logements sous plafonds Anah et durée")
    pieces: list[Identifiant] = []

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
