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
        remedy: ...              # what to provide or fix
        source: {document: ..., section: ..., citation: ...}

Outcome for each entity of the scope, in this order: a condition field unknown -> incomplet;
condition false -> non_applicable; review true -> a_verifier; a required field unknown ->
incomplet; requirement true -> conforme, else non_conforme.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from instruct.errors import InputError, Problem, format_path
from instruct.facts import FACT_TYPES, FieldSpec
from instruct.rules import conditions as C
from instruct.rules.figures import Figure, FigureError, parse_figures
from instruct.rules.parameters import Parameter, load_parameters
from instruct.vocabulary import Etape, Gravite, Statut, canonical_partner
from instruct.yamlio import line_index, line_of, parse, read_text

SEVERITIES = tuple(g.value for g in Gravite)
STATUSES = tuple(s.value for s in Statut)
STAGES = tuple(e.value for e in Etape)
RULE_KEYS = {
    "id",
    "check",
    "title",
    "severity",
    "scope",
    "condition",
    "review",
    "requires",
    "requirement",
    "etape",
    "figures",
    "message",
    "messages",
    "remedy",
    "source",
}
REQUIRED_KEYS = ("id", "title", "severity", "scope", "message", "remedy", "source")
FILE_KEYS = {"ruleset", "partenaire", "title", "rules", "related", "etape"}
REQUIRED_FILE_KEYS = {"ruleset", "partenaire", "title", "rules"}
SOURCE_KEYS = {"document", "section", "citation"}
RULE_ID = re.compile(r"^[A-Z]+(-[A-Z])?-\d{2}$")
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.]+)\}")
NUMERIC = {"int", "date", "cents", "m2", "m2c", "pct"}
PARAM_KIND = {
    "date": {"date"},
    "euros": {"cents"},
    "m2": {"m2"},
    "pourcent": {"pct"},
    "mois": {"int"},
    "jours": {"int"},
    "nombre": {"int"},
    "annees": {"int"},
}
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
        spec = FACT_TYPES[self.scope]
        return [f for f in C.fields(self.condition, compared_only=True) if not spec[f].always]

    def review_optional_fields(self) -> list[str]:
        spec = FACT_TYPES[self.scope]
        return [f for f in C.fields(self.review, compared_only=True) if not spec[f].always]

    def evidence_fields(self) -> list[str]:
        out: list[str] = []
        for name in C.fields(self.condition) + C.fields(self.review) + list(self.requires) + C.fields(self.requirement):
            if name not in out:
                out.append(name)
        return out


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


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    directory = Path(directory) if directory else default_rules_dir()
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
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return Catalogue({rs.code: rs for rs in ordered}, parameters, directory, digest=digest.hexdigest())


def load_ruleset(path: Path, parameters: dict[str, Parameter]) -> RuleSet:
    text = read_text(path)
    data = parse(text, str(path))
    lines = line_index(text)
    problems: list[Problem] = []

    def problem(loc: tuple, message: str) -> None:
        problems.append(Problem(format_path(loc), message, line_of(lines, loc)))

    if not isinstance(data, dict):
        raise InputError(str(path), [Problem("", "objet attendu (ruleset, partenaire, title, rules)")])
    for key in set(data) - FILE_KEYS:
        problem((key,), "clé inconnue")
    for key in REQUIRED_FILE_KEYS - set(data):
        problem((), f"clé manquante : {key}")
    default_stage = data.get("etape", "initialisation")
    if default_stage not in STAGES:
        problem(("etape",), f"étape inconnue « {default_stage} » (connues : {', '.join(STAGES)})")
    related = data.get("related") or []
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        problem(("related",), "liste de noms de partenaires attendue")
        related = []
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        problem(("rules",), "liste de règles attendue")
        raw_rules = []
    code = str(data.get("ruleset", ""))
    partenaire = str(data.get("partenaire", ""))
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
    if problems:
        raise InputError(str(path), problems)
    return RuleSet(code, partenaire, str(data["title"]), rules, str(path), tuple(related))


