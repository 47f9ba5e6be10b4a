"""The visibility matrix's world (tests/test_matrice.py): the targets planted through the service (dossiers D, M
and E, a message with its attached file on D and M, a private note of each partner and of the admin, the towns'
drafts, four avis and their experts' links) with the marker strings of tests/matrice_cases.py, and one client per
actor and shell (a bearer token for the API, the session cookie for the pages)."""

import re
import threading
from dataclasses import dataclass, field

import httpx
from conftest import SAMPLES
from matrice_cases import ANONYMOUS
from sqlalchemy import select
from test_service import folder_zip

from instruct.service import accounts, avis
from instruct.service.mail_storage import Courriel
from instruct.service.storage import User

FIRST_STEP = "collectivites"
# the avis planted: key -> (who asks, on which dossier, confidential, the expert holding its link among the actors)
AVIS = {
    "AC": ("ddt99", "D", True, "expert_d"),
    "AO": ("anah99", "D", False, ""),
    "AU": ("al99", "D", False, ""),
    "AM": ("admin", "M", True, "expert_m"),
}
NOTES = {  # the notes planted on D: marker -> (author, private)
    "Marqueur-note-privee-AL-51c7": ("al99", True),
    "Marqueur-note-privee-ANAH-51c7": ("anah99", True),
    "Marqueur-note-privee-ANRU-51c7": ("anru99", True),
    "Marqueur-note-privee-DDT-51c7": ("ddt99", True),
    "Marqueur-note-privee-ADMIN-51c7": ("admin", True),
    "Marqueur-note-publique-51c7": ("ddt99", False),
}


@dataclass
class World:
    """The server, its data (identifiers of the targets) and one client per actor and shell."""

    app: object
    base: str
    db: str
    targets: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # target name -> identifier, for the lists
    tokens: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # expert -> the token of their avis link
    clients: dict[tuple[str, bool], httpx.Client] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    cells: int = 0
    compared: int = 0  # 404 found identical to a guessed identifier's
    unchanged: int = 0  # refused changes after which the database was read again
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
        piece = (f"piece-{key.lower()}.pdf", pdf(f"Marqueur-piece-{key}-51c7"), "application/pdf")
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
    e = _deposited(w, "belcastel")
    w.ids["E"] = e
    letters = {
        key: ok(api(w, "admin").get(f"/api/dossiers/{ident}/lettres"), 200) for key, ident in (("D", d), ("E", e))
    }
    w.targets["D"]["lettre"] = f"{letters['D'][0]['id']}.pdf"  # its accusé de réception
    w.targets["DxE"] = {"dossier_id": d, "lettre": f"{letters['E'][0]['id']}.pdf"}  # D's address, E's letter
    w.targets |= {
        "D/anah": {"dossier_id": d, "partenaire": "anah"},
        "D/al": {"dossier_id": d, "partenaire": "action-logement"},
        "E/al": {"dossier_id": e, "partenaire": "action-logement"},
        "liste": {"query": ""},
        "csv": {"query": "&format=csv"},
        "xlsx": {"query": "&format=xlsx"},
        "recherche": {"query": "&q=99101"},  # Villebelle's INSEE
        "filtre-ddt": {"query": "&partenaire=ddt"},
    }
    asked = _plant_avis(w, d, m)
    w.targets |= {
        "AC": {"dossier_id": d, "avis_id": asked["AC"], "name": "avis-ac.pdf"},  # confidential, answered
        "AO": {"dossier_id": d, "avis_id": asked["AO"], "name": "avis-ao.pdf"},  # open to every partner, answered
        "AU": {"dossier_id": d, "avis_id": asked["AU"]},  # Action Logement's, unanswered
        "DxAM": {"dossier_id": d, "avis_id": asked["AM"], "name": "avis-ac.pdf"},  # D's address, M's avis
        "Dfichier": {"name": "pieces/avenant-1.pdf"},  # a file only D has
        "Dyaml": {"name": "dossier.yaml"},  # a file both have: each expert reads their own dossier's
    }


def _deposited(w: World, town: str) -> str:
    """A town's sample dossier, deposited (its blocking gaps confirmed)."""
    zipped = {"archive": ("d.zip", folder_zip(SAMPLES / town), "application/zip")}
    ident = ok(api(w, town).post("/api/dossiers", files=zipped, data={"date": "2026-11-26"}))["id"]
    ok(api(w, town).post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}), 200)
    return ident


def pdf(marker: str) -> bytes:
    return b"%PDF-1.4\n% " + marker.encode() + b"\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def ask_avis(w: World, actor: str, dossier: str, question: str, confidentiel: bool, courriel: str) -> tuple[int, str]:
    """An avis asked through the API; its link, read in the e-mail waiting in the outbox."""
    body = {"expert_nom": "Expert", "expert_courriel": courriel, "question": question, "confidentiel": confidentiel}
    asked = ok(api(w, actor).post(f"/api/dossiers/{dossier}/avis", json=body))
    with w.app.state.sessions() as session:
        mail = session.scalars(select(Courriel).where(Courriel.to == courriel).order_by(Courriel.id.desc())).first()
        token = re.search(r"/avis/([A-Za-z0-9_-]+)", mail.text).group(1)
    return asked["id"], token


def _plant_avis(w: World, d: str, m: str) -> dict[str, int]:
    """On D: a confidential avis of the DDT (its expert: expert_d) and an open one of the Anah, both answered with an
    attached file; an unanswered one of Action Logement. On M: the admin's, unanswered (its expert: expert_m)."""
    found = {}
    for key, (actor, on, confidentiel, expert) in AVIS.items():
        found[key], token = ask_avis(
            w,
            actor,
            d if on == "D" else m,
            f"Marqueur-avis-question-{key}-51c7",
            confidentiel,
            f"{key.lower()}@experts.example.fr",
        )
        if expert:
            w.links[expert] = token
        if key in {"AC", "AO"}:
            data = {"csrf": avis.csrf_token(token), "revision": "0", "reponse": f"Marqueur-avis-reponse-{key}-51c7"}
            piece = (f"avis-{key.lower()}.pdf", pdf(f"Marqueur-avis-piece-{key}-51c7"), "application/pdf")
            r = httpx.post(f"{w.base}/avis/{token}", data=data, files=[("pieces", piece)], timeout=120)
            assert r.status_code == 303, r.text
    return found
