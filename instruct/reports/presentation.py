"""What every report for a person shows, in the order a town acts on it: the gaps grouped by
cause, « À traiter en premier » (bloquant then majeur, non conforme then incomplet, across rule
sets), then the other gaps; all in French labels (fields counted from 1, parameters by name).
Text, Markdown, HTML, DOCX, PDF and the dossier page render a `Presentation`; none regroups.

How a cause is recognised (findings sharing it become one `Cause`, each rule still listed):
- incomplet: the same missing fields. Each missing evidence path is cut into its fields (« a, b ;
  provenance » -> a, b; a remark in parentheses dropped), less the fields the same finding shows
  as given; an evidence item without a path counts by its label and entity. Five PROG-17 findings
  on an absent membres list are one cause; PROG-30 and PROG-31 (their own fields differ) are two.
- non conforme, à vérifier: the same status, the same entity and the same decisive figure, the
  last evidence item that names the dossier (not a computed explanation), when it is a quantity
  (not a date or a yes/no, as often context as fault): its fields and its value. One
  over-financing is PROG-15, ANRU-03 and X-03 on one fiche action (cost and amounts, same excess);
  two caps exceeded on one immeuble (per m², per logement) stay two causes.
- the same status, entity and message (one sentence said twice to the town) is one cause too;
- two checks of one rule on one entity, both incomplet, one lacking part of what the other lacks (a
  field, or a field inside it: the secteurs hold each secteur's data): providing the larger set
  settles both (ORT-03's two texts when the ORT's secteurs are missing), one cause.
- anything else is its own cause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from instruct.french import french_date, french_date_text
from instruct.model.report import GAPS, SEVERITY_ORDER, STATUS_ORDER, Finding, Report
from instruct.vocabulary import REMEDE_LIBELLES, STATUT_LIBELLES, VERDICT_LIBELLES

PRIORITY_SEVERITIES = ("bloquant", "majeur")
PRIORITY_STATUSES = ("non_conforme", "incomplet")  # what the town itself must correct or provide
COMPUTED = "calcul"  # an evidence path: a figure computed to explain, never a field of the dossier


@dataclass(frozen=True)
class Header:
    commune: str
    insee: str | None
    dossier_id: str
    fictif: bool
    evaluated_on: str  # « 26/11/2026 »

    @property
    def title(self) -> str:
        return f"Rapport d'instruction — {self.commune} (INSEE {self.insee or 'non renseigné'})"


@dataclass(frozen=True)
class RulesetLine:
    code: str
    title: str
    verdict: str
    verdict_label: str
    counts: dict[str, int]
    summary: str  # « 2 non conformes, 1 incomplet, 0 à vérifier, 3 conformes, 9 non applicables »


@dataclass(frozen=True)
class EntityLine:
    label: str
    verdict: str
    verdict_label: str
    counts: dict[str, int]


@dataclass(frozen=True)
class RuleRef:
    rule: str
    title: str
    ruleset: str
    severity: str
    source: str
    citation: str | None


@dataclass
class Cause:
    status: str
    severity: str  # the gravest of its findings'
    what: str  # the entity or the field concerned, in French
    message: str
    remedy_label: str  # « À fournir », « À corriger », « Qui vérifie »
    remedy: str | None
    rules: list[RuleRef]
    entities: list[str]
    findings: list[Finding] = field(default_factory=list)

    # Written on first use: the JSON report and the lists of causes do not show them.
    @cached_property
    def evidence(self) -> list[str]:
        """« coût de l'action : 800 000,00 € (Fiche action n° 3 — coût) »"""
        return _unique(line for f in self.findings for line in evidence_lines(f))

    @cached_property
    def quotes(self) -> list[str]:
        """« avenant-1.pdf, page 2 : « … » »"""
        return _unique(q for f in self.findings for q in quote_lines(f))

    @cached_property
    def parameters(self) -> list[str]:
        """« Tolérance … : 1,00 € (depuis le 27/03/2018) — source »"""
        return _unique(parameter_line(p) for f in self.findings for p in f.parameters)

    @property
    def status_label(self) -> str:
        return STATUT_LIBELLES.get(self.status, self.status)

    @property
    def rule_ids(self) -> list[str]:
        return [r.rule for r in self.rules]


