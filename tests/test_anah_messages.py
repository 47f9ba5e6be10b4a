"""Anah and ANRU findings: the figures and words a délégation locale relies on, on both engines."""

from __future__ import annotations

from test_cases import ENGINES, _case_named, _finding, _run

NBSP = "\u202f"


def _on_both(name: str, rule: str, check: str | None, entity: str):
    case = _case_named(name)
    return [_finding(_run(case, engine), rule, check, entity) for engine in ENGINES]


def test_anah_09_shows_the_maximum_computed_on_the_capped_expense():
    for finding in _on_both(
        "ANAH-09 — poste de 60 000 € à 50 %, 35 000 € demandés : au plus 30 000 €",
        "ANAH-09",
        None,
        "dispositif_anah:OPAH-1",
    ):
        assert finding.status == "non_conforme"
        assert f"35{NBSP}000,00 €" in finding.message and f"au plus 30{NBSP}000,00 €" in finding.message
        assert f"ici au plus 30{NBSP}000,00 €" in finding.remedy
    for finding in _on_both(
        "ANAH-09 — poste de 90 000 € à 50 %, 40 000 € demandés : 50 % de min(90 000, 80 000)",
        "ANAH-09",
        None,
        "dispositif_anah:OPAH-1",
    ):
        assert finding.status == "conforme"
        assert f"dont 80{NBSP}000,00 € subventionnables" in finding.message
        assert f"au plus 40{NBSP}000,00 €" in finding.message


def test_anah_09_names_the_quartier_not_the_town():
    for finding in _on_both(
        "ANAH-09 — OPAH-RU dont le périmètre recoupe un quartier NPNRU d'intérêt national",
        "ANAH-09",
        None,
        "dispositif_anah:OPAH-1",
    ):
        assert finding.status == "non_conforme"
        assert "périmètre recoupant un quartier NPNRU d'intérêt national : oui" in finding.message


def test_anah_08_partial_coverage_is_a_judgement_for_the_delegation():
    for finding in _on_both(
        "ANAH-08 centre — OPAH-RU couvrant 60 % du centre-ville : à apprécier, pas « mal placée »",
        "ANAH-08",
        "centre",
        "dispositif_anah:OPAH-1",
    ):
        assert finding.status == "a_verifier"
        assert "60,00 %" in finding.message and "choix d'instruction" in finding.message
        assert "mal placé" not in finding.message
        assert "délégation locale de l'Anah" in finding.remedy


def test_anah_04_a_prolongation_not_planned_is_no_gap():
    for finding in _on_both(
        "ANAH-04 prolongation — OPAH-RU finissant en 2025, pas de prolongation : possible, non exigée, à apprécier",
        "ANAH-04",
        "prolongation",
        "dispositif_anah:OPAH-1",
    ):
        assert finding.status == "a_verifier" and finding.severity == "mineur"
        assert "possible" in finding.message and "choix d'instruction" in finding.message


def test_anah_anru_texts_name_no_field_path():
    """Messages and remedies of the Anah and ANRU rules use French words, never a dossier path."""
    from instruct.rules.catalogue import load_catalogue

    for code in ("ANAH", "ANRU"):
        for rule in load_catalogue().rulesets[code].rules:
            texts = [rule.message, rule.remedy, *rule.messages.values(), *rule.remedies.values()]
            for text in texts:
                for token in ("[]", "_", "anah.", "anru.", "dispositifs_anah", "quartiers:"):
                    stripped = text.replace("{", "<").replace("}", ">")
                    plain = stripped.split("<")[0] + "".join(part.split(">", 1)[-1] for part in stripped.split("<")[1:])
                    assert token not in plain, f"{rule.key} : « {token} » dans « {text} »"
