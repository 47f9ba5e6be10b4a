"""The visibility matrix's world (tests/test_matrice.py): one server on loopback, its users, the targets planted
(dossiers, versions, messages and attached files, notes, drafts) with the marker strings of tests/matrice_cases.py,
and one client per actor and shell (a bearer token for the API, the session cookie for the pages)."""

import threading
from dataclasses import dataclass, field

import httpx
from conftest import SAMPLES
from matrice_cases import ANONYMOUS, NOTES
from sqlalchemy import select
from test_service import folder_zip

from instruct.service import accounts
from instruct.service.storage import User

FIRST_STEP = "collectivites"


@dataclass
class World:
    """The server, its data (identifiers of the targets) and one client per actor and shell."""

    app: object
    base: str
    db: str
    targets: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # target name -> identifier, for the lists
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[tuple[str, bool], httpx.Client] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    cells: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, actor: str, api: bool, fresh: bool = False) -> httpx.Client:
        """The API's client carries a bearer token, the pages' the session cookie (as a browser)."""
        if fresh and actor not in ANONYMOUS:
            return self._client(self.open_session(actor), api)
        key = (actor, api)
        if key not in self.clients:
            self.clients[key] = self._client(self.tokens.get(actor), api)
        return self.clients[key]

    def _client(self, token: str | None, api: bool) -> httpx.Client:
        c = httpx.Client(base_url=self.base, timeout=120)
        if token and api:
            c.headers["Authorization"] = f"Bearer {token}"
        elif token:
            c.cookies.set("acv_session", token)
        return c

    def open_session(self, actor: str) -> str:
        with self.app.state.sessions() as session:
            token, _ = accounts.open_session(session, session.scalar(select(User).where(User.login == actor)))
            session.commit()
        return token

    def csrf(self, c: httpx.Client) -> str:
        return accounts.csrf_token(c.cookies.get("acv_session") or "")


def api(w: World, actor: str) -> httpx.Client:
    return w.client(actor, api=True)


def ok(r: httpx.Response, status: int = 201) -> dict:
    assert r.status_code == status, r.text
    return r.json()


def plant(w: World) -> None:
    """D (Villebelle, deposited) with a message and its attached file, a private note of each partner's
    instructeur and of the admin, a public note; M (Montclair, not deposited) with its message; each town's draft."""
    town, other = api(w, "villebelle"), api(w, "montclair")
    zipped = {"archive": ("d.zip", folder_zip(SAMPLES / "villebelle"), "application/zip")}
    d = ok(town.post("/api/dossiers", files=zipped, data={"date": "2026-11-26"}))["id"]
    ok(town.post(f"/api/dossiers/{d}/transitions", json={"vers": "depose"}), 200)
    zipped = {"archive": ("d.zip", folder_zip(SAMPLES / "montclair"), "application/zip")}
    m = ok(other.post("/api/dossiers", files=zipped, data={"date": "2026-11-26"}))["id"]
    for marker, (author, private) in NOTES.items():
        ok(api(w, author).post(f"/api/dossiers/{d}/notes", json={"texte": marker, "privee": private}))
    posted = {}
    for c, ident, key in [(town, d, "D"), (other, m, "M")]:
        content = b"%PDF-1.4\n% Marqueur-piece-" + key.encode() + b"-51c7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
        piece = (f"piece-{key.lower()}.pdf", content, "application/pdf")
        data = {"texte": f"Marqueur-message-{key}-51c7"}
        posted[key] = ok(c.post(f"/api/dossiers/{ident}/messages", data=data, files=[("pieces", piece)]))
    drafts = {}
    for c, key in [(town, "V"), (other, "M")]:
        values = {"collectivites.ville_centre.nom": f"Marqueur-brouillon-{key}-51c7", "immeubles.__nombre": "1"}
        drafts[key] = ok(c.post("/api/brouillons", json={"valeurs": values}))["id"]
    message = {key: {"message_id": str(p["id"]), "name": p["pieces"][0]["nom"]} for key, p in posted.items()}
    dossier = {"numero": "1"}
    draft = {"etape": FIRST_STEP, "index": "0"}
    w.targets = {
        "-": {},
        "D": {"dossier_id": d, **dossier, **message["D"]},
        "M": {"dossier_id": m, **dossier, **message["M"]},
        "DxM": {"dossier_id": d, **dossier, **message["M"]},
        "BV": {"draft_id": drafts["V"], **draft},
        "BM": {"draft_id": drafts["M"], **draft},
    }
    w.ids = {"D": d, "M": m, "BV": drafts["V"], "BM": drafts["M"]}
