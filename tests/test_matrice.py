"""The visibility matrix: every route of the app (create_app(...).routes, the API and the pages) × every actor
(anonymous, the town of the dossier, a town of another commune, an instructeur of each partner on the dossier's
territory, an instructeur of another territory, an admin) × every target (own or other dossier, its versions,
report files, messages and attached files, notes, drafts), on SQLite and on PostgreSQL, through one real server
on loopback per database. The table is tests/matrice_cases.py: a route missing from it, or an entry whose route no
longer exists, fails. Each cell checks the status, where a redirect goes, that a 404 is the very answer given for
an identifier that does not exist, that refusals are in French, and that no response carries a marker string
(a private note, a message, an attached file, a draft's value) its reader may not see. A state-changing request
refused (401, 403, 404, 409, 422) changes nothing: the database is read again after the refusals.

The count of cells asserted is printed by the last test (`-rA`) and checked against a floor."""

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import SAMPLES
from matrice_cases import ACTORS, ANONYMOUS, MARKERS, READS, ROWS, USERS, Row
from matrice_world import World, plant
from sqlalchemy import func, select
from test_service import PASSWORD, Server, folder_zip

from instruct.service import accounts
from instruct.service.app import create_app
from instruct.service.storage import Base

GUESSED = "0" * 24  # an identifier nothing has
GUESS = {"DxM": {"message_id": "999999999"}}
MIN_CELLS = 800  # the floor of the count of cells asserted on each database
COUNTS: dict[str, int] = {}  # database -> cells asserted


@pytest.fixture(scope="module")
def world(database_url):
    app = create_app(database_url)
    with app.state.sessions() as session:
        for login, (role, extra) in USERS.items():
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        w = World(app, base, "postgresql" if database_url.startswith("postgresql") else "sqlite")
        w.tokens = {login: w.open_session(login) for login in USERS}  # the login itself: a row of the table
        plant(w)
        yield w
        for c in w.clients.values():
            c.close()


# --- the requests ---------------------------------------------------------------------------------------------


def _zip_of(target: str) -> dict:
    folder = SAMPLES / ("montclair" if target == "M" else "villebelle")
    return {"files": {"archive": ("d.zip", folder_zip(folder), "application/zip")}, "data": {"date": "2026-11-26"}}


BODIES = {  # a row's `send` -> (actor, target, api) -> the request's keyword arguments
    "": lambda actor, target, api: {},
    "empty": lambda actor, target, api: {"json": {}} if api else {},
    "login": lambda actor, target, api: {
        "json": {"identifiant": "inconnu" if actor in ANONYMOUS else actor, "mot_de_passe": PASSWORD}
    },
    "zip": lambda actor, target, api: _zip_of(target),
    "a_completer": lambda actor, target, api: (
        {"json": {"vers": "a_completer"}} if api else {"data": {"vers": "a_completer"}}
    ),
    "note": lambda actor, target, api: (
        {"json": {"texte": f"Note de la matrice ({actor})", "privee": False}}
        if api
        else {"data": {"texte": f"Note de la matrice ({actor})"}}
    ),
    "message": lambda actor, target, api: {"data": {"texte": f"Message de la matrice ({actor})"}},
    "draft": lambda actor, target, api: {"json": {"valeurs": {}}} if api else {"data": {"depart": "vide"}},
    "stale": lambda actor, target, api: (
        {"json": {"revision": 999, "valeurs": {}}} if api else {"data": {"revision": "999"}}
    ),
}


def _is_api(row: Row) -> bool:
    return row.route.startswith("/api")


def _request(w: World, row: Row, target: str, actor: str, params: dict[str, str]) -> httpx.Response:
    api = _is_api(row)
    c = w.client(actor, api, fresh=row.fresh)
    kwargs = BODIES[row.send](actor, target, api)
    if not api and row.method != "GET":  # every form carries its CSRF token
        kwargs["data"] = {**kwargs.get("data", {}), "csrf": w.csrf(c)}
    return c.request(row.method, (row.url or row.route).format(**params), **kwargs)


