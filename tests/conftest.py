import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED_DATA = ROOT.parent / "shared" / "data"
EVALUATION_DATE = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def catalogue():
    from instruct.rules import load_catalogue

    return load_catalogue()


@pytest.fixture(scope="session")
def sample_referentiel():
    from instruct.referentiel import load_referentiel

    return load_referentiel(SAMPLES / "referentiel")


def acv_command() -> list[str]:
    script = Path(sys.executable).parent / "acv"
    return [str(script)] if script.exists() else [sys.executable, "-m", "instruct.cli"]