def _read_rule(
    raw: Any,
    loc: tuple,
    code: str,
    partenaire: str,
    parameters: dict[str, Parameter],
    problem,
    default_stage: str = "initialisation",
) -> Rule | None:
    if not isinstance(raw, dict):
        problem(loc, "règle attendue (objet)")
        return None
    for key in set(raw) - RULE_KEYS:
        problem(loc + (key,), f"clé inconnue (connues : {', '.join(sorted(RULE_KEYS))})")
    for key in REQUIRED_KEYS:
        if not raw.get(key):
            problem(loc, f"clé manquante : {key}" + (" (toute règle cite sa source)" if key == "source" else ""))
    if any(not raw.get(k) for k in REQUIRED_KEYS):
        return None
    rule_id = str(raw["id"])
    if not RULE_ID.match(rule_id):
        problem(loc + ("id",), f"identifiant « {rule_id} » mal formé (attendu par ex. PROG-07, AL-O-12)")
    if raw["severity"] not in SEVERITIES:
        problem(loc + ("severity",), f"gravité inconnue « {raw['severity']} » (attendu : {', '.join(SEVERITIES)})")

    scope, where = raw["scope"], {}
    if isinstance(scope, dict):
        if set(scope) - {"type", "where"} or "type" not in scope:
            problem(loc + ("scope",), "attendu un type de fait, ou {type: ..., where: {champ: valeur}}")
            return None
        scope, where = scope["type"], scope.get("where") or {}
    if scope not in FACT_TYPES:
        problem(loc + ("scope",), f"portée inconnue « {scope} » (connues : {', '.join(FACT_TYPES)})")
        return None
    spec = FACT_TYPES[scope]
    for name, value in where.items():
        if name not in spec or not spec[name].always:
            problem(loc + ("scope", "where", name), "champ inconnu ou pas toujours renseigné")
        elif not _value_fits(spec[name], value):
            problem(loc + ("scope", "where", name), f"valeur de type {spec[name].kind} attendue")

    parsed = {}
    for key in ("condition", "review", "requirement"):
        if raw.get(key) is None:
            parsed[key] = None
            continue
        try:
            parsed[key] = C.parse(raw[key], key)
        except C.ConditionError as exc:
            problem(loc + (key,), str(exc))
            return None
        _check_condition(parsed[key], spec, parameters, loc + (key,), problem)

    requires = raw.get("requires") or []
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        problem(loc + ("requires",), "liste de noms de champs attendue")
        requires = []
    for name in requires:
        if name not in spec:
            problem(loc + ("requires",), f"champ inconnu « {name} » pour la portée {scope}")
    optional_review = [n for n in C.fields(parsed["review"], compared_only=True) if n in spec and not spec[n].always]
    if optional_review and not _is_conjunction(parsed["review"]):
        problem(
            loc + ("review",),
            f"« review » lit un champ qui peut manquer ({', '.join(optional_review)}) : "
            "seule une comparaison ou un « all » de comparaisons est admis",
        )
    known = list(requires) + C.fields(parsed["condition"], compared_only=True) + C.asserted_present(parsed["condition"])
    for name in C.unguarded_fields(parsed["requirement"]):
        if name in spec and not _covered(name, spec, known):
            problem(
                loc + ("requirement",),
                f"le champ « {name} » peut manquer : ajoutez-le à requires (sinon l'absence serait jugée non conforme)",
            )

    figures: list[Figure] = []
    if raw.get("figures") is not None:
        try:
            figures = parse_figures(raw["figures"], "figures")
        except FigureError as exc:
            problem(loc + ("figures",), str(exc))
        for figure in figures:
            for name in figure.fields():
                if name not in spec:
                    problem(loc + ("figures", figure.name), f"champ inconnu « {name} »")
            for name in figure.params():
                if name not in parameters:
                    problem(loc + ("figures", figure.name), f"paramètre inconnu « {name} »")
    figure_names = {f.name for f in figures}

    messages = raw.get("messages") or {}
    if not isinstance(messages, dict) or set(messages) - set(STATUSES):
        problem(loc + ("messages",), f"clés attendues parmi : {', '.join(STATUSES)}")
        messages = {}
    if parsed["review"] is not None and "a_verifier" not in messages:
        problem(loc + ("messages",), "une règle avec « review » doit donner messages.a_verifier")
    for key, text in [("message", raw["message"]), ("remedy", raw["remedy"])] + [
        (f"messages.{k}", v) for k, v in messages.items()
    ]:
        if not isinstance(text, str):
            problem(loc + tuple(key.split(".")), "texte attendu")
            continue
        for name in PLACEHOLDER.findall(text):
            if name.startswith("param."):
                if name[6:] not in parameters:
                    problem(loc + tuple(key.split(".")), f"paramètre inconnu « {name[6:]} » dans le texte")
            elif name.startswith("figure."):
                if name[7:] not in figure_names:
                    problem(loc + tuple(key.split(".")), f"figure inconnue « {name[7:]} » dans le texte")
            elif name not in spec and name != "entite":
                problem(loc + tuple(key.split(".")), f"champ inconnu « {name} » dans le texte")

    source = raw["source"]
    if (
        not isinstance(source, dict)
        or set(source) - SOURCE_KEYS
        or not source.get("document")
        or not source.get("section")
    ):
        problem(
            loc + ("source",),
            "source attendue : {document: ..., section: ..., citation: ...} (document et section obligatoires)",
        )
        return None
    check = raw.get("check")
    stage = raw.get("etape", default_stage)
    if stage not in STAGES:
        problem(loc + ("etape",), f"étape inconnue « {stage} » (connues : {', '.join(STAGES)})")
    return Rule(
        id=rule_id,
        check=str(check) if check else None,
        ruleset=code,
        partenaire=partenaire,
        title=str(raw["title"]),
        severity=raw["severity"],
        scope=scope,
        where=where,
        condition=parsed["condition"],
        review=parsed["review"],
        requires=tuple(requires),
        requirement=parsed["requirement"],
        figures=tuple(figures),
        message=raw["message"],
        messages=dict(messages),
        remedy=raw["remedy"],
        source=Source(str(source["document"]), str(source["section"]), source.get("citation")),
        etape=stage,
    )


