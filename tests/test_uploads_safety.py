"""Nothing a user sends is dropped silently, spoofs a name, gives a 500 or leaves a file behind
(issue 13): damaged, encrypted and oversized archives, piece names (NFC, bidi and control
characters, length, duplicates), texts refused rather than cut, multipart limits in French, and the
temporary folders of evaluations removed on every path, a killed worker's included. Real servers on
loopback (tests/test_service.py), through the API and the HTML forms."""

import io
import logging
import multiprocessing.util
import os
import signal
import struct
import tempfile
import threading
import time
import unicodedata
import warnings
import zipfile

import httpx
import pytest
from conftest import SAMPLES
from sqlalchemy import func, select
from test_engine_isolation import LOGGER, _handed, _served, _town
from test_service import client, service  # noqa: F401  (the served app, on conftest.single_base())
from test_web import hidden, web_client

from instruct.service import scratch
from instruct.service.storage import Dossier, Event, Note

DATE = {"date": "2026-11-26"}
YAML = (SAMPLES / "villebelle" / "dossier.yaml").read_bytes()
PDF = (SAMPLES / "villebelle" / "pieces" / "avenant-1.pdf").read_bytes()
ENGLISH = ("Too many", "Maximum number", "exceeded", "Invalid multipart", "boundary in", "Traceback", "Internal Server")


def make_zip(entries, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", method) as archive:
        warnings.simplefilter("ignore")  # a duplicate name, on purpose
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypted_zip() -> bytes:
    """A piece marked encrypted (general purpose flag, bit 0), as `zip -P` marks it."""
    data = bytearray(make_zip([("dossier.yaml", YAML), ("pieces/avenant.pdf", PDF)]))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature, data.index(signature) + 1)  # the second entry's headers
        data[at + offset] |= 0x1
    return bytes(data)


def bad_crc_zip() -> bytes:
    data = bytearray(make_zip([("dossier.yaml", YAML), ("pieces/avenant.pdf", b"%PDF-1.7 qzqzqz")], zipfile.ZIP_STORED))
    data[data.index(b"qzqzqz")] ^= 0x20
    return bytes(data)


