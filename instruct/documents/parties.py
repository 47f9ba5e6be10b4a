"""The parties of a piece (its « ENTRE … » block, in lines or in prose) with their roles,
representatives and délibérations.

The block is found by its intro (« ENTRE », « ENTRE LES SOUSSIGNÉS : », « Les parties : »,
« Entre la Commune de X … ») and ends where the convention starts (« Il est convenu … »). It is
cut into parties at the connectors (« ET », « d'une part », a new line naming a body) and at each
« représenté(e) par »; « ci-après dénommée … » is kept apart as the party's short name. Each value
carries how sure it is: the party's role in its quote, the name in `nom_confidence`, the
délibération in `deliberation_quote` (its own text, or the « Vu la délibération … » line).
"""

from __future__ import annotations

import datetime as dt
import re

from instruct.documents.evidence import Quote
from instruct.documents.people import CIVILITE, TITLE_START, clean, join_lines, person, title_of
from instruct.documents.read import PieceText
from instruct.documents.readings import Party
from instruct.documents.roles import UNKNOWN, commune_roles, role_of, role_scored, same_town
from instruct.documents.sections import HEADING
from instruct.documents.text import normal
from instruct.documents.values import date_spans, folded
from instruct.french import name_key

__all__ = ["Party", "parties", "role_of"]


INTRO = re.compile(
    r"^(entre( les soussigne(e)?s)?|les parties( signataires| contractantes)?( sont)?|parties signataires|"
    r"les soussigne(e)?s|designation des parties|identification des parties|"
    r"(la presente convention|le present avenant|la presente) (est|a ete) (conclue?|passee?|signee?|etablie?) entre"
    r"( les (parties|soussignes))?( ci-?apres)?( designees)?)\s*[:;,.]?$"
)
PROSE = re.compile(
    r"^((la presente convention|le present avenant) (est|a ete) (conclue?|passee?|etablie?) )?entre[ :]+"
)
END = re.compile(
    r"^(il (est|a ete) (convenu|arrete|expose|decide|prealablement|rappele)|(ils|elles|les parties) (sont|ont) "
    r"convenu|(ils|elles|les parties) conviennent|ont convenu|est convenu|preambule|considerant|etant prealablement|"
    r"apres avoir|vu |ceci (ayant ete )?expose"
    r"|ci-?apres (ensemble|(designe|denomme)e?s?,? (ensemble|collectivement|« ?les ))|ensemble (ci-?apres )?"
    r"(designe|denomme)|expose( des motifs)?\s*:?$|il a ete convenu"
    r"|fait (a|en \w+ exemplaires)\b)"  # the signature block: the parties named at the head are over
)
CONNECTOR = re.compile(r"^(et|ainsi que|d'une part|d'autre part|de troisieme part|et enfin|entre|en presence de)$")
BULLET = re.compile(r"^\s*([^\w\s«\"“(\[']|\d{1,2}\s*[°).]+|[a-z]\))\s+")  # « - », « • », a glyph read as « \x7f »
ANCHOR = re.compile(
    r",?\s*\b(?:represente(?:e|s|es)?(?:\s*\(e\))?\s+(?:par|en la personne d[eu']\s*)|(?:prise?|agissant)\s+"
    r"(?:en la personne d[eu']\s*|par\s+))"
)
ALIAS = re.compile(
    r",?\s*\(?\s*ci-?\s?apres\s*,?\s*(?:(?:denomme|designe|appele|nomme|dit)e?s?\s*)?(?:par\s+)?(?::\s*)?"
    r"(«[^»]{1,60}»|\"[^\"]{1,60}\"|“[^”]{1,60}”|[^,;()]{1,60})\s*\)?"
)
REP_END = re.compile(
    r",?\s*\b(dument|habilitee?s?|agissant (en vertu|en application|conformement|au nom)|en vertu|autorisee?s?|"
    r"conformement|ayant (son )?siege|domicilie|en application|en execution|sis |sise |dont le siege)"
)
PERSON_FIRST = re.compile(  # « M. Jean DUPONT, maire, agissant pour le compte de la Commune de X »
    r"^(?:m\.|mme\.?|mlle|monsieur|madame|mademoiselle)\s.{2,160}?,?\s*\b(agissant|intervenant)\s+"
    r"(?:es qualite\s+|en (?:sa|cette) qualite\s+)?(?:au nom et pour le compte|pour le compte|au nom)\s+"
    r"(?:de la |de l'|du |des |de |d')\s*|"
    r"^(?:m\.|mme\.?|mlle|monsieur|madame|mademoiselle)\s.{2,160}?,?\s*\b(representant)\s+(?:la |le |l'|les )\s*"
)
ORG_START = re.compile(r"^(et |ainsi que )?(la |le |les |l')\s*[A-ZÀ-Ý]|^(et |ainsi que )?[A-ZÀ-Ý]")
ARTICLE = re.compile(r"^\s*(entre\s+|et\s+|ainsi que\s+|pour\s+)*(la |le |les |l'|l’)", re.IGNORECASE)
MAX_LINES = 80
MAX_OPENING = 800  # the parties and the visas are in the opening lines
TITLE_LINE = re.compile(
    r"^((article|titre|chapitre|annexe)\s+\w+|([IVXLC]+|\d{1,2}(\.\d{1,2})*)\s*[.:–-]?\s+[A-ZÀ-Ý])", re.I
)