def _is_conjunction(cond: C.Condition) -> bool:
    """A comparison or an `all` of comparisons: false as soon as a field it reads is missing,
    in both evaluators (a missing field never matches in durable-rules)."""
    if isinstance(cond, C.All):
        return all(_is_conjunction(item) for item in cond.items)
    return isinstance(cond, (C.Cmp, C.Present))


def _covered(name: str, spec: dict[str, FieldSpec], requires: list[str]) -> bool:
    field_spec = spec[name]
    if field_spec.always or name in requires:
        return True
    return bool(field_spec.derived_from) and all(_covered(d, spec, requires) for d in field_spec.derived_from)


def _value_fits(spec: FieldSpec, value: Any) -> bool:
    if spec.kind == "bool":
        return isinstance(value, bool)
    if spec.kind == "str":
        return isinstance(value, str)
    return isinstance(value, int) and not isinstance(value, bool)


def _check_condition(
    cond: C.Condition, spec: dict[str, FieldSpec], parameters: dict[str, Parameter], loc: tuple, problem
) -> None:
    for node in C.walk(cond):
        if not isinstance(node, (C.Cmp, C.Present)):
            continue
        if node.field not in spec:
            problem(loc, f"champ inconnu « {node.field} » (champs de cette portée : {', '.join(spec)})")
            continue
        if isinstance(node, C.Present):
            continue
        field_spec = spec[node.field]
        if node.op in C.ORDERED and field_spec.kind not in NUMERIC:
            problem(
                loc, f"« {node.op} » compare des nombres ou des dates ; « {node.field} » est de type {field_spec.kind}"
            )
        if isinstance(node.value, C.Param):
            param = parameters.get(node.value.name)
            if param is None:
                problem(loc, f"paramètre inconnu « {node.value.name} »")
            elif field_spec.kind not in PARAM_KIND.get(param.unit, set()):
                problem(
                    loc,
                    f"le paramètre « {param.name} » (unité {param.unit}) "
                    f"ne se compare pas au champ « {node.field} » ({field_spec.kind})",
                )
            continue
        values = node.value if node.op == "in" else (node.value,)
        for value in values:
            if not _value_fits(field_spec, value):
                problem(loc, f"valeur « {value} » incompatible avec le champ « {node.field} » ({field_spec.kind})")
