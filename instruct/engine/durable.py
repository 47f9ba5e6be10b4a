"""The durable-rules adapter: the only module that talks to the engine.

durable-rules 2.0.28 has traps (see the team's measurements); each is made impossible here:

- a crash in its C code kills the process running it, and importing it costs: the C module is
  imported on the first evaluation only (`--moteur python` never loads it), and the web
  service evaluates in worker processes (instruct.service.evaluator);
- dispatcher threads racing the caller: no `Host` is created, the C engine is driven
  directly and every call goes through one process-wide lock;
- negation that depends on fact order: the rule language only compares the fields of one
  fact (joins are computed when facts are built), and a dossier's facts go in one batch;
- sessions that must be deleted: one session (sid) per evaluation, deleted once its actions
  are drained (never before: that segfaults);
- deleting a session in which no fact matched segfaults (uninitialised read in
  deleteStateNode): only facts that some rule in force takes in its scope are sent, no session
  is opened when there is none (every rule suspended, or no fact in any rule's scope: no
  outcome, as the reference evaluator gives), and every session also receives an end-of-batch
  fact that a rule of its own always matches;
- exceptions swallowed inside actions: no Python action runs in the engine, matches are read
  back as data;
- non-ASCII text in facts that no rule matches corrupts memory (abort at session deletion):
  the JSON sent is pure ASCII, and only the fields some rule reads are sent;
- facts of more than ~255 properties segfault, null fields count as present, numeric strings
  compare as numbers: facts are checked (at most MAX_PROPERTIES fields, no None) and strings
  are prefixed so that "01053" never equals "1053";
- an `$or` fires once per true branch: outcomes are de-duplicated per (rule, fact);
- duplicate facts or facts no rule matches raise in the public API: each fact gets a unique
  id, and the low-level call reports them as a code instead of raising;
- a ruleset name can be registered once and reloading leaks: a compiled ruleset is cached per
  preparation signature (rules + parameter values) and never registered twice.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from instruct.engine.prepare import Outcome, PreparedRule, signature
from instruct.facts import Fact
from instruct.rules import conditions as C

MAX_PROPERTIES = 200
CAP = 100_000  # matches handed over per action: one action per (rule, outcome) in practice
_LOCK = threading.Lock()
_NAMES = itertools.count(1)
_SIDS = itertools.count(1)
END = "fin"  # the rule matching the end-of-batch fact: every open session holds a matched fact


class EngineError(RuntimeError):
    pass


@functools.cache
def _native() -> ModuleType:
    """durable-rules' C engine, imported on first use: `--moteur python` never loads it."""
    import durable_rules_engine

    return durable_rules_engine


def encode(value: Any) -> Any:
    if isinstance(value, str):
        return "s:" + value
    if value is None or isinstance(value, float):
        raise EngineError(f"valeur non admise dans un fait : {value!r}")
    return value


def _and(*parts: dict) -> dict:
    flat = [p for p in parts if p]
    return flat[0] if len(flat) == 1 else {"$and": flat}


def _all_present(fields) -> dict | None:
    return _and(*[{"$ex": {f: 1}} for f in fields]) if fields else None


def _any_absent(fields) -> dict:
    items = [{"$nex": {f: 1}} for f in fields]
    return items[0] if len(items) == 1 else {"$or": items}


def _branches(p: PreparedRule) -> list[tuple[str, dict]]:
    """The rule as mutually exclusive durable-rules patterns, one per outcome."""
    rule = p.rule
    scope = _and({"t": encode(rule.scope)}, *[{k: encode(v)} for k, v in rule.where.items()])
    out = []
    if p.condition_fields:
        out.append(("incomplet", _and(scope, _any_absent(p.condition_fields))))
    known = _and(scope, _all_present(p.condition_fields))
    if p.condition is not None:
        out.append(("non_applicable", _and(known, C.to_durable(C.negate(p.condition), encode))))
        applies = _and(known, C.to_durable(p.condition, encode))
    else:
        applies = known
    if p.review is not None:
        out.append(("a_verifier", _and(applies, C.to_durable(p.review, encode))))
        not_review = C.to_durable(C.negate(p.review), encode)
        unknown = p.rule.review_optional_fields()
        if unknown:  # a review on a missing field is false (the loader allows conjunctions only)
            not_review = {"$or": [not_review] + [{"$nex": {f: 1}} for f in unknown]}
        applies = _and(applies, not_review)
    if rule.requires:
        out.append(("incomplet", _and(applies, _any_absent(rule.requires))))
    ready = _and(applies, _all_present(rule.requires))
    if p.requirement is not None:
        out.append(("conforme", _and(ready, C.to_durable(p.requirement, encode))))
        out.append(("non_conforme", _and(ready, C.to_durable(C.negate(p.requirement), encode))))
    else:
        out.append(("conforme", ready))
    return out


@dataclass
class _Compiled:
    handle: int
    actions: dict[str, tuple[int, str]]  # action name -> (prepared index, status)
    fields: dict[str, frozenset[str]]  # fact type -> the fields some rule reads
    wheres: dict[str, tuple[dict, ...]]  # fact type -> the `where` of each rule in force on it

    def takes(self, fact: Fact) -> bool:
        """Whether some rule in force has this fact in its scope (the reference's matches_scope)."""
        wheres = self.wheres.get(fact.type)
        return wheres is not None and any(all(fact.values.get(k) == v for k, v in w.items()) for w in wheres)


