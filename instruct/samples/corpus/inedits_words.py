"""The words of the held-out pieces: the parties block in its several manners, the « Fait à »
lines, the article labels, and stock paragraphs of each part of a convention or an avenant."""

from __future__ import annotations

import datetime as dt

from instruct.samples.corpus.inedits_model import ROMAINS, Org, date_fr

ORDINAUX = ["premier", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"]


def label(n: int, form: str) -> str:
    """The number of the n-th article (from 1) as typed before its title."""
    if form == "article_er":
        return "Article 1er –" if n == 1 else f"Article {n} –"
    if form == "article_premier":
        return "Article premier :" if n == 1 else f"Article {ORDINAUX[n - 1]} :"
    if form == "ARTICLE":
        return f"ARTICLE {n} :"
    if form == "ARTICLE_dash":
        return f"ARTICLE {n} -"
    if form == "decimal":
        return f"{n}."
    if form == "decimal_paren":
        return f"{n})"
    if form == "roman_dot":
        return f"{ROMAINS[n - 1]}."
    if form == "roman":
        return f"{ROMAINS[n - 1]} –"
    if form == "titre":
        return f"Titre {ROMAINS[n - 1]} –"
    raise ValueError(form)


def represented(org: Org, form: str) -> str:
    """« représentée par son Maire, M. Jean DUPONT » in one of its forms: qualite (the title
    first), person (« M. Jean DUPONT, Maire »), bare (no name)."""
    verb = "représentée" if org.feminine else "représenté"
    if org.nom is None or form == "bare":
        return f"{verb} par {org.par} {org.qualite}"
    if form == "person":
        return f"{verb} par {org.person()}, {org.qualite}"
    return f"{verb} par {org.par} {org.qualite}, {org.person()}"


def authorised(org: Org, form: str) -> str:
    if org.deliberation is None:
        return ""
    habilite = "habilitée" if org.civilite == "Mme" else "habilité"
    if form == "slash":
        return f", agissant en vertu d'une délibération {org.organe} en date du {date_fr(org.deliberation, 'slash')}"
    if form == "dash":
        accord = "e" if org.civilite == "Mme" else ""
        return f", autorisé{accord} par délibération {org.organe} du {date_fr(org.deliberation, 'dash')}"
    if form == "dot":
        accord = "e" if org.civilite == "Mme" else ""
        return f", autorisé{accord} à signer par délibération {org.organe} du {date_fr(org.deliberation, 'dot')}"
    return f", dûment {habilite} par délibération {org.organe} du {date_fr(org.deliberation)}"


def cap(text: str) -> str:
    return text[0].upper() + text[1:]


def alias(org: Org) -> str:
    if not org.alias:
        return ""
    return f", ci-après dénommée « {org.alias} »" if org.feminine else f", ci-après dénommé « {org.alias} »"


def parties_entre(orgs: list[Org], rep: str = "qualite", dates: str = "long") -> list[str]:
    """« ENTRE : », a paragraph per party, « ET » between them."""
    out = ["ENTRE :"]
    for n, org in enumerate(orgs):
        if n:
            out.append("ET")
        out.append(f"{cap(org.named())}, {represented(org, rep)}{authorised(org, dates)}{alias(org)},")
    out.append("ci-après désignées ensemble « les Parties ».")
    return out


def parties_soussignes(orgs: list[Org], split: int, dates: str = "slash") -> list[str]:
    """« ENTRE LES SOUSSIGNÉS : », dashes, no comma before « représentée par », « d'une part » /
    « d'autre part » after the first `split` parties."""
    out = ["ENTRE LES SOUSSIGNÉS :"]
    for n, org in enumerate(orgs):
        if n == split:
            out.append("d'une part,")
            out.append("ET :")
        out.append(f"- {cap(org.named())} {represented(org, 'person')}{authorised(org, dates)}{alias(org)} ;")
    out.append("d'autre part,")
    out.append("IL A ÉTÉ CONVENU CE QUI SUIT :")
    return out


def parties_prose(orgs: list[Org], split: int) -> list[str]:
    """One sentence: « Entre la Commune de X, représentée …, et …, d'une part, et l'État, …,
    d'autre part, il est convenu ce qui suit : »."""
    first = [f"{org.named()}, {represented(org, 'qualite')}{authorised(org, 'long')}" for org in orgs[:split]]
    second = [f"{org.named()}, {represented(org, 'qualite')}{authorised(org, 'long')}" for org in orgs[split:]]
    text = "Entre " + ", et ".join(first) + ", d'une part, et " + ", ".join(second[:-1])
    text += f", ainsi que {second[-1]}, d'autre part," if len(second) > 1 else f"{second[-1]}, d'autre part,"
    return [text, "il est convenu ce qui suit :"]


def parties_liste(orgs: list[Org]) -> list[str]:
    """« La présente convention est conclue entre : » and a line per party, « M. NOM, Maire »."""
    out = ["La présente convention est conclue entre :"]
    for org in orgs:
        out.append(f"– {org.named()}, {represented(org, 'person')}{authorised(org, 'dash')} ;")
    return out


def vu_lines(orgs: list[Org], form: str) -> list[str]:
    """The délibérations given before the parties, in « Vu la délibération … » lines."""
    out = []
    for org in orgs:
        if org.deliberation:
            whom = org.organisme.split(" de ", 1)[-1] if org.role == "ville_centre" else org.organisme
            out.append(f"Vu la délibération {org.organe} de {whom} en date du {date_fr(org.deliberation, form)} ;")
    return out


def fait_a(place: str, day: dt.date | None, form: str, copies: int = 0) -> tuple[str, str | None]:
    """The « Fait à » line and, when the date goes on the next line, that line."""
    if day is None:
        return f"Fait à {place}, le", None
    if copies:
        return f"Fait en {copies} exemplaires originaux, à {place},", f"le {date_fr(day, form)}"
    return f"Fait à {place}, le {date_fr(day, form)}", None


# --- stock paragraphs ---------------------------------------------------------------------------

TEXTES = {
    "objet": [
        "La présente convention a pour objet de décrire les modalités de mise en œuvre du programme Action "
        "Cœur de Ville à {ville} et de préciser les engagements réciproques des Parties.",
    ],
    "preambule_objectifs": [
        "Ville d'équilibre du département, {ville} connaît depuis une vingtaine d'années une perte "
        "d'habitants au profit de la périphérie, une vacance commerciale en hausse et un parc de "
        "logements anciens dégradé dans les rues du centre historique.",
        "Le projet porté par la Commune et {epci} vise à redonner de l'attractivité au centre-ville : "
        "reconquérir l'habitat ancien, conforter le commerce de proximité, apaiser les espaces publics et "
        "maintenir les équipements et services au cœur de la ville.",
    ],
    "engagement_parties": [
        "Les Parties s'engagent à mobiliser les moyens, humains et financiers, nécessaires à la réalisation "
        "du programme, dans la limite de leurs règles d'intervention et des crédits disponibles.",
        "La Commune s'engage à mettre en place une équipe projet et à associer les acteurs locaux ; les "
        "partenaires financeurs instruisent les demandes selon leurs procédures propres.",
    ],
    "organisation_comite_projet": [
        "Le comité de projet, présidé par le Maire, réunit les signataires de la convention ; il valide les "
        "orientations et suit l'avancement des actions. Il se réunit au moins deux fois par an.",
        "Un directeur de projet, placé auprès du directeur général des services, anime la démarche et "
        "prépare les travaux du comité.",
    ],
    "duree_evolution_fonctionnement": [
        "La présente convention est signée pour une durée de {duree_mots} ({duree}) ans à compter de sa "
        "signature. Elle pourra être modifiée par voie d'avenant à l'initiative de l'une des Parties.",
    ],
    "phase_initialisation": [
        "La phase d'initialisation, d'une durée de dix-huit mois au plus, permet d'achever le diagnostic, de "
        "conduire les études nécessaires et d'engager les actions matures décrites ci-dessous.",
    ],
    "suivi_evaluation": [
        "Un tableau de bord de suivi des actions est tenu par le directeur de projet et présenté à chaque "
        "comité de projet. Une évaluation est conduite à mi-parcours et au terme de la convention.",
    ],
    "traitement_litiges": [
        "Les Parties recherchent une solution amiable à tout différend né de l'exécution de la présente "
        "convention. À défaut, le litige est porté devant le tribunal administratif compétent.",
    ],
    "diagnostic_afom": [
        "Atouts : un patrimoine bâti remarquable, une gare desservie et un tissu associatif actif. "
        "Faiblesses : une vacance des logements de 14 % et des rez-de-chaussée commerciaux fermés.",
        "Opportunités : la reconversion de friches proches du centre. Menaces : la concurrence des zones "
        "commerciales périphériques et le vieillissement de la population.",
    ],
    "objectifs_generaux_et_par_axe": [
        "Le projet poursuit cinq objectifs, un par axe du programme : réhabiliter l'habitat, conforter le "
        "commerce, faciliter les mobilités, valoriser les espaces publics et le patrimoine, maintenir les "
        "équipements et services en centre-ville.",
    ],
    "perimetres_intervention": [
        "Le périmètre de l'opération de revitalisation de territoire couvre le centre-ville élargi ; les "
        "secteurs d'intervention prioritaires sont le quartier de la gare et le centre ancien.",
    ],
    "plan_actions": [
        "Le plan d'actions ci-dessous recense les actions retenues, leur maître d'ouvrage et leur coût prévisionnel.",
    ],
    "calendrier_general": [
        "Les actions sont engagées entre 2019 et 2022 ; les opérations d'aménagement les plus lourdes "
        "s'achèveront au plus tard en 2024.",
    ],
    "budget_financement": [
        "Le coût total du programme est estimé à {total} ; la part des cofinanceurs est de {cofin} et la "
        "part restant à la charge des maîtres d'ouvrage de {porteur}.",
    ],
    "annexe": ["Document joint en annexe au présent acte (pièce séparée, non reproduite)."],
    "inchange": [
        "Les autres dispositions de la convention-cadre demeurent inchangées et continuent de produire leurs effets.",
    ],
}

DUREE_MOTS = {3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept"}


def textes(code: str, **values) -> list[str]:
    return [text.format(**values) for text in TEXTES[code]]


def duree_text(years: int | None, form: str) -> str:
    """The durée sentence; years None: an end date, no number of years."""
    if years is None:
        return (
            "La présente convention prend effet à la date de sa signature par l'ensemble des Parties et "
            "s'achèvera au 31 décembre 2022. Elle peut être modifiée par avenant."
        )
    if form == "periode":
        return (
            f"La convention est conclue pour une période de {years} ans. Toute modification fait l'objet d'un avenant."
        )
    if form == "annees":
        return (
            f"La présente convention entre en vigueur à sa signature pour une durée de {DUREE_MOTS[years]} années ; "
            "elle pourra être prorogée par avenant."
        )
    return (
        f"La présente convention est signée pour une durée de {DUREE_MOTS[years]} ({years}) ans à compter de sa "
        "signature. Elle pourra être modifiée par voie d'avenant à l'initiative de l'une des Parties."
    )