def is_heading(line: str) -> bool:
    """A numbered heading (« Article 2 – », « II. Objet », « 3 Durée »), not a line starting with a
    year or a day (« 2020, ci-après … », « 23 décembre 2018 »)."""
    match = TITLE_LINE.match(line.strip())
    return bool(match) and not re.match(r"^\d{1,2}\s*(er)?\s+[a-zé]", line.strip()) and len(line) < 160


def organisme_name(text: str) -> str:
    """ "La Commune de Villebelle" -> "Commune de Villebelle"."""
    text = re.sub(r"^[^\w«]+", "", text)  # a bullet, a dash
    text = re.sub(r"^\s*(entre|et|ainsi que|pour)\s*:?\s+", "", text.strip(" ,;:."), flags=re.IGNORECASE)
    return ARTICLE.sub("", text, count=1).strip(" ,;:.")


# --- the block ------------------------------------------------------------------------------------


def _block(lines: list[tuple[str, str]]) -> list[list[tuple[str, str]]] | None:
    """The parties block cut into one group of lines per party (or per sentence of prose)."""
    start, prose = None, False
    for i, (line, _) in enumerate(lines):
        plain = normal(HEADING.sub("", line, count=1) if HEADING.match(line) and len(line) < 80 else line)
        if INTRO.match(plain):
            start = i + 1
            while start < len(lines) and INTRO.match(normal(lines[start][0])):  # « Parties » then « ENTRE : »
                start += 1
            break
        intro = PROSE.match(folded(line))
        following = " ".join(text for text, _ in lines[i : i + 3])  # « représentée par » may wrap to the next line
        if intro and ANCHOR.search(folded(following)):
            lines = lines[:i] + [(line[intro.end() :], lines[i][1])] + lines[i + 1 :]
            start, prose = i, True
            break
    if start is None:
        return None
    groups: list[list[tuple[str, str]]] = [[]]
    visa = closed = False
    for line, where in lines[start : start + MAX_LINES]:
        plain = normal(line).strip(" ,;:.")
        if not any(groups) and (INTRO.match(plain) or re.match(r"^(vu|considerant)\b", plain) or visa):
            visa = bool(re.match(r"^(vu|considerant)\b", plain) or visa) and not line.rstrip().endswith((";", "."))
            continue  # « Entre : » then the visas (over one line or more), then « ENTRE »
        if END.match(plain) or (is_heading(line) and any(groups) and not CONNECTOR.match(plain)):
            break
        if CONNECTOR.match(plain) or re.fullmatch(r"(et )?(d'une|d'autre) part[,;.]?( et)?", plain):
            closed = plain.endswith("d'autre part")  # the last party was named
            groups.append([])
            continue
        if closed and not ANCHOR.search(folded(line)):
            break
        cut = re.search(r"[,;.]?\s*\bil (est|a ete) (convenu|arrete)", folded(line)) if prose else None
        line = line[: cut.start()] if cut else line
        bullet = BULLET.match(line)
        if bullet:
            line = line[bullet.end() :]
        previous = groups[-1][-1][0] if groups[-1] else ""
        if groups[-1] and (bullet or (previous.rstrip().endswith((",", ";", ".", ":")) and _names_a_body(line))):
            groups.append([])
        groups[-1].append((line, where))
        if cut:
            break
    return [g for g in groups if g]


