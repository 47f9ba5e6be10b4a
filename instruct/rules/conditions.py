"""The condition language of the rule files, and its two translations.

A condition is written in YAML as either a comparison or a combination:

    {field: cout_cents, gt: "0 €"}              # eq ne lt le gt ge in
    {field: date_avenant, le: {param: prog.date_limite_avenant}}
    {field: directeur_projet, present: true}     # the field is informed (or not)
    {all: [...]}   {any: [...]}   {not: {...}}

Literals are written in the field's natural unit ("100 %", "80 000 €", 2022-02-23): the
loader converts them to the facts' units (instruct.rules.literals) with `map_literals`.
Comparisons only read the fields of one fact: every join is done when the facts are built.
`to_durable` gives durable-rules' JSON; `holds` evaluates in plain Python (the reference).
Both take the condition after `resolve` has replaced parameters by their dated value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge", "in")
ORDERED = ("lt", "le", "gt", "ge")
NEGATION = {"eq": "ne", "ne": "eq", "lt": "ge", "ge": "lt", "le": "gt", "gt": "le"}
DURABLE_OP = {"ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}


class ConditionError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str


@dataclass(frozen=True)
class Cmp:
    field: str
    op: str
    value: Any  # literal, Param, or tuple of literals for "in"


@dataclass(frozen=True)
class Present:
    field: str
    present: bool


@dataclass(frozen=True)
class All:
    items: tuple


@dataclass(frozen=True)
class AnyOf:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: Any


Condition = Cmp | Present | All | AnyOf | Not


def parse(raw: Any, where: str) -> Condition:
    """Parse the YAML form; a list is read as `all`."""
    if isinstance(raw, list):
        raw = {"all": raw}
    if not isinstance(raw, dict):
        raise ConditionError(f"{where} : condition attendue (objet), trouvé {type(raw).__name__}")
    keys = set(raw)
    if keys in ({"all"}, {"any"}):
        key = keys.pop()
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{where}.{key} : liste non vide attendue")
        parsed = tuple(parse(item, f"{where}.{key}[{i}]") for i, item in enumerate(items))
        return All(parsed) if key == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return Not(parse(raw["not"], f"{where}.not"))
    if "field" not in raw:
        raise ConditionError(f"{where} : clés inconnues {sorted(keys)} (attendu field, all, any ou not)")
    ops = keys - {"field"}
    if len(ops) != 1:
        raise ConditionError(
            f"{where} : une comparaison a exactement un opérateur parmi {', '.join(OPERATORS + ('present',))}"
        )
    op = ops.pop()
    field = raw["field"]
    if not isinstance(field, str):
        raise ConditionError(f"{where}.field : nom de champ attendu")
    value = raw[op]
    if op == "present":
        if not isinstance(value, bool):
            raise ConditionError(f"{where}.present : true ou false attendu")
        return Present(field, value)
    if op not in OPERATORS:
        raise ConditionError(f"{where} : opérateur inconnu « {op} » (connus : {', '.join(OPERATORS + ('present',))})")
    if isinstance(value, dict):
        if set(value) != {"param"} or not isinstance(value["param"], str):
            raise ConditionError(f"{where}.{op} : valeur ou {{param: nom}} attendu")
        value = Param(value["param"])
    if op == "in":
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{where}.in : liste non vide attendue")
        value = tuple(value)
    elif isinstance(value, (list, dict)):
        raise ConditionError(f"{where}.{op} : valeur simple attendue")
    return Cmp(field, op, value)


def walk(cond: Condition):
    yield cond
    if isinstance(cond, (All, AnyOf)):
        for item in cond.items:
            yield from walk(item)
    elif isinstance(cond, Not):
        yield from walk(cond.item)


def fields(cond: Condition | None, *, compared_only: bool = False) -> list[str]:
    """Fields a condition reads; `compared_only` leaves out those only tested for presence."""
    if cond is None:
        return []
    out = []
    for node in walk(cond):
        read = isinstance(node, Cmp) or (isinstance(node, Present) and not compared_only)
        if read and node.field not in out:
            out.append(node.field)
    return out


def unguarded_fields(cond: Condition | None, guards: frozenset = frozenset()) -> list[str]:
    """Fields compared outside a guard: `{any: [{field: x, present: false}, {field: x, ge: 5}]}`
    reads x only when it is there, so x may be missing without making the rule incomplet."""
    if cond is None:
        return []
    if isinstance(cond, Cmp):
        return [] if cond.field in guards else [cond.field]
    if isinstance(cond, AnyOf):
        guards = guards | {i.field for i in cond.items if isinstance(i, Present) and not i.present}
    items = cond.items if isinstance(cond, (All, AnyOf)) else (cond.item,) if isinstance(cond, Not) else ()
    out: list[str] = []
    for item in items:
        out += [f for f in unguarded_fields(item, guards) if f not in out]
    return out


def asserted_present(cond: Condition | None) -> list[str]:
    """Fields a condition requires to be present whenever it holds (top-level conjunction)."""
    if isinstance(cond, Present) and cond.present:
        return [cond.field]
    if isinstance(cond, All):
        return [f for item in cond.items for f in asserted_present(item)]
    return []


def params(cond: Condition | None) -> list[str]:
    if cond is None:
        return []
    return [n.value.name for n in walk(cond) if isinstance(n, Cmp) and isinstance(n.value, Param)]


def resolve(cond: Condition | None, values: dict[str, Any]) -> Condition | None:
    """Replace each Param by its value (already converted to the fact's unit)."""
    if cond is None:
        return None
    if isinstance(cond, Cmp) and isinstance(cond.value, Param):
        return Cmp(cond.field, cond.op, values[cond.value.name])
    if isinstance(cond, All):
        return All(tuple(resolve(i, values) for i in cond.items))
    if isinstance(cond, AnyOf):
        return AnyOf(tuple(resolve(i, values) for i in cond.items))
    if isinstance(cond, Not):
        return Not(resolve(cond.item, values))
    return cond


def map_literals(cond: Condition | None, convert) -> Condition | None:
    """The same condition with each literal replaced by `convert(field, value)` (parameters kept)."""
    if cond is None:
        return None
    if isinstance(cond, Cmp) and not isinstance(cond.value, Param):
        if cond.op == "in":
            return Cmp(cond.field, cond.op, tuple(convert(cond.field, v) for v in cond.value))
        return Cmp(cond.field, cond.op, convert(cond.field, cond.value))
    if isinstance(cond, All):
        return All(tuple(map_literals(i, convert) for i in cond.items))
    if isinstance(cond, AnyOf):
        return AnyOf(tuple(map_literals(i, convert) for i in cond.items))
    if isinstance(cond, Not):
        return Not(map_literals(cond.item, convert))
    return cond


def negate(cond: Condition) -> Condition:
    """Negation pushed down to the comparisons (durable-rules has no `not` on expressions).

    Valid because a rule only compares fields whose presence was checked first.
    """
    if isinstance(cond, Cmp):
        if cond.op == "in":
            return All(tuple(Cmp(cond.field, "ne", v) for v in cond.value))
        return Cmp(cond.field, NEGATION[cond.op], cond.value)
    if isinstance(cond, Present):
        return Present(cond.field, not cond.present)
    if isinstance(cond, All):
        return AnyOf(tuple(negate(i) for i in cond.items))
    if isinstance(cond, AnyOf):
        return All(tuple(negate(i) for i in cond.items))
    if isinstance(cond, Not):
        return cond.item
    raise TypeError(cond)


# --- plain Python ---------------------------------------------------------------------------


def holds(cond: Condition | None, fact: dict[str, Any]) -> bool:
    if cond is None:
        return True
    if isinstance(cond, Cmp):
        if cond.field not in fact:
            return False
        value = fact[cond.field]
        op = cond.op
        if op == "eq":
            return value == cond.value
        if op == "ne":
            return value != cond.value
        if op == "in":
            return value in cond.value
        if op == "lt":
            return value < cond.value
        if op == "le":
            return value <= cond.value
        if op == "gt":
            return value > cond.value
        return value >= cond.value
    if isinstance(cond, Present):
        return (cond.field in fact) == cond.present
    if isinstance(cond, All):
        return all(holds(i, fact) for i in cond.items)
    if isinstance(cond, AnyOf):
        return any(holds(i, fact) for i in cond.items)
    if isinstance(cond, Not):
        return not holds(cond.item, fact)
    raise TypeError(cond)


# --- durable-rules JSON ---------------------------------------------------------------------


def to_durable(cond: Condition, encode) -> dict:
    """durable-rules expression; `encode` maps a Python value to the engine's (see adapter)."""
    if isinstance(cond, Not):
        return to_durable(negate(cond.item), encode)
    if isinstance(cond, Cmp):
        if cond.op == "in":
            return to_durable(AnyOf(tuple(Cmp(cond.field, "eq", v) for v in cond.value)), encode)
        if cond.op == "eq":
            return {cond.field: encode(cond.value)}
        return {DURABLE_OP[cond.op]: {cond.field: encode(cond.value)}}
    if isinstance(cond, Present):
        return {("$ex" if cond.present else "$nex"): {cond.field: 1}}
    if isinstance(cond, All):
        return {"$and": [to_durable(i, encode) for i in cond.items]}
    if isinstance(cond, AnyOf):
        return {"$or": [to_durable(i, encode) for i in cond.items]}
    raise TypeError(cond)
