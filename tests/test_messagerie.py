"""The messagerie, served by uvicorn on loopback, on a real PostgreSQL (SQLite too: make test-bases): one thread per
dossier between the town and the instructeurs, with attached files checked as pieces are; the same 404 for everyone
who may not see the dossier (thread, message, attached file); the « à compléter » request naming the gaps the
instructeur ticked, pinned at the top of the town's page until a new version; and the page with its thread in
Chromium, through axe."""

import re

import pytest
from conftest import SAMPLES, once
from sqlalchemy import func, select
from test_service import PASSWORD, Server, client, submit
from test_web import hidden, web_client

from instruct.service import accounts
from instruct.service.app import create_app
from instruct.service.mail_storage import Courriel
from instruct.service.messages_storage import Message

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + bytes(range(256)) * 4  # a Windows program, named as a PDF below


@pytest.fixture(scope="module")
def service(database_url):
    app = create_app(database_url)
    with app.state.sessions() as session:
        for login, role, extra in [
            ("villebelle", "collectivite", {"commune_insee": "99101"}),
            ("montclair", "collectivite", {"commune_insee": "99102"}),
            ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99"}),
            ("ddt01", "instructeur", {"partenaire": "ddt", "territoire": "dep:01"}),
            ("admin", "admin", {}),
        ]:
            user = accounts.create_user(session, login, PASSWORD, role, **extra)
            user.courriel = f"{login}@example.fr"
        session.commit()
    with Server(app) as base:
        yield app, base, database_url


@pytest.fixture(scope="module")
def villebelle(service):
    """Villebelle's dossier, deposited (recevable)."""
    _, base, _ = service
    town = client(base, "villebelle")
    r = submit(town, SAMPLES / "villebelle")
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose"}).status_code == 200
    return ident


def messages_count(app) -> int:
    with app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(Message))


def test_town_and_instructeur_exchange_with_attachments(service, villebelle):
    app, base, _ = service
    town, ddt = client(base, "villebelle"), client(base, "ddt99")
    r = town.post(
        f"/api/dossiers/{villebelle}/messages",
        data={"texte": "Voici le plan de financement signé.\nBien cordialement."},
        files=[("pieces", ("plan-financement.pdf", PDF, "application/pdf"))],
    )
    assert r.status_code == 201, r.text
    sent = r.json()
    assert sent["par"] == "villebelle" and sent["type"] == "message" and sent["pieces"][0]["taille"] == len(PDF)
    with app.state.sessions() as session:  # the instructeurs who see the dossier are told (the outbox)
        mails = session.scalars(select(Courriel).where(Courriel.kind == "message")).all()
        mails = [m for m in mails if "financement" in m.text]
        assert [m.to for m in mails] == ["ddt99@example.fr"]  # not the author, nor another territory's
        assert f"/dossiers/{villebelle}#messagerie" in mails[0].text
    thread = ddt.get(f"/api/dossiers/{villebelle}/messages").json()
    assert [m["texte"] for m in thread] == ["Voici le plan de financement signé.\nBien cordialement."]
    download = ddt.get(thread[0]["pieces"][0]["adresse"])
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert (
        download.headers["x-content-type-options"] == "nosniff"
        and "sandbox" in download.headers["content-security-policy"]
    )

    # the instructeur answers through the page's form, with an image
    page = web_client(base, "ddt99")
    html = page.get(f"/dossiers/{villebelle}").text
    assert "Voici le plan de financement signé." in html and "plan-financement.pdf" in html
    r = page.post(
        f"/dossiers/{villebelle}/messages",
        data={"csrf": hidden(html, "csrf"), "texte": "Bien reçu, merci : voici le plan annoté."},
        files=[("pieces", ("plan-annote.png", PNG, "image/png"))],
    )
    assert r.status_code == 303 and r.headers["location"] == f"/dossiers/{villebelle}?ok=message#messagerie"
    shown = web_client(base, "villebelle").get(f"/dossiers/{villebelle}").text
    assert shown.index("Voici le plan de financement") < shown.index("Bien reçu, merci")
    link = re.search(r'href="(/dossiers/[0-9a-f]+/messages/\d+/pieces/plan-annote\.png)"', shown)
    assert link, "lien de la pièce jointe absent"
    image = web_client(base, "villebelle").get(link.group(1))
    assert image.status_code == 200 and image.content == PNG and image.headers["content-type"] == "image/png"
    assert [m["par"] for m in town.get(f"/api/dossiers/{villebelle}/messages").json()] == ["villebelle", "ddt99"]
    admin = client(base, "admin")  # an administrator reads the thread too
    assert len(admin.get(f"/api/dossiers/{villebelle}/messages").json()) == 2


