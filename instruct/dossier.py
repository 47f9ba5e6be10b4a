"""The dossier an ACV town submits, as validated data (pydantic v2).

Field names are the domain's French words. Amounts are Decimal euros (two decimals at most),
dates are dates, perimeters are GeoJSON geometries (WGS 84 longitude/latitude).

Convention for absent information: a whole section left out means "not provided" (the rules
that need it say `incomplet`); inside a section that is provided, an item left out means the
town declares it does not have it (the rules say `non_conforme`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from instruct.geometry import GeometryError, to_shape

# Bounds that catch absurd input (a typo of three zeros) rather than real limits.
MONTANT_MAX = Decimal("10000000000")  # 10 Md€
DATE_MIN = dt.date(1950, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)

Montant = Annotated[Decimal, Field(ge=0, le=MONTANT_MAX, decimal_places=2)]
Texte = Annotated[str, Field(min_length=1, max_length=20000)]
Court = Annotated[str, Field(min_length=1, max_length=500)]
Identifiant = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


class Modele(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)

    @field_validator("*", mode="after")
    @classmethod
    def _date_plausible(cls, value: Any) -> Any:
        if isinstance(value, dt.date) and not DATE_MIN <= value <= DATE_MAX:
            raise ValueError(f"date hors des bornes plausibles ({DATE_MIN.year}–{DATE_MAX.year})")
        return value


class Geometrie(Modele):
    """A GeoJSON geometry: Point, Polygon or MultiPolygon, longitude/latitude WGS 84."""

    model_config = ConfigDict(extra="allow")
    type: Literal["Point", "MultiPoint", "Polygon", "MultiPolygon"]
    coordinates: list[Any]

    @model_validator(mode="after")
    def _valide(self) -> "Geometrie":
        try:
            to_shape(self.model_dump())
        except GeometryError as exc:
            raise ValueError(str(exc)) from None
        return self


# --- Collectivités ---------------------------------------------------------------------

class VilleCentre(Modele):
    nom: Court
    insee: Annotated[str, Field(pattern=r"^(\d{5}|2[AB]\d{3})$", description="code INSEE (5 caractères, 2A/2B pour la Corse)")]


class Intercommunalite(Modele):
    nom: Court
    siren: Annotated[str, Field(pattern=r"^\d{9}$", description="SIREN de l'EPCI (9 chiffres)")]


class AutreCommune(Modele):
    nom: Court
    insee: Annotated[str, Field(pattern=r"^(\d{5}|2[AB]\d{3})$")]


class Collectivites(Modele):
    ville_centre: VilleCentre
    intercommunalite: Intercommunalite
    autres_communes: list[AutreCommune] = []


# --- Convention --------------------------------------------------------------------------

RoleSignataire = Literal[
    "ville_centre", "intercommunalite", "prefet", "cdc", "action_logement", "anah", "anru",
    "region", "departement", "autre_commune", "autre",
]


class Signataire(Modele):
    role: RoleSignataire
    organisme: Court
    nom: Court | None = None
    qualite: Court | None = Field(None, description="fonction du signataire (maire, président…)")
    date_signature: dt.date | None = None


class Deliberation(Modele):
    organe: Literal["commune", "intercommunalite", "autre"]
    date: dt.date
    reference: Court | None = None


class TrameConvention(Modele):
    """Parts of the convention-cadre trame (« Une trame de convention cadre »): true = present."""

    parties: bool = False
    preambule_objectifs: bool = False
    engagement_parties: bool = False
    organisation_comite_projet: bool = False
    duree_evolution_fonctionnement: bool = False
    phase_initialisation: bool = Field(False, description="avec le tableau récapitulatif des études et actions matures")
    suivi_evaluation: bool = False
    traitement_litiges: bool = False
    annexe_fiches_matures: bool = False


class ConventionCadre(Modele):
    date_signature: dt.date | None = None
    signataires: list[Signataire] = []
    deliberations: list[Deliberation] = []
    duree_annees: Annotated[int, Field(ge=1, le=30)] | None = None
    contenu: TrameConvention | None = None
    piece: Identifiant | None = Field(None, description="id de la pièce (document signé)")


class ContenuAvenant(Modele):
    """Parts of the avenant (« Contenu de l'avenant(s) à la convention », trame P2)."""

    diagnostic_afom: bool = False
    objectifs_generaux_et_par_axe: bool = False
    perimetres_intervention: bool = False
    plan_actions: bool = False
    calendrier_general: bool = False
    budget_financement: bool = False
    annexe_livrables_etudes: bool = False
    annexe_document_presentation: bool = False
    annexe_plan_perimetres: bool = False
    annexe_calendrier_detaille: bool = False
    annexe_budget_detaille: bool = False
    annexe_fiches_actions: bool = False


class BudgetAvenant(Modele):
    total: Montant
    part_cofinanceurs: Montant | None = None
    part_porteur: Montant | None = None


class Avenant(Modele):
    numero: Annotated[int, Field(ge=1, le=99)]
    objet: Literal["deploiement", "modification"] = "deploiement"
    date_signature: dt.date | None = Field(None, description="vide tant que l'avenant n'est pas signé")
    signataires: list[Signataire] = []
    contenu: ContenuAvenant | None = None
    budget: BudgetAvenant | None = None
    piece: Identifiant | None = None


class Convention(Modele):
    cadre: ConventionCadre | None = None
    avenants: list[Avenant] = []

    @field_validator("avenants")
    @classmethod
    def _numeros_uniques(cls, avenants: list[Avenant]) -> list[Avenant]:
        numeros = [a.numero for a in avenants]
        if len(numeros) != len(set(numeros)):
            raise ValueError("deux avenants portent le même numéro")
        return avenants


# --- Gouvernance -------------------------------------------------------------------------

QualiteMembre = Literal[
    "elu", "directeur_projet", "prefet", "referent_departemental", "cdc", "action_logement",
    "anah", "anru", "region", "departement", "autre",
]


class Personne(Modele):
    nom: Court
    fonction: Court | None = None
    date_nomination: dt.date | None = None


class Membre(Modele):
    nom: Court
    qualite: QualiteMembre
    organisme: Court | None = None


class ComiteProjet(Modele):
    date_installation: dt.date | None = None
    membres: list[Membre] = []


class EquipeProjet(Modele):
    operationnelle: bool = False
    membres: list[Personne] = []


class Gouvernance(Modele):
    directeur_projet: Personne | None = None
    comite_projet: ComiteProjet | None = None
    equipe_projet: EquipeProjet | None = None
    partenaires_locaux: list[Court] = Field([], description="partenaires locaux au-delà des partenaires nationaux")


class Preparation(Modele):
    """Prérequis pour la préparation (« Déroulement du Programme »)."""

    contacts_cles: list[Personne] = []
    dispositifs_identifies: list[Court] = Field([], description="contrats et dispositifs antérieurs ou en vigueur (OPAH, NPNRU, contrat de ville…)")
    elements_diagnostic: bool = False
    trame_etat_utilisee: bool = False


# --- Périmètres, axes, actions -------------------------------------------------------------

class Secteur(Modele):
    id: Identifiant
    nom: Court
    geometrie: Geometrie


class Perimetres(Modele):
    etude: Geometrie | None = None
    intervention: Geometrie | None = Field(None, description="périmètre d'intervention, futur périmètre ORT")
    secteurs_prioritaires: list[Secteur] = []


class Axe(Modele):
    numero: Annotated[int, Field(ge=1, le=5)]
    diagnostic: Texte | None = None
    objectifs: list[Court] = []


class SujetsTransversaux(Modele):
    innovation: Texte | None = None
    numerique: Texte | None = None
    animation: Texte | None = None


class Calendrier(Modele):
    debut: dt.date
    fin: dt.date

    @model_validator(mode="after")
    def _ordre(self) -> "Calendrier":
        if self.fin < self.debut:
            raise ValueError("la fin du calendrier précède son début")
        return self


class Financement(Modele):
    financeur: Court
    role: RoleSignataire | Literal["porteur"] = "autre"
    montant: Montant
    date_engagement: dt.date | None = None


class FicheAction(Modele):
    id: Identifiant
    intitule: Court | None = None
    axe: Annotated[int, Field(ge=1, le=5)] | None = None
    maitre_ouvrage: Court | None = None
    maturite: Literal["mature", "a_venir"] = "a_venir"
    calendrier: Calendrier | None = None
    cout: Montant | None = None
    financement: list[Financement] = []
    date_approbation_comite_projet: dt.date | None = None
    date_comite_regional: dt.date | None = None
    date_signature: dt.date | None = None
    signataires: list[Court] = Field([], description="organismes ayant signé la fiche")
    localisation: Geometrie | None = None
    piece: Identifiant | None = None


class Indicateur(Modele):
    nom: Court
    type: Literal["moyens", "resultats"]
    valeur_cible: Decimal | None = None
    unite: Court | None = None


class Piece(Modele):
    id: Identifiant
    type: Literal[
        "convention_cadre", "avenant", "note_projet_urbain", "plan_situation", "fiche_action",
        "dossier_operateur", "deliberation", "note_utilite_immeubles", "autre",
    ]
    fichier: Court
    titre: Court | None = None


# --- Room for the partner rule sets (filled by their issues) ---------------------------------

class Immeuble(Modele):
    """An immeuble proposed to Action Logement (dossier ville + dossier opérateur)."""

    model_config = ConfigDict(extra="allow")
    id: Identifiant
    adresse: Court | None = None


class DispositifAnah(Modele):
    model_config = ConfigDict(extra="allow")
    id: Identifiant
    type: Literal["OPAH-RU", "OPAH-CD", "OPAH", "plan_de_sauvegarde", "PIG", "RHI-THIRORI"]


class Quartier(Modele):
    model_config = ConfigDict(extra="allow")
    code_qpv: Court
    nom: Court
    programme: Literal["NPNRU_national", "NPNRU_regional", "PNRQAD"]
    perimetre: Geometrie | None = None


class Dossier(Modele):
    """Un dossier Action Cœur de Ville."""

    id: Identifiant
    fictif: bool = Field(False, description="vrai pour les exemples : la ville n'existe pas")
    collectivites: Collectivites
    convention: Convention | None = None
    gouvernance: Gouvernance | None = None
    preparation: Preparation | None = None
    perimetres: Perimetres | None = None
    axes: list[Axe] | None = None
    sujets_transversaux: SujetsTransversaux | None = None
    fiches_actions: Annotated[list[FicheAction], Field(max_length=2000)] = []
    indicateurs: list[Indicateur] | None = None
    pieces: list[Piece] = []
    immeubles: list[Immeuble] = []
    dispositifs_anah: list[DispositifAnah] = []
    quartiers: list[Quartier] = []

    @field_validator("fiches_actions")
    @classmethod
    def _fiches_uniques(cls, fiches: list[FicheAction]) -> list[FicheAction]:
        vus: set[str] = set()
        for fiche in fiches:
            if fiche.id in vus:
                raise ValueError(f"identifiant de fiche action en double : {fiche.id}")
            vus.add(fiche.id)
        return fiches

    @field_validator("axes")
    @classmethod
    def _axes_uniques(cls, axes: list[Axe] | None) -> list[Axe] | None:
        if axes is not None:
            numeros = [a.numero for a in axes]
            if len(numeros) != len(set(numeros)):
                raise ValueError("un axe est décrit deux fois")
        return axes
