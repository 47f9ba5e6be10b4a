"""E-mail notifications, on PostgreSQL (SQLite too: make test-bases), with a real SMTP server (aiosmtpd) on loopback:
the deposit and the decisions arrive (French subject, text and HTML parts, the dossier's link); with the server down
during a decision the mail waits in the outbox and leaves when it is back; a rolled-back transaction sends nothing;
two senders never send a row twice; bad settings are refused in French."""

import contextlib
import email
import email.policy
import io
import os
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import pg
import pytest
from aiosmtpd.controller import Controller
from conftest import ROOT, SAMPLES, acv_command
from sqlalchemy import select
from test_service import PASSWORD, Server, client, submit

from instruct.cli.main import main
from instruct.service import accounts, mail, messagerie, notifications
from instruct.service.app import create_app
from instruct.service.mail import MailSettings, MailSettingsError, Sender
from instruct.service.mail_storage import Courriel
from instruct.service.storage import Dossier

WAIT = 30.0  # seconds a mail may take (a loaded machine)
RUN = {"capture_output": True, "text": True, "timeout": 120, "cwd": ROOT}


def acv(*args: str, stdin: str = "") -> SimpleNamespace:
    """`acv ARGS` in this process (a second each saved): its exit code, standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        sys.stdin = saved
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


class Inbox:
    """aiosmtpd's handler: every message received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str, subject_part: str = "") -> list:
        with self.lock:
            return [m for m in self.messages if m["To"] == address and subject_part in m["Subject"]]


class SmtpServer:
    """A real SMTP server on a loopback port that can be stopped and started again on the same port."""

    def __init__(self):
        self.port, self.inbox, self.controller = pg.free_port(), Inbox(), None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