def _names_a_body(line: str) -> bool:
    """A line that begins a new party: « La Communauté … », « Action Logement Services, … »."""
    plain = normal(line)
    if PERSON_FIRST.match(folded(line)):
        return True
    if CIVILITE.match(line) or TITLE_START.match(plain) or plain.startswith(("ci-apres", "ci apres")):
        return False
    head = re.split(r",|\s(?:represente|pris|agissant)", line, maxsplit=1)[0]
    return bool(
        ORG_START.match(line)
        and (re.match(r"^(et |ainsi que )?(la |le |les |l')", plain) or role_scored(head)[1] > UNKNOWN)
    )


# --- one party ------------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    """A group's text cut at « d'une part », « d'autre part », « ; et la … »."""
    plain = folded(text)
    cuts = [0]
    for match in re.finditer(
        r",?\s*\b(d'une|d'autre|de troisieme) part\b\s*[,;.]?\s*(et\b)?|;\s*(et\s+)?(?=(la |le |les |l'))", plain
    ):
        cuts += [match.start(), match.end()]
    cuts.append(len(text))
    return [text[a:b] for a, b in zip(cuts[::2], cuts[1::2]) if text[a:b].strip(" ,;.")]


def _body_first(text: str) -> str:
    """« M. Jean DUPONT, maire, agissant pour le compte de la Commune de X, en vertu … » read as
    « Commune de X, représentée par M. Jean DUPONT, maire, en vertu … »."""
    match = PERSON_FIRST.match(folded(text))
    if not match:
        return text
    who = text[: match.start(1) if match.start(1) >= 0 else match.start(2)].strip(" ,")
    rest = text[match.end() :]
    cut = re.search(r",|;|\s\(|\s(?=(en vertu|dument|habilite|autorise|conformement)\b)", folded(rest))
    body, after = (rest[: cut.start()], rest[cut.start() :]) if cut else (rest, "")
    return f"{body.strip()}, représentée par {who}{after}"


