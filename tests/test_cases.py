"""Example cases, as data (OpenFisca style): `tests/cases/*.yaml`.

Each case is a small dossier fragment, deep-merged into a minimal valid base dossier, judged
at a date, with the expected status of some entities for one rule (and check). Every case
runs on both engines: each must give the expected statuses, and the two must agree on the
whole report. See tests/cases/README.md for the format.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import write_piece

from instruct.documents.load import load, validate
from instruct.engine.check import check_dossier
from instruct.referentiel.registry import load_referentiel
from instruct.rules.catalogue import STATUSES, load_catalogue
from instruct.yamlio import parse, read_text

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = Path(__file__).resolve().parent / "cases"
SHARED_DATA = ROOT / ".." / "shared" / "data"
ENGINES = ("durable", "python")
CASE_KEYS = {"name", "rule", "check", "date", "referentiel", "dossier", "pieces", "expected", "xfail"}
ALL = "*"  # expected key: every finding of the rule (and check)
NO_FINDING = "aucun"  # expected status: the entity has no finding for this rule

BASE_DOSSIER: dict[str, Any] = {
    "id": "cas",
    "fictif": True,
    "collectivites": {
        "ville_centre": {"nom": "Villebelle", "insee": "99101"},
        "intercommunalite": {"nom": "CA du Val de Belle", "siren": "999000001"},
    },
}

# Statuses that cannot occur for a rule (or check), with the reason; the coverage test
# does not ask for a case showing them.
IMPOSSIBLE: dict[tuple[str, str], str] = {
    ("ANRU-07", "non_conforme"): "« si nécessaire et si possible » (guide) : un comité régional avant le comité "
    "d'engagement NPNRU est à apprécier par le préfet (review), jamais un écart",
    ("PROG-05", "non_conforme"): "pas d'exigence (requirement) : chaque périmètre est donné (conforme) ou non "
    "renseigné (incomplet) ; un périmètre qui manque n'est jamais non conforme",
    ("PROG-06", "non_conforme"): "pas d'exigence (requirement) : objet, maître d'ouvrage, calendrier, coût et "
    "financeurs d'une action mature sont des informations, données (conforme) ou manquantes (incomplet)",
    ("PROG-11", "non_conforme"): "pas d'exigence (requirement) : un sujet transversal est décrit (conforme) ou non "
    "renseigné (incomplet) ; le dossier n'a pas de moyen de dire « non traité »",
    ("AL-V-03", "non_conforme"): "aucun des cinq contrôles (adresse, cadastre, surface, proprietaire, operateur) n'a "
    "d'exigence (requirement) : la donnée présente donne conforme, absente incomplet",
    ("AL-V-04", "non_conforme"): "pas d'exigence (requirement), et plan_situation_immeubles n'est jamais faux "
    "(vrai si une pièce plan_situation est au dossier, absent sinon -> incomplet)",
    ("AL-O-01", "non_conforme"): "pas d'exigence (requirement) : description présente -> conforme ou a_verifier "
    "(moins de al.description_min_caracteres), absente -> incomplet",
    ("AL-O-02", "non_conforme"): "pas d'exigence (requirement) : mode et état de la maîtrise foncière donnés -> "
    "conforme, l'un des deux absent -> incomplet (une information manquante n'est jamais non conforme)",
    ("AL-O-03", "non_conforme"): "pas d'exigence (requirement) : opérateur et autres acteurs identifiés -> conforme "
    "ou a_verifier (nature « autre »), l'un d'eux non renseigné -> incomplet",
    ("AL-V-01", "non_conforme"): "pas d'exigence (requirement) : une convention-cadre datée -> conforme, sans date de "
    "signature -> incomplet (le dossier ne peut pas déclarer « non signée » ; une date oubliée n'est pas un écart)",
    ("AL-O-04", "non_conforme"): "pas d'exigence (requirement) : typologie et surface sont exigées par le format, un "
    "loyer qui manque est à fournir -> incomplet ; tout renseigné -> conforme",
    ("AL-O-06", "non_conforme"): "pas d'exigence (requirement) : devenir, commerce ou orientations, surface et plans "
    "fournis -> conforme, l'un d'eux manquant (ou plans déclarés non fournis) -> incomplet",
    ("AL-O-07", "non_conforme"): "pas d'exigence (requirement) : plan de situation et plans de niveau de l'état des "
    "lieux fournis -> conforme, l'un manquant -> incomplet",
    ("AL-O-09/plan_de_financement", "non_conforme"): "pas d'exigence (requirement) : le guide demande les éléments "
    "déjà identifiés, pas un plan équilibré ; éléments donnés -> conforme, ou a_verifier s'ils ne font pas le prix "
    "de revient ; aucun -> incomplet",
    (
        "ANAH-01",
        "non_conforme",
    ): "pas d'exigence : une fois dispositifs_anah déclaré (même []), la situation est connue -> conforme",
    (
        "ANAH-04/prolongation",
        "non_conforme",
    ): "pas d'exigence : la prolongation est possible, non exigée (guide) ; non prévue -> a_verifier, "
    "prévue -> conforme",
    (
        "ANAH-10",
        "non_conforme",
    ): "pas d'exigence : le guide ne fixe ni taux ni plafond ; hors des cas qu'il nomme -> a_verifier, sans "
    "montant -> incomplet, sinon conforme",
    (
        "ANRU-01",
        "non_conforme",
    ): "pas d'exigence : une fois quartiers déclaré (même []), la situation est connue -> conforme",
    ("X-07", "conforme"): "un fait de lecture n'existe que pour une valeur lue sous le seuil de confiance ou un "
    "élément cherché et non trouvé : toujours à vérifier ; une pièce lue sans doute ne donne aucun fait",
    ("X-07", "non_conforme"): "pas d'exigence (requirement) : un doute de lecture est tranché par l'instructeur dans "
    "la pièce (a_verifier), jamais un écart du dossier",
    (
        "ORT-09",
        "non_conforme",
    ): "pas d'exigence : un désaccord avec le registre est à vérifier, jamais non conforme "
    "(le registre peut être en retard)",
}


def deep_merge(base: Any, fragment: Any) -> Any:
    """Dicts merged recursively; anything else (lists included) replaced by the fragment."""
    if isinstance(base, dict) and isinstance(fragment, dict):
        out = dict(base)
        for key, value in fragment.items():
            out[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(fragment)


def _load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = parse(read_text(path), str(path))
        assert isinstance(data, list), f"{path} : liste de cas attendue"
        for case in data:
            case["_file"] = path.name
            cases.append(case)
    return cases


CASES = _load_cases()


@cache
def _catalogue():
    return load_catalogue()


@cache
def _referentiel(kind: Any):
    if kind is True:
        return load_referentiel(ROOT / "samples" / "referentiel")
    if kind == "shared":
        if not SHARED_DATA.is_dir():
            pytest.skip(f"liste officielle absente : {SHARED_DATA}")
        return load_referentiel(SHARED_DATA)
    return None


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _rule_keys() -> dict[str, Any]:
    return {rule.key: rule for rs in _catalogue().rulesets.values() for rule in rs.rules}


def _case_key(case: dict) -> str:
    return f"{case['rule']}/{case['check']}" if case.get("check") else case["rule"]


def _expected_statuses(case: dict) -> set[str]:
    return set(case["expected"].values())


def _run(case: dict, engine: str):
    data = deep_merge(BASE_DOSSIER, case.get("dossier") or {})
    if "pieces" not in case:
        dossier = validate(data, "cas")
        return check_dossier(
            dossier,
            _catalogue(),
            _date(case["date"]),
            referentiel=_referentiel(case.get("referentiel", False)),
            engine=engine,
        )
    with tempfile.TemporaryDirectory() as folder:  # a dossier folder with real files in pieces/
        (Path(folder) / "pieces").mkdir()
        (Path(folder) / "dossier.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        for spec in case["pieces"]:
            write_piece(Path(folder) / "pieces", spec)
        loaded = load(folder)
    return check_dossier(
        loaded.dossier,
        _catalogue(),
        _date(case["date"]),
        referentiel=_referentiel(case.get("referentiel", False)),
        engine=engine,
        documents=loaded.documents,
    )


def _params():
    out = []
    for case in CASES:
        marks = (
            [pytest.mark.xfail(reason=case["xfail"], raises=AssertionError, strict=True)] if case.get("xfail") else []
        )
        out.append(pytest.param(case, id=case["name"], marks=marks))
    return out


# --- the cases -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _params())
def test_case(case):
    reports = {engine: _run(case, engine) for engine in ENGINES}
    for engine, report in reports.items():
        mine = [
            f for f in report.findings if f.rule == case["rule"] and (f.check or None) == (case.get("check") or None)
        ]
        found = {f"{f.entity.type}:{f.entity.id}": f.status for f in mine}
        assert len(found) == len(mine), f"[{engine}] deux constats pour la même entité : {mine}"
        for key, status in case["expected"].items():
            if key == ALL:
                assert found and set(found.values()) == {status}, f"[{engine}] attendu {status} partout, obtenu {found}"
            elif status == NO_FINDING:
                assert key not in found, f"[{engine}] {key} : aucun constat attendu, obtenu {found[key]}"
            else:
                assert key in found, f"[{engine}] aucun constat pour {key} (entités : {sorted(found)})"
                message = next(f.message for f in mine if f"{f.entity.type}:{f.entity.id}" == key)
                assert found[key] == status, f"[{engine}] {key} : attendu {status}, obtenu {found[key]} — {message}"
    durable = sorted(f.comparable() for f in reports["durable"].findings)
    python = sorted(f.comparable() for f in reports["python"].findings)
    assert durable == python
    for finding in reports["python"].findings:
        assert not contradictions(finding), f"{finding.rule} {finding.entity.label} : {contradictions(finding)}"


# Words that belong to another status than the finding's: a message never contradicts its status.
FOREIGN_WORDS = {
    "non_conforme": ("incomplet",),
    "incomplet": ("non conforme", "non-conforme"),
    "conforme": ("non conforme", "incomplet"),
}


def contradictions(finding) -> list[str]:
    """The words of the finding's message or remedy that name another status."""
    text = f"{finding.message} {finding.remedy or ''}".casefold()
    return [w for w in FOREIGN_WORDS.get(finding.status, ()) if w in text]