def _read_fields(prepared: list[PreparedRule]) -> dict[str, frozenset[str]]:
    fields: dict[str, set[str]] = {}
    for p in prepared:
        if not p.suspended:
            used = fields.setdefault(p.rule.scope, set())
            used.update(
                p.rule.where, C.fields(p.condition), C.fields(p.review), p.rule.requires, C.fields(p.requirement)
            )
    return {t: frozenset(f) for t, f in fields.items()}


def _wheres(prepared: list[PreparedRule]) -> dict[str, tuple[dict, ...]]:
    wheres: dict[str, list[dict]] = {}
    for p in prepared:
        if not p.suspended:
            wheres.setdefault(p.rule.scope, []).append(dict(p.rule.where))
    return {t: tuple(w) for t, w in wheres.items()}


_CACHE: dict[tuple, _Compiled] = {}


def _compile(prepared: list[PreparedRule]) -> _Compiled:
    key = signature(prepared)
    compiled = _CACHE.get(key)
    if compiled is not None:
        return compiled
    dre = _native()
    definition, actions = {}, {}
    for r, p in enumerate(prepared):
        if p.suspended:
            continue
        for b, (status, pattern) in enumerate(_branches(p)):
            name = f"r{r}b{b}"
            definition[name] = {"all": [{"m": pattern}], "cap": CAP}
            actions[name] = (r, status)
    # Matched by the end-of-batch fact only; also keeps a ruleset whose rules are all
    # suspended valid (a ruleset must hold a rule).
    definition[END] = {"all": [{"m": {"t": "s:-" + END}}], "cap": 1}
    try:
        handle = dre.create_ruleset(f"acv{next(_NAMES)}", json.dumps(definition))
    except dre.error as exc:  # codes from durable's rules.h
        raise EngineError(f"règles refusées par le moteur durable-rules : {exc}") from None
    compiled = _Compiled(handle, actions, _read_fields(prepared), _wheres(prepared))
    _CACHE[key] = compiled
    return compiled


def _encode_fact(index: int, fact: Fact, sid: str, fields: frozenset[str]) -> dict:
    if len(fact.values) > MAX_PROPERTIES:
        raise EngineError(f"fait {fact.entity.label} : {len(fact.values)} champs (maximum {MAX_PROPERTIES})")
    out = {"id": str(index)}  # first: see _read_message
    for key, value in fact.values.items():
        if key in fields:
            kind = value.__class__
            if kind is str:
                value = "s:" + value
            elif kind is not int and kind is not bool:
                value = encode(value)  # raises for None, float and anything else
            out[key] = value
    out["t"] = "s:" + fact.type
    out["sid"] = sid
    return out


_ACTION = re.compile(r'\s*\{\s*"([^"]+)"')
_FACT_ID = re.compile(r'[{,]\s*"id"\s*:\s*"(\d+)"')


_FAST_ID = re.compile(r'\{"m":\{"id":"(\d+)"')


def _read_message(message: str) -> tuple[str, list[int]]:
    """An action's message, {"r3b1": [{"m": {fact}}, …]}: its name and the matched fact ids.

    Read with patterns rather than a JSON decode of every matched fact (the profile's largest
    engine cost). Facts are sent with "id" first, and durable-rules hands them back as sent, so
    a literal pattern finds each one; if the layout ever differs (the count of matched facts
    disagrees), the general pattern is used. Only a key can start with `"id"` after `{` or
    `,`, and `{"m":` cannot occur inside a string: in JSON a quote inside a string is escaped."""
    ids = _FAST_ID.findall(message)
    if len(ids) != message.count('{"m":'):
        ids = _FACT_ID.findall(message)
    return _ACTION.match(message).group(1), [int(i) for i in ids]


def evaluate(prepared: list[PreparedRule], facts: list[Fact]) -> list[Outcome]:
    dre = _native()
    with _LOCK:
        compiled = _compile(prepared)
        sid = str(next(_SIDS))
        sent = [_encode_fact(i, f, sid, compiled.fields[f.type]) for i, f in enumerate(facts) if compiled.takes(f)]
        matched: list[tuple[str, list]] = []
        if sent:  # else no session: deleting one in which nothing matched segfaults
            sent.append({"id": str(len(facts)), "t": "s:-" + END, "sid": sid})
            # ASCII only: raw UTF-8 in facts no rule matches corrupts durable's memory (abort
            # in delete_state, seen with accented labels); \u escapes compare correctly.
            # Code 0: handled, 1: some fact matched no rule, 2: duplicate; none is an error here.
            payload = json.dumps(sent, separators=(",", ":"))
            _code, state = dre.assert_facts(compiled.handle, payload)
            result = dre.start_action_for_state(compiled.handle, state)
            message = result[1] if result else None
            while message:
                matched.append(_read_message(message))
                message = dre.complete_and_start_action(compiled.handle, state)
            dre.delete_state(compiled.handle, sid)  # only now that no action is pending
    # durable-rules splits an `$or` into branches that fire separately: a fact meeting two
    # disjuncts is matched twice. Keep one outcome per (rule, fact); the branches of a rule
    # are exclusive, so two different outcomes would be a compilation bug.
    seen: dict[tuple[int, int], str] = {}
    for name, ids in matched:
        if name == END:
            continue
        rule, status = compiled.actions[name]
        for fact_id in ids:
            key = (rule, fact_id)
            if seen.setdefault(key, status) != status:
                raise EngineError(
                    f"issues contradictoires pour la règle {prepared[rule].rule.key} : {seen[key]} et {status}"
                )
    return [Outcome(rule, fact, status) for (rule, fact), status in seen.items()]
