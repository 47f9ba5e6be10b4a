"""The national ORT registry (--referentiel with ort-communes.csv): real data, messy rows."""

import datetime as dt

import pytest
from conftest import SHARED_DATA

from instruct.documents.load import validate
from instruct.engine.check import check_dossier
from instruct.referentiel.registry import load_referentiel

HEADER = (
    'Commune,EPCI,Département,Région,Code commune,Statut de la commune,Signée ?,"Si signée, date de signature",'
    '"Si non signée, date de signature envisagée",Durée (en années),Date de fin estimée,Remarques,Avancement,'
    "ACV,PVD,longitude,latitude,Dernière actualisation\n"
)


def dreux(ort_date: str, duree: int = 5) -> dict:
    return {
        "id": "dreux",
        "collectivites": {
            "ville_centre": {"nom": "Dreux", "insee": "28134"},
            "intercommunalite": {"nom": "CA du Pays de Dreux", "siren": "200040277"},
        },
        "ort": {"date_signature": ort_date, "duree_annees": duree},
    }


def ort09(report):
    return next(f for f in report.findings if f.rule == "ORT-09")


@pytest.fixture(scope="module")
def real():
    if not (SHARED_DATA / "ort-communes.csv").exists():
        pytest.skip("shared data not present")
    return load_referentiel(SHARED_DATA)


def test_real_registry_is_read_whole(real):
    assert len(real.ort) == 2290
    entry = real.ort["28134"]
    assert entry.statut == "Signée" and entry.date_signature == dt.date(2019, 12, 13)
    assert entry.duree_annees is None  # published as 0: unknown, not "zero years"


def test_registry_agrees_or_is_flagged(real, catalogue):
    agree = check_dossier(
        validate(dreux("2019-12-13"), "x"), catalogue, dt.date(2026, 11, 26), referentiel=real, partenaires=["ort"]
    )
    assert ort09(agree).status == "conforme"
    differ = check_dossier(
        validate(dreux("2020-01-15"), "x"), catalogue, dt.date(2026, 11, 26), referentiel=real, partenaires=["ort"]
    )
    assert ort09(differ).status == "a_verifier"
    assert "dossier 15/01/2020, registre 13/12/2019" in ort09(differ).message
    assert any("Registre national des ORT lu : 2290 communes" in n for n in differ.notes)


def test_messy_rows_are_counted_not_fatal(tmp_path, catalogue):
    (tmp_path / "ort-communes.csv").write_text(
        HEADER
        + "\n".join(
            [
                "A,E,D,R,28134,1. Commune ACV,Signée,4e trimestre 2023,,0,,,,true,false,1,48,",
                "B,E,D,R,,3. Autre,Signée,2020-01-01,,5,,,,false,false,1,48,",
                "C,E,D,R,2A004,3. Autre,Non signée,,,cinq,,,,false,false,8,41,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    ref = load_referentiel(tmp_path)
    assert ref.communes is None and set(ref.ort) == {"28134", "2A004"}
    assert ref.ort_unreadable == {"code commune": 1, "date de signature": 1, "durée": 1}
    report = check_dossier(validate(dreux("2019-12-13"), "x"), catalogue, dt.date(2026, 11, 26), referentiel=ref)
    assert ort09(report).status == "conforme"  # the unreadable date is left out of the comparison, never guessed
    assert any("illisibles : 1 code commune, 1 date de signature, 1 durée" in n for n in report.notes)
    prog01 = next(f for f in report.findings if f.rule == "PROG-01")
    assert prog01.status == "a_verifier"  # no list of ACV communes in this referentiel