# --- the case file itself ----------------------------------------------------------------------


def test_cases_are_well_formed():
    keys = _rule_keys()
    names = [c.get("name") for c in CASES]
    assert len(names) == len(set(names)), "noms de cas en double"
    for case in CASES:
        where = case.get("name", case["_file"])
        assert set(case) - {"_file"} <= CASE_KEYS, f"{where} : clés inconnues {set(case) - CASE_KEYS - {'_file'}}"
        assert {"name", "rule", "date", "expected"} <= set(case), (
            f"{where} : name, rule, date et expected sont obligatoires"
        )
        assert _case_key(case) in keys, f"{where} : règle inconnue {_case_key(case)}"
        assert case.get("referentiel", False) in (False, True, "shared"), f"{where} : referentiel false | true | shared"
        assert case["expected"], f"{where} : expected vide"
        for key, status in case["expected"].items():
            assert status in STATUSES or status == NO_FINDING, f"{where} : statut inconnu {status}"
            assert key == ALL or ":" in key, f"{where} : entité « type:id » attendue, trouvé {key}"
        _date(case["date"])


def test_every_rule_is_shown_in_each_possible_status():
    """conforme and non_conforme for every rule (and check); non_applicable where there is a
    condition; incomplet where information can be missing (requires, or a condition on an
    optional field); a_verifier where there is a review."""
    shown: dict[str, set[str]] = {}
    for case in CASES:
        if case.get("xfail"):
            continue  # a case that documents a bug shows nothing
        shown.setdefault(_case_key(case), set()).update(_expected_statuses(case))
    missing = []
    for key, rule in _rule_keys().items():
        wanted = {"conforme", "non_conforme"}
        if rule.condition is not None:
            wanted.add("non_applicable")
        if rule.requires or rule.condition_fields():
            wanted.add("incomplet")
        if rule.review is not None:
            wanted.add("a_verifier")
        for status in sorted(wanted - shown.get(key, set())):
            if (rule.id, status) not in IMPOSSIBLE and (key, status) not in IMPOSSIBLE:
                missing.append(f"{key} : {status}")
    assert not missing, "statuts sans cas : " + ", ".join(missing)


