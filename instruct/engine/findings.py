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
from instruct.vocabulary import Verdict


def describe(cond: C.Condition | None, spec: dict, labels: dict[str, str] | None = None) -> str:
    """A condition in French words, for the reader of a finding; `labels` names the parameters
    (their libelle, never their code)."""
    labels = labels or {}
    ops = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
    if cond is None:
        return "toujours"
    if isinstance(cond, C.Present):
        return f"{spec[cond.field].label} {'renseigné' if cond.present else 'non renseigné'}"
    if isinstance(cond, C.Cmp):
        if isinstance(cond.value, C.Param):
            text = labels.get(cond.value.name, "la valeur fixée par les règles")
        elif cond.op == "in":
            text = "{" + ", ".join(shown(spec[cond.field], v) for v in cond.value) + "}"
        else:
            text = shown(spec[cond.field], cond.value)
        return f"{spec[cond.field].label} {'∈' if cond.op == 'in' else ops[cond.op]} {text}"
    if isinstance(cond, C.All):
        return " et ".join(describe(i, spec, labels) for i in cond.items)
    if isinstance(cond, C.AnyOf):
        return "(" + " ou ".join(describe(i, spec, labels) for i in cond.items) + ")"
    return "non (" + describe(cond.item, spec, labels) + ")"


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
        return shown(spec[name], fact.values.get(name))

    return PLACEHOLDER.sub(replace, text)


def shown(field_spec, value) -> str:
    """A fact's value as a town reads it: in its unit, a code in French words."""
    return display(field_spec.kind, field_spec.shown(value))


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
        names = p.parameter_labels
        return (
            "Non applicable à cette date : aucune valeur en vigueur pour "
            + ", ".join(names[n] for n in p.suspended)
            + "."
        )
    if status in rule.messages:
        return _fill(rule.messages[status], fact, spec, params, figures)
    if status == "non_conforme":
        return _fill(rule.message, fact, spec, params, figures)
    if status == "conforme":
        return f"{rule.title} : conforme."
    if status == "incomplet":
        return "Information manquante : " + ", ".join(spec[f].label for f in _missing(p, fact)) + "."
    if status == "non_applicable":
        return f"Non applicable : la règle s'applique si {describe(p.rule.condition, spec, p.parameter_labels)}."
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
        return f"Fournir les informations que demande le point « {rule.title} »."
    if status == "a_verifier":  # never the non conforme remedy: nothing is to be corrected yet
        return f"L'instructeur vérifie le point « {rule.title} » au vu des pièces."
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
            "value": shown(field_spec, values.get(name)),
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
    "lancement_action": ("actions matures à lancer", "fiches_actions"),
    "signataire_avenant": ("signataires attendus de l'avenant de déploiement", "convention.avenants"),
    "validation_avenant": ("validations attendues de l'avenant de déploiement", "convention.avenants"),
    "signataire": ("signataires attendus de la convention-cadre", "convention.signataires"),
    "element": ("éléments attendus de la convention-cadre et de l'avenant", "convention"),
    "axe": ("axes du programme", "axes"),
    "inclusion": ("périmètres à comparer", "perimetres"),
    "calendrier_convention": ("calendrier de la convention", "convention"),
    "anah": ("situation de la ville au regard de l'Anah", "dispositifs_anah"),
    "ort": ("opération de revitalisation de territoire", "ort"),
    "dossier": ("dossier", ""),
}


def _no_entity(rule: Rule, dossier_fact: Fact) -> Finding:
    label, path = SCOPE_PATHS.get(rule.scope, (rule.scope, ""))
    spec = FACT_TYPES[rule.scope]
    where = ", ".join(f"{spec[k].label} : {shown(spec[k], v)}" for k, v in rule.where.items())
    what = label + (f" ({where})" if where else "")
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
    """The catalogue's definitions, by precedence (vocabulary.Verdict): non_recevable (a bloquant
    rule non conforme) > incomplet (a bloquant or majeur rule incomplet) > a_corriger (a majeur
    rule non conforme) > recevable (a point applied) > sans_objet (nothing applied)."""
    graves = [f for f in findings if f.severity in {"bloquant", "majeur"}]
    if any(f.status == "non_conforme" and f.severity == "bloquant" for f in graves):
        return Verdict.NON_RECEVABLE.value
    if any(f.status == "incomplet" for f in graves):
        return Verdict.INCOMPLET.value
    if any(f.status == "non_conforme" for f in graves):
        return Verdict.A_CORRIGER.value
    if any(f.status != "non_applicable" for f in findings):
        return Verdict.RECEVABLE.value
    return Verdict.SANS_OBJET.value


def counts(findings: list[Finding]) -> dict[str, int]:
    c = Counter(f.status for f in findings)
    return {status: c.get(status, 0) for status in STATUSES}