@dataclass
class Presentation:
    header: Header
    rulesets: list[RulesetLine]
    entities: list[EntityLine]
    notes: list[str]
    first: list[Cause]  # « À traiter en premier »: bloquant, then majeur; non conforme before incomplet
    rest: list[Cause]  # the other gaps (mineur, info, à vérifier), in the same order
    conformes: int
    non_applicables: int
    findings: list[Finding]  # every finding, for the formats that list what is conforme

    @property
    def causes(self) -> list[Cause]:
        return self.first + self.rest


def _plural(n: int, word: str) -> str:
    """« 2 non conformes », « 2 à vérifier » (the adjective agrees; « à vérifier » does not)."""
    return f"{n} {word}s" if n > 1 and not word.startswith("à ") else f"{n} {word}"


def counts_summary(counts: dict[str, int]) -> str:
    order = ("non_conforme", "incomplet", "a_verifier", "conforme", "non_applicable")
    return ", ".join(_plural(counts.get(s, 0), STATUT_LIBELLES[s]) for s in order)


def verdict_label(verdict: str) -> str:
    return VERDICT_LIBELLES.get(verdict, verdict.replace("_", " "))


# --- French lines ---------------------------------------------------------------------------


@lru_cache(maxsize=4096)  # the same paths come back in every report: reports differ by their values
def _where(path: str) -> str:
    from instruct.form.paths import label_of  # on first use: `acv` reads every format's module

    if path == COMPUTED:
        return "calculé"
    return label_of(path) if path else ""


_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _value(value: object, path: str) -> str:
    """A choice's code (`en_cours`) as its French label; any other value as it is."""
    text = str(value)
    return _code_label(text, path) if _CODE.fullmatch(text) else text


@lru_cache(maxsize=4096)
def _code_label(text: str, path: str) -> str:
    from instruct.form.labels import choice_label, humanize, lower_first

    if text not in ("oui", "non"):
        leaf = re.split(r"[.\]]", path.partition(" ; ")[0].split(",")[0].strip())[-1]
        label = choice_label(text, leaf)
        if label != humanize(text) or "_" in text:
            return lower_first(label)
    return text


def evidence_lines(f: Finding) -> list[str]:
    lines = []
    for e in f.evidence:
        where = _where(e.get("path") or "")
        lines.append(f"{e['label']} : {_value(e['value'], e.get('path') or '')}" + (f" ({where})" if where else ""))
    return lines


def quote_lines(f: Finding) -> list[str]:
    """The pieces a finding's values were read from: « fichier, page 3 : « texte » »."""
    return [
        f"{q['fichier']}, {q['ou']} : « {q['texte']} »" + (f" ({q['lecture']})" if q.get("lecture") else "")
        for e in f.evidence
        for q in e.get("pieces", ())
    ]


def parameter_name(p: dict) -> str:
    """The parameter's French label; failing it, its name made readable, never its code."""
    if p.get("label"):
        return p["label"]
    from instruct.form.labels import humanize

    return humanize(str(p.get("name", "paramètre")).rpartition(".")[2])


def parameter_line(p: dict) -> str:
    since = french_date_text(p["since"]) if p.get("since") else ""
    line = f"{parameter_name(p)} : {p['value']}" + (f" (depuis le {since})" if since else "")
    return line + (f" — {p['reference']}" if p.get("reference") else "")


# --- causes ---------------------------------------------------------------------------------


_REMARK = re.compile(r"\([^()]*\)")
_FIELD_SEPARATOR = re.compile(r",| ou ")


@lru_cache(maxsize=4096)
def _fields(path: str) -> tuple[str, ...]:
    """`a[0].b, c (remarque) ; pièce` -> ('a[0].b', 'c')."""
    head = _REMARK.sub("", path.partition(" ; ")[0])
    return tuple(p.strip() for p in _FIELD_SEPARATOR.split(head) if p.strip())


