"""Outcomes -> findings (message, evidence, parameters, source) -> verdicts per rule set."""

from __future__ import annotations

import re
from collections import Counter

from instruct.engine.prepare import Outcome, PreparedRule, matches_scope
from instruct.facts import FACT_TYPES, Fact
from instruct.french import display
from instruct.model.report import GAPS, Finding
from instruct.rules import conditions as C
from instruct.rules.catalogue import PLACEHOLDER, STATUSES, Rule
from instruct.rules.figures import as_fact_value, compute


def describe(cond: C.Condition | None, spec: dict) -> str:
    """A condition in French words, for the reader of a finding."""
    ops = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
    if cond is None:
        return "toujours"
    if isinstance(cond, C.Present):
        return f"{spec[cond.field].label} {'renseigné' if cond.present else 'non renseigné'}"
    if isinstance(cond, C.Cmp):
        kind = spec[cond.field].kind
        if isinstance(cond.value, C.Param):
            shown = f"paramètre {cond.value.name}"
        elif cond.op == "in":
            shown = "{" + ", ".join(display(kind, v) for v in cond.value) + "}"
        else:
            shown = display(kind, cond.value)
        return f"{spec[cond.field].label} {'∈' if cond.op == 'in' else ops[cond.op]} {shown}"
    if isinstance(cond, C.All):
        return " et ".join(describe(i, spec) for i in cond.items)
    if isinstance(cond, C.AnyOf):
        return "(" + " ou ".join(describe(i, spec) for i in cond.items) + ")"
    return "non (" + describe(cond.item, spec) + ")"


# --- building findings -------------------------------------------------------------------------


