"""A normal install works: the wheel built from the project, installed in a fresh virtualenv and
run outside the repository, has the whole rule catalogue and gives the same report as the
editable install; its service finds its migrations, templates and static files.

The build and the install are offline (no build isolation, no index): the fresh virtualenv
borrows this one's third-party packages through a .pth line, which adds their folder to
sys.path without running the .pth files in it (this environment's editable `instruct` stays
out). `instruct` itself, the catalogue and the `acv` script come from the wheel only.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, acv_command

# What a build reads (tests/cases: the example cases); the samples, the other tests and the rest stay behind.
BUILD_INPUTS = ["pyproject.toml", "setup.py", "README.md", "instruct", "rules", "tests/cases"]
CHECK = ["--date", "2026-11-26", "--referentiel", str(SAMPLES / "referentiel"), "--format", "json"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv, outside the repository, with the project's wheel installed: its bin/."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    for name in BUILD_INPUTS:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(path, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    offline = ["--no-deps", "--no-index", "--no-build-isolation"]
    subprocess.run([*pip, "wheel", *offline, "-w", str(work / "dist"), str(source)], check=True, cwd=work)
    (wheel,) = (work / "dist").glob("acv_instruct-*.whl")
    env = work / "env"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    subprocess.run([*pip, "--python", str(python), "install", *offline, str(wheel)], check=True, cwd=work)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "acv_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env / "bin"


def run(bin_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_dir / "acv"), *args], capture_output=True, text=True, cwd=bin_dir.parent, timeout=300
    )


def test_the_wheel_carries_every_rule_file_as_it_is_in_the_repository(installed):
    site = next((installed.parent / "lib").glob("python3*/site-packages"))
    shipped = site / "instruct" / "regles"
    repository = sorted((ROOT / "rules").glob("*.yaml"))
    assert repository
    assert sorted(p.name for p in shipped.iterdir()) == [p.name for p in repository]
    for path in repository:
        assert (shipped / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    located = subprocess.run(
        [str(installed / "python"), "-c", "import instruct; print(instruct.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed.parent,
    ).stdout.strip()
    assert Path(located).is_relative_to(installed.parent), located
    assert not Path(located).is_relative_to(ROOT), located


def test_installed_acv_lists_the_whole_catalogue(installed):
    editable = subprocess.run([*acv_command(), "rules", "--format", "json"], capture_output=True, text=True, check=True)
    done = run(installed, "rules", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(editable.stdout)
    assert len(json.loads(done.stdout)) > 50  # the catalogue, not an empty one


def test_installed_acv_shows_a_rule_page_with_its_example_cases(installed):
    """The example cases ship as instruct/exemples: a rule's page shows them outside the repository."""
    result = run(installed, "rules", "PROG-07")
    assert result.returncode == 0, result.stderr
    assert "avenant signé 18 mois et un jour après la convention" in result.stdout
    assert "ne sont pas disponibles" not in result.stdout


@pytest.mark.parametrize("sample", ["villebelle", "saint-aubin"])
@pytest.mark.parametrize("moteur", ["durable", "python"])
def test_installed_acv_check_gives_the_editable_report(installed, sample, moteur):
    args = ["check", str(SAMPLES / sample), *CHECK, "--moteur", moteur]
    editable = subprocess.run([*acv_command(), *args], capture_output=True, text=True)
    done = run(installed, *args)
    assert done.returncode == editable.returncode, done.stderr
    assert done.stdout == editable.stdout
    assert json.loads(done.stdout)["findings"]


SERVICE = """
import sys
from fastapi.testclient import TestClient
from instruct.service.app import create_app

app = create_app("sqlite:///" + sys.argv[1])  # the migrations run from the wheel
with TestClient(app) as client:
    page, css = client.get("/connexion"), client.get("/static/site.css")
    print(page.status_code, css.status_code, len(app.state.catalogue.rulesets))
    print(page.text)
"""


def test_the_installed_service_has_its_migrations_templates_and_static_files(installed, tmp_path):
    done = subprocess.run(
        [str(installed / "python"), "-c", SERVICE, str(tmp_path / "acv.sqlite3")],
        capture_output=True,
        text=True,
        cwd=installed.parent,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    status, page = done.stdout.split("\n", 1)
    assert status == "200 200 7"
    assert "<h1>Connexion</h1>" in page and 'name="mot_de_passe"' in page
