"""The page comparing two versions of a dossier (/dossiers/{id}/comparaison?de=N&a=M): the gaps the
later version closed, opened and changed (`usecases.comparison`, the API's), as French tables —
rule, what it concerns, status before and after, the finding, the dossier's fields by their French
labels (`instruct.form.label_of`), never a field path or a machine word. Two version pickers (a GET
form), a French error beside the picker for a version the dossier does not have; the same 404 as every
other page for a dossier the user may not see.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from instruct import form
from instruct.service import usecases
from instruct.service.session_pages import logged_in, to_login
from instruct.service.storage import Dossier
from instruct.service.templating import STATUSES, fr_date, not_found, page

router = APIRouter(include_in_schema=False)

NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@router.get("/dossiers/{dossier_id}/comparaison")
def comparison_page(dossier_id: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        if record is None:
            return not_found(request, me)
        numbers = [v.number for v in record.versions if v.reports]
        params = request.query_params
        de, a, errors = _chosen(numbers, params.get("de"), params.get("a"))
        result = compared(record, de, a) if de and a and not errors else None
        notices = _notices(record, de, a) if result is not None else []
        return page(
            request,
            "comparaison.html",
            400 if errors else 200,
            me,
            dossier=record,
            versions=[v for v in record.versions if v.reports],
            de=de,
            a=a,
            errors=errors,
            result=result,
            notices=notices,
        )


def _chosen(numbers: list[int], de: str | None, a: str | None) -> tuple[int | None, int | None, dict[str, str]]:
    """The two versions asked (by default the one before the latest and the latest), and the French
    error of each picker whose value is not one of the dossier's versions."""
    if len(numbers) < 2:
        return None, None, {}
    chosen: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for name, value, default in (("de", de, numbers[-2]), ("a", a, numbers[-1])):
        value = (value or "").strip()
        number = int(value) if NUMBER.fullmatch(value) else None
        chosen[name] = default if value == "" else number
        if value and number not in numbers:
            chosen[name] = None
            errors[name] = (
                f"Version inconnue : choisissez un numéro de version de ce dossier ({_listed(numbers)})."
                if number is not None
                else f"Numéro de version invalide : un nombre entier parmi {_listed(numbers)}."
            )
    if not errors and chosen["de"] == chosen["a"]:
        errors["a"] = "Choisissez une version différente de la première pour les comparer."
    return chosen["de"], chosen["a"], errors


def _listed(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:-1])) + f" ou {numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


def _notices(record: Dossier, de: int, a: int) -> list[str]:
    """Why a gap may change without the dossier changing: the two versions evaluated on different dates
    (the rules and parameters in force then) or with different rules."""
    first, second = (usecases.version_or_404(record, n).reports[-1] for n in (de, a))
    notices = []
    if first.evaluated_on != second.evaluated_on:
        notices.append(
            f"La version {de} a été évaluée au {fr_date(first.evaluated_on)} et la version {a} au "
            f"{fr_date(second.evaluated_on)} : un écart peut changer avec les règles et paramètres en vigueur "
            "à chaque date, sans que le dossier ait changé."
        )
    if first.rules_hash != second.rules_hash:
        notices.append(
            "Les règles ont été modifiées entre les deux évaluations : un écart peut changer sans que le "
            "dossier ait changé."
        )
    return notices


def compared(record: Dossier, de: int, a: int) -> dict[str, Any]:
    """usecases.comparison(), each gap as the page shows it: its rule's title, its status in the other
    version (conforme, non applicable, or not examined), the dossier's fields it read, in French."""
    result = usecases.comparison(record, de, a)
    before = _findings(record, de)
    after = _findings(record, a)
    return {
        "fermes": [_row(g, before, after, closed=True) for g in result["fermes"]],
        "ouverts": [_row(g, after, before, closed=False) for g in result["ouverts"]],
        "changes": [_row(g, after, before, closed=False) for g in result["changes"]],
    }


def _findings(record: Dossier, number: int) -> list[dict]:
    version = usecases.version_or_404(record, number)
    return json.loads(version.reports[-1].report_json)["findings"]


def _key(f: dict) -> tuple:
    return (f["rule"], f["check"] or "", f["entity"]["type"], f["entity"]["id"])


def _row(gap: dict, source: list[dict], other: list[dict], *, closed: bool) -> dict[str, Any]:
    """One line of a table; `source` is the report the gap is read from, `other` the other version's."""
    finding = next(
        (
            f
            for f in source
            if (f["rule"], f["check"], f["entity"]["label"], f["message"], f["status"])
            == (gap["regle"], gap["controle"], gap["entite"], gap["message"], gap["statut"])
        ),
        None,
    )
    there = next((f for f in other if finding and _key(f) == _key(finding)), None)
    elsewhere = there["status"] if there else ""  # its status in the other version ("": not examined there)
    before, after = (gap["statut"], elsewhere) if closed else (gap.get("avant", elsewhere), gap["statut"])
    return {
        "regle": gap["regle"],
        "titre": finding["title"] if finding else "",
        "entite": gap["entite"],
        "statut_avant": before,
        "statut_apres": after,
        "avant": _status(before),
        "apres": _status(after),
        "message": gap["message"],
        "champs": _fields(finding["evidence"] if finding else []),
    }


def _status(code: str) -> str:
    return STATUSES.get(code, code.replace("_", " ")) if code else "non examiné"


def _fields(evidence: list[dict]) -> list[str]:
    """The dossier's fields a finding read, by their French labels (form.label_of), each once; none that
    names no field (« calcul »: a value computed, which label_of gives back as written, in lower case)."""
    labels: list[str] = []
    for e in evidence:
        label = form.label_of(e.get("path") or "").strip()
        if label[:1].isupper() and label not in labels:
            labels.append(label)
    return labels
