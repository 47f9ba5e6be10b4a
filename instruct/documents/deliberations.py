"""What an extract of a délibération says: which council met (the organe), the date of its séance,
what it approves (the convention-cadre, an avenant, the convention d'ORT), and who signed the
extract, and when.

Towns write the séance « Séance du 25 septembre 2018 », « L'an deux mille dix-huit, le
vingt-cinq septembre » (in words), « Le 25/09/2018, le conseil municipal … s'est réuni »; they sign
« Pour extrait conforme, à X, le … », « Fait à X, le … », or « Fait et délibéré les jour, mois et an
susdits » (then the séance is the date), with « Le Maire, » / « Le Président, » and the name on the
next lines, sometimes « Pour le Maire et par délégation ». « Reçu en préfecture le … » and
« Certifié exécutoire … le … » are the acte's transmission, not its signature.
"""

from __future__ import annotations

import datetime as dt
import re

from instruct.documents.evidence import Quote
from instruct.documents.parties import Party
from instruct.documents.people import clean, person, title_of
from instruct.documents.read import PieceText
from instruct.documents.readings import Deliberation
from instruct.documents.values import MONTHS, date_spans, folded
from instruct.french import name_key

COMMUNE, INTERCO = "commune", "intercommunalite"
ORGANE = re.compile(
    r"\b(?:conseil|bureau)\s+(municipal|communautaire|metropolitain|de (?:la )?(?:communaute|metropole)\b)"
)
# Where the organe is said for certain: the title of the register, or the council that met.
ORGANE_SURE = re.compile(
    r"registre des deliberations du (?:conseil|bureau)|(?:conseil|bureau) \w+(?: de (?:la )?\w+)?,? "
    r"(?:legalement |regulierement |dument )?(?:convoque|reuni|s'est reuni)"
)
WEEKDAY = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
# What announces the séance's date: « Séance (publique) du », « Réunion du », « Date de la séance : »,
# a title « Conseil municipal du … »; the date follows within the clause.
SEANCE = re.compile(
    r"\b(?:seance|reunion)\b|^(?:conseil|bureau) (?:municipal|communautaire|metropolitain|de (?:la )?\w+)\b"
)
MET = re.compile(
    r"s'est reuni|s'est assemble|etant assemble|legalement convoque|regulierement convoque|dument convoque"
)
DECISION = re.compile(r"^[-–— ]*(?:approuve|decide|adopte|autorise|(?:le|la) \w+ \w*,? ?apres en avoir delibere)\b")
MET_ON = re.compile(r"\b(?:s'est |s'etant |etant )?(?:reuni|assemble)e?s?(?: en seance(?: \w+)?)?,?\s+(?:le\s+)?")
NOT_SEANCE = re.compile(r"convoc|affich|transmis|recu|publi|^vu\b|^considerant")
MONTH = "(" + "|".join(MONTHS) + ")"
WORDS_DATE = re.compile(
    r"\bl'an\s+([a-z0-9 -]{4,60}?)\s*,?\s+(?:et\s+)?le\s+"
    + WEEKDAY
    + r"([a-z0-9 -]{1,30}?)\s+(?:du mois\s+)?(?:de\s+|d')?"
    + MONTH
    + r"\b"
)
# « le vingt-cinq septembre deux mille dix-huit »: the year after the month, in words
WORDS_DATE_AFTER = re.compile(
    r"\ble\s+"
    + WEEKDAY
    + r"([a-z -]{2,30}?)\s+"
    + MONTH
    + r"\s+(deux mille?(?:[\s-]+[a-z]+){0,3}?)(?=\s*[,.;]|\s+a\s|$)"
)
NUMBERS = {
    "zero": 0, "un": 1, "une": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60,
}  # fmt: skip
EXTRAIT = re.compile(
    r"^pour (?:extrait|copie|expedition) (?:certifiee? )?conforme\b|^(?:extrait|copie) certifiee? conforme\b"
)
FAIT = re.compile(r"^(?:ainsi )?(?:fait|delibere)\s+(?:et\s+\w+\s+)?(?:a|en)\b")
# « À Kerbrivan, le 27/09/2018 », « Saint-Aubin-sur-Mer, le 1er octobre 2018 »: a place, then the date
PLACE_DATE = re.compile(r"^(?:[àÀ]\s+)?[A-ZÀ-Ý][\w'’-]+(?:\s[A-ZÀ-Ý][\w'’-]+){0,3},\s*le\s+(?:\d|1er|premier)")
SUSDITS = re.compile(r"\b(?:les?|aux?)\s+jours?,?\s+mois\s+et\s+an\s+(?:susdits|que dessus|ci-dessus)")
EXECUTOIRE = re.compile(r"^certifie\s+(?:le caractere\s+)?executoire|^acte rendu executoire")
SIGNER = re.compile(
    r"^(?:pour le (?:maire|president)e?,? et par delegation,?\s*)?"
    r"(?:le |la |l')?(maire|presidente?|(?:(?:premier|premiere|\d+(?:er|ere|e|eme)|\w+ieme) )?"
    r"(?:vice-presidente?|adjointe?)|"
    r"conseillere? (?:municipale? |communautaire )?delegue?e?)\b"
)
VERB = re.compile(r"\b(certifie|atteste|rappelle|expose|propose|precise|informe|presente|indique|soumet)\b")
DELEGATION = re.compile(r"^pour (?:le |la )?(?:maire|presidente?)\b.*\bdelegation\b")
AVENANT = re.compile(
    r"\bavenant\s*(?:n\s*°|no\.?|numero|n°)?\s*(\d{1,2})\b|\b(premier|1er|deuxieme|second|troisieme)\s+avenant"
)
ORDINALS = {"premier": 1, "1er": 1, "deuxieme": 2, "second": 2, "troisieme": 3}
ORT = re.compile(r"\bort\b|operation de revitalisation")
CADRE = re.compile(r"convention[- ]cadre|convention[- ]type")
ACV = re.compile(r"coeur de ville|\bacv\b")


