"""The whole story of a dossier, in headless Chromium, on PostgreSQL, with a real SMTP server on loopback: a town
deposits Belcastel (six immeubles); Action Logement passes its track en instruction, accepts two immeubles and
refuses one with reasons and rule ids, through the confirmation page; the DDT returns the dossier « à compléter »
naming gaps; the town receives the e-mail, answers in the messagerie, adds a version and deposits it again; the DDT
asks a confidential expert opinion, which the expert gives by the e-mailed link with no account; the DDT accepts;
the DDT and Action Logement each write a private annotation the other never reads; the town's page shows each
track's state and decisions, and no annotation or opinion. Checked with axe on the way."""

import re
import time
from html import unescape

import pytest
from conftest import SAMPLES
from test_courriels import SmtpServer, parts, wait_for
from test_service import PASSWORD, Server, folder_zip
from test_web import _browser_or_skip

from instruct.service import accounts
from instruct.service.app import create_app

USERS = [
    ("belcastel", "collectivite", {"commune_insee": "99104", "courriel": "mairie@belcastel.fr"}),
    ("al99", "instructeur", {"partenaire": "action_logement", "territoire": "dep:99", "courriel": "al99@al.fr"}),
    ("ddt99", "instructeur", {"partenaire": "ddt", "territoire": "dep:99", "courriel": "ddt99@ddt.gouv.fr"}),
]


@pytest.fixture(scope="module")
def story(database_url, tmp_path_factory):
    if not database_url.startswith("postgresql"):
        pytest.skip("le parcours complet se joue sur PostgreSQL")
    _browser_or_skip()
    from axe import new_browser

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
        driver = new_browser(tmp_path_factory.mktemp("profil"))
        try:
            with server as base:
                yield base, smtp, driver, tmp_path_factory.mktemp("zip")
        finally:
            driver.quit()
            smtp.stop()


