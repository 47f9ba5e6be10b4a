"""What a piece says, read from its text: its kind, the parties and their signatories, the
signature date, the délibérations, the parts of the trame, the table of actions, the budget.

Every value read carries its `Quote` (file, where, the text it was read from). Nothing here
decides compliance; `documents` sets what was read beside the structured dossier.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from instruct.documents.read import HEADING, PieceText, Row, dates, normal, table_columns
from instruct.french import find_amount
from instruct.vocabulary import TRAMES, PartieTrame


@dataclass(frozen=True)
class Quote:
    file: str
    where: str
    text: str

    def as_dict(self) -> dict:
        return {"fichier": self.file, "ou": self.where, "texte": self.text}


@dataclass
class Party:
    role: str
    organisme: str
    nom: str | None
    qualite: str | None
    quote: Quote
    deliberation: dt.date | None = None


@dataclass
class Action:
    id: str | None
    intitule: str | None
    maitre_ouvrage: str | None
    debut: dt.date | None
    fin: dt.date | None
    cout: Decimal | None
    financement: list[tuple[str, Decimal]]
    quote: Quote


@dataclass
class Reading:
    file: str
    kind: str | None  # a Piece type: convention_cadre, avenant, note_projet_urbain…
    numero: int | None = None  # avenant number
    parties: list[Party] | None = None  # None: no « ENTRE … » block
    signatures: list[Party] | None = None  # None: no « Fait à … » block
    date_signature: tuple[dt.date, Quote] | None = None
    trame: dict[str, Quote] = field(default_factory=dict)  # part -> its heading
    actions: list[Action] = field(default_factory=list)
    budget: dict[str, tuple[Decimal, Quote]] = field(default_factory=dict)
    duree_annees: tuple[int, Quote] | None = None  # « … d'une durée de 6 ans »
    valant_ort: Quote | None = None  # the piece says it is (or is worth) the convention d'ORT

    def signatories(self) -> list[Party] | None:
        """Who signed: the signature block, or failing it the parties."""
        return self.signatures if self.signatures is not None else self.parties


# --- kind ---------------------------------------------------------------------------------------

KINDS = [  # first match on the document's opening text wins
    ("avenant", r"\bavenant\b"),
    ("convention_cadre", r"convention[- ]cadre"),
    ("note_projet_urbain", r"note (de |du )?projet urbain"),
    ("plan_situation", r"plan de situation"),
    ("note_utilite_immeubles", r"note (d'|sur l')utilite"),
    ("dossier_operateur", r"dossier (de l')?operateur"),
    ("fiche_action", r"fiche action"),
    ("deliberation", r"\bdeliberation\b"),
]


def recognise(piece: PieceText) -> str | None:
    opening = normal(" ".join(b.text for b in piece.blocks[:3]))[:400]
    for kind, pattern in KINDS:
        if re.search(pattern, opening):
            return kind
    return None


def _numero(piece: PieceText) -> int | None:
    match = re.search(
        r"avenant (?:n|no|numero)?\s*°?\s*(\d{1,2})\b", normal(" ".join(b.text for b in piece.blocks[:3]))[:400]
    )
    return int(match.group(1)) if match else None


# --- trame --------------------------------------------------------------------------------------

# Parts of the convention-cadre (PROG-04) and of the avenant (PROG-09), recognised in numbered
# headings ("Article 5 –", "V.", "Annexe 1 –") by the patterns of vocabulary.TRAMES; parts
# named annexe_* only in annex headings.


def _lines(piece: PieceText) -> list[tuple[str, str]]:
    """(line, where) over the running text; table rows are read apart."""
    return [
        (line.strip(), b.where)
        for b in piece.blocks
        if not b.where.startswith("tableau")
        for line in b.text.splitlines()
        if line.strip()
    ]


def trame(piece: PieceText, parts: tuple[PartieTrame, ...]) -> dict[str, Quote]:
    found: dict[str, Quote] = {}
    for line, where in _lines(piece):
        if len(line) > 160 or not HEADING.match(line):
            continue
        annex = normal(line).startswith("annexe")
        text = normal(HEADING.sub("", line, count=1)).lstrip("-:. ")
        for part in parts:
            if part.code not in found and part.annexe == annex and re.search(part.motif, text):
                found[part.code] = Quote(piece.file, where, line)
                break
    return found


# --- parties and signatures ---------------------------------------------------------------------

ROLES = [  # organisme (normalised) -> rôle de signataire
    ("intercommunalite", r"communaute (d'agglomeration|de communes|urbaine)|metropole|\bepci\b|^(ca|cc|cu) "),
    ("cdc", r"caisse des depots|banque des territoires|\bcdc\b"),
    ("action_logement", r"action logement"),
    ("anah", r"agence nationale de l'habitat|\banah\b"),
    ("anru", r"renovation urbaine|\banru\b"),
    ("prefet", r"\betat\b|prefet|prefecture"),
    ("region", r"\bregion\b"),
    ("departement", r"\bdepartement\b"),
    ("ville_centre", r"\b(commune|ville|mairie)\b"),
]


def role_of(organisme: str, ville: str | None = None) -> str:
    text = normal(organisme)
    for role, pattern in ROLES:
        if re.search(pattern, text):
            if role == "ville_centre" and ville and normal(ville) not in text:
                return "autre_commune"
            return role
    return "autre"


ARTICLE = re.compile(r"^(pour\s+)?(la |le |les |l'|l’)", re.IGNORECASE)
REPRESENTE = re.compile(r",\s*represente(?:e|s|es)?(?:\(e\))?\s+par\s+", re.IGNORECASE)


def organisme_name(text: str) -> str:
    """ "La Commune de Villebelle" -> "Commune de Villebelle"."""
    return ARTICLE.sub("", text.strip(" ,;"), count=1).strip()


class _Joined:
    """Lines joined into one text, remembering where each line came from."""

    def __init__(self, lines: list[tuple[str, str]]):
        self.text, self.starts = "", []
        for line, where in lines:
            self.starts.append((len(self.text), where))
            self.text += line + " "

    def where(self, offset: int) -> str:
        return [w for start, w in self.starts if start <= offset][-1] if self.starts else ""


def _plain(text: str) -> str:
    """Accents folded but length kept, so offsets in the folded text match the original."""
    return "".join(normal(c)[:1] or c for c in text.replace("’", "'"))


def parties(piece: PieceText, ville: str | None = None) -> list[Party] | None:
    lines = _lines(piece)
    marks = [i for i, (line, _) in enumerate(lines) if normal(line).rstrip(" :") == "entre"]
    if not marks:
        return None
    found: list[Party] = []
    group: list[tuple[str, str]] = []
    for line, where in lines[marks[0] + 1 : marks[0] + 200]:
        plain = normal(line).rstrip(" :")
        if plain.startswith("il est convenu") or (HEADING.match(line) and len(line) < 160 and not group):
            break
        if plain in {"et", "ainsi que", "d'une part", "d'une part,", "d'autre part", "d'autre part,"}:
            found += _group(group, piece.file, ville)
            group = []
        else:
            group.append((line, where))
    return found + _group(group, piece.file, ville)


def _group(lines: list[tuple[str, str]], file: str, ville: str | None) -> list[Party]:
    joined = _Joined(lines)
    text = joined.text
    cut = re.search(r"ci-apres", _plain(text), re.IGNORECASE)
    if cut:
        text = text[: cut.start()]
    plain = _plain(text)
    anchors = list(REPRESENTE.finditer(plain))
    # an organisme has no comma: it starts after the last comma before its « représenté par »
    begins = [0] + [plain.rfind(",", a.end(), b.start()) + 1 for a, b in zip(anchors, anchors[1:])]
    out = []
    for n, anchor in enumerate(anchors):
        begin = max(begins[n], anchors[n - 1].end() if n else 0)
        begin += len(text[begin:]) - len(text[begin:].lstrip(" ,;"))
        end = begins[n + 1] - 1 if n + 1 < len(anchors) and begins[n + 1] > 0 else len(text)
        organisme = organisme_name(text[begin : anchor.start()])
        nom, qualite, deliberation = _representant(text[anchor.end() : end])
        quote = Quote(file, joined.where(begin), " ".join(text[begin:end].split()).strip(" ,;")[:240])
        out.append(Party(role_of(organisme, ville), organisme, nom, qualite, quote, deliberation))
    return out


def _representant(text: str) -> tuple[str | None, str | None, dt.date | None]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    found = dates(text)
    deliberation = found[0] if found and "deliberation" in normal(text) else None
    parts = [p for p in parts if not normal(p).startswith(("dument", "habilite", "en vertu", "agissant"))]
    if not parts or normal(parts[0]).startswith(("son representant", "sa representante")):
        return None, None, deliberation
    return parts[0], (parts[1] if len(parts) > 1 else None), deliberation


FAIT_A = re.compile(r"^fait a .+?\ble\b")


def signatures(piece: PieceText, ville: str | None = None) -> tuple[list[Party] | None, tuple[dt.date, Quote] | None]:
    lines = _lines(piece)
    start = next((i for i, (line, _) in enumerate(lines) if FAIT_A.match(normal(line))), None)
    if start is None:
        return None, None
    line, where = lines[start]
    signed = dates(line)
    date = (signed[0], Quote(piece.file, where, line[:240])) if signed else None
    entries: list[list[tuple[str, str]]] = []
    for line, where in lines[start + 1 : start + 80]:
        plain = normal(line)
        if plain.startswith("pour "):
            entries.append([(line, where)])
        elif HEADING.match(line) or plain.startswith("annexe"):
            break
        elif entries and len(line) < 120:
            entries[-1].append((line, where))
    out = []
    for entry in entries:
        text = " ".join(line for line, _ in entry)
        parts = [p.strip() for p in re.sub(r"^\s*pour\s+", "", text, flags=re.IGNORECASE).split(",")]
        organisme = organisme_name(parts[0].rstrip(" :"))
        out.append(
            Party(
                role_of(organisme, ville),
                organisme,
                parts[1] if len(parts) > 1 and parts[1] else None,
                parts[2] if len(parts) > 2 and parts[2] else None,
                Quote(piece.file, entry[0][1], text[:240]),
            )
        )
    return out, date


# --- table of actions ---------------------------------------------------------------------------

MONTH_YEAR = re.compile(r"\b(\d{1,2})/(\d{4})\b")
YEAR = re.compile(r"\b(20\d\d|19\d\d)\b")


def calendrier(text: str) -> tuple[dt.date | None, dt.date | None]:
    """ "10/2018 – 06/2019" -> 2018-10-01, 2019-06-30 ; "2019-2021" -> 2019-01-01, 2021-12-31."""
    full = dates(text)
    if len(full) >= 2:
        return full[0], full[1]
    months = [(int(y), int(m)) for m, y in MONTH_YEAR.findall(text) if 1 <= int(m) <= 12]
    if len(months) >= 2:
        (y1, m1), (y2, m2) = months[0], months[1]
        return dt.date(y1, m1, 1), dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
    years = [int(y) for y in YEAR.findall(text)]
    if len(years) >= 2:
        return dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
    return None, None


def financement(text: str) -> list[tuple[str, Decimal]]:
    """ "Anah : 40 000,00 € ; Ville : 20 000 €" -> [("Anah", 40000), ("Ville", 20000)]."""
    out = []
    for part in re.split(r"\s*[;\n]\s*", text):
        amount = find_amount(part)
        name = re.split(r"\s*:\s*|\s+\d", part, maxsplit=1)[0].strip(" ,-–")
        if amount is not None and name:
            out.append((name, amount))
    return out


def actions(piece: PieceText) -> list[Action]:
    out = []
    for table in _merged_tables(piece):
        columns = table_columns(table[0].cells)
        if "intitule" not in columns or not ({"cout", "maitre_ouvrage", "calendrier"} & set(columns)):
            continue
        for row in table[1:]:
            cell = partial(_cell, row, columns)
            if cell("intitule") is None or table_columns(row.cells) == columns:  # empty, or a repeated header
                continue
            debut, fin = calendrier(cell("calendrier") or "")
            cout = find_amount(cell("cout") or "")
            out.append(
                Action(
                    cell("id"),
                    cell("intitule"),
                    cell("maitre_ouvrage"),
                    debut,
                    fin,
                    cout,
                    financement(cell("financeurs") or ""),
                    Quote(piece.file, row.where, " | ".join(row.cells)[:240]),
                )
            )
    return out


def _cell(row: Row, columns: dict[str, int], name: str) -> str | None:
    """The stripped text of the row's cell under column `name`, None when empty or absent."""
    index = columns.get(name)
    value = row.cells[index].strip() if index is not None and index < len(row.cells) else ""
    return value or None