def wait_for(predicate, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while not (found := predicate()):
        assert time.monotonic() < deadline, f"attendu en vain : {what}"
        time.sleep(0.05)
    return found


def parts(message) -> tuple[str, str]:
    text, html = (message.get_body((kind,)).get_content() for kind in ("plain", "html"))
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n")  # SMTP's line ends


USERS = [
    ("villebelle", "collectivite", {"commune_insee": "99101", "courriel": "mairie@villebelle.fr"}),
    ("villebelle-dgs", "collectivite", {"commune_insee": "99101"}),  # no address: no mail
    ("montclair", "collectivite", {"commune_insee": "99102", "courriel": "mairie@montclair.fr"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99", "courriel": "ddt99@ddt.gouv.fr"}),
    ("anah99", "instructeur", {"partenaire": "anah", "territoire": "dep:99", "courriel": "anah99@anah.gouv.fr"}),
    ("al01", "instructeur", {"partenaire": "action_logement", "territoire": "dep:01", "courriel": "al01@al.fr"}),
    ("admin", "admin", {"courriel": "admin@exemple.fr"}),
]


@pytest.fixture(scope="module")
def service(database_url):
    smtp = SmtpServer()
    smtp.start()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ACV_SMTP_HOTE", "127.0.0.1")
        env.setenv("ACV_SMTP_PORT", str(smtp.port))
        env.setenv("ACV_SMTP_EXPEDITEUR", "ACV instruction <ne-pas-repondre@acv.exemple.fr>")
        env.setenv("ACV_SMTP_REESSAI", "0.2")
        app = create_app(database_url)
        with app.state.sessions() as session:
            for login, role, extra in USERS:
                accounts.create_user(session, login, PASSWORD, role, **extra)
            session.commit()
        server = Server(app)
        env.setenv("ACV_URL_PUBLIQUE", f"http://127.0.0.1:{server.port}")
        with server as base:
            yield app, base, smtp
    if smtp.controller is not None:
        smtp.stop()


def outbox(app, dossier_id: str) -> list[Courriel]:
    with app.state.sessions() as session:
        return list(session.scalars(select(Courriel).where(Courriel.dossier_id == dossier_id).order_by(Courriel.id)))


def test_deposit_completion_and_decision_mails_arrive(service):
    app, base, smtp = service
    town, ddt = client(base, "villebelle"), client(base, "ddt99")
    r = submit(town, SAMPLES / "villebelle")
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    link = f"{base}/dossiers/{ident}"
    move = town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})
    assert move.status_code == 200, move.text

    # the deposit: to the instructeurs of the dossier's tracks (DDT, Anah, ANRU) whose territory sees it, nobody else
    for address in ("ddt99@ddt.gouv.fr", "anah99@anah.gouv.fr"):
        (received,) = wait_for(lambda a=address: smtp.inbox.to(a, "Nouveau dossier déposé"), f"dépôt à {address}")
        assert received["Subject"] == "Nouveau dossier déposé : Villebelle (99101)"
        assert "ne-pas-repondre@acv.exemple.fr" in received["From"]
        text, html = parts(received)
        assert "La commune de Villebelle (99101) a déposé un dossier Action Cœur de Ville" in text
        assert link in text and f'href="{link}"' in html and '<html lang="fr">' in html
    assert not smtp.inbox.to("al01@al.fr") and not smtp.inbox.to("admin@exemple.fr")
    assert not smtp.inbox.to("mairie@villebelle.fr", "déposé")

    # « à compléter »: to the town's accounts that have an address, with the reason
    assert ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "en_instruction"}).status_code == 200
    reason = "Il manque la délibération <du conseil> & le plan.\nPuis le bilan."
    report = ddt.get(f"/api/dossiers/{ident}/versions/1/rapport").json()
    gap = next(f for f in report["findings"] if f["status"] in {"incomplet", "non_conforme", "a_verifier"})
    move = {"vers": "a_completer", "motif": reason, "ecarts": [messagerie.gap_id(gap)]}
    r = ddt.post(f"/api/dossiers/{ident}/transitions", json=move)
    assert r.status_code == 200, r.text
    (asked,) = wait_for(lambda: smtp.inbox.to("mairie@villebelle.fr", "à compléter"), "la demande à la ville")
    assert asked["Subject"] == "Dossier à compléter : Villebelle (99101)"
    text, html = parts(asked)
    assert reason in text and "Il manque la délibération &lt;du conseil&gt; &amp; le plan.<br>\nPuis le bilan." in html
    assert "Points à compléter" in text and f"- {gap['rule']}" in text and gap["message"] in text  # the gap named
    assert f"<strong>{gap['rule']}</strong>" in html
    assert link in text

    # deposited again (the DDT's track back en instruction), then decided: « refusé », its reason and rules, to the town
    r = town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True})
    assert (
        r.status_code == 200
        and {t["partenaire"]: t["etat"] for t in r.json()["instructions"]}["ddt"] == "en_instruction"
    )
    wait_for(lambda: smtp.inbox.to("ddt99@ddt.gouv.fr", "Dossier de nouveau déposé"), "le nouveau dépôt")
    decision = {"vers": "refuse", "motif": "Périmètre ORT absent.", "regles": ["ORT-01"]}
    r = ddt.post(f"/api/dossiers/{ident}/transitions", json=decision)
    assert r.status_code == 200, r.text
    (decided,) = wait_for(lambda: smtp.inbox.to("mairie@villebelle.fr", "Décision"), "la décision")
    assert decided["Subject"] == "Décision de DDT sur votre dossier : refusé (Villebelle)"
    text, html = parts(decided)
    assert "DDT a rendu sa décision sur le dossier Action Cœur de Ville de Villebelle : refusé." in text
    assert "Périmètre ORT absent." in text and "Règles sur lesquelles la décision repose : ORT-01" in text
    assert link in text and "<strong>refusé</strong>" in html and "<strong>DDT</strong>" in html

    def all_sent():  # the sender marks a row sent just after the SMTP server took it: wait for that too
        rows = outbox(app, ident)
        return rows if rows and all(row.sent_at is not None for row in rows) else None

    rows = wait_for(all_sent, "les courriels marqués envoyés")
    assert {row.kind for row in rows} >= {"depot", "a_completer", "decision"}
    assert all(row.attempts == 1 and row.last_error is None for row in rows)