def _lines(piece: PieceText) -> list[tuple[str, str]]:
    """(line, where) in reading order, cleaned of what an OCR leaves (« Ia », « 1'unanimité »); a
    table row (a signature drawn in a table) gives each cell's lines, cell after cell."""
    out = []
    for block in piece.blocks:
        for text in block.cells or (block.shown,):
            out += [(clean(line).replace("\t", " "), block.where) for line in text.splitlines() if line.strip()]
    return out


def _fold(text: str) -> str:
    return folded(text).replace("’", "'")


# --- the council and its séance -----------------------------------------------------------------


def _organe_of(match: re.Match) -> str:
    return COMMUNE if match[1] == "municipal" else INTERCO


def organe(lines: list[tuple[str, str]], file: str) -> tuple[str, Quote] | None:
    """The council that met: sure where the register's title or the séance names it; from any
    mention only when all mentions agree."""
    found = []
    for text, where in lines:
        plain = _fold(text)
        for match in ORGANE.finditer(plain):
            sure = bool(ORGANE_SURE.search(plain[max(0, match.start() - 40) : match.end() + 40]))
            found.append((_organe_of(match), sure, Quote(file, where, text[:240])))
    said = {o for o, sure, _ in found if sure}
    if len(said) == 1:
        value = said.pop()
        quote = next(q for o, sure, q in found if sure and o == value)
        return value, quote
    if found and not said and len({o for o, _, _ in found}) == 1:
        quote = found[0][2]
        return found[0][0], Quote(quote.file, quote.where, quote.text, 0.85)
    if found:  # the council is said both ways: a proposal
        quote = found[0][2]
        return found[0][0], Quote(quote.file, quote.where, quote.text, 0.5)
    return None


def number_words(text: str) -> int | None:
    """« deux mille dix-huit » -> 2018, « vingt-cinq » -> 25, « premier » -> 1, « 25 » -> 25."""
    text = text.strip().replace("1er", "1")
    if text.isdigit():
        return int(text)
    total = current = 0
    previous = ""
    for word in re.split(r"[\s-]+", text):
        if word in ("", "et"):
            continue
        if word in ("mille", "mil"):
            total += (current or 1) * 1000
            current = 0
        elif word in ("cent", "cents"):
            current = (current or 1) * 100
        elif word in ("vingt", "vingts") and previous == "quatre":
            current += 80 - 4
        elif word in NUMBERS:
            current += NUMBERS[word]
        else:
            return None
        previous = word
    value = total + current
    return value or None


