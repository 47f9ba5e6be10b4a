"""The signature block of a piece: its date (« Fait à X, le … », « Fait en N exemplaires, à X,
le … », the date on the next line) and who signs (« Pour … » one a line or several on a line,
blocks in a DOCX table or PDF columns, or no « Pour » at all: « Le Maire de X, » then the name).

Each signatory is matched with the parties (by its short name « la Ville », its name, or the
person who represents it) and takes the party's role when it names the same body. A signature
page that is only an image has no text: no block, None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from instruct.documents.evidence import Quote
from instruct.documents.letterhead import TITLE_BODIES, letterhead_of
from instruct.documents.parties import Party, is_heading, organisme_name
from instruct.documents.people import TITLE_START, TITLE_WORDS, clean, person, rejoined, title_of
from instruct.documents.read import PieceText
from instruct.documents.roles import UNKNOWN, commune_roles, role_scored
from instruct.documents.text import normal
from instruct.documents.values import date_spans, folded
from instruct.french import name_key

FAIT = re.compile(
    r"^(fait|signee?|etablie?)s?\b[^.]{0,60}?\b(a|au)\s+[^\W\d]|^(fait|etabli)e?\s+en\s+\w+\s+exemplaires|"
    r"^a\s+[^\W\d][^,]{1,40},\s*le\s+(\d|1er|premier)|"
    r"^[^\W\d][\w' -]{1,40},\s*le\s+(\d{1,2}|1er|premier)\b[^.;]{0,30}$|"  # « Brionne, le 3 novembre 2026 » alone
    r"^(pour )?(extrait|copie) (certifiee? )?conforme\b|^certifiee? conforme\b|"  # a délibération's signature line
    r"^(ainsi )?fait et delibere\b"
)
POUR = re.compile(r"(?:^|(?<=\s))(?:Pour|POUR)\s+(?=\S)")
SKIP = re.compile(r"^(\(?signature|\[?cachet|signe|lu et approuve|bon pour accord|\(?signe\)?)", re.I)
MAX_LINES = 60
ADJECTIVES = (
    r"général|générale|régional|régionale|territorial|territoriale|départemental|départementale|adjoint|adjointe"
)
TRAILING_NAME = re.compile(
    r"(?<=\s)[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+(?:[A-ZÀ-Ý]')?[A-ZÀ-Ý]{2,}[-A-ZÀ-Ý']*(?:\s[A-ZÀ-Ý]{2,}[-A-ZÀ-Ý']*)?$"
)
SIGNED = re.compile(r"^((les |des )?signatures?( des parties)?|(les )?(parties )?signataires)\s*:?$")
DATED = re.compile(r"^((fait|signe|signee|date)\s*(a [^,]{1,40},\s*)?(le|:)?\s*|le\s+)?(\d|1er\b|premier\b)")
PAGE = re.compile(r"^((page|p\.)\s*)?\d{1,3}(\s*(/|sur)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$")


@dataclass
class _Entry:
    """One signatory being read: its lines, in the order of the block."""

    where: str
    pour: bool = False  # opened by « Pour … »
    doubt: bool = False  # drawn in columns the reader may have mixed: its name is to check
    organisme: str | None = None
    title: str | None = None
    name: tuple[str, float] | None = None
    lines: list[str] = field(default_factory=list)
    dates: list[tuple[dt.date, str]] = field(default_factory=list)  # « le 3 mars 2021 » under this signatory

    def title_under_name(self, line: str) -> bool:
        """« Pour la Ville » ⏎ « Jean DUPONT » ⏎ « Maire »: a title under the name of a block opened by
        « Pour », when it names no other body (« Le Président de l'Agglo » starts another block)."""
        if not (self.pour and self.name and not self.title) or POUR.match(line) or not title_of(line):
            return False
        role, confidence = role_scored(line)
        return confidence <= UNKNOWN or role == role_scored(self.organisme or "")[0]

    def add(self, line: str) -> bool:
        """Take a line of this signatory; False when the line starts another one."""
        line = line.strip(" ,;:")
        if not line or SKIP.match(normal(line)):
            return True
        if DATED.match(normal(line)) and date_spans(line) and (self.title or self.name or self.pour):
            self.dates.append((date_spans(line)[0][0], line))
            return True
        parts = [part for part in line.split(",") if part.strip()]
        if len(parts) > 1:  # « Le Maire, Jean DUPONT » on one line
            if not self.add(parts[0]):
                return False
            for part in parts[1:]:
                self.add(part)
            return True
        tail = TRAILING_NAME.search(line) if TITLE_START.match(normal(line)) else None
        if tail and tail.start() > 0:  # « Le Maire de X Jean DUPONT »: a cell read flat
            return self.add(f"{line[: tail.start()]}, {tail.group(0)}")
        found, sure = person(line)
        if found and not self.name:
            self.name = (found, sure)
            self.lines.append(line)
            return True
        title = title_of(line)
        if title and self.title_under_name(line):
            self.title = title  # « Pour la Ville » ⏎ « Jean DUPONT » ⏎ « Maire »: the title under its name
            self.lines.append(line)
            return True
        if title and (self.title or self.name):
            return False
        if self.title and not self.name and not title and not POUR.match(line):  # a title over two lines
            self.title = f"{self.title} {line}"
            self.lines.append(line)
            return True
        if title:
            self.title = title
            name, sure = person(line)
            if name and not self.name:
                self.name = (name, sure)
            self.lines.append(line)
            return True
        if not self.title and not self.name:  # « Pour la Commune de » ⏎ « Saint-Aubin, »
            self.organisme = f"{self.organisme} {line}" if self.organisme else line
            self.lines.append(line)
            return True
        return not (self.title or self.name)


def _items(piece: PieceText) -> list[tuple[list[str], str]]:
    """The piece as rows of cells (a line of text is a row of one cell), in reading order."""
    out = []
    for block in piece.blocks:
        if block.cells:
            out.append(([clean_cell(c) for c in block.cells], block.where))
        else:
            lines = [clean(line) for line in block.shown.splitlines() if line.strip()]
            out += [([line], block.where) for line in rejoined(lines)]
    return out


def clean_cell(cell: str) -> str:
    return "\n".join(clean(line) for line in cell.splitlines() if line.strip())


def _columns(line: str) -> list[str]:
    """A line drawn in columns: cut at tabs or wide spaces, or before each « Pour »."""
    parts = [p for p in re.split(r"\t+|\s{3,}", line) if p.strip()]
    if len(parts) > 1:
        return parts
    starts = [m.start() for m in POUR.finditer(line)]
    if len(starts) > 1:
        return [line[a:b].strip() for a, b in zip(starts, starts[1:] + [len(line)])]
    return [line]


def _date(items: list[tuple[list[str], str]], at: int, file: str) -> tuple[dt.date, Quote] | None:
    """The date of the « Fait à » line, or of the next lines (« Fait à X, » then « le … »)."""
    for offset, confidence in ((0, 1.0), (1, 0.95), (2, 0.85)):
        if at + offset >= len(items):
            break
        text = " ".join(items[at + offset][0])
        found = date_spans(text)
        if found:
            quote = " ".join(" ".join(c) for c, _ in items[at : at + offset + 1])
            return found[0][0], Quote(file, items[at][1], quote[:240], confidence)
        if offset and not re.match(r"^(le\b|\d)", normal(text)):
            break
    return None


def _entries(items: list[tuple[list[str], str]], start: int, loose: list | None = None) -> list[_Entry]:
    """The signatories after the « Fait à » line, one column at a time; a line of a block in
    columns that belongs to no column known goes to `loose` with the columns it may belong to."""
    columns: dict[int, _Entry] = {}
    done: list[_Entry] = []
    width = 1
    for n, (cells, where) in enumerate(_interleaved(items[start : start + MAX_LINES])):
        text = " ".join(cells).strip()
        plain = normal(text)
        if PAGE.match(plain) or FAIT.match(folded(text).strip()):  # « Pour extrait conforme, à X, le … »: a date
            continue
        if not done and not columns and not any(_starts(c) for c in _columns(text)):
            if plain.startswith("annexe") or n > 8:
                break
            continue  # the date, « en N exemplaires », « Les signataires »
        if is_heading(text) or plain.startswith("annexe") or len(text) > 220:
            break
        if len(cells) == 1:
            cells = _columns(cells[0])
            if len(cells) == 1 and len(columns) > 1:
                cells = _split_like(cells[0], len(columns))
                if len(cells) == 1 and not POUR.match(cells[0]):  # a line of one of the columns: which one?
                    if loose is None:
                        for entry in columns.values():
                            entry.doubt = True
                    else:
                        loose.append((cells[0], list(columns.values())))
                    continue
        else:  # a cell holding two blocks run together: « Pour le Département de Pour l'EPF, »
            cells = [part for cell in cells for part in (_columns(cell) if "\n" not in cell else [cell])]
        if all(_starts(c) for c in cells if c.strip()):  # a row opening a block in each column
            width = len(cells)
            if all(POUR.match(c.strip()) for c in cells if c.strip()):
                for col in [c for c in columns if c >= width]:  # the last row may have fewer blocks
                    done.append(columns.pop(col))
        elif len(cells) != width:  # not drawn like the row of « Pour » above it: the columns may be mixed
            for entry in columns.values():
                entry.doubt = True
        for col, cell in enumerate(cells):
            for line in cell.split("\n"):
                line = line.strip()
                if not line:
                    continue
                entry = columns.get(col)
                under = entry is not None and entry.title_under_name(line)
                if entry is None or _starts(line) and (entry.title or entry.name or POUR.match(line)) and not under:
                    if entry is not None:
                        done.append(entry)
                    entry = columns[col] = _Entry(where)
                    if POUR.match(line):
                        entry.pour = True
                        head, *rest = _pour_parts(POUR.sub("", line, count=1))
                        entry.organisme = head.strip(" ;:")
                        entry.lines.append(line)
                        for part in rest:
                            entry.add(part)
                        continue
                if not entry.add(line):
                    done.append(entry)
                    entry = columns[col] = _Entry(where)
                    entry.add(line)
    done += [columns[c] for c in sorted(columns)]
    return [e for e in done if e.pour or e.title]  # a running header read among them is neither


def _pour_parts(text: str) -> list[str]:
    """« la Commune, Le Maire, Jean DUPONT », or the same run together without commas (a table
    cell read flat): the body, then the title and the name."""
    parts = text.split(",")
    head = parts[0]
    cut = re.search(r"\s(?=(?:Le|La|L')\s*(?:" + TITLE_WORDS + r")\b)", folded(head), re.I)
    cut = cut or re.search(r"\s(?=(?:M\.|Mme|Monsieur|Madame)\s)", head)
    if cut is None:
        names = list(re.finditer(r"\s[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+(?:[A-ZÀ-Ý]')?[A-ZÀ-Ý]{2,}\S*$", head))
        cut = names[-1] if names else None
    if cut is not None and cut.start() > 3:
        rest = head[cut.start() :].strip()
        title = re.match(r"^((?:Le|La|L')\s*\S+(?:\s+(?:" + ADJECTIVES + r"))*)\s+(.*)$", rest)
        tail = [title.group(1), title.group(2)] if title else [rest]
        return [head[: cut.start()]] + tail + parts[1:]
    return parts


def _kind(line: str) -> str:
    line = line.strip()
    if POUR.match(line):
        return "pour" if "," not in line.rstrip(" ,") else "pour+"
    if TITLE_START.match(normal(line)):
        return "titre"
    return "nom" if person(line)[0] else "autre"


def _interleaved(items: list[tuple[list[str], str]]) -> list[tuple[list[str], str]]:
    """Columns a reader gave one line at a time (« Pour A », « Pour B », « Le Maire », « La
    Présidente », « Jean X », « Anne Y ») as rows of cells."""
    out, n = [], 0
    while n < len(items):
        run = 1
        while n + run < len(items) and len(items[n + run][0]) == 1 and _kind(items[n + run][0][0]) == "pour":
            run += 1
        following = {_kind(c[0]) if len(c) == 1 else "" for c, _ in items[n + run : n + 2 * run]}
        if run < 2 or len(items[n][0]) != 1 or _kind(items[n][0][0]) != "pour" or following not in ({"titre"}, {"nom"}):
            out.append(items[n])
            n += 1
            continue
        out.append(([c for cells, _ in items[n : n + run] for c in cells], items[n][1]))
        n += run
        while n + run <= len(items) and all(len(c) == 1 for c, _ in items[n : n + run]):
            kinds = {_kind(c[0]) for c, _ in items[n : n + run]}
            if len(kinds) != 1 or kinds & {"pour", "pour+", "autre"}:
                break
            out.append(([c[0] for c, _ in items[n : n + run]], items[n][1]))
            n += run
    return out


def _split_like(line: str, count: int) -> list[str]:
    """A line of a block drawn in `count` columns the reader ran together: cut before each title
    (« Le Maire, La Préfète, ») or after each person (« Jean DUPONT Claire MARTIN »)."""
    titles = [m.start() for m in re.finditer(r"(?:^|(?<=[\s,]))(?:Le|La|L')\s*[A-ZÀ-Ý]", line)]
    if len(titles) == count:
        return [line[a:b].strip(" ,") for a, b in zip(titles, titles[1:] + [len(line)])]
    persons = re.findall(
        r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?(?:\s+(?:[A-ZÀ-Ý]')?[A-ZÀ-Ý]{2,}(?:[-'][A-ZÀ-Ý]+)*)+", line
    )
    if len(persons) == count:
        return persons
    return [line]