def test_server_down_during_a_decision_nothing_is_lost(service, database_url):
    app, base, smtp = service
    town, ddt = client(base, "montclair"), client(base, "ddt99")
    r = submit(town, SAMPLES / "montclair")
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code == 200
    assert ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "en_instruction"}).status_code == 200
    wait_for(lambda: all(c.sent_at for c in outbox(app, ident)), "le dépôt de Montclair envoyé")

    smtp.stop()
    try:
        r = ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "accepte"})
        assert r.status_code == 200, r.text  # the decision does not wait for the mail server
        failed = wait_for(
            lambda: [c for c in outbox(app, ident) if c.kind == "decision" and c.attempts >= 1], "un essai manqué"
        )
        assert failed[0].sent_at is None and failed[0].last_error and failed[0].to == "mairie@montclair.fr"
        listed = acv("courriels", "--base", database_url)
        assert "en attente : 1 (dont 1 après un échec)" in listed.stdout, listed.stdout + listed.stderr
        assert (
            "mairie@montclair.fr — Décision de DDT sur votre dossier" in listed.stdout and "Connection" in listed.stdout
        )
    finally:
        smtp.start()
    (decided,) = wait_for(lambda: smtp.inbox.to("mairie@montclair.fr", "Décision"), "la décision, une fois revenu")
    assert decided["Subject"] == "Décision de DDT sur votre dossier : accepté (Montclair-sur-Lys)"
    (row,) = wait_for(lambda: [c for c in outbox(app, ident) if c.kind == "decision" and c.sent_at], "marqué envoyé")
    assert row.attempts >= 2 and row.last_error is None
    time.sleep(0.5)
    assert len(smtp.inbox.to("mairie@montclair.fr", "Décision")) == 1  # sent once


def test_a_rolled_back_transition_sends_nothing(service, monkeypatch):
    app, base, smtp = service
    town = client(base, "villebelle")
    r = submit(town, SAMPLES / "villebelle")
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    original = notifications.on_transition

    def then_fail(session, dossier, moved, details=None):
        assert original(session, dossier, moved, details)  # the rows are written in the transaction…
        raise RuntimeError("panne après la notification")  # …which is then rolled back

    monkeypatch.setattr(notifications, "on_transition", then_fail)
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code == 500
    mail.wake()
    time.sleep(1.0)
    assert outbox(app, ident) == []
    with app.state.sessions() as session:
        assert session.get(Dossier, ident).state == "brouillon"
    monkeypatch.undo()
    before = len(smtp.inbox.to("anah99@anah.gouv.fr"))
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code == 200
    wait_for(lambda: len(smtp.inbox.to("anah99@anah.gouv.fr")) == before + 1, "le dépôt, une fois commité")


def test_three_senders_never_send_a_row_twice(service):
    """The service's sender and two more (other processes, say) on the same outbox: each row sent once."""
    app, _base, smtp = service
    settings = MailSettings(host="127.0.0.1", port=smtp.port, sender="acv@exemple.fr", retry=0.2)
    tag = f"concurrence-{time.monotonic_ns()}"
    senders = [Sender(app.state.sessions, settings) for _ in range(2)]
    try:
        for sender in senders:
            sender.start()
        with app.state.sessions() as session:
            session.add_all(
                Courriel(to=f"n{i}@{tag}.fr", subject=tag, text="t", html="<p>t</p>", kind="essai") for i in range(30)
            )
            session.commit()
        mail.wake()
        wait_for(lambda: len([m for m in smtp.inbox.messages if m["Subject"] == tag]) >= 30, "les 30 courriels")
        time.sleep(0.5)
        received = sorted(m["To"] for m in smtp.inbox.messages if m["Subject"] == tag)
        assert received == sorted(f"n{i}@{tag}.fr" for i in range(30))  # each exactly once
    finally:
        for sender in senders:
            sender.stop()


