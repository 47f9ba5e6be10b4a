"""The instructeurs' queue (« file d'instruction »), written once for its page, its JSON API and its exports: one row
per instruction track the user instructs (an instructeur: their partner's tracks on the dossiers of their territory;
an admin: every track), in tabs (à traiter, suivis, traités, tous) with their counts, sorted by any column with the
dossier id as tie-break, searched (PostgreSQL full-text on the GIN index of migration 0008, LIKE on SQLite) and
filtered by verdict, rule id and state, 50 rows a page.

One SQL query per page and one for the tab counts, on the rows report_index writes for every stored report: the
dossier's latest report (`dossiers.latest_report_id`), the worst verdict of the track's rule sets in it
(`rapport_pistes`, joined, so that sorting and filtering by verdict stay a join of the tracks) and its gaps
(`rapport_ecarts`, a semi-join on its rule index)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, and_, case, exists, false, func, literal, or_, select, text, true
from sqlalchemy.orm import Session, aliased

from instruct.model.fields import control_problem
from instruct.rules.catalogue import Catalogue
from instruct.service import accounts
from instruct.service.instruction_storage import (
    DECIDED,
    SEARCH_DOCUMENT,
    TRACK_PARTNERS,
    TRACK_STATES,
    Instruction,
    RapportEcart,
    RapportPiste,
)
from instruct.service.report_index import VERDICT_RANK
from instruct.service.storage import Dossier, StoredReport, User, Version, now
from instruct.vocabulary import VERDICT_LIBELLES, EtatDossier

PAGE_SIZE = 50
MAX_QUERY = 100  # characters of a search
MAX_PAGE = 100_000
OPEN = ("depose", "en_instruction", "a_completer")
CLOSED = (*DECIDED, "retire")
TABS = {"a_traiter": "À traiter", "suivis": "Suivis", "traites": "Traités", "tous": "Tous"}
STATE_LABELS = {s: EtatDossier(s).libelle for s in TRACK_STATES}
# The columns, in order: key -> French header. « partenaire » is shown to admins only.
COLUMNS = {
    "commune": "Commune",
    "insee": "INSEE",
    "dossier": "Dossier",
    "partenaire": "Partenaire",
    "etat": "État de la piste",
    "depose": "Déposé le",
    "jours": "Jours en instruction",
    "suivi": "Suivi par",
    "verdict": "Verdict",
    "bloquants": "Bloquants",
    "version": "Version",
    "maj": "Mis à jour",
}
SEARCH_WORD = re.compile(r"[^\W_]+")  # letters and digits: what the full-text parser keeps
# SEARCH_DOCUMENT with its columns named by table (the query joins tables that also have an id): PostgreSQL matches
# an expression index on the expression's meaning, so the qualified one still uses ix_dossiers_recherche.
QUALIFIED_DOCUMENT = re.sub(r"\b(commune_nom|commune_insee|id)\b", r"dossiers.\1", SEARCH_DOCUMENT)


@dataclass(frozen=True)
class Criteria:
    """What the queue shows: tab, search, filters, sort and page."""

    onglet: str = "a_traiter"
    q: str = ""
    verdict: str = ""
    regle: str = ""
    etat: str = ""
    partenaire: str = ""  # an admin's filter
    tri: str = "depose"
    ordre: str = "asc"
    page: int = 1
    problems: tuple[str, ...] = field(default=())


def criteria(params: Mapping[str, str], user: User, catalogue: Catalogue) -> Criteria:
    """The queue's parameters read; a bad one is left out and named in `problems` (French), never raised."""
    problems: list[str] = []
    found: dict[str, Any] = {}

    def text_of(name: str, limit: int = 40) -> str:
        value = (params.get(name) or "").strip()
        if len(value) > limit or control_problem(value):
            problems.append(f"paramètre « {name} » refusé : au plus {limit} caractères, sans caractère de contrôle")
            return ""
        return value

    onglet = text_of("onglet") or "a_traiter"
    if onglet not in TABS:
        problems.append(f"onglet inconnu : {onglet} (attendu : {', '.join(TABS)})")
    else:
        found["onglet"] = onglet
    found["q"] = text_of("q", MAX_QUERY)
    if (verdict := text_of("verdict")) and verdict not in VERDICT_RANK:
        problems.append(f"verdict inconnu : {verdict} (attendu : {', '.join(VERDICT_RANK)})")
    elif verdict:
        found["verdict"] = verdict
    if regle := text_of("regle").upper():
        if regle in rule_ids(catalogue):
            found["regle"] = regle
        else:
            problems.append(f"règle inconnue : {regle} (un identifiant de règle, par exemple AL-O-10)")
    if (etat := text_of("etat")) and etat not in TRACK_STATES:
        problems.append(f"état de piste inconnu : {etat}")
    elif etat:
        found["etat"] = etat
    partenaire = text_of("partenaire").replace("_", "-")
    if partenaire and (user.role != "admin" or partenaire not in TRACK_PARTNERS):
        problems.append(f"partenaire inconnu : {partenaire} (attendu : {', '.join(TRACK_PARTNERS)})")
    elif partenaire:
        found["partenaire"] = partenaire
    tri = text_of("tri") or "depose"
    if tri not in COLUMNS or (tri == "partenaire" and user.role != "admin"):
        problems.append(f"tri inconnu : {tri}")
    else:
        found["tri"] = tri
    ordre = text_of("ordre") or "asc"
    if ordre not in ("asc", "desc"):
        problems.append("ordre : asc (croissant) ou desc (décroissant)")
    else:
        found["ordre"] = ordre
    page = text_of("page") or "1"
    if not page.isascii() or not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
        problems.append(f"page : un nombre entier de 1 à {MAX_PAGE}")
    else:
        found["page"] = int(page)
    return Criteria(**found, problems=tuple(problems))


