"""The visibility matrix: every route of the app (create_app(...).routes, the API and the pages) × every actor
(anonymous, the town of the dossier, a town of another commune, an instructeur of each partner on the dossier's
territory — with a track of their partner and without one —, an instructeur of another territory, an admin, the
expert holding this dossier's avis link and the one holding another dossier's) × every target (own or other
dossier, its versions, report files, messages and attached files, notes, tracks, avis and their files, drafts, the
queue and its exports), on PostgreSQL (SQLite too: make test-bases), through one real server on loopback per database.

The table is tests/matrice_cases.py, the planted world tests/matrice_world.py: a route missing from the table, or an
entry whose route no longer exists, fails. Each cell checks the status, where a redirect goes, that a 404 is the
very answer given for an identifier that does not exist, that refusals are in French, what a list shows, and that
no response (read inside ZIP, DOCX and XLSX files too) carries a marker string — a private note, a message, an
attached file, an avis, a draft's value, a commune's name — its reader may not see. A state-changing request refused
(401, 403, 404, 409, 422) changes nothing: the database is read again after the refusals.

The count of cells asserted is printed by the last test (`-rA`) and checked against a floor."""

import hashlib
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import SAMPLES
from matrice_cases import ACTORS, ANONYMOUS, MARKERS, READS, ROWS, USERS, Row
from matrice_world import World, ask_avis, plant
from sqlalchemy import func, select
from test_service import PASSWORD, Server, folder_zip

from instruct.service import accounts, avis
from instruct.service.app import create_app
from instruct.service.storage import Base

GUESSED = "0" * 24  # an identifier nothing has
NO_LINK, OTHER_NO_LINK = "A" * 43, "B" * 43  # avis links that lead nowhere
NOTHING = "999999999"  # a message or avis number nothing has
GUESS = {  # a target inside a dossier the actor may see: what stands for it when it does not exist
    "DxM": {"message_id": NOTHING},
    "DxE": {"lettre": f"{NOTHING}.pdf"},
    "DxAM": {"avis_id": NOTHING},
    "AC": {"avis_id": NOTHING},
    "AO": {"avis_id": NOTHING},
    "AU": {"avis_id": NOTHING},
    "D/anah": "D/al",  # a track D does not have
    "E/al": "D/al",
    "D/al": "D/al",  # it is that track
}
MIN_CELLS = 1600  # the floor of the count of cells asserted on each database
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


def _zip_of(target: str, actor: str) -> dict:
    """A town's own dossier as a ZIP (Villebelle's for everyone else): M's, or Montclair's new one."""
    folder = SAMPLES / ("montclair" if target == "M" or actor == "montclair" else "villebelle")
    return {"files": {"archive": ("d.zip", folder_zip(folder), "application/zip")}, "data": {"date": "2026-11-26"}}


BODIES = {  # a row's `send` -> the request's keyword arguments, from (actor, target, api, params)
    "": lambda **_: {},
    "empty": lambda api, **_: {"json": {}} if api else {},
    "login": lambda actor, **_: {
        "json": {"identifiant": "inconnu" if actor in ANONYMOUS else actor, "mot_de_passe": PASSWORD}
    },
    "zip": lambda target, actor, **_: _zip_of(target, actor),
    "a_completer": lambda api, params, actor, **_: _move(api, params, actor, {"vers": "a_completer"}),
    "confirmed": lambda api, params, actor, **_: _move(
        api, params, actor, {"vers": "a_completer", "choix": "confirmer"}
    ),
    "stale_suivi": lambda api, **_: (
        {"json": {"instructeur": None, "revision": 999}} if api else {"data": {"revision": "999"}}
    ),
    "immeuble": lambda **_: {"json": {"decisions": [{"immeuble": "IMM-99", "decision": "accepte"}]}},
    "note": lambda api, actor, **_: (
        {"json": {"texte": f"Note de la matrice ({actor})", "privee": False}}
        if api
        else {"data": {"texte": f"Note de la matrice ({actor})"}}
    ),
    "message": lambda actor, **_: {"data": {"texte": f"Message de la matrice ({actor})"}},
    "draft": lambda api, **_: {"json": {"valeurs": {}}} if api else {"data": {"depart": "vide"}},
    "stale": lambda api, **_: {"json": {"revision": 999, "valeurs": {}}} if api else {"data": {"revision": "999"}},
    "avis": lambda api, actor, **_: {"json": _avis_body(actor, False)} if api else {"data": _avis_body(actor, "")},
    "answer": lambda actor, params, **_: {  # the expert's form: its CSRF value derived from the link
        "data": {"csrf": avis.csrf_token(params["token"]), "revision": "0", "reponse": f"Avis de la matrice ({actor})"}
    },
}


