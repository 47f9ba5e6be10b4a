"""French labels for what the model spells in machine words: the value of every choice
(`deploiement` -> « déploiement »), the noun of every repeatable item (« fiche action »), and a
readable fallback for a field without a title. The field titles themselves live in the model
(`Field(title=...)`), one source of truth with `acv schema`."""

from __future__ import annotations

from instruct.vocabulary import AXES

# Every value of every Literal of the dossier model -> its French label (a test walks the model).
CHOICES: dict[object, str] = {
    # signatory roles and financers (model.fields.RoleSignataire, « porteur »)
    "ville_centre": "Ville-centre",
    "intercommunalite": "Intercommunalité",
    "prefet": "Préfet (État)",
    "cdc": "Caisse des Dépôts (Banque des Territoires)",
    "action_logement": "Action Logement",
    "anah": "Anah",
    "anru": "ANRU",
    "region": "Région",
    "departement": "Département",
    "autre_commune": "Autre commune",
    "autre": "Autre",
    "porteur": "Porteur de l'action",
    # délibérations
    "commune": "Commune",
    # avenants
    "deploiement": "Déploiement",
    "modification": "Modification",
    # convention phase
    1: "Phase 1 (convention-cadre de 2018, engagements jusqu'à fin 2022)",
    2: "Phase 2 (2023-2026)",
    # comité de projet members
    "elu": "Élu",
    "directeur_projet": "Directeur de projet",
    "referent_departemental": "Référent départemental",
    # fiches actions
    "mature": "Mature",
    "a_venir": "À venir",
    "ingenierie": "Ingénierie",
    "amenagement": "Aménagement",
    "recyclage_habitat_ancien_valide_ce": "Recyclage de l'habitat ancien (validé en comité d'engagement)",
    "recyclage_habitat_ancien": "Recyclage de l'habitat ancien",
    "reconstitution_offre_sociale": "Reconstitution de l'offre de logement social",
    "requalification_offre_sociale": "Requalification de l'offre de logement social",
    "equipements": "Équipements",
    "restructuration_commerciale": "Restructuration commerciale",
    "diversification_prime_accession": "Diversification (prime à l'accession)",
    # indicateurs
    "moyens": "Indicateur de moyens",
    "resultats": "Indicateur de résultats",
    # pièces
    "convention_cadre": "Convention-cadre",
    "avenant": "Avenant",
    "note_projet_urbain": "Note de projet urbain",
    "plan_situation": "Plan de situation",
    "fiche_action": "Fiche action",
    "dossier_operateur": "Dossier opérateur",
    "deliberation": "Délibération",
    "note_utilite_immeubles": "Note sur l'utilité des immeubles",
    "favorable": "Favorable",
    "defavorable": "Défavorable",
    # Anah
    "chef_de_projet": "Chef de projet",
    "etudes": "Études",
    "suivi_animation": "Suivi-animation",
    "OPAH-RU": "OPAH de renouvellement urbain (OPAH-RU)",
    "OPAH-CD": "OPAH copropriétés dégradées (OPAH-CD)",
    "OPAH": "OPAH",
    "plan_de_sauvegarde": "Plan de sauvegarde",
    "PIG": "Programme d'intérêt général (PIG)",
    "RHI-THIRORI": "RHI-THIRORI",
    "etudes_pre_operationnelles": "Études pré-opérationnelles",
    "en_cours": "En cours",
    "termine": "Terminé",
    "projete": "Projeté",
    "ville": "Ville",
    "epci": "Intercommunalité (EPCI)",
    # ANRU
    "NPNRU_national": "NPNRU, intérêt national",
    "NPNRU_regional": "NPNRU, intérêt régional",
    "PNRQAD": "PNRQAD",
    # immeubles
    "T1": "T1",
    "T2": "T2",
    "T3": "T3",
    "T4": "T4",
    "T5+": "T5 et plus",
    "DUP": "Déclaration d'utilité publique (DUP)",
    "acquisition": "Acquisition",
    "RHI": "Résorption de l'habitat insalubre (RHI)",
    "promesse": "Promesse de vente",
    "envisagee": "Envisagée",
    "engagee": "Engagée",
    "acquise": "Acquise",
    "organisme_hlm": "Organisme HLM",
    "investisseur_prive": "Investisseur privé",
    "sem": "Société d'économie mixte (SEM)",
    "collectivite": "Collectivité",
    "epf": "Établissement public foncier (EPF)",
    "situation": "Plan de situation",
    "niveaux_etat_des_lieux": "Plans des niveaux, état des lieux",
    "niveaux_projet": "Plans des niveaux, projet",
    "debut_travaux": "Début des travaux",
    "fin_travaux": "Fin des travaux",
    "livraison": "Livraison",
    "mise_en_location": "Mise en location",
    "fonds_propres": "Fonds propres",
    "pret": "Prêt",
    "subvention": "Subvention",
    "travaux": "Travaux",
    "portage_foncier": "Portage foncier",
    # geometry types (never shown as a choice: the map draws them)
    "Point": "Point",
    "MultiPoint": "Points",
    "Polygon": "Polygone",
    "MultiPolygon": "Polygones",
}

