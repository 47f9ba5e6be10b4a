"""`acv ort commerce`: the DDT's daily question, answered with the reason and the articles."""

import datetime as dt
import json
import subprocess
from decimal import Decimal

import pytest
from conftest import SAMPLES, acv_command

from instruct.documents.load import load, validate
from instruct.engine.ort_commerce import answer
from instruct.errors import InputError

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def villebelle():
    return load(SAMPLES / "villebelle").dossier


def ask(dossier, catalogue, lon, lat, surface, alimentaire=False, when=TODAY):
    return answer(dossier, lon, lat, Decimal(surface), alimentaire, catalogue.parameters, when)


def with_sectors(dossier, **changes):
    data = dossier.model_dump(mode="json")
    data["ort"]["secteurs"][0].update(changes)
    data["ort"]["secteurs"].append(
        {
            "id": "zone",
            "nom": "Zone d'activités",
            "commune_insee": "99101",
            "centre_ville": False,
            "geometrie": {
                "type": "Polygon",
                "coordinates": [[[2.03, 46.99], [2.05, 46.99], [2.05, 47.01], [2.03, 47.01], [2.03, 46.99]]],
            },
        }
    )
    return validate(data, "x")


def test_centre_ville_sector_exempts(villebelle, catalogue):
    result = ask(villebelle, catalogue, 2.0, 47.0, 3000)
    assert result.regime == "exempte" and result.secteur == "Centre-ville de Villebelle"
    assert "Code de commerce, art. L752-1-1" in result.articles


def test_small_project_needs_no_aec_anywhere(villebelle, catalogue):
    assert ask(villebelle, catalogue, 2.3, 47.3, 1000).regime == "hors_champ"


def test_outside_the_sectors_the_prefet_may_suspend(villebelle, catalogue):
    result = ask(villebelle, catalogue, 2.1, 47.0, 2600, alimentaire=True)
    assert result.regime == "suspension_possible" and "Code de commerce, art. L752-1-2" in result.articles


def test_threshold_set_by_the_convention(villebelle, catalogue):
    dossier = with_sectors(villebelle, seuil_aec_m2=6000, seuil_aec_alimentaire_m2=2500)
    assert ask(dossier, catalogue, 2.0, 47.0, 5999).regime == "exempte"
    assert ask(dossier, catalogue, 2.0, 47.0, 6001).regime == "aec_requise"
    assert ask(dossier, catalogue, 2.0, 47.0, 2600, alimentaire=True).regime == "aec_requise"
    # a sector without centre-ville: ordinary regime, no suspension
    assert ask(dossier, catalogue, 2.04, 47.0, 3000).regime == "droit_commun"


def test_before_the_ort_is_signed_nothing_changes(villebelle, catalogue):
    assert ask(villebelle, catalogue, 2.0, 47.0, 3000, when=dt.date(2019, 6, 1)).regime == "sans_effet"


def test_bad_arguments_are_input_errors(villebelle, catalogue):
    with pytest.raises(InputError):
        ask(villebelle, catalogue, 200, 47.0, 3000)
    with pytest.raises(InputError):
        ask(villebelle, catalogue, 2.0, 47.0, 0)


def test_command_line_json_and_errors():
    done = subprocess.run(
        acv_command()
        + [
            "ort",
            "commerce",
            str(SAMPLES / "villebelle"),
            "--point",
            "2.0,47.0",
            "--surface",
            "3000",
            "--format",
            "json",
            "--date",
            "2026-11-26",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["regime"] == "exempte"
    bad = subprocess.run(
        acv_command() + ["ort", "commerce", str(SAMPLES / "villebelle"), "--point", "deux", "--surface", "3000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "LON,LAT" in bad.stderr and "Traceback" not in bad.stderr
