"""The instruction's forms on the dossier's page, over instruct.service.instructions and immeubles: the town's
deposit and withdrawal (with its confirmation page), a track's decision form and Action Logement's per-immeuble
table, each through a confirmation page that shows exactly what the town will receive (the e-mail rendered from
its template) before anything changes.

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)

The confirmation page is the use case itself run in a transaction that is rolled back: whatever it would refuse is
refused there (the dossier's page again, with the reason), and the e-mail shown is the one it would send. The
« Confirmer et envoyer » form carries the values and the track's revision seen: if the track changed meanwhile,
the decision is refused (409) and the dossier's page shows it as it now is.
"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from instruct.model.fields import control_problem
from instruct.service import immeubles, instruction_views, instructions, notifications, pages, usecases, workflow
from instruct.service.instruction_storage import TRACK_PARTNERS
from instruct.service.session_pages import form_text, logged_in, posted_to, to_login
from instruct.service.storage import Dossier, User
from instruct.service.templating import not_found, page

router = APIRouter(include_in_schema=False)


def _texts(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str)]


def _revision(form: FormData) -> int | None:
    text = form_text(form, "revision", 20)
    return int(text) if text.isdigit() else None


def _refused_page(request, session, me, dossier_id, exc: workflow.Refused, values: dict) -> Response:
    session.rollback()
    record = instructions_visible(session, me, dossier_id)
    return pages._dossier_page(
        request,
        session,
        me,
        record,
        exc.status,
        error=exc.message[:1].upper() + exc.message[1:] + ".",
        form_values=values,
    )


def instructions_visible(session: Session, me: User, dossier_id: str) -> Dossier | None:
    return usecases.find_visible(session, me, dossier_id)


def _checked_text(*texts: str) -> None:
    for text in texts:
        if problem := control_problem(text, paragraph=True):
            raise workflow.Refused(422, f"motif refusé : {problem}")


# --- the town: deposit, withdrawal ----------------------------------------------------------------


@router.post("/dossiers/{dossier_id}/transition")
async def transition(dossier_id: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_transition, dossier_id, request, form)


def _transition(dossier_id: str, request: Request, form: FormData) -> Response:
    """The town's deposit (« Déposer », with the blocking gaps confirmed) and withdrawal (from its confirmation
    page); a track's moves go through their own confirmation page."""
    with request.app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        to, reason = form_text(form, "vers", 40), form_text(form, "motif", 1 << 20)  # whole: too long is refused
        values = {"vers": to, "motif": reason}
        try:
            if problem := control_problem(to) or control_problem(reason, paragraph=True):
                raise workflow.Refused(422, f"motif refusé : {problem}")
            instructions.town_move(
                session, record, me, to, reason, form.get("confirme") in {"1", "on"}, request.app.state.catalogue
            )
            session.commit()
        except workflow.Refused as exc:
            return _refused_page(request, session, me, dossier_id, exc, values)
        return RedirectResponse(f"/dossiers/{record.id}?ok={'retrait' if to == 'retire' else 'etat'}", status_code=303)


