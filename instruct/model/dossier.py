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
    nom: Nom = Field(title="Nom de la commune")
    insee: (
        Annotated[
            str,
            Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$", description="code INSEE (5 caractères, 2A/2B pour la Corse)"),
        ]
        | None
    ) = Field(
        None, title="Code INSEE", description="code INSEE (5 caractères, 2A/2B pour la Corse) ; absent : non renseigné"
    )


class Intercommunalite(Modele):
    nom: Nom = Field(title="Nom de l'intercommunalité")
    siren: Annotated[str, Field(pattern=r"^[0-9]{9}$", description="SIREN de l'EPCI (9 chiffres)")] | None = Field(
        None, title="SIREN", description="SIREN de l'EPCI (9 chiffres) ; absent : non renseigné"
    )


class AutreCommune(Modele):
    nom: Nom = Field(title="Nom de la commune")
    insee: Annotated[str, Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$")] = Field(title="Code INSEE")


class Collectivites(Modele):
    # Absent only when no piece of a folder without dossier.yaml names them: never invented, the
    # rules that need them are incomplet.
    ville_centre: VilleCentre | None = Field(
        None, title="Ville-centre", description="la ville-centre ; absente : non identifiée"
    )
    intercommunalite: Intercommunalite | None = Field(
        None, title="Intercommunalité", description="l'intercommunalité (EPCI) ; absente : non identifiée"
    )
    autres_communes: list[AutreCommune] = Field([], title="Autres communes")


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
    nom: Court = Field(title="Nom")
    fonction: Court | None = Field(None, title="Fonction")
    date_nomination: Date | None = Field(None, title="Date de nomination")


class Membre(Modele):
    nom: Court = Field(title="Nom")
    qualite: QualiteMembre = Field(title="Qualité")
    organisme: Court | None = Field(None, title="Organisme")


class ComiteProjet(Modele):
    date_installation: Date | None = Field(
        None, title="Date d'installation", description="absent : installation non renseignée"
    )
    membres: list[Membre] | None = Field(
        None, title="Membres du comité de projet", description="absent : non renseigné ; [] : aucun membre"
    )


class EquipeProjet(Modele):
    operationnelle: bool | None = Field(
        None, title="Équipe opérationnelle", description="absent : non renseigné ; false : pas encore opérationnelle"
    )
    membres: list[Personne] = Field([], title="Membres de l'équipe projet")


class Gouvernance(Modele):
    directeur_projet: Personne | None = Field(None, title="Directeur de projet")
    comite_projet: ComiteProjet | None = Field(None, title="Comité de projet")
    equipe_projet: EquipeProjet | None = Field(None, title="Équipe projet")
    partenaires_locaux: list[Court] | None = Field(
        None,
        title="Partenaires locaux",
        description=(
            "partenaires locaux au-delà des partenaires nationaux (État, Caisse des Dépôts, Action Logement, Anah, "
            "ANRU) ; absent : non renseigné ; [] : aucun"
        ),
    )


class Preparation(Modele):
    """Prérequis pour la préparation (« Déroulement du Programme »)."""

    contacts_cles: list[Personne] | None = Field(
        None, title="Contacts clés", description="absent : non renseigné ; [] : aucun"
    )
    dispositifs_identifies: list[Court] | None = Field(
        None,
        title="Dispositifs identifiés",
        description=(
            "contrats et dispositifs antérieurs ou en vigueur (OPAH, NPNRU, contrat de ville…) ; absent : non "
            "renseigné ; [] : aucun identifié"
        ),
    )
    elements_diagnostic: bool | None = Field(
        None, title="Éléments de diagnostic réunis", description="absent : non renseigné"
    )
    trame_etat_utilisee: bool | None = Field(
        None, title="Trame de l'État utilisée", description="absent : non renseigné"
    )


# --- Périmètres, axes, actions -------------------------------------------------------------


class Secteur(Modele):
    id: Identifiant = Field(
        title="Identifiant du secteur", description="un identifiant court, sans espace (par exemple halles)"
    )
    nom: Court = Field(title="Nom du secteur")
    geometrie: Surface = Field(title="Contour du secteur")


class Perimetres(Modele):
    etude: Surface | None = Field(None, title="Périmètre d'étude")
    intervention: Surface | None = Field(
        None, title="Périmètre d'intervention", description="périmètre d'intervention, futur périmètre ORT"
    )
    secteurs_prioritaires: list[Secteur] = Field([], title="Secteurs prioritaires")

    @field_validator("secteurs_prioritaires")
    @classmethod
    def _secteurs_uniques(cls, secteurs: list[Secteur]) -> list[Secteur]:
        return refuse_duplicates(secteurs, "id", "identifiant de secteur prioritaire")


class Axe(Modele):
    numero: Annotated[int, Field(ge=1, le=5)] = Field(title="Axe")
    diagnostic: Texte | None = Field(None, title="Diagnostic")
    objectifs: list[Court] = Field([], title="Objectifs")


class SujetsTransversaux(Modele):
    innovation: Texte | None = Field(None, title="Innovation")
    numerique: Texte | None = Field(None, title="Numérique")
    animation: Texte | None = Field(None, title="Animation")


class Calendrier(Modele):
    debut: Date = Field(title="Début")
    fin: Date = Field(title="Fin")

    @model_validator(mode="after")
    def _ordre(self) -> Calendrier:
        if self.fin < self.debut:
            raise ValueError("la fin du calendrier précède son début")
        return self


class Financement(Modele):
    financeur: Court = Field(title="Financeur")
    role: RoleSignataire | Literal["porteur"] = Field("autre", title="Rôle du financeur")
    montant: Montant = Field(title="Montant")
    date_engagement: Date | None = Field(None, title="Date d'engagement")


class FicheAction(Modele):
    id: Identifiant = Field(
        title="Identifiant de la fiche", description="un identifiant court, sans espace (par exemple FA-01)"
    )
    intitule: Court | None = Field(None, title="Intitulé")
    axe: Annotated[int, Field(ge=1, le=5)] | None = Field(None, title="Axe")
    maitre_ouvrage: Court | None = Field(None, title="Maître d'ouvrage")
    maturite: Literal["mature", "a_venir"] = Field(
        "a_venir", title="Maturité", description="mature : prête à être engagée"
    )
    calendrier: Calendrier | None = Field(None, title="Calendrier")
    cout: Montant | None = Field(None, title="Coût", description="coût total de l'action")
    financement: list[Financement] = Field(
        [], title="Plan de financement", description="plan de financement ; [] ou absent : non renseigné"
    )
    date_approbation_comite_projet: Date | None = Field(
        None,
        title="Approbation en comité de projet",
        description="date d'approbation de la fiche par le comité de projet",
    )
    date_comite_regional: Date | None = Field(
        None, title="Comité régional", description="date d'examen de la fiche en comité régional"
    )
    date_signature: Date | None = Field(None, title="Date de signature")
    signataires: list[Court] | None = Field(
        None,
        title="Signataires de la fiche",
        description="organismes ayant signé la fiche ; absent : non renseigné ; [] : aucun",
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
    ) = Field(None, title="Catégorie ANRU", description="nature de l'intervention financée par l'ANRU")
    localisation: Geometrie | None = Field(None, title="Localisation")
    piece: Identifiant | None = Field(
        None, title="Pièce de la fiche", description="identifiant de la pièce de la fiche action"
    )
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
    nom: Court = Field(title="Nom de l'indicateur")
    type: Literal["moyens", "resultats"] = Field(title="Type d'indicateur")
    valeur_cible: Nombre | None = Field(None, title="Valeur cible")
    unite: Court | None = Field(None, title="Unité")


class Piece(Modele):
    id: Identifiant = Field(
        title="Identifiant de la pièce", description="un identifiant court, sans espace (par exemple convention-cadre)"
    )
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
    ] = Field(title="Type de pièce")
    fichier: Court = Field(
        title="Fichier", description="nom du fichier de la pièce (par exemple pieces/convention-cadre.pdf)"
    )
    titre: Court | None = Field(None, title="Titre")
    avis: Literal["favorable", "defavorable"] | None = Field(
        None,
        title="Avis de l'instructeur",
        description="avis de l'instructeur sur la pièce (ex. DDT sur la note de projet urbain)",
    )