@pytest.mark.parametrize(
    "environ, name, message",
    [
        ({"ACV_SMTP_TLS": "tls"}, "ACV_SMTP_TLS", "« tls » inconnu (attendu : aucun, starttls ou ssl)"),
        ({"ACV_SMTP_PORT": "vingt-cinq"}, "ACV_SMTP_PORT", "« vingt-cinq » n'est pas un numéro de port (1 à 65535)"),
        ({"ACV_SMTP_PORT": "70000"}, "ACV_SMTP_PORT", "n'est pas un numéro de port"),
        ({"ACV_SMTP_HOTE": "smtp.exemple.fr"}, "ACV_SMTP_EXPEDITEUR", "l'adresse d'expédition des courriels manque"),
        ({"ACV_SMTP_EXPEDITEUR": "personne"}, "ACV_SMTP_EXPEDITEUR", "« personne » n'est pas une adresse électronique"),
        ({"ACV_SMTP_UTILISATEUR": "acv"}, "ACV_SMTP_UTILISATEUR", "se donne avec ACV_SMTP_MOT_DE_PASSE"),
        (
            {
                "ACV_SMTP_HOTE": "smtp.exemple.fr",
                "ACV_SMTP_EXPEDITEUR": "a@b.fr",
                "ACV_SMTP_UTILISATEUR": "acv",
                "ACV_SMTP_MOT_DE_PASSE": "secret",
            },
            "ACV_SMTP_MOT_DE_PASSE",
            "il ne circule pas en clair vers une autre machine",
        ),
        ({"ACV_URL_PUBLIQUE": "instruction.exemple.fr"}, "ACV_URL_PUBLIQUE", "n'est pas une adresse web"),
        ({"ACV_SMTP_REESSAI": "jamais"}, "ACV_SMTP_REESSAI", "« jamais » secondes (attendu : entre 0 et 3600)"),
    ],
)
def test_bad_settings_are_refused_in_french(environ, name, message):
    with pytest.raises(MailSettingsError) as refused:
        MailSettings.read(environ)
    assert refused.value.source == name and message in refused.value.problems[0].message


def test_acv_serve_refuses_a_bad_setting(tmp_path):
    environ = {**os.environ, "ACV_SMTP_TLS": "tls"}
    refused = subprocess.run(
        [*acv_command(), "serve", "--base", f"sqlite:///{tmp_path / 'b.sqlite3'}"], env=environ, **RUN
    )
    assert refused.returncode == 2
    assert "ACV_SMTP_TLS : 1 problème(s)" in refused.stderr and "« tls » inconnu" in refused.stderr


def test_a_bad_setting_stops_the_service_at_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv("ACV_SMTP_TLS", "ssl3")
    with pytest.raises(MailSettingsError, match="« ssl3 » inconnu"):
        create_app(f"sqlite:///{tmp_path / 'base.sqlite3'}")


def test_settings_and_an_unset_host(caplog):
    settings = MailSettings.read(
        {"ACV_SMTP_HOTE": "smtp.exemple.fr", "ACV_SMTP_TLS": "ssl", "ACV_SMTP_EXPEDITEUR": "acv@exemple.fr"}
    )
    assert (settings.port, settings.tls, settings.host) == (465, "ssl", "smtp.exemple.fr")
    assert MailSettings.read({"ACV_SMTP_TLS": "starttls"}).port == 587
    assert MailSettings.read({}).host is None
    sender = Sender(lambda: None, MailSettings.read({}))
    with caplog.at_level("WARNING", logger="acv.courriels"):
        sender.start()
    assert "ACV_SMTP_HOTE n'est pas défini" in caplog.text and "restent dans la boîte d'envoi" in caplog.text
    assert sender._thread is None
    sender.stop()