# A value whose label depends on the field: (field name, value) -> label.
FIELD_CHOICES: dict[tuple[str, object], str] = {
    ("objet", "etudes"): "Études",
    ("objet", "travaux"): "Travaux",
    ("type", "acquisition"): "Acquisition",
}

# Choices of an integer field that are not Literals: the five axes of the programme.
AXE_CHOICES = [(str(n), f"Axe {n} – {label}") for n, label in AXES.items()]

# The item of each repeatable list, by its model class: (label, « add » noun with its article).
ITEMS: dict[str, tuple[str, str]] = {
    "AutreCommune": ("Autre commune", "une autre commune"),
    "Signataire": ("Signataire", "un signataire"),
    "Deliberation": ("Délibération", "une délibération"),
    "Avenant": ("Avenant", "un avenant"),
    "Personne": ("Personne", "une personne"),
    "Membre": ("Membre", "un membre"),
    "Secteur": ("Secteur prioritaire", "un secteur prioritaire"),
    "Axe": ("Axe", "un axe"),
    "FicheAction": ("Fiche action", "une fiche action"),
    "Financement": ("Financement", "un financement"),
    "Indicateur": ("Indicateur", "un indicateur"),
    "Piece": ("Pièce", "une pièce"),
    "DemandeAnah": ("Demande à l'Anah", "une demande à l'Anah"),
    "DispositifAnah": ("Dispositif Anah", "un dispositif Anah"),
    "Quartier": ("Quartier", "un quartier"),
    "SecteurORT": ("Secteur d'intervention ORT", "un secteur d'intervention"),
    "Immeuble": ("Immeuble", "un immeuble"),
    "Logement": ("Logement", "un logement"),
    "EtapePlanning": ("Étape", "une étape"),
    "SourceFinancement": ("Source de financement", "une source de financement"),
}

# Words a machine name spells without their accents, for the fallback label.
_ACCENTS = {
    "equipe": "équipe",
    "operationnelle": "opérationnelle",
    "perimetre": "périmètre",
    "perimetres": "périmètres",
    "etude": "étude",
    "etudes": "études",
    "deliberations": "délibérations",
    "intercommunalite": "intercommunalité",
    "collectivites": "collectivités",
    "comite": "comité",
    "regional": "régional",
    "preambule": "préambule",
    "duree": "durée",
    "annees": "années",
    "numero": "numéro",
    "categorie": "catégorie",
    "maturite": "maturité",
    "cout": "coût",
    "maitre": "maître",
    "qualite": "qualité",
    "reference": "référence",
    "proprietaire": "propriétaire",
    "securite": "sécurité",
    "evaluation": "évaluation",
    "cloture": "clôture",
    "etat": "état",
    "secteurs": "secteurs",
    "numerique": "numérique",
}


def humanize(name: str) -> str:
    """`date_comite_regional` -> « Date comité régional »: the fallback of a field without a title."""
    words = [_ACCENTS.get(w, w) for w in name.split("_") if w]
    text = " ".join(words) or name
    return text[:1].upper() + text[1:]


def choice_label(value: object, field: str = "") -> str:
    """The French label of a choice's value (the value itself, humanised, when none is known)."""
    if (field, value) in FIELD_CHOICES:
        return FIELD_CHOICES[(field, value)]
    if value in CHOICES and not isinstance(value, bool):
        return CHOICES[value]
    return humanize(str(value))


def item_nouns(model_name: str, fallback: str) -> tuple[str, str]:
    """(« Fiche action », « une fiche action ») for a list's item model."""
    return ITEMS.get(model_name, (fallback, fallback.lower()))


def lower_first(text: str) -> str:
    """« Date de signature » -> « date de signature », but « ANRU » and « OPAH » stay."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