# --- Anah, ANRU, ORT -------------------------------------------------------------------------


class DemandeAnah(Modele):
    objet: Literal["chef_de_projet", "etudes", "suivi_animation"] = Field(title="Objet de la demande")
    depense_annuelle_ht: Montant | None = Field(
        None, title="Dépense annuelle HT", description="dépense annuelle HT du poste ou de la mission"
    )
    taux_pct: Annotated[Decimal, Field(ge=0, le=100)] | None = Field(
        None, title="Taux de cofinancement (%)", description="taux de cofinancement demandé"
    )
    montant: Montant | None = Field(
        None, title="Montant demandé", description="montant (annuel pour le chef de projet) demandé à l'Anah"
    )


class DispositifAnah(Modele):
    id: Identifiant = Field(
        title="Identifiant du dispositif", description="un identifiant court, sans espace (par exemple opah-ru)"
    )
    type: Literal["OPAH-RU", "OPAH-CD", "OPAH", "plan_de_sauvegarde", "PIG", "RHI-THIRORI"] = Field(
        title="Type de dispositif"
    )
    etat: Literal["etudes_pre_operationnelles", "en_cours", "termine", "projete"] = Field(title="État")
    maitre_ouvrage: Literal["ville", "epci", "departement", "autre"] = Field(title="Maître d'ouvrage")
    date_debut: Date | None = Field(None, title="Date de début")
    date_fin: Date | None = Field(None, title="Date de fin")
    perimetre: Surface | None = Field(None, title="Périmètre du dispositif")
    objectifs_logements: Annotated[int, Field(ge=0, le=100000)] | None = Field(None, title="Objectif de logements")
    reference_convention: bool | None = Field(
        None,
        title="Référencé dans la convention ACV",
        description="la convention ACV s'y réfère (date, périmètre, échéance)",
    )
    prolongation_prevue: bool | None = Field(None, title="Prolongation prévue")
    gouvernance_fusionnee: bool | None = Field(
        None, title="Gouvernance fusionnée", description="instances de l'OPAH fusionnées avec celles du programme"
    )
    objectifs_comptes_dans_programme: bool | None = Field(
        None, title="Objectifs comptés dans le programme", description="objectifs du PIG comptés dans ceux du programme"
    )
    coordination_maitres_ouvrage: bool | None = Field(
        None, title="Coordination des maîtres d'ouvrage", description="coordination entre maîtres d'ouvrage décrite"
    )
    perimetre_dans_epci: bool | None = Field(
        None,
        title="Périmètre compris dans l'intercommunalité",
        description="le périmètre du dispositif est compris dans le territoire de l'intercommunalité "
        "(périmètre d'intervention global de l'Anah) ; absent : non renseigné",
    )
    demandes: list[DemandeAnah] = Field([], title="Demandes de financement à l'Anah")


