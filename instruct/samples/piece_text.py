"""The French text of the sample pieces, shared by the convention-cadre (DOCX) and the avenant
(PDF): amounts, dates, the parties and signature blocks, and the paragraphs of each part, said
from the dossier; and the writing of a piece's bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from instruct.french import written_amount, written_date, written_month
from instruct.model.dossier import Dossier, FicheAction, Signataire
from instruct.vocabulary import AXES_PIECES as AXES
from instruct.vocabulary import titres_pieces

AUTHOR = "acv-instruct"

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

TABLE_HEADER = ["N°", "Intitulé", "Maître d'ouvrage", "Calendrier", "Coût", "Financeurs"]

CONVENTION_PARTS = titres_pieces("convention_cadre", annexes=False)
CONVENTION_ANNEXES = titres_pieces("convention_cadre", annexes=True)
AVENANT_PARTS = titres_pieces("avenant", annexes=False)
AVENANT_ANNEXES = titres_pieces("avenant", annexes=True)

BENEFICIAIRES = ("ville_centre", "intercommunalite")
FINANCEURS = ("prefet", "cdc", "action_logement", "anah", "anru")
AUTRES = ("region", "departement", "autre_commune", "autre")
ROLE_ORDER = {role: n for n, role in enumerate(BENEFICIAIRES + FINANCEURS + AUTRES)}

QUALITES_MEMBRE = {
    "elu": "collège des élus",
    "directeur_projet": "directeur de projet",
    "prefet": "représentant de l'État",
    "referent_departemental": "référent départemental de l'État",
    "cdc": "Banque des Territoires",
    "action_logement": "Action Logement",
    "anah": "Anah",
    "anru": "ANRU",
    "region": "Région",
    "departement": "Département",
    "autre": "partenaire associé",
}


# --- French text ----------------------------------------------------------------------------------


euros = written_amount  # the amounts and dates as a piece writes them: instruct.french
month_fr = written_month


def date_fr(day: dt.date | None) -> str:
    return "…" if day is None else written_date(day)


def de_month(day: dt.date) -> str:
    """ "d'octobre 2018", "de juin 2019"."""
    month = month_fr(day)
    return f"d'{month}" if month[0] in "aeiouéè" else f"de {month}"


def calendrier_cell(fiche: FicheAction) -> str:
    if fiche.calendrier is None:
        return ""
    return f"{fiche.calendrier.debut:%m/%Y} – {fiche.calendrier.fin:%m/%Y}"


def financeurs_cell(fiche: FicheAction) -> str:
    return " ; ".join(f"{f.financeur} : {euros(f.montant)}" for f in fiche.financement)


def table_row(fiche: FicheAction) -> list[str]:
    return [
        fiche.id,
        fiche.intitule or "",
        fiche.maitre_ouvrage or "",
        calendrier_cell(fiche),
        euros(fiche.cout) if fiche.cout is not None else "",
        financeurs_cell(fiche),
    ]


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def join_fr(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


# --- parties and signatures -------------------------------------------------------------------------


def _article_name(sig: Signataire, dossier: Dossier) -> tuple[str, str]:
    """(name with its article, "représenté" agreed with it) for a signataire."""
    coll = dossier.collectivites
    if sig.role == "ville_centre":
        return f"La Commune de {coll.ville_centre.nom}", "représentée"
    if sig.role == "intercommunalite":
        nom = coll.intercommunalite.nom
        return (nom if nom.startswith(("La ", "Le ", "L'", "Les ")) else f"La {nom}"), "représentée"
    fixed = {
        "prefet": ("L'État", "représenté"),
        "cdc": ("La Caisse des Dépôts et Consignations (Banque des Territoires)", "représentée"),
        "action_logement": ("Action Logement Services", "représenté"),
        "anah": ("L'Agence nationale de l'habitat (Anah)", "représentée"),
        "anru": ("L'Agence nationale pour la rénovation urbaine (ANRU)", "représentée"),
    }
    if sig.role in fixed:
        return fixed[sig.role]
    nom = sig.organisme.replace(",", "")
    if nom.startswith(("La ", "Le ", "L'", "Les ")):
        return nom, "représenté(e)"
    if sig.role == "region" or nom.startswith("Région"):
        return f"La {nom}", "représentée"
    if sig.role == "departement" or nom.startswith("Département"):
        return f"Le {nom}", "représenté"
    if sig.role == "autre_commune":
        for prefix in ("Ville de ", "Commune de ", "Mairie de "):
            if nom.startswith(prefix):
                nom = nom[len(prefix) :]
        return f"La Commune de {nom}", "représentée"
    return nom, "représenté(e)"


def _for_name(name: str) -> str:
    """ "La Commune de X" -> "la Commune de X" (after « Pour »)."""
    for article in ("La ", "Le ", "Les ", "L'"):
        if name.startswith(article):
            return article.lower() + name[len(article) :]
    return name


def _ordered(signataires: Iterable[Signataire], omit: frozenset[str] | set[str]) -> list[Signataire]:
    kept = [s for s in signataires if s.role not in omit]
    return sorted(kept, key=lambda s: ROLE_ORDER.get(s.role, len(ROLE_ORDER)))  # stable within a role


def _deliberation(dossier: Dossier, organe: str, with_deliberations: bool) -> dt.date | None:
    cadre = dossier.convention.cadre if dossier.convention else None
    if not with_deliberations or cadre is None or not cadre.deliberations:
        return None
    return next((d.date for d in cadre.deliberations if d.organe == organe), None)


def party_line(sig: Signataire, dossier: Dossier, deliberation: dt.date | None = None) -> str:
    name, represented = _article_name(sig, dossier)
    if sig.nom and sig.qualite:
        who = f"{sig.nom}, {sig.qualite}"
    elif sig.nom:
        who = sig.nom
    elif sig.qualite:
        who = f"son représentant légal ({sig.qualite})"
    else:
        who = "son représentant légal"
    line = f"{name}, {represented} par {who}"
    if deliberation is not None:
        line += f", dûment habilité(e) par délibération du {date_fr(deliberation)}"
    return line + ","


def parties_lines(
    dossier: Dossier, signataires: Iterable[Signataire], omit: frozenset[str] | set[str], with_deliberations: bool
) -> list[str]:
    kept = _ordered(signataires, omit)
    organes = {"ville_centre": "commune", "intercommunalite": "intercommunalite"}
    groups = [
        ("ENTRE", [s for s in kept if s.role in BENEFICIAIRES], "ci-après, les « Collectivités bénéficiaires » ;"),
        ("ET", [s for s in kept if s.role in FINANCEURS], "ci-après, les « Partenaires financeurs » ;"),
        (
            "AINSI QUE",
            [s for s in kept if s.role not in BENEFICIAIRES + FINANCEURS],
            "ci-après, les « Autres partenaires locaux » ;",
        ),
    ]
    lines: list[str] = []
    for n, (head, members, closing) in enumerate(groups):
        if not members and n > 0:
            continue
        lines.append(head)
        for sig in members:
            organe = organes.get(sig.role)
            lines.append(
                party_line(sig, dossier, _deliberation(dossier, organe, with_deliberations) if organe else None)
            )
        lines.append(closing)
    lines.append("Il est convenu ce qui suit.")
    return lines


def signature_lines(
    dossier: Dossier, signataires: Iterable[Signataire], omit: frozenset[str] | set[str], date: dt.date | None
) -> list[str]:
    kept = _ordered(signataires, omit)
    ville = dossier.collectivites.ville_centre.nom
    lines = [f"Fait à {ville}, le {date_fr(date)}, en {len(kept)} exemplaires originaux."]
    for sig in kept:
        name, _ = _article_name(sig, dossier)
        lines.append("Pour " + ", ".join([_for_name(name)] + [v for v in (sig.nom, sig.qualite) if v]))
    return lines


# --- what the body says, from the dossier -------------------------------------------------------------


def intercommunalite_nom(dossier: Dossier) -> str:
    return dossier.collectivites.intercommunalite.nom


def fiches_of(dossier: Dossier, mature_only: bool = False) -> list[FicheAction]:
    return [f for f in dossier.fiches_actions if f.maturite == "mature" or not mature_only]


def axes_of(dossier: Dossier) -> list:
    return sorted(dossier.axes or [], key=lambda a: a.numero)


def preambule_paragraphs(dossier: Dossier) -> list[str]:
    ville = dossier.collectivites.ville_centre.nom
    epci = intercommunalite_nom(dossier)
    out = [
        "Le programme national Action Cœur de Ville, lancé par le Gouvernement en mars 2018, vise à améliorer les "
        "conditions de vie des habitants des villes moyennes et à conforter le rôle moteur de ces villes dans le "
        f"développement de leur territoire. La commune de {ville}, ville-centre de la {epci}, a été retenue parmi "
        "les villes bénéficiaires du programme. Les collectivités et les partenaires s'engagent à mobiliser leurs "
        "moyens pour redonner au centre-ville son attractivité résidentielle, commerciale et culturelle.",
    ]
    axes = [a for a in axes_of(dossier) if a.diagnostic]
    if axes:
        constats = " ; ".join(
            f"sur l'axe {a.numero} ({lower_first(AXES[a.numero])}), {lower_first(a.diagnostic)}" for a in axes
        )
        out.append(
            "Le diagnostic partagé entre les collectivités et les partenaires fait apparaître les constats suivants : "
            f"{constats}."
        )
    else:
        out.append(
            f"Le diagnostic du centre-ville de {ville} sera conduit pendant la phase d'initialisation. Il portera sur "
            "l'habitat, le commerce, les mobilités, les espaces publics et le patrimoine, ainsi que sur l'accès aux "
            "équipements et services publics."
        )
    objectifs = [lower_first(o) for a in axes_of(dossier) for o in a.objectifs]
    if objectifs:
        out.append(
            "Au regard de ces constats, les objectifs poursuivis par la présente convention sont notamment de "
            f"{' ; '.join(objectifs)}. Ces objectifs seront précisés et chiffrés à l'issue de la phase "
            "d'initialisation."
        )
    else:
        out.append(
            "Les objectifs poursuivis, déclinés selon les cinq axes du programme, seront précisés et chiffrés à "
            "l'issue de la phase d'initialisation."
        )
    dispositifs = dossier.preparation.dispositifs_identifies if dossier.preparation else []
    if dispositifs:
        out.append(
            "Le projet s'inscrit dans la continuité des démarches déjà engagées sur le territoire : "
            f"{', '.join(dispositifs)}. "
            "Il veille à leur articulation avec les actions du programme."
        )
    return out


def engagement_paragraphs(dossier: Dossier) -> list[str]:
    ville = dossier.collectivites.ville_centre.nom
    return [
        "Les parties s'engagent à mettre en œuvre le projet de redynamisation du centre-ville de "
        f"{ville} décrit par la présente convention, dans le respect de leurs compétences respectives et dans la "
        "limite des crédits dont elles disposent chaque année.",
        "Les collectivités bénéficiaires s'engagent à animer le projet, à mobiliser leurs services, à associer les "
        "habitants, les commerçants et les acteurs économiques, et à fournir aux partenaires les informations "
        "nécessaires à l'instruction des demandes de financement.",
        "Les partenaires financeurs s'engagent à instruire dans les meilleurs délais les propositions de projets et "
        "d'actions qui leur sont soumises, à désigner un référent pour le suivi du programme et à mobiliser leurs "
        "dispositifs d'ingénierie et de financement selon leurs règles propres.",
    ]


def organisation_paragraphs(dossier: Dossier) -> list[str]:
    ville = dossier.collectivites.ville_centre.nom
    gouv = dossier.gouvernance
    out = []
    directeur = gouv.directeur_projet if gouv else None
    if directeur:
        fonction = f" ({directeur.fonction})" if directeur.fonction else ""
        depuis = f" depuis le {date_fr(directeur.date_nomination)}" if directeur.date_nomination else ""
        out.append(
            f"La commune de {ville} a confié la direction du projet à {directeur.nom}{fonction}{depuis}. La "
            "direction de projet coordonne la préparation et la mise en œuvre du programme et en assure le suivi "
            "auprès des partenaires."
        )
    else:
        out.append(
            f"La commune de {ville} désignera un directeur de projet chargé de coordonner la préparation et la mise "
            "en œuvre du programme, placé sous l'autorité du maire."
        )
    comite = gouv.comite_projet if gouv else None
    if comite and comite.membres:
        membres = join_fr([f"{m.nom} ({QUALITES_MEMBRE.get(m.qualite, m.qualite)})" for m in comite.membres])
        installe = f", installé le {date_fr(comite.date_installation)}," if comite.date_installation else ""
        out.append(
            f"Le comité de projet{installe} est présidé par le maire. Il réunit : {membres}. Il valide les "
            "orientations, suit l'avancement des actions et prépare les décisions soumises au comité régional."
        )
    else:
        out.append(
            "Un comité de projet, présidé par le maire et associant le représentant de l'État et les partenaires "
            "financeurs, sera installé dans les meilleurs délais. Il valide les orientations et suit l'avancement "
            "des actions."
        )
    equipe = gouv.equipe_projet if gouv else None
    if equipe and equipe.membres:
        out.append(
            f"L'équipe projet, composée de {join_fr([m.nom for m in equipe.membres])}, assure le pilotage "
            "opérationnel du programme."
        )
    if gouv and gouv.partenaires_locaux:
        out.append(f"Sont associés au projet les partenaires locaux suivants : {', '.join(gouv.partenaires_locaux)}.")
    return out


def initialisation_paragraph(dossier: Dossier) -> str:
    count = len(fiches_of(dossier, mature_only=True))
    if count > 1:
        recap = f"les {count} actions matures sont récapitulées"
    elif count == 1:
        recap = "l'action mature est récapitulée"
    else:
        recap = "aucune action mature n'est recensée à ce jour ; le tableau sera complété"
    return (
        "La phase d'initialisation, d'une durée de dix-huit mois au plus à compter de la signature de la présente "
        "convention, permet d'achever le diagnostic, d'arrêter le projet de redynamisation et de préciser le "
        f"périmètre d'intervention. Dès cette phase, les actions suffisamment mûres peuvent être engagées : {recap} "
        "dans le tableau ci-dessous."
    )


def duree_paragraphs(dossier: Dossier) -> list[str]:
    cadre = dossier.convention.cadre if dossier.convention else None
    if cadre and cadre.duree_annees:
        first = (
            f"La présente convention, d'une durée de {cadre.duree_annees} ans, prend effet à compter de sa "
            "signature par l'ensemble des parties."
        )
    else:
        first = "La présente convention prend effet à compter de sa signature par l'ensemble des parties."
    return [
        first + " Elle comprend une phase d'initialisation suivie d'une phase de déploiement.",
        "La convention pourra être modifiée par voie d'accord écrit entre les parties, notamment pour intégrer le "
        "projet de redynamisation arrêté à l'issue de la phase d'initialisation. Toute modification fera l'objet "
        "d'une décision du comité de projet avant signature.",
        "Le comité de projet se réunit au moins deux fois par an. Les collectivités bénéficiaires en assurent le "
        "secrétariat et transmettent les comptes rendus aux partenaires.",
    ]


def suivi_paragraphs(dossier: Dossier) -> list[str]:
    out = [
        "Un état d'avancement du programme est présenté chaque année au comité de projet, puis transmis au comité "
        "régional d'engagement. Il rend compte des actions engagées, des crédits mobilisés et des difficultés "
        "rencontrées."
    ]
    indicateurs = dossier.indicateurs or []
    if indicateurs:
        noms = []
        for i in indicateurs:
            cible = ""
            if i.valeur_cible is not None:
                valeur = (
                    f"{i.valeur_cible:f}".rstrip("0").rstrip(".")
                    if "." in f"{i.valeur_cible:f}"
                    else f"{i.valeur_cible:f}"
                )
                cible = f" (cible : {valeur}{' ' + i.unite if i.unite else ''})"
            noms.append(f"{lower_first(i.nom)}{cible}")
        out.append(f"L'évaluation s'appuie notamment sur les indicateurs suivants : {' ; '.join(noms)}.")
    else:
        out.append("Les indicateurs de moyens et de résultats seront définis pendant la phase d'initialisation.")
    return out


LITIGES = [
    "Les parties s'efforceront de résoudre à l'amiable tout différend relatif à l'interprétation ou à l'exécution de "
    "la présente convention, au sein du comité de projet.",
    "À défaut d'accord dans un délai de deux mois, le différend sera porté devant le tribunal administratif "
    "territorialement compétent.",
]


def fiche_paragraph(fiche: FicheAction) -> str:
    parts = []
    if fiche.axe:
        parts.append(f"Axe {fiche.axe} : {lower_first(AXES[fiche.axe])}.")
    if fiche.maitre_ouvrage:
        parts.append(f"Maître d'ouvrage : {fiche.maitre_ouvrage}.")
    if fiche.calendrier:
        parts.append(f"Calendrier : {calendrier_cell(fiche)}.")
    if fiche.cout is not None:
        parts.append(f"Coût : {euros(fiche.cout)}.")
    if fiche.financement:
        parts.append(f"Plan de financement : {financeurs_cell(fiche)}.")
    return " ".join(parts) or "Fiche en cours de rédaction."


CONVENTION_TEXTS = {  # the convention's parts that are paragraphs only
    "preambule_objectifs": preambule_paragraphs,
    "engagement_parties": engagement_paragraphs,
    "organisation_comite_projet": organisation_paragraphs,
    "duree_evolution_fonctionnement": duree_paragraphs,
    "suivi_evaluation": suivi_paragraphs,
    "traitement_litiges": lambda _dossier: LITIGES,
}


def write_file(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