@router.get("/dossiers/{dossier_id}/retrait")
def withdrawal_page(dossier_id: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = instructions_visible(session, me, dossier_id)
        if record is None:
            return not_found(request, me)
        view = instruction_views.forms_view(session, me, record, request.app.state.catalogue)
        status = 200 if view["retrait"] else 409
        return page(request, "instruction/retrait.html", status, me, dossier=record, instruction=view)


# --- a track's decision ---------------------------------------------------------------------------


def _track_values(form: FormData) -> dict:
    return {
        "vers": form_text(form, "vers", 40),
        "motif": form_text(form, "motif", 1 << 20),
        "regles": _texts(form, "regles"),
        "ecarts": _texts(form, "ecarts"),
        "revision": _revision(form),
    }


def _track_move(session, request, record, me, partenaire: str, values: dict):
    _checked_text(values["vers"], values["motif"])
    track = instructions.track_for(session, record, me, partenaire)
    return track, instructions.track_move(
        session,
        record,
        track,
        me,
        values["vers"],
        values["motif"],
        values["regles"],
        values["ecarts"],
        catalogue=request.app.state.catalogue,
        revision=values["revision"],
    )


@router.post("/dossiers/{dossier_id}/instructions/{partenaire}/verification")
async def track_check(dossier_id: str, partenaire: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_track_check, dossier_id, partenaire, request, form)


def _track_check(dossier_id: str, partenaire: str, request: Request, form: FormData) -> Response:
    """The confirmation page: the move made and rolled back, to show what it would send."""
    with request.app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        values = _track_values(form)
        if partenaire not in TRACK_PARTNERS:
            return _refused_page(
                request, session, me, dossier_id, workflow.Refused(404, "piste inconnue"), {"piste": partenaire}
            )
        try:
            track = instructions.track_for(session, record, me, partenaire)
            values["revision"] = track.revision if values["revision"] is None else values["revision"]
            start = track.state
            _, event = _track_move(session, request, record, me, partenaire, values)
            shown = _shown(session, event, start)
        except workflow.Refused as exc:
            return _refused_page(request, session, me, dossier_id, exc, {**values, "piste": partenaire})
        finally:
            session.rollback()
        return page(
            request,
            "instruction/confirmation.html",
            200,
            me,
            dossier=record,
            piste=partenaire,
            values=values,
            shown=shown,
            action=f"/dossiers/{record.id}/instructions/{partenaire}/decision",
        )


def _shown(session: Session, event, start: str) -> dict:
    """What the confirmation page says of a move: its label, the states, the e-mail the town would receive."""
    mail = session.info.pop(notifications.PREVIEW, None)
    return {
        "partenaire": instructions.label(event.partenaire),
        "de": workflow.LABELS[start],
        "vers": workflow.LABELS[event.to_state],
        "action": workflow.action_label(start, event.to_state),
        "motif": event.reason,
        "regles": event.regles or [],
        "courriel": mail,
    }


@router.post("/dossiers/{dossier_id}/instructions/{partenaire}/decision")
async def track_decision(dossier_id: str, partenaire: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_track_decision, dossier_id, partenaire, request, form)


def _track_decision(dossier_id: str, partenaire: str, request: Request, form: FormData) -> Response:
    with request.app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        values = _track_values(form)
        if form_text(form, "choix", 20) != "confirmer":  # « Modifier »: the form again, as it was filled
            return pages._dossier_page(request, session, me, record, 200, form_values={**values, "piste": partenaire})
        try:
            _track_move(session, request, record, me, partenaire, values)
            session.commit()
        except workflow.Refused as exc:
            return _refused_page(request, session, me, dossier_id, exc, {**values, "piste": partenaire})
        return RedirectResponse(f"/dossiers/{record.id}?ok=decision#instruction", status_code=303)


# --- Action Logement, immeuble by immeuble ----------------------------------------------------------


def _immeuble_values(form: FormData, record: Dossier) -> list[dict]:
    """The decisions the table's rows carry (a row left without a decision is not one)."""
    asked = []
    for one in immeubles.immeubles_of(instructions.report_of(record)):
        key = one["id"]
        decision = form_text(form, f"decision-{key}", 20)
        if decision:
            asked.append(
                {
                    "immeuble": key,
                    "decision": decision,
                    "motif": form_text(form, f"motif-{key}", 1 << 20),
                    "regles": _texts(form, f"regles-{key}"),
                }
            )
    return asked


def _decide(session, request, record, me, asked: list[dict], revision: int | None):
    _checked_text(*(a["motif"] for a in asked))
    track = instructions.track_for(session, record, me, immeubles.PARTNER)
    start = track.state
    event = immeubles.decide_immeubles(
        session, record, track, me, asked, catalogue=request.app.state.catalogue, revision=revision
    )
    return track, start, event


@router.post("/dossiers/{dossier_id}/instructions/action-logement/immeubles/{step}")
async def immeubles_step(dossier_id: str, step: str, request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_immeubles_step, dossier_id, step, request, form)


def _immeubles_step(dossier_id: str, step: str, request: Request, form: FormData) -> Response:
    """`verification`: the confirmation page (made and rolled back); `decision`: confirmed, or « Modifier »."""
    with request.app.state.sessions() as session:
        found = posted_to(request, session, form, dossier_id)
        if isinstance(found, Response):
            return found
        me, record = found
        if step not in {"verification", "decision"}:
            return not_found(request, me)
        asked, revision = _immeuble_values(form, record), _revision(form)
        values = {"piste": immeubles.PARTNER, "immeubles": {a["immeuble"]: a for a in asked}, "revision": revision}
        if step == "decision" and form_text(form, "choix", 20) != "confirmer":
            return pages._dossier_page(request, session, me, record, 200, form_values=values)
        try:
            if step == "decision":
                _decide(session, request, record, me, asked, revision)
                session.commit()
                return RedirectResponse(f"/dossiers/{record.id}?ok=decision#instruction", status_code=303)
            seen = instructions.track_for(session, record, me, immeubles.PARTNER).revision
            revision = seen if revision is None else revision
            _, start, event = _decide(session, request, record, me, asked, revision)
            shown = {**_shown(session, event, start), "immeubles": asked}
        except workflow.Refused as exc:
            return _refused_page(request, session, me, dossier_id, exc, values)
        finally:
            if step != "decision":
                session.rollback()
        labels = {i["id"]: i["libelle"] for i in immeubles.immeubles_of(instructions.report_of(record))}
        return page(
            request,
            "instruction/confirmation.html",
            200,
            me,
            dossier=record,
            piste=immeubles.PARTNER,
            values={"revision": revision},
            asked=[{**a, "libelle": labels[a["immeuble"]], "decision_libelle": _label(a)} for a in asked],
            shown=shown,
            action=f"/dossiers/{record.id}/instructions/action-logement/immeubles/decision",
        )


def _label(asked: dict) -> str:
    return immeubles.DECISION_LABELS.get(asked["decision"], asked["decision"])
