"""The persons of a parties block or a signature block: a name (« Jean DUPONT », « Claire
Le Gall ») told from a title (« le Maire », « la Directrice régionale »), civilités removed, and
the text cleaned of what a PDF or an OCR leaves in it (« 1'État », words cut by a hyphen, a
title or a name wrapped onto the next line)."""

from __future__ import annotations

import re

from instruct.documents.text import normal
from instruct.documents.values import folded

CIVILITE = re.compile(
    r"^(?:m\.|mr\.?|mme\.?|mlle\.?|melle|monsieur|madame|mademoiselle|messieurs|mesdames)(?=[\s.]|$)\s*", re.I
)
# Titles (normal form, masculine and feminine): what a representative is, never their name.
TITLE_WORDS = (
    r"maire|adjointe?|premier adjoint|premiere adjointe|presidente?|vice-presidente?|prefete?|sous-prefete?|"
    r"directeur|directrice|delegue|deleguee|secretaire|representante?|conseillere?|chef|responsable|"
    r"administrat(eur|rice)|gerante?|commissaire|ministre|general|generale|regional|regionale|territorial|"
    r"territoriale|departemental|departementale|adjoint|interimaire|exercice|qualite|charge|chargee"
)
TITLE = re.compile(r"\b(" + TITLE_WORDS + r")\b")
TITLE_START = re.compile(r"^(le |la |l'|son |sa |notre )?(" + TITLE_WORDS + r")\b")
ORGANISATION_WORDS = re.compile(
    r"\b(commune|ville|mairie|communaute|metropole|agglomeration|agglo|intercom|region|departement|etat|"
    r"caisse|banque|agence|action logement|etablissement|chambre|conseil|societe|office|anah|anru|republique)\b"
)
PARTICLES = {"de", "du", "des", "d'", "le", "la", "van", "von", "di", "da", "del", "della", "ben", "el", "mc", "saint"}
UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
LOWER = "a-zàâäçéèêëîïôöùûüÿæœß"
NAME_WORD = re.compile(
    rf"^(?:[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)*|[{UPPER}]\.(?:-[{UPPER}]\.)?|"
    rf"(?:[dD]['’]|[{UPPER}]['’])?[{UPPER}]{{2,}}(?:[-'’][{UPPER}]+)*)$"
)
KEEP_HYPHEN_AFTER = {
    "ci",
    "vice",
    "sous",
    "centre",
    "coeur",
    "cœur",
    "au",
    "rez",
    "grand",
    "demi",
    "mi",
    "non",
    "c'est",
}
KEEP_HYPHEN_BEFORE = {"sur", "sous", "en", "les", "le", "la", "lès", "lez", "de", "du", "des", "et", "aux", "à", "d"}


def clean(text: str) -> str:
    """What an OCR or a PDF leaves: « 1'État » is « l'État », « repré- sentée » one word, soft
    hyphens gone, one space."""
    text = text.replace("\u00ad", "").replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"(?<![\w'])[1I|]'(?=[A-Za-zÀ-ÿ])", "l'", text)  # « 1'État », « I'Agence »
    text = re.sub(r"(?<![\w'])I([ae])(?= \w)", r"l\1", text)  # « Ia Commune », « Ie Préfet »
    text = re.sub(r"\b([lLdD]) '\s*(?=\w)|\b([lLdD])' (?=[A-ZÀ-Ý])", lambda m: (m[1] or m[2]) + "'", text)
    text = re.sub(rf"([{LOWER}]{{2,}})- ([{LOWER}]+)", _unhyphen, text)
    text = re.sub(r"[ \t]*\t[ \t]*| {3,}", "\t", text.strip())  # columns drawn with tabs or wide spaces stay apart
    return re.sub(r"[^\S\t]+", " ", text)


