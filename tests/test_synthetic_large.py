"""A large generated set (the batch benchmark's 2 300 towns) builds every town: no defect makes an amount
negative (town 1368 of seed 2026, « budget_incoherent », once took 50 000 € from a 18 400 € line)."""

from __future__ import annotations

from pathlib import Path

import yaml

from instruct.samples import synthetic

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_an_incoherent_budget_never_has_a_negative_amount(tmp_path):
    n, seed, index = 2300, 2026, 1368
    towns = synthetic.fictitious_towns(n, seed)
    profiles = synthetic.profile_sequence(n, seed, False)
    assert profiles[index].name == "budget_incoherent"
    synthetic.build(
        synthetic.read_templates(SAMPLES), index, towns[index], profiles[index], seed, False, tmp_path / "v"
    )
    dossier = yaml.safe_load((tmp_path / "v" / "dossier.yaml").read_text(encoding="utf-8"))
    amounts = [line["montant"] for fiche in dossier["fiches_actions"] for line in fiche.get("financement", [])]
    assert amounts and min(amounts) >= 0
