"""The guided form's drafts over plain HTTP and in the database: a save is conditional on the draft's revision (on
PostgreSQL; SQLite too with make test-bases), bad input gets a French message beside its field and nothing typed is
lost, the pieces pre-fill the form with their quotes, a dossier imported then exported reads back the same, a draft
is deposited through the dossiers' use cases, and a town never sees another town's draft."""

import io
import re
import zipfile
from html import unescape

import httpx
import pytest
from conftest import SAMPLES
from test_service import PASSWORD, Server, folder_zip
from test_web import hidden
from test_web import web_client as _client

from instruct.documents.load import validate
from instruct.service import accounts, drafts
from instruct.service.app import create_app
from instruct.service.storage import make_engine, sessions, upgrade
from instruct.yamlio import parse

PIECES = SAMPLES / "villebelle" / "pieces"


# --- in the database ----------------------------------------------------------------------------


def test_a_save_is_conditional_on_the_revision(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    try:
        with sessions(engine)() as session:
            user = accounts.create_user(
                session, f"brouillon{engine.dialect.name}", PASSWORD, "collectivite", commune_insee="99101"
            )
            draft = drafts.create(session, user, {"collectivites.ville_centre.nom": "Villebelle"})
            session.commit()
            assert draft.revision == 1
            assert drafts.save(session, draft, 1, {"collectivites.ville_centre.nom": "Villebelle-sur-Belle"}) == 2
            session.commit()
            with pytest.raises(drafts.Stale, match="modifié entre-temps"):
                drafts.save(session, draft, 1, {"collectivites.ville_centre.nom": "perdu"})
            session.rollback()
            session.refresh(draft)
            assert draft.raw == {"collectivites.ville_centre.nom": "Villebelle-sur-Belle"} and draft.revision == 2
            assert drafts.add_pieces(session, draft, 2, {"a.pdf": b"%PDF-1.7 une piece"}) == 3
            session.commit()
            session.refresh(draft)
            assert [p.name for p in draft.pieces] == ["a.pdf"]
            assert drafts.pieces_of(session, draft) == {"a.pdf": b"%PDF-1.7 une piece"}
    finally:
        engine.dispose()


# --- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('formulaire') / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        accounts.create_user(session, "montclair", PASSWORD, "collectivite", commune_insee="99102")
        accounts.create_user(session, "ddt99", PASSWORD, "instructeur", partenaire="ddt", territoire="dep:99")
        session.commit()
    with Server(app) as base:
        yield app, base


def web_client(base: str, login: str):
    """A logged-in client, closed by `with`."""
    from contextlib import closing

    return closing(_client(base, login))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _start(c, **kwargs):
    csrf = hidden(c.get("/dossiers/nouveau").text, "csrf")
    data = {"csrf": csrf, **kwargs.pop("data", {"depart": "vide"})}
    r = c.post("/brouillons", data=data, **kwargs)
    assert r.status_code == 303, _text(r.text)[:2000]
    return r.headers["location"].rsplit("/", 1)[0], csrf


def _beside(html: str, field_id: str) -> str:
    """The message under a field (its messages group)."""
    found = re.search(rf'id="{re.escape(field_id)}-messages"[^>]*>(.*?)</div>', html, re.S)
    return _text(found.group(1)).strip() if found else ""


def test_bad_input_is_shown_beside_its_field_and_kept(site):
    _, base = site
    with web_client(base, "villebelle") as c:
        root, csrf = _start(c)
        page = c.get(f"{root}/convention").text
        assert 'name="convention.cadre.date_signature"' in page
        r = c.post(
            f"{root}/convention",
            data={
                "csrf": csrf,
                "revision": hidden(page, "revision"),
                "action": "enregistrer",
                "convention.cadre.date_signature": "31/02/2019",
            },
        )
        assert r.status_code == 303
        page = c.get(f"{root}/convention").text
        assert 'value="31/02/2019"' in page
        assert "date" in _beside(page, "champ-convention-cadre-date_signature").lower()
        # letters in an amount, on the fiches' step
        page = c.get(f"{root}/fiches").text
        r = c.post(
            f"{root}/fiches",
            data={"csrf": csrf, "revision": hidden(page, "revision"), "action": "ajouter:fiches_actions"},
        )
        assert r.status_code == 303
        page = c.get(f"{root}/fiches").text
        values = {
            "csrf": csrf,
            "revision": hidden(page, "revision"),
            "action": "enregistrer",
            "fiches_actions.__nombre": "1",
            "fiches_actions.0.id": "FA-01",
            "fiches_actions.0.intitule": "Réhabilitation des halles",
            "fiches_actions.0.cout": "douze mille",
        }
        assert c.post(f"{root}/fiches", data=values).status_code == 303
        page = c.get(f"{root}/fiches").text
        assert 'value="douze mille"' in page and 'value="Réhabilitation des halles"' in page
        message = _beside(page, "champ-fiches_actions-0-cout")
        assert message and "montant" in message.lower(), message
        # the date typed on the other step is still there
        assert 'value="31/02/2019"' in c.get(f"{root}/convention").text


def test_a_stale_save_is_refused_and_the_values_typed_are_shown_again(site):
    _, base = site
    with web_client(base, "villebelle") as c:
        root, csrf = _start(c)
        page = c.get(f"{root}/collectivites").text
        revision = hidden(page, "revision")
        first = {"csrf": csrf, "revision": revision, "action": "enregistrer", "collectivites.ville_centre.nom": "Un"}
        assert c.post(f"{root}/collectivites", data=first).status_code == 303
        second = first | {"collectivites.ville_centre.nom": "Deuxième onglet"}
        r = c.post(f"{root}/collectivites", data=second)
        assert r.status_code == 409
        assert "modifié entre-temps" in _text(r.text) and 'value="Deuxième onglet"' in r.text
        auto = c.post(f"{root}/collectivites", data=second, headers={"X-Enregistrement": "auto"})
        assert auto.status_code == 409 and "modifié entre-temps" in auto.json()["erreur"]


def test_the_pieces_prefill_the_form_with_their_quotes(site):
    _, base = site
    with web_client(base, "villebelle") as c:
        files = [
            ("pieces_lues", ("convention-cadre.docx", (PIECES / "convention-cadre.docx").read_bytes())),
            ("pieces_lues", ("avenant-1.pdf", (PIECES / "avenant-1.pdf").read_bytes())),
        ]
        root, csrf = _start(c, data={"depart": "pieces"}, files=files)
        page = c.get(f"{root}/convention").text
        assert 'value="28/09/2018"' in page  # the convention's date of signature, read in the DOCX
        assert re.search(r"Lu dans (convention-cadre\.docx|avenant-1\.pdf), [^:]+ : «", _text(page))
        assert 'name="confirme"' in page
        summary = _text(c.get(f"{root}/recapitulatif").text)
        assert "Ce qu'il reste à fournir" in summary and "Bloquant" in summary
        assert "Valeurs lues dans vos pièces, à confirmer" in summary
        assert "fiches_actions[" not in summary and "convention.cadre" not in summary  # no machine path


def test_an_imported_dossier_exports_the_same_and_is_deposited(site):
    app, base = site
    with web_client(base, "villebelle") as c:
        archive = folder_zip(SAMPLES / "villebelle")
        root, csrf = _start(c, data={"depart": "import"}, files={"dossier_importe": ("villebelle.zip", archive)})
        exported = c.get(f"{root}/export/dossier.yaml")
        assert exported.status_code == 200
        original = (SAMPLES / "villebelle" / "dossier.yaml").read_text(encoding="utf-8")
        again = validate(parse(exported.text, "export"), "export")
        assert again == validate(parse(original, "origine"), "origine")
        with zipfile.ZipFile(io.BytesIO(c.get(f"{root}/export/dossier.zip").content)) as z:
            names = sorted(z.namelist())
        assert "dossier/dossier.yaml" in names and "dossier/pieces/avenant-1.pdf" in names
        # another town sees nothing of it
        with web_client(base, "montclair") as other:
            assert other.get(f"{root}/collectivites").status_code == 404
            assert other.get(f"{root}/export/dossier.zip").status_code == 404
        r = c.post(f"{root}/depot", data={"csrf": csrf, "confirme": "1"})
        assert r.status_code == 303, _text(r.text)[:3000]
        dossier_page = c.get(r.headers["location"]).text
        assert "Déposé" in _text(dossier_page) or "déposé" in _text(dossier_page)
        assert c.get(f"{root}/collectivites").status_code == 404  # the draft became the version


def test_a_file_too_large_is_refused_beside_its_field(site):
    _, base = site
    with web_client(base, "villebelle") as c:
        root, csrf = _start(c)
        page = c.get(f"{root}/pieces").text
        r = c.post(
            f"{root}/pieces",
            data={"csrf": csrf, "revision": hidden(page, "revision"), "action": "ajouter-pieces"},
            files={"nouvelles_pieces": ("enorme.pdf", b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024))},
        )
        assert r.status_code == 422
        assert "trop volumineux" in _beside(r.text, "nouvelles_pieces")