def test_outsiders_get_404_on_thread_message_and_attachment(service, villebelle):
    app, base, _ = service
    town = client(base, "villebelle")
    r = town.post(
        f"/api/dossiers/{villebelle}/messages",
        data={"texte": "Pièce confidentielle."},
        files=[("pieces", ("secret.pdf", PDF, "application/pdf"))],
    )
    assert r.status_code == 201, r.text
    piece = r.json()["pieces"][0]["adresse"]
    page_piece = piece.removeprefix("/api")
    before = messages_count(app)
    for outsider in ("montclair", "ddt01"):  # another town, an instructeur of another territory
        api = client(base, outsider)
        for method, path, kwargs in [
            ("get", f"/api/dossiers/{villebelle}/messages", {}),
            ("post", f"/api/dossiers/{villebelle}/messages", {"data": {"texte": "intrus"}}),
            (
                "post",
                f"/api/dossiers/{villebelle}/messages",
                {"files": [("pieces", ("x.pdf", PDF, "application/pdf"))]},
            ),
            ("get", piece, {}),
            ("get", "/api/dossiers/000000000000000000000000/messages", {}),
        ]:
            r = getattr(api, method)(path, **kwargs)
            assert r.status_code == 404, (outsider, path, r.status_code, r.text[:200])
            assert "erreur" in r.json() and "confidentielle" not in r.text
        web = web_client(base, outsider)
        csrf = hidden(web.get("/dossiers").text, "csrf")
        for r in [
            web.get(f"/dossiers/{villebelle}/messages"),
            web.post(f"/dossiers/{villebelle}/messages", data={"csrf": csrf, "texte": "intrus"}),
            web.get(page_piece),
        ]:
            assert r.status_code == 404 and "Page introuvable" in r.text and PDF not in r.content, (outsider, r.url)
    assert messages_count(app) == before  # nothing was written
    for path in (
        f"/dossiers/{villebelle}/messages/999999/pieces/secret.pdf",
        f"/dossiers/{villebelle}/messages/99999999999999999999/pieces/secret.pdf",
        page_piece + "x",
        page_piece.replace("secret.pdf", "secret%00.pdf"),
    ):  # guessed, or no piece's name
        assert web_client(base, "villebelle").get(path).status_code == 404
    assert client(base, "villebelle").get(piece.replace("secret.pdf", "secret%00.pdf")).status_code == 404
    logged_out = client(base)
    assert logged_out.get(f"/api/dossiers/{villebelle}/messages").status_code == 401
    r = logged_out.get(page_piece)
    assert r.status_code == 303 and r.headers["location"].startswith("/connexion")


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("plan.pdf", EXE, "le contenu ne correspond pas au nom : inconnu dans un fichier .pdf"),
        ("avenant\u202efdp.docx", PDF, "caractère de contrôle bidirectionnel U+202E refusé dans le nom"),
        ("page.html", b"<script>alert(1)</script>", "type de pièce jointe refusé : PDF, DOCX, PNG ou JPEG"),
        (".htaccess.pdf", PDF, "nom commençant par un point (fichier caché) refusé"),
    ],
)
def test_a_hostile_attachment_is_refused_in_french(service, villebelle, name, data, expected):
    app, base, _ = service
    before = messages_count(app)
    r = client(base, "villebelle").post(
        f"/api/dossiers/{villebelle}/messages",
        data={"texte": "Ci-joint."},
        files=[("pieces", (name, data, "application/octet-stream"))],
    )
    assert r.status_code == 422 and expected in r.text, r.text
    web = web_client(base, "villebelle")
    csrf = hidden(web.get(f"/dossiers/{villebelle}").text, "csrf")
    typed = "Un message à ne pas perdre."
    r = web.post(
        f"/dossiers/{villebelle}/messages",
        data={"csrf": csrf, "texte": typed},
        files=[("pieces", (name, data, "application/octet-stream"))],
    )
    assert r.status_code == 422 and "Message non envoyé" in r.text and typed in r.text  # what was typed stays
    assert messages_count(app) == before