def _unhyphen(match: re.Match) -> str:
    """« repré- sentée » -> « représentée »; « Saint-Aubin-sur- Mer », « ci- après » keep their hyphen."""
    before, after = match.group(1), match.group(2)
    last = re.split(r"[-\s]", before)[-1].lower()
    if last in KEEP_HYPHEN_AFTER or after.split("'")[0] in KEEP_HYPHEN_BEFORE:
        return f"{before}-{after}"
    return before + after


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph joined; a word cut by a hyphen at a line end is re-joined by `clean`
    (« Saint-⏎Aubin » keeps its hyphen)."""
    out = ""
    for line in (line.strip() for line in lines):
        if out.endswith("-") and line[:1].isupper():
            out += line
        elif line:
            out = f"{out} {line}" if out else line
    return clean(out).replace("\t", " ")


def without_civilite(text: str) -> tuple[str, bool]:
    text = text.strip(" ,;:.")
    stripped = CIVILITE.sub("", text, count=1)
    return stripped.strip(" ,;:"), stripped != text


def person(text: str) -> tuple[str | None, float]:
    """The person named in `text` (« M. Jean DUPONT », « Monsieur le Préfet Jean DUPONT », « Claire
    Martin ») without civilité, and how sure; (None, 0) when `text` names a title or a body."""
    rest, civil = without_civilite(text)
    while True:  # « le Préfet Jean DUPONT », « le Directeur régional Jean DUPONT »
        match = TITLE_START.match(normal(rest))
        if not match:
            break
        words = match.group(0).split()
        rest = " ".join(rest.split()[len(words) :])
    if civil is False:
        rest2, civil = without_civilite(rest)
        rest = rest2
    words = rest.replace("’", "'").split()
    if not 2 <= len(words) <= 5 or ORGANISATION_WORDS.search(normal(rest)) or TITLE.search(normal(rest)):
        return None, 0.0
    named = [w for w in words if w.lower() not in PARTICLES]
    shapes = "".join("U" if w.replace("-", "").replace("'", "").isupper() and len(w) > 2 else "c" for w in named)
    if re.search(r"U+c", shapes):  # « Bruno ROUSSILHE Laure PERRAUDIN »: two persons side by side
        return None, 0.0
    if not named or words[0].lower() in PARTICLES or not all(NAME_WORD.match(w) for w in named):
        return None, 0.0
    capitals = any(len(w) > 1 and w.replace("-", "").replace("'", "").isupper() for w in named)
    if civil or capitals:
        return rest, 0.95
    return rest, 0.7  # « Claire Martin », or « Centre-Val de Loire »? Sure only when confirmed elsewhere


def title_of(text: str) -> str | None:
    """The title a text gives (« son maire » -> « maire », « en sa qualité de directeur
    régional » -> « directeur régional »), as written, or None."""
    rest, _ = without_civilite(text)
    plain = folded(rest)
    lead = re.match(r"^((en (sa|son) qualite d[e'] ?|es qualite d[e'] ?)?(son |sa |le |la |l'|notre )?)", plain)
    rest, plain = rest[lead.end() :], plain[lead.end() :]
    if not TITLE_START.match(plain):
        return None
    name, _ = person(text)
    if name and rest.endswith(name):
        rest = rest[: -len(name)]
    return rest.strip(" ,;:.") or None


CUT_NAME = re.compile(r"\b(M\.|Mme|Mlle|Monsieur|Madame)\s+[A-ZÀ-Ý][\w-]+$")
SURNAME = re.compile(r"(?:[A-ZÀ-Ý]')?[A-ZÀ-Ý][A-ZÀ-Ý'-]+(?:\s[A-ZÀ-Ý][A-ZÀ-Ý'-]+)?")


def rejoined(lines: list[str]) -> list[str]:
    """Lines of one paragraph with a title or a name wrapped at the line's end put back together:
    « Pour la Caisse des Dépôts, Isabelle ROUSSEL, directrice » + « régionale », « …, M. Marc » +
    « VIGNERON »."""
    out: list[str] = []
    for line in lines:
        wrapped = out and line[:1].islower() and len(line) < 40 and "\t" not in out[-1]
        wrapped = wrapped and not any(c.isdigit() for c in line)  # « le 15 mars 2021 » is a date, not a title
        # « …, M. Marc-Antoine » + « VIGNERON »: a name cut after the first name
        wrapped = wrapped or bool(out and CUT_NAME.search(out[-1]) and SURNAME.fullmatch(line))
        if wrapped and not out[-1].endswith((",", ";", ".", ":")) and "\t" not in line:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out
