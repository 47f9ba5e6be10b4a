"""Blocks the control pieces share: parties written several ways, signature blocks, tables of
actions, the body text of each trame part. The truths are built from the same objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from instruct.samples.corpus.controle_model import Ligne, Org, date_longue, euros, total

CONSEIL = {
    "ville_centre": "du conseil municipal",
    "autre_commune": "du conseil municipal",
    "intercommunalite": "du conseil communautaire",
    "region": "de la commission permanente du conseil régional",
    "departement": "de la commission permanente du conseil départemental",
}


def _accord(o: Org) -> str:
    """The organisation's agreement: représenté / représentée."""
    feminins = ("Agence", "Anah", "Caisse", "Banque", "Communauté", "Région")
    mots = o.organisme.split()
    return "e" if o.art == "la " or mots[0] in feminins or mots[-1] in ("Métropole", "Agglo", "ANRU") else ""


def _e(o: Org) -> str:
    """The representative's agreement: habilité / habilitée."""
    return "e" if o.civ in ("Mme", "Madame") else ""


def _deliberation(o: Org, fdate: Callable, en_date: bool = True) -> str:
    if not o.delib:
        return ""
    quand = f"en date du {fdate(o.delib)}" if en_date else f"du {fdate(o.delib)}"
    return f", dûment habilité{_e(o)} par délibération {CONSEIL.get(o.role, 'de son conseil')} {quand}"


def _alias(o: Org, forme: str = "dénommée") -> str:
    return f", ci-après {forme}{_accord(o) if forme == 'désigné' else ''} « {o.alias} »" if o.alias else ""


def partie_apres(o: Org, fdate: Callable = date_longue) -> str:
    """La Commune de X, représentée par M. Jean DUPONT, Maire, dûment habilité par délibération …"""
    tete = o.nomme()[0].upper() + o.nomme()[1:]
    if o.rep:
        rep = f", représenté{_accord(o)} par {o.civ} {o.rep}, {o.qualite}"
    else:  # a function, no person: « représentée par le délégué local de l'Anah »
        rep = f", représenté{_accord(o)} par {o.qualite}" if o.qualite else ""
    return f"{tete}{rep}{_deliberation(o, fdate)}{_alias(o)},"


def partie_titre_avant(o: Org, fdate: Callable = date_longue) -> str:
    """La Commune de X, représentée par son Maire, M. Jean DUPONT, agissant en vertu de …"""
    tete = o.nomme()[0].upper() + o.nomme()[1:]
    rep = f", représenté{_accord(o)} par {o.qualite}, {o.civ} {o.rep}" if o.rep else ""
    delib = ""
    if o.delib:
        delib = f", agissant en vertu d'une délibération {CONSEIL.get(o.role, 'de son conseil')} du {fdate(o.delib)}"
    return f"{tete}{rep}{delib}{_alias(o, 'désigné')} ;"


def partie_qualite(o: Org, fdate: Callable = date_longue) -> str:
    """Madame Claire VIDAL, en sa qualité de Présidente, agissant pour le compte de la Communauté …"""
    if not o.rep:
        return partie_apres(o, fdate)
    delib = ""
    if o.delib:
        conseil = CONSEIL.get(o.role, "de son conseil")
        delib = f", habilité{_e(o)} à cet effet par délibération {conseil} du {fdate(o.delib)}"
    compte = f"agissant au nom et pour le compte {de_nom(o)}"
    return f"{o.civ} {o.rep}, en sa qualité de {o.qualite}, {compte}{delib}{_alias(o)},"


def bloc_parties(
    orgs: list[Org], ecrire: Callable, entete: str = "ENTRE", fdate: Callable = date_longue, delib: bool = True
) -> list:
    """ENTRE / one party / ET / …; delib=False: the délibérations are in « Vu … » lines instead."""
    blocs: list = [("pb", entete)] if entete else []
    for i, o in enumerate(orgs):
        if i:
            blocs.append(("pb", "ET"))
        blocs.append(("p", ecrire(o if delib else replace(o, delib=None), fdate)))
    return blocs