def _day(year: int | None, month: int, day: int | None) -> dt.date | None:
    try:
        return dt.date(year, month, day) if year and day and 1900 < year < 2100 else None
    except ValueError:
        return None


def seance(lines: list[tuple[str, str]], file: str) -> tuple[dt.date, Quote] | None:
    """The date the council met: « séance du … », « L'an … le … » in words or figures, « Le …, le
    conseil … s'est réuni ». Two sources that disagree make it a proposal."""
    found: list[tuple[dt.date, Quote]] = []
    for text, where in lines[:120]:
        plain = _fold(text)
        if DECISION.match(plain):
            break  # the decisions, then the signature: a date there is not the séance's
        quote = Quote(file, where, text[:240])
        for match in SEANCE.finditer(plain):
            if NOT_SEANCE.search(plain[: match.start()]):
                break
            window = plain[match.end() : match.end() + 80]
            spans = [(d, start) for d, start, _ in date_spans(text) if match.end() <= start < match.end() + 80]
            if spans and not re.search(r"[.;]|convoc|deliberation", window[: spans[0][1] - match.end()]):
                found.append((spans[0][0], quote))
                break
        for match in WORDS_DATE.finditer(plain):
            day = _day(number_words(match[1]), MONTHS[match[3]], number_words(match[2]))
            if day:
                found.append((day, quote))
        if not NOT_SEANCE.search(plain):
            for match in WORDS_DATE_AFTER.finditer(plain):
                day = _day(number_words(match[3]), MONTHS[match[2]], number_words(match[1]))
                if day:
                    found.append((day, quote))
        met = MET.search(plain)
        if (
            met and not WORDS_DATE.search(plain) and not SEANCE.search(plain)
        ):  # « Le 25/09/2018, le conseil … s'est réuni »
            spans = [
                (d, start)
                for d, start, _ in date_spans(text)
                if start < met.start() and not NOT_SEANCE.search(plain[max(0, start - 30) : start])
            ]
            on = [d for d, start, _ in date_spans(text) for m in MET_ON.finditer(plain) if 0 <= start - m.end() <= 3]
            if on or spans:  # « … s'est réuni le 25/09/2018 », else « Le 25/09/2018, le conseil … s'est réuni »
                found.append((on[0] if on else spans[0][0], quote))
    if not found:
        return None
    day, quote = found[0]
    if any(other != day for other, _ in found):
        return day, Quote(quote.file, quote.where, quote.text, 0.5)
    return day, quote


# --- what it approves ---------------------------------------------------------------------------


def objet(lines: list[tuple[str, str]], file: str) -> tuple[tuple[str, Quote] | None, int | None]:
    """What the délibération approves, from its « Objet : » line, else from what it « APPROUVE »."""
    for text, where in lines[:150]:
        plain = _fold(text)
        if plain.startswith("objet"):
            return _object_in(plain, Quote(file, where, text[:240]), 1.0)
    for text, where in lines:
        plain = _fold(text).lstrip("-–— ")
        if re.search(r"\b(?:approuve|approuver|approbation|adopte|adoption)\b", plain) and not NOT_SEANCE.match(plain):
            found = _object_in(plain, Quote(file, where, text[:240]), 0.9)
            if found[0] is not None:
                return found
    return None, None


def _object_in(plain: str, quote: Quote, confidence: float) -> tuple[tuple[str, Quote] | None, int | None]:
    def said(kind: str, sure: float) -> tuple[str, Quote]:
        return kind, Quote(quote.file, quote.where, quote.text, min(confidence, sure))

    avenant = AVENANT.search(plain)
    if avenant:
        numero = int(avenant[1]) if avenant[1] else ORDINALS[avenant[2]]
        return said("avenant", 1.0), numero
    if "avenant" in plain:
        return said("avenant", 0.9), None
    if CADRE.search(plain):
        return said("convention_cadre", 1.0), None
    if ORT.search(plain) and "convention" in plain:
        return said("ort", 0.9), None
    if ACV.search(plain) and "convention" in plain:  # « approbation de la convention Action Cœur de Ville »
        return said("convention_cadre", 0.85), None
    return None, None


# --- who signed the extract, and when -----------------------------------------------------------