def _guessed(target: str, params: dict[str, str]) -> dict[str, str]:
    """The same request with identifiers nothing has: the dossier's or draft's; for DxM, the message's (D is
    seen: the answer must be the one of a message D does not have)."""
    guessed = GUESS.get(target, {"dossier_id": GUESSED, "draft_id": GUESSED})
    return {k: guessed.get(k, v) for k, v in params.items()}


# --- the checks -----------------------------------------------------------------------------------------------

ENGLISH = re.compile(rb"Not Found|Forbidden|Unauthorized|Method Not Allowed|Internal Server Error|\"detail\"")


def _check(w: World, row: Row, target: str, actor: str, expected: int, r: httpx.Response) -> list[str]:
    where = f"{row.method} {row.route} [{target}] {actor}"
    problems = []
    if r.status_code != expected:
        problems.append(f"{where} : attendu {expected}, obtenu {r.status_code} {r.text[:160]!r}")
    elif expected == 303 and row.location:
        if not r.headers.get("location", "").startswith(row.location):
            problems.append(f"{where} : renvoi vers {r.headers.get('location')}, attendu {row.location}")
    elif expected == 303:
        location = r.headers.get("location", "")
        to_login = location.startswith("/connexion")
        if actor in ANONYMOUS and not row.public and not to_login:
            problems.append(f"{where} : un anonyme renvoyé ailleurs qu'à la connexion ({location})")
        if actor not in ANONYMOUS and to_login:
            problems.append(f"{where} : une session ouverte renvoyée à la connexion ({location})")
    if expected >= 400 and r.status_code == expected:
        if "json" in r.headers.get("content-type", ""):
            if not (isinstance(r.json(), dict) and isinstance(r.json().get("erreur"), str)):
                problems.append(f"{where} : erreur sans « erreur » en français : {r.text[:160]!r}")
        elif 'lang="fr"' not in r.text:
            problems.append(f"{where} : page d'erreur sans lang=fr : {r.text[:160]!r}")
        if ENGLISH.search(r.content):
            problems.append(f"{where} : réponse en anglais : {r.text[:160]!r}")
    for marker, readers in MARKERS.items():
        if actor not in readers and marker.encode() in r.content:
            problems.append(f"{where} : FUITE de « {marker} » (réservé à {', '.join(sorted(readers))})")
    return problems


def _same_as_guessed(w: World, row: Row, target: str, actor: str, r: httpx.Response) -> list[str]:
    """A 404 is the very answer for an identifier that does not exist (nothing tells one that exists)."""
    params = w.targets[target]
    if _guessed(target, params) == params:
        return []
    guessed = _request(w, row, target, actor, _guessed(target, params))
    if guessed.status_code != 404 or guessed.content != r.content:
        return [f"{row.method} {row.route} [{target}] {actor} : le 404 diffère de celui d'un identifiant inexistant"]
    return []


def _listed(w: World, row: Row, actor: str, r: httpx.Response) -> list[str]:
    if actor not in row.lists:
        return []
    expected = set(row.lists[actor].split())
    shown = {name for name, ident in w.ids.items() if ident in r.text}
    if shown != expected:
        return [f"{row.method} {row.route} {actor} : liste {sorted(shown)}, attendu {sorted(expected)}"]
    return []


def _codes(row: Row, target: str) -> dict[str, int]:
    codes = row.expect[target].split()
    assert len(codes) == len(ACTORS), f"{row.method} {row.route} [{target}] : {len(codes)} codes"
    return dict(zip(ACTORS, map(int, codes), strict=True))


def _cell(w: World, row: Row, target: str, actor: str, expected: int) -> None:
    r = _request(w, row, target, actor, w.targets[target])
    found = _check(w, row, target, actor, expected, r)
    if expected == 404 and r.status_code == 404:
        found += _same_as_guessed(w, row, target, actor, r)
    if r.status_code == expected:
        found += _listed(w, row, actor, r)
    with w.lock:
        w.failures += found
        w.cells += 1