def _move(api: bool, params: dict[str, str], actor: str, values: dict[str, str]) -> dict:
    """A move; through the API, on the track the target names (`partenaire`). A town deposits (its own move: D is
    deposited already, M has blocking gaps not confirmed)."""
    if USERS.get(actor, ("",))[0] == "collectivite":
        values = {**values, "vers": "depose"}
    if not api:
        return {"data": values}
    return {"json": values | ({"partenaire": params["partenaire"]} if "partenaire" in params else {})}


def _avis_body(actor: str, confidentiel: object) -> dict:
    question = f"Question de la matrice ({actor})"
    return {"expert_nom": "Expert", "expert_courriel": "matrice@experts.example.fr", "question": question} | (
        {"confidentiel": confidentiel} if confidentiel != "" else {}
    )


def _throwaway_avis(w: World, params: dict[str, str]) -> dict[str, str]:
    """An unanswered avis of Action Logement on D, for an actor allowed to cancel one."""
    number, _ = ask_avis(w, "al99", params["dossier_id"], "À annuler", False, "jetable@experts.example.fr")
    return {**params, "avis_id": str(number)}


THROWAWAYS = {"avis": _throwaway_avis}


def _is_api(row: Row) -> bool:
    return row.route.startswith("/api")


def _params(w: World, row: Row, target: str, actor: str) -> dict[str, str]:
    """The target's parameters; an avis link is the actor's own (an expert's), or one that leads nowhere."""
    params = w.targets[target]
    if "{token}" in row.route:
        params = {**params, "token": w.links.get(actor, NO_LINK)}
    if row.throwaway and not _refused(row, actor, _codes(row, target)[actor]):
        params = THROWAWAYS[row.throwaway](w, params)
    return params


def _request(w: World, row: Row, target: str, actor: str, params: dict[str, str]) -> httpx.Response:
    api = _is_api(row)
    c = w.client(actor, api, fresh=row.fresh)
    kwargs = BODIES[row.send](actor=actor, target=target, api=api, params=params)
    if not api and row.method != "GET":  # every form carries its CSRF token (the expert's form, its own)
        kwargs["data"] = {"csrf": w.csrf(c), **kwargs.get("data", {})}
    return c.request(row.method, (row.url or row.route).format(**params), **kwargs)


def _guesses(w: World, target: str, params: dict[str, str]) -> list[dict[str, str]]:
    """The same request with identifiers nothing has: the dossier's, draft's or link's; and for a target inside a
    dossier the actor may see (a message, an avis, a track), one that does not exist there."""
    outer = {"dossier_id": GUESSED, "draft_id": GUESSED, "token": OTHER_NO_LINK}
    found = [{k: outer.get(k, v) for k, v in params.items()}]
    inner = GUESS.get(target)
    if isinstance(inner, str):
        found.append({**params, **w.targets[inner]})
    elif inner:
        found.append({**params, **inner})
    return [g for g in found if g != params or inner == target]


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
    text = readable(r)
    for marker, readers in MARKERS.items():
        if actor not in readers and marker in text:
            problems.append(f"{where} : FUITE de « {marker} » (réservé à {', '.join(sorted(readers))})")
    return problems