def _merged_tables(piece: PieceText) -> list[list[Row]]:
    """Tables with their header first; a table continued on the next PDF page (its header
    repeated) is read as one."""
    merged: list[list[Row]] = []
    for table in piece.tables:
        if not table.rows:
            continue
        if merged and piece.kind == "pdf" and table.rows[0].cells == merged[-1][0].cells:
            merged[-1] += table.rows[1:]
        else:
            merged.append(list(table.rows))
    return merged


# --- budget -------------------------------------------------------------------------------------

BUDGET = {
    "total": r"^(montant|cout|budget) (total|global)",
    "part_cofinanceurs": r"^part des (co)?financeurs",
    "part_porteur": r"^part (du porteur|de la (ville|collectivite)|du maitre d'ouvrage)",
}


def budget(piece: PieceText) -> dict[str, tuple[Decimal, Quote]]:
    found: dict[str, tuple[Decimal, Quote]] = {}
    for line, where in _lines(piece):
        plain = normal(line)
        for name, pattern in BUDGET.items():
            if name not in found and re.search(pattern, plain):
                amount = find_amount(line)
                if amount is not None:
                    found[name] = (amount, Quote(piece.file, where, line[:240]))
    return found


# --- one piece ----------------------------------------------------------------------------------


def read(piece: PieceText, kind: str | None = None, ville: str | None = None) -> Reading:
    """What the piece says; `kind` when the dossier declares it, else recognised by content."""
    kind = kind or recognise(piece)
    reading = Reading(piece.file, kind)
    if kind not in TRAMES or not piece.readable:
        return reading
    reading.numero = _numero(piece) if kind == "avenant" else None
    reading.parties = parties(piece, ville)
    reading.signatures, reading.date_signature = signatures(piece, ville)
    reading.trame = trame(piece, TRAMES[kind])
    reading.actions = actions(piece)
    reading.budget = budget(piece)
    reading.duree_annees = duree(piece)
    reading.valant_ort = valant_ort(piece)
    return reading


