"""The parties of a piece (its « ENTRE … » block) with their representatives and délibérations, and
its signature block (« Fait à … », « Pour … »)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from instruct.documents.evidence import Quote
from instruct.documents.read import PieceText
from instruct.documents.sections import HEADING
from instruct.documents.text import normal
from instruct.documents.values import dates


@dataclass
class Party:
    role: str
    organisme: str
    nom: str | None
    qualite: str | None
    quote: Quote
    deliberation: dt.date | None = None


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
    lines = piece.lines()
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
    lines = piece.lines()
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