def test_a_new_version_is_prepared_with_the_form_from_the_latest_one(site):
    _, base = site
    with web_client(base, "villebelle") as c:
        csrf = hidden(c.get("/dossiers/nouveau").text, "csrf")
        archive = folder_zip(SAMPLES / "villebelle")
        r = c.post("/dossiers/nouveau", data={"csrf": csrf}, files={"archive": ("v.zip", archive, "application/zip")})
        assert r.status_code == 303, _text(r.text)[:2000]
        dossier = r.headers["location"].split("?")[0]
        page = c.get(dossier).text
        assert "Créer une nouvelle version avec le formulaire" in page
        r = c.post(f"{dossier}/brouillon", data={"csrf": csrf})
        assert r.status_code == 303
        root = r.headers["location"].rsplit("/", 1)[0]
        assert "Nouvelle version du dossier" in _text(c.get(r.headers["location"]).text)
        summary = _text(c.get(f"{root}/recapitulatif").text)
        assert "Pièces jointes : 3" in summary
        with zipfile.ZipFile(io.BytesIO(c.get(f"{dossier}/versions/1/dossier.zip").content)) as z:
            assert "dossier/dossier.yaml" in z.namelist()
        r = c.post(f"{root}/depot", data={"csrf": csrf, "confirme": "1"})
        assert r.status_code == 303 and r.headers["location"].startswith(dossier), _text(r.text)[:2000]
        page = _text(c.get(dossier).text)
        assert "2 versions" in page or "Version 2" in page or "version 2" in page.lower()