def test_an_empty_or_too_long_message_is_refused(service, villebelle):
    _, base, _ = service
    town = client(base, "villebelle")
    r = town.post(f"/api/dossiers/{villebelle}/messages", data={"texte": "  "})
    assert r.status_code == 422 and "écrivez un message ou joignez une pièce" in r.json()["erreur"]
    r = town.post(f"/api/dossiers/{villebelle}/messages", data={"texte": "x" * 20001})
    assert r.status_code == 422 and "message trop long" in r.json()["erreur"]


def test_the_completion_request_is_pinned_until_a_new_version(service):
    app, base, _ = service
    town = client(base, "montclair")
    r = submit(town, SAMPLES / "montclair")
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    assert town.post(f"/api/dossiers/{ident}/transitions", json={"vers": "depose", "confirme": True}).status_code == 200
    ddt = client(base, "ddt99")
    assert ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "en_instruction"}).status_code == 200

    # the instructeur ticks two gaps of the latest report in the « à compléter » form
    web = web_client(base, "ddt99")
    html = web.get(f"/dossiers/{ident}").text
    gaps = re.findall(r'name="ecarts" value="([^"]+)"', html)
    assert len(gaps) >= 2, "cases des écarts absentes du formulaire « à compléter »"
    r = ddt.post(
        f"/api/dossiers/{ident}/transitions",
        json={"vers": "a_completer", "motif": "Complétez la convention", "ecarts": ["INCONNU:x:y"]},
    )
    assert r.status_code == 422 and "écart absent du dernier rapport" in r.json()["erreur"]
    check = f"/dossiers/{ident}/instructions/ddt/verification"
    r = web.post(check, data={"csrf": hidden(html, "csrf"), "vers": "a_completer", "motif": "", "ecarts": gaps[:2]})
    assert r.status_code == 409 and "Un motif est obligatoire" in r.text
    assert len(re.findall(r'name="ecarts" value="[^"]+" checked', r.text)) == 2  # the ticks are kept
    asked = {
        "csrf": hidden(html, "csrf"),
        "vers": "a_completer",
        "motif": "Complétez la convention",
        "ecarts": gaps[:2],
    }
    r = web.post(check, data=asked)  # the confirmation page: the gaps carried, nothing sent yet
    assert r.status_code == 200 and re.findall(r'name="ecarts" value="([^"]+)"', r.text) == gaps[:2]
    assert client(base, "montclair").get(f"/api/dossiers/{ident}/messages").json() == []
    r = web.post(
        f"/dossiers/{ident}/instructions/ddt/decision",
        data={**asked, "revision": hidden(r.text, "revision"), "choix": "confirmer"},
    )
    assert r.status_code == 303, r.text
    request = client(base, "montclair").get(f"/api/dossiers/{ident}/messages").json()[-1]
    assert request["type"] == "demande_de_complements" and request["texte"] == "Complétez la convention"
    assert [g["id"] for g in request["ecarts"]] == gaps[:2] and request["version"] == 1
    rules = [g["regle"] for g in request["ecarts"]]

    # pinned at the top of the town's page, with the gaps named
    town_web = web_client(base, "montclair")
    page = town_web.get(f"/dossiers/{ident}").text
    assert 'id="demande-complements"' in page
    pinned = page[page.index('id="demande-complements"') : page.index('class="summary')]
    assert "Compléments demandés" in pinned and "Complétez la convention" in pinned
    assert all(rule in pinned for rule in rules) and "2 écarts à compléter" in pinned
    assert page.index('id="demande-complements"') < page.index('id="rapport"')

    # the town answers with a new version: the request is no longer pinned, and stays in the thread
    r = submit(client(base, "montclair"), SAMPLES / "montclair", to=f"/api/dossiers/{ident}/versions")
    assert r.status_code == 201, r.text
    page = town_web.get(f"/dossiers/{ident}").text
    assert 'id="demande-complements"' not in page and "demande de compléments" in page
    r = ddt.post(f"/api/dossiers/{ident}/transitions", json={"vers": "accepte", "ecarts": gaps[:1]})
    assert r.status_code == 422 and "demande de compléments" in r.json()["erreur"]