def truncated_zip() -> bytes:
    data = make_zip([("dossier.yaml", YAML), ("pieces/avenant.pdf", PDF)])
    return data[: len(data) * 2 // 3]


def damaged_entry_zip() -> bytes:
    """A whole archive whose compressed data is garbage (central directory intact)."""
    data = bytearray(make_zip([("dossier.yaml", YAML), ("pieces/avenant.pdf", PDF)]))
    start = data.index(b"pieces/avenant.pdf") + len("pieces/avenant.pdf")
    data[start : start + 200] = bytes(range(200))
    return bytes(data)


def unknown_method_zip() -> bytes:
    data = bytearray(make_zip([("dossier.yaml", YAML)], zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):  # method 99 (WinZip AES)
        at = data.index(signature)
        data[at + offset : at + offset + 2] = struct.pack("<H", 99)
    return bytes(data)


def crowded_zip() -> bytes:
    """2 000 empty folders: zipfile would list a 60 MB directory of them for seconds."""
    return make_zip([("dossier.yaml", YAML)] + [(f"d{i}/", b"") for i in range(2000)])


LONG = "a" * 252 + ".pdf"  # 256 bytes
ARCHIVES = {  # case -> (archive, words of the French message, the entry it must name)
    "chiffree": (encrypted_zip, "chiffré (protégé par un mot de passe)", "pieces/avenant.pdf"),
    "crc": (bad_crc_zip, "somme de contrôle CRC fausse", "pieces/avenant.pdf"),
    "tronquee": (truncated_zip, "tronquée", "archive"),
    "endommagee": (damaged_entry_zip, "endommagé", "pieces/avenant.pdf"),
    "pas-un-zip": (lambda: os.urandom(5000), "n'est pas une archive ZIP", "archive"),
    "methode": (unknown_method_zip, "méthode de compression 99", "dossier.yaml"),
    "annuaire": (crowded_zip, "archive suspecte : 2001 entrées", "archive"),
    "bombe": (
        lambda: make_zip([("dossier.yaml", YAML), ("pieces/b.pdf", b"%PDF-" + b"0" * 30_000_000)]),
        "suspecte",
        "archive",
    ),
    "nom-long": (lambda: make_zip([("dossier.yaml", YAML), (f"pieces/{LONG}", PDF)]), "256 octets", "pieces/aaa"),
    "dossier-long": (lambda: make_zip([(f"{'v' * 256}/dossier.yaml", YAML)]), "nom trop long", "vvv"),
    "chemin-long": (
        lambda: make_zip([("dossier.yaml", YAML), (f"pieces/{'é' * 125}.pdf", PDF)]),
        "chemin trop long",
        "pieces/éé",
    ),
}


def dossiers(app) -> int:
    with app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(Dossier))


def refused(response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    assert not any(word in response.text for word in ENGLISH), response.text
    for word in words:
        assert word in response.text, (word, response.text)
    return response.json() if response.headers["content-type"].startswith("application/json") else {}


@pytest.mark.parametrize("case", sorted(ARCHIVES))
def test_a_damaged_encrypted_or_hostile_archive_is_refused_in_french(service, case):  # noqa: F811
    app, base = service
    make, words, entry = ARCHIVES[case]
    before = dossiers(app)
    r = client(base, "villebelle").post("/api/dossiers", files={"archive": ("d.zip", make(), "application/zip")})
    body = refused(r, 422, words)
    assert any(p["chemin"].startswith(entry) for p in body["problemes"]), body
    assert dossiers(app) == before


def test_the_form_says_the_same_in_french(service):  # noqa: F811
    app, base = service
    town = web_client(base, "villebelle")
    csrf = hidden(town.get("/dossiers/nouveau").text, "csrf")
    before = dossiers(app)
    for case in ("chiffree", "crc", "nom-long"):
        make, words, _ = ARCHIVES[case]
        r = town.post("/dossiers/nouveau", data={"csrf": csrf}, files={"archive": ("d.zip", make(), "application/zip")})
        assert r.status_code == 422 and r.headers["content-type"].startswith("text/html"), r.text
        assert words in r.text.replace("&#39;", "'") and "Traceback" not in r.text
    assert dossiers(app) == before


# --- piece names ---------------------------------------------------------------------------------

NAMES = {  # case -> (pieces sent apart, words of the message)
    "bidi": ([("avenant\u202efdp.docx", PDF)], "bidirectionnel U+202E"),
    "isolat": ([("avenant\u2067.pdf", PDF)], "bidirectionnel U+2067"),
    "marque": ([("avenant\u200f.pdf", PDF)], "bidirectionnel U+200F"),
    "arabe": ([("avenant\u061c.pdf", PDF)], "bidirectionnel U+061C"),
    "controle": ([("avenant\x07.pdf", PDF)], "U+0007"),
    "largeur-nulle": ([("ave\u200bnant.pdf", PDF)], "U+200B"),
    "long": ([(LONG, PDF)], "256 octets"),
    "cache": ([(".avenant.pdf", PDF)], "fichier caché"),
    "doublon": ([("avenant.pdf", PDF), ("avenant.pdf", PDF)], "même nom"),
    "casse": ([("Avenant.pdf", PDF), ("avenant.PDF", PDF)], "aux majuscules près"),
    "nfd": ([("\u00e9tude.pdf", PDF), ("e\u0301tude.pdf", PDF)], "deux formes Unicode"),
    "nfkc": ([("\uff46iche.pdf", PDF), ("fiche.pdf", PDF)], "forme de compatibilité"),
}


@pytest.mark.parametrize("case", sorted(NAMES))
def test_a_spoofing_long_or_duplicate_piece_name_is_refused_in_both_uploads(service, case):  # noqa: F811
    app, base = service
    pieces, words = NAMES[case]
    c = client(base, "villebelle")
    before = dossiers(app)
    apart, headers = multipart([("dossier", "dossier.yaml", YAML), *[("pieces", name, data) for name, data in pieces]])
    body = refused(c.post("/api/dossiers", content=apart, headers=headers), 422, words)  # names sent as they are
    message = body["problemes"][0]["chemin"] + body["problemes"][0]["message"]
    assert "\u202e" not in message and "\u200f" not in message  # shown as U+XXXX, never obeyed
    archive = make_zip([("dossier.yaml", YAML), *[(f"pieces/{name}", data) for name, data in pieces]])
    refused(c.post("/api/dossiers", files={"archive": ("d.zip", archive)}, data=DATE), 422, words)
    assert dossiers(app) == before


def test_the_same_piece_in_pieces_and_beside_the_dossier_or_two_dossier_files_is_refused(service):  # noqa: F811
    _, base = service
    c = client(base, "villebelle")
    both = make_zip([("dossier.yaml", YAML), ("avenant.pdf", PDF), ("pieces/avenant.pdf", PDF)])
    body = refused(c.post("/api/dossiers", files={"archive": ("d.zip", both)}), 422, "« avenant.pdf » et « pieces/")
    assert body["problemes"][0]["chemin"] == "pieces/avenant.pdf"
    two = make_zip([("dossier.yaml", YAML), ("dossier.json", b"{}")])
    refused(c.post("/api/dossiers", files={"archive": ("d.zip", two)}), 422, "deux fichiers du dossier")


def test_a_name_is_stored_once_in_nfc_and_the_form_refuses_duplicates(service):  # noqa: F811
    app, base = service
    c = client(base, "villebelle")
    decomposed = unicodedata.normalize("NFD", "étude-urbaine.pdf")
    r = c.post("/api/dossiers", files=[("dossier", ("dossier.yaml", YAML)), ("pieces", (decomposed, PDF))], data=DATE)
    assert r.status_code == 201, r.text
    stored = c.get(f"/api/dossiers/{r.json()['id']}").json()["versions"][0]["fichiers"]
    assert "pieces/étude-urbaine.pdf" in stored and unicodedata.is_normalized("NFC", "".join(stored))

    town = web_client(base, "villebelle")
    csrf = hidden(town.get("/dossiers/nouveau").text, "csrf")
    before = dossiers(app)
    r = town.post(
        "/dossiers/nouveau",
        data={"csrf": csrf, **DATE},
        files=[("dossier", ("dossier.yaml", YAML)), ("pieces", ("a.pdf", PDF)), ("pieces", ("A.pdf", PDF))],
    )
    assert r.status_code == 422 and "deux fichiers pour une même pièce" in r.text, r.text
    r = town.post(
        "/dossiers/nouveau",
        data={"csrf": csrf, **DATE},
        files=[("dossier", ("dossier.yaml", YAML)), ("pieces", ("a\u202efdp.docx", PDF))],
    )
    assert r.status_code == 422 and "U+202E" in r.text and "\u202e" not in r.text, r.text
    r = town.post(  # a date is read whole, never cut to its first characters
        "/dossiers/nouveau",
        data={"csrf": csrf, "date": "2026-11-26" + " " * 15 + "+ 3 mois"},
        files=[("dossier", ("dossier.yaml", YAML))],
    )
    assert r.status_code == 422 and "date d&#39;évaluation" in r.text, r.text
    assert dossiers(app) == before


# --- texts are refused, never cut ----------------------------------------------------------------


def test_a_reason_or_a_note_over_the_limit_is_refused_and_one_at_the_limit_kept_whole(service):  # noqa: F811
    app, base = service
    town = client(base, "villebelle")
    r = town.post("/api/dossiers", files={"dossier": ("dossier.yaml", YAML)}, data=DATE)
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose"}).status_code == 200
    ddt = client(base, "ddt99")
    with app.state.sessions() as session:
        events = session.scalar(select(func.count()).select_from(Event))
    r = ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "a_completer", "motif": "m" * 5001})
    assert refused(r, 422, "motif trop long", "5\u202f001 caractères", "5\u202f000")
    page = web_client(base, "ddt99")
    csrf = hidden(page.get(f"/dossiers/{ident}").text, "csrf")
    long_reason = "r" * 6000
    r = page.post(
        f"/dossiers/{ident}/instructions/ddt/verification",
        data={"csrf": csrf, "vers": "a_completer", "motif": long_reason},
    )
    assert r.status_code == 422 and "Motif trop long" in r.text and long_reason in r.text  # shown again, whole
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == events
    kept = "k" * 4999 + "é"
    assert (
        ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "a_completer", "motif": kept}).status_code == 200
    )
    assert ddt.get(f"/api/dossiers/{ident}").json()["journal"][-1]["motif"] == kept

    with app.state.sessions() as session:
        notes = session.scalar(select(func.count()).select_from(Note))
    assert ddt.post(f"/api/dossiers/{ident}/notes", json={"texte": "n" * 20001}).status_code == 422
    long_note = "n" * 25000
    r = page.post(f"/dossiers/{ident}/notes", data={"csrf": csrf, "texte": long_note})
    assert r.status_code == 422 and "20 000 caractères au plus" in r.text and long_note in r.text
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Note)) == notes
    assert ddt.post(f"/api/dossiers/{ident}/notes", json={"texte": "n" * 20000}).status_code == 201
    assert ddt.get(f"/api/dossiers/{ident}").json()["notes"][-1]["texte"] == "n" * 20000


