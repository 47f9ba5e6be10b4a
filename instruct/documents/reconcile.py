"""The pieces beside the structured dossier.

For each file: what it is (declared in `pieces:` or recognised by its content) and whether it
could be read; which reading speaks for the convention-cadre and for each avenant; and the quotes
that are the evidence of a finding. What a piece says and the dossier does not is filled in by
`fill` (with the quote as its evidence, `provenance`, keyed by dossier path); what both say is
compared by `compare`, and a disagreement is kept (`comparisons`, judged by rule X-05). The
structured dossier is never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from instruct.documents.doubts import Doubt, SureReading, sure_reading
from instruct.documents.evidence import Quote, quote_dict
from instruct.documents.piece_cache import read_piece_cached
from instruct.documents.read import PieceText
from instruct.documents.readings import Reading
from instruct.errors import InputError, Problem

DOCUMENT_SUFFIXES = {".pdf", ".docx"}
MAX_FILES = 200  # pieces read for one dossier


@dataclass
class PieceStatus:
    """One file of the dossier, or one piece the dossier declares."""

    file: str
    kind: str | None
    recognised_by: str  # "dossier" (declared in pieces:), "contenu", or "" (not recognised)
    declared: bool
    provided: bool
    format_read: bool = True
    readable: bool | None = None
    scanned: bool = False
    truncated: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    subject: str  # French: what is compared
    path: str  # where it is in the dossier
    in_dossier: str
    in_piece: str
    agree: bool
    quote: Quote


@dataclass
class Documents:
    pieces: list[PieceStatus] = field(default_factory=list)
    readings: list[SureReading] = field(default_factory=list)  # only the sure values of each piece
    doubts: list[Doubt] = field(default_factory=list)  # the values read with doubt, judged by rule X-07
    provenance: dict[str, Quote] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)


# --- reading the files --------------------------------------------------------------------------


def read_files(files: list[Path], declared: list[dict], ville: str | None) -> Documents:
    """Read every file; a piece declared in `pieces:` and not found is listed as not provided."""
    kinds = {str(p.get("fichier")): p.get("type") for p in declared if isinstance(p, dict)}
    docs = Documents()
    names = {f.name for f in files}
    for path in files:
        declared_kind = kinds.get(path.name)
        declared = declared_kind not in {None, "autre"}
        piece, found = read_piece_cached(path, declared_kind if declared else None, ville)
        reading, doubts = sure_reading(found, declared, piece.readable)
        docs.readings.append(reading)
        docs.doubts += doubts
        docs.pieces.append(_status(piece, reading, declared_kind))
    for name, kind in kinds.items():
        if name not in names:
            docs.pieces.append(PieceStatus(name, kind, "dossier", declared=True, provided=False))
    return docs


def _status(piece: PieceText, reading: Reading, declared_kind: str | None) -> PieceStatus:
    format_read = piece.kind in {"pdf", "docx"}
    return PieceStatus(
        piece.file,
        reading.kind,
        "dossier" if declared_kind else ("contenu" if reading.kind else ""),
        declared=declared_kind is not None,
        provided=True,
        format_read=format_read,
        readable=piece.readable if format_read else None,
        scanned=any(p.startswith("document scanné") for p in piece.problems),
        truncated=piece.truncated,
        problems=list(piece.problems),
    )


def document_files(folder: Path, pieces_dir: Path | None) -> list[Path]:
    """The files of pieces/, and the PDF/DOCX lying beside dossier.yaml."""
    files = [p for p in folder.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES and _readable(p)]
    if pieces_dir is not None:
        files += [p for p in pieces_dir.iterdir() if not p.name.startswith(".") and _readable(p)]
    if len(files) > MAX_FILES:
        raise InputError(
            str(pieces_dir or folder),
            [Problem("", f"trop de pièces : {len(files)} fichiers (au plus {MAX_FILES} par dossier)")],
        )
    return sorted(files)


def _readable(path: Path) -> bool:
    """A regular file is a piece, a folder is not; anything else (a pipe, a device, a broken link)
    is refused rather than skipped without a word: reading it could block or never end."""
    if path.is_dir():
        return False
    if not path.is_file():
        raise InputError(
            str(path),
            [
                Problem(
                    "", "ce n'est pas un fichier ordinaire (tube, périphérique ou lien cassé) : retirez-le du dossier"
                )
            ],
        )
    return True


# --- which reading speaks for which part of the dossier -----------------------------------------


def convention_reading(docs: Documents, data: dict) -> Reading | None:
    chosen = _declared_file(data, get_path(data, "convention", "cadre", "piece"))
    candidates = [r for r in docs.readings if r.kind == "convention_cadre"]
    return next((r for r in candidates if r.file == chosen), candidates[0] if candidates else None)


def avenant_readings(docs: Documents, data: dict) -> dict[int, Reading]:
    """Avenant number -> its piece (the number read in the piece, or the avenant declaring it)."""
    out: dict[int, Reading] = {}
    declared = {}
    for av in get_path(data, "convention", "avenants") or []:
        if isinstance(av, dict) and isinstance(av.get("numero"), int):
            declared[_declared_file(data, av.get("piece"))] = av["numero"]
    avenants = [r for r in docs.readings if r.kind == "avenant"]
    for r in avenants:
        numero = declared.get(r.file) or r.numero or (1 if len(avenants) == 1 else None)
        if numero is not None and numero not in out:
            out[numero] = r
    return out


def _declared_file(data: dict, piece_id: Any) -> str | None:
    for p in data.get("pieces") or []:
        if isinstance(p, dict) and piece_id is not None and p.get("id") == piece_id:
            return str(p.get("fichier"))
    return None


def get_path(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


# --- evidence -----------------------------------------------------------------------------------

PATH_TOKEN = re.compile(r"[A-Za-z_][\w.\[\]*]*")


def quotes_for(path: str, provenance: dict[str, Quote]) -> list[Quote]:
    """The quotes behind the dossier paths named in an evidence `path` ("a.b, c ; d")."""
    if not provenance or not path:
        return []
    found = []
    for token in PATH_TOKEN.findall(path):
        quote = provenance.get(token)
        if quote is None:  # a value inside something read from a piece: fiches_actions[2].cout
            head = token
            while quote is None:
                shorter = re.sub(r"(\.[^.\[]*|\[[^\]]*\])$", "", head)
                if shorter == head:
                    break
                head = shorter
                quote = provenance.get(head)
        if quote is not None and quote not in found:
            found.append(quote)
    return found


def annotate(findings: list, documents: Documents) -> None:
    """Add to each finding's evidence the piece, page and quote behind a value read from a piece,
    to each comparison (X-05) the text it read, and to each doubt (X-07) the text read with doubt."""
    provenance = documents.provenance
    for finding in findings:
        if finding.entity.type == "concordance" and finding.entity.id.isdigit():
            quote = documents.comparisons[int(finding.entity.id) - 1].quote
            for item in finding.evidence:
                item["pieces"] = [quote_dict(quote)]
            continue
        if finding.entity.type == "lecture" and finding.entity.id.isdigit():
            doubt = documents.doubts[int(finding.entity.id) - 1].quote
            for item in finding.evidence:
                if doubt is not None:
                    item["pieces"] = [quote_dict(doubt)]
            continue
        if not provenance:
            continue
        for item in finding.evidence:
            quotes = quotes_for(item.get("path", ""), provenance)
            if quotes:
                item["pieces"] = [quote_dict(q) for q in quotes]