def _grid_row(cells: list[str]) -> bool:
    """A table row opening signature blocks: « Pour … » or « Le Maire de … » in each cell."""
    full = [c for c in cells if c.strip()]
    if len(full) < 2 or not all(_starts(c) for c in full):
        return False
    return any(POUR.match(c) for c in full) or all(len(c) < 200 for c in full)


def _starts(line: str) -> bool:
    return bool(POUR.match(line.strip()) or TITLE_START.match(normal(line.strip())))


def signatures(
    piece: PieceText, ville: str | None = None, parties: list[Party] | None = None, letterhead: bool = False
) -> tuple[list[Party] | None, tuple[dt.date, Quote] | None]:
    """The signatories (None: no block read) and the date of signature; with `letterhead` (a
    délibération, on its body's paper) a bare « Le Maire, » signs for the body at its head."""
    items = _beside_fait(_items(piece))
    best: tuple[list[_Entry], int] | None = None
    for at, (cells, _) in enumerate(items):
        if any(FAIT.match(folded(cell).strip()) for cell in cells):
            entries = _entries(items, at + 1)
            dated = bool(date_spans(" ".join(cells)))  # « Pour extrait conforme, …, le … » over « Fait et délibéré »
            if best is None or (len(entries), dated) > (len(best[0]), bool(date_spans(" ".join(items[best[1]][0])))):
                best = (entries, at)
    if best is None:  # no « Fait à »: a block under « Signatures » or « Les signataires : »
        heads = [n for n, (cells, _) in enumerate(items) if SIGNED.match(normal(" ".join(cells)))]
        at = heads[-1] if heads and heads[-1] > len(items) // 2 else None  # at the end, not the parties' title
        if at is None or not _entries(items, at + 1):
            return None, None
        best = (_entries(items, at + 1), at)
    entries, at = best
    loose: list[tuple[str, list[_Entry]]] = []
    entries = _entries(items, at + 1, loose) if entries else entries
    _place(loose, parties or [])
    if not entries:  # a signature grid the reader set apart from the text (a DOCX table read after it)
        grid = next((i for i, (cells, _) in enumerate(items) if _grid_row(cells)), None)
        entries = _entries(items, grid) if grid is not None else []
    date = _date(items, at, piece.file) or _dates_under(entries, piece.file)
    if date and any(day != date[0] for e in entries for day, _ in e.dates):  # « Fait le 1er » but signed the 5th
        date = date[0], Quote(date[1].file, date[1].where, date[1].text, min(date[1].confidence, 0.7))
    head = letterhead_of(piece) if letterhead else None
    signed = [_signatory(e, parties or [], piece.file, head) for e in entries]
    _communes(signed, ville, parties)
    intercommunalites = [p for p in signed if p.role == "intercommunalite"]
    for party in intercommunalites if len(intercommunalites) > 1 else []:  # which one is the programme's?
        party.quote = Quote(party.quote.file, party.quote.where, party.quote.text, min(party.quote.confidence, 0.6))
    return (signed or None), date


