"""The dossier an ACV town submits, as validated data (pydantic v2).

Field names are the domain's French words. Amounts are Decimal euros (two decimals at most),
dates are dates, perimeters are GeoJSON geometries (WGS 84 longitude/latitude).

Convention for absent information: what the dossier does not say is not provided (the rules
that need it say `incomplet`), whether a whole section or one field of it is left out. Only
what the town says is judged: a list given (even []) is complete, so an item missing from it is
absent (`non_conforme`); a yes/no field given as false is a no. Fields whose absence is a
statement say so in their description (« absent : … »).

The building blocks (bounds, base model, geometries) are in model.fields, the convention-cadre and
its avenants in model.convention, the immeubles proposed to Action Logement in model.immeuble.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

# The convention's classes live in model.convention; the other stages import them from here.
from instruct.model.convention import Avenant, ContenuAvenant, Convention, Signataire, TrameConvention  # noqa: F401
from instruct.model.fields import (
    Court,
    Date,
    Geometrie,
    Identifiant,
    Modele,
    Montant,
    Nom,
    Nombre,
    RoleSignataire,
    Surface,
    Texte,
    refuse_duplicates,
)
from instruct.model.immeuble import Immeuble
from instruct.model.suivi import Suivi

# --- Collectivités ---------------------------------------------------------------------


class VilleCentre(Modele):
    nom: Nom
    insee: (
        Annotated[
            str,
            Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$", description="code INSEE (5 caractères, 2A/2B pour la Corse)"),
        ]
        | None
    ) = Field(None, description="code INSEE (5 caractères, 2A/2B pour la Corse) ; absent : non renseigné")


class Intercommunalite(Modele):
    nom: Nom
    siren: Annotated[str, Field(pattern=r"^[0-9]{9}$", description="SIREN de l'EPCI (9 chiffres)")] | None = Field(
        None, description="SIREN de l'EPCI (9 chiffres) ; absent : non renseigné"
    )


class AutreCommune(Modele):
    nom: Nom
    insee: Annotated[str, Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$")]


class Collectivites(Modele):
    # Absent only when no piece of a folder without dossier.yaml names them: never invented, the
    # rules that need them are incomplet.
    ville_centre: VilleCentre | None = Field(None, description="la ville-centre ; absente : non identifiée")
    intercommunalite: Intercommunalite | None = Field(
        None, description="l'intercommunalité (EPCI) ; absente : non identifiée"
    )
    autres_communes: list[AutreCommune] = []


# --- Gouvernance -------------------------------------------------------------------------

QualiteMembre = Literal[
    "elu",
    "directeur_projet",
    "prefet",
    "referent_departemental",
    "cdc",
    "action_logement",
    "anah",
    "anru",
    "region",
    "departement",
    "autre",
]


class Personne(Modele):
    nom: Court
    fonction: Court | None = None
    date_nomination: Date | None = None


class Membre(Modele):
    nom: Court
    qualite: QualiteMembre
    organisme: Court | None = None


class ComiteProjet(Modele):
    date_installation: Date | None = Field(None, description="absent : installation non renseignée")
    membres: list[Membre] | None = Field(None, description="absent : non renseigné ; [] : aucun membre")


class EquipeProjet(Modele):
    operationnelle: bool | None = Field(None, description="absent : non renseigné ; false : pas encore opérationnelle")
    membres: list[Personne] = []


class Gouvernance(Modele):
    directeur_projet: Personne | None = None
    comite_projet: ComiteProjet | None = None
    equipe_projet: EquipeProjet | None = None
    partenaires_locaux: list[Court] | None = Field(
        None,
        description=(
            "partenaires locaux au-delà des partenaires nationaux (État, Caisse des Dépôts, Action Logement, Anah, "
            "ANRU) ; absent : non renseigné ; [] : aucun"
        ),
    )


class Preparation(Modele):
    """Prérequis pour la préparation (« Déroulement du Programme »)."""

    contacts_cles: list[Personne] | None = Field(None, description="absent : non renseigné ; [] : aucun")
    dispositifs_identifies: list[Court] | None = Field(
        None,
        description=(
            "contrats et dispositifs antérieurs ou en vigueur (OPAH, NPNRU, contrat de ville…) ; absent : non "
            "renseigné ; [] : aucun identifié"
        ),
    )
    elements_diagnostic: bool | None = Field(None, description="absent : non renseigné")
    trame_etat_utilisee: bool | None = Field(None, description="absent : non renseigné")


# --- Périmètres, axes, actions -------------------------------------------------------------


class Secteur(Modele):
    id: Identifiant
    nom: Court
    geometrie: Surface


class Perimetres(Modele):
    etude: Surface | None = None
    intervention: Surface | None = Field(None, description="périmètre d'intervention, futur périmètre ORT")
    secteurs_prioritaires: list[Secteur] = []

    @field_validator("secteurs_prioritaires")
    @classmethod
    def _secteurs_uniques(cls, secteurs: list[Secteur]) -> list[Secteur]:
        return refuse_duplicates(secteurs, "id", "identifiant de secteur prioritaire")


class Axe(Modele):
    numero: Annotated[int, Field(ge=1, le=5)]
    diagnostic: Texte | None = None
    objectifs: list[Court] = []


class SujetsTransversaux(Modele):
    innovation: Texte | None = None
    numerique: Texte | None = None
    animation: Texte | None = None


class Calendrier(Modele):
    debut: Date
    fin: Date

    @model_validator(mode="after")
    def _ordre(self) -> Calendrier:
        if self.fin < self.debut:
            raise ValueError("la fin du calendrier précède son début")
        return self


class Financement(Modele):
    financeur: Court
    role: RoleSignataire | Literal["porteur"] = "autre"
    montant: Montant
    date_engagement: Date | None = None


class FicheAction(Modele):
    id: Identifiant
    intitule: Court | None = None
    axe: Annotated[int, Field(ge=1, le=5)] | None = None
    maitre_ouvrage: Court | None = None
    maturite: Literal["mature", "a_venir"] = "a_venir"
    calendrier: Calendrier | None = None
    cout: Montant | None = None
    financement: list[Financement] = Field([], description="plan de financement ; [] ou absent : non renseigné")
    date_approbation_comite_projet: Date | None = None
    date_comite_regional: Date | None = None
    date_signature: Date | None = None
    signataires: list[Court] | None = Field(
        None, description="organismes ayant signé la fiche ; absent : non renseigné ; [] : aucun"
    )
    categorie_anru: (
        Literal[
            "ingenierie",
            "amenagement",
            "recyclage_habitat_ancien_valide_ce",
            "recyclage_habitat_ancien",
            "reconstitution_offre_sociale",
            "requalification_offre_sociale",
            "equipements",
            "restructuration_commerciale",
            "diversification_prime_accession",
            "autre",
        ]
        | None
    ) = Field(None, description="nature de l'intervention financée par l'ANRU")
    localisation: Geometrie | None = None
    piece: Identifiant | None = None
    lancee: bool | None = Field(
        None,
        title="Action lancée",
        description=(
            "vrai : l'action est engagée (lancée) ; faux : elle n'est pas encore lancée ; absent : non renseigné"
        ),
    )
    date_lancement: Date | None = Field(
        None,
        title="Date de lancement",
        description="date à laquelle l'action a été engagée (lancée : étude commandée, travaux commencés…)",
    )

    @model_validator(mode="after")
    def _lancement(self) -> FicheAction:
        if self.lancee is False and self.date_lancement is not None:
            raise ValueError("une date de lancement est donnée pour une action déclarée non lancée")
        return self


class Indicateur(Modele):
    nom: Court
    type: Literal["moyens", "resultats"]
    valeur_cible: Nombre | None = None
    unite: Court | None = None


class Piece(Modele):
    id: Identifiant
    type: Literal[
        "convention_cadre",
        "avenant",
        "note_projet_urbain",
        "plan_situation",
        "fiche_action",
        "dossier_operateur",
        "deliberation",
        "note_utilite_immeubles",
        "autre",
    ]
    fichier: Court
    titre: Court | None = None
    avis: Literal["favorable", "defavorable"] | None = Field(
        None, description="avis de l'instructeur sur la pièce (ex. DDT sur la note de projet urbain)"
    )


# --- Anah, ANRU, ORT -------------------------------------------------------------------------


class DemandeAnah(Modele):
    objet: Literal["chef_de_projet", "etudes", "suivi_animation"]
    depense_annuelle_ht: Montant | None = Field(None, description="dépense annuelle HT du poste ou de la mission")
    taux_pct: Annotated[Decimal, Field(ge=0, le=100)] | None = Field(None, description="taux de cofinancement demandé")
    montant: Montant | None = Field(None, description="montant (annuel pour le chef de projet) demandé à l'Anah")


class DispositifAnah(Modele):
    id: Identifiant
    type: Literal["OPAH-RU", "OPAH-CD", "OPAH", "plan_de_sauvegarde", "PIG", "RHI-THIRORI"]
    etat: Literal["etudes_pre_operationnelles", "en_cours", "termine", "projete"]
    maitre_ouvrage: Literal["ville", "epci", "departement", "autre"]
    date_debut: Date | None = None
    date_fin: Date | None = None
    perimetre: Surface | None = None
    objectifs_logements: Annotated[int, Field(ge=0, le=100000)] | None = None
    reference_convention: bool | None = Field(
        None, description="la convention ACV s'y réfère (date, périmètre, échéance)"
    )
    prolongation_prevue: bool | None = None
    gouvernance_fusionnee: bool | None = Field(
        None, description="instances de l'OPAH fusionnées avec celles du programme"
    )
    objectifs_comptes_dans_programme: bool | None = Field(
        None, description="objectifs du PIG comptés dans ceux du programme"
    )
    coordination_maitres_ouvrage: bool | None = Field(None, description="coordination entre maîtres d'ouvrage décrite")
    perimetre_dans_epci: bool | None = Field(
        None,
        description="le périmètre du dispositif est compris dans le territoire de l'intercommunalité "
        "(périmètre d'intervention global de l'Anah) ; absent : non renseigné",
    )
    demandes: list[DemandeAnah] = []


class Quartier(Modele):
    code_qpv: Court
    nom: Court
    programme: Literal["NPNRU_national", "NPNRU_regional", "PNRQAD"]
    perimetre: Surface | None = None
    date_convention_anru: Date | None = None
    date_comite_engagement: Date | None = Field(None, description="comité d'engagement NPNRU")
    convention_anru_referencee: bool | None = Field(
        None, description="la convention ACV et la convention pluriannuelle de renouvellement urbain se référencent"
    )
    coherence_projets: bool | None = Field(
        None, description="objectifs, gouvernance, moyens et calendriers mis en cohérence"
    )
    articulation_pnrqad: bool | None = Field(None, description="comment le programme achève ou prolonge le PNRQAD")


class SecteurORT(Modele):
    id: Identifiant
    nom: Court
    commune_insee: Annotated[str, Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$")]
    centre_ville: bool = False
    partie_urbanisee: bool = Field(False, description="partie déjà urbanisée (depuis la loi du 21 février 2022)")
    geometrie: Surface | None = None
    seuil_aec_m2: Annotated[int, Field(ge=0, le=1000000)] | None = Field(
        None, description="surface de vente au-delà de laquelle la convention rétablit l'AEC"
    )
    seuil_aec_alimentaire_m2: Annotated[int, Field(ge=0, le=1000000)] | None = Field(
        None, description="même seuil pour les commerces à prédominance alimentaire"
    )


class ORT(Modele):
    date_signature: Date | None = None
    duree_annees: Annotated[int, Field(ge=0, le=30)] | None = None
    signataires: list[Signataire] | None = Field(
        None, description="absent : ceux de la convention-cadre ACV (qui vaut ORT)"
    )
    derogation_ville_principale: Date | None = Field(None, description="date de la décision du préfet (L303-3)")
    projet_revitalisation: bool | None = None
    actions_habitat: bool | None = None
    calendrier: bool | None = None
    plan_financement: bool | None = None
    secteurs: list[SecteurORT] = []

    @field_validator("secteurs")
    @classmethod
    def _secteurs_uniques(cls, secteurs: list[SecteurORT]) -> list[SecteurORT]:
        return refuse_duplicates(secteurs, "id", "identifiant de secteur d'intervention")


# Lists whose items must have distinct identifiers: field -> (identifier, French name).
UNIQUE_KEYS = {
    "fiches_actions": ("id", "identifiant de fiche action"),
    "immeubles": ("id", "identifiant d'immeuble"),
    "dispositifs_anah": ("id", "identifiant de dispositif Anah"),
    "pieces": ("id", "identifiant de pièce"),
    "quartiers": ("code_qpv", "code QPV"),
    "axes": ("numero", "axe"),
}


class Dossier(Modele):
    """Un dossier Action Cœur de Ville."""

    id: Identifiant
    fictif: bool = Field(
        False,
        description="vrai pour un exemple ou un dossier synthétique : la ville n'existe pas ou le dossier est inventé",
    )
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
    immeubles: Annotated[list[Immeuble], Field(max_length=500)] = []
    dispositifs_anah: list[DispositifAnah] | None = None
    quartiers: list[Quartier] | None = Field(
        None, description="absent : situation ANRU non déclarée ; [] : aucun quartier"
    )
    ort: ORT | None = None
    suivi: Suivi | None = Field(
        None, description="suivi du déploiement, évaluation finale et clôture ; absent : non renseigné"
    )

    @field_validator(*UNIQUE_KEYS)
    @classmethod
    def _identifiants_uniques(cls, items: list | None, info: ValidationInfo) -> list | None:
        key, what = UNIQUE_KEYS[info.field_name]
        return refuse_duplicates(items, key, what)