def test_addresses_of_accounts_are_checked():
    assert accounts.checked_courriel("  prenom.nom@ville.fr ") == "prenom.nom@ville.fr"
    assert accounts.checked_courriel("") is None
    for bad in ("personne", "a@b", "a b@c.fr", "a@c.fr\nBcc: x@y.fr", "<a@b.fr>"):
        with pytest.raises(accounts.AccountError, match="adresse électronique invalide"):
            accounts.checked_courriel(bad)


def test_acv_users_sets_the_address(tmp_path):
    base = f"sqlite:///{tmp_path / 'comptes.sqlite3'}"

    def users(*args: str, stdin: str = "") -> SimpleNamespace:
        return acv("users", *args, "--base", base, stdin=stdin)

    account = ["dgs-villebelle", "--role", "collectivite", "--commune", "99101"]
    done = users("create", *account, "--courriel", "dgs@villebelle.fr", stdin=f"{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert "dgs@villebelle.fr" in users("list").stdout
    bad = users("courriel", "dgs-villebelle", "dgs@villebelle")
    assert bad.returncode == 2 and "adresse électronique invalide : dgs@villebelle" in bad.stderr
    done = users("courriel", "dgs-villebelle", "secretariat@villebelle.fr")
    assert (
        done.returncode == 0
        and "Adresse des notifications de dgs-villebelle : secretariat@villebelle.fr" in done.stdout
    )
    done = users("courriel", "dgs-villebelle", "")
    assert done.returncode == 0 and "dgs-villebelle : aucune" in done.stdout
    assert "@" not in users("list").stdout
    refused = users("create", "x-ville", *account[1:], "--courriel", "x", stdin=f"{PASSWORD}\n")
    assert refused.returncode == 2 and "adresse électronique invalide" in refused.stderr


def test_without_a_host_the_mails_wait_and_leave_once_a_server_is_set(tmp_path, monkeypatch):
    for name in ("ACV_SMTP_HOTE", "ACV_SMTP_PORT", "ACV_SMTP_EXPEDITEUR", "ACV_URL_PUBLIQUE"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'sans-serveur.sqlite3'}"
    app = create_app(url)
    with app.state.sessions() as session:
        for login, role, extra in USERS[:4]:
            accounts.create_user(session, login, PASSWORD, role, **extra)
        session.commit()
    with Server(app) as base:
        town = client(base, "villebelle")
        ident = submit(town, SAMPLES / "villebelle").json()["id"]
        assert (
            town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code
            == 200
        )
        time.sleep(0.5)
        (waiting,) = outbox(app, ident)
        assert waiting.to == "ddt99@ddt.gouv.fr" and waiting.sent_at is None and waiting.attempts == 0
        assert f"/dossiers/{ident}" in waiting.text  # a path when ACV_URL_PUBLIQUE is unset
    listed = acv("courriels", "--base", url)
    assert listed.returncode == 0, listed.stderr
    assert "Envoyés : 0 ; en attente : 1 (dont 0 après un échec)" in listed.stdout
    assert "ddt99@ddt.gouv.fr — Nouveau dossier déposé : Villebelle (99101)" in listed.stdout
    smtp = SmtpServer()
    smtp.start()
    later = Sender(app.state.sessions, MailSettings(host="127.0.0.1", port=smtp.port, sender="acv@exemple.fr"))
    try:
        later.start()  # the service started again, with a server this time
        wait_for(lambda: smtp.inbox.to("ddt99@ddt.gouv.fr", "Nouveau dossier déposé"), "le courriel en attente")
        wait_for(lambda: outbox(app, ident)[0].sent_at, "marqué envoyé")
        listed = acv("courriels", "--relancer", "--base", url)
        assert (
            "0 courriel(s) en attente à réessayer" in listed.stdout and "Envoyés : 1 ; en attente : 0" in listed.stdout
        )
    finally:
        later.stop()
        smtp.stop()
        app.state.engine.dispose()
