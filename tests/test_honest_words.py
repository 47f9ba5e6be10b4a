"""Honest words (issue 18): over every sample and every example case of tests/cases/,

- each rule set's and each immeuble's verdict is the one the catalogue's definitions give from its
  findings (written here from the catalogue's words, not by calling engine.findings.verdict);
- a rule set where nothing applied says « aucun point applicable », not recevable;
- each status has its own remedy: incomplet says what to provide, non conforme what to correct,
  à vérifier who checks;
- no CLI option, make target, API word, field path or parameter code reaches a town.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import EVALUATION_DATE, SAMPLES, acv_command
from test_cases import CASES, _run

from instruct.documents.load import load
from instruct.engine.check import check_dossier
from instruct.model.report import Report
from instruct.rules.catalogue import load_catalogue
from instruct.vocabulary import VERDICT_LIBELLES, Verdict

ROOT = Path(__file__).resolve().parents[1]
GRAVE = ("bloquant", "majeur")


# --- the corpus: every sample (with and without the official list) and every example case ----------


@cache
def corpus() -> tuple[tuple[str, Report], ...]:
    from instruct.referentiel.registry import load_referentiel

    catalogue = load_catalogue()
    referentiel = load_referentiel(SAMPLES / "referentiel")
    out = []
    for path in sorted([*SAMPLES.glob("*/"), *SAMPLES.glob("*.yaml")]):
        if path.name in {"referentiel", "sources"}:
            continue
        loaded = load(path)
        for ref in (referentiel, None):
            report = check_dossier(
                loaded.dossier, catalogue, EVALUATION_DATE, referentiel=ref, documents=loaded.documents
            )
            out.append((f"{path.name}{'' if ref else ' sans liste officielle'}", report))
    for case in CASES:
        try:
            out.append((case["name"], _run(case, "python")))
        except pytest.skip.Exception:  # the real official list is not on this machine
            continue
    return tuple(out)


def findings():
    for where, report in corpus():
        for f in report.findings:
            yield where, f


# --- verdicts ------------------------------------------------------------------------------------


def expected_verdict(statuses: list[tuple[str, str]]) -> str:
    """The catalogue's definitions, with the lead's decision for what they leave unnamed.
    `statuses`: (status, severity) of every finding of a rule set or of an immeuble."""
    if any(s == "non_conforme" and g == "bloquant" for s, g in statuses):
        return "non_recevable"  # « a bloquant rule is non_conforme »
    if any(s == "incomplet" and g in GRAVE for s, g in statuses):
        return "incomplet"  # « something missing, nothing non_conforme at bloquant level »
    if any(s == "non_conforme" and g == "majeur" for s, g in statuses):
        return "a_corriger"  # a majeur gap to fix before the committee: not recevable, nothing missing
    if any(s != "non_applicable" for s, _ in statuses):
        return "recevable"  # « no bloquant or majeur rule is non_conforme or incomplet », a point applied
    return "sans_objet"  # nothing applied: « aucun point applicable »


def test_every_verdict_follows_the_definitions_from_its_findings():
    seen = set()
    for where, report in corpus():
        for code, result in report.rulesets.items():
            mine = [(f.status, f.severity) for f in report.findings if f.ruleset == code]
            assert result.verdict == expected_verdict(mine), f"{where}, {code} : {result.verdict}"
            seen.add(result.verdict)
        for entity in report.entities:
            mine = [
                (f.status, f.severity)
                for f in report.findings
                if (f.entity.type, f.entity.id) == (entity.type, entity.id)
            ]
            assert entity.verdict == expected_verdict(mine), f"{where}, {entity.label} : {entity.verdict}"
            seen.add(entity.verdict)
    assert seen == {v.value for v in Verdict}, f"verdicts jamais rendus : {set(Verdict) - seen}"


def test_no_verdict_contradicts_its_counts():
    for where, report in corpus():
        for code, result in report.rulesets.items():
            c = result.counts
            applied = sum(n for status, n in c.items() if status != "non_applicable")
            if result.verdict == "sans_objet":
                assert applied == 0, f"{where}, {code} : « aucun point applicable » avec {c}"
            if result.verdict in {"recevable", "sans_objet"}:
                grave = [f for f in report.findings if f.ruleset == code and f.severity in GRAVE]
                assert not [f for f in grave if f.status in {"non_conforme", "incomplet"}], f"{where}, {code}"
            if result.verdict == "recevable":
                assert applied > 0, f"{where}, {code} : recevable sans aucun point appliqué"
            if result.verdict in {"non_recevable", "a_corriger"}:
                assert c["non_conforme"] > 0, f"{where}, {code} : {result.verdict} sans non conforme ({c})"
            if result.verdict == "incomplet":
                assert c["incomplet"] > 0, f"{where}, {code} : incomplet sans information manquante ({c})"
        # the dossier is recevable when no rule set leaves anything to fix
        assert report.recevable == all(r.verdict in {"recevable", "sans_objet"} for r in report.rulesets.values())


def test_a_rule_set_where_nothing_applied_says_so():
    """Saint-Aubin proposes no immeuble: Action Logement's rule sets have only non applicables."""
    report = dict(corpus())["saint-aubin"]
    for code in ("AL-V", "AL-O"):
        assert {f.status for f in report.findings if f.ruleset == code} == {"non_applicable"}
        assert report.rulesets[code].verdict == "sans_objet"
    assert VERDICT_LIBELLES["sans_objet"] == "aucun point applicable"
    done = subprocess.run(
        [*acv_command(), "check", str(SAMPLES / "saint-aubin"), "--date", "2026-11-26"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr  # gaps: the status says so
    al_lines = [line for line in done.stdout.splitlines() if re.match(r"\s*AL-[VO]\b", line)]
    assert al_lines and all("aucun point applicable" in line.casefold() for line in al_lines), al_lines
    assert not any("recevable" in line.casefold() for line in al_lines)


# --- remedies, by status ----------------------------------------------------------------------------

# The first word of a remedy that asks for information; words that ask to change what was done.
PROVIDE = (
    "fournir",
    "renseigner",
    "joindre",
    "indiquer",
    "donner",
    "préciser",
    "déclarer",
    "décrire",
    "dire",
    "nommer",
    "identifier",
    "localiser",
    "désigner",
    "présenter",
    "déposer",
)
CORRECT = (
    "corriger",
    "avancer",
    "acquérir",
    "ramener",
    "réserver",
    "louer",
    "décroiser",
    "redessiner",
    "relocaliser",
    "faire signer",
    "mettre le",
    "mettre en accord",
    "retirer",
    "réduire",
    "reporter",
    "déplacer",
    "étendre",
    "associer",
    "réunir",
    "faire délibérer",
)
# Who checks an à vérifier point.
WHO = (
    "l'instructeur",
    "la délégation",
    "la ddt",
    "le préfet",
    "le comité",
    "l'anah",
    "l'anru",
    "action logement",
)


def first_word(text: str) -> str:
    return re.split(r"[\s:,;]", text.strip().casefold())[0]


def remedy_problem(status: str, remedy: str | None) -> str | None:
    """Why a remedy contradicts its status (None: it does not)."""
    if status not in {"incomplet", "non_conforme", "a_verifier"}:
        return "remède pour un point sans écart" if remedy else None
    if not remedy:
        return "écart sans remède"
    text = remedy.casefold()
    if status == "incomplet":
        if first_word(remedy) not in PROVIDE:
            return f"incomplet : commence par « {first_word(remedy)} », pas par ce qu'il faut fournir"
        if found := [w for w in CORRECT if w in text]:
            return f"incomplet : demande de corriger ({found[0]})"
    if status == "non_conforme" and first_word(remedy) in PROVIDE:
        return f"non conforme : demande de fournir une information (« {first_word(remedy)} »)"
    if status == "a_verifier" and not any(w in text for w in WHO):
        return "à vérifier : ne dit pas qui vérifie"
    return None


def test_each_status_has_its_own_remedy():
    problems = {
        (f.rule, f.check, f.status, problem, f.remedy)
        for _, f in findings()
        if (problem := remedy_problem(f.status, f.remedy))
    }
    assert not problems, "\n".join(map(str, sorted(problems, key=str)))


@pytest.mark.parametrize(
    "status, remedy, wrong",
    [
        ("incomplet", "Avancer l'engagement avant le 31/12/2026.", True),  # PROG-16 in the issue
        ("incomplet", "Acquérir la totalité de l'immeuble (tous les lots).", True),  # AL-O-10
        ("incomplet", "Indiquer le nombre de logements, puis corriger le plan.", True),
        ("non_conforme", "Fournir : coût de l'action.", True),
        ("a_verifier", "Corriger le SIREN de l'intercommunalité.", True),
        ("incomplet", "Fournir la date de signature de la convention-cadre.", False),
        ("non_conforme", "Ramener la subvention à 32 000 € par logement au plus.", False),
        ("a_verifier", "L'instructeur vérifie le SIREN sur la liste officielle.", False),
    ],
)
def test_the_remedy_check_tells_a_contradiction(status, remedy, wrong):
    assert (remedy_problem(status, remedy) is not None) is wrong


# --- no machine words --------------------------------------------------------------------------------

PARAMETER_CODES = tuple(yaml.safe_load((ROOT / "rules" / "parametres.yaml").read_text(encoding="utf-8")))
MACHINE = {
    "option de commande": re.compile(r"(?<![\w-])--[a-z]"),
    "cible make": re.compile(r"\bmake [a-z]"),
    "commande acv": re.compile(r"\bacv [a-z]"),
    "booléen d'API": re.compile(r"=\s*(true|false)\b|\b(True|False)\b"),
    "indice compté depuis 0": re.compile(r"\[\d*\*?\]"),
    "chemin pointé": re.compile(r"\b[a-z_]+\.(?!pdf\b|docx?\b|odt\b|fr\b|gouv\b|com\b)[a-z_]+\b"),
    "code en snake_case": re.compile(r"\b[a-z]+_[a-z_]+\b"),
}


def machine_words(text: str) -> list[str]:
    found = [name for name, pattern in MACHINE.items() if pattern.search(text)]
    return found + [code for code in PARAMETER_CODES if code in text]


def user_texts(report: Report):
    for note in report.notes:
        yield "note", note
    for f in report.findings:
        yield f"{f.rule} message", f.message
        if f.remedy:
            yield f"{f.rule} remède", f.remedy
        for e in f.evidence:
            yield f"{f.rule} preuve", str(e.get("label", ""))
            yield f"{f.rule} valeur", str(e.get("value", ""))
        for p in f.parameters:
            yield f"{f.rule} paramètre", p.get("label", "")
            yield f"{f.rule} source du paramètre", p.get("reference", "")


def test_no_machine_word_reaches_a_town():
    problems = set()
    for _, report in corpus():
        for what, text in user_texts(report):
            if words := machine_words(text):
                problems.add((what, tuple(words), text[:160]))
    assert not problems, "\n".join(map(str, sorted(problems)))


@pytest.mark.parametrize(
    "text",
    [
        "Liste officielle non fournie (--referentiel).",
        "Régénérer avec make checklists.",
        "Confirmez le dépôt (confirme=true).",
        "Coût de fiches_actions[4].cout non renseigné.",
        "Valeur de prog.tolerance_budget.",
        "Situation : opah_ru.",
    ],
)
def test_the_machine_word_check_finds_them(text):
    assert machine_words(text)


def test_every_parameter_shows_its_french_name():
    catalogue = load_catalogue()
    for name, parameter in catalogue.parameters.items():
        assert parameter.label and not machine_words(parameter.label), name
    rows = [p for _, f in findings() for p in f.parameters]
    assert rows and all(p["label"] == catalogue.parameters[p["name"]].label for p in rows)


def test_a_suspended_parameter_is_named_in_french():
    """A rule whose parameter has no value in force says which one by its French name."""
    catalogue = load_catalogue()
    dossier = load(SAMPLES / "villebelle").dossier
    report = check_dossier(dossier, catalogue, dt.date(2018, 1, 1))  # before every parameter's first value
    suspended = [f for f in report.findings if f.message.startswith("Non applicable à cette date")]
    assert suspended
    for f in suspended:
        assert not machine_words(f.message), f.message
        assert any(catalogue.parameters[p["name"]].label in f.message for p in f.parameters), f.message


def test_the_pages_name_every_verdict_in_french():
    """The service's badges and tags, and the dossier's worst verdict (the queue, the versions table)."""
    from instruct.service.templating import TEMPLATES
    from instruct.vocabulary import worst_verdict

    for verdict in Verdict:
        html = TEMPLATES.from_string(
            '{% from "macros.html" import verdict_badge, verdict_tag %}'
            '{{ verdict_badge(v, "AL-O") }}{{ verdict_tag(v) }}'
        ).render(v=verdict.value)
        text = re.sub(r'class="[^"]*"', "", html)  # what is read, the classes aside
        assert text.count(VERDICT_LIBELLES[verdict]) == 2, html
        if "_" in verdict.value:
            assert verdict.value not in text, html
    assert worst_verdict(["sans_objet", "recevable", "a_corriger"]) == "a_corriger"
    assert worst_verdict(["a_corriger", "incomplet"]) == "incomplet"
    assert worst_verdict(["sans_objet"]) == "sans_objet" and worst_verdict([]) is None