def _date_at(lines: list[tuple[str, str]], at: int, file: str) -> tuple[dt.date, Quote] | None:
    """The date of the line at `at`, or of the next one (« le … », « à X, le … »)."""
    for offset, confidence in ((0, 1.0), (1, 0.9)):
        if at + offset >= len(lines):
            return None
        text = lines[at + offset][0]
        if offset and not re.match(r"^(le\b|\d|a [^,]{2,60},? le\b)", _fold(text)):  # « à X, le … » ⏎
            return None
        spans = date_spans(text)
        if spans:
            joined = " ".join(t for t, _ in lines[at : at + offset + 1])
            return spans[0][0], Quote(file, lines[at][1], joined[:240], confidence)
    return None


def signature_date(
    lines: list[tuple[str, str]], file: str, met: tuple[dt.date, Quote] | None
) -> tuple[tuple[dt.date, Quote] | None, int | None]:
    """The date the extract was signed, and the line of the block (where the signer follows)."""
    marks: dict[str, list[int]] = {"extrait": [], "fait": [], "susdits": [], "executoire": []}
    for n, (text, _) in enumerate(lines):
        plain = _fold(text)
        if EXTRAIT.match(plain):
            marks["extrait"].append(n)
        elif SUSDITS.search(plain):
            marks["susdits"].append(n)
        elif FAIT.match(plain) or PLACE_DATE.match(text) and len(text) < 80:
            marks["fait"].append(n)
        elif EXECUTOIRE.match(plain):
            marks["executoire"].append(n)
    for name in ("extrait", "fait"):
        for n in reversed(marks[name]):
            found = _date_at(lines, n, file)
            if found:
                return found, n
    if marks["susdits"] and met is not None:  # « Fait et délibéré les jour, mois et an susdits »: the séance
        n = marks["susdits"][-1]
        text, where = lines[n]
        confidence = min(0.9, met[1].confidence)
        if marks["extrait"]:  # « Pour extrait conforme » left undated: the extract may be signed later
            confidence = min(confidence, 0.7)
        return (met[0], Quote(file, where, f"{text} ({met[1].text})"[:240], confidence)), n
    for n in reversed(marks["executoire"]):  # the date of transmission, not of signature: a proposal
        found = _date_at(lines, n, file)
        if found:
            return (found[0], Quote(found[1].file, found[1].where, found[1].text, 0.6)), n
    marks_all = marks["extrait"] + marks["fait"] + marks["susdits"] + marks["executoire"]
    return None, (max(marks_all) if marks_all else None)


def signer(lines: list[tuple[str, str]], start: int | None) -> tuple[str, str | None, float, list[str], str] | None:
    """The title and the name of who signs, after the block's line (or, without one, the last
    « Le Maire, » of the piece): (title, name, how sure the name is, lines, where)."""
    if start is None:
        candidates = [n for n, (t, _) in enumerate(lines) if SIGNER.match(_fold(t)) and len(t) < 80]
        if not candidates or candidates[-1] < len(lines) - 4:
            return None
        start = candidates[-1] - 1
    title: str | None = None
    name: tuple[str | None, float] = (None, 0.0)
    before: tuple[str, float, str] | None = None  # « Éric RIVOALLAN » ⏎ « Maire de Kerbrivan »
    taken: list[str] = []
    where = ""
    for text, at in lines[start : start + 9]:
        plain = _fold(text)
        if re.match(r"^(recu|transmis|affiche|publie|certifie|acte rendu|accuse)", plain) and title:
            break
        if DELEGATION.match(plain) and not SIGNER.match(plain):  # « Pour le Maire et par délégation, »
            taken.append(text)
            continue
        seen = None
        for part in [p.strip() for p in text.split(",") if p.strip()]:
            part = re.sub(r"^\(?sign[ée]e?\)?\s*:?\s*", "", part, flags=re.I)  # « (signé) Éric RIVOALLAN »
            part_plain = _fold(part)
            if title is None and SIGNER.match(part_plain) and len(part) < 80 and not VERB.search(part_plain):
                title, where = (title_of(part) or part).strip(" ,"), at
                taken.append(text)
                named = person(part)
                if named[0]:
                    name = named
                continue
            named = person(part)
            if named[0] and title is None:
                seen = (named[0], named[1], text) if not title_of(text) else None  # not « Le secrétaire, X »
            elif named[0] and name[0] is None:
                name = named
                taken.append(text)
        if title is None:
            before = seen  # only the line just above the title
        if title is not None and name[0] is not None:
            break
    if title is None:
        return None
    if name[0] is None and before is not None:
        name = (before[0], min(before[1], 0.9))
        taken.insert(0, before[2])
    return title, name[0], name[1], taken, where