def missing_fields(f: Finding) -> list[str]:
    """The fields an incomplet finding lacks, in its evidence's order: each missing path cut into
    its fields, less those the same finding shows as given (a composite figure is missing because
    one of its fields is)."""
    return _lacks(f)[0]


def _lacks(f: Finding) -> tuple[list[str], list[str]]:
    """missing_fields(f), and the labels of its missing evidence items that have no path."""
    given: set[str] = set()
    missing, unnamed = [], []
    for e in f.evidence:
        if e.get("missing"):
            fields = _fields(e.get("path") or "")
            if fields:
                missing.append(fields)
            else:
                unnamed.append(e.get("label"))
        else:
            given.update(_fields(e.get("path") or ""))
    found: dict[str, None] = {}
    for fields in missing:
        if len(fields) == 1:
            found[fields[0]] = None
        else:
            found.update((x, None) for x in fields if x not in given)
    return list(found), unnamed


def _figure(f: Finding) -> dict | None:
    """The decisive figure of a non conforme or à vérifier finding: its last evidence item that
    names the dossier, when it is a quantity (an amount, a count, a share; not a date, not a yes
    or no, which are as often the context as the fault)."""
    named = [e for e in f.evidence if (e.get("path") or "") not in ("", COMPUTED)]
    if not named:
        return None
    value = str(named[-1]["value"])
    if not re.search(r"\d", value) or re.fullmatch(r"\d{2}/\d{2}/\d{4}", value):
        return None
    return named[-1]


def cause_key(f: Finding, lacks: tuple[list[str], list[str]] | None = None) -> tuple:
    """Two findings with the same key report one cause (the module's docstring says how); `lacks`:
    its _lacks when already known."""
    if f.status == "incomplet":
        fields, unnamed = _lacks(f) if lacks is None else lacks
        if fields or unnamed:
            own = (f.entity.type, f.entity.id) if unnamed else ()
            return ("incomplet", frozenset(fields), frozenset(unnamed), own)
    elif f.status in GAPS and (figure := _figure(f)):
        return (f.status, f.entity.type, f.entity.id, tuple(_fields(figure["path"])), str(figure["value"]))
    return ("own", f.rule, f.check or "", f.entity.type, f.entity.id, f.status)


def said_twice(f: Finding) -> tuple:
    """The same sentence about the same entity, with the same status, is one cause to its reader
    (two checks of one rule finding the same data missing, in the same words)."""
    return (f.status, f.entity.type, f.entity.id, f.message)


def _what(lead: Finding, findings: list[Finding]) -> str:
    """The entity concerned; the field when the cause spans several entities or the whole dossier."""
    one = len(findings) == 1 or len({(f.entity.type, f.entity.id) for f in findings}) == 1
    if one and lead.entity.type != "dossier":
        return lead.entity.label
    if lead.status == "incomplet":
        fields = missing_fields(lead)
    else:
        figure = _figure(lead)
        fields = _fields(figure["path"]) if figure else []
    return (_where(", ".join(fields)) if fields else "") or lead.entity.label


def _unique(items) -> list:
    return list(dict.fromkeys(items))


_RULE_REFS: dict[tuple, RuleRef] = {}


def _rule_ref(fields: tuple) -> RuleRef:
    """RuleRef(*fields), made once (it is frozen: every report's causes share it); bounded."""
    ref = _RULE_REFS.get(fields)
    if ref is None:
        if len(_RULE_REFS) >= 4096:
            _RULE_REFS.clear()
        ref = _RULE_REFS[fields] = RuleRef(*fields)
    return ref


def _cause(findings: list[Finding]) -> Cause:
    lead = findings[0]
    if len(findings) == 1:  # most causes: one finding
        rules = [_rule_ref((lead.rule, lead.title, lead.ruleset, lead.severity, lead.source, lead.citation))]
        entities = [lead.entity.label]
        remedy = lead.remedy or None
    else:
        refs = _unique((f.rule, f.title, f.ruleset, f.severity, f.source, f.citation) for f in findings)
        rules = [_rule_ref(ref) for ref in refs]
        entities = _unique(f.entity.label for f in findings)
        remedy = next((f.remedy for f in findings if f.remedy), None)
    return Cause(
        status=lead.status,
        severity=lead.severity,
        what=_what(lead, findings),
        message=lead.message,
        remedy_label=REMEDE_LIBELLES.get(lead.status, ""),
        remedy=remedy,
        rules=rules,
        entities=entities,
        findings=findings,
    )