def test_impossible_statuses_are_really_impossible():
    """The exceptions above are not excuses: no case may show them."""
    for case in CASES:
        for (rule, status), reason in IMPOSSIBLE.items():
            if _case_key(case) == rule or case["rule"] == rule:
                assert status not in _expected_statuses(case), (
                    f"{case['name']} : {status} déclaré impossible ({reason})"
                )


# --- messages: the figures the Action Logement delegation relies on ---------------------------


def _case_named(name: str) -> dict:
    return next(c for c in CASES if c["name"] == name)


def _finding(report, rule: str, check: str | None, entity: str):
    return next(
        f
        for f in report.findings
        if f.rule == rule and (f.check or None) == check and f"{f.entity.type}:{f.entity.id}" == entity
    )


def test_al_o_12_message_shows_the_rounding():
    """Action Logement's FAQ: the minimum count is rounded down (6 logements: 4.5, so at least 4)."""
    case = _case_named("AL-O-12 — un logement sous le minimum : 3 sur 6, 4 sur 7, 5 sur 8, 2 sur 4, 6 sur 10")
    for engine in ENGINES:
        finding = _finding(_run(case, engine), "AL-O-12", None, "immeuble:IMM-06")
        assert finding.status == "non_conforme"
        for part in ("3 logement(s) réservé(s) sur 6", "au moins 4", "arrondi à l'unité inférieure"):
            assert part in finding.message, f"[{engine}] « {part} » absent de : {finding.message}"
        assert "au moins 4 des 6 logements" in finding.remedy, f"[{engine}] {finding.remedy}"