def _cells(w: World, cells: list[tuple[Row, str, str, int]]) -> None:
    """Cells that change nothing, four at a time (the server's threads; reports are rendered in its workers)."""
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda cell: _cell(w, *cell), cells))


def _refused(row: Row, actor: str, code: int) -> bool:
    return code >= 400 or (actor in ANONYMOUS and not row.public)


# --- state: nothing changes on a refusal -------------------------------------------------------------------------

UNWATCHED = {"tokens", "login_attempts"}  # sessions opened and closed by the rows themselves


def fingerprint(w: World) -> dict[str, str]:
    """Every table's rows (a digest), but the sessions' and the login attempts'; the blobs by count."""
    found = {}
    with w.app.state.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in UNWATCHED:
                continue
            if table.name == "blobs":
                found[table.name] = str(connection.scalar(select(func.count()).select_from(table)))
                continue
            rows = sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            found[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return found


# --- the tests ----------------------------------------------------------------------------------------------------


def _declared(app) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves (HEAD aside; a mount as GET)."""
    try:  # FastAPI ≥ 0.130 keeps included routers whole: iter_route_contexts flattens them
        from fastapi.routing import iter_route_contexts

        routes = list(iter_route_contexts(app.routes))
    except ImportError:
        routes = app.routes
    return {(m, r.path) for r in routes for m in (r.methods or {"GET"}) if m != "HEAD"}


def test_every_route_is_in_the_table_and_every_entry_is_a_route(world):
    declared = _declared(world.app)
    table = [(row.method, row.route) for row in ROWS]
    assert len(table) == len(set(table)), "une route figure deux fois dans la table"
    missing = sorted(declared - set(table))
    gone = sorted(set(table) - declared)
    assert not missing, f"routes absentes de la matrice (tests/matrice_cases.py) : {missing}"
    assert not gone, f"entrées de la matrice sans route : {gone}"


def test_reads(world):
    """Every GET route, every actor, every target."""
    before = fingerprint(world)
    _cells(
        world, [(row, t, actor, code) for row in READS for t in row.expect for actor, code in _codes(row, t).items()]
    )
    world.failures += [f"lecture : la table {t} a changé" for t, v in fingerprint(world).items() if before[t] != v]
    failures, world.failures = world.failures, []
    assert not failures, f"{len(failures)} cellule(s) en défaut :\n" + "\n".join(failures)


def test_changes(world):
    """Every state-changing route: the refusals first (nothing changes), then the actors allowed."""
    for row in [r for r in ROWS if r.method != "GET"]:
        for target in row.expect:
            codes = _codes(row, target)
            before = fingerprint(world)
            _cells(world, [(row, target, actor, code) for actor, code in codes.items() if _refused(row, actor, code)])
            changed = [t for t, v in fingerprint(world).items() if before[t] != v]
            if changed:
                world.failures.append(f"{row.method} {row.route} [{target}] : refusé mais changé : {changed}")
            for actor, code in codes.items():
                if not _refused(row, actor, code):
                    _cell(world, row, target, actor, code)
    failures, world.failures = world.failures, []
    assert not failures, f"{len(failures)} cellule(s) en défaut :\n" + "\n".join(failures)


def test_count_of_cells(world):
    """The count the lead quotes: cells (route × target × actor) asserted, each response scanned for the markers."""
    COUNTS[world.db] = world.cells
    print(
        f"\nmatrice de visibilité ({world.db}) : {len(ROWS)} routes × {len(ACTORS)} acteurs, {world.cells} cellules "
        f"vérifiées (statut, renvoi, 404 identique, français, {len(MARKERS)} marqueurs cherchés dans chaque réponse)"
    )
    assert world.cells >= MIN_CELLS, f"{world.cells} cellules seulement"