def _same_as_guessed(w: World, row: Row, target: str, actor: str, params, r: httpx.Response) -> list[str]:
    """A 404 is the very answer for an identifier that does not exist (nothing tells one that exists): the
    answer to one of the guesses, each an identifier nothing has in place of the target's."""
    guesses = _guesses(w, target, params)
    for guessed in guesses:
        answer = _request(w, row, target, actor, guessed)
        if answer.status_code == 404 and _unechoed(answer, guessed) == _unechoed(r, params):
            with w.lock:
                w.compared += 1
            return []
    if guesses:
        return [f"{row.method} {row.route} [{target}] {actor} : le 404 diffère de celui d'un identifiant inexistant"]
    return []


def _unechoed(r: httpx.Response, params: dict[str, str]) -> bytes:
    """A body with the partner's name it echoes (from the address) put aside: what the answer tells besides."""
    return r.content.replace(params.get("partenaire", "\0").encode(), b"<partenaire>")


def readable(r: httpx.Response) -> str:
    """What a reader gets of a response: its text, or the text of every file of a ZIP (DOCX, XLSX, dossier.zip)."""
    if r.content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return r.content.decode("utf-8", "replace")


def _listed(w: World, row: Row, target: str, actor: str, r: httpx.Response) -> list[str]:
    """A list shows what the actor may see (the targets named by the row), and the queue only their partner's."""
    lists = row.lists_of.get(target, row.lists)
    if actor not in lists:
        return []
    expected, text = set(lists[actor].split()), readable(r)
    shown = {name for name, ident in w.ids.items() if ident in text}
    found = (
        []
        if shown == expected
        else [f"{row.method} {row.route} [{target}] {actor} : liste {sorted(shown)}, attendu {expected}"]
    )
    partner = USERS[actor][1].get("partenaire")
    if partner and "json" in r.headers.get("content-type", "") and "pistes" in r.json():
        others = {p["partenaire"] for p in r.json()["pistes"]} - {partner}
        found += [f"{row.method} {row.route} {actor} : pistes d'un autre partenaire {others}"] if others else []
    return found


def _codes(row: Row, target: str) -> dict[str, int]:
    codes = row.expect[target].split()
    assert len(codes) == len(ACTORS), f"{row.method} {row.route} [{target}] : {len(codes)} codes"
    return dict(zip(ACTORS, map(int, codes), strict=True))


def _cell(w: World, row: Row, target: str, actor: str, expected: int) -> None:
    params = _params(w, row, target, actor)
    r = _request(w, row, target, actor, params)
    found = _check(w, row, target, actor, expected, r)
    if expected == 404 and r.status_code == 404:
        found += _same_as_guessed(w, row, target, actor, params, r)
    if r.status_code == expected and r.is_success:
        found += _listed(w, row, target, actor, r)
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
WRITTEN_ONCE = {"blobs", "reports", "version_files", "rapport_verdicts", "rapport_ecarts", "rapport_pistes"}


def fingerprint(w: World) -> dict[str, str]:
    """Every table's rows (a digest), but the sessions' and the login attempts'; the rows written once and never
    changed (files, reports and their index) by count."""
    found = {}
    with w.app.state.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in UNWATCHED:
                continue
            if table.name in WRITTEN_ONCE:
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
            refused = [(row, target, actor, code) for actor, code in codes.items() if _refused(row, actor, code)]
            _cells(world, refused)
            world.unchanged += len(refused)
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
        f"vérifiées (statut, renvoi, erreurs en français, {len(MARKERS)} marqueurs cherchés dans chaque réponse), "
        f"dont {world.compared} 404 identiques à celui d'un identifiant inexistant et {world.unchanged} refus de "
        "modification sans rien changer en base"
    )
    assert world.cells >= MIN_CELLS, f"{world.cells} cellules seulement"
