"""Outcomes -> findings (message, evidence, parameters, source) -> verdicts per rule set."""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

from instruct.engine.prepare import Outcome, PreparedRule, matches_scope
from instruct.facts import FACT_TYPES, Fact
from instruct.french import display
from instruct.model.report import GAPS, Finding, sort_prefix
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


def shown(field_spec, value) -> str:
    """A fact's value as a town reads it: in its unit, a code in French words."""
    return display(field_spec.kind, field_spec.shown(value))


_NO_NUMBER = (type(None), bool, str)  # a field figures.compute reads as missing: no figure


def _figures(p: PreparedRule, fact: Fact, operands: tuple[tuple[str, ...], ...]) -> tuple[dict[str, str], list[dict]]:
    """`operands`: each figure's fields. A figure with one of them missing is not computed: compute
    evaluates every operand and gives None as soon as one is."""
    shown, evidence = {}, []
    values = fact.values
    for figure, names in zip(p.rule.figures, operands):
        if any(type(values.get(name)) in _NO_NUMBER for name in names):
            value = None
        else:
            value = as_fact_value(figure, compute(figure.expr, values, p.parameter_values))
        shown[figure.name] = display(figure.unit, value) if value is not None else "non calculable"
        evidence.append(
            {"field": f"figure.{figure.name}", "label": figure.label, "path": "calcul", "value": shown[figure.name]}
        )
    return shown, evidence


# --- what every finding of a prepared rule repeats, worked out once --------------------------------
# ~800 findings per dossier, ~100 rules: the texts that do not depend on the entity (conforme, non
# applicable, à vérifier), the evidence labels and the messages' templates cut at their placeholders
# are made on a rule's first finding and kept with the prepared rules (cached per date by check.py).
# Only immutable texts are shared; each finding gets its own evidence rows (annotate adds to them).

_ABSENT = object()
_NO_FIGURES: dict[str, str] = {}  # never written
_ENTITE, _FIGURE, _FIELD = 0, 1, 2
_SHOWN_MEMO = 128  # values remembered per field (codes, yes/no, dates recur; amounts rarely): a few MB at most


class _Field:
    """One evidence field of a fact type: its label and its values as shown, remembered."""

    __slots__ = ("name", "label", "spec", "memo", "absent")

    def __init__(self, name: str, spec) -> None:
        self.name, self.label, self.spec, self.memo = name, spec.label, spec, {}
        self.absent = shown(spec, None)  # the field not in the fact

    def shown(self, value) -> str:
        """shown(spec, value), remembered by (type, value) so that True, 1 and 1.0 stay apart."""
        try:
            key = (type(value), value)
            text = self.memo.get(key)
        except TypeError:  # an unhashable value: shown every time
            return shown(self.spec, value)
        if text is None:
            if len(self.memo) >= _SHOWN_MEMO:
                self.memo.clear()
            text = self.memo[key] = shown(self.spec, value)
        return text


def _template(text: str, spec: dict, fields: dict[str, _Field], params: dict[str, str]) -> tuple:
    """`text` cut at its placeholders (PLACEHOLDER.sub's), the parameters written in: literal texts
    and (kind, name) pairs, filled by _filled."""
    parts: list = []
    for n, piece in enumerate(PLACEHOLDER.split(text)):
        if n % 2 == 0:
            part = piece
        elif piece == "entite":
            part = (_ENTITE, piece)
        elif piece.startswith("param."):
            part = params.get(piece[6:], "?")
        elif piece.startswith("figure."):
            part = (_FIGURE, piece[7:])
        else:
            part = (_FIELD, fields.get(piece) or _Field(piece, spec[piece]))
        if type(part) is str and parts and type(parts[-1]) is str:
            parts[-1] += part
        elif part != "":
            parts.append(part)
    return tuple(parts)


def _literal(parts: tuple | None) -> str | None:
    """The text of a template without placeholders."""
    return parts[0] if parts is not None and len(parts) == 1 and type(parts[0]) is str else None


def _filled(parts: tuple, fact: Fact, figures: dict[str, str]) -> str:
    if len(parts) == 1 and type(parts[0]) is str:
        return parts[0]
    out = []
    for part in parts:
        if type(part) is str:
            out.append(part)
        elif part[0] == _FIELD:
            out.append(part[1].shown(fact.values.get(part[1].name)))
        elif part[0] == _ENTITE:
            out.append(fact.entity.label)
        else:
            out.append(figures.get(part[1], "non calculable"))
    return "".join(out)