def test_the_drafts_in_the_json_api(site):
    _, base = site
    with httpx.Client(base_url=base, timeout=120) as c:
        token = c.post("/api/session", json={"identifiant": "montclair", "mot_de_passe": PASSWORD}).json()["jeton"]
        c.headers["Authorization"] = f"Bearer {token}"
        created = c.post("/api/brouillons", json={"valeurs": {"collectivites.ville_centre.nom": "Montclair"}})
        assert created.status_code == 201
        ident, revision = created.json()["id"], created.json()["revision"]
        values = {"collectivites.ville_centre.nom": "Montclair", "convention.cadre.date_signature": "15/06/2019"}
        saved = c.put(f"/api/brouillons/{ident}", json={"revision": revision, "valeurs": values})
        assert saved.status_code == 200 and saved.json()["revision"] == revision + 1
        stale = c.put(f"/api/brouillons/{ident}", json={"revision": revision, "valeurs": {}})
        assert stale.status_code == 409 and "modifié entre-temps" in stale.json()["erreur"]
        assert c.get(f"/api/brouillons/{ident}").json()["valeurs"] == values
        gaps = c.get(f"/api/brouillons/{ident}/ecarts").json()
        assert gaps["reste_a_fournir"] and all(g["libelle"] for g in gaps["reste_a_fournir"])
        assert ident in {d["id"] for d in c.get("/api/brouillons").json()}
        token = c.post("/api/session", json={"identifiant": "villebelle", "mot_de_passe": PASSWORD}).json()["jeton"]
        c.headers["Authorization"] = f"Bearer {token}"
        assert c.get(f"/api/brouillons/{ident}").status_code == 404


