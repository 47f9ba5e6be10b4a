"""The fictitious towns of the « essais » corpus and the bodies that sign with them: every name is
invented. A `Signer` holds what the parties block and the signature block say of one party."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Signer:
    role: str
    organisme: str  # as written, without its article
    article: str  # « la », « l' », « le », or "" (« Montreval Métropole »)
    nom: str  # « Jean DUPONT »
    civilite: str  # « M. », « Mme »
    qualite: str  # « maire », « président », « préfet de la Haute-Brenne »
    titre: str  # the title in a signature block: « Le Maire », « La Présidente »
    feminine: bool = True  # « représentée » or « représenté »
    court: str = ""  # « la Ville », « la CAPO »: the ci-après name
    deliberation: dt.date | None = None
    organe: str = ""  # « conseil municipal », « conseil communautaire »

    @property
    def named(self) -> str:
        """« la Commune de Kerbrivan », « l'État », « Montreval Métropole »."""
        space = " " if self.article and not self.article.endswith("'") else ""
        return f"{self.article}{space}{self.organisme}"

    @property
    def pour(self) -> str:
        """« Pour la Commune de Kerbrivan », « Pour l'État »."""
        return f"Pour {self.short_named}"

    @property
    def short_named(self) -> str:
        return self.court or self.named

    @property
    def represente(self) -> str:
        return "représentée" if self.feminine else "représenté"


@dataclass
class Town:
    ville: str
    dept: str  # « la Haute-Brenne »
    dept_plain: str  # « Haute-Brenne »
    region: str
    interco: str  # the full name as written, without article
    interco_article: str
    interco_court: str = ""  # an acronym, when the piece uses one


TOWNS = [
    Town(
        "Kerbrivan",
        "du Léguer-Maritime",
        "Léguer-Maritime",
        "Armor-Océan",
        "Communauté d'agglomération du Pays de Kerbrivan",
        "la",
    ),
    Town(
        "Lauzac-sur-Tarn",
        "de la Haute-Garance",
        "Haute-Garance",
        "Garance-Pyrénées",
        "Communauté de communes du Val de Lauze",
        "la",
    ),
    Town("Montreval", "de la Brenne-et-Sarre", "Brenne-et-Sarre", "Rhône-Sarre", "Montreval Métropole", ""),
    Town("Saint-Aubrac-les-Forges", "de l'Orvane", "Orvane", "Massif-Central-Sud", "Métropole de Saint-Aubrac", "la"),
    Town("Valdrôme", "du Val-d'Ysse", "Val-d'Ysse", "Provence-Alpes-Ysse", "Valdrôme Agglomération", ""),
    Town("Pontcharrier", "de la Sarre-Inférieure", "Sarre-Inférieure", "Rhône-Sarre", "Pontcharrier Agglo", ""),
    Town("Brisselieu", "du Bocage-Ornais", "Bocage-Ornais", "Normandie-Ouest", "Intercom Bocage et Vire-Haute", ""),
    Town(
        "Castelmoron-d'Argent", "du Lot-et-Garance", "Lot-et-Garance", "Garance-Pyrénées", "Castelmoron Communauté", ""
    ),
    Town(
        "Orvane-la-Ville",
        "de l'Orvane",
        "Orvane",
        "Massif-Central-Sud",
        "Communauté d'agglomération du Pays d'Orvane",
        "la",
        "CAPO",
    ),
    Town(
        "Ferrandières",
        "de la Creuse-Haute",
        "Creuse-Haute",
        "Limousin-Centre",
        "Communauté urbaine de Ferrandières",
        "la",
    ),
    Town(
        "Bellegrange",
        "de la Marne-Sèche",
        "Marne-Sèche",
        "Champagne-Est",
        "Communauté de communes Cœur de Bellegrange",
        "la",
        "CCCB",
    ),
    Town(
        "Vireloup",
        "du Cher-Amont",
        "Cher-Amont",
        "Centre-Loire",
        "Communauté d'agglomération Vireloup Cher Amont",
        "la",
    ),
    Town(
        "Sainte-Mérenne", "de la Vienne-Basse", "Vienne-Basse", "Atlantique-Poitou", "Grand Mérenne Agglomération", ""
    ),
    Town("Rocheval", "des Monts-d'Arrée-Sud", "Monts-d'Arrée-Sud", "Armor-Océan", "Rocheval Métropole", ""),
    Town(
        "Tournefort-en-Brie",
        "de la Brie-Haute",
        "Brie-Haute",
        "Île-de-Brie",
        "Communauté de communes du Pays de Tournefort",
        "la",
    ),
    Town(
        "Aiguebelle-sur-Loue",
        "du Haut-Loue",
        "Haut-Loue",
        "Jura-Comté",
        "Communauté d'agglomération Grand Aiguebelle",
        "la",
        "CAGA",
    ),
    Town("Malvoisine", "de la Dordane", "Dordane", "Garance-Pyrénées", "Malvoisine Agglo", ""),
    Town("Port-Lannec", "du Finistère-Nord-Est", "Finistère-Nord-Est", "Armor-Océan", "Intercom Lannec Trégor", ""),
]