def parties_prose(orgs: list[Org], fdate: Callable = date_longue) -> str:
    """One sentence: La présente convention est conclue entre la Commune de X, représentée par …"""
    morceaux = []
    for o in orgs:
        rep = f", représenté{_accord(o)} par {o.civ} {o.rep}, {o.qualite}" if o.rep else ""
        delib = f" (délibération {CONSEIL[o.role]} du {fdate(o.delib)})" if o.delib and o.role in CONSEIL else ""
        morceaux.append(f"{o.nomme()}{rep}{delib}")
    return "La présente convention est conclue entre " + ", ".join(morceaux[:-1]) + " et " + morceaux[-1] + "."


def vu_deliberations(orgs: list[Org], fdate: Callable) -> list:
    return [
        (
            "p",
            f"Vu la délibération {CONSEIL[o.role]} {de_nom(o)} en date du {fdate(o.delib)} autorisant "
            f"{'sa' if _e(o) else 'son'} {_fonction(o)} à signer la présente convention ;",
        )
        for o in orgs
        if o.delib and o.role in CONSEIL
    ]


def _fonction(o: Org) -> str:
    """« le Maire » -> « maire », « Présidente du conseil régional » -> « présidente »."""
    mots = o.qualite.split(" de ")[0].split(" du ")[0].split()
    if mots[0].lower() in ("le", "la"):
        mots = mots[1:]
    return " ".join(mots).lower()


def de_nom(o: Org) -> str:
    if not o.art:
        return ("d'" if o.organisme[0] in "AEIOUÉ" else "de ") + o.organisme
    if o.art == "l'":
        return "de l'" + o.organisme
    return ("du " if o.art == "le " else "de la ") + o.organisme


def sig_colonnes(orgs: list[Org], lieu_date: str, ncols: int = 2, sans_nom: tuple[str, ...] = ()) -> list:
    cells = []
    for o in orgs:
        fonction = o.qualite.split(" de ")[0].split(" du ")[0]
        nom = "" if o.role in sans_nom or not o.rep else o.rep
        cells.append(f"{o.ligne_pour()},\n{fonction[0].upper() + fonction[1:]},\n\n\n{nom}".rstrip())
    return [("p", lieu_date), ("sig", cells, ncols)]


def sig_lignes(orgs: list[Org], lieu_date: str, sans_nom: tuple[str, ...] = ()) -> list:
    blocs: list = [("p", lieu_date)]
    for o in orgs:
        nom = "" if o.role in sans_nom or not o.rep else f", {o.civ} {o.rep}"
        qualite = o.qualite
        if not qualite.lower().startswith(("le ", "la ", "l'")):
            qualite = ("la " if o.civ in ("Mme", "Madame") else "le ") + qualite
        blocs.append(("p", f"{o.ligne_pour()}, {qualite}{nom}"))
    return blocs


def table_actions(
    lignes: list[Ligne],
    entetes: list[str],
    fmt: Callable[[Decimal], str] = euros,
    ligne_total: str | None = "TOTAL",
    ruled: bool = True,
    numeros: bool = False,
    largeurs: list[float] | None = None,
) -> tuple:
    rows = [entetes]
    n = 0
    for li in lignes:
        if li.axe:
            rows.append([li.intitule])
            continue
        n += 1
        cout = fmt(li.cout) if li.cout is not None else (li.taux or "à préciser")
        rows.append(([str(n)] if numeros else []) + [li.intitule, *li.autres, cout])
    gras = []
    if ligne_total:
        largeur = len(entetes)
        tete = [""] if numeros else []  # the label under the heading « Intitulé », not in the narrow « N° »
        rows.append(tete + [ligne_total] + [""] * (largeur - 2 - len(tete)) + [fmt(total(lignes))])
        gras.append(len(rows) - 1)
    opts = {"ruled": ruled, "gras": gras}
    if largeurs:
        opts["largeurs"] = largeurs
    return ("table", rows, opts)


