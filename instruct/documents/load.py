"""File or folder -> validated Dossier, or an InputError listing every problem in French."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from instruct.documents import DOSSIER_FILES
from instruct.errors import InputError, Problem, format_path
from instruct.messages import clean_loc, french_message
from instruct.model.dossier import Dossier
from instruct.model.fields import DATE_MAX, DATE_MIN
from instruct.model.validation import validate_dossier
from instruct.yamlio import line_index, line_of, parse, read_text

if TYPE_CHECKING:  # the pieces' readers (regular expressions by the hundred): imported for a folder only
    from instruct.documents.reconcile import Documents


@dataclass
class LoadedDossier:
    dossier: Dossier
    source: str
    pieces_dir: Path | None = None
    piece_files: list[Path] = field(default_factory=list)
    documents: Documents | None = None  # None: a single file, no pieces to look at


def _french(error: dict) -> str:
    """pydantic's error in French (instruct.messages), with the dossier's own words for its codes and dates."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in {"greater_than_equal", "less_than_equal"} and str(ctx.get("ge", ctx.get("le"))) in {
        str(DATE_MIN),
        str(DATE_MAX),
    }:
        return f"date hors des bornes plausibles ({DATE_MIN.year}–{DATE_MAX.year})"
    if kind == "string_pattern_mismatch" and error["loc"] and error["loc"][-1] == "insee":
        return "code INSEE invalide : 5 caractères (chiffres, ou 2A/2B pour la Corse)"
    if kind == "string_pattern_mismatch" and error["loc"] and error["loc"][-1] == "siren":
        return "SIREN invalide : 9 chiffres"
    if kind == "string_pattern_mismatch":
        return "format invalide : lettres, chiffres, « - », « _ » ou « . » seulement"
    return french_message(error)


def validate(data: Any, source: str, text: str | None = None, provenance: dict | None = None) -> Dossier:
    if not isinstance(data, dict):
        raise InputError(source, [Problem("", "le dossier doit être un objet (clé: valeur) à la racine")])
    try:
        return validate_dossier(data)  # Dossier.model_validate, its validator kept between processes
    except ValidationError as exc:
        lines = line_index(text) if text and "\n" in text.strip() else {}  # a one-line JSON has no useful line
        problems, seen = [], set()
        for error in exc.errors():
            loc = clean_loc(error["loc"])
            message = _french(error)
            quotes = _quotes(format_path(loc), provenance)
            if quotes:  # a value read from a piece: say where
                message += f" (valeur lue dans {quotes[0].file}, {quotes[0].where})"
            problem = Problem(format_path(loc), message, line_of(lines, loc) if lines else None)
            if (problem.path, problem.message) not in seen:
                seen.add((problem.path, problem.message))
                problems.append(problem)
        raise InputError(source, problems) from None


def _quotes(path: str, provenance: dict | None) -> list:
    if not provenance:
        return []
    from instruct.documents.reconcile import quotes_for

    return quotes_for(path, provenance)


def load(path: str | Path) -> LoadedDossier:
    """Read a dossier folder (dossier.yaml and its pieces, or pieces alone) or a single YAML/JSON
    file. In a folder, what the pieces say and dossier.yaml does not is filled in, and what both
    say is compared (`documents`)."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), [Problem("", "fichier ou dossier introuvable")])
    if not path.is_dir():
        if path.suffix.lower() not in {".yaml", ".yml", ".json"}:
            raise InputError(
                str(path), [Problem("", "format non reconnu : attendu un dossier, un fichier .yaml ou .json")]
            )
        text = read_text(path)
        return LoadedDossier(dossier=validate(parse(text, str(path)), str(path), text), source=str(path))
    from instruct.documents.compare import compare
    from instruct.documents.fill import fill
    from instruct.documents.reconcile import document_files, get_path, read_files

    # Every name present counts, a FIFO or a directory too: read_text refuses what is not a file.
    found = [path / name for name in DOSSIER_FILES if os.path.lexists(path / name)]
    pieces_dir = path / "pieces" if (path / "pieces").is_dir() else None
    files = document_files(path, pieces_dir)
    if not found and not files:
        raise InputError(
            str(path), [Problem("", "ni dossier.yaml (ou dossier.json) ni pièce PDF ou DOCX dans ce dossier")]
        )
    if found:
        source, text = str(found[0]), read_text(found[0])
        data = parse(text, source)
        if not isinstance(data, dict):
            raise InputError(source, [Problem("", "le dossier doit être un objet (clé: valeur) à la racine")])
    else:
        source, text, data = str(path), None, {"id": _identifier(path.name)}
    ville = get_path(data, "collectivites", "ville_centre", "nom")
    documents = read_files(
        files,
        data.get("pieces") if isinstance(data.get("pieces"), list) else [],
        ville if isinstance(ville, str) else None,
    )
    fill(data, documents)
    if not found:
        unreadable = _nothing_readable(documents)
        if unreadable:  # nothing at all to judge: each piece says what is wrong with it
            raise InputError(source, unreadable)
        _collectivites_from_pieces(data, documents)  # never a guessed name: what no piece names stays unknown
    dossier = validate(data, source, text, documents.provenance)
    compare(dossier, documents, data)
    return LoadedDossier(dossier=dossier, source=source, pieces_dir=pieces_dir, piece_files=files, documents=documents)


def _nothing_readable(documents: Documents) -> list[Problem]:
    """Without dossier.yaml, a folder whose pieces are all unreadable (scanned, damaged,
    encrypted, not a PDF…) has nothing to judge: one problem per piece, then what to do."""
    provided = [p for p in documents.pieces if p.provided]
    if any(p.readable for p in provided):
        return []
    problems = [Problem(p.file, " ; ".join(p.problems) or "pièce illisible") for p in provided]
    return problems + [
        Problem("", "aucune pièce lisible et pas de dossier.yaml : fournissez les pièces en PDF avec texte ou en DOCX")
    ]


def _identifier(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:64] or "dossier"


def _collectivites_from_pieces(data: dict, documents: Documents) -> None:
    """Without dossier.yaml, the ville-centre and the intercommunalité are the parties of the
    convention (or avenant) named as such; their INSEE code and SIREN stay unknown."""
    readings = [r for r in documents.readings if r.parties] + [r for r in documents.readings if r.signatures]
    collectivites: dict[str, Any] = {}
    for reading in readings:
        for party in reading.signatories() or []:
            if party.role == "ville_centre" and "ville_centre" not in collectivites:
                nom = re.sub(r"^(commune|ville|mairie)\s+(de\s+|d')?", "", party.organisme, flags=re.IGNORECASE)
                collectivites["ville_centre"] = {"nom": nom[:200]}
                documents.provenance["collectivites.ville_centre.nom"] = party.quote
            if party.role == "intercommunalite" and "intercommunalite" not in collectivites:
                collectivites["intercommunalite"] = {"nom": party.organisme[:200]}
                documents.provenance["collectivites.intercommunalite.nom"] = party.quote
    data["collectivites"] = collectivites