def president(lines: list[tuple[str, str]]) -> str | None:
    """The person who presided the séance (« sous la présidence de M. Jean DUPONT, maire »)."""
    for text, _ in lines[:60]:
        match = re.search(r"sous la presidence de\s+(.{3,80}?)(?:,|\.|$)", _fold(text))
        if match:
            named = person(text[match.start(1) : match.end(1)])[0]
            if named:
                return named
    return None


def read_deliberation(
    piece: PieceText, ville: str | None = None
) -> tuple[Deliberation, list[Party] | None, tuple[dt.date, Quote] | None]:
    """What the délibération decides, who signed the extract (None: no signer read) and when."""
    lines = _lines(piece)
    file = piece.file
    found = Deliberation(organe=organe(lines, file), seance=seance(lines, file))
    found.objet, found.numero = objet(lines, file)
    date, start = signature_date(lines, file, found.seance)
    signed = signer(lines, start)
    if signed is None:
        return found, None, date
    title, nom, nom_sure, taken, where = signed
    role, organisme, confidence = _role(found, title, lines, ville)
    chair = president(lines)
    if nom and chair and name_key(chair) == name_key(nom):
        nom_sure = max(nom_sure, 0.9)  # the séance's president signs: each confirms the other
    quote = Quote(file, where, " / ".join(taken)[:240], confidence)
    return found, [Party(role, organisme, nom, title, quote, nom_confidence=nom_sure if nom else 1.0)], date


def _role(found: Deliberation, title: str, lines: list[tuple[str, str]], ville: str | None) -> tuple[str, str, float]:
    """The signer's role is its council's: the commune's maire, the intercommunalité's président."""
    plain = _fold(title)
    by_title = COMMUNE if re.search(r"maire|adjoint|conseill", plain) else INTERCO
    if found.organe is None:
        organe_value, sure = by_title, 0.7
    else:
        organe_value, sure = found.organe[0], found.organe[1].confidence
        if organe_value != by_title and not plain.startswith("vice"):
            sure = min(sure, 0.6)  # a maire signing for a communauté: to check
    name = _body_name(lines, organe_value)
    if organe_value == COMMUNE:
        role = "ville_centre"
        if ville and name and not _same_town(name, ville):  # another town's council, or a header misread
            role, sure = "autre_commune", min(sure, 0.7)
        return role, f"Commune de {name}" if name else "Commune", min(sure, 0.95)
    return "intercommunalite", name or "Intercommunalité", min(sure, 0.95)


def _same_town(name: str, ville: str) -> bool:
    """« Lauzac-sur-Tarn » and « Lauzac » are the same town; « Lauzac » and « Lauzerte » are not."""
    a, b = name_key(name), name_key(ville)
    return a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _body_name(lines: list[tuple[str, str]], organe_value: str) -> str | None:
    """The name in the header: « COMMUNE DE KERBRIVAN », « Ville de X », « MONTREVAL MÉTROPOLE »."""
    for text, _ in lines[:12]:
        plain = _fold(text)
        if organe_value == COMMUNE:
            match = re.match(r"^(?:commune|ville|mairie) d(?:e |')(.{2,60})$", plain)
            if match:
                return _titled(text[match.start(1) :].strip())
        elif (
            re.search(r"\b(communaute|metropole|agglomeration|agglo|intercom)\b", plain)
            and len(text) < 90
            and not plain.startswith(("extrait", "registre", "departement", "republique"))
        ):
            return _titled(text.strip())
    return None


def _titled(text: str) -> str:
    """« KERBRIVAN » -> « Kerbrivan », « LAUZAC-SUR-TARN » -> « Lauzac-sur-Tarn »; as written otherwise."""
    if not text.isupper():
        return text
    small = {"sur", "sous", "en", "les", "le", "la", "lès", "de", "du", "des", "et", "aux", "d", "l"}
    words = re.split(r"([\s'-])", text.lower())
    return "".join(w if w in small and i else w.capitalize() for i, w in enumerate(words))