def test_list_items_are_added_moved_and_removed_with_plain_buttons(site):
    _, base = site
    with web_client(base, "villebelle") as c:
        root, csrf = _start(c)

        def post(action: str, **values) -> str:
            page = c.get(f"{root}/fiches").text
            data = {"csrf": csrf, "revision": hidden(page, "revision"), "action": action, **values}
            assert c.post(f"{root}/fiches", data=data).status_code == 303
            return c.get(f"{root}/fiches").text

        post("ajouter:fiches_actions")
        post("ajouter:fiches_actions", **{"fiches_actions.__nombre": "1", "fiches_actions.0.intitule": "Halles"})
        page = post(
            "monter:fiches_actions.1",
            **{
                "fiches_actions.__nombre": "2",
                "fiches_actions.0.intitule": "Halles",
                "fiches_actions.1.intitule": "Gare",
            },
        )
        assert re.search(r'name="fiches_actions\.0\.intitule" value="Gare"', page)
        assert re.search(r'name="fiches_actions\.1\.intitule" value="Halles"', page)
        page = post(
            "supprimer:fiches_actions.0",
            **{
                "fiches_actions.__nombre": "2",
                "fiches_actions.0.intitule": "Gare",
                "fiches_actions.1.intitule": "Halles",
            },
        )
        assert re.search(r'name="fiches_actions\.0\.intitule" value="Halles"', page) and "Gare" not in page

        # a forged action: refused in French at the top of the page, no field path shown, the values kept
        page = c.get(f"{root}/fiches").text
        data = {"csrf": csrf, "revision": hidden(page, "revision"), "action": "supprimer:fiches_actions.-1"}
        r = c.post(f"{root}/fiches", data={**data, "fiches_actions.__nombre": "1", "fiches_actions.0.intitule": "Q"})
        assert r.status_code == 422
        assert "Formulaire : élément de liste inconnu" in _text(r.text), _text(r.text)[:1500]
        assert "fiches_actions.-1" not in _text(r.text)
        assert re.search(r'name="fiches_actions\.0\.intitule" value="Q"', r.text)


def test_every_form_page_keeps_the_pages_rules(site):
    """One h1, no skipped heading level, a label for every field, unique ids, French (test_web.check_accessible)."""
    from test_web import check_accessible

    _, base = site
    with web_client(base, "villebelle") as c:
        root, _ = _start(
            c, data={"depart": "import"}, files={"dossier_importe": ("v.zip", folder_zip(SAMPLES / "villebelle"))}
        )
        for slug in ["collectivites", "convention", "gouvernance", "perimetres", "axes", "fiches", "immeubles"]:
            check_accessible(c.get(f"{root}/{slug}").text)
        for slug in ["dispositifs", "suivi", "pieces", "recapitulatif"]:
            check_accessible(c.get(f"{root}/{slug}").text)
        check_accessible(c.get("/dossiers/nouveau").text)


def test_a_fiche_action_is_filled_on_a_page_of_its_own(site):
    _, base = site
    with web_client(base, "villebelle") as c:
        root, csrf = _start(
            c, data={"depart": "import"}, files={"dossier_importe": ("v.zip", folder_zip(SAMPLES / "villebelle"))}
        )
        listing = c.get(f"{root}/fiches").text
        assert "sur une page à part" in listing and "<details" in listing
        page = c.get(f"{root}/fiches/element/1").text
        assert 'name="fiches_actions.1.intitule"' in page and 'name="fiches_actions.0.intitule"' not in page
        title = re.search(r'name="fiches_actions\.1\.intitule" value="([^"]*)"', page).group(1)
        data = {
            "csrf": csrf,
            "revision": hidden(page, "revision"),
            "action": "element:2",
            "fiches_actions.1.intitule": title + " (modifiée)",
            "fiches_actions.1.cout": "douze",
        }
        r = c.post(f"{root}/fiches/element/1", data=data)
        assert r.status_code == 303 and r.headers["location"].endswith("/fiches/element/2")
        page = c.get(f"{root}/fiches/element/1").text
        assert f'value="{title} (modifiée)"' in page and 'value="douze"' in page
        assert "montant" in _beside(page, "champ-fiches_actions-1-cout").lower()
        listing = c.get(f"{root}/fiches").text
        assert f'value="{title} (modifiée)"' in listing and 'name="fiches_actions.4.intitule"' in listing  # others kept
        assert c.get(f"{root}/fiches/element/99").status_code == 404
        assert c.get(f"{root}/convention/element/0").status_code == 404