def rule_ids(catalogue: Catalogue) -> frozenset[str]:
    return frozenset(rule.id for rs in catalogue.rulesets.values() for rule in rs.rules)


# --- the SQL ------------------------------------------------------------------------------------


def _track_verdict():
    """The worst verdict of the track's rule sets in its dossier's latest report (report_index's rows)."""
    return and_(RapportPiste.dossier_id == Instruction.dossier_id, RapportPiste.partenaire == Instruction.partenaire)


def _days(dialect: str, today: dt.datetime):
    """Days in instruction, as SQL (for the sort): to the decision, or to now while open."""
    end = func.coalesce(Instruction.decided_at, literal(today, Instruction.opened_at.type))
    if dialect == "postgresql":
        return end - Instruction.opened_at
    return func.julianday(end) - func.julianday(Instruction.opened_at)


def _search(dialect: str, q: str):
    """Every word of `q` in the commune's name, its INSEE code or the dossier's id (a word typed with nothing to
    search, « % » alone, finds nothing: it is no wildcard)."""
    if not q.strip():
        return true()
    if dialect == "postgresql":  # prefix matching: « belc » finds Belcastel
        words = SEARCH_WORD.findall(q)
        if not words:
            return false()
        query = " & ".join(f"{w}:*" for w in words)
        return text(f"{QUALIFIED_DOCUMENT} @@ to_tsquery('simple', :recherche)").bindparams(recherche=query)
    conditions = []
    for word in q.split():  # LIKE, its wildcards escaped: a % typed is a %
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (Dossier.commune_nom, Dossier.commune_insee, Dossier.id)
                )
            )
        )
    return and_(*conditions)


def _tab(user: User, onglet: str):
    return {
        "a_traiter": and_(Instruction.state.in_(OPEN), Instruction.assigned_to.is_(None)),
        "suivis": and_(Instruction.state.in_(OPEN), Instruction.assigned_to == user.id),
        "traites": Instruction.state.in_(CLOSED),
        "tous": true(),
    }[onglet]


