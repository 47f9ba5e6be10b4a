"""Who is who: the role of a party or a signatory from the way it is named, with how sure.

Every naming of the intercommunalités (« Communauté d'agglomération X », « X Métropole »,
« Métropole de X », « X Agglomération », « X Agglo », « Intercom X », « X Communauté », an acronym
« CAPI »), the Région, the Département, the national partners (as facts.base.PARTNER_NAMES names
them), the State, the local bodies (EPF, CCI, CMA: « autre ») and the communes. A name nothing
recognises is « autre » with a low confidence: it never makes a reading fail.
"""

from __future__ import annotations

import re

from instruct.documents.evidence import SURE
from instruct.documents.text import normal
from instruct.french import name_key

# (role, pattern on `normal` text, confidence), in order: the first that matches names the role.
PATTERNS: list[tuple[str, str, float]] = [
    (
        "prefet",
        r"\betat\b(?! (des lieux|civil|d'avancement))|\bprefe(t|te|cture)\b|\bsous-?prefe|republique francaise",
        1.0,
    ),
    ("prefet", r"\bddtm?\b|direction departementale des territoires|\bdreal\b|\bsgar\b", 0.9),
    ("cdc", r"caisse des depots|banque des territoires|\bcdc\b", 1.0),
    ("action_logement", r"action logement", 1.0),
    ("anah", r"agence nationale (de|pour) (l'amelioration de )?l'habitat|\banah\b", 1.0),
    ("anru", r"renovation urbaine|\banru\b", 1.0),
    ("autre", r"etablissement public foncier|\bepfl?\b|\bepf[a-z]*\b", 0.95),
    ("autre", r"chambre (de|des) (commerce|metiers|l'artisanat|d'agriculture)|\bcci\b|\bcma\b|\bcmar?\b", 0.95),
    ("autre", r"\b(oph|sem|spl|sa d'hlm|esh|epareca|anct|caf|petr|scot)\b|office public|bailleur|syndicat", 0.85),
    ("autre", r"societe|agence d'urbanisme|association|fondation|\bhabitat\b", 0.8),
    ("region", r"conseil regional|^(la )?region\b|\bregion\b", 1.0),
    ("departement", r"conseil (departemental|general)|^(le )?departement\b|\bdepartement\b", 1.0),
    ("intercommunalite", r"communaute (d'agglomeration|de communes|urbaine|d'agglo)|\beurometropole\b", 1.0),
    ("intercommunalite", r"\bmetropole\b|\bagglomeration$|\bagglo\b|^intercom\b|\bcommunaute$|\bepci\b", 0.95),
    ("intercommunalite", r"^(ca|cc|cu)[a-z]{1,6}$|^(ca|cc|cu) ", 0.85),  # an acronym: « CAPI », « CC du Val »
    ("commune", r"^(la |le )?(commune|ville|mairie)\b|\b(commune|ville|mairie) (de|d'|du)\b", 1.0),
    ("intercommunalite", r"^(le )?grand [a-z]", 0.7),  # « Grand Mérenne »: often an agglomération, to check
]
ROLES = {role for role, _, _ in PATTERNS} - {"commune"} | {"ville_centre", "autre_commune"}
UNKNOWN = 0.5  # a party nothing recognises: kept as « autre », to check


def role_scored(organisme: str, qualite: str | None = None) -> tuple[str, float]:
    """(role, confidence) from the organisme's name, or failing it its representative's title;
    « commune » is decided later (ville-centre or another commune, `communes`)."""
    text = normal(organisme).strip(" ,;:.")
    for role, pattern, confidence in PATTERNS:
        if re.search(pattern, text):
            if role == "intercommunalite" and confidence < SURE and re.search(r"\bpresident", normal(qualite or "")):
                confidence = 0.85  # « le Grand Chalon, représenté par son Président »
            return role, confidence
    title = f"{normal(qualite or '')} {text}"  # « Pour le Maire »: the organisme is a title
    if re.search(r"\bmaire\b", title):
        return "commune", 0.85
    if re.search(r"\bprefe(t|te)\b", title):
        return "prefet", 0.85
    if re.fullmatch(r"[a-z]{2,8}", text) and organisme.strip().isupper() and re.search(r"\bpresident", title):
        return "intercommunalite", 0.7  # an acronym presided by a « Président »: likely an EPCI
    return "autre", UNKNOWN


def same_town(organisme: str, ville: str) -> bool:
    """The organisme names the town (« Commune de Villebelle », « Ville de Saint-Aubin »)."""
    key, town = f" {name_key(organisme)} ", name_key(ville)
    return bool(town) and f" {town} " in key


def commune_roles(
    communes: list[str], ville: str | None, convention: bool = True, hint: str = ""
) -> list[tuple[str, float]]:
    """Ville-centre or autre commune for each commune party: the town the dossier names; without
    it the only commune of a convention, the one its title (`hint`) names, or the first of several
    (then to check)."""
    bare = [re.fullmatch(r"(la |le |l')?(commune|ville|mairie)", normal(c)) is not None for c in communes]
    if ville:  # « la Commune » naming no town is the ville-centre of its piece
        return [
            ("ville_centre", 1.0) if same_town(c, ville) else ("ville_centre", 0.85) if b else ("autre_commune", 0.9)
            for c, b in zip(communes, bare)
        ]
    if len(communes) == 1:
        return [("ville_centre", 0.9 if convention else 0.75)]
    town = re.compile(r"^(la |le |l')?(commune|ville|mairie)( de| du| d')?\s*", re.I)
    named = [bool(hint) and same_town(hint, town.sub("", c)) for c in communes]
    if sum(named) == 1:  # the title names one of them: « Convention Action Cœur de Ville – Rocheval »
        return [("ville_centre", 0.9) if n else ("autre_commune", 0.9) for n in named]
    return [("ville_centre", 0.6)] + [("autre_commune", 0.6)] * (len(communes) - 1)


def role_of(organisme: str, ville: str | None = None) -> str:
    """The role alone (a financeur's name in a table of actions): a commune is the ville-centre
    unless the dossier's town is another."""
    role, _ = role_scored(organisme)
    if role == "commune":
        return "autre_commune" if ville and not same_town(organisme, ville) else "ville_centre"
    return role