def test_a_dossier_from_deposit_to_decisions(story):
    from axe import assert_accessible
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    base, smtp, browser, folder = story
    find = browser.find_element
    started = time.monotonic()

    def go(element) -> None:
        old = find(By.TAG_NAME, "html")
        element.click()

        def left(_driver) -> bool:
            try:
                old.is_enabled()
            except WebDriverException:
                return True
            return False

        WebDriverWait(browser, 30).until(left)
        WebDriverWait(browser, 30).until(lambda b: b.execute_script("return document.readyState") == "complete")

    def open_page(address: str) -> None:
        """A page, once its main content is there (a navigation may still be settling after a click)."""
        browser.get(address)
        WebDriverWait(browser, 30).until(
            lambda b: (
                b.find_elements(By.CSS_SELECTOR, "main, #contenu")
                and b.execute_script("return document.readyState") == "complete"
            )
        )

    def button(label: str):
        return find(By.XPATH, f'//button[normalize-space()="{label}"]')

    def tick(ident: str) -> None:  # the DSFR draws radios and boxes in their labels
        labels = browser.find_elements(By.CSS_SELECTOR, f"label[for='{ident}']")
        assert labels, f"{ident} absent : {main_text()[:2000]}"
        labels[0].click()
        assert find(By.ID, ident).is_selected()

    def main_text() -> str:
        return find(By.TAG_NAME, "main").text

    def log_in(login: str) -> None:
        browser.delete_all_cookies()
        open_page(base + "/connexion")
        find(By.ID, "identifiant").send_keys(login)
        find(By.ID, "mot_de_passe").send_keys(PASSWORD)
        go(find(By.CSS_SELECTOR, "main form button[type=submit]"))
        assert browser.current_url == base + "/dossiers", main_text()

    def confirm(expected: str) -> None:
        """The confirmation page: what the town will receive, then « Confirmer et envoyer »."""
        assert (
            "Rien n'est encore enregistré" in main_text() and expected in find(By.CSS_SELECTOR, "section.apercu").text
        )
        go(button("Confirmer et envoyer"))
        assert "Décision enregistrée" in find(By.CSS_SELECTOR, "[role=status]").text, main_text()

    def piste(partner: str) -> str:
        return " ".join(find(By.ID, f"piste-{partner}").text.split()).lower()

    archive = folder / "belcastel.zip"
    archive.write_bytes(folder_zip(SAMPLES / "belcastel"))

    # the town sends its dossier as a ZIP and deposits it, the blocking gaps confirmed
    log_in("belcastel")
    open_page(base + "/dossiers/nouveau")
    find(By.ID, "nouveau-archive").send_keys(str(archive))
    go(button("Envoyer et évaluer"))
    url = browser.current_url.split("?")[0]
    assert re.fullmatch(rf"{re.escape(base)}/dossiers/[0-9a-f]{{24}}", url), main_text()
    tick("confirme-depose")
    go(button("Déposer le dossier"))
    assert "0 décision sur 4" in find(By.ID, "instruction").text and "/verification" not in browser.page_source
    go(find(By.LINK_TEXT, "Retirer le dossier"))  # offered, with its confirmation, while nothing is decided
    assert "Ce retrait est définitif" in main_text()
    assert_accessible(browser, "la confirmation du retrait du dossier")
    go(find(By.LINK_TEXT, "Annuler"))
    wait_for(lambda: smtp.inbox.to("al99@al.fr", "Nouveau dossier déposé"), "le dépôt, à Action Logement")

    # Action Logement: its track en instruction, then two immeubles accepted and one refused, with rule ids
    log_in("al99")
    open_page(url)
    shown = browser.find_elements(By.ID, "decision-action-logement")
    assert shown and not browser.find_elements(By.ID, "decision-ddt"), browser.current_url + " " + main_text()[:3000]
    go(button("Vérifier avant d'envoyer"))  # « passer en instruction », the first move, is chosen
    confirm("Aucun courriel")
    assert "en instruction" in piste("action-logement")
    assert_accessible(browser, "la page du dossier et le tableau des décisions par immeuble d'Action Logement")
    for ident in ("IMM-01", "IMM-02"):
        tick(f"decision-{ident}-accepte")
    tick("decision-IMM-03-refuse")
    find(By.ID, "motif-IMM-03").send_keys("Prix de revient incohérent avec le plan de financement.")
    rule = Select(find(By.ID, "regles-IMM-03")).options[0].get_attribute("value")
    Select(find(By.ID, "regles-IMM-03")).select_by_value(rule)
    go(button("Vérifier les décisions avant d'envoyer"))
    assert_accessible(browser, "la page de confirmation des décisions par immeuble")
    table = find(By.CSS_SELECTOR, "main table").text
    assert "IMM-01" in table and "refusé" in table and rule in table
    confirm("Décisions de Action Logement par immeuble")
    decided = find(By.CSS_SELECTOR, "table.immeubles-decisions").text.lower()
    assert decided.count("accepté") >= 2 and "refusé" in decided and rule.lower() in decided

    # the DDT: its track returned « à compléter », naming two gaps of the report
    log_in("ddt99")
    open_page(url)
    tick("vers-ddt-a_completer")
    find(By.ID, "motif-ddt").send_keys("Merci de compléter la convention-cadre.")
    tick("ecart-ddt-1")
    tick("ecart-ddt-2")
    go(button("Vérifier avant d'envoyer"))
    confirm("Objet : Dossier à compléter")
    assert "à compléter" in piste("ddt")

    # the town receives the e-mail, answers in the messagerie, adds a version and deposits it again
    (asked,) = wait_for(lambda: smtp.inbox.to("mairie@belcastel.fr", "à compléter"), "la demande de compléments")
    text, _ = parts(asked)
    assert "DDT demande de compléter" in text and "Merci de compléter la convention-cadre." in text
    assert "Points à compléter" in text and url.replace(base, "") in text
    log_in("belcastel")
    open_page(url)
    assert find(By.ID, "demande-complements").is_displayed()
    find(By.ID, "message-texte").send_keys("La convention-cadre signée est jointe à la nouvelle version.")
    go(button("Envoyer le message"))
    assert "La convention-cadre signée est jointe" in find(By.ID, "messagerie").text
    find(By.ID, "version-archive").send_keys(str(archive))
    go(button("Envoyer la nouvelle version"))
    tick("confirme-depose")
    go(button("Déposer le dossier"))
    assert "en instruction" in piste("ddt")  # back to its instructeur
    wait_for(lambda: smtp.inbox.to("ddt99@ddt.gouv.fr", "Dossier de nouveau déposé"), "le nouveau dépôt, à la DDT")

    # avis d'expert: the DDT asks a confidential opinion; the expert, with no account, answers by the link
    log_in("ddt99")
    open_page(url)
    find(By.ID, "avis-nom").send_keys("Claire Expert")
    find(By.ID, "avis-courriel").send_keys("claire.expert@cerema.exemple.fr")
    find(By.ID, "avis-question").send_keys("Le plan de financement des immeubles tient-il ?")
    tick("avis-confidentiel")
    go(button("Envoyer la demande d'avis"))
    (invited,) = wait_for(lambda: smtp.inbox.to("claire.expert@cerema.exemple.fr", "Demande d'avis"), "la demande")
    link = re.search(rf"{re.escape(base)}/avis/[A-Za-z0-9_-]+", parts(invited)[0]).group(0)
    browser.delete_all_cookies()
    open_page(link)
    assert "Le plan de financement des immeubles tient-il ?" in main_text()
    assert "La convention-cadre signée est jointe" not in browser.page_source  # no messagerie for the expert
    assert not browser.find_elements(By.PARTIAL_LINK_TEXT, "Se connecter")
    assert_accessible(browser, "la page de l'expert")
    find(By.ID, "reponse-texte").send_keys("Avis de l'expert : le financement de IMM-02 est fragile.")
    find(By.ID, "reponse-pieces").send_keys(str(SAMPLES / "belcastel" / "pieces" / "note-utilite.pdf"))
    go(button("Transmettre mon avis"))
    assert not browser.find_elements(By.ID, "reponse-texte"), main_text()  # answered once: no form any more
    wait_for(lambda: smtp.inbox.to("ddt99@ddt.gouv.fr", "Avis rendu"), "l'avis rendu, à la DDT")
    log_in("ddt99")
    open_page(url)
    assert "le financement de IMM-02 est fragile" in main_text() and "note-utilite.pdf" in main_text()

    # the DDT accepts, through its confirmation page
    log_in("ddt99")
    open_page(url)
    tick("vers-ddt-accepte")
    find(By.ID, "motif-ddt").send_keys("Programme conforme, ORT en vigueur.")
    go(button("Vérifier avant d'envoyer"))
    confirm("Décision de DDT sur votre dossier : accepté")

    # annotations privées: the DDT's and Action Logement's, each read by its own partner alone
    find(By.ID, "note-texte").send_keys("Réserve DDT : suivre la signature de l'ORT.")
    go(button("Ajouter l'annotation"))
    assert "Réserve DDT : suivre la signature de l'ORT." in find(By.ID, "notes").text
    log_in("al99")
    open_page(url)
    assert "Réserve DDT" not in browser.page_source and "financement de IMM-02" not in browser.page_source
    find(By.ID, "note-texte").send_keys("Réserve Action Logement : loyers de IMM-01 à vérifier.")
    go(button("Ajouter l'annotation"))
    assert "Réserve Action Logement" in find(By.ID, "notes").text
    log_in("ddt99")
    open_page(url)
    assert "Réserve DDT" in browser.page_source and "Réserve Action Logement" not in browser.page_source

    # the town sees each track's state and decisions, and was told of each
    log_in("belcastel")
    open_page(url)
    assert "accepté" in piste("ddt") and "programme conforme, ort en vigueur." in piste("ddt")
    assert "en instruction" in piste("action-logement") and "dépos" in piste("anah")
    assert "1 décision sur 4" in find(By.ID, "instruction").text
    decided = find(By.CSS_SELECTOR, "table.immeubles-decisions").text.lower()
    assert "prix de revient incohérent" in decided and rule.lower() in decided
    assert "/verification" not in browser.page_source  # never a form of a track
    for hidden_text in ("Réserve DDT", "Réserve Action Logement", "financement de IMM-02", "Claire Expert"):
        assert hidden_text not in browser.page_source, hidden_text  # no annotation, no opinion for the town
    assert_accessible(browser, "la page du dossier, vue par la collectivité, après les décisions")
    (immeubles,) = wait_for(lambda: smtp.inbox.to("mairie@belcastel.fr", "par immeuble"), "les décisions par immeuble")
    assert "Prix de revient incohérent" in unescape(parts(immeubles)[0])
    (ddt,) = wait_for(lambda: smtp.inbox.to("mairie@belcastel.fr", "Décision de DDT"), "la décision de la DDT")
    assert "accepté" in ddt["Subject"]
    assert time.monotonic() - started < 180
