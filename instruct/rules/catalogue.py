"""Rule sets as data: reading and checking `rules/*.yaml`.

A rule set file:

    ruleset: PROG                # code used in reports
    partenaire: programme        # name for --partenaire
    title: Programme Action Cœur de Ville
    rules:
      - id: PROG-07              # public id, never renamed
        title: Durée d'initialisation
        severity: majeur         # bloquant | majeur | mineur | info
        scope: dossier           # fact type, or {type: element, where: {liste: trame_convention}}
        condition: ...           # when the rule applies (else non_applicable)
        review: ...              # when only a person can judge (a_verifier)
        requires: [field, ...]   # information needed (else incomplet)
        requirement: ...         # what must hold (else non_conforme)
        message: ...             # French, shown when non_conforme; {field} / {param.name} allowed
        messages: {conforme: ..., non_applicable: ..., a_verifier: ..., incomplet: ...}
        remedy: ...              # non_conforme: what to correct
        remedies: {incomplet: ..., a_verifier: ...}  # what to provide; who judges what
        source: {document: ..., section: ..., citation: ...}

Outcome for each entity of the scope, in this order: a condition field unknown -> incomplet;
condition false -> non_applicable; review true -> a_verifier; a required field unknown ->
incomplet; requirement true -> conforme, else non_conforme.

The shape of a file is checked by its pydantic model (schema.py, published by
`acv schema --regles`); what needs the facts (fields, units, parameters) by checks.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from instruct.errors import InputError, Problem, format_path
from instruct.rules import compiled
from instruct.rules import conditions as C
from instruct.rules.checks import PLACEHOLDER, check_rule, optional_review_fields
from instruct.rules.figures import Figure
from instruct.rules.parameters import Parameter, load_parameters
from instruct.vocabulary import SEVERITIES, STAGES, STATUSES, canonical_partner

if TYPE_CHECKING:  # the schema (pydantic) reads rule files: a catalogue read back compiled needs neither
    from pydantic import TypeAdapter

__all__ = [
    "PLACEHOLDER",
    "SEVERITIES",
    "STAGES",
    "STATUSES",
    "Catalogue",
    "FactRead",
    "Rule",
    "RuleSet",
    "load_catalogue",
]
PARAMETERS_FILE = "parametres.yaml"
RULESET_ORDER = ["PROG", "AL-V", "AL-O", "ANAH", "ANRU", "ORT", "X"]  # report order


@dataclass(frozen=True)
class Source:
    document: str
    section: str
    citation: str | None = None

    def __str__(self) -> str:
        return f"{self.document}, {self.section}"


@dataclass
class Rule:
    id: str
    check: str | None
    ruleset: str
    partenaire: str
    title: str
    severity: str
    scope: str
    where: dict[str, Any]
    condition: C.Condition | None
    review: C.Condition | None
    requires: tuple[str, ...]
    requirement: C.Condition | None
    figures: tuple[Figure, ...]
    message: str
    messages: dict[str, str]
    remedy: str
    source: Source
    remedies: dict[str, str] = field(default_factory=dict)  # incomplet / a_verifier remedies
    etape: str = "initialisation"  # when the town must provide what the rule needs (checklists)

    @property
    def key(self) -> str:
        return f"{self.id}/{self.check}" if self.check else self.id

    @property
    def parameters(self) -> list[str]:
        out: list[str] = []
        for cond in (self.condition, self.review, self.requirement):
            out += [p for p in C.params(cond) if p not in out]
        for figure in self.figures:
            out += [p for p in figure.params() if p not in out]
        return out

    def condition_fields(self) -> list[str]:
        """Condition fields that may be unknown: their absence makes the outcome incomplet."""
        spec = _fact_types()[self.scope]
        return [f for f in C.fields(self.condition, compared_only=True) if not spec[f].always]

    def review_optional_fields(self) -> list[str]:
        """Review fields that may be missing when the review is read (see checks.py)."""
        return optional_review_fields(self.review, self.condition, _fact_types()[self.scope])

    def evidence_fields(self) -> list[str]:
        out: list[str] = []
        for name in C.fields(self.condition) + C.fields(self.review) + list(self.requires) + C.fields(self.requirement):
            if name not in out:
                out.append(name)
        return out


@dataclass(frozen=True)
class FactRead:
    """A fact field a rule reads, as a rule page shows it."""

    name: str
    label: str
    definition: str
    kind: str


@dataclass
class RuleSet:
    code: str
    partenaire: str
    title: str
    rules: list[Rule]
    source: str
    related: tuple[str, ...] = ()  # partners whose selection also selects this rule set


@dataclass
class Catalogue:
    rulesets: dict[str, RuleSet]
    parameters: dict[str, Parameter]
    directory: Path = field(default=Path("."))
    prepared_cache: dict = field(default_factory=dict, repr=False, compare=False)
    digest: str = ""  # SHA-256 of the rule files: same digest, same rules

    def facts_read(self, rule: Rule) -> list[FactRead]:
        """The fields of its scope's facts that a rule reads (condition, review, requires,
        requirement, figures, then its texts), with their French label and definition."""
        spec = _fact_types()[rule.scope]
        names = rule.evidence_fields() + [name for figure in rule.figures for name in figure.fields()]
        for text in [rule.message, rule.remedy, *rule.messages.values(), *rule.remedies.values()]:
            names += [name for name in PLACEHOLDER.findall(text) if name in spec]
        return [
            FactRead(name, spec[name].label, spec[name].definition, spec[name].kind) for name in dict.fromkeys(names)
        ]

    def select(self, partenaires: list[str] | None) -> list[RuleSet]:
        """Rule sets for partner names (or rule set codes); cross-partner rule sets come with
        any partner they relate to. Catalogue order is kept."""
        if not partenaires:
            return list(self.rulesets.values())
        wanted = {canonical_partner(p) for p in partenaires}
        names = {rs.partenaire for rs in self.rulesets.values()} | {rs.code.lower() for rs in self.rulesets.values()}
        unknown = sorted(wanted - names)
        if unknown:
            known = ", ".join(sorted({rs.partenaire for rs in self.rulesets.values()}))
            raise InputError(
                "--partenaire", [Problem("", f"jeu de règles inconnu : {', '.join(unknown)} (connus : {known})")]
            )
        return [
            rs
            for rs in self.rulesets.values()
            if rs.partenaire in wanted or rs.code.lower() in wanted or wanted & set(rs.related)
        ]


def default_rules_dir() -> Path:
    """The catalogue shipped with the package: `instruct/regles/` in an installed wheel (setup.py puts
    `rules/` there), the repository's `rules/` beside the package in a checkout (editable install)."""
    package = Path(__file__).resolve().parents[1]
    shipped = package / "regles"
    return shipped if shipped.is_dir() else package.parent / "rules"


