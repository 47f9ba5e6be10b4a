"""List order never changes an outcome: every list of a dossier (fiches, immeubles, logements,
financements, avenants, quartiers, secteurs, planning…) reversed or shuffled gives the same
findings (rule, check, entity, status), on both engines."""

from __future__ import annotations

import random
import subprocess
import zlib
from collections import Counter

import pytest
from conftest import EVALUATION_DATE, SAMPLES, acv_command

from instruct.documents.load import load, validate
from instruct.engine.check import check_dossier
from instruct.model.immeuble import EtapePlanning

ENGINES = ("durable", "python")
KEEP_ORDER = {"coordinates"}  # a ring's points: their order is the geometry


def _sample_paths() -> list:
    return sorted(
        p for p in SAMPLES.iterdir() if p.name not in {"referentiel", "sources"} and (p.is_dir() or p.suffix == ".yaml")
    )


def reorder(value, arrange):
    """Every list of the tree rearranged by `arrange` (geometry coordinates kept as they are)."""
    if isinstance(value, dict):
        return {k: (v if k in KEEP_ORDER else reorder(v, arrange)) for k, v in value.items()}
    if isinstance(value, list):
        return arrange([reorder(v, arrange) for v in value])
    return value


def _outcomes(data: dict, engine: str) -> Counter:
    report = check_dossier(validate(data, "ordre"), _catalogue(), EVALUATION_DATE, engine=engine)
    return Counter((f.rule, f.check, f.entity.type, f.entity.id, f.status) for f in report.findings)


_CACHE: dict = {}


def _catalogue():
    if "catalogue" not in _CACHE:
        from instruct.rules.catalogue import load_catalogue

        _CACHE["catalogue"] = load_catalogue()
    return _CACHE["catalogue"]


def _arrangements(seed: int):
    rng = random.Random(seed)

    def shuffled(items: list) -> list:
        items = list(items)
        rng.shuffle(items)
        return items

    return {"inversé": lambda items: items[::-1], "mélangé": shuffled}


def _assert_invariant(data: dict, name: str) -> None:
    for engine in ENGINES:
        expected = _outcomes(data, engine)
        assert expected, name
        for label, arrange in _arrangements(zlib.crc32(name.encode())).items():
            got = _outcomes(reorder(data, arrange), engine)
            assert got == expected, (
                f"{name}, listes {label}, moteur {engine} : "
                f"en moins {sorted(expected - got)[:5]}, en plus {sorted(got - expected)[:5]}"
            )


@pytest.mark.parametrize("path", _sample_paths(), ids=lambda p: p.name)
def test_sample_outcomes_do_not_depend_on_list_order(path):
    _assert_invariant(load(path).dossier.model_dump(mode="json", exclude_none=True), path.name)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("ordre") / "lot"
    cmd = acv_command() + ["samples", "generate", "--n", "10", "-o", str(out), "--modeles", str(SAMPLES)]
    subprocess.run(cmd + ["--sans-pieces"], check=True, capture_output=True, timeout=300)
    return sorted(p for p in out.iterdir() if p.is_dir())


def test_generated_outcomes_do_not_depend_on_list_order(generated):
    assert len(generated) == 10
    for folder in generated:
        _assert_invariant(load(folder).dossier.model_dump(mode="json", exclude_none=True), folder.name)


def test_reordering_really_reorders():
    """The property tests above could pass by reordering nothing."""
    data = {"a": [1, 2, 3], "b": {"c": [[4, 5], [6]], "coordinates": [[1, 2], [3, 4]]}}
    assert reorder(data, lambda items: items[::-1]) == {
        "a": [3, 2, 1],
        "b": {"c": [[6], [5, 4]], "coordinates": [[1, 2], [3, 4]]},
    }


def test_planning_steps_are_typed_and_old_labels_still_read():
    assert EtapePlanning.model_validate({"etape": "Début des travaux", "date": "2021-01-15"}).type == "debut_travaux"
    old = EtapePlanning.model_validate({"etape": "Réunion publique", "date": "2021-01-15"})
    assert (old.type, old.libelle) == ("autre", "Réunion publique")
    with pytest.raises(ValueError, match="libellé"):
        EtapePlanning.model_validate({"type": "autre", "date": "2021-01-15"})
