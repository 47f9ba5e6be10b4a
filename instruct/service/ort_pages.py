"""The ORT commerce question on a page (/dossiers/{id}/ort/commerce), for the DDT: is a commerce project
exempt from autorisation d'exploitation commerciale, may the préfet suspend it? The agent clicks the
project's point on the map of the dossier's ORT secteurs (static/ort-commerce.js fills the two fields) or
types it, gives the surface de vente, food or not, artificialisation or not; the answer comes in words
(engine.ort_commerce: TITLES, the reasons, the articles, what to provide), with the warnings the CLI gives
too (point_warnings: numbers swapped, a point outside the town's département). A plain form (POST, CSRF),
rendered again with what was typed; every bad value gets its French message beside its field.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

import datetime as dt
import math
import re
import threading
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from instruct.engine.ort_commerce import answer, point_warnings
from instruct.errors import InputError
from instruct.model.fields import read_surface
from instruct.service import usecases
from instruct.service.session_pages import csrf_ok, logged_in, to_login
from instruct.service.storage import version_files
from instruct.service.templating import forbidden, not_found, page

router = APIRouter(include_in_schema=False)

FIELDS = ("longitude", "latitude", "surface", "alimentaire", "artificialisation")
ARTIFICIALISATION = {"oui": True, "non": False, "inconnu": None}
ALERTS = {  # the DSFR alert of each regime
    "hors_champ": "success",
    "exempte": "success",
    "indetermine": "warning",
    "aec_requise": "info",
    "droit_commun": "info",
    "suspension_possible": "warning",
    "sans_effet": "info",
}


def _degrees(text: str, label: str, limit: int) -> tuple[float | None, str]:
    """A longitude or latitude as typed (« 2,35 », « 2.35 », « −1,5° ») -> (value, "") or (None, French error)."""
    cleaned = re.sub(r"[\s\u202f°]", "", text).replace(",", ".").replace("\u2212", "-")  # « −1,5° » too
    if not cleaned:
        return None, f"Indiquez la {label} du projet, ou cliquez sur la carte."
    try:
        value = float(cleaned) if len(cleaned) <= 30 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return None, f"« {text.strip()[:30]} » : la {label} est un nombre en degrés décimaux (par exemple 2,35)."
    if abs(value) > limit:
        return (
            None,
            f"La {label} est comprise entre -{limit} et {limit} degrés : « {text.strip()[:30]} » est hors bornes.",
        )
    return value, ""


def read_form(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The question as typed -> (its values, the French error of each field that is wrong)."""
    errors: dict[str, str] = {}
    lon, errors["longitude"] = _degrees(values["longitude"], "longitude", 180)
    lat, errors["latitude"] = _degrees(values["latitude"], "latitude", 90)
    surface = None
    if not values["surface"].strip():
        errors["surface"] = "Indiquez la surface de vente du projet, en m²."
    else:
        try:
            surface = read_surface(re.sub(r"[\s\u202f]|m²$", "", values["surface"].strip()))  # « 2 500 m² »
        except ValueError:
            errors["surface"] = (
                f"« {values['surface'].strip()[:40]} » : la surface de vente est un nombre de m², "
                "plus grand que 0 et d'au plus 1 000 000 (par exemple 2 500 ou 2500,5)."
            )
    if values["alimentaire"] not in ("oui", "non"):
        errors["alimentaire"] = "Indiquez si le commerce est à prédominance alimentaire."
    if values["artificialisation"] not in ARTIFICIALISATION:
        errors["artificialisation"] = "Indiquez si le projet artificialise les sols (ou que vous ne le savez pas)."
    question = {
        "lon": lon,
        "lat": lat,
        "surface": surface,
        "alimentaire": values["alimentaire"] == "oui",
        "artificialise": ARTIFICIALISATION.get(values["artificialisation"]),
    }
    return question, {k: v for k, v in errors.items() if v}


def map_layers(dossier) -> list[dict[str, Any]]:
    """What the map draws: the ORT secteurs d'intervention, then the périmètre d'intervention."""
    layers = [
        {
            "nom": s.nom + (" (comprend un centre-ville)" if s.centre_ville else ""),
            "type": "centre" if s.centre_ville else "secteur",
            "geometrie": s.geometrie.model_dump(mode="json", include={"type", "coordinates"}) if s.geometrie else None,
        }
        for s in (dossier.ort.secteurs if dossier.ort else [])
    ]
    perimetre = dossier.perimetres.intervention if dossier.perimetres else None
    if perimetre is not None:
        layers.append(
            {
                "nom": "Périmètre d'intervention",
                "type": "perimetre",
                "geometrie": perimetre.model_dump(mode="json", include={"type", "coordinates"}),
            }
        )
    return layers


_LOADED: OrderedDict[tuple, Any] = OrderedDict()  # the dossiers read lately, by their files' content
_LOCK = threading.Lock()
CACHE_SIZE = 16


def _load(session, record):
    """The dossier of the latest version (its pieces read, as the API reads it), or a French problem.
    A version's files never change: the dossier read is kept by their paths and digests, so the agent's
    next questions on the same dossier do not read its pieces again."""
    if not record.versions:
        return None, "Ce dossier n'a encore aucune version à lire."
    version = record.versions[-1]
    key = tuple(sorted((f.path, f.sha256) for f in version.files))
    with _LOCK:
        if key in _LOADED:
            _LOADED.move_to_end(key)
            return _LOADED[key], ""
    try:
        dossier = usecases.load_files(version_files(session, version)).dossier
    except InputError as exc:
        return None, "Le dossier ne peut pas être lu : " + "; ".join(p.message for p in exc.problems[:3])
    with _LOCK:
        _LOADED[key] = dossier
        while len(_LOADED) > CACHE_SIZE:
            _LOADED.popitem(last=False)
    return dossier, ""


async def _page(request: Request, dossier_id: str, posted: bool) -> Response:
    form = await request.form(max_files=0, max_fields=20) if posted else None
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        if record is None:
            return not_found(request, me)
        if form is not None and not csrf_ok(request, form):
            return forbidden(request, me)
        dossier, problem = await run_in_threadpool(_load, session, record)
        values = {name: str(form.get(name) or "")[:200] if form is not None else "" for name in FIELDS}
        context: dict[str, Any] = {
            "dossier": record,
            "values": values,
            "errors": {},
            "result": None,
            "warnings": [],
            "problem": problem,
            "layers": map_layers(dossier) if dossier is not None else [],
            "has_ort": dossier is not None and dossier.ort is not None,
            "today": dt.date.today(),
            "alerts": ALERTS,
        }
        if form is None or dossier is None:
            return page(request, "ort/commerce.html", 200, me, **context)
        question, errors = read_form(values)
        context["errors"] = errors
        if not errors:
            context["warnings"] = point_warnings(dossier, question["lon"], question["lat"])
            try:
                context["result"] = answer(
                    dossier,
                    question["lon"],
                    question["lat"],
                    question["surface"],
                    question["alimentaire"],
                    request.app.state.catalogue.parameters,
                    context["today"],
                    question["artificialise"],
                )
            except InputError as exc:
                context["problem"] = "Impossible de répondre : " + "; ".join(p.message for p in exc.problems[:3])
        return page(request, "ort/commerce.html", 400 if errors else 200, me, **context)


@router.get("/dossiers/{dossier_id}/ort/commerce")
async def commerce_page(dossier_id: str, request: Request) -> Response:
    return await _page(request, dossier_id, posted=False)


@router.post("/dossiers/{dossier_id}/ort/commerce")
async def commerce_answer(dossier_id: str, request: Request) -> Response:
    return await _page(request, dossier_id, posted=True)
