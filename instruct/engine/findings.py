"""Outcomes -> findings (message, evidence, parameters, source) -> verdicts per rule set."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

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


def _template(text: str) -> tuple[str, ...]:
    """A message template cut once at its placeholders: literal, name, literal, …, literal."""
    parts = _TEMPLATES.get(text)
    if parts is None:
        parts = tuple(PLACEHOLDER.split(text))
        if len(_TEMPLATES) < 4096:  # the catalogue's templates; bounded all the same
            _TEMPLATES[text] = parts
    return parts


_TEMPLATES: dict[str, tuple[str, ...]] = {}


def _fill(
    text: str, fact: Fact, spec: dict, params: dict[str, str], figures: dict[str, str], show: Callable | None = None
) -> str:
    parts = _template(text)
    if len(parts) == 1:
        return text
    show = show or shown
    out = [parts[0]]
    values = fact.values
    for i in range(1, len(parts), 2):
        name = parts[i]
        if name == "entite":
            out.append(fact.entity.label)
        elif name.startswith("param."):
            out.append(params.get(name[6:], "?"))
        elif name.startswith("figure."):
            out.append(figures.get(name[7:], "non calculable"))
        else:
            out.append(show(spec[name], values.get(name)))
        out.append(parts[i + 1])
    return "".join(out)


def shown(field_spec, value) -> str:
    """A fact's value as a town reads it: in its unit, a code in French words."""
    return display(field_spec.kind, field_spec.shown(value))


class _Memo:
    """What one dossier's findings repeat, worked out once for the dossier: a value as shown, a
    fact's evidence row (many rules cite the same field of the same entity), a rule's
    "non applicable" sentence. Kept for one build_findings call only."""

    def __init__(self) -> None:
        self.texts: dict[tuple, str] = {}
        self.rows: dict[int, dict[str, tuple]] = {}  # id(fact) -> field -> evidence row
        self.sentences: dict[int, str] = {}

    def show(self, field_spec, value) -> str:
        key = (id(field_spec), value.__class__, value)  # the class: True and 1 are shown apart
        try:
            return self.texts[key]
        except KeyError:
            text = self.texts[key] = shown(field_spec, value)
            return text
        except TypeError:  # an unhashable value: shown without memory
            return shown(field_spec, value)

    def evidence(self, fact: Fact, spec: dict, names: tuple[str, ...]) -> list[dict]:
        """The evidence rows of these fields of the fact, as new dicts (annotate adds to them)."""
        rows = self.rows.get(id(fact))
        if rows is None:
            rows = self.rows[id(fact)] = {}
        evidence = []
        for name in names:
            row = rows.get(name)
            if row is None:
                field_spec = spec[name]
                values = fact.values
                row = rows[name] = (
                    {"field": name, "label": field_spec.label, "path": fact.paths.get(name, "")},
                    self.show(field_spec, values.get(name)),
                    name not in values,
                )
            item, value, missing = row
            item = {**item, "value": value}
            if missing:
                item["missing"] = True
            evidence.append(item)
        return evidence

    def not_applicable(self, p: PreparedRule, spec: dict) -> str:
        sentence = self.sentences.get(id(p))
        if sentence is None:
            sentence = self.sentences[id(p)] = (
                f"Non applicable : la règle s'applique si {describe(p.rule.condition, spec, p.parameter_labels)}."
            )
        return sentence


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
    p: PreparedRule,
    status: str,
    fact: Fact,
    spec: dict,
    params: dict[str, str],
    figures: dict[str, str],
    memo: _Memo,
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
        return _fill(rule.messages[status], fact, spec, params, figures, memo.show)
    if status == "non_conforme":
        return _fill(rule.message, fact, spec, params, figures, memo.show)
    if status == "conforme":
        return f"{rule.title} : conforme."
    if status == "incomplet":
        return "Information manquante : " + ", ".join(spec[f].label for f in _missing(p, fact)) + "."
    if status == "non_applicable":
        return memo.not_applicable(p, spec)
    return f"{rule.title} : à vérifier."


def _missing(p: PreparedRule, fact: Fact) -> list[str]:
    """The fields whose absence makes the outcome incomplet (condition first, then requires)."""
    return [f for f in dict.fromkeys(list(p.condition_fields) + list(p.rule.requires)) if f not in fact.values]


def _remedy(
    p: PreparedRule,
    status: str,
    fact: Fact,
    spec: dict,
    params: dict[str, str],
    figures: dict[str, str],
    memo: _Memo,
) -> str | None:
    """One remedy per status: non_conforme says what to correct (`remedy`), incomplet what to
    provide (`remedies.incomplet`, else the missing information named), a_verifier who judges
    what (`remedies.a_verifier`, required by the loader with a review)."""
    rule = p.rule
    if status not in GAPS:
        return None
    if status in rule.remedies:
        return _fill(rule.remedies[status], fact, spec, params, figures, memo.show)
    if status == "incomplet":
        missing = _missing(p, fact)
        if missing:
            return "Fournir : " + ", ".join(spec[f].label for f in missing) + "."
        return f"Fournir les informations que demande le point « {rule.title} »."
    if status == "a_verifier":  # never the non conforme remedy: nothing is to be corrected yet
        return f"L'instructeur vérifie le point « {rule.title} » au vu des pièces."
    return _fill(rule.remedy, fact, spec, params, figures, memo.show)


def build_finding(p: PreparedRule, fact: Fact, status: str, memo: _Memo | None = None) -> Finding:
    rule = p.rule
    memo = memo or _Memo()
    spec = FACT_TYPES[fact.type]
    evidence = memo.evidence(fact, spec, p.evidence_fields)
    if rule.figures:
        figures, figure_evidence = _figures(p, fact)
        evidence += figure_evidence
    else:
        figures = {}
    return Finding(
        rule=rule.id,
        check=rule.check,
        ruleset=rule.ruleset,
        title=rule.title,
        status=status,
        severity=rule.severity,
        entity=fact.entity,
        message=_message(p, status, fact, spec, p.parameter_text, figures, memo),
        remedy=_remedy(p, status, fact, spec, p.parameter_text, figures, memo),
        source=p.source,
        citation=rule.source.citation,
        evidence=evidence,
        parameters=list(p.parameter_rows),
    )


def build_findings(
    prepared: list[PreparedRule], facts: list[Fact], outcomes: list[Outcome], dossier_fact: Fact
) -> list[Finding]:
    """One finding per outcome; a rule with no entity at all gets one non_applicable finding,
    so that the report traces every rule it checked."""
    memo = _Memo()
    findings = [build_finding(prepared[o.rule], facts[o.fact], o.status, memo) for o in outcomes]
    evaluated = {o.rule for o in outcomes}
    for r, p in enumerate(prepared):
        if r in evaluated:
            continue
        # a rule suspended at this date (a parameter not in force) is not applicable to each
        # entity of its scope; a rule with no entity at all says so once, on the dossier
        scope = [f for f in facts if matches_scope(p.rule, f.type, f.values)] if p.suspended else []
        if scope:
            findings += [build_finding(p, fact, "non_applicable", memo) for fact in scope]
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
