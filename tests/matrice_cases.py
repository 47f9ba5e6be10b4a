"""The visibility matrix's table (tests/test_matrice.py runs it): every route of the app, each with the answer
expected for every actor on every target, and the marker strings each actor may read.

Actors (the columns of every row, in this order):
  anonyme      no session;
  villebelle   the town of dossier D (commune 99101) and of draft BV;
  montclair    a town of another commune (99102), owner of dossier M (still a brouillon) and of draft BM;
  al99, anah99, anru99, ddt99   an instructeur of each partner, on the territory of D (dep:99);
  ddt01        an instructeur of another territory;
  admin;
  expert_d, expert_m   an expert holding the link of an avis on D, on M (no account: anonymous everywhere else).
Targets (what a row's path parameters point at):
  D      Villebelle's deposited dossier, version 1, a message with an attached file;
  M      Montclair's dossier, not deposited;
  DxM    D's address with M's message and file;
  BV, BM the form drafts of each town;
  AC, AO, AU   avis on D: the DDT's, confidential, answered; the Anah's, open, answered; Action Logement's, waiting;
  DxAM   D's address with M's avis; Dfichier, Dyaml   a file only D has, one M has too (the experts' links);
  D/anah, D/al, E/al   a track: D has the Anah's, the ANRU's and the DDT's, not Action Logement's; E (Belcastel's
         deposited dossier, no actor's town) has all four, and immeubles;
  liste, csv, xlsx, recherche, filtre-ddt   the queue (page or JSON), its exports, searched, a partner's filter;
  "-"    a route without parameters.
A cell's code is the HTTP status expected: 401 (API) or a 303 to /connexion (pages) for the anonymous, 403 for a
role that may not, 404 — the same body as for an identifier that does not exist — for what must not be seen,
409/422 where the request passed every check of who may act and was refused on its content (nothing changed),
2xx/303 where the actor may.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTORS = ("anonyme", "villebelle", "montclair", "al99", "anah99", "anru99", "ddt99", "ddt01", "admin")
ACTORS += ("expert_d", "expert_m")
ANONYMOUS = {"anonyme", "expert_d", "expert_m"}  # no session: an expert holds a link to one avis, nothing else
USERS = {  # login -> role, account fields
    "villebelle": ("collectivite", {"commune_insee": "99101"}),
    "montclair": ("collectivite", {"commune_insee": "99102"}),
    "al99": ("instructeur", {"partenaire": "action-logement", "territoire": "dep:99"}),
    "anah99": ("instructeur", {"partenaire": "anah", "territoire": "dep:99"}),
    "anru99": ("instructeur", {"partenaire": "anru", "territoire": "dep:99"}),
    "ddt99": ("instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
    "ddt01": ("instructeur", {"partenaire": "ddt", "territoire": "dep:01"}),
    "admin": ("admin", {}),
    "belcastel": ("collectivite", {"commune_insee": "99104"}),  # not an actor: deposits E (its six immeubles)
}
INSTRUCTEURS_99 = {"al99", "anah99", "anru99", "ddt99"}
SEES_D = {"villebelle", "admin"} | INSTRUCTEURS_99
SEES_M = {"montclair", "admin"}

# Unique strings planted on the targets (tests/matrice_world.py), and who may read each (anywhere: pages, JSON,
# files downloaded, inside ZIP, DOCX and XLSX files).
MARKERS = {
    "Marqueur-note-privee-AL-51c7": {"al99", "admin"},  # private note of Action Logement's instructeur on D
    "Marqueur-note-privee-ANAH-51c7": {"anah99", "admin"},
    "Marqueur-note-privee-ANRU-51c7": {"anru99", "admin"},
    "Marqueur-note-privee-DDT-51c7": {"ddt99", "admin"},
    "Marqueur-note-privee-ADMIN-51c7": {"admin"},  # an admin's private note: admins only
    "Marqueur-note-publique-51c7": SEES_D,
    "Marqueur-message-D-51c7": SEES_D,  # the town's message on D, and its attached file's content
    "Marqueur-piece-D-51c7": SEES_D,
    "Marqueur-message-M-51c7": SEES_M,
    "Marqueur-piece-M-51c7": SEES_M,
    "Marqueur-brouillon-V-51c7": {"villebelle"},  # a value typed in each town's draft
    "Marqueur-brouillon-M-51c7": {"montclair"},
}
MARKERS |= {  # the avis of tests/matrice_world.py: question, answer and its attached file
    f"Marqueur-avis-{what}-{key}-51c7": readers
    for key, readers in {
        "AC": {"ddt99", "admin", "expert_d"},  # confidential: the requester's partner, the admins, its expert
        "AO": INSTRUCTEURS_99 | {"admin"},  # not confidential: every instructeur who sees D, never the town
        "AU": INSTRUCTEURS_99 | {"admin"},
        "AM": {"admin", "expert_m"},
    }.items()
    for what in ("question", "reponse", "piece")
}
MARKERS |= {  # the communes' names: who sees the dossier, and the expert of its avis (its page, its files)
    "Villebelle": SEES_D | {"expert_d"},
    "Montclair-sur-Lys": SEES_M | {"expert_m"},
    "Belcastel-sur-Orne": INSTRUCTEURS_99 | {"admin"},
}


@dataclass(frozen=True)
class Row:
    """One route: `expect` maps a target to the codes of the actors (a string, in ACTORS' order). `url`: the
    request's path when it differs from the route's (a query, a fixed value); `send`: the body's builder (see
    test_matrice.BODIES); `public`: a route anyone reaches (its redirects need not go to the login page);
    `fresh`: each actor acts with a session of its own, opened for this row (logging out)."""

    method: str
    route: str
    expect: dict[str, str]
    url: str = ""
    send: str = ""
    public: bool = False
    fresh: bool = False
    location: str = ""  # where every 303 of the row goes (the start of it), when not the default rule
    throwaway: str = ""  # an object made for each actor allowed (test_matrice.THROWAWAYS): cancelling an avis
    lists: dict[str, str] = field(default_factory=dict)  # actor -> the targets listed (list rows)
    lists_of: dict[str, dict[str, str]] = field(default_factory=dict)  # a target's own `lists`


#                      anonyme ville montclair al anah anru ddt ddt01 admin expert_d expert_m
READ_D_API = "401 200 404 200 200 200 200 404 200 401 401"
READ_M_API = "401 404 200 404 404 404 404 404 200 401 401"
READ_D_PAGE = "303 200 404 200 200 200 200 404 200 303 303"
READ_M_PAGE = "303 404 200 404 404 404 404 404 200 303 303"
NOBODY_API = "401 404 404 404 404 404 404 404 404 401 401"
NOBODY_PAGE = "303 404 404 404 404 404 404 404 404 303 303"
EVERYONE = "200 200 200 200 200 200 200 200 200 200 200"
LOGGED_IN_API = "401 200 200 200 200 200 200 200 200 401 401"
LOGGED_IN_PAGE = "303 200 200 200 200 200 200 200 200 303 303"
TRACK_E_AL_API = "401 404 404 409 403 403 403 404 409 401 401"
TRACK_D_ANAH_PAGE = "303 403 404 403 409 403 403 404 409 303 303"
TRACK_D_AL_PAGE = "303 403 404 409 403 403 403 404 409 303 303"
TRACK_E_AL_PAGE = "303 404 404 409 403 403 403 404 409 303 303"
# the dossiers of the tracks each instructeur instructs (and only their partner's: test_matrice), in the queue; then
# the queue searched for Villebelle (its INSEE): D, where one instructs a track of it
LISTS_QUEUE = {"al99": "E", "anah99": "D E", "anru99": "D E", "ddt99": "D E", "ddt01": "", "admin": "D E"}
LISTS_SEARCH = {"al99": "", "anah99": "D", "anru99": "D", "ddt99": "D", "ddt01": "", "admin": "D"}
DRAFT_V_API = "401 200 404 403 403 403 403 403 403 401 401"
DRAFT_M_API = "401 404 200 403 403 403 403 403 403 401 401"
DRAFT_V_PAGE = "303 200 404 403 403 403 403 403 403 303 303"
DRAFT_M_PAGE = "303 404 200 403 403 403 403 403 403 303 303"
STALE_V = "303 409 404 403 403 403 403 403 403 303 303"
STALE_M = "303 404 409 403 403 403 403 403 403 303 303"
LISTS_DOSSIERS = {"villebelle": "D", "montclair": "M", "ddt01": "", "admin": "D M E"}
LISTS_DOSSIERS |= dict.fromkeys(INSTRUCTEURS_99, "D E")

READS = [
    # --- the JSON API ------------------------------------------------------------------------------------------
    Row("GET", "/api/moi", {"-": LOGGED_IN_API}),
    Row("GET", "/api/dossiers", {"-": LOGGED_IN_API}, lists=LISTS_DOSSIERS),
    Row("GET", "/api/dossiers/{dossier_id}", {"D": READ_D_API, "M": READ_M_API}),
    Row(
        "GET",
        "/api/dossiers/{dossier_id}/versions/{numero}/rapport",
        {"D": READ_D_API, "M": READ_M_API},
        url="/api/dossiers/{dossier_id}/versions/{numero}/rapport?format=json",
    ),
    Row(
        "GET",
        "/api/dossiers/{dossier_id}/comparaison",
        {"D": READ_D_API, "M": READ_M_API},
        url="/api/dossiers/{dossier_id}/comparaison?de=1&a=1",
    ),
    Row(
        "GET",
        "/api/dossiers/{dossier_id}/ort-commerce",
        {"D": "401 422 404 422 422 422 422 404 422 401 401", "M": "401 404 422 404 404 404 404 404 422 401 401"},
        url="/api/dossiers/{dossier_id}/ort-commerce?point=ailleurs&surface=3000",  # 422 once seen: no evaluation
    ),
    Row("GET", "/api/dossiers/{dossier_id}/lettres", {"D": READ_D_API, "M": READ_M_API}),
    Row(
        "GET",
        "/api/dossiers/{dossier_id}/lettres/{name}",
        {"D": READ_D_API, "DxE": NOBODY_API},
        url="/api/dossiers/{dossier_id}/lettres/{lettre}",
    ),
    Row("GET", "/api/regles", {"-": EVERYONE}, public=True),
    Row("GET", "/api/checklists/{partenaire}", {"-": EVERYONE}, url="/api/checklists/anah", public=True),
    Row("GET", "/api/dossiers/{dossier_id}/messages", {"D": READ_D_API, "M": READ_M_API}),
    Row(
        "GET",
        "/api/dossiers/{dossier_id}/messages/{message_id}/pieces/{name}",
        {"D": READ_D_API, "M": READ_M_API, "DxM": NOBODY_API},
    ),
    Row(
        "GET",
        "/api/brouillons",
        {"-": LOGGED_IN_API},
        lists={"villebelle": "BV", "montclair": "BM", **dict.fromkeys(ACTORS[3:9], "")},
    ),
    Row("GET", "/api/brouillons/{draft_id}", {"BV": DRAFT_V_API, "BM": DRAFT_M_API}),
    Row("GET", "/api/brouillons/{draft_id}/ecarts", {"BV": DRAFT_V_API, "BM": DRAFT_M_API}),
    Row("GET", "/openapi.json", {"-": EVERYONE}, public=True),
    Row(  # the queue, its exports: the instructeurs and the admins, each their own partner's tracks
        "GET",
        "/api/file",
        {
            **dict.fromkeys(("liste", "csv", "xlsx"), "401 403 403 200 200 200 200 200 200 401 401"),
            "recherche": "401 403 403 200 200 200 200 200 200 401 401",
            "filtre-ddt": "401 403 403 400 400 400 400 400 200 401 401",  # a partner's filter: the admin's
        },
        url="/api/file?onglet=tous{query}",
        lists=LISTS_QUEUE,
        lists_of={"recherche": LISTS_SEARCH},
    ),
    Row(  # an opinion is never the town's
        "GET",
        "/api/dossiers/{dossier_id}/avis",
        {"D": "401 403 404 200 200 200 200 404 200 401 401", "M": "401 404 403 404 404 404 404 404 200 401 401"},
    ),
    Row(
        "GET",
        "/api/dossiers/{dossier_id}/avis/{avis_id}/pieces/{name}",
        {
            "AC": "401 403 404 404 404 404 200 404 200 401 401",  # confidential: the DDT's (it asked) and the admin
            "AO": "401 403 404 200 200 200 200 404 200 401 401",
            "DxAM": "401 403 404 404 404 404 404 404 404 401 401",
        },
    ),
    # --- the pages ---------------------------------------------------------------------------------------------
    Row("GET", "/", {"-": "303 303 303 303 303 303 303 303 303 303 303"}, public=True),
    Row("GET", "/connexion", {"-": "200 303 303 303 303 303 303 303 303 200 200"}, public=True),
    Row(
        "GET",
        "/dossiers",
        {"-": LOGGED_IN_PAGE},
        lists={**LISTS_DOSSIERS, "villebelle": "D BV", "montclair": "M BM"},  # a town's list shows its drafts
    ),
    Row("GET", "/dossiers/nouveau", {"-": "303 200 200 403 403 403 403 403 403 303 303"}),
    Row("GET", "/dossiers/{dossier_id}", {"D": READ_D_PAGE, "M": READ_M_PAGE}),
    Row(
        "GET",
        "/dossiers/{dossier_id}/versions/{numero}/rapport.{fmt}",
        {"D": READ_D_PAGE, "M": READ_M_PAGE},
        url="/dossiers/{dossier_id}/versions/{numero}/rapport.html",
    ),
    Row("GET", "/dossiers/{dossier_id}/versions/{numero}/dossier.zip", {"D": READ_D_PAGE, "M": READ_M_PAGE}),
    Row("GET", "/dossiers/{dossier_id}/comparaison", {"D": READ_D_PAGE, "M": READ_M_PAGE}),
    Row("GET", "/dossiers/{dossier_id}/ort/commerce", {"D": READ_D_PAGE, "M": READ_M_PAGE}),
    Row(
        "GET",
        "/dossiers/{dossier_id}/lettres/{name}",
        {"D": READ_D_PAGE, "DxE": NOBODY_PAGE},
        url="/dossiers/{dossier_id}/lettres/{lettre}",
    ),
    Row(  # the town's confirmation before withdrawing (M is not deposited: nothing to withdraw)
        "GET",
        "/dossiers/{dossier_id}/retrait",
        {"D": "303 200 404 409 409 409 409 404 409 303 303", "M": "303 404 409 404 404 404 404 404 409 303 303"},
    ),
    Row(
        "GET",
        "/dossiers/{dossier_id}/messages",  # a redirect to the dossier page's thread
        {"D": "303 303 404 303 303 303 303 404 303 303 303", "M": "303 404 303 404 404 404 404 404 303 303 303"},
    ),
    Row(
        "GET",
        "/dossiers/{dossier_id}/messages/{message_id}/pieces/{name}",
        {"D": READ_D_PAGE, "M": READ_M_PAGE, "DxM": NOBODY_PAGE},
    ),
    # a draft's address leads to its first step, for anyone: the step checks who asks
    Row("GET", "/brouillons/{draft_id}", {"BV": "303 303 303 303 303 303 303 303 303 303 303"}, public=True),
    Row("GET", "/brouillons/{draft_id}/recapitulatif", {"BV": DRAFT_V_PAGE, "BM": DRAFT_M_PAGE}),
    Row("GET", "/brouillons/{draft_id}/{etape}", {"BV": DRAFT_V_PAGE, "BM": DRAFT_M_PAGE}),
    Row(
        "GET",
        "/brouillons/{draft_id}/{etape}/element/{index}",
        {"BV": DRAFT_V_PAGE, "BM": DRAFT_M_PAGE},
        url="/brouillons/{draft_id}/immeubles/element/{index}",
    ),
    Row("GET", "/brouillons/{draft_id}/export/dossier.yaml", {"BV": DRAFT_V_PAGE, "BM": DRAFT_M_PAGE}),
    Row("GET", "/brouillons/{draft_id}/export/dossier.zip", {"BV": DRAFT_V_PAGE, "BM": DRAFT_M_PAGE}),
    Row(
        "GET",
        "/dossiers/{dossier_id}/avis/{avis_id}/pieces/{name}",
        {
            "AC": "303 404 404 404 404 404 200 404 200 303 303",
            "AO": "303 404 404 200 200 200 200 404 200 303 303",
            "DxAM": "303 404 404 404 404 404 404 404 404 303 303",
        },
    ),
    # the expert's pages: the link is the key (an expert's own; for everyone else, a link that leads nowhere)
    Row("GET", "/avis/{token}", {"-": "404 404 404 404 404 404 404 404 404 200 200"}, public=True),
    Row(
        "GET",
        "/avis/{token}/fichiers/{name:path}",
        {
            "Dfichier": "404 404 404 404 404 404 404 404 404 200 404",
            "Dyaml": "404 404 404 404 404 404 404 404 404 200 200",
        },
        url="/avis/{token}/fichiers/{name}",
        public=True,
    ),
    Row(
        "GET",
        "/instruction",
        {
            **dict.fromkeys(("liste", "csv", "xlsx"), "303 403 403 200 200 200 200 200 200 303 303"),
            "recherche": "303 403 403 200 200 200 200 200 200 303 303",
            "filtre-ddt": "303 403 403 400 400 400 400 400 200 303 303",  # a partner's filter: the admin's
        },
        url="/instruction?onglet=tous{query}",
        lists=LISTS_QUEUE,
        lists_of={"recherche": LISTS_SEARCH},
    ),
    Row(  # a track's assignment form: 404 alike for a track one does not instruct and one that does not exist
        "GET",
        "/dossiers/{dossier_id}/instructions/{partenaire}/suivi",
        {
            "D/anah": "303 404 404 404 200 404 404 404 200 303 303",  # the track's partner and the admin
            "D/al": "303 404 404 404 404 404 404 404 404 303 303",  # D has no Action Logement track
            "E/al": "303 404 404 200 404 404 404 404 200 303 303",
        },
    ),
    Row("GET", "/accessibilite", {"-": EVERYONE}, public=True),
    Row("GET", "/mentions-legales", {"-": EVERYONE}, public=True),
    Row("GET", "/donnees-personnelles", {"-": EVERYONE}, public=True),
    Row("GET", "/plan-du-site", {"-": EVERYONE}, public=True),
    Row("GET", "/docs", {"-": EVERYONE}, public=True),
    Row("GET", "/regles", {"-": EVERYONE}, public=True),  # a page per rule (no dossier's marker on it)
    Row("GET", "/regles/{rule_id}", {"-": EVERYONE}, url="/regles/PROG-07", public=True),
    Row("GET", "/static", {"-": EVERYONE}, url="/static/site.css", public=True),
]

CHANGES = [
    # --- the JSON API ------------------------------------------------------------------------------------------
    Row("POST", "/api/session", {"-": "401 200 200 200 200 200 200 200 200 401 401"}, send="login", public=True),
    Row("DELETE", "/api/session", {"-": "401 204 204 204 204 204 204 204 204 401 401"}, fresh=True),
    Row("POST", "/api/dossiers", {"-": "401 201 201 403 403 403 403 403 403 401 401"}, send="zip"),  # its own
    Row(
        "POST",
        "/api/dossiers/{dossier_id}/versions",  # 409: D is deposited
        {"D": "401 409 404 403 403 403 403 404 403 401 401", "M": "401 404 201 404 404 404 404 404 403 401 401"},
        send="zip",
    ),
    Row(
        "POST",
        "/api/dossiers/{dossier_id}/transitions",  # « à compléter » without its reason (a town: deposit): 409
        {
            "D": "401 409 404 409 409 409 409 404 422 401 401",  # al99: D has no Action Logement track; admin: which?
            "M": "401 404 409 404 404 404 404 404 422 401 401",
            "D/anah": "401 409 404 403 409 403 403 404 409 401 401",  # the track named: its partner's and the admin
            "D/al": "401 409 404 409 403 403 403 404 409 401 401",
            "E/al": TRACK_E_AL_API,
        },
        send="a_completer",
    ),
    Row(
        "POST",
        "/api/dossiers/{dossier_id}/notes",
        {"D": "401 403 404 201 201 201 201 404 201 401 401", "M": "401 404 403 404 404 404 404 404 201 401 401"},
        send="note",
    ),
    Row(
        "POST",
        "/api/dossiers/{dossier_id}/messages",
        {"D": "401 201 404 201 201 201 201 404 201 401 401", "M": "401 404 201 404 404 404 404 404 201 401 401"},
        send="message",
    ),
    Row(
        "POST",
        "/dossiers/{dossier_id}/instructions/{partenaire}/suivi",
        {
            "D/anah": "303 404 404 404 409 404 404 404 409 303 303",
            "D/al": "303 404 404 404 404 404 404 404 404 303 303",
            "E/al": "303 404 404 409 404 404 404 404 409 303 303",
        },
        send="stale_suivi",
    ),
    Row(  # an immeuble the report does not have
        "POST",
        "/api/dossiers/{dossier_id}/instructions/{partenaire}/immeubles",
        {
            "D/anah": "401 403 404 403 422 403 403 404 422 401 401",  # only Action Logement decides per immeuble
            "D/al": "401 403 404 409 403 403 403 404 409 401 401",  # no such track: 409 for who would instruct it
            "E/al": "401 404 404 422 403 403 403 404 422 401 401",
        },
        send="immeuble",
    ),
    Row(  # a revision the track does not have: 409 once allowed
        "POST",
        "/api/dossiers/{dossier_id}/instructions/{partenaire}/suivi",
        {
            "D/anah": "401 404 404 404 409 404 404 404 409 401 401",
            "D/al": "401 404 404 404 404 404 404 404 404 401 401",
            "E/al": "401 404 404 409 404 404 404 404 409 401 401",
        },
        send="stale_suivi",
    ),
    Row("POST", "/api/brouillons", {"-": "401 201 201 403 403 403 403 403 403 401 401"}, send="draft"),
    Row(
        "POST",
        "/api/dossiers/{dossier_id}/avis",
        {"D": "401 403 404 201 201 201 201 404 201 401 401", "M": "401 404 403 404 404 404 404 404 201 401 401"},
        send="avis",
    ),
    Row(  # cancelling: the requester's partner and the admins, while unanswered (409 once answered)
        "DELETE",
        "/api/dossiers/{dossier_id}/avis/{avis_id}",
        {
            "AU": "401 403 404 204 403 403 403 404 204 401 401",
            "AC": "401 403 404 404 404 404 409 404 409 401 401",
            "DxAM": "401 403 404 404 404 404 404 404 404 401 401",
        },
        throwaway="avis",
    ),
    Row(  # 409: the revision sent is not the draft's
        "PUT",
        "/api/brouillons/{draft_id}",
        {"BV": "401 409 404 403 403 403 403 403 403 401 401", "BM": "401 404 409 403 403 403 403 403 403 401 401"},
        send="stale",
    ),
    Row(  # 422: the draft names no commune (nothing deposited)
        "POST",
        "/api/brouillons/{draft_id}/depot",
        {"BV": "401 422 404 403 403 403 403 403 403 401 401", "BM": "401 404 422 403 403 403 403 403 403 401 401"},
        send="empty",
    ),
    # --- the pages ---------------------------------------------------------------------------------------------
    Row("POST", "/connexion", {"-": "403 403 403 403 403 403 403 403 403 403 403"}, public=True),  # no form token
    Row(
        "POST",
        "/deconnexion",
        {"-": "303 303 303 303 303 303 303 303 303 303 303"},
        public=True,
        fresh=True,
        location="/connexion?ok=deconnexion",
    ),
    Row("POST", "/dossiers/nouveau", {"-": "303 422 422 403 403 403 403 403 403 303 303"}),  # 422: no file
    Row(
        "POST",
        "/dossiers/{dossier_id}/versions",
        {"D": "303 409 404 403 403 403 403 404 403 303 303", "M": "303 404 303 404 404 404 404 404 403 303 303"},
        send="zip",
    ),
    Row(
        "POST",
        "/dossiers/{dossier_id}/transition",  # the town's deposit and withdrawal: a track moves on its own page
        {"D": "303 409 404 403 403 403 403 404 403 303 303", "M": "303 404 409 404 404 404 404 404 403 303 303"},
        send="a_completer",
    ),
    Row(  # a track's confirmation page, and its decision confirmed: « à compléter » without its reason
        "POST",
        "/dossiers/{dossier_id}/instructions/{partenaire}/verification",
        {"D/anah": TRACK_D_ANAH_PAGE, "D/al": TRACK_D_AL_PAGE, "E/al": TRACK_E_AL_PAGE},
        send="a_completer",
    ),
    Row(
        "POST",
        "/dossiers/{dossier_id}/instructions/{partenaire}/decision",
        {"D/anah": TRACK_D_ANAH_PAGE, "D/al": TRACK_D_AL_PAGE, "E/al": TRACK_E_AL_PAGE},
        send="confirmed",
    ),
    Row(  # Action Logement's table of immeubles, its confirmation page: no immeuble decided
        "POST",
        "/dossiers/{dossier_id}/instructions/action-logement/immeubles/{step}",
        {"D/al": TRACK_D_AL_PAGE, "E/al": "303 404 404 422 403 403 403 404 422 303 303"},
        url="/dossiers/{dossier_id}/instructions/action-logement/immeubles/verification",
    ),
    Row(  # the ORT commerce question asked without its answers: each field's error (400), nothing stored
        "POST",
        "/dossiers/{dossier_id}/ort/commerce",
        {"D": "303 400 404 400 400 400 400 404 400 303 303", "M": "303 404 400 404 404 404 404 404 400 303 303"},
    ),
    Row(
        "POST",
        "/dossiers/{dossier_id}/notes",
        {"D": "303 403 404 303 303 303 303 404 303 303 303", "M": "303 404 403 404 404 404 404 404 303 303 303"},
        send="note",
    ),
    Row(
        "POST",
        "/dossiers/{dossier_id}/messages",
        {"D": "303 303 404 303 303 303 303 404 303 303 303", "M": "303 404 303 404 404 404 404 404 303 303 303"},
        send="message",
    ),
    Row("POST", "/brouillons", {"-": "303 303 303 403 403 403 403 403 403 303 303"}, send="draft"),
    Row(
        "POST",
        "/dossiers/{dossier_id}/avis",
        {"D": "303 403 404 303 303 303 303 404 303 303 303", "M": "303 404 403 404 404 404 404 404 303 303 303"},
        send="avis",
    ),
    Row(
        "POST",
        "/dossiers/{dossier_id}/avis/{avis_id}/annuler",
        {
            "AU": "303 403 404 303 403 403 403 404 303 303 303",
            "AC": "303 403 404 404 404 404 409 404 409 303 303",
            "DxAM": "303 403 404 404 404 404 404 404 404 303 303",
        },
        throwaway="avis",
    ),
    Row(  # expert_d's avis is answered already (409); expert_m answers theirs
        "POST",
        "/avis/{token}",
        {"-": "404 404 404 404 404 404 404 404 404 409 303"},
        send="answer",
        public=True,
        location="/avis/",
    ),
    Row(  # a new version's draft: 409 for D (deposited); only a town starts one (403 before looking)
        "POST",
        "/dossiers/{dossier_id}/brouillon",
        {"D": "303 409 404 403 403 403 403 403 403 303 303", "M": "303 404 303 403 403 403 403 403 403 303 303"},
    ),
    Row("POST", "/brouillons/{draft_id}/{etape}", {"BV": STALE_V, "BM": STALE_M}, send="stale"),  # 409: stale
    Row(
        "POST",
        "/brouillons/{draft_id}/{etape}/element/{index}",
        {"BV": STALE_V, "BM": STALE_M},
        url="/brouillons/{draft_id}/immeubles/element/{index}",
        send="stale",
    ),
    Row("POST", "/formulaire/geometrie", {"-": "401 422 422 422 422 422 422 422 422 401 401"}),  # 422: no file
]

ROWS = READS + CHANGES
