"""`acv ort commerce`: the DDT's daily question, answered with the reason and the articles."""

import datetime as dt
import json
import subprocess
from decimal import Decimal

import pytest
from conftest import SAMPLES, acv_command
from test_service import client, deposited, service  # noqa: F401 (fixtures)

from instruct.documents.load import load, validate
from instruct.engine.ort_commerce import answer, point_warnings
from instruct.errors import InputError

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def villebelle():
    return load(SAMPLES / "villebelle").dossier


CLIMAT = dt.date(2021, 8, 25)  # loi Climat et résilience (22/08/2021, JO du 24/08/2021) in force: ort.loi_climat


def ask(dossier, catalogue, lon, lat, surface, alimentaire=False, when=TODAY, artificialise=False):
    return answer(dossier, lon, lat, Decimal(surface), alimentaire, catalogue.parameters, when, artificialise)


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
    assert any("n'artificialise pas les sols" in r for r in result.raisons)


def test_since_the_climate_law_a_project_that_artificialises_soils_needs_aec(villebelle, catalogue):
    result = ask(villebelle, catalogue, 2.0, 47.0, 3000, artificialise=True)
    assert result.regime == "aec_requise" and result.secteur == "Centre-ville de Villebelle"
    assert "Code de commerce, art. L752-6" in result.articles
    assert any("2021-1104" in a for a in result.articles)


def test_whether_it_artificialises_soils_unknown_is_not_concluded(villebelle, catalogue):
    result = ask(villebelle, catalogue, 2.0, 47.0, 3000, artificialise=None)
    assert result.regime == "indetermine" and "impossible de conclure" in result.conclusion
    assert result.a_fournir and "artificialise les sols" in result.a_fournir[0]
    assert "À fournir" in result.render()
    assert result.as_dict()["a_fournir"] == result.a_fournir


def test_the_answer_is_dated_each_side_of_the_climate_law(villebelle, catalogue):
    day_before = CLIMAT - dt.timedelta(days=1)
    for artificialise in (None, True, False):  # before the law: the former rule, soils do not matter
        before = ask(villebelle, catalogue, 2.0, 47.0, 3000, when=day_before, artificialise=artificialise)
        assert before.regime == "exempte", artificialise
        assert any("avant la loi Climat et résilience" in r for r in before.raisons)
    assert ask(villebelle, catalogue, 2.0, 47.0, 3000, when=CLIMAT, artificialise=None).regime == "indetermine"
    assert ask(villebelle, catalogue, 2.0, 47.0, 3000, when=CLIMAT, artificialise=True).regime == "aec_requise"
    assert ask(villebelle, catalogue, 2.0, 47.0, 3000, when=CLIMAT, artificialise=False).regime == "exempte"