def _aliases(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without its « ci-après … » clauses (same length, blanked) and each alias with its place."""
    plain = folded(text)
    found = []
    for match in ALIAS.finditer(plain):
        alias = text[match.start(1) : match.end(1)].strip(' «»"“”')
        if not normal(alias).startswith(("les ", "ensemble", "collectivement")):  # « les Parties »: all of them
            found.append((match.start(), alias))
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
    return text, found


def _parties_in(text: str) -> list[tuple[str, str, str, str | None]]:
    """(organisme, its representative's text, the party's whole text, alias) for each party of a sentence."""
    text, aliases = _aliases(text)
    plain = folded(text)
    anchors = list(ANCHOR.finditer(plain))
    if not anchors:
        organisme = re.split(r",|\(", text, maxsplit=1)[0]
        return [(organisme, text[len(organisme) :], " ".join(text.split()), aliases[0][1] if aliases else None)]
    starts = [0]
    for previous, anchor in zip(anchors, anchors[1:]):  # a body starts after the last comma or « et la » before it
        head = plain[previous.end() : anchor.start()]
        head = re.sub(r"[\s,]+$", "", head)  # « X, ci-après « la CCBE », représentée »: the alias is blanked
        marks = [m.end() for m in re.finditer(r",\s*|\bet\s+(?=(la|le|les|l')\b)|\s{3,}", head)]
        marks += [
            m.end() for m in re.finditer(r"(?<=\d{4}) et\s+|(?<=[A-Z]{2}) et\s+", text[previous.end() : anchor.start()])
        ]
        marks.sort()
        begin = marks[-1] if marks else 0
        named = [  # « son maire et Montreval Métropole »: after an « et » when what follows names a body
            m.end()
            for m in re.finditer(r"\bet\s+(?=[A-ZÀ-Ý])", text[previous.end() : anchor.start()])
            if m.end() > begin
        ]
        head_text = text[previous.end() : anchor.start()]
        begin = next((m for m in reversed(named) if role_scored(head_text[m:])[1] > UNKNOWN), begin)
        if named and begin not in named and role_scored(head_text[begin:])[1] <= UNKNOWN:
            begin = named[0]
        starts.append(previous.end() + begin)
    out = []
    for n, anchor in enumerate(anchors):
        organisme = text[starts[n] : anchor.start()]
        if n == 0 and "," in organisme:
            organisme = organisme.split(",")[0]
        end = starts[n + 1] if n + 1 < len(anchors) else len(text)
        alias = next((a for at, a in aliases if starts[n] <= at < end), None)
        out.append((organisme, text[anchor.end() : end], " ".join(text[starts[n] : end].split()), alias))
    return out


QUALITY = re.compile(r"\s+((?:agissant )?en (?:sa|son|cette) qualit[ée]\b|[èe]s[- ]?qualit[ée]s?\b)", re.IGNORECASE)


def _representative(text: str) -> tuple[str | None, str | None, float]:
    """(name, title, how sure the name is) in « son maire, M. Jean DUPONT », « M. Jean DUPONT,
    maire », « Monsieur le Préfet Jean DUPONT »."""
    end = REP_END.search(folded(text))
    text = text[: end.start()] if end else text
    # « M. Jean DUPONT en sa qualité de Maire »: the title after the name, with no comma before it
    text = QUALITY.sub(r", \1", text)
    pieces = [p.strip() for p in re.split(r",|\bet\s+par\s+delegation\b", text) if p.strip()]
    name, sure, title = None, 0.0, None
    for piece in pieces:
        civil = re.search(r"\b(M\.|Mme|Mlle|Monsieur|Madame)\s", piece)
        candidates = [piece] + ([piece[civil.start() :]] if civil and civil.start() else [])
        for candidate in candidates:
            found, confidence = person(candidate)
            if found and confidence > sure:
                name, sure = found, confidence
        title = title or title_of(piece[: civil.start()] if civil and civil.start() else piece)
    return name, title, sure


def _deliberation(text: str) -> tuple[dt.date, float] | None:
    """The date of the délibération that authorises the party, in its own text."""
    plain = folded(text)
    spans = date_spans(text)
    for label in re.finditer(r"\bdeliberation|\bconseil (municipal|communautaire|metropolitain)", plain):
        for day, start, _ in spans:
            between = plain[label.end() : start]
            if start > label.end() and len(between) < 120 and not re.search(r"\b(arrete|decret|loi|code)\b", between):
                if not label.group(0).startswith("deliberation"):  # « élu par le conseil municipal du … »?
                    return day, 0.7
                return day, 0.95 if len(between) < 70 else 0.8
    return None


# --- the pieces's parties --------------------------------------------------------------------------


def parties(piece: PieceText, ville: str | None = None, convention: bool = True) -> list[Party] | None:
    """The parties of the piece; None when it has no parties block."""
    lines = [(clean(line), where) for line, where in piece.lines()[:MAX_OPENING]]
    groups = _block(lines)
    if not groups:
        return None
    found: list[Party] = []
    for group in groups:
        text = join_lines([line for line, _ in group])
        for sentence in _split(text):
            turned = _body_first(sentence)
            for organisme, rep, whole, alias in _parties_in(turned):
                whole = whole if turned == sentence else " ".join(sentence.split())  # the quote is the piece's text
                name = organisme_name(organisme)
                if not name or len(name) > 150:
                    continue
                nom, qualite, sure = _representative(rep)
                role, confidence = role_scored(name, qualite)
                if len(name.split()) > 14:  # a body's name is short: this one took some text with it
                    confidence = min(confidence, 0.6)
                if confidence <= UNKNOWN and not nom and not ANCHOR.search(folded(whole)):
                    continue  # a line of the block that names nobody (« Les collectivités : »)
                where = next((w for line, w in group if name[:20] in line), group[0][1])
                quote = Quote(piece.file, where, whole.strip(" ,;.")[:240], confidence)
                party = Party(role, name, nom, qualite, quote, nom_confidence=sure if nom else 1.0, alias=alias)
                delib = _deliberation(rep)
                if delib:
                    party.deliberation = delib[0]
                    party.deliberation_quote = Quote(piece.file, where, quote.text, delib[1])
                found.append(party)
    if not found:
        return None
    _communes(found, ville, convention, " ".join(line for line, _ in lines[:6]))
    intercommunalites = [p for p in found if p.role == "intercommunalite"]
    for party in intercommunalites if len(intercommunalites) > 1 else []:  # which one is the programme's?
        party.quote = Quote(party.quote.file, party.quote.where, party.quote.text, min(party.quote.confidence, 0.6))
    _visas(found, lines, piece.file)
    return found


def _communes(found: list[Party], ville: str | None, convention: bool, title: str) -> None:
    communes = [p for p in found if p.role == "commune"]
    roles = commune_roles([p.organisme for p in communes], ville, convention, title)
    for party, (role, confidence) in zip(communes, roles):
        party.role = role
        party.quote = Quote(
            party.quote.file, party.quote.where, party.quote.text, min(party.quote.confidence, confidence)
        )


ORGANES = [
    ("commune", r"conseil municipal"),
    (
        "intercommunalite",
        r"conseil (communautaire|metropolitain|de (la )?(communaute|metropole)|d'agglomeration)|bureau communautaire",
    ),
    ("region", r"conseil regional|de la region\b"),
    ("departement", r"conseil departemental|du departement\b"),
]


def _visas(found: list[Party], lines: list[tuple[str, str]], file: str) -> None:
    """« Vu la délibération du conseil municipal du … »: the délibération of the party it names,
    when its own text gives none; a visa about the convention before one about something else."""
    visas = []
    for n, (line, where) in enumerate(lines[:400]):
        if not re.match(r"^\s*vu (la |les |l')?(deliberations?|extrait)", folded(line)):
            continue
        for more, _ in lines[n + 1 : n + 4]:  # a visa wrapped over lines ends with « ; » or « . »
            if line.rstrip().endswith((";", ".")) or re.match(r"^(vu|entre|considerant)\b", normal(more)):
                break
            line = join_lines([line, more])
        about = re.search(r"convention|avenant|c(oe|œ)ur de ville|\bsigner\b|\bpresente?\b|\bacv\b", folded(line))
        visas.append((not about, n, line, where))
    for doubtful, _, line, where in sorted(visas):
        plain, previous = folded(line), 0
        for day, start, end in date_spans(line):
            party = _named_party(found, plain[previous:start])
            previous = end
            if party is not None and party.deliberation is None:
                party.deliberation = day
                party.deliberation_quote = Quote(file, where, line[:240], 0.6 if doubtful else 0.9)


def _named_party(found: list[Party], segment: str) -> Party | None:
    """The party a visa's segment (« du conseil municipal de Kerbrivan du ») names."""
    for party in found:  # by name first: « de la Région Rhône-Sarre »
        if len(party.organisme) > 4 and name_key(party.organisme) in name_key(segment):
            return party
    for organe, pattern in ORGANES:
        if re.search(pattern, segment):
            roles = {"commune": ("ville_centre", "autre_commune")}.get(organe, (organe,))
            matching = [p for p in found if p.role in roles]
            named = [
                p
                for p in matching
                if p.role == "autre_commune" and any(same_town(segment, w) for w in [p.organisme.split(" de ", 1)[-1]])
            ]
            if named:
                return named[0]
            return next((p for p in matching if p.role == roles[0]), None)
    return None
