"""Experts' opinions (« avis d'experts »), on PostgreSQL (SQLite too: make test-bases), served by uvicorn on loopback
with a real SMTP server (aiosmtpd): an instructeur asks, the expert's mail carries a working link; the expert,
without an account, reads that dossier alone (no other dossier's data, no note, no message) and answers once with a
PDF; the requester is told by mail; who reads an opinion (confidential or not; the town never); a second answer, an
expired, cancelled or unknown link, another dossier's link, hostile or oversized attachments: all refused in French."""

import datetime as dt
import functools
import re
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import pytest
from conftest import SAMPLES, once
from sqlalchemy import func, select, update
from test_courriels import SmtpServer, parts, wait_for
from test_service import PASSWORD, Server, client, submit
from test_web import hidden, web_client

from instruct.service import accounts, uploads
from instruct.service.app import create_app
from instruct.service.instruction_storage import Avis, AvisPiece
from instruct.service.mail_storage import Courriel

PDF = (SAMPLES / "villebelle" / "pieces" / "avenant-1.pdf").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXPERT = "expert@bureau-etudes.fr"
QUESTION = "Le plan de financement de l'îlot Saint-Jean tient-il sans la subvention régionale ?"
ANSWER = "Oui, sous réserve du prêt bonifié.\nLe reste à charge est de 12 %."
PRIVATE_NOTE = "Note privée DDT : ne pas montrer à l'expert."
MESSAGE = "Message de la commune : voici nos précisions."
USERS = [
    ("villebelle", "collectivite", {"commune_insee": "99101", "courriel": "mairie@villebelle.fr"}),
    ("montclair", "collectivite", {"commune_insee": "99102"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99", "courriel": "ddt99@ddt.gouv.fr"}),
    ("anah99", "instructeur", {"partenaire": "anah", "territoire": "dep:99", "courriel": "anah99@anah.gouv.fr"}),
    ("al99", "instructeur", {"partenaire": "action-logement", "territoire": "dep:99"}),
    ("ddt01", "instructeur", {"partenaire": "ddt", "territoire": "dep:01"}),
    ("admin", "admin", {}),
]


@pytest.fixture(scope="module")
def service(database_url):
    """The service with a real SMTP server; Villebelle's and Montclair's dossiers deposited, Villebelle's with a
    private note and a message on its thread."""
    smtp = SmtpServer()
    smtp.start()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ACV_SMTP_HOTE", "127.0.0.1")
        env.setenv("ACV_SMTP_PORT", str(smtp.port))
        env.setenv("ACV_SMTP_EXPEDITEUR", "ne-pas-repondre@acv.exemple.fr")
        env.setenv("ACV_SMTP_REESSAI", "0.2")
        env.setenv("ACV_AVIS_JOURS", "10")
        app = create_app(database_url)
        with app.state.sessions() as session:
            for login, role, extra in USERS:
                accounts.create_user(session, login, PASSWORD, role, **extra)
            session.commit()
        server = Server(app)
        env.setenv("ACV_URL_PUBLIQUE", f"http://127.0.0.1:{server.port}")
        with server as base:
            ids = {}
            for town, folder in [("villebelle", "villebelle"), ("montclair", "montclair")]:
                c = client(base, town)
                r = submit(c, SAMPLES / folder)
                assert r.status_code == 201, r.text
                ids[town] = r.json()["id"]
                r = c.post(f"/api/dossiers/{ids[town]}/transitions", json={"vers": "depose", "confirme": True})
                assert r.status_code == 200, r.text
            ident = ids["villebelle"]
            r = api(base, "ddt99").post(f"/api/dossiers/{ident}/notes", json={"texte": PRIVATE_NOTE})
            assert r.status_code == 201, r.text
            r = api(base, "villebelle").post(f"/api/dossiers/{ident}/messages", data={"texte": MESSAGE})
            assert r.status_code == 201, r.text
            yield app, base, smtp, ids
    smtp.stop()


@functools.cache
def api(base: str, login: str):
    """A logged-in API client, one per account and server (each login costs an argon2 verification)."""
    return client(base, login)


@functools.cache
def pages(base: str, login: str):
    """A browser-like client logged in through the form, one per account and server."""
    return web_client(base, login)


def ask(base: str, login: str, ident: str, **extra) -> dict:
    body = {"expert_nom": "Camille Expert", "expert_courriel": EXPERT, "question": QUESTION, **extra}
    r = api(base, login).post(f"/api/dossiers/{ident}/avis", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def link_in_mail(smtp, base: str, question: str) -> str:
    """The expert's link in the (single) request mail carrying `question`."""

    def found():
        return [m for m in smtp.inbox.to(EXPERT, "Demande d'avis") if question in parts(m)[0]]

    (mail,) = wait_for(found, "la demande d'avis à l'expert")
    text, html = parts(mail)
    match = re.search(rf"{re.escape(base)}/avis/([A-Za-z0-9_-]+)", text)
    assert match, text
    assert f'href="{match.group(0)}"' in html
    return match.group(0)


def answer(expert, link: str, text: str = ANSWER, files=None, csrf=None):
    page = expert.get(link)
    data = {"csrf": csrf or hidden(page.text, "csrf"), "revision": hidden(page.text, "revision"), "reponse": text}
    return expert.post(link, data=data, files=files or [])


def stored(app, model, **where) -> int:
    with app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_the_expert_reads_that_dossier_alone_and_answers_once(service):
    app, base, smtp, ids = service
    ident = ids["villebelle"]
    asked = ask(base, "ddt99", ident, question=QUESTION + " (1)")
    assert asked["confidentiel"] is False and asked["rendu_le"] is None and asked["demande_par"] == "ddt99"
    link = link_in_mail(smtp, base, QUESTION + " (1)")
    token = link.rsplit("/", 1)[1]
    assert token not in str(asked) and "jeton" not in asked  # the link is in the mail only
    (mail,) = [m for m in smtp.inbox.to(EXPERT) if QUESTION + " (1)" in parts(m)[0]]
    assert mail["Subject"] == "Demande d'avis sur le dossier Action Cœur de Ville de Villebelle (99101)"
    text, _ = parts(mail)
    expires = dt.date.today() + dt.timedelta(days=10)
    assert f"valable jusqu'au {expires:%d/%m/%Y}" in text and "Villebelle" in text

    expert = client(base)  # no account
    page = expert.get(link)
    assert page.status_code == 200 and page.headers["referrer-policy"] == "no-referrer"
    shown = unescape(page.text)
    assert "Villebelle" in shown and QUESTION in shown and "Rapport d'instruction de la version 1" in shown
    for absent in [PRIVATE_NOTE, MESSAGE, "Montclair", ids["montclair"], "Se connecter", "Mes dossiers"]:
        assert absent not in shown, absent
    assert not re.search(r'href="/(dossiers|connexion|api)', page.text)  # nothing that needs a login
    assert 'href="/avis/' + token + '/fichiers/pieces/avenant-1.pdf"' in page.text
    got = expert.get(f"{link}/fichiers/pieces/avenant-1.pdf")
    assert got.status_code == 200 and got.content == PDF and got.headers["referrer-policy"] == "no-referrer"
    assert got.headers["content-disposition"].startswith("attachment")

    stale = expert.get(link).text  # a second tab, open before the answer
    forged = answer(expert, link, csrf="0" * 64)
    assert forged.status_code == 403 and "Formulaire refusé" in forged.text
    done = answer(expert, link, files=[("pieces", ("étude-financière.pdf", PDF, "application/pdf"))])
    assert done.status_code == 303 and done.headers["location"] == f"/avis/{token}?ok=1"
    after = expert.get(link + "?ok=1")
    assert "Votre avis a été transmis" in unescape(after.text) and "Avis rendu le" in after.text
    assert 'name="reponse"' not in after.text

    told = wait_for(lambda: smtp.inbox.to("ddt99@ddt.gouv.fr", "Avis rendu"), "l'avis rendu au demandeur")
    text, html = parts(told[0])
    assert told[0]["Subject"] == "Avis rendu sur le dossier de Villebelle (99101)"
    assert ANSWER in text and f"{base}/dossiers/{ident}#avis" in text and "(1 pièce jointe)" in text
    assert "Oui, sous réserve du prêt bonifié.<br>\nLe reste à charge est de 12 %." in html
    assert not smtp.inbox.to("mairie@villebelle.fr", "Avis")  # never the town

    again = expert.post(
        link,
        data={"csrf": hidden(stale, "csrf"), "revision": hidden(stale, "revision"), "reponse": "Je change d'avis."},
    )
    assert again.status_code == 409 and "Avis déjà rendu" in unescape(again.text)

    def wiped() -> bool:  # the link leaves the outbox once delivered (the sender marks it sent just after)
        with app.state.sessions() as session:
            rows = session.scalars(select(Courriel).where(Courriel.kind == "avis_demande"))
            return not any(token in m.text + m.html for m in rows)

    wait_for(wiped, "le lien effacé de la boîte d'envoi")
    with app.state.sessions() as session:
        kept = session.get(Avis, asked["id"])
        assert (
            kept.answer == ANSWER.strip()
            and kept.revision == 1
            and [p.name for p in kept.pieces] == ["étude-financière.pdf"]
        )

    # not confidential: every instructeur who sees the dossier reads it, and its file; the town never
    for login in ["ddt99", "anah99", "al99", "admin"]:
        listed = api(base, login).get(f"/api/dossiers/{ident}/avis")
        (item,) = [a for a in listed.json() if a["id"] == asked["id"]]
        assert item["reponse"] == ANSWER.strip() and item["rendu_le"], login
        (piece,) = item["pieces"]
        assert api(base, login).get(piece["adresse"]).content == PDF, login
        seen = pages(base, login).get(f"/dossiers/{ident}")
        assert ANSWER.split("\n")[0] in unescape(seen.text), login
        page_piece = f"/dossiers/{ident}/avis/{asked['id']}/pieces/%C3%A9tude-financi%C3%A8re.pdf"
        assert page_piece in seen.text and pages(base, login).get(page_piece).content == PDF, login
    town = api(base, "villebelle")
    refused = town.get(f"/api/dossiers/{ident}/avis")
    assert refused.status_code == 403 and refused.json() == {"erreur": "avis d'experts réservés aux instructeurs"}
    assert town.get(f"/api/dossiers/{ident}/avis/{asked['id']}/pieces/x.pdf").status_code == 403
    town_page = unescape(pages(base, "villebelle").get(f"/dossiers/{ident}").text)
    assert QUESTION not in town_page and "Avis d'experts" not in town_page
    for login in ["montclair", "ddt01"]:
        r = api(base, login).get(f"/api/dossiers/{ident}/avis")
        assert r.status_code == 404 and r.json() == {"erreur": "dossier introuvable"}, login


def test_of_simultaneous_answers_exactly_one_is_kept(service):
    app, base, smtp, ids = service
    ask(base, "ddt99", ids["villebelle"], question="Réponses simultanées.")
    link = link_in_mail(smtp, base, "Réponses simultanées.")
    form = client(base).get(link).text
    data = {"csrf": hidden(form, "csrf"), "revision": hidden(form, "revision")}

    def post(n: int):
        with client(base) as expert:
            return expert.post(link, data={**data, "reponse": f"Réponse numéro {n}."}).status_code

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(post, range(10)))
    assert sorted(statuses) == [303] + [409] * 9, statuses
    with app.state.sessions() as session:
        kept = session.scalar(select(Avis).where(Avis.question == "Réponses simultanées."))
        assert kept.revision == 1 and re.fullmatch(r"Réponse numéro \d\.", kept.answer)
    told = wait_for(
        lambda: [m for m in smtp.inbox.to("ddt99@ddt.gouv.fr", "Avis rendu") if "simultanées" in parts(m)[0]], "l'avis"
    )
    assert len(told) == 1


def test_a_confidential_opinion_stays_with_its_partner(service):
    app, base, smtp, ids = service
    ident = ids["villebelle"]
    anah = pages(base, "anah99")
    csrf = hidden(anah.get(f"/dossiers/{ident}").text, "csrf")
    question = "Question confidentielle de l'Anah sur les loyers."
    form = {"csrf": csrf, "expert_nom": "Dominique Loyer", "expert_courriel": EXPERT, "question": question}
    posted = anah.post(f"/dossiers/{ident}/avis", data={**form, "confidentiel": "1"})
    assert posted.status_code == 303 and posted.headers["location"] == f"/dossiers/{ident}?ok=avis#avis"
    link = link_in_mail(smtp, base, question)
    assert answer(client(base), link, files=[("pieces", ("loyers.png", PNG, "image/png"))]).status_code == 303
    wait_for(lambda: smtp.inbox.to("anah99@anah.gouv.fr", "Avis rendu"), "l'avis rendu à l'Anah")
    with app.state.sessions() as session:
        avis_id = session.scalar(select(Avis.id).where(Avis.question == question))
    for login, reads in [("anah99", True), ("admin", True), ("ddt99", False), ("al99", False)]:
        listed = api(base, login).get(f"/api/dossiers/{ident}/avis").json()
        assert (avis_id in [a["id"] for a in listed]) is reads, login
        page = unescape(pages(base, login).get(f"/dossiers/{ident}").text)
        assert (question in page) is reads and ("avis confidentiel (Anah)" in page) is reads, login
        piece = api(base, login).get(f"/api/dossiers/{ident}/avis/{avis_id}/pieces/loyers.png")
        assert piece.status_code == (200 if reads else 404), login
        if not reads:
            assert piece.json() == {"erreur": "avis introuvable"}


ROLES = ["villebelle", "montclair", "ddt01", "ddt99", "anah99", "al99", "admin"]


def test_every_role_against_every_route_of_an_opinion(service):
    """7 roles × 7 routes (the cells counted in the assertion): the town 403 in the API (404 on the pages), who cannot
    see the dossier 404, a confidential opinion 404 for another partner, a cancellation by another partner 403."""
    app, base, smtp, ids = service
    ident = ids["villebelle"]
    made = {}
    for login, confidentiel in [("ddt99", False), ("anah99", True)]:
        question = f"Matrice : avis {'confidentiel' if confidentiel else 'partagé'}."
        made[confidentiel] = ask(base, login, ident, question=question, confidentiel=confidentiel)["id"]
        link = link_in_mail(smtp, base, question)
        assert answer(client(base), link, files=[("pieces", ("note.pdf", PDF, "application/pdf"))]).status_code == 303
    shared, secret = made[False], made[True]
    api_piece, page_piece = "/api/dossiers/{}/avis/{}/pieces/note.pdf", "/dossiers/{}/avis/{}/pieces/note.pdf"
    body = {"expert_courriel": EXPERT, "question": "Matrice : une demande de plus."}
    expected = {  # route -> status per role, in the order of ROLES
        ("api", "get", "/api/dossiers/{}/avis"): [403, 404, 404, 200, 200, 200, 200],
        ("api", "get", api_piece.format(ident, shared)): [403, 404, 404, 200, 200, 200, 200],
        ("api", "get", api_piece.format(ident, secret)): [403, 404, 404, 404, 200, 404, 200],
        ("page", "get", page_piece.format(ident, shared)): [404, 404, 404, 200, 200, 200, 200],
        ("page", "get", page_piece.format(ident, secret)): [404, 404, 404, 404, 200, 404, 200],
        ("api", "post", "/api/dossiers/{}/avis"): [403, 404, 404, 201, 201, 201, 201],
    }
    cells = 0
    for (shell, method, path), statuses in expected.items():
        for login, status in zip(ROLES, statuses, strict=True):
            c = api(base, login) if shell == "api" else pages(base, login)
            r = c.post(path.format(ident), json=body) if method == "post" else c.get(path.format(ident))
            assert r.status_code == status, (login, path, r.status_code, r.text[:200])
            if status == 200:
                assert r.content == PDF or isinstance(r.json(), list)
            elif shell == "api" and status >= 400:
                assert r.json()["erreur"] in {
                    "avis d'experts réservés aux instructeurs",
                    "dossier introuvable",
                    "avis introuvable",
                }
            cells += 1
    # the cancellation of an unanswered request of the DDT's: only the DDT (or an admin) cancels it
    pending = ask(base, "ddt99", ident, question="Matrice : à annuler.")["id"]
    for login, status in [("villebelle", 403), ("montclair", 404), ("ddt01", 404), ("anah99", 403), ("al99", 403)]:
        r = api(base, login).delete(f"/api/dossiers/{ident}/avis/{pending}")
        assert r.status_code == status, (login, r.text)
        cells += 1
    assert api(base, "ddt99").delete(f"/api/dossiers/{ident}/avis/{pending}").status_code == 204
    other = ask(base, "anah99", ident, question="Matrice : l'administrateur annule.", confidentiel=True)["id"]
    assert api(base, "admin").delete(f"/api/dossiers/{ident}/avis/{other}").status_code == 204
    cells += 2
    assert cells == 6 * 7 + 7
    with app.state.sessions() as session:
        assert session.get(Avis, pending) is None


def test_cancelled_expired_and_unknown_links_lead_nowhere(service):
    app, base, smtp, ids = service
    ident = ids["villebelle"]
    expert = client(base)
    unknown = expert.get("/avis/" + "A" * 43)
    assert unknown.status_code == 404 and "Lien introuvable" in unknown.text
    assert unknown.headers["referrer-policy"] == "no-referrer"
    assert expert.get("/avis/court").text == unknown.text

    # cancelled by its partner's instructeur through the page (another partner may not)
    asked = ask(base, "anah99", ident, question="À annuler.")
    link = link_in_mail(smtp, base, "À annuler.")
    assert expert.get(link).status_code == 200
    other = api(base, "ddt99").delete(f"/api/dossiers/{ident}/avis/{asked['id']}")
    assert other.status_code == 403 and "seuls les instructeurs du partenaire" in other.json()["erreur"]
    anah = pages(base, "anah99")
    shown = anah.get(f"/dossiers/{ident}").text
    assert f'action="/dossiers/{ident}/avis/{asked["id"]}/annuler"' in shown
    cancelled = anah.post(f"/dossiers/{ident}/avis/{asked['id']}/annuler", data={"csrf": hidden(shown, "csrf")})
    assert cancelled.status_code == 303
    gone = expert.get(link)
    assert gone.status_code == 404 and gone.text == unknown.text
    assert expert.get(f"{link}/fichiers/dossier.yaml").text == unknown.text
    assert answer_blind(expert, link).status_code == 404

    # expired
    ask(base, "ddt99", ident, question="Expire bientôt.")
    link = link_in_mail(smtp, base, "Expire bientôt.")
    assert expert.get(link).status_code == 200
    with app.state.sessions() as session:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        session.execute(update(Avis).where(Avis.question == "Expire bientôt.").values(expires_at=past))
        session.commit()
    expired = expert.get(link)
    assert expired.status_code == 404 and expired.text == unknown.text
    assert answer_blind(expert, link).status_code == 404
    # an answered opinion is not cancelled
    answered = api(base, "ddt99").get(f"/api/dossiers/{ident}/avis").json()
    done = next(a for a in answered if a["rendu_le"] and a["partenaire"] == "ddt")
    late = api(base, "ddt99").delete(f"/api/dossiers/{ident}/avis/{done['id']}")
    assert late.status_code == 409 and late.json() == {"erreur": "avis déjà rendu : la demande ne s'annule plus"}


def answer_blind(expert, link: str):
    """An answer posted without having read the page (the link no longer works)."""
    return expert.post(link, data={"csrf": "0" * 64, "revision": "0", "reponse": "tard"})


def test_another_dossiers_link_reaches_only_its_own_files(service):
    _, base, smtp, ids = service
    ask(base, "ddt99", ids["montclair"], question="Question sur Montclair.")
    link = link_in_mail(smtp, base, "Question sur Montclair.")
    expert = client(base)
    page = unescape(expert.get(link).text)
    assert "Montclair" in page and "Villebelle" not in page
    own = expert.get(f"{link}/fichiers/dossier.yaml")
    assert own.status_code == 200 and own.content == (SAMPLES / "montclair" / "dossier.yaml").read_bytes()
    for name in ["pieces/avenant-1.pdf", "pieces/note-projet-urbain.pdf", "../villebelle/dossier.yaml"]:
        assert expert.get(f"{link}/fichiers/{name}").status_code == 404, name


def test_hostile_or_oversized_attachments_are_refused_in_french(service, monkeypatch):
    app, base, smtp, ids = service
    ident = ids["villebelle"]
    ask(base, "ddt99", ident, question="Pièces jointes piégées.")
    link = link_in_mail(smtp, base, "Pièces jointes piégées.")
    expert = client(base)
    cases = [
        ("..\\..\\evil.pdf", PDF, "nom de pièce jointe refusé"),
        ("plan\u202egpj.pdf", PDF, "caractère de contrôle bidirectionnel U+202E refusé dans le nom"),
        (".cache.pdf", PDF, "nom commençant par un point (fichier caché) refusé"),
        ("programme.exe", PDF, "type de pièce jointe refusé"),
        ("faux.pdf", PNG, "le contenu ne correspond pas au nom"),
    ]
    for name, data, message in cases:
        r = answer(expert, link, files=[("pieces", (name, data, "application/octet-stream"))])
        assert r.status_code == 422 and message in unescape(r.text), name
        assert ANSWER in unescape(r.text)  # the answer is shown again, nothing lost
    monkeypatch.setattr(uploads, "MAX_UPLOAD", len(PDF) - 1)
    big = answer(expert, link, files=[("pieces", ("gros.pdf", PDF, "application/pdf"))])
    assert big.status_code == 422 and "fichier trop volumineux" in unescape(big.text)
    monkeypatch.undo()
    empty = answer(expert, link, text="   ")
    assert empty.status_code == 422 and "avis vide : écrivez votre avis" in unescape(empty.text)
    with app.state.sessions() as session:
        pending = session.scalar(select(Avis).where(Avis.question == "Pièces jointes piégées."))
        assert pending.answered_at is None and pending.revision == 0
    assert stored(app, AvisPiece, avis_id=pending.id) == 0


def test_requests_are_checked_in_french(service):
    _, base, _, ids = service
    ident = ids["villebelle"]
    body = {"expert_nom": "X", "expert_courriel": EXPERT, "question": "Q ?"}
    town = api(base, "villebelle").post(f"/api/dossiers/{ident}/avis", json=body)
    assert town.status_code == 403 and town.json() == {"erreur": "avis d'experts réservés aux instructeurs"}
    for login in ["montclair", "ddt01"]:
        r = api(base, login).post(f"/api/dossiers/{ident}/avis", json=body)
        assert r.status_code == 404 and r.json() == {"erreur": "dossier introuvable"}, login
    ddt = api(base, "ddt99")
    bad = ddt.post(f"/api/dossiers/{ident}/avis", json={**body, "expert_courriel": "pas-une-adresse"})
    assert bad.status_code == 422 and bad.json()["erreur"].startswith("adresse électronique invalide")
    empty = ddt.post(f"/api/dossiers/{ident}/avis", json={**body, "question": "  "})
    assert empty.status_code == 422 and "question vide" in empty.json()["erreur"]
    long = ddt.post(f"/api/dossiers/{ident}/avis", json={**body, "question": "q" * 20001})
    assert long.status_code == 422 and "requête invalide" in long.json()["erreur"]
    assert ddt.delete(f"/api/dossiers/{ident}/avis/999999").json() == {"erreur": "avis introuvable"}
    # the page's form: the problem shown with the values typed
    page = pages(base, "ddt99")
    csrf = hidden(page.get(f"/dossiers/{ident}").text, "csrf")
    form = {"csrf": csrf, "expert_nom": "Claude", "expert_courriel": "claude@", "question": "Ma question"}
    shown = page.post(f"/dossiers/{ident}/avis", data=form)
    assert shown.status_code == 422 and "Demande d'avis non envoyée" in unescape(shown.text)
    assert "adresse électronique invalide" in unescape(shown.text) and "Ma question" in shown.text


def test_the_experts_page_is_accessible(service, database_url, tmp_path):
    if not once(database_url):
        pytest.skip("une fois suffit : la page est la même sur les deux bases")
    from axe import assert_accessible, assert_no_horizontal_scroll, at_width, new_browser
    from test_web import _browser_or_skip

    _, base, smtp, ids = service
    _browser_or_skip()
    ask(base, "ddt99", ids["villebelle"], question="Pour la vérification d'accessibilité.")
    link = link_in_mail(smtp, base, "Pour la vérification d'accessibilité.")
    driver = new_browser(tmp_path / "profil")
    try:
        driver.get(link)
        assert "Avis d'expert" in driver.title
        assert_accessible(driver, "la page de l'expert")
        at_width(driver, 375)
        driver.get(link)
        assert_no_horizontal_scroll(driver, "la page de l'expert à 375 px")
    finally:
        driver.quit()
