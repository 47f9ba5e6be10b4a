"""Every sample's reports are byte for byte what they were: a change made for speed (or any other
reason that should not change a word) fails here, naming the report that moved.

The digests are in tests/golden/rapports.sha256. A change that is meant to alter a report (a rule, a
wording) rewrites them: `ACV_REECRIRE_EMPREINTES=1 .venv/bin/python -m pytest tests/test_reports_golden.py`,
and the diff of that file goes in the same commit, with the reason."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
from conftest import SAMPLES

from instruct.engine.check import check_path
from instruct.referentiel.registry import load_referentiel
from instruct.reports import formats
from instruct.rules.catalogue import load_catalogue

DIGESTS = Path(__file__).parent / "golden" / "rapports.sha256"
TEXT_FORMATS = ("json", "text", "markdown", "html")  # PDF and DOCX carry their creation time
AS_OF = dt.date(2026, 11, 26)


def _samples() -> list[Path]:
    return sorted(
        p for p in SAMPLES.iterdir() if (p.is_dir() and p.name not in ("referentiel", "sources")) or p.suffix == ".yaml"
    )


def _digests() -> dict[str, str]:
    catalogue = load_catalogue()
    referentiel = load_referentiel(SAMPLES / "referentiel")
    found = {}
    for sample in _samples():
        report = check_path(sample, catalogue, AS_OF, referentiel=referentiel)
        for name in TEXT_FORMATS:
            for options, suffix in ((formats.PLAIN, ""), (formats.Options(show_all=True), " --tout")):
                body = formats.get(name).render_bytes(report, options)
                found[f"{sample.name} {name}{suffix}"] = hashlib.sha256(body).hexdigest()
    return found


def test_every_sample_report_is_byte_identical():
    found = _digests()
    if os.environ.get("ACV_REECRIRE_EMPREINTES"):
        DIGESTS.write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(found.items())))
        pytest.skip("empreintes réécrites : relire le diff de tests/golden/rapports.sha256")
    expected = dict(reversed(line.split("  ", 1)) for line in DIGESTS.read_text().splitlines() if line.strip())
    moved = sorted(name for name in found.keys() | expected.keys() if found.get(name) != expected.get(name))
    assert not moved, f"rapports modifiés (ou ajoutés, ou disparus) : {moved}"
    assert len(found) >= 40  # six samples or more, four formats, with and without --tout