NEIGHBOURS = ["Lanvézac", "Sarrazac-le-Haut", "Montfaucon-la-Vieille", "Ardoisière", "Pradelles-sur-Ysse"]
FIRST_M = ["Jean", "Pierre", "Alain", "Thierry", "Olivier", "Bruno", "Patrick", "Hervé", "Yannick", "Marc", "Éric"]
FIRST_F = ["Claire", "Sophie", "Isabelle", "Nathalie", "Anne", "Catherine", "Valérie", "Hélène", "Martine", "Laure"]
LAST = [
    "LE GALL",
    "MARCHETTI",
    "DUPRAT",
    "FONTENEAU",
    "BERTHOMIEU",
    "KERVELLA",
    "ROUSSILHE",
    "DELAMARRE",
    "VASSEUR-LAMBERT",
    "ESCANDE",
    "GUILLOU",
    "PERRAUDIN",
    "TAILLEFER",
    "CHAMPEAUX",
    "LABORIE",
    "MOUNIER",
    "AUBRY",
    "QUÉMÉNER",
    "SALVETAT",
    "BONNEFOY",
    "D'HERBIGNY",
    "RIVOALLAN",
    "CAZENAVE",
    "POUJOL",
]


def person(seed: int, n: int) -> tuple[str, str, bool]:
    """The n-th fictitious person of a piece: (« Claire ESCANDE », civilité, feminine); no two alike in a piece."""
    index = seed * 13 + n
    feminine = index % 3 == 1
    first = (FIRST_F if feminine else FIRST_M)[(index * 7) % (len(FIRST_F) if feminine else len(FIRST_M))]
    last = LAST[(n * 5 + seed * 7) % len(LAST)]
    return f"{first} {last}", ("Mme" if feminine else "M."), feminine


def _short_interco(name: str) -> str:
    """« l'Agglomération », « la Métropole », « la Communauté »: what a piece calls its intercommunalité."""
    if "Métropole" in name:
        return "la Métropole"
    if "gglo" in name:
        return "l'Agglomération"
    return "la Communauté"


def _title(feminine: bool, masc: str, fem: str) -> str:
    return fem if feminine else masc