def _filters(session: Session, user: User, found: Criteria) -> list:
    """Every condition but the tab's: whose tracks, the search, the filters."""
    if user.role == "admin":
        whose = Instruction.partenaire == found.partenaire if found.partenaire else true()
    elif user.role == "instructeur" and user.partenaire in TRACK_PARTNERS:
        whose = Instruction.partenaire == user.partenaire
    else:
        whose = false()
    conditions = [accounts.visible_filter(user), whose, _search(session.get_bind().dialect.name, found.q)]
    if found.etat:
        conditions.append(Instruction.state == found.etat)
    if found.verdict:
        conditions.append(RapportPiste.verdict == found.verdict)
    if found.regle:
        conditions.append(
            exists().where(RapportEcart.report_id == Dossier.latest_report_id, RapportEcart.regle == found.regle)
        )
    return conditions


def _needs_dossier(user: User, found: Criteria, sort: str = "") -> bool:
    """Whether the tracks must be joined to their dossier (not for an admin's plain counts and sorts)."""
    return user.role != "admin" or bool(found.q or found.regle) or sort in _ON_DOSSIER


_ON_DOSSIER = frozenset({"commune", "insee", "maj", "bloquants", "version"})


def counts(session: Session, user: User, catalogue: Catalogue, found: Criteria) -> dict[str, int]:
    """How many tracks each tab holds, with the search and filters applied."""
    tabs = [func.coalesce(func.sum(case((_tab(user, t), 1), else_=0)), 0).label(t) for t in TABS if t != "tous"]
    query = select(*tabs, func.count().label("tous")).select_from(Instruction).where(*_filters(session, user, found))
    if _needs_dossier(user, found):
        query = query.join(Dossier, Dossier.id == Instruction.dossier_id)
    if found.verdict:
        query = query.join(RapportPiste, _track_verdict())
    row = session.execute(query).one()
    return {t: int(getattr(row, t)) for t in TABS}


def rows_query(
    session: Session,
    user: User,
    catalogue: Catalogue,
    found: Criteria,
    today: dt.datetime,
    limit: int | None = None,
    offset: int = 0,
) -> Select:
    """The tab's rows with every column, sorted, `limit` of them from `offset`. In two steps: the tracks sorted and
    cut with only the joins their sort and filters need, then the page's rows joined to the rest (the latest
    report's numbers, the assignee): a page of 50 never joins the 29 000 tracks of an admin to their reports."""
    dialect = session.get_bind().dialect.name
    assignee = aliased(User)
    suivi = func.coalesce(func.nullif(assignee.nom, ""), assignee.login)
    sort = {
        "commune": Dossier.commune_nom,
        "insee": Dossier.commune_insee,
        "dossier": Instruction.dossier_id,
        "partenaire": Instruction.partenaire,
        "etat": case(*((Instruction.state == s, n) for n, s in enumerate(TRACK_STATES))),
        "depose": Instruction.opened_at,
        "jours": _days(dialect, today),
        "suivi": suivi,
        "verdict": case(VERDICT_RANK, value=RapportPiste.verdict),  # from the verdict: a stored rank may be older
        "bloquants": StoredReport.bloquants,
        "version": Version.number,
        "maj": Dossier.updated_at,
    }[found.tri]
    chosen = (
        select(Instruction.id.label("track"), sort.label("cle"), Instruction.dossier_id, Instruction.partenaire)
        .select_from(Instruction)
        .where(*_filters(session, user, found), _tab(user, found.onglet))
    )
    if _needs_dossier(user, found, found.tri):
        chosen = chosen.join(Dossier, Dossier.id == Instruction.dossier_id)
    if found.tri == "verdict" or found.verdict:
        chosen = chosen.outerjoin(RapportPiste, _track_verdict())
    if found.tri in ("bloquants", "version"):
        chosen = chosen.outerjoin(StoredReport, StoredReport.id == Dossier.latest_report_id)
    if found.tri == "version":
        chosen = chosen.outerjoin(Version, Version.id == StoredReport.version_id)
    if found.tri == "suivi":
        chosen = chosen.outerjoin(assignee, assignee.id == Instruction.assigned_to)

    def order(key):
        ordered = key.desc() if found.ordre == "desc" else key.asc()
        return ordered.nulls_last() if found.tri in ("suivi", "verdict", "bloquants", "version") else ordered

    tie = (Instruction.dossier_id.asc(), Instruction.partenaire.asc())
    chosen = chosen.order_by(order(sort), *tie).limit(limit).offset(offset)
    page = chosen.subquery("choisies")
    shown = aliased(User)
    return (
        select(
            Instruction.id.label("track"),
            Instruction.dossier_id,
            Instruction.partenaire,
            Instruction.state,
            Instruction.revision,
            Instruction.opened_at,
            Instruction.decided_at,
            Instruction.assigned_to,
            Dossier.commune_nom,
            Dossier.commune_insee,
            Dossier.updated_at,
            shown.login.label("suivi_login"),
            func.coalesce(func.nullif(shown.nom, ""), shown.login).label("suivi"),
            RapportPiste.verdict.label("verdict"),
            StoredReport.bloquants,
            Version.number.label("version"),
        )
        .select_from(page)
        .join(Instruction, Instruction.id == page.c.track)
        .join(Dossier, Dossier.id == Instruction.dossier_id)
        .outerjoin(RapportPiste, _track_verdict())
        .outerjoin(StoredReport, StoredReport.id == Dossier.latest_report_id)
        .outerjoin(Version, Version.id == StoredReport.version_id)
        .outerjoin(shown, shown.id == Instruction.assigned_to)
        .order_by(order(page.c.cle), page.c.dossier_id.asc(), page.c.partenaire.asc())
    )


