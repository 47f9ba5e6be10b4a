"""E-mail notifications, written once for every kind: `notify` renders the French plain-text and HTML bodies
(templates/courriels/<kind>.txt and .html: the text one sets `sujet`) and writes one outbox row per address
**in the caller's transaction** — a mail exists if and only if that transaction commits — then wakes the
sender (instruct.service.mail) once it has committed. `on_transition` is the workflow's hook: a deposit tells
the instructeurs of the dossier's tracks who see it, a track's « à compléter » and decisions tell the town's
accounts, with the partner, the reason and the rule ids. A kind is a string: a new one needs only its two templates."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from instruct.french import french_date
from instruct.service import accounts, mail
from instruct.service.mail_storage import Courriel
from instruct.service.storage import Dossier, Event, User
from instruct.service.workflow import LABELS
from instruct.vocabulary import PARTENAIRE_LIBELLES, Partenaire

log = logging.getLogger("acv.courriels")

BODIES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates" / "courriels"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a missing value is a bug, never an empty hole in a mail
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
BODIES.filters["fr_date"] = lambda moment: french_date(moment.date() if isinstance(moment, dt.datetime) else moment)
BODIES.filters["lignes"] = lambda text: Markup("<br>\n").join(escape(line) for line in str(text).splitlines())
DECISIONS = {"accepte", "refuse", "sans_suite"}
PREVIEW = "courriel_apercu"  # session.info: the last e-mail a transition rendered (for a confirmation page)


def notify(
    session: Session,
    kind: str,
    dossier: Dossier | None,
    recipients: Iterable[User] | Iterable[str],
    context: dict[str, Any] | None = None,
) -> list[Courriel]:
    """Outbox rows for `kind` to `recipients` (accounts — those without an address or deactivated are
    skipped — or addresses), not committed: sent after the caller's commit, never after its rollback."""
    addresses = _addresses(recipients)
    if not addresses:
        return []
    subject, text, html = render(kind, dossier, context)
    rows = [
        Courriel(
            to=address,
            subject=subject,
            text=text,
            html=html,
            kind=kind,
            dossier_id=dossier.id if dossier is not None else None,
        )
        for address in addresses
    ]
    session.add_all(rows)
    if not session.info.get("courriels_reveil"):
        session.info["courriels_reveil"] = True
        event.listen(session, "after_commit", _after_commit)
    return rows


def render(kind: str, dossier: Dossier | None, context: dict[str, Any] | None = None) -> tuple[str, str, str]:
    """The subject, plain text and HTML of a `kind` of e-mail (what `notify` sends, what a confirmation page shows)."""
    values = {"dossier": dossier, "lien": link(dossier), "etats": LABELS, **(context or {})}
    text_module = BODIES.get_template(f"{kind}.txt").make_module(values)
    subject = " ".join(str(text_module.sujet).split())
    return subject, str(text_module), BODIES.get_template(f"{kind}.html").render(values, sujet=subject)


def _after_commit(_session: Session) -> None:
    mail.wake()


def _addresses(recipients: Iterable[User] | Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for recipient in recipients:
        if isinstance(recipient, User):
            if not recipient.active or recipient.deleted_at is not None or not recipient.courriel:
                continue
            recipient = recipient.courriel
        address = recipient.strip()
        if address and address.lower() not in {a.lower() for a in seen}:
            seen[address] = None
    return list(seen)


def link(dossier: Dossier | None) -> str:
    """The dossier's page, absolute when ACV_URL_PUBLIQUE is set."""
    if dossier is None:
        return mail.public_url() or "/"
    return f"{mail.public_url()}/dossiers/{dossier.id}"


# --- who is told of what ------------------------------------------------------------------------


def instructeurs_of(session: Session, dossier: Dossier, partners: Iterable[str] | None = None) -> list[User]:
    """The instructeurs whose territory sees the dossier (of `partners` only, when given: its tracks')."""
    users = session.scalars(
        select(User).where(User.role == "instructeur", User.active.is_(True), User.courriel.is_not(None))
    )
    wanted = set(partners) if partners is not None else None
    return [u for u in users if accounts.can_see(u, dossier) and (wanted is None or u.partenaire in wanted)]


def town_of(session: Session, dossier: Dossier) -> list[User]:
    """The town's accounts."""
    query = select(User).where(User.role == "collectivite", User.commune_insee == dossier.commune_insee)
    return list(session.scalars(query.where(User.active.is_(True), User.courriel.is_not(None))))


def kind_of(dossier: Dossier, moved: Event, details: dict | None = None) -> tuple[str, dict[str, Any]] | None:
    """The kind of e-mail a transition sends and its values (None: no e-mail), for `on_transition` and for the
    confirmation pages, which show the town what it will receive."""
    context = {
        "ecarts": [],
        "immeubles": [],
        **(details or {}),
        "evenement": moved,
        "motif": moved.reason,
        "etat": LABELS[moved.to_state],
        "partenaire": PARTENAIRE_LIBELLES[Partenaire(moved.partenaire)] if moved.partenaire else "",
        "regles": moved.regles or [],
    }
    if moved.partenaire is None:
        if moved.to_state == "depose":
            return "depot", {**context, "redepot": moved.from_state == "a_completer"}
        return ("retrait", context) if moved.to_state == "retire" else None
    if context["immeubles"]:
        return "immeubles", context
    if moved.to_state == "a_completer":
        return "a_completer", context
    if moved.to_state in DECISIONS:
        return "decision", context
    if moved.from_state in DECISIONS:  # « repasser en instruction »: the decision the town was told of is reopened
        return "reouverture", {**context, "decision": LABELS[moved.from_state]}
    return None


def on_transition(session: Session, dossier: Dossier, moved: Event, details: dict | None = None) -> list[Courriel]:
    """The workflow's notifications, in the transition's transaction: a deposit or redeposit tells the instructeurs
    of the dossier's tracks (`details["partenaires"]`), and so does a withdrawal; a track's « à compléter »,
    decision, reopening or decisions per immeuble tell the town, with the partner's name, the reason and the rule
    ids (`details`: the gaps named…)."""
    found = kind_of(dossier, moved, details)
    if found is None:
        return []
    kind, context = found
    subject, text, _ = render(kind, dossier, context)
    session.info[PREVIEW] = {"sujet": subject, "texte": text}  # what a confirmation page shows
    if kind in {"depot", "retrait"}:
        return notify(session, kind, dossier, instructeurs_of(session, dossier, context.get("partenaires")), context)
    return notify(session, kind, dossier, town_of(session, dossier), context)
