"""What a rule file's schema cannot check: that a rule reads fields its scope's facts have,
compares them with literals of their unit (converted here to the facts' units) or with
parameters of a matching unit, and names in its texts only what exists.

Every problem is reported through `problem(loc, message)`, in French; the loader adds the
file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from instruct.rules import conditions as C
from instruct.rules.figures import Figure
from instruct.rules.literals import LiteralError, to_fact_value
from instruct.rules.parameters import Parameter

if TYPE_CHECKING:  # the facts import the model (pydantic): `acv rules` reads a compiled catalogue without them
    from instruct.facts import FieldSpec

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
CONDITIONS = ("condition", "review", "requirement")


@dataclass
class Checked:
    """The parts of a rule once checked against the facts, literals in the facts' units."""

    scope: str
    where: dict[str, Any]
    conditions: dict[str, C.Condition | None]


def check_rule(parts: dict[str, Any], loc: tuple, parameters: dict[str, Parameter], problem) -> Checked | None:
    """`parts`: the rule's well-formed keys (schema.RuleSpec values); a key that failed the schema
    is absent and its checks are skipped. None when the scope is unusable."""
    from instruct.facts import FACT_TYPES

    scope, where = parts["scope"]
    if scope not in FACT_TYPES:
        problem(loc + ("scope",), f"portée inconnue « {scope} » (connues : {', '.join(FACT_TYPES)})")
        return None
    spec = FACT_TYPES[scope]
    converted_where = {}
    for name, value in where.items():
        if name not in spec or not spec[name].always:
            problem(loc + ("scope", "where", name), "champ inconnu ou pas toujours renseigné")
            continue
        try:
            converted_where[name] = to_fact_value(spec[name].kind, value, name)
        except LiteralError as exc:
            problem(loc + ("scope", "where", name), str(exc))
    conditions = {}
    for key in CONDITIONS:
        conditions[key] = _checked_condition(parts.get(key), spec, parameters, loc + (key,), problem)
    requires = parts.get("requires", [])
    for name in requires:
        if name not in spec:
            problem(loc + ("requires",), f"champ inconnu « {name} » pour la portée {scope}")
    _check_review(conditions, spec, loc, problem)
    known = list(requires) + C.fields(conditions["condition"], compared_only=True)
    known += C.asserted_present(conditions["condition"])
    for name in C.unguarded_fields(conditions["requirement"]) if "requires" in parts else []:
        if name in spec and not _covered(name, spec, known):
            problem(
                loc + ("requirement",),
                f"le champ « {name} » peut manquer : ajoutez-le à requires (sinon l'absence serait jugée non conforme)",
            )
    for name in C.asserted_present(conditions["requirement"]):  # missing is incomplet, never non conforme
        problem(
            loc + ("requirement",),
            f"« present: true » sur « {name} » : une information qui manque rend la règle incomplète, "
            "jamais non conforme ; mettez le champ dans requires",
        )
    figures = parts.get("figures") or []
    _check_figures(figures, spec, parameters, loc, problem)
    _check_texts(parts, spec, parameters, {f.name for f in figures}, conditions["review"], loc, problem)
    return Checked(scope, converted_where, conditions)


def optional_review_fields(review: C.Condition | None, condition: C.Condition | None, spec) -> list[str]:
    """Fields the review compares that may be missing when it is read: neither always present
    nor asserted present by the condition (which is true whenever the review is read)."""
    asserted = C.asserted_present(condition)
    return [n for n in C.fields(review, compared_only=True) if n in spec and not spec[n].always and n not in asserted]


def _check_review(conditions: dict, spec, loc: tuple, problem) -> None:
    optional = optional_review_fields(conditions["review"], conditions["condition"], spec)
    if optional and not _is_conjunction(conditions["review"]):
        problem(
            loc + ("review",),
            f"« review » lit un champ qui peut manquer ({', '.join(optional)}) : "
            "seule une comparaison ou un « all » de comparaisons est admis",
        )


def _checked_condition(
    cond: C.Condition | None, spec: dict[str, FieldSpec], parameters: dict[str, Parameter], loc: tuple, problem
) -> C.Condition | None:
    """The condition with its literals in the facts' units, after reporting what does not fit."""
    if cond is None:
        return None
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
                    f"le paramètre « {param.name} » (unité {param.unit}) ne se compare pas au champ "
                    f"« {node.field} » ({field_spec.kind})",
                )
            continue
        for value in node.value if node.op == "in" else (node.value,):
            try:
                to_fact_value(field_spec.kind, value, node.field)
            except LiteralError as exc:
                problem(loc, str(exc))

    def convert(name: str, value: Any) -> Any:
        try:
            return to_fact_value(spec[name].kind, value, name)
        except (KeyError, LiteralError):
            return value  # already reported above

    return C.map_literals(cond, convert)


def _check_figures(figures: list[Figure], spec, parameters, loc: tuple, problem) -> None:
    for figure in figures:
        for name in figure.fields():
            if name not in spec:
                problem(loc + ("figures", figure.name), f"champ inconnu « {name} »")
        for name in figure.params():
            if name not in parameters:
                problem(loc + ("figures", figure.name), f"paramètre inconnu « {name} »")


def _check_texts(parts: dict, spec, parameters, figure_names: set[str], review, loc: tuple, problem) -> None:
    messages = parts.get("messages", {})
    if review is not None and "messages" in parts and "a_verifier" not in messages:
        problem(loc + ("messages",), "une règle avec « review » doit donner messages.a_verifier")
    remedies = parts.get("remedies", {})
    if review is not None and "remedies" in parts and "a_verifier" not in remedies:
        problem(loc + ("remedies",), "une règle avec « review » doit dire qui apprécie quoi : remedies.a_verifier")
    texts = [(key, parts[key]) for key in ("message", "remedy") if key in parts]
    texts += [(f"messages.{k}", v) for k, v in messages.items()]
    texts += [(f"remedies.{k}", v) for k, v in remedies.items()]
    for key, text in texts:
        where = loc + tuple(key.split("."))
        for name in PLACEHOLDER.findall(text):
            if name.startswith("param."):
                if name[6:] not in parameters:
                    problem(where, f"paramètre inconnu « {name[6:]} » dans le texte")
            elif name.startswith("figure."):
                if name[7:] not in figure_names:
                    problem(where, f"figure inconnue « {name[7:]} » dans le texte")
            elif name not in spec and name != "entite":
                problem(where, f"champ inconnu « {name} » dans le texte")


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