# --- multipart limits in French --------------------------------------------------------------------


def multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "frontiere") -> tuple[bytes, dict]:
    body = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


FORMS = {  # case -> (parts, status, words)
    "fichiers": ([("pieces", f"p{i}.pdf", b"%PDF-") for i in range(1001)], 413, "trop de fichiers dans l'envoi"),
    "champs": ([(f"c{i}", None, b"x") for i in range(1001)], 413, "trop de champs dans le formulaire"),
    "champ-long": ([("date", None, b"x" * (1024 * 1024 + 10))], 413, "champ du formulaire trop long (au plus 1024 Ko)"),
}


@pytest.mark.parametrize("case", sorted(FORMS))
def test_multipart_limits_are_said_in_french_by_the_api_and_the_form(service, case):  # noqa: F811
    _, base = service
    parts, status, words = FORMS[case]
    body, headers = multipart(parts)
    c = client(base, "villebelle")
    c.headers.update(headers)
    refused(c.post("/api/dossiers", content=body), status, words)
    form = httpx.post(f"{base}/dossiers/nouveau", content=body, headers=headers, timeout=60)
    assert form.status_code == status and form.headers["content-type"].startswith("text/html")
    assert "Envoi refusé" in form.text and words[1:] in form.text.replace("&#39;", "'")
    assert not any(word in form.text for word in ENGLISH)