DUREE = re.compile(r"\bd'une duree de (\d{1,2}) ans\b")


def duree(piece: PieceText) -> tuple[int, Quote] | None:
    for line, where in _lines(piece):
        match = DUREE.search(normal(line))
        if match:
            return int(match.group(1)), Quote(piece.file, where, line[:240])
    return None


def valant_ort(piece: PieceText) -> Quote | None:
    """The opening text names the opération de revitalisation de territoire."""
    for line, where in _lines(piece)[:12]:
        if re.search(r"revitalisation de territoire|\bort\b", normal(line)):
            return Quote(piece.file, where, line[:240])
    return None


# --- what `acv ingest` shows ----------------------------------------------------------------------


def summary(piece: PieceText, kind: str | None = None) -> dict:
    """Every value read from one piece, with where it was found."""
    reading = read(piece, kind)
    amounts, found_dates = [], []
    for line, where in _lines(piece):
        value = find_amount(line)
        if value is not None:
            amounts.append({"montant": str(value), "ou": where, "texte": line[:160]})
        found_dates += [{"date": day.isoformat(), "ou": where, "texte": line[:160]} for day in dates(line)]
    parts = [p.code for p in TRAMES.get(reading.kind or "", ())]

    def party(p: Party) -> dict:
        return {
            "role": p.role,
            "organisme": p.organisme,
            "nom": p.nom,
            "qualite": p.qualite,
            "deliberation": p.deliberation.isoformat() if p.deliberation else None,
            **p.quote.as_dict(),
        }

    return {
        "fichier": piece.file,
        "format": piece.kind,
        "lisible": piece.readable,
        "tronque": piece.truncated,
        "problemes": piece.problems,
        "blocs": len(piece.blocks),
        "type": reading.kind,
        "numero": reading.numero,
        "parties": [party(p) for p in reading.parties or []],
        "signatures": [party(p) for p in reading.signatures or []],
        "date_signature": {"date": reading.date_signature[0].isoformat(), **reading.date_signature[1].as_dict()}
        if reading.date_signature
        else None,
        "trame": {code: q.as_dict() for code, q in reading.trame.items()},
        "trame_absente": [code for code in parts if code not in reading.trame],
        "actions": [
            {
                "id": a.id,
                "intitule": a.intitule,
                "maitre_ouvrage": a.maitre_ouvrage,
                "debut": a.debut.isoformat() if a.debut else None,
                "fin": a.fin.isoformat() if a.fin else None,
                "cout": str(a.cout) if a.cout is not None else None,
                "financement": [{"financeur": n, "montant": str(m)} for n, m in a.financement],
                **a.quote.as_dict(),
            }
            for a in reading.actions
        ],
        "budget": {name: {"montant": str(v), **q.as_dict()} for name, (v, q) in reading.budget.items()},
        "dates": found_dates[:200],
        "montants": amounts[:200],
    }