class Quartier(Modele):
    code_qpv: Court = Field(
        title="Code QPV", description="code du quartier prioritaire de la politique de la ville (par exemple QN09901M)"
    )
    nom: Court = Field(title="Nom du quartier")
    programme: Literal["NPNRU_national", "NPNRU_regional", "PNRQAD"] = Field(title="Programme")
    perimetre: Surface | None = Field(None, title="Périmètre du quartier")
    date_convention_anru: Date | None = Field(None, title="Date de la convention ANRU")
    date_comite_engagement: Date | None = Field(
        None, title="Date du comité d'engagement", description="comité d'engagement NPNRU"
    )
    convention_anru_referencee: bool | None = Field(
        None,
        title="Conventions référencées l'une l'autre",
        description="la convention ACV et la convention pluriannuelle de renouvellement urbain se référencent",
    )
    coherence_projets: bool | None = Field(
        None,
        title="Projets mis en cohérence",
        description="objectifs, gouvernance, moyens et calendriers mis en cohérence",
    )
    articulation_pnrqad: bool | None = Field(
        None, title="Articulation avec le PNRQAD", description="comment le programme achève ou prolonge le PNRQAD"
    )


class SecteurORT(Modele):
    id: Identifiant = Field(title="Identifiant du secteur", description="un identifiant court, sans espace")
    nom: Court = Field(title="Nom du secteur")
    commune_insee: Annotated[str, Field(pattern=r"^([0-9]{5}|2[AB][0-9]{3})$")] = Field(
        title="Code INSEE de la commune"
    )
    centre_ville: bool = Field(
        False, title="Centre-ville", description="le secteur comprend le centre-ville d'une commune"
    )
    partie_urbanisee: bool = Field(
        False, title="Partie déjà urbanisée", description="partie déjà urbanisée (depuis la loi du 21 février 2022)"
    )
    geometrie: Surface | None = Field(None, title="Contour du secteur")
    seuil_aec_m2: Annotated[int, Field(ge=0, le=1000000)] | None = Field(
        None,
        title="Seuil de l'autorisation d'exploitation commerciale (m²)",
        description="surface de vente au-delà de laquelle la convention rétablit l'AEC",
    )
    seuil_aec_alimentaire_m2: Annotated[int, Field(ge=0, le=1000000)] | None = Field(
        None,
        title="Seuil pour les commerces alimentaires (m²)",
        description="même seuil pour les commerces à prédominance alimentaire",
    )