def _beside_fait(items: list[tuple[list[str], str]]) -> list[tuple[list[str], str]]:
    """« Fait à X, le … » drawn on the same line as the first signatory (« Le Maire, » to its right):
    the date line first, the signatory's cells after it."""
    out = []
    for cells, where in items:
        fait = [c for c in cells if FAIT.match(folded(c).strip())]
        rest = [c for c in cells if c not in fait and c.strip()]
        if len(cells) > 1 and len(fait) == 1 and rest and all(_starts(c) for c in rest):
            out += [(fait, where), (rest, where)]
        else:
            out.append((cells, where))
    return out


def _dates_under(entries: list[_Entry], file: str) -> tuple[dt.date, Quote] | None:
    """A date written under each signatory, none in the « Fait à » line: the date of signature is
    the last one; sure when they all agree, to check when they differ."""
    dated = [(day, line, e.where) for e in entries for day, line in e.dates]
    if not dated:
        return None
    day, line, where = max(dated)
    confidence = 0.9 if len({d for d, _, _ in dated}) == 1 and len(dated) == len(entries) else 0.7
    return day, Quote(file, where, " / ".join(text for _, text, _ in dated)[:240], confidence)


def _place(loose: list[tuple[str, list[_Entry]]], parties: list[Party]) -> None:
    """Lines of a grid the reader ran together (« Le Président, Le Maire, Hervé X, Jean Y »), each
    given to the one column it fits: a name to the column of the party it represents, a title to
    the only column whose body it fits, the end of a body's name to the only name left open. A
    line fitting no column or several leaves those columns in doubt."""
    for line, columns in loose:
        text = line.strip(" ,;:")
        if DATED.match(normal(text)) and date_spans(text):  # « le 3 mars 2021 » under the columns
            for entry in columns:
                entry.dates = entry.dates or [(date_spans(text)[0][0], text)]
            continue
        name, _ = person(text)
        title = title_of(text) if not name else None
        if name:
            key = name_key(name)
            fits = [e for e in columns if not e.name and _represented(e, parties) == key]
        elif title:
            fits = [e for e in columns if not e.title and not e.name and _title_fits(title, e)]
        else:
            fits = [e for e in columns if not e.title and not e.name and e.organisme and _open_name(e.organisme)]
        if len(fits) != 1:
            for entry in columns:
                entry.doubt = True
            continue
        entry = fits[0]
        entry.lines.append(text)
        if name:
            entry.name = (name, 0.9)  # confirmed by the parties block
        elif title:
            entry.title = title
        else:
            entry.organisme = f"{entry.organisme} {text}"