TEXTES = {
    "preambule_objectifs": [
        "Le programme Action Cœur de Ville vise à conforter le rôle de moteur des villes moyennes dans le "
        "développement du territoire. {ville} a été retenue au titre de ce programme.",
        "La présente convention a pour objet de décrire les modalités de mise en œuvre du programme, "
        "d'en fixer les objectifs et de préciser les engagements de chacun.",
    ],
    "engagement_parties": [
        "Les parties s'engagent à mobiliser les moyens, notamment financiers, nécessaires à la réussite du "
        "projet, dans le respect de leurs règles et procédures propres.",
    ],
    "organisation_comite_projet": [
        "La commune et l'intercommunalité désignent un directeur de projet, placé sous l'autorité du maire. "
        "Un comité de projet, présidé par le maire, réunit l'ensemble des partenaires au moins deux fois par an.",
    ],
    "duree_evolution_fonctionnement": [
        "La présente convention est conclue pour une durée de {duree}. Elle pourra être modifiée par avenant "
        "après accord des parties réunies en comité de projet.",
    ],
    "phase_initialisation": [
        "La phase d'initialisation, d'une durée maximale de dix-huit mois, permet de réaliser le diagnostic et "
        "d'engager les premières actions, dites matures, récapitulées dans le tableau ci-dessous.",
    ],
    "suivi_evaluation": [
        "Un état d'avancement est présenté chaque année au comité de projet, à l'appui d'indicateurs de résultat "
        "définis pour chacun des cinq axes du programme.",
    ],
    "traitement_litiges": [
        "Les parties s'efforcent de régler à l'amiable tout différend né de l'exécution de la présente "
        "convention. À défaut, le litige est porté devant le tribunal administratif territorialement compétent.",
    ],
    "annexe_fiches_matures": [
        "Chaque action mature fait l'objet d'une fiche précisant son maître d'ouvrage, son calendrier, son coût "
        "et ses partenaires financeurs.",
    ],
    "diagnostic_afom": [
        "Le diagnostic, conduit de septembre à décembre, met en évidence les atouts (patrimoine, gare, commerces "
        "de bouche), les faiblesses (vacance, logements dégradés), les opportunités et les menaces du centre-ville.",
    ],
    "objectifs_generaux_et_par_axe": [
        "Le projet poursuit un objectif général de reconquête du centre-ville, décliné selon les cinq axes du "
        "programme : habitat, commerce, mobilités, espaces publics et patrimoine, équipements et services.",
    ],
    "perimetres_intervention": [
        "Le périmètre de l'opération de revitalisation de territoire couvre le centre ancien, le quartier de la "
        "gare et les faubourgs, tels que délimités sur le plan annexé.",
    ],
    "plan_actions": ["Le plan d'actions est arrêté comme suit."],
    "calendrier_general": [
        "Les actions sont engagées entre le premier semestre de l'année en cours et la fin du programme, selon "
        "le phasage présenté en annexe.",
    ],
    "budget_financement": [
        "Le budget du projet et la répartition entre la part des cofinanceurs et la part du porteur figurent ci-après.",
    ],
    "annexe_livrables_etudes": ["Étude pré-opérationnelle d'OPAH-RU ; étude de stratégie commerciale ; plan-guide."],
    "annexe_document_presentation": ["Présentation synthétique du projet de revitalisation (douze pages)."],
    "annexe_plan_perimetres": ["Plan au 1/5 000 du secteur d'intervention de l'ORT."],
    "annexe_calendrier_detaille": ["Calendrier détaillé par action et par année."],
    "annexe_budget_detaille": ["Budget détaillé par action et par financeur."],
    "annexe_fiches_actions": ["Une fiche par action du plan d'actions."],
}


def partie(code: str, titre: str, niveau: str = "h1", **valeurs) -> list:
    """A trame part: its heading, then its body text."""
    return [(niveau, titre)] + [("p", t.format(**valeurs)) for t in TEXTES[code]]