def signers(town: Town, seed: int, roles: list[str], signed: dt.date, *, ville_form: str = "Commune") -> list[Signer]:
    """The parties of a piece, in `roles` order, their délibérations a few weeks before `signed`."""
    out = []
    for n, role in enumerate(roles):
        nom, civ, fem = person(seed, n)
        if role == "ville_centre":
            out.append(
                Signer(
                    role,
                    f"{ville_form} de {town.ville}",
                    "la",
                    nom,
                    civ,
                    "maire",
                    _title(fem, "Le Maire", "La Maire"),
                    court="la Ville" if seed % 2 else "",
                    deliberation=signed - dt.timedelta(days=14 + seed % 20),
                    organe="conseil municipal",
                )
            )
        elif role == "intercommunalite":
            pres = _title(fem, "président", "présidente")
            court = (
                f"la {town.interco_court}"
                if town.interco_court
                else (_short_interco(town.interco) if seed % 3 == 0 else "")
            )
            out.append(
                Signer(
                    role,
                    town.interco,
                    town.interco_article,
                    nom,
                    civ,
                    pres,
                    _title(fem, "Le Président", "La Présidente"),
                    court=court,
                    deliberation=signed - dt.timedelta(days=21 + seed % 9),
                    organe="conseil communautaire",
                )
            )
        elif role == "prefet":
            qual = _title(fem, "préfet", "préfète") + f" {town.dept}"
            out.append(
                Signer(role, "État", "l'", nom, civ, qual, _title(fem, "Le Préfet", "La Préfète"), feminine=False)
            )
        elif role == "cdc":
            org = ["Caisse des Dépôts et Consignations", "Banque des Territoires", "Caisse des Dépôts"][seed % 3]
            art = "la" if seed % 3 != 0 else "la"
            qual = _title(fem, "directeur régional", "directrice régionale") + f" {town.region}"
            out.append(
                Signer(role, org, art, nom, civ, qual, _title(fem, "Le Directeur régional", "La Directrice régionale"))
            )
        elif role == "action_logement":
            qual = _title(fem, "directeur régional", "directrice régionale")
            out.append(
                Signer(
                    role,
                    "Action Logement Services",
                    "",
                    nom,
                    civ,
                    qual,
                    _title(fem, "Le Directeur régional", "La Directrice régionale"),
                    feminine=False,
                )
            )
        elif role == "anah":
            qual = _title(fem, "délégué de l'Agence dans le département", "déléguée de l'Agence dans le département")
            out.append(
                Signer(
                    role,
                    "Agence nationale de l'habitat",
                    "l'",
                    nom,
                    civ,
                    qual,
                    _title(fem, "Le Délégué", "La Déléguée"),
                )
            )
        elif role == "anru":
            qual = _title(fem, "délégué territorial", "déléguée territoriale")
            out.append(
                Signer(
                    role,
                    "Agence nationale pour la rénovation urbaine",
                    "l'",
                    nom,
                    civ,
                    qual,
                    _title(fem, "Le Délégué territorial", "La Déléguée territoriale"),
                )
            )
        elif role == "region":
            org = f"Région {town.region}" if seed % 2 else f"Conseil régional {town.region}"
            art = "la" if seed % 2 else "le"
            out.append(
                Signer(
                    role,
                    org,
                    art,
                    nom,
                    civ,
                    _title(fem, "président", "présidente"),
                    _title(fem, "Le Président", "La Présidente"),
                    feminine=bool(seed % 2),
                    deliberation=signed - dt.timedelta(days=30),
                )
            )
        elif role == "departement":
            org = f"Département {town.dept}" if seed % 2 == 0 else f"Conseil départemental {town.dept}"
            out.append(
                Signer(
                    role,
                    org,
                    "le",
                    nom,
                    civ,
                    _title(fem, "président", "présidente"),
                    _title(fem, "Le Président", "La Présidente"),
                    feminine=False,
                )
            )
        elif role == "autre_commune":  # the other town of a binôme
            neighbour = NEIGHBOURS[seed % len(NEIGHBOURS)]
            out.append(
                Signer(
                    role,
                    f"Commune de {neighbour}",
                    "la",
                    nom,
                    civ,
                    "maire",
                    _title(fem, "Le Maire", "La Maire"),
                    deliberation=signed - dt.timedelta(days=10),
                    organe="conseil municipal",
                )
            )
        elif role == "epf":
            out.append(
                Signer(
                    "autre",
                    f"Établissement public foncier {town.dept}",
                    "l'",
                    nom,
                    civ,
                    _title(fem, "directeur général", "directrice générale"),
                    _title(fem, "Le Directeur général", "La Directrice générale"),
                    feminine=False,
                    court="l'EPF",
                )
            )
        elif role == "cci":
            out.append(
                Signer(
                    "autre",
                    f"Chambre de commerce et d'industrie {town.dept}",
                    "la",
                    nom,
                    civ,
                    _title(fem, "président", "présidente"),
                    _title(fem, "Le Président", "La Présidente"),
                    court="la CCI",
                )
            )
        elif role == "cma":
            out.append(
                Signer(
                    "autre",
                    f"Chambre de métiers et de l'artisanat {town.dept}",
                    "la",
                    nom,
                    civ,
                    _title(fem, "président", "présidente"),
                    _title(fem, "Le Président", "La Présidente"),
                    court="la CMA",
                )
            )
        else:
            raise ValueError(role)
    return out
