"""The pages every State site owes its visitors, linked from the footer: the accessibility statement,
the legal notice, personal data, the site map; and /docs, the API's interactive documentation,
served from the vendored Swagger UI (its start script a static file: the CSP forbids inline ones).

They are public: shown to anyone, with the header of whoever is logged in.
(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)
"""

import os
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from instruct.service.session_pages import logged_in
from instruct.service.templating import page

router = APIRouter(include_in_schema=False)

# slug -> (template, title); the order of the site map
INFO_PAGES = {
    "accessibilite": ("pages/accessibilite.html", "Déclaration d'accessibilité"),
    "mentions-legales": ("pages/mentions-legales.html", "Mentions légales"),
    "donnees-personnelles": ("pages/donnees-personnelles.html", "Données personnelles"),
    "plan-du-site": ("pages/plan-du-site.html", "Plan du site"),
}


# What only the administration running the service knows, from its environment (the pages say so
# plainly when a value is not set): ACV_EDITEUR, ACV_ADRESSE, ACV_DIRECTEUR_PUBLICATION, ACV_HEBERGEUR,
# ACV_CONTACT (an e-mail address or a web page for accessibility and personal-data requests).
OPERATOR = {
    "editeur": "ACV_EDITEUR",
    "adresse": "ACV_ADRESSE",
    "directeur": "ACV_DIRECTEUR_PUBLICATION",
    "hebergeur": "ACV_HEBERGEUR",
    "contact": "ACV_CONTACT",
}


def operator() -> dict[str, str]:
    """The operator's details, each "" when unset; `contact_href` a mailto: or https: link, or ""."""
    found = {key: os.environ.get(name, "").strip()[:300] for key, name in OPERATOR.items()}
    contact = found["contact"]
    if re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}", contact):
        found["contact_href"] = f"mailto:{contact}"
    elif re.fullmatch(r"https://[^\s<>\"']+", contact):
        found["contact_href"] = contact
    else:
        found["contact_href"] = ""
    return found


def _render(request: Request, name: str, **context) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
    return page(request, name, user=me, operator=operator(), **context)


def _info_route(slug: str, template: str, title: str) -> None:
    def show(request: Request) -> Response:
        return _render(request, template, title=title, info_pages=INFO_PAGES)

    router.add_api_route(f"/{slug}", show, methods=["GET"], name=slug)


for _slug, (_template, _title) in INFO_PAGES.items():
    _info_route(_slug, _template, _title)


@router.get("/docs")
def docs(request: Request) -> Response:
    return _render(request, "pages/docs.html", title="Documentation de l'API")