def _fill(text: str, fact: Fact, spec: dict, params: dict[str, str], figures: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "entite":
            return fact.entity.label
        if name.startswith("param."):
            return params.get(name[6:], "?")
        if name.startswith("figure."):
            return figures.get(name[7:], "non calculable")
        return display(spec[name].kind, fact.values.get(name))

    return PLACEHOLDER.sub(replace, text)


def _figures(p: PreparedRule, fact: Fact) -> tuple[dict[str, str], list[dict]]:
    shown, evidence = {}, []
    for figure in p.rule.figures:
        value = as_fact_value(figure, compute(figure.expr, fact.values, p.parameter_values))
        shown[figure.name] = display(figure.unit, value) if value is not None else "non calculable"
        evidence.append(
            {"field": f"figure.{figure.name}", "label": figure.label, "path": "calcul", "value": shown[figure.name]}
        )
    return shown, evidence


def _message(
    p: PreparedRule, status: str, fact: Fact, spec: dict, params: dict[str, str], figures: dict[str, str]
) -> str:
    rule = p.rule
    if status == "non_applicable" and p.suspended:
        return "Non applicable à cette date : aucune valeur en vigueur pour " + ", ".join(p.suspended) + "."
    if status in rule.messages:
        return _fill(rule.messages[status], fact, spec, params, figures)
    if status == "non_conforme":
        return _fill(rule.message, fact, spec, params, figures)
    if status == "conforme":
        return f"{rule.title} : conforme."
    if status == "incomplet":
        return "Information manquante : " + ", ".join(spec[f].label for f in _missing(p, fact)) + "."
    if status == "non_applicable":
        return f"Non applicable : la règle s'applique si {describe(p.rule.condition, spec)}."
    return f"{rule.title} : à vérifier."


def _missing(p: PreparedRule, fact: Fact) -> list[str]:
    """The fields whose absence makes the outcome incomplet (condition first, then requires)."""
    return [f for f in dict.fromkeys(list(p.condition_fields) + list(p.rule.requires)) if f not in fact.values]


def _remedy(
    p: PreparedRule, status: str, fact: Fact, spec: dict, params: dict[str, str], figures: dict[str, str]
) -> str | None:
    """One remedy per status: non_conforme says what to correct (`remedy`), incomplet what to
    provide (`remedies.incomplet`, else the missing information named), a_verifier who judges
    what (`remedies.a_verifier`, required by the loader with a review)."""
    rule = p.rule
    if status not in GAPS:
        return None
    if status in rule.remedies:
        return _fill(rule.remedies[status], fact, spec, params, figures)
    if status == "incomplet":
        missing = _missing(p, fact)
        if missing:
            return "Fournir : " + ", ".join(spec[f].label for f in missing) + "."
    return _fill(rule.remedy, fact, spec, params, figures)


def build_finding(p: PreparedRule, fact: Fact, status: str) -> Finding:
    rule = p.rule
    spec = FACT_TYPES[fact.type]
    values, paths = fact.values, fact.paths
    evidence = []
    for name in p.evidence_fields:
        field_spec = spec[name]
        item = {
            "field": name,
            "label": field_spec.label,
            "path": paths.get(name, ""),
            "value": display(field_spec.kind, values.get(name)),
        }
        if name not in values:
            item["missing"] = True
        evidence.append(item)
    figures, figure_evidence = _figures(p, fact) if rule.figures else ({}, [])
    return Finding(
        rule=rule.id,
        check=rule.check,
        ruleset=rule.ruleset,
        title=rule.title,
        status=status,
        severity=rule.severity,
        entity=fact.entity,
        message=_message(p, status, fact, spec, p.parameter_text, figures),
        remedy=_remedy(p, status, fact, spec, p.parameter_text, figures),
        source=p.source,
        citation=rule.source.citation,
        evidence=evidence + figure_evidence,
        parameters=list(p.parameter_rows),
    )


def build_findings(
    prepared: list[PreparedRule], facts: list[Fact], outcomes: list[Outcome], dossier_fact: Fact
) -> list[Finding]:
    """One finding per outcome; a rule with no entity at all gets one non_applicable finding,
    so that the report traces every rule it checked."""
    findings = [build_finding(prepared[o.rule], facts[o.fact], o.status) for o in outcomes]
    evaluated = {o.rule for o in outcomes}
    for r, p in enumerate(prepared):
        if r in evaluated:
            continue
        # a rule suspended at this date (a parameter not in force) is not applicable to each
        # entity of its scope; a rule with no entity at all says so once, on the dossier
        scope = [f for f in facts if matches_scope(p.rule, f.type, f.values)] if p.suspended else []
        if scope:
            findings += [build_finding(p, fact, "non_applicable") for fact in scope]
        else:
            findings.append(_no_entity(p.rule, dossier_fact))
    findings.sort(key=Finding.sort_key)
    return findings


# Where the entities of each scope come from in the dossier (evidence of "nothing to examine").
SCOPE_PATHS = {
    "fiche_action": ("fiches actions", "fiches_actions"),
    "immeuble": ("immeubles", "immeubles"),
    "avenant": ("avenants", "convention.avenants"),
    "chronologie": ("dates à comparer", "convention, fiches_actions[*].date_signature"),
    "dispositif_anah": ("dispositifs de l'Anah", "dispositifs_anah"),
    "quartier": ("quartiers NPNRU / PNRQAD", "quartiers"),
    "secteur_ort": ("secteurs d'intervention de l'ORT", "ort.secteurs"),
    "piece": ("pièces du dossier (PDF, DOCX)", "pieces/"),
    "concordance": ("valeurs données à la fois par le dossier et par une pièce", "pieces/"),
    "lecture": ("valeurs lues avec doute dans les pièces", "pieces/"),
}


def _no_entity(rule: Rule, dossier_fact: Fact) -> Finding:
    label, path = SCOPE_PATHS.get(rule.scope, (rule.scope, ""))
    what = label + (" (" + ", ".join(f"{k} = {v}" for k, v in rule.where.items()) + ")" if rule.where else "")
    return Finding(
        rule=rule.id,
        check=rule.check,
        ruleset=rule.ruleset,
        title=rule.title,
        status="non_applicable",
        severity=rule.severity,
        entity=dossier_fact.entity,
        message=f"Non applicable : le dossier ne contient aucun élément à examiner ({what}).",
        remedy=None,
        source=str(rule.source),
        citation=rule.source.citation,
        evidence=[{"field": rule.scope, "label": what, "path": path, "value": "aucun"}],
    )


# --- verdicts ----------------------------------------------------------------------------------


def verdict(findings: list[Finding]) -> str:
    """recevable: no bloquant/majeur gap; non_recevable: a bloquant rule is non_conforme;
    incomplet: anything else (missing information, or a majeur non-conformity to fix)."""
    if any(f.status == "non_conforme" and f.severity == "bloquant" for f in findings):
        return "non_recevable"
    if any(f.status in {"non_conforme", "incomplet"} and f.severity in {"bloquant", "majeur"} for f in findings):
        return "incomplet"
    return "recevable"


def counts(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.status for f in findings)
    return {status: c.get(status, 0) for status in STATUSES}
