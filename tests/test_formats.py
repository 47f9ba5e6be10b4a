"""The report formats come from one registry (instruct/reports/formats.py): every registered
format renders a sample through the CLI and through the API with its media type, and a format
module dropped into the package is offered everywhere without another file being touched."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile

import pytest
from conftest import SAMPLES, acv_command
from fastapi.testclient import TestClient

import instruct.reports
from instruct.reports import formats
from instruct.service import accounts
from instruct.service.app import create_app

DATE = "2026-11-26"
PASSWORD = "mot-de-passe-de-test"
SAMPLE = SAMPLES / "villebelle"
# A third-party format: its module is all there is to it (its test is this file).
EXTRA_MODULE = '''
"""A one-line-per-finding listing: a report format added by dropping this module in."""

from instruct.reports.formats import PLAIN, ReportFormat


def render(report, options=PLAIN):
    return "".join(f"{f.rule};{f.status}\\n" for f in report.findings)


FORMAT = ReportFormat(
    name="liste",
    media_type="text/x-liste; charset=utf-8",
    extension=".liste",
    render=render,
    label="liste des constats",
)
'''


def cli_report(name: str, tmp_path) -> bytes:
    chosen = formats.get(name)
    command = [*acv_command(), "check", str(SAMPLE), "--date", DATE, "--format", name]
    if chosen.binary:
        refused = subprocess.run(command, capture_output=True, text=True)
        assert refused.returncode == 2 and f"-o rapport{chosen.extension}" in refused.stderr
        command += ["-o", str(tmp_path / f"rapport{chosen.extension}")]
    done = subprocess.run(command, capture_output=True)
    assert done.returncode in (0, 1), done.stderr.decode()
    return (tmp_path / f"rapport{chosen.extension}").read_bytes() if chosen.binary else done.stdout


def listing(report_json: bytes) -> str:
    """What the dropped-in format must print, from the JSON report of the same dossier."""
    return "".join(f"{f['rule']};{f['status']}\n" for f in json.loads(report_json)["findings"])


def folder_zip(folder) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.writestr(str(path.relative_to(folder)), path.read_bytes())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The service on SQLite, in process; Villebelle's dossier deposited by its town."""
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('db') / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        session.commit()
    with TestClient(app) as c:
        r = c.post("/api/session", json={"identifiant": "villebelle", "mot_de_passe": PASSWORD})
        c.headers["Authorization"] = f"Bearer {r.json()['jeton']}"
        c.cookies.clear()
        archive = {"archive": ("dossier.zip", folder_zip(SAMPLE), "application/zip")}
        created = c.post("/api/dossiers", files=archive, data={"date": DATE})
        assert created.status_code == 201, created.text
        yield c, f"/api/dossiers/{created.json()['id']}/versions/1/rapport"


def test_the_registry_finds_the_formats_of_the_package():
    assert formats.names() == ["docx", "html", "json", "markdown", "pdf", "text"]
    assert formats.names() == list(formats.registry())  # names() reads the sources, registry() imports them
    assert all(f.media_type and f.extension.startswith(".") for f in formats.registry().values())
    assert [f.name for f in formats.downloads()] == ["docx", "html", "pdf"]


@pytest.mark.parametrize("name", formats.names())
def test_every_format_through_the_cli_and_the_api(name, api, tmp_path):
    chosen = formats.get(name)
    c, url = api
    by_name = c.get(url, params={"format": name})
    by_accept = c.get(url, headers={"Accept": f"text/x-inconnu, {chosen.base_media_type};q=0.9"})
    for answer in (by_name, by_accept):
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == chosen.media_type
        assert ("attachment" in answer.headers.get("content-disposition", "")) == chosen.binary
    from_cli = cli_report(name, tmp_path)
    if chosen.binary:  # a zipped document carries the time it was written: compare what it holds
        magic = {"docx": b"PK", "pdf": b"%PDF-"}[name]
        assert from_cli.startswith(magic) and by_name.content.startswith(magic) and len(by_name.content) > 1000
    else:
        assert by_name.content == by_accept.content == from_cli
        assert "Villebelle" in from_cli.decode("utf-8")


def test_an_unknown_format_is_refused_by_both(api, tmp_path):
    c, url = api
    refused = c.get(url, params={"format": "odt"})
    assert refused.status_code == 406 and ", ".join(formats.names()) in refused.json()["erreur"]
    done = subprocess.run([*acv_command(), "check", str(SAMPLE), "--format", "odt"], capture_output=True, text=True)
    assert done.returncode == 2 and "choix invalide" in done.stderr


@pytest.fixture()
def extra_format(tmp_path, monkeypatch):
    """A format module written into a folder of the instruct.reports package (its __path__)."""
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "liste.py").write_text(EXTRA_MODULE, encoding="utf-8")
    monkeypatch.setattr(instruct.reports, "__path__", [*instruct.reports.__path__, str(folder)])
    formats.registry.cache_clear()
    yield folder
    formats.registry.cache_clear()


def test_a_format_module_dropped_in_is_offered_by_the_cli(extra_format, tmp_path):
    run = textwrap.dedent(f"""
        import sys
        import instruct.reports
        instruct.reports.__path__.append({str(extra_format)!r})
        from instruct.cli.main import main
        sys.exit(main(sys.argv[1:]))
    """)
    command = [sys.executable, "-c", run, "check", str(SAMPLE), "--date", DATE]
    helped = subprocess.run([sys.executable, "-c", run, "check", "--help"], capture_output=True, text=True)
    assert "liste" in helped.stdout.split("--format")[1].split("}")[0]
    done = subprocess.run([*command, "--format", "liste"], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout and done.stdout == listing(cli_report("json", tmp_path))


def test_a_format_module_dropped_in_is_served_by_the_api_and_the_pages(extra_format, tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'acv.sqlite3'}")
    with app.state.sessions() as session:
        accounts.create_user(session, "villebelle", PASSWORD, "collectivite", commune_insee="99101")
        session.commit()
    with TestClient(app) as c:
        token = c.post("/api/session", json={"identifiant": "villebelle", "mot_de_passe": PASSWORD}).json()["jeton"]
        archive = {"archive": ("dossier.zip", folder_zip(SAMPLE), "application/zip")}
        headers = {"Authorization": f"Bearer {token}"}
        ident = c.post("/api/dossiers", files=archive, data={"date": DATE}, headers=headers).json()["id"]
        url = f"/api/dossiers/{ident}/versions/1/rapport"
        expected = listing(c.get(url, params={"format": "json"}, headers=headers).content)
        for answer in (
            c.get(url, params={"format": "liste"}, headers=headers),
            c.get(url, headers={**headers, "Accept": "text/x-liste"}),
        ):
            assert answer.status_code == 200 and answer.headers["content-type"] == "text/x-liste; charset=utf-8"
            assert answer.text == expected
        page = c.get(f"/dossiers/{ident}")
        assert f'/dossiers/{ident}/versions/1/rapport.liste">liste des constats</a>' in page.text
        assert c.get(f"/dossiers/{ident}/versions/1/rapport.liste").text == expected
