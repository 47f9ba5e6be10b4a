"""The rules' pages: /regles lists every rule by partner, /regles/{id} is a rule's page
(rules.documentation), the same fragments as the static site `acv docs` writes. Public: shown to
anyone, with the header of whoever is logged in; an unknown rule is the French 404 page.
(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from instruct.form.labels import CHOICES
from instruct.rules.documentation import PageBuilder
from instruct.service.session_pages import logged_in
from instruct.service.templating import STATUSES, not_found, page

router = APIRouter(include_in_schema=False)


def _builder(request: Request) -> PageBuilder:
    """Built once per app from its catalogue (reading the example cases takes a moment)."""
    state = request.app.state
    if getattr(state, "regles_pages", None) is None:
        state.regles_pages = PageBuilder(state.catalogue, CHOICES)
    return state.regles_pages


def _user(request: Request):
    with request.app.state.sessions() as session:
        return logged_in(request, session)


@router.get("/regles")
def rules_index(request: Request) -> Response:
    groups = _builder(request).index()
    return page(request, "regles/index.html", user=_user(request), groups=groups, href=lambda i: f"/regles/{i}")


@router.get("/regles/{rule_id}")
def rule_page(request: Request, rule_id: str) -> Response:
    found = _builder(request).page(rule_id.upper())
    user = _user(request)
    if found is None:
        return not_found(request, user)
    return page(request, "regles/regle.html", user=user, page=found, STATUS_NAMES=STATUSES, index_href="/regles")