class ORT(Modele):
    date_signature: Date | None = Field(None, title="Date de signature")
    duree_annees: Annotated[int, Field(ge=0, le=30)] | None = Field(None, title="Durée (années)")
    signataires: list[Signataire] | None = Field(
        None, title="Signataires de l'ORT", description="absent : ceux de la convention-cadre ACV (qui vaut ORT)"
    )
    derogation_ville_principale: Date | None = Field(
        None, title="Dérogation : ORT sans la ville principale", description="date de la décision du préfet (L303-3)"
    )
    projet_revitalisation: bool | None = Field(
        None, title="Projet de revitalisation", description="la convention d'ORT décrit le projet de revitalisation"
    )
    actions_habitat: bool | None = Field(
        None, title="Actions sur l'habitat", description="la convention prévoit des actions sur l'habitat"
    )
    calendrier: bool | None = Field(None, title="Calendrier", description="la convention a un calendrier")
    plan_financement: bool | None = Field(
        None, title="Plan de financement", description="la convention a un plan de financement"
    )
    secteurs: list[SecteurORT] = Field([], title="Secteurs d'intervention")

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

    id: Identifiant = Field(
        title="Identifiant du dossier",
        description="un identifiant court, sans espace ; laissé vide, il est formé du nom de la commune et de l'année",
    )
    fictif: bool = Field(
        False,
        title="Dossier d'exemple (ville fictive)",
        description="vrai pour un exemple ou un dossier synthétique : la ville n'existe pas ou le dossier est inventé",
    )
    collectivites: Collectivites = Field(title="Collectivités")
    convention: Convention | None = Field(None, title="Convention")
    gouvernance: Gouvernance | None = Field(None, title="Gouvernance")
    preparation: Preparation | None = Field(None, title="Préparation")
    perimetres: Perimetres | None = Field(None, title="Périmètres")
    axes: list[Axe] | None = Field(None, title="Axes")
    sujets_transversaux: SujetsTransversaux | None = Field(None, title="Sujets transversaux")
    fiches_actions: Annotated[list[FicheAction], Field(max_length=2000)] = Field([], title="Fiches actions")
    indicateurs: list[Indicateur] | None = Field(None, title="Indicateurs")
    pieces: list[Piece] = Field([], title="Pièces")
    immeubles: Annotated[list[Immeuble], Field(max_length=500)] = Field([], title="Immeubles")
    dispositifs_anah: list[DispositifAnah] | None = Field(None, title="Dispositifs Anah")
    quartiers: list[Quartier] | None = Field(
        None, title="Quartiers NPNRU / PNRQAD", description="absent : situation ANRU non déclarée ; [] : aucun quartier"
    )
    ort: ORT | None = Field(None, title="Opération de revitalisation de territoire (ORT)")
    suivi: Suivi | None = Field(
        None, title="Suivi", description="suivi du déploiement, évaluation finale et clôture ; absent : non renseigné"
    )

    @field_validator(*UNIQUE_KEYS)
    @classmethod
    def _identifiants_uniques(cls, items: list | None, info: ValidationInfo) -> list | None:
        key, what = UNIQUE_KEYS[info.field_name]
        return refuse_duplicates(items, key, what)
