"""Names compared as a person reads them (french.name_key) in the ORT and coherence facts: what
the cases' statuses do not show, the messages do (how many financeurs, who signs)."""

from test_cases import ENGINES, _case_named, _finding, _run


def test_x_03_counts_etat_and_etat_with_its_accent_as_one_financeur():
    case = _case_named("X-03 immeuble — « Etat » et « État » : un seul financeur, plan égal au prix de revient")
    for engine in ENGINES:
        finding = _finding(_run(case, engine), "X-03", "immeuble", "immeuble:IMM-01")
        assert finding.status == "conforme"
        assert "Les 2 financeurs" in finding.message, f"[{engine}] {finding.message}"


def test_ort_01_names_the_signatories_it_recognised_by_name():
    case = _case_named(
        "ORT-01 — « Etat », « communaute d’agglomeration du val de belle » et « VILLE DE VILLEBELLE » signent "
        "(noms sans rôle propre)"
    )
    for engine in ENGINES:
        finding = _finding(_run(case, engine), "ORT-01", None, "ort:ort")
        assert finding.status == "conforme", f"[{engine}] {finding.message}"
        assert "ville principale signataire : oui" in finding.message, f"[{engine}] {finding.message}"
