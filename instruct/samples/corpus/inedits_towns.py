"""The fictitious towns of the held-out corpus, their intercommunalités, préfets, partners and
their actions. None of these places or people exists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from instruct.samples.corpus.inedits_model import Org

D = dt.date


@dataclass(frozen=True)
class Town:
    nom: str
    ville: Org
    epci: Org
    prefet: Org
    sigle: str  # how the text calls the intercommunalité afterwards


def commune(name: str, maire: str, deliberation: D, civ: str = "M.", mot: str = "Commune", alias: str = "la Ville"):
    return Org("ville_centre", f"{mot} de {name}", "la", "Maire", maire, civ, deliberation=deliberation, alias=alias)


def epci(role_name: str, president: str, deliberation: D | None, civ: str = "M.", article: str = "la", alias=None):
    qualite = "Présidente" if civ == "Mme" else "Président"
    return Org(
        "intercommunalite",
        role_name,
        article,
        qualite,
        president,
        civ,
        par="sa" if civ == "Mme" else "son",
        deliberation=deliberation,
        organe="du conseil communautaire",
        alias=alias,
    )


def prefet(departement: str, nom: str | None, civ: str = "M.") -> Org:
    qualite = f"{'Préfète' if civ == 'Mme' else 'Préfet'} {departement}"
    return Org("prefet", "État", "l'", qualite, nom, civ, par="la" if civ == "Mme" else "le", feminine=False)


VIEUX_BREZAC = Town(
    "Vieux-Brézac",
    commune("Vieux-Brézac", "Jean-Marc DELORME", D(2018, 9, 25)),
    epci("Communauté d'agglomération Brézac Val de Lize", "Bernard FAUCHIER", D(2018, 9, 27), alias="la CABVL"),
    prefet("de la Lize", "Olivier PRADEAU"),
    "la CABVL",
)
SAINT_ONDRAS = Town(
    "Saint-Ondras",
    commune("Saint-Ondras", "Martine QUEYRAS", D(2018, 7, 3), civ="Mme", mot="Ville"),
    epci("Ondras Agglo", "Thierry ROUMAGNAC", D(2018, 7, 10), article="", alias="l'Agglo"),
    prefet("de l'Orvanne", "Hélène VASSEROT", civ="Mme"),
    "Ondras Agglo",
)
CALMEILLES = Town(
    "Calmeilles",
    commune("Calmeilles", "Philippe ESCANDE", D(2018, 9, 20)),
    epci("Calmeilles Métropole", "Sylvie MARTORELL", D(2018, 9, 28), civ="Mme", article="", alias="la Métropole"),
    prefet("du Haut-Ternois", "Laurent GIRAUDET"),
    "la Métropole",
)
PORT_ARVELLE = Town(
    "Port-Arvelle",
    commune("Port-Arvelle", "Yannick LE GOASTER", D(2018, 6, 28)),
    epci("Intercom Arvelle Littoral", "Annick PERRODO", D(2018, 7, 5), civ="Mme", article=""),
    prefet("de la Côte-d'Arvelle", "Pierre-Yves KERHERVÉ"),
    "l'Intercom",
)
MONTVALIR = Town(
    "Montvalir-sur-Lize",
    commune("Montvalir-sur-Lize", "Gérard BOUSQUET", D(2018, 10, 1), mot="Ville"),
    epci("Communauté urbaine du Grand Montvalir", "Nadia BENHAMOU", D(2018, 10, 4), civ="Mme", alias="la CUGM"),
    prefet("de la Lize", "Olivier PRADEAU"),
    "la CUGM",
)
CASTELNOIR = Town(
    "Castelnoir-en-Ternois",
    commune("Castelnoir-en-Ternois", "François VIDALENC", D(2018, 9, 17)),
    epci("Ternois Communauté", "Jacques AUBERTIN", D(2018, 9, 19), article=""),
    prefet("du Haut-Ternois", "Laurent GIRAUDET"),
    "Ternois Communauté",
)
ROCHEFAYE = Town(
    "Rochefaye-d'Anval",
    commune("Rochefaye-d'Anval", "Claudine MOURGUES", D(2018, 9, 24), civ="Mme"),
    epci("Communauté de communes des Coteaux d'Anval", "Didier CHABRERIE", D(2018, 9, 26)),
    prefet("de l'Orvanne", "Hélène VASSEROT", civ="Mme"),
    "la CCCA",
)
VAUDRENNE = Town(
    "Vaudrenne-en-Corbière",
    commune("Vaudrenne-en-Corbière", "Alain TESTUD", D(2018, 9, 10)),
    epci("Corbière Agglomération", "Véronique SALGUES", D(2018, 9, 13), civ="Mme", article=""),
    prefet("des Monts-de-Corbière", None),
    "Corbière Agglomération",
)
SAINTE_AURELLE = Town(
    "Sainte-Aurelle",
    commune("Sainte-Aurelle", "Hervé LAPEYRADE", D(2018, 10, 8), mot="Ville"),
    epci("Métropole du Val d'Aurelle", "Christian DOMERGUE", D(2018, 10, 11)),
    prefet("de l'Aurelle", "Marc-Antoine ROSSIGNOL"),
    "la Métropole",
)

# National partners, one spelling per piece family.
CDC = Org("cdc", "Caisse des Dépôts et Consignations", "la", "Directeur régional", "Patrick ARNOUX", par="son")
BANQUE = Org("cdc", "Banque des Territoires", "la", "directrice territoriale", "Sandrine LEBRETON", "Mme", par="sa")
AL = Org("action_logement", "Action Logement Services", "", "Directeur régional", "Mathieu CORRÈZE", par="son")
AL_GROUPE = Org("action_logement", "Action Logement", "", "Président du Comité régional", "Louis FERRAND", par="le")
ANAH = Org(
    "anah",
    "Agence nationale de l'habitat",
    "l'",
    "délégué local de l'Anah dans le département",
    None,
    par="le",
)
ANAH_NOMME = replace(
    ANAH, qualite="déléguée adjointe de l'Anah dans le département", nom="Corinne BALESTE", civilite="Mme", par="sa"
)
REGION = Org(
    "region", "Région Occitaine-Vallées", "la", "Présidente du Conseil régional", "Agnès TORRELLES", "Mme", par="sa"
)
DEPARTEMENT = Org(
    "departement", "Département de la Lize", "le", "Président du Conseil départemental", "Roland SEGUY", feminine=False
)
EPF = Org(
    "autre", "Établissement public foncier de la Lize", "l'", "Directeur général", "Étienne MARCHAIS", feminine=False
)
CMA = Org(
    "autre",
    "Chambre de métiers et de l'artisanat de l'Aurelle",
    "la",
    "Présidente",
    "Josiane TAILLEFER",
    "Mme",
    par="sa",
)
CCI = Org("autre", "Chambre de commerce et d'industrie du Haut-Ternois", "la", "Président", "Serge VIGUIER")
ANRU = Org(
    "anru", "Agence nationale pour la rénovation urbaine", "l'", "délégué territorial", "Olivier PRADEAU", par="son"
)
BREVILLE = Org(
    "autre_commune",
    "Commune de Bréville-sur-Ondre",
    "la",
    "Maire",
    "Jean-Luc PASTOUREAU",
    deliberation=D(2018, 7, 5),
)


def sans_delib(org: Org) -> Org:
    return replace(org, deliberation=None)


def sans_alias(org: Org) -> Org:
    return replace(org, alias=None)


# Actions: (axe, intitulé, maître d'ouvrage, coût in euros, début, fin).
ACTIONS = {
    "brezac": [
        (1, "Opération programmée d'amélioration de l'habitat – renouvellement urbain", "CABVL", 1_850_000, 2019, 2023),
        (1, "Étude pré-opérationnelle habitat du centre ancien", "CABVL", 95_000, 2018, 2019),
        (2, "Recrutement d'un manager de centre-ville", "Commune", 150_000, 2018, 2021),
        (3, "Réaménagement du pôle d'échanges de la gare", "Commune", 2_400_000, 2019, 2022),
        (4, "Requalification de la place du Marché-aux-Grains", "Commune", 1_200_000, 2019, 2021),
        (5, "Médiathèque dans l'ancien couvent des Cordeliers", "Commune", 3_600_000, 2020, 2023),
    ],
    "ondras": [
        (1, "Étude de revitalisation du centre-bourg", "Ville", 80_000, 2018, 2019),
        (2, "Aide à la rénovation des vitrines commerciales", "Ondras Agglo", 120_000, 2019, 2022),
        (3, "Plan de circulation et jalonnement du centre", "Ville", 45_000, 2019, 2019),
        (4, "Aménagement des berges de l'Ondre", "Ville", 1_350_000, 2019, 2021),
        (5, "Maison de santé pluriprofessionnelle", "Ondras Agglo", 2_100_000, 2020, 2022),
    ],
}