def _fact_types() -> dict:
    """The facts' fields, imported when first read: the facts import the model (pydantic), which a
    catalogue read back compiled (`acv rules`) does not need."""
    from instruct.facts import FACT_TYPES

    return FACT_TYPES


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    """The rule files of `directory` read, validated and compiled; or the same, compiled by an earlier command
    from the same files and code (rules.compiled)."""
    directory = Path(directory) if directory else default_rules_dir()
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    key = compiled.key_of(directory, digest.hexdigest())
    cached = compiled.read(key)
    if isinstance(cached, Catalogue) and cached.digest == digest.hexdigest():
        return cached
    catalogue = _compile(directory, digest.hexdigest())
    compiled.write(key, catalogue)
    return catalogue


def _compile(directory: Path, digest: str) -> Catalogue:
    params_path = directory / PARAMETERS_FILE
    parameters = load_parameters(params_path) if params_path.is_file() else {}
    rulesets: dict[str, RuleSet] = {}
    seen_ids: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == PARAMETERS_FILE:
            continue
        rs = load_ruleset(path, parameters)
        if rs.code in rulesets:
            raise InputError(
                str(path), [Problem("ruleset", f"code de jeu de règles déjà utilisé par {rulesets[rs.code].source}")]
            )
        for rule in rs.rules:
            if rule.key in seen_ids and seen_ids[rule.key] != str(path):
                raise InputError(str(path), [Problem(rule.key, f"identifiant déjà défini dans {seen_ids[rule.key]}")])
            seen_ids[rule.key] = str(path)
        rulesets[rs.code] = rs
    if not rulesets:
        raise InputError(str(directory), [Problem("", "aucun fichier de règles (*.yaml)")])
    ordered = sorted(
        rulesets.values(),
        key=lambda rs: (RULESET_ORDER.index(rs.code) if rs.code in RULESET_ORDER else len(RULESET_ORDER), rs.code),
    )
    return Catalogue({rs.code: rs for rs in ordered}, parameters, directory, digest=digest)