def test_artificialisation_does_not_matter_where_there_is_no_exemption(villebelle, catalogue):
    assert ask(villebelle, catalogue, 2.3, 47.3, 1000, artificialise=None).regime == "hors_champ"
    assert ask(villebelle, catalogue, 2.1, 47.0, 2600, artificialise=None).regime == "suspension_possible"


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
            "--artificialisation",
            "non",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["regime"] == "exempte"
    unknown = subprocess.run(
        acv_command()
        + ["ort", "commerce", str(SAMPLES / "villebelle"), "--point", "2.0,47.0", "--surface", "3000"]
        + ["--date", "2026-11-26"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unknown.returncode == 0, unknown.stderr
    assert (
        "Réponse : Impossible de conclure sans savoir si le projet artificialise les sols" in unknown.stdout
        and "À fournir" in unknown.stdout
    )
    bad = subprocess.run(
        acv_command() + ["ort", "commerce", str(SAMPLES / "villebelle"), "--point", "deux", "--surface", "3000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "LON,LAT" in bad.stderr and "Traceback" not in bad.stderr


def test_the_api_asks_whether_the_project_artificialises_soils(service, deposited):  # noqa: F811
    _, base = service
    ident, _ = deposited
    admin = client(base, "admin")
    url = f"/api/dossiers/{ident}/ort-commerce"
    query = {"point": "2.0,47.0", "surface": "3000", "date": "2026-11-26"}
    unknown = admin.get(url, params=query).json()
    assert unknown["regime"] == "indetermine" and unknown["a_fournir"]
    exempt = admin.get(url, params={**query, "artificialisation": "false"}).json()
    assert exempt["regime"] == "exempte" and exempt["avertissements"] == []
    lon, lat = query["point"].split(",")
    swapped = admin.get(url, params={**query, "point": f"{lat},{lon}"}).json()
    assert [w["type"] for w in swapped["avertissements"]] == ["inverse"]
    assert admin.get(url, params={**query, "artificialisation": "true"}).json()["regime"] == "aec_requise"
    before = admin.get(url, params={**query, "date": "2021-08-24"}).json()
    assert before["regime"] == "exempte" and not before["a_fournir"]


# --- a point that looks wrong: numbers swapped, outside the town's département (the CLI and the page) ----


def in_the_cher(dossier):
    """Villebelle's dossier as if it were a commune of the Cher (its shapes lie there): a real département."""
    data = dossier.model_dump(mode="json")
    data["collectivites"]["ville_centre"]["insee"] = "18033"
    return validate(data, "x")


def test_a_point_that_looks_swapped_or_outside_the_departement(villebelle):
    cher = in_the_cher(villebelle)
    assert point_warnings(cher, 2.0, 47.0) == [] and point_warnings(cher, 2.9, 46.5) == []  # in the Cher
    (swapped,) = point_warnings(cher, 47.0, 2.0)
    assert swapped.kind == "inverse" and "Cher (18)" in swapped.message
    assert "sans doute longitude 2, latitude 47" in swapped.message
    (touraine,) = point_warnings(cher, 47.2, 1.5)  # swapped, and then in France but not in the Cher
    assert touraine.kind == "inverse" and "longitude d'abord, puis la latitude" in touraine.message
    (lyon,) = point_warnings(cher, 4.83, 45.76)
    assert lyon.kind == "hors_departement" and "hors du département de la commune, Cher (18)" in lyon.message
    (reunion,) = point_warnings(cher, -21.1, 55.5)  # swapped overseas: both out of the Cher, in France swapped
    assert reunion.kind == "inverse"
    # a fictitious commune (99101) has no département box: the dossier's own shapes, 30 km around
    assert point_warnings(villebelle, 2.1, 47.0) == []
    (far,) = point_warnings(villebelle, 4.83, 45.76)
    assert far.kind == "loin_du_dossier" and "km des secteurs et périmètres du dossier" in far.message
    assert point_warnings(villebelle, 47.0, 2.0)[0].kind == "inverse"
    data = villebelle.model_dump(mode="json")
    data["perimetres"] = data["ort"] = None
    bare = validate(data, "x")  # nothing drawn: only France itself
    assert point_warnings(bare, 4.83, 45.76) == [] and point_warnings(bare, 47.0, 2.0)[0].kind == "inverse"
    assert point_warnings(bare, 170.0, -40.0)[0].kind == "hors_france"


def test_the_command_line_warns_and_still_answers(tmp_path):
    text = (SAMPLES / "villebelle" / "dossier.yaml").read_text(encoding="utf-8").replace("99101", "18033")
    (tmp_path / "dossier.yaml").write_text(text, encoding="utf-8")
    common = ["--surface", "3000", "--date", "2026-11-26", "--artificialisation", "non"]
    for point, said in (("47.0,2.0", "semblent inversées"), ("4.83,45.76", "hors du département de la commune")):
        done = subprocess.run(
            acv_command() + ["ort", "commerce", str(tmp_path / "dossier.yaml"), "--point", point, *common],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.startswith("Attention : ") and said in done.stderr and "LON,LAT" in done.stderr
        assert (
            "Réponse : Autorisation d'exploitation commerciale requise ; suspension possible par le préfet"
            in done.stdout
        )  # the answer, for the point as typed
    quiet = subprocess.run(
        acv_command() + ["ort", "commerce", str(tmp_path / "dossier.yaml"), "--point", "2.0,47.0", *common],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        quiet.returncode == 0
        and quiet.stderr == ""
        and "Réponse : Exempté d'autorisation d'exploitation commerciale" in quiet.stdout
    )