# --- in a real browser ------------------------------------------------------------------------------


def test_the_dossier_page_with_its_thread_is_accessible(service, villebelle, tmp_path):
    from axe import WIDTHS, assert_accessible, assert_no_horizontal_scroll, at_width, new_browser, wait_until_loaded
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait
    from test_web import _browser_or_skip

    _, base, database_url = service
    if not once(database_url):
        pytest.skip("une fois suffit : la page est la même sur les deux bases")
    _browser_or_skip()
    town = client(base, "villebelle")
    town.post(
        f"/api/dossiers/{villebelle}/messages",
        data={"texte": "Un message pour l'accessibilité."},
        files=[("pieces", ("annexe.pdf", PDF, "application/pdf"))],
    )
    montclair = client(base, "montclair")  # a dossier « à compléter »: its request pinned, gaps named
    asked = submit(montclair, SAMPLES / "montclair").json()["id"]
    assert montclair.post(f"/api/dossiers/{asked}/transitions", json={"vers": "depose", "confirme": True}).is_success
    html = web_client(base, "ddt99").get(f"/dossiers/{asked}").text
    gaps = re.findall(r'name="ecarts" value="([^"]+)"', html)
    move = {"vers": "a_completer", "motif": "Complétez la convention.", "ecarts": gaps[:3]}
    assert client(base, "ddt99").post(f"/api/dossiers/{asked}/transitions", json=move).is_success
    driver = new_browser(tmp_path / "profil")
    try:
        for login, ident, shown in [
            ("villebelle", villebelle, "annexe.pdf"),
            ("ddt99", villebelle, "annexe.pdf"),  # the « à compléter » form and its gaps to tick
            ("montclair", asked, "demande de compléments"),
        ]:
            driver.delete_all_cookies()
            driver.get(base + "/connexion")
            driver.find_element(By.ID, "identifiant").send_keys(login)
            driver.find_element(By.ID, "mot_de_passe").send_keys(PASSWORD)
            driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            # the session cookie exists only once the login's answer has arrived
            wait_until_loaded(driver, base + "/dossiers")
            for width in WIDTHS:
                at_width(driver, width)
                driver.get(f"{base}/dossiers/{ident}#messagerie")
                # a loaded machine may still be parsing the page when get() returns: wait for the thread
                WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "messagerie"))
                assert driver.find_element(By.ID, "messagerie").is_displayed()
                assert shown in driver.find_element(By.ID, "messagerie").text.lower()  # badges in capitals
                if login == "montclair":
                    assert driver.find_element(By.ID, "demande-complements").is_displayed()
                assert_accessible(driver, f"la page du dossier et sa messagerie ({login}, {width} px)")
                assert_no_horizontal_scroll(driver, f"la page du dossier ({login}, {width} px)")
    finally:
        driver.quit()
