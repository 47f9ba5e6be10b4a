"""File or folder -> validated Dossier, or an InputError listing every problem in French."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from instruct.dossier import DATE_MAX, DATE_MIN, Dossier
from instruct.errors import InputError, Problem, format_path
from instruct.yamlio import line_index, line_of, parse, read_text

DOSSIER_FILES = ("dossier.yaml", "dossier.yml", "dossier.json")


@dataclass
class LoadedDossier:
    dossier: Dossier
    source: str
    pieces_dir: Path | None = None
    piece_files: list[Path] = field(default_factory=list)


def _french(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    messages = {
        "missing": "champ obligatoire manquant",
        "extra_forbidden": "champ inconnu (vérifiez l'orthographe ; `acv schema` donne le format)",
        "date_from_datetime_parsing": "date invalide : attendu AAAA-MM-JJ",
        "date_parsing": "date invalide : attendu AAAA-MM-JJ",
        "date_type": "date attendue (AAAA-MM-JJ)",
        "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
        "decimal_parsing": "montant invalide : attendu un nombre (ex. 125000.50)",
        "decimal_type": "montant attendu (nombre)",
        "decimal_max_places": f"au plus {ctx.get('decimal_places')} décimales (centimes)",
        "int_parsing": "nombre entier attendu",
        "int_type": "nombre entier attendu",
        "int_from_float": "nombre entier attendu (sans décimales)",
        "bool_parsing": "valeur oui/non attendue (true/false)",
        "bool_type": "valeur oui/non attendue (true/false)",
        "string_type": "texte attendu (entre guillemets pour un code : \"01053\")",
        "string_too_short": "texte vide",
        "string_too_long": f"texte trop long (maximum {ctx.get('max_length')} caractères)",
        "string_pattern_mismatch": "format invalide",
        "list_type": "liste attendue",
        "dict_type": "objet attendu (clé: valeur)",
        "model_type": "objet attendu (clé: valeur)",
        "model_attributes_type": "objet attendu (clé: valeur)",
        "greater_than_equal": f"doit être supérieur ou égal à {ctx.get('ge')}",
        "greater_than": f"doit être strictement supérieur à {ctx.get('gt')}",
        "less_than_equal": f"doit être inférieur ou égal à {ctx.get('le')} (valeur absurde ?)",
        "less_than": f"doit être strictement inférieur à {ctx.get('lt')}",
        "too_long": f"trop d'éléments (maximum {ctx.get('max_length')})",
        "finite_number": "nombre fini attendu",
    }
    if kind in {"greater_than_equal", "less_than_equal"} and str(ctx.get("ge", ctx.get("le"))) in {str(DATE_MIN), str(DATE_MAX)}:
        return f"date hors des bornes plausibles ({DATE_MIN.year}–{DATE_MAX.year})"
    if kind == "literal_error":
        return f"valeur non autorisée : attendu {ctx.get('expected', '')}".replace(" or ", " ou ")
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "valeur invalide")))
    if kind == "string_pattern_mismatch" and error["loc"] and error["loc"][-1] == "insee":
        return "code INSEE invalide : 5 caractères (chiffres, ou 2A/2B pour la Corse)"
    if kind == "string_pattern_mismatch" and error["loc"] and error["loc"][-1] == "siren":
        return "SIREN invalide : 9 chiffres"
    if kind == "string_pattern_mismatch":
        return "format invalide : lettres, chiffres, « - », « _ » ou « . » seulement"
    return messages.get(kind, error.get("msg", "valeur invalide"))


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union/function tags so the path is the document's own."""
    return tuple(p for p in loc if isinstance(p, int) or not (p.startswith("function-") or "[" in p or p in {"lax-or-strict", "json-or-python", "none", "str", "int"}))


def validate(data: Any, source: str, text: str | None = None) -> Dossier:
    if not isinstance(data, dict):
        raise InputError(source, [Problem("", "le dossier doit être un objet (clé: valeur) à la racine")])
    try:
        return Dossier.model_validate(data)
    except ValidationError as exc:
        lines = line_index(text) if text and "\n" in text.strip() else {}  # a one-line JSON has no useful line
        problems, seen = [], set()
        for error in exc.errors():
            loc = _clean_loc(error["loc"])
            problem = Problem(format_path(loc), _french(error), line_of(lines, loc) if lines else None)
            if (problem.path, problem.message) not in seen:
                seen.add((problem.path, problem.message))
                problems.append(problem)
        raise InputError(source, problems) from None


def load(path: str | Path) -> LoadedDossier:
    """Read a dossier folder (dossier.yaml + pieces/) or a single YAML/JSON file."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), [Problem("", "fichier ou dossier introuvable")])
    pieces_dir = None
    if path.is_dir():
        found = [path / name for name in DOSSIER_FILES if (path / name).is_file()]
        if not found:
            raise InputError(str(path), [Problem("", "aucun dossier.yaml (ni dossier.json) dans ce dossier")])
        file = found[0]
        pieces_dir = path / "pieces" if (path / "pieces").is_dir() else None
    else:
        file = path
        if file.suffix.lower() not in {".yaml", ".yml", ".json"}:
            raise InputError(str(path), [Problem("", "format non reconnu : attendu un dossier, un fichier .yaml ou .json")])
    text = read_text(file)
    data = parse(text, str(file))
    dossier = validate(data, str(file), text)
    pieces = sorted(p for p in pieces_dir.iterdir() if p.is_file()) if pieces_dir else []
    return LoadedDossier(dossier=dossier, source=str(file), pieces_dir=pieces_dir, piece_files=pieces)