class _Plan:
    """A prepared rule's findings on facts of one type, less what each fact holds."""

    __slots__ = (
        "prepared",
        "fact_type",
        "evidence",
        "operands",
        "messages",
        "other",
        "remedies",
        "fixed",
        "by_missing",
        "missing",
        "labels",
        "sort_keys",
    )

    def __init__(self, p: PreparedRule, fact_type: str) -> None:
        rule, spec, params = p.rule, FACT_TYPES[fact_type], p.parameter_text
        self.prepared, self.fact_type = p, fact_type
        fields = {name: _Field(name, spec[name]) for name in p.evidence_fields}
        self.evidence = tuple((f.name, f.label, f) for f in fields.values())
        self.operands = tuple(tuple(figure.fields()) for figure in rule.figures)
        self.missing = tuple(dict.fromkeys(list(p.condition_fields) + list(rule.requires)))
        self.labels = {name: spec[name].label for name in self.missing}
        suspended = p.suspended
        messages: dict[str, tuple | None] = {
            "non_conforme": _template(rule.message, spec, fields, params),
            "conforme": (f"{rule.title} : conforme.",),
            "incomplet": None,  # the missing information, named per fact
            "a_verifier": (f"{rule.title} : à vérifier.",),
        }
        if suspended:
            names = p.parameter_labels
            text = "Non applicable à cette date : aucune valeur en vigueur pour " + ", ".join(
                names[n] for n in suspended
            )
            messages["non_applicable"] = (text + ".",)
        else:
            condition = describe(rule.condition, spec, p.parameter_labels)
            messages["non_applicable"] = (f"Non applicable : la règle s'applique si {condition}.",)
        for status, text in rule.messages.items():
            if not (status == "non_applicable" and suspended):
                messages[status] = _template(text, spec, fields, params)
        remedies: dict[str, tuple | None] = dict.fromkeys(STATUSES)
        for status in GAPS:
            if status in rule.remedies:
                remedies[status] = _template(rule.remedies[status], spec, fields, params)
            elif status == "a_verifier":  # never the non conforme remedy: nothing is to be corrected yet
                remedies[status] = (f"L'instructeur vérifie le point « {rule.title} » au vu des pièces.",)
            elif status == "non_conforme":
                remedies[status] = _template(rule.remedy, spec, fields, params)
        self.messages, self.remedies = messages, remedies
        self.other = (f"{rule.title} : à vérifier.",)  # a status with no text of its own
        # incomplet texts that name only the missing fields (at most 2^len(missing) sets of them)
        incomplete = (messages["incomplet"], remedies["incomplet"])
        self.by_missing = {} if all(t is None or _literal(t) is not None for t in incomplete) else None
        # (message, remedy) of the statuses whose texts name nothing of the fact
        self.fixed = {}
        for status, parts in messages.items():
            message, remedy = _literal(parts), remedies[status]
            if message is not None and remedy is None and status != "incomplet":
                self.fixed[status] = (message, None)
            elif message is not None and _literal(remedy) is not None:
                self.fixed[status] = (message, _literal(remedy))
        self.sort_keys = {status: sort_prefix(status, rule.severity, rule.id, rule.check) for status in STATUSES}

    def texts(self, status: str, fact: Fact, figures: dict[str, str]) -> tuple[str, str | None]:
        """The message and the remedy of a finding on `fact`; those of incomplet findings that only
        name what is missing are remembered by what is missing."""
        if status != "incomplet":
            return self.message(status, fact, figures, ()), self.remedy(status, fact, figures, ())
        missing = tuple(f for f in self.missing if f not in fact.values)
        texts = self.by_missing.get(missing) if self.by_missing is not None else None
        if texts is None:
            texts = self.message(status, fact, figures, missing), self.remedy(status, fact, figures, missing)
            if self.by_missing is not None:
                self.by_missing[missing] = texts
        return texts

    def message(self, status: str, fact: Fact, figures: dict[str, str], missing: tuple[str, ...]) -> str:
        """The rule's text for the status (`messages`, `message` when non conforme), else the engine's:
        conforme, the missing information named, the condition not met, à vérifier; a rule suspended at
        this date names the parameters not in force."""
        parts = self.messages.get(status, self.other)
        if parts is None:
            return "Information manquante : " + ", ".join(self.labels[f] for f in missing) + "."
        return _filled(parts, fact, figures)

    def remedy(self, status: str, fact: Fact, figures: dict[str, str], missing: tuple[str, ...]) -> str | None:
        """One remedy per status: non_conforme says what to correct (`remedy`), incomplet what to
        provide (`remedies.incomplet`, else the missing information named), a_verifier who judges
        what (`remedies.a_verifier`, required by the loader with a review)."""
        parts = self.remedies.get(status)
        if parts is not None:
            return _filled(parts, fact, figures)
        if status != "incomplet":
            return None
        if missing:
            return "Fournir : " + ", ".join(self.labels[f] for f in missing) + "."
        return f"Fournir les informations que demande le point « {self.prepared.rule.title} »."


