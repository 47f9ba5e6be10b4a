"""Témoins: the body of a convention-cadre or an avenant, part by part, and the ways clerks
number their headings."""

from __future__ import annotations

ROMAINS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def numero(schema: str, i: int, titre: str) -> str:
    """The heading of the i-th (from 1) numbered part in one numbering scheme."""
    if schema == "article":
        return f"Article {'1er' if i == 1 else i} – {titre}"
    if schema == "ARTICLE":
        return f"ARTICLE {i} : {titre.upper()}"
    if schema == "romain":
        return f"{ROMAINS[i - 1]}. {titre}"
    if schema == "chiffre":
        return f"{i}. {titre}"
    if schema == "art":
        return f"Art. {i} - {titre}"
    raise ValueError(schema)


def corps(code: str, v: dict) -> list[str]:
    """Paragraphs of one part, filled with the town's words (v: ville, epci, duree…)."""
    ville, epci = v["ville"], v["epci"]
    epci_m = epci[0].lower() + epci[1:] if epci.startswith(("La ", "Le ")) else epci
    textes = {
        "preambule_objectifs": [
            f"La ville de {ville}, ville-centre de son bassin de vie, a été retenue au titre du programme national "
            "Action Cœur de Ville. Le centre-ville concentre une vacance commerciale et résidentielle en hausse "
            "depuis dix ans, une population vieillissante et un parc de logements anciens à réhabiliter.",
            "La présente convention a pour objet de décrire les modalités de mise en œuvre du programme et "
            "d'engager les partenaires autour d'une stratégie de redynamisation du cœur de ville.",
        ],
        "engagement_parties": [
            "Les partenaires s'engagent à mobiliser leurs moyens, dans le respect de leurs règles propres, pour "
            "concourir à la réussite du projet. Ils se réunissent autant que de besoin et au moins une fois par an.",
            f"{epci} s'engage à associer la ville aux décisions qui concernent le centre-ville, notamment en matière "
            "d'habitat et de développement économique.",
        ],
        "organisation_comite_projet": [
            f"Un comité de projet, présidé par le Maire de {ville}, réunit les signataires. Il valide les "
            "orientations, suit l'avancement du programme et arrête les actions présentées.",
            "Un directeur de projet, placé auprès du Directeur général des services, en assure l'animation.",
        ],
        "duree_evolution_fonctionnement": [
            v["duree_texte"],
            "Elle pourra être modifiée par voie d'avenant, notamment pour intégrer de nouvelles actions.",
        ],
        "phase_initialisation": [
            "La phase d'initialisation permet de réaliser le diagnostic et les études complémentaires, tout en "
            "engageant sans attendre les actions matures récapitulées ci-dessous."
        ],
        "suivi_evaluation": [
            "Un état d'avancement est présenté chaque année au comité de projet, accompagné des indicateurs "
            "définis par le comité régional d'engagement (vacance commerciale, logements réhabilités, fréquentation)."
        ],
        "traitement_litiges": [
            "Les parties rechercheront une solution amiable à tout différend. À défaut, le litige sera porté devant "
            "le tribunal administratif territorialement compétent."
        ],
        "diagnostic_afom": [
            f"Le diagnostic, conduit avec le concours du cabinet retenu par {epci_m}, met en évidence les atouts du "
            "centre (patrimoine, équipements, desserte) et ses faiblesses (vacance, habitat dégradé, stationnement).",
        ],
        "objectifs_generaux_et_par_axe": [
            "Le projet poursuit un objectif général : ramener des habitants et des activités en centre-ville. Il se "
            "décline selon les cinq axes du programme : habitat, commerce, mobilités, espaces publics et patrimoine, "
            "équipements et services publics.",
        ],
        "perimetres_intervention": [
            f"Le périmètre d'intervention couvre l'hypercentre de {ville} et les faubourgs attenants, tels que "
            "délimités sur le plan annexé.",
        ],
        "plan_actions": ["Les actions retenues sont présentées dans le tableau ci-dessous."],
        "calendrier_general": [
            "Les actions seront engagées entre 2019 et 2022 ; les opérations d'aménagement s'achèveront en 2024."
        ],
        "budget_financement": [v.get("budget_texte", "Le plan de financement figure en annexe.")],
    }
    return textes.get(code, ["(texte de la partie)"])
