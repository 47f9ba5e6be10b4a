"""How every page is rendered: the Jinja2 templates with their French labels and filters, the
security headers, the form token (CSRF) every page carries, and the error pages (403, 404,
500...) that the pages and the app's error handlers share.

Every HTML response carries the security headers: the pages through `page`, the report files
through `report_headers` (a CSP naming the SHA-256 of the report's own inline style and script,
nothing else), and whatever else (the 413 page, a crash page, /docs) through `SecurityHeaders`,
which adds the ones a response lacks. Pages and /docs share one CSP (`csp()`): scripts, styles and
fonts from this site only (the DSFR and Swagger UI are vendored), never inline."""

import base64
import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from instruct.french import french_date, french_date_text, french_datetime
from instruct.reports import formats
from instruct.service import workflow
from instruct.service.accounts import csrf_token
from instruct.service.storage import User
from instruct.service.usecases import SESSION_COOKIE
from instruct.vocabulary import (
    PARTENAIRES_INSTRUCTEURS,
    REMEDE_LIBELLES,
    STATUT_LIBELLES,
    VERDICT_LIBELLES,
    worst_verdict,
)

HERE = Path(__file__).parent
PARIS = ZoneInfo("Europe/Paris")

VERDICTS = VERDICT_LIBELLES
STATUSES = STATUT_LIBELLES
GAP_HEADINGS = {"non_conforme": "Non conformes", "incomplet": "Incomplets", "a_verifier": "À vérifier"}
ROLES = {"collectivite": "collectivité", "instructeur": "instructeur", "admin": "administrateur"}
PARTNERS = {p.value: p.libelle for p in PARTENAIRES_INSTRUCTEURS}
ICON_FAMILIES = ("system", "document", "user", "map", "arrows", "business", "design", "editor")  # scripts/vendor.py


def map_background_origin(template: str | None = None) -> str | None:
    """The origin of the map background's tile URL template (ACV_FOND_CARTE, e.g. the IGN Géoplateforme
    WMTS) that the CSP must let images come from: `https://data.geopf.fr`; a `{s}` subdomain becomes
    `*.`; None if unset or not http(s)."""
    template = os.environ.get("ACV_FOND_CARTE", "") if template is None else template
    parts = urlsplit(template.strip())
    host = parts.netloc.rsplit("@", 1)[-1]
    if parts.scheme not in ("http", "https") or not host or not re.fullmatch(r"[A-Za-z0-9.{}:\-]+", host):
        return None
    labels = host.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels):
        return None
    return f"{parts.scheme}://{'.'.join(labels)}"


def fond_carte() -> str:
    """The map background's tile URL template for the pages (the `carte` macro), only when the CSP
    lets its images in: ACV_FOND_CARTE, or "" (no background, the map still works)."""
    template = os.environ.get("ACV_FOND_CARTE", "").strip()
    return template if map_background_origin(template) else ""


def csp() -> str:
    """The pages' Content-Security-Policy: everything from this site only (the DSFR, the page scripts,
    fonts), no inline script or style attribute; images also as data: URIs (the DSFR's icons) and from
    the map background's origin when one is set; /docs likewise (Swagger UI, vendored)."""
    images = " ".join(["'self'", "data:", *filter(None, [map_background_origin()])])
    return (
        f"default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src {images}; "
        "connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )


SECURITY_HEADERS = {
    "content-security-policy": csp(),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def security_headers() -> dict[str, str]:
    """The headers of a page, the CSP read again (ACV_FOND_CARTE may be set after import, as in tests)."""
    return {**SECURITY_HEADERS, "content-security-policy": csp()}


INLINE = re.compile(rb"<(style|script)>(.*?)</\1>", re.S)


def report_headers(body: bytes | str, media_type: str) -> dict[str, str]:
    """A report file's security headers. An HTML report inlines its CSS and JS: its CSP allows
    exactly those (their SHA-256), no other script or style, no inline attribute."""
    headers = dict(SECURITY_HEADERS)
    if media_type.startswith("text/html"):
        data = body.encode() if isinstance(body, str) else body
        sources: dict[bytes, list[str]] = {b"style": [], b"script": []}
        for kind, content in INLINE.findall(data):
            sources[kind].append(f"'sha256-{base64.b64encode(hashlib.sha256(content).digest()).decode()}'")
        styles, scripts = (" ".join(sources[kind]) or "'none'" for kind in (b"style", b"script"))
        headers["content-security-policy"] = (
            f"default-src 'none'; style-src {styles}; script-src {scripts}; img-src 'self' data:; "
            "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
        )
    return headers


class SecurityHeaders:
    """ASGI middleware: an HTML response without the security headers gets them (the ones it sets stay)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {name.lower() for name, _ in headers}
                kind = next((value for name, value in headers if name.lower() == b"content-type"), b"")
                if kind.startswith(b"text/html"):
                    for name, value in security_headers().items():
                        if name.encode() not in names:
                            headers.append((name.encode(), value.encode()))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(PARIS)


def fr_datetime(moment: dt.datetime | None) -> str:
    local = _local(moment)
    return french_datetime(local) if local else ""


def fr_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{_local(value):%d/%m/%Y}"
    if isinstance(value, dt.date):
        return french_date(value)
    return french_date_text(value)


TEMPLATES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES.filters.update(fr_datetime=fr_datetime, fr_date=fr_date)
TEMPLATES.globals.update(
    VERDICTS=VERDICTS,
    worst_verdict=worst_verdict,
    STATUSES=STATUSES,
    REMEDIES=REMEDE_LIBELLES,
    GAP_HEADINGS=GAP_HEADINGS,
    LABELS=workflow.LABELS,
    ROLES=ROLES,
    PARTNERS=PARTNERS,
    DOWNLOADS=formats.downloads,
    ICON_FAMILIES=ICON_FAMILIES,
    csp=csp,
    fond_carte=fond_carte,
)


def page(request: Request, name: str, status: int = 200, user: User | None = None, **context) -> HTMLResponse:
    token = request.cookies.get(SESSION_COOKIE) if user is not None else None
    html = TEMPLATES.get_template(name).render(
        user=user, csrf=csrf_token(token) if token else "", request=request, **context
    )
    return HTMLResponse(html, status_code=status, headers=security_headers())


def error_page(request: Request, status: int, title: str, message: str, user: User | None = None) -> HTMLResponse:
    return page(request, "erreur.html", status, user, title=title, message=message, code=status)


def not_found(request: Request, user: User | None = None) -> HTMLResponse:
    return error_page(
        request,
        404,
        "Page introuvable",
        "Cette page n'existe pas, ou vous n'avez pas accès à ce dossier. "
        "Vérifiez l'adresse, ou revenez à la liste de vos dossiers.",
        user,
    )


def forbidden(request: Request, user: User | None = None) -> HTMLResponse:
    return error_page(
        request,
        403,
        "Formulaire refusé",
        "Ce formulaire a expiré ou ne vient pas de ce site (jeton de sécurité invalide). "
        "Rechargez la page et recommencez.",
        user,
    )