_PLANS: dict[tuple[int, str], _Plan] = {}


def _plan(p: PreparedRule, fact_type: str) -> _Plan:
    """The plan of `p` on facts of `fact_type`, kept while `p` is (its identity is checked: an id
    may be reused once a preparation is dropped). Bounded: a catalogue reloaded many times (the
    service) starts afresh."""
    plan = _PLANS.get((id(p), fact_type))
    if plan is None or plan.prepared is not p:
        if len(_PLANS) >= 4096:
            _PLANS.clear()
        plan = _PLANS[(id(p), fact_type)] = _Plan(p, fact_type)
    return plan


def build_finding(p: PreparedRule, fact: Fact, status: str, plan: _Plan | None = None) -> Finding:
    rule = p.rule
    plan = plan or _plan(p, fact.type)
    values, paths = fact.values, fact.paths
    evidence = []
    for name, label, field in plan.evidence:
        value = values.get(name, _ABSENT)
        if value is _ABSENT:
            evidence.append(
                {"field": name, "label": label, "path": paths.get(name, ""), "value": field.absent, "missing": True}
            )
            continue
        evidence.append({"field": name, "label": label, "path": paths.get(name, ""), "value": field.shown(value)})
    if rule.figures:
        figures, figure_evidence = _figures(p, fact, plan.operands)
        evidence += figure_evidence
    else:
        figures = _NO_FIGURES
    fixed = plan.fixed.get(status)
    if fixed is None:
        fixed = plan.texts(status, fact, figures)
    return Finding(
        rule.id,
        rule.check,
        rule.ruleset,
        rule.title,
        status,
        rule.severity,
        fact.entity,
        fixed[0],
        fixed[1],
        p.source,
        rule.source.citation,
        evidence,
        list(p.parameter_rows),
    )


def build_findings(
    prepared: list[PreparedRule], facts: list[Fact], outcomes: list[Outcome], dossier_fact: Fact
) -> list[Finding]:
    """One finding per outcome; a rule with no entity at all gets one non_applicable finding,
    so that the report traces every rule it checked. In Finding.sort_key's order."""
    plans: list[_Plan | None] = [None] * len(prepared)
    findings, bases = [], []
    for o in outcomes:
        p, fact = prepared[o.rule], facts[o.fact]
        plan = plans[o.rule]
        if plan is None or plan.fact_type != fact.type:
            plan = plans[o.rule] = _plan(p, fact.type)
        findings.append(build_finding(p, fact, o.status, plan))
        bases.append(plan.sort_keys[o.status])
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
    keys = [base + (f.entity.type, f.entity.id) for base, f in zip(bases, findings)]
    keys += [f.sort_key() for f in findings[len(bases) :]]
    order = sorted(range(len(findings)), key=keys.__getitem__)
    return [findings[i] for i in order]


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
    return verdict_of(tally(findings))


def counts(findings: list[Finding]) -> dict[str, int]:
    return counts_of(tally(findings))


def tally(findings: list[Finding]) -> Counter:
    """How many findings per (status, severity): what verdict and counts read (one pass, in C)."""
    return Counter(zip(map(_STATUS, findings), map(_SEVERITY, findings)))


_STATUS, _SEVERITY = attrgetter("status"), attrgetter("severity")


def verdict_of(tallied: Counter) -> str:
    """verdict(), from the findings' tally."""
    if tallied[("non_conforme", "bloquant")]:
        return Verdict.NON_RECEVABLE.value
    if tallied[("incomplet", "bloquant")] or tallied[("incomplet", "majeur")]:
        return Verdict.INCOMPLET.value
    if tallied[("non_conforme", "majeur")]:
        return Verdict.A_CORRIGER.value
    if any(n and status != "non_applicable" for (status, _), n in tallied.items()):
        return Verdict.RECEVABLE.value
    return Verdict.SANS_OBJET.value


def counts_of(tallied: Counter) -> dict[str, int]:
    """counts(), from the findings' tally."""
    found = dict.fromkeys(STATUSES, 0)
    for (status, _), n in tallied.items():
        if status in found:
            found[status] += n
    return found