def load_ruleset(path: Path, parameters: dict[str, Parameter]) -> RuleSet:
    from instruct.yamlio import LazyLines, line_of, parse, read_text  # to compile; not to read back compiled

    text = read_text(path)
    data = parse(text, str(path))
    lines = LazyLines(text)
    problems: list[Problem] = []

    def problem(loc: tuple, message: str) -> None:
        problems.append(Problem(format_path(loc), message, line_of(lines, loc)))

    if not isinstance(data, dict):
        raise InputError(str(path), [Problem("", "objet attendu (ruleset, partenaire, title, rules)")])
    from pydantic import ValidationError

    from instruct.rules.schema import RuleFileHeader, french_errors

    header = None
    try:  # the file's own keys; each rule is read below, so that one bad rule hides no other
        header = RuleFileHeader.model_validate(data)
    except ValidationError as exc:
        for loc, message in french_errors(exc, RuleFileHeader):
            problem(loc, message)
    raw_rules = data.get("rules") if isinstance(data.get("rules"), list) else []
    code, partenaire = str(data.get("ruleset", "")), str(data.get("partenaire", ""))
    default_stage = header.etape if header else "initialisation"
    rules: list[Rule] = []
    keys_seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        loc = ("rules", i)
        before = len(problems)
        rule = _read_rule(raw, loc, code, partenaire, parameters, problem, default_stage)
        if rule is None or len(problems) > before:
            continue
        if rule.key in keys_seen:
            problem(loc + ("id",), f"identifiant en double : {rule.key}")
            continue
        keys_seen.add(rule.key)
        rules.append(rule)
    if problems or header is None:
        raise InputError(str(path), problems)
    return RuleSet(code, partenaire, header.title, rules, str(path), tuple(header.related))


@cache
def _part(name: str) -> TypeAdapter:
    """Validates one key of a rule on its own (see _read_rule)."""
    from pydantic import TypeAdapter

    from instruct.rules.schema import RuleSpec

    return TypeAdapter(RuleSpec.model_fields[name].rebuild_annotation())


def _well_formed_parts(raw: dict, loc: tuple, problem) -> tuple[dict[str, Any], bool]:
    """The rule's keys that pass the schema, and whether all did. When some key is wrong, the
    others are still checked against the facts, so that one run lists every problem."""
    from pydantic import ValidationError

    from instruct.rules.schema import RuleSpec, french_errors

    try:
        return dict(RuleSpec.model_validate(raw)), True
    except ValidationError as exc:
        errors = french_errors(exc, RuleSpec)
    for where, message in errors:
        problem(loc + where, message)
    failed = {where[0] for where, _ in errors if where}
    parts = {}
    for name, info in RuleSpec.model_fields.items():
        if name in failed:
            continue
        if name in raw:
            parts[name] = _part(name).validate_python(raw[name])
        elif not info.is_required():
            parts[name] = info.get_default(call_default_factory=True)
    return parts, False


def _read_rule(
    raw: Any,
    loc: tuple,
    code: str,
    partenaire: str,
    parameters: dict[str, Parameter],
    problem,
    default_stage: str = "initialisation",
) -> Rule | None:
    """One rule: its shape (schema.RuleSpec), then what it reads (checks.check_rule)."""
    if not isinstance(raw, dict):
        problem(loc, "règle attendue (objet)")
        return None
    parts, whole = _well_formed_parts(raw, loc, problem)
    if "scope" not in parts or "source" not in parts or any(k not in parts for k in ("id", "message", "remedy")):
        return None
    checked = check_rule(parts, loc, parameters, problem)
    if checked is None or not whole:
        return None
    source = parts["source"]
    return Rule(
        id=parts["id"],
        check=parts["check"] or None,
        ruleset=code,
        partenaire=partenaire,
        title=parts["title"],
        severity=parts["severity"],
        scope=checked.scope,
        where=checked.where,
        condition=checked.conditions["condition"],
        review=checked.conditions["review"],
        requires=tuple(parts["requires"]),
        requirement=checked.conditions["requirement"],
        figures=tuple(parts["figures"] or ()),
        message=parts["message"],
        messages=dict(parts["messages"]),
        remedy=parts["remedy"],
        remedies=dict(parts["remedies"]),
        source=Source(source.document, source.section, source.citation),
        etape=parts["etape"] or default_stage,
    )
