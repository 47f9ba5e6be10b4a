"""What the périmètres' map shows beside the field being drawn (templates/formulaire/_carte.html):
the dossier's other périmètres as read-only layers, each named in French, and the problems the rules
found with them (PROG-12 nesting, and any other finding whose evidence is a périmètre), each with the
layers it concerns, so the map can outline them.

Layer ids are the fields' HTML ids (`instruct.form.steps.anchor`: « champ- » and the dotted path with
« . » as « - »), the id a step's Champ has and the macro's default: a problem naming a field's own
layer outlines its shape.
"""

from __future__ import annotations

import re
from typing import Any

from instruct.form.steps import anchor

# A périmètre's path in the dossier, in the form's dotted notation (0-based indexes).
PERIMETRE = re.compile(
    r"perimetres\.(?:etude|intervention|secteurs_prioritaires\.\d+\.geometrie)"
    r"|dispositifs_anah\.\d+\.perimetre|quartiers\.\d+\.perimetre|ort\.secteurs\.\d+\.geometrie"
)
PROBLEM_STATUSES = ("non_conforme", "incomplet", "a_verifier")


def dotted(path: str) -> str:
    """« perimetres.secteurs_prioritaires[0].geometrie » -> « perimetres.secteurs_prioritaires.0.geometrie »."""
    return re.sub(r"\[(\d+)\]", r".\1", path.strip())


def field_id(path: str) -> str:
    """The HTML id of the field of this path (a step's Champ.id, the carte macro's default)."""
    return anchor(dotted(path))


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _plain(geometry: Any) -> dict | None:
    if geometry is None:
        return None
    if hasattr(geometry, "model_dump"):
        geometry = geometry.model_dump(mode="json")
    if isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon"):
        return {"type": geometry["type"], "coordinates": geometry.get("coordinates")}
    return None


def perimetres(dossier: Any) -> list[dict]:
    """Every périmètre of a dossier (a Dossier, or its dict as read from dossier.yaml or the form):
    [{"id", "chemin", "nom", "geometrie"}], geometrie None when it is not drawn yet."""
    found: list[dict] = []

    def add(path: str, nom: str, geometry: Any) -> None:
        found.append({"id": field_id(path), "chemin": path, "nom": nom, "geometrie": _plain(geometry)})

    p = _get(dossier, "perimetres") or {}
    add("perimetres.etude", "Périmètre d'étude", _get(p, "etude"))
    add("perimetres.intervention", "Périmètre d'intervention", _get(p, "intervention"))
    for i, secteur in enumerate(_get(p, "secteurs_prioritaires") or []):
        nom = _get(secteur, "nom") or _get(secteur, "id") or f"n° {i + 1}"
        add(
            f"perimetres.secteurs_prioritaires.{i}.geometrie",
            f"Secteur prioritaire « {nom} »",
            _get(secteur, "geometrie"),
        )
    for i, dispositif in enumerate(_get(dossier, "dispositifs_anah") or []):
        nom = " ".join(str(v) for v in (_get(dispositif, "type"), _get(dispositif, "id")) if v) or f"n° {i + 1}"
        add(f"dispositifs_anah.{i}.perimetre", f"Dispositif Anah « {nom} »", _get(dispositif, "perimetre"))
    for i, quartier in enumerate(_get(dossier, "quartiers") or []):
        nom = _get(quartier, "nom") or _get(quartier, "code_qpv") or f"n° {i + 1}"
        add(f"quartiers.{i}.perimetre", f"Quartier « {nom} »", _get(quartier, "perimetre"))
    for i, secteur in enumerate(_get(_get(dossier, "ort") or {}, "secteurs") or []):
        nom = _get(secteur, "nom") or _get(secteur, "id") or f"n° {i + 1}"
        add(f"ort.secteurs.{i}.geometrie", f"Secteur d'intervention ORT « {nom} »", _get(secteur, "geometrie"))
    return found


def contexte(dossier: Any, courant: str) -> list[dict]:
    """The layers to show beside the field `courant` (its form name or dossier path): the others.
    Drawn ones first; the ones not drawn yet stay in the legend (« non tracé »)."""
    own = dotted(courant)
    others = [c for c in perimetres(dossier) if c["chemin"] != own]
    return [c for c in others if c["geometrie"]] + [c for c in others if not c["geometrie"]]


def _paths(finding: Any) -> list[str]:
    entity = _get(finding, "entity")
    texts = [_get(entity, "path") or ""] if entity is not None else []
    texts += [_get(item, "path") or "" for item in _get(finding, "evidence") or []]
    paths = []
    for text in texts:
        for part in re.split(r"[,;]\s*", text):
            path = dotted(re.sub(r"\s*\(.*\)$", "", part))
            if PERIMETRE.fullmatch(path) and path not in paths:
                paths.append(path)
    return paths


def problemes(findings: Any, courant: str | None = None) -> list[dict]:
    """The findings about périmètres (non conformes, incomplets, à vérifier), as the map lists them:
    [{"message", "couches": [layer ids]}]; with `courant`, only those that concern that field."""
    own = dotted(courant) if courant else None
    found = []
    nesting_first = sorted(findings or [], key=lambda f: _get(_get(f, "entity"), "type") != "inclusion")
    for finding in nesting_first:
        if _get(finding, "status") not in PROBLEM_STATUSES:
            continue
        paths = _paths(finding)
        if not paths or (own and own not in paths):
            continue
        message = _get(finding, "message") or ""
        if message and all(p["message"] != message for p in found):
            found.append({"message": message, "couches": [field_id(p) for p in paths]})
    return found