def _covers(larger: list[str], smaller: list[str]) -> bool:
    """Whether providing `larger` provides `smaller`: each of its fields is one of them or inside one
    (`ort.secteurs` missing holds `ort.secteurs[*].partie_urbanisee` missing)."""
    inside = tuple(g + "[" for g in larger) + tuple(g + "." for g in larger)
    return all(f in larger or f.startswith(inside) for f in smaller)


def _checks_of_one_rule(gaps: list[Finding]) -> dict[tuple, list[int]]:
    """The incomplet findings of each rule on each entity (its several checks), by index."""
    found: dict[tuple, list[int]] = {}
    for i, f in enumerate(gaps):
        if f.status == "incomplet":
            found.setdefault((f.rule, f.entity.type, f.entity.id), []).append(i)
    return found


_NOTHING: tuple[list[str], list[str]] = ([], [])  # what a gap other than incomplet lacks (never changed)


def causes(report: Report) -> list[Cause]:
    """The report's gaps grouped by cause, the gravest first (severity, then status)."""
    rank = {code: n for n, code in enumerate(report.rulesets)}

    def order(f: Finding) -> tuple:
        return (SEVERITY_ORDER[f.severity], STATUS_ORDER[f.status], rank.get(f.ruleset, len(rank)), f.sort_key())

    gaps = sorted((f for f in report.findings if f.status in GAPS), key=order)
    lead = list(range(len(gaps)))  # union-find: the gravest finding of each cause leads it

    def root(i: int) -> int:
        while lead[i] != i:
            lead[i] = i = lead[lead[i]]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        lead[max(a, b)] = min(a, b)

    lacks = [_lacks(f) if f.status == "incomplet" else _NOTHING for f in gaps]
    missing = [fields for fields, _ in lacks]
    by_cause: dict[tuple, int] = {}
    by_sentence: dict[tuple, int] = {}
    for i, f in enumerate(gaps):
        if (j := by_cause.setdefault(cause_key(f, lacks[i]), i)) != i:
            join(i, j)
        if (j := by_sentence.setdefault(said_twice(f), i)) != i:
            join(i, j)
    for members in _checks_of_one_rule(gaps).values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                a, b = missing[i], missing[j]
                if a and b and (_covers(a, b) or _covers(b, a)):
                    join(i, j)
    groups: dict[int, list[Finding]] = {}
    for i, f in enumerate(gaps):
        groups.setdefault(root(i), []).append(f)
    return [_cause(group) for group in groups.values()]  # in the order of their leads, the gravest first


def is_priority(cause: Cause) -> bool:
    return cause.severity in PRIORITY_SEVERITIES and cause.status in PRIORITY_STATUSES


def present(report: Report) -> Presentation:
    grouped = causes(report)
    statuses = [f.status for f in report.findings]
    return Presentation(
        header=Header(
            commune=report.commune,
            insee=report.insee,
            dossier_id=report.dossier_id,
            fictif=report.fictif,
            evaluated_on=french_date(report.evaluated_on),
        ),
        rulesets=[
            RulesetLine(code, r.title, r.verdict, verdict_label(r.verdict), r.counts, counts_summary(r.counts))
            for code, r in report.rulesets.items()
        ],
        entities=[EntityLine(e.label, e.verdict, verdict_label(e.verdict), e.counts) for e in report.entities],
        notes=list(report.notes),
        first=[c for c in grouped if is_priority(c)],
        rest=[c for c in grouped if not is_priority(c)],
        conformes=statuses.count("conforme"),
        non_applicables=statuses.count("non_applicable"),
        findings=list(report.findings),
    )