def test_al_o_14_message_shows_cap_and_excess():
    case = {
        "name": "AL-O-14 plafond_m2 — 150 000,00 € pour 100 m² habitables",
        "rule": "AL-O-14",
        "check": "plafond_m2",
        "date": "2020-06-01",
        "dossier": {
            "immeubles": [
                {
                    "id": "IMM-01",
                    "logements": [
                        {"typologie": "T3", "surface_habitable_m2": 60, "loyer_mensuel": "480.00"},
                        {"typologie": "T2", "surface_habitable_m2": 40, "loyer_mensuel": "350.00"},
                    ],
                    "demande_action_logement": {
                        "pret": "110000.00",
                        "pret_duree_annees": 20,
                        "subvention": "40000.00",
                        "objet": "travaux",
                    },
                }
            ]
        },
    }
    nnbsp = "\u202f"  # French thousands separator (narrow no-break space)
    for engine in ENGINES:
        finding = _finding(_run(case, engine), "AL-O-14", "plafond_m2", "immeuble:IMM-01")
        assert finding.status == "non_conforme"
        for part in (
            f"Demande de 150{nnbsp}000,00 €",
            "pour 100 m² habitables",
            f"plafond de 1{nnbsp}000,00 €/m²",
            f"dépassement 50{nnbsp}000,00 €",
        ):
            assert part in finding.message, f"[{engine}] « {part} » absent de : {finding.message!r}"


# --- messages: a past deadline says by how much, never « sign » what is signed ------------------


def test_prog_08_late_avenant_says_by_how_much_and_not_to_sign_it():
    case = _case_named(
        "PROG-08 — convention déclarée de la phase 1, signée en 2018, avenant signé le 15 septembre 2020"
    )
    for engine in ENGINES:
        finding = _finding(_run(case, engine), "PROG-08", None, "dossier:dossier")
        assert finding.status == "non_conforme"
        for part in ("signé le 15/09/2020", "168 jour(s) après la date limite du 31/03/2020"):
            assert part in finding.message, f"[{engine}] « {part} » absent de : {finding.message}"
        assert "168 jour(s)" in finding.remedy and "signer l'avenant" not in finding.remedy.casefold()


def test_prog_07_late_initialisation_says_the_months_beyond_the_limit():
    case = _case_named("PROG-07 — avenant non signé, initialisation en cours depuis 26 mois")
    for engine in ENGINES:
        finding = _finding(_run(case, engine), "PROG-07", None, "dossier:dossier")
        assert finding.status == "non_conforme"
        assert "toujours pas signé au 28/11/2020" in finding.message
        assert "26 mois entamés" in finding.message
        assert "8 mois entamé(s) au-delà de la limite de 18 mois" in finding.message
        assert "signer l'avenant" not in finding.remedy.casefold()


def test_prog_16_without_a_date_asks_for_it_and_does_not_say_to_move_it():
    case = _case_named("PROG-16 — plan de financement sans aucune date d'engagement")
    for engine in ENGINES:
        finding = _finding(_run(case, engine), "PROG-16", None, "fiche_action:FA-02")
        assert finding.status == "incomplet"
        assert finding.remedy.startswith("Fournir") and "ramener" not in finding.remedy.casefold()


def test_the_deduced_phase_starts_with_the_parameter():
    """facts.programme deduces a convention's phase from the date prog.debut_phase_2 gives."""
    from instruct.facts.programme import PHASE_2_FROM

    parameter = _catalogue().parameters["prog.debut_phase_2"]
    assert [v.value for v in parameter.values] == [PHASE_2_FROM]