def test_a_form_without_boundary_is_said_in_french(service):  # noqa: F811
    _, base = service
    c = client(base, "villebelle")
    r = c.post("/api/dossiers", content=b"x", headers={"content-type": "multipart/form-data"})
    refused(r, 422, "délimiteur")


# --- temporary folders: removed on every path -------------------------------------------------------


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    """The OS's temporary directory, for this test alone; the process's scratch made anew in it."""
    root = tmp_path / "tmp"
    root.mkdir()
    multiprocessing.util.get_temp_dir()  # the forkserver's socket stays where it was
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    monkeypatch.setattr(scratch, "_SCRATCH", [])
    return root


def leftovers(root) -> list[str]:
    """Everything under the OS's temporary directory but the service's own locked directory and lock."""
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root).parts
        if len(relative) <= 2 and relative[0].startswith("acv-instruct-") and path.name.startswith("service-"):
            continue
        if len(relative) == 1 and relative[0].startswith("acv-instruct-"):
            continue
        found.append("/".join(relative))
    return found


def test_a_killed_worker_leaves_no_temporary_file(tmp_path, own_tmp, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    app, server = _served(tmp_path, engine="python", workers=1)
    folder = SAMPLES / "villebelle"
    archive = make_zip([(str(p.relative_to(folder)), p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()])
    with server as base:
        town = _town(base)
        assert town.post("/api/dossiers", files={"archive": ("d.zip", archive)}, data=DATE).status_code == 201
        assert leftovers(own_tmp) == []  # a finished evaluation leaves nothing
        unpacked = app.state.evaluators.scratch.dir

        def post() -> httpx.Response:
            return town.post("/api/dossiers", files={"archive": ("d.zip", archive)}, data=DATE)

        for _attempt in range(5):  # kill the worker once it has unpacked the pieces, while it reads them
            answer: list[httpx.Response] = []
            thread = threading.Thread(target=lambda sent=answer: sent.append(post()))
            thread.start()
            deadline = time.monotonic() + 30
            while not list(unpacked.glob("acv-*/pieces/*.pdf")) and thread.is_alive():
                assert time.monotonic() < deadline
                time.sleep(0.002)
            if thread.is_alive():
                os.kill(_handed(caplog)[-1], signal.SIGKILL)
            thread.join(60)
            if answer[0].status_code == 500:
                break
        assert answer[0].status_code == 500 and "processus d'évaluation s'est arrêté" in answer[0].json()["erreur"]
        assert leftovers(own_tmp) == []
        assert town.post("/api/dossiers", files={"archive": ("d.zip", archive)}, data=DATE).status_code == 201
    assert leftovers(own_tmp) == []


def test_at_start_the_service_removes_what_dead_services_left_and_nothing_else(tmp_path, own_tmp):
    root = own_tmp / f"acv-instruct-{os.getuid()}"
    root.mkdir()
    alive = scratch.Scratch(root)  # another service, running: its lock is held
    (alive.dir / "acv-y").mkdir()
    dead = root / "service-mort"
    (dead / "acv-x" / "pieces").mkdir(parents=True)
    (dead / "acv-x" / "pieces" / "a.pdf").write_bytes(PDF)
    (root / "service-mort.verrou").write_text("")
    stranger = own_tmp / "acv-autre-programme"
    stranger.mkdir()
    app, _ = _served(tmp_path, engine="python", workers=1)
    assert dead in app.state.evaluators.scratch.swept
    assert not dead.exists() and not (root / "service-mort.verrou").exists()
    assert (alive.dir / "acv-y").is_dir() and stranger.is_dir()  # a live service's, another program's: kept
    alive.close()


def test_a_worker_stopped_past_the_time_limit_leaves_no_temporary_file(tmp_path, own_tmp, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    app, server = _served(tmp_path, engine="python", workers=1, timeout=1.5)
    folder = SAMPLES / "villebelle"
    archive = make_zip([(str(p.relative_to(folder)), p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()])
    with server as base:
        town = _town(base)
        unpacked = app.state.evaluators.scratch.dir
        answer: list[httpx.Response] = []
        thread = threading.Thread(
            target=lambda: answer.append(town.post("/api/dossiers", files={"archive": ("d.zip", archive)}, data=DATE))
        )
        thread.start()
        deadline = time.monotonic() + 30
        while not list(unpacked.glob("acv-*/pieces/*")):  # unpacked: frozen from here, it overruns
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.002)
        os.kill(_handed(caplog)[-1], signal.SIGSTOP)
        thread.join(60)
        assert answer[0].status_code == 500 and "interrompue après 1.5 s" in answer[0].json()["erreur"]
        assert leftovers(own_tmp) == []