def _represented(entry: _Entry, parties: list[Party]) -> str | None:
    party = _matching_party(organisme_name(entry.organisme or entry.title or ""), _Entry(entry.where), parties)
    return name_key(party.nom) if party is not None and party.nom else None


def _title_fits(title: str, entry: _Entry) -> bool:
    """« Le Maire » signs for a commune, « Le Préfet » for the State, « Le Président » for a body
    that is neither; other titles fit no column surely."""
    role, _ = role_scored(organisme_name(entry.organisme or ""))
    plain = normal(title)
    if re.search(r"\bmaire\b", plain):
        return role == "commune"
    if re.search(r"\bprefe", plain):
        return role == "prefet"
    if re.search(r"\bpresident", plain):
        return role not in ("commune", "prefet")
    return False


def _open_name(organisme: str) -> bool:
    """A body's name cut at the end of a line: « Commune de », « l'Agence nationale de »."""
    return bool(re.search(r"\b(de|du|des|d'|de la|pour)$", normal(organisme.strip(" ,"))))


def _signatory(entry: _Entry, parties: list[Party], file: str, head: tuple[str, str] | None = None) -> Party:
    organisme = organisme_name(entry.organisme) if entry.organisme else None
    bare = not organisme and not re.search(r"\b(de|du|des|d')\b", normal(entry.title or ""))
    if bare and head and re.search(TITLE_BODIES[head[1]], normal(entry.title or "")):
        organisme, role, confidence = head[0], head[1], 0.9  # « Le Maire, » under the commune's letterhead
    elif organisme:
        role, confidence = role_scored(organisme, entry.title)
        if role == "prefet" and re.match(r"^(le |la )?(sous-)?prefe", normal(organisme)):
            organisme = "État"  # « Pour le Préfet et par délégation »
    else:  # « Le Maire de Kerbrivan », « Le Président de la Communauté … », « La Préfète du Val »
        title = entry.title or ""
        rest = re.split(r"\b(?:de la|du|de l'|des|de|d')\s*", title, maxsplit=1)
        organisme = rest[1] if len(rest) > 1 else title
        role, confidence = role_scored(title)
        if role == "autre":
            role, confidence = role_scored(organisme, title)
        if role == "prefet":
            organisme = "État"
        elif role == "commune" and len(rest) > 1:
            organisme = f"Commune de {organisme}"
    party = _matching_party(organisme, entry, parties)
    if party is not None:
        if role == party.role or role == "commune" and party.role in ("ville_centre", "autre_commune"):
            role, confidence = party.role, max(confidence, party.quote.confidence)
        elif confidence <= UNKNOWN:
            role, confidence = party.role, party.quote.confidence
        else:  # the name and the role disagree: to check
            confidence = min(confidence, 0.6)
        if not entry.organisme and role == party.role and not re.search(r"\b(de|du|des|d')\b", normal(organisme)):
            organisme = party.organisme  # « Le Maire, » ⏎ « Pierre LEROY »: the party he represents
    nom, sure = entry.name if entry.name else (None, 1.0)
    sure = min(sure, 0.6) if entry.doubt else sure
    if party is not None and nom and party.nom and name_key(party.nom) == name_key(nom) and sure >= 0.6:
        sure = max(sure, 0.9)  # the person the parties block names for this body: each confirms the other
        party.nom_confidence = max(party.nom_confidence, 0.9)
    if entry.doubt and not nom:  # its name may be among the lines of the grid the reader mixed
        confidence = min(confidence, 0.7)
    text = " / ".join(entry.lines)[:240]
    return Party(role, organisme, nom, entry.title, Quote(file, entry.where, text, confidence), nom_confidence=sure)