@dataclass
class Queue:
    criteria: Criteria
    counts: dict[str, int]
    rows: list[dict[str, Any]]
    total: int
    pages: int


def queue(session: Session, user: User, catalogue: Catalogue, found: Criteria) -> Queue:
    """A page of the queue and the tabs' counts."""
    tabs = counts(session, user, catalogue, found)
    total = tabs[found.onglet]
    pages = max(1, math.ceil(total / PAGE_SIZE))
    found = replace(found, page=min(found.page, pages))
    today = now()
    query = rows_query(session, user, catalogue, found, today, PAGE_SIZE, (found.page - 1) * PAGE_SIZE)
    return Queue(found, tabs, [row_of(r, today) for r in session.execute(query)], total, pages)


def all_rows(session: Session, user: User, catalogue: Catalogue, found: Criteria) -> list[dict[str, Any]]:
    """Every row of the filtered, sorted tab (the exports)."""
    today = now()
    return [row_of(r, today) for r in session.execute(rows_query(session, user, catalogue, found, today))]


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def row_of(row, today: dt.datetime) -> dict[str, Any]:
    opened, decided = _aware(row.opened_at), _aware(row.decided_at)
    return {
        "dossier": row.dossier_id,
        "commune": row.commune_nom,
        "insee": row.commune_insee,
        "partenaire": row.partenaire,
        "etat": row.state,
        "revision": row.revision,
        "depose_le": opened,
        "jours": max(0, ((decided or today) - opened).days),
        "suivi_par": row.suivi_login and {"login": row.suivi_login, "nom": row.suivi},
        "verdict": row.verdict or None,
        "bloquants": row.bloquants,
        "version": row.version or 0,
        "mis_a_jour": _aware(row.updated_at),
    }


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    """A row for the API: dates in ISO 8601, labels beside codes."""
    return {
        **row,
        "etat_libelle": STATE_LABELS[row["etat"]],
        "verdict_libelle": VERDICT_LIBELLES.get(row["verdict"]) if row["verdict"] else None,
        "depose_le": row["depose_le"].isoformat(),
        "mis_a_jour": row["mis_a_jour"].isoformat(),
    }


def params_of(found: Criteria, **changed) -> dict[str, str]:
    """The query string of the queue with `changed` (links of tabs, sorts, pages): defaults left out."""
    values = {
        "onglet": found.onglet,
        "q": found.q,
        "verdict": found.verdict,
        "regle": found.regle,
        "etat": found.etat,
        "partenaire": found.partenaire,
        "tri": found.tri,
        "ordre": found.ordre,
        "page": str(found.page),
    }
    values.update({k: str(v) for k, v in changed.items()})
    defaults = {"onglet": "a_traiter", "tri": "depose", "ordre": "asc", "page": "1"}
    return {k: v for k, v in values.items() if v and defaults.get(k) != v}
