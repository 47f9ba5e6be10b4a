"""The instructeurs' queue (« file d'instruction »), written once for its page, its JSON API and its exports: one row
per instruction track the user instructs (an instructeur: their partner's tracks on the dossiers of their territory;
an admin: every track), in tabs (à traiter, suivis, traités, tous) with their counts, sorted by any column with the
dossier id as tie-break, searched (PostgreSQL full-text on the GIN index of migration 0008, LIKE on SQLite) and
filtered by verdict, rule id and state, 50 rows a page.

One SQL query per page and one for the tab counts: the latest report of a dossier, the worst verdict of the track's
partner's rule sets in it (`rapport_verdicts`) and its gaps (`rapport_ecarts`) are correlated subqueries, which
PostgreSQL evaluates after the sort and the LIMIT when the sort does not need them."""

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
    TRACK_OF_RULESET_PARTNER,
    TRACK_PARTNERS,
    TRACK_STATES,
    Instruction,
    RapportEcart,
    RapportVerdict,
)
from instruct.service.storage import Dossier, StoredReport, User, Version, now
from instruct.vocabulary import VERDICT_LIBELLES, EtatDossier

PAGE_SIZE = 50
MAX_QUERY = 100  # characters of a search
MAX_PAGE = 100_000
OPEN = ("depose", "en_instruction", "a_completer")
CLOSED = (*DECIDED, "retire")
TABS = {"a_traiter": "À traiter", "suivis": "Suivis", "traites": "Traités", "tous": "Tous"}
STATE_LABELS = {s: EtatDossier(s).libelle for s in TRACK_STATES}
VERDICT_RANK = {"recevable": 1, "incomplet": 2, "non_recevable": 3}  # the worst of a partner's rule sets wins
VERDICT_OF_RANK = {rank: verdict for verdict, rank in VERDICT_RANK.items()}
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


def partner_codes(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """The rule set codes each track reads (the DDT: programme, ORT, coherence)."""
    codes: dict[str, list[str]] = {p: [] for p in TRACK_PARTNERS}
    for rs in catalogue.rulesets.values():
        track = TRACK_OF_RULESET_PARTNER.get(rs.partenaire)
        if track:
            codes[track].append(rs.code)
    return {p: tuple(sorted(c)) for p, c in codes.items()}


# --- the SQL ------------------------------------------------------------------------------------


def _latest_report():
    """The id of the latest report of the dossier's latest version (correlated to `dossiers`, explicitly: two
    levels up)."""
    v, r = aliased(Version), aliased(StoredReport)
    version = (
        select(v.id).where(v.dossier_id == Dossier.id).order_by(v.number.desc()).limit(1).correlate(Dossier)
    ).scalar_subquery()
    return select(r.id).where(r.version_id == version).order_by(r.id.desc()).limit(1).scalar_subquery()


def _worst_rank(catalogue: Catalogue):
    """The rank (VERDICT_RANK) of the worst verdict of the track's partner's rule sets in the latest report."""
    rank = case(*((RapportVerdict.verdict == v, n) for v, n in VERDICT_RANK.items()), else_=0)
    mine = or_(
        *(
            and_(Instruction.partenaire == p, RapportVerdict.jeu.in_(c))
            for p, c in partner_codes(catalogue).items()
            if c
        )
    )
    query = select(func.max(rank)).where(RapportVerdict.report_id == _latest_report(), mine)
    return query.correlate(Instruction).scalar_subquery()


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


def _filters(session: Session, user: User, catalogue: Catalogue, found: Criteria) -> list:
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
        conditions.append(_worst_rank(catalogue) == VERDICT_RANK[found.verdict])
    if found.regle:
        conditions.append(exists().where(RapportEcart.report_id == _latest_report(), RapportEcart.regle == found.regle))
    return conditions


def counts(session: Session, user: User, catalogue: Catalogue, found: Criteria) -> dict[str, int]:
    """How many tracks each tab holds, with the search and filters applied."""
    tabs = [func.coalesce(func.sum(case((_tab(user, t), 1), else_=0)), 0).label(t) for t in TABS if t != "tous"]
    row = session.execute(
        select(*tabs, func.count().label("tous"))
        .select_from(Instruction)
        .join(Dossier, Dossier.id == Instruction.dossier_id)
        .where(*_filters(session, user, catalogue, found))
    ).one()
    return {t: int(getattr(row, t)) for t in TABS}


def rows_query(session: Session, user: User, catalogue: Catalogue, found: Criteria, today: dt.datetime) -> Select:
    """The tab's rows with every column, sorted (the page or the export adds LIMIT)."""
    dialect = session.get_bind().dialect.name
    assignee = aliased(User)
    report = aliased(StoredReport)
    latest_version = (
        select(func.max(Version.number)).where(Version.dossier_id == Dossier.id).scalar_subquery().label("version")
    )
    bloquants = select(report.bloquants).where(report.id == _latest_report()).scalar_subquery().label("bloquants")
    worst = _worst_rank(catalogue).label("verdict")
    suivi = func.coalesce(func.nullif(assignee.nom, ""), assignee.login).label("suivi")
    sort = {
        "commune": Dossier.commune_nom,
        "insee": Dossier.commune_insee,
        "dossier": Dossier.id,
        "partenaire": Instruction.partenaire,
        "etat": case(*((Instruction.state == s, n) for n, s in enumerate(TRACK_STATES))),
        "depose": Instruction.opened_at,
        "jours": _days(dialect, today),
        "suivi": suivi,
        "verdict": worst,
        "bloquants": bloquants,
        "version": latest_version,
        "maj": Dossier.updated_at,
    }[found.tri]
    key = sort.desc() if found.ordre == "desc" else sort.asc()
    if found.tri in ("suivi", "verdict", "bloquants", "version"):  # no value: always last
        key = key.nulls_last()
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
            assignee.login.label("suivi_login"),
            suivi,
            worst,
            bloquants,
            latest_version,
        )
        .select_from(Instruction)
        .join(Dossier, Dossier.id == Instruction.dossier_id)
        .outerjoin(assignee, assignee.id == Instruction.assigned_to)
        .where(*_filters(session, user, catalogue, found), _tab(user, found.onglet))
        .order_by(key, Dossier.id.asc(), Instruction.partenaire.asc())
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
    query = rows_query(session, user, catalogue, found, today).limit(PAGE_SIZE).offset((found.page - 1) * PAGE_SIZE)
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
        "verdict": VERDICT_OF_RANK.get(row.verdict or 0),
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