def _matching_party(organisme: str, entry: _Entry, parties: list[Party]) -> Party | None:
    """The party this signatory is: the same name or short name, else the only party whose name
    holds it (« Pour la Communauté »), else the party its person represents."""
    key = name_key(organisme)
    names = [(p, {name_key(p.organisme), name_key(organisme_name(p.alias or ""))} - {""}) for p in parties]
    same = [p for p, n in names if key in n]
    near = [p for p, n in names if key and any(x in key or key in x for x in n if len(x) > 3)]
    if same or len(near) == 1:
        return (same or near)[0]
    if entry.name:
        person_key = name_key(entry.name[0])
        return next((p for p in parties if p.nom and name_key(p.nom) == person_key), None)
    return None


def _communes(signed: list[Party], ville: str | None, parties: list[Party] | None) -> None:
    """A commune signatory not matched with a party: ville-centre or another commune."""
    communes = [p for p in signed if p.role == "commune"]
    cap = 0.75 if any(p.role == "ville_centre" for p in parties or []) else 1.0  # not the parties' ville-centre
    for party, (role, confidence) in zip(communes, commune_roles([p.organisme for p in communes], ville)):
        party.role = role
        party.quote = Quote(
            party.quote.file, party.quote.where, party.quote.text, min(party.quote.confidence, confidence, cap)
        )
