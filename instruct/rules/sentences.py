"""A rule's conditions in French sentences, for a reader who does not read YAML (a rule's page).

The sentences are generated from the structure of the condition (conditions.py): each
comparison names the fact's French label, never the field; a parameter is named by its French
label (as findings name it) and its latest value, never by its code. A combination (all, any, not) is a
sentence with its parts beneath it, so that the page can show them as a nested list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from instruct.facts import FieldSpec
from instruct.french import display, display_parameter, french_date
from instruct.rules import conditions as C
from instruct.rules.parameters import Parameter

ORDER_WORDS = {
    "lt": "est inférieur à",
    "le": "est inférieur ou égal à",
    "gt": "est supérieur à",
    "ge": "est supérieur ou égal à",
}
DATE_WORDS = {
    "lt": "est antérieure au",
    "le": "est au plus tard le",
    "gt": "est postérieure au",
    "ge": "est au plus tôt le",
    "eq": "est le",
    "ne": "n'est pas le",
}
PARAM_DATE_WORDS = {
    "lt": "est antérieure à",
    "le": "est au plus tard",
    "gt": "est postérieure à",
    "ge": "est au plus tôt",
    "eq": "est",
    "ne": "n'est pas",
}


@dataclass(frozen=True)
class Sentence:
    """One French sentence, and the sentences it is made of (a combination's parts)."""

    text: str
    parts: tuple[Sentence, ...] = field(default=())

    def lines(self, indent: str = "") -> list[str]:
        out = [indent + "- " + self.text]
        for part in self.parts:
            out += part.lines(indent + "  ")
        return out


def parameter_phrase(param: Parameter) -> str:
    """« Durée maximale … » (18 mois depuis le 27/03/2018) : the name and the latest value."""
    latest = param.values[-1]
    value = display_parameter(param.unit, latest.value)
    since = french_date(latest.start)
    history = f" ; {len(param.values)} valeurs datées, voir l'historique" if len(param.values) > 1 else ""
    return f"« {param.label or param.description} » (paramètre daté : {value} depuis le {since}{history})"


class Writer:
    """Writes the sentences of one rule's conditions: `spec` its scope's fields, `parameters`
    the catalogue's, `choice` the French label of a value written in machine words."""

    def __init__(
        self,
        spec: Mapping[str, FieldSpec],
        parameters: Mapping[str, Parameter],
        choice: Callable[[str], str] | None = None,
    ):
        self.spec, self.parameters = spec, parameters
        self.choice = choice or (lambda value: value.replace("_", " "))

    def label(self, name: str) -> str:
        return f"« {self.spec[name].label} »"

    def value(self, name: str, value) -> str:
        if isinstance(value, C.Param):
            return parameter_phrase(self.parameters[value.name])
        kind = self.spec[name].kind
        if kind == "str":
            return f"« {self.choice(str(value))} »"
        return display(kind, value)

    def sentence(self, cond: C.Condition) -> Sentence:
        if isinstance(cond, C.Present):
            verb = "est renseigné(e)" if cond.present else "n'est pas renseigné(e)"
            return Sentence(f"{self.label(cond.field)} {verb}")
        if isinstance(cond, C.Cmp):
            return Sentence(self._comparison(cond))
        if isinstance(cond, C.All):
            return Sentence("toutes ces conditions sont vraies :", tuple(self.sentence(i) for i in cond.items))
        if isinstance(cond, C.AnyOf):
            return Sentence("au moins une de ces conditions est vraie :", tuple(self.sentence(i) for i in cond.items))
        inner = cond.item
        if isinstance(inner, C.AnyOf):
            return Sentence("aucune de ces conditions n'est vraie :", tuple(self.sentence(i) for i in inner.items))
        if isinstance(inner, C.All):
            return Sentence("au moins une de ces conditions est fausse :", tuple(self.sentence(i) for i in inner.items))
        return Sentence("ceci est faux :", (self.sentence(inner),))

    def sentences(self, cond: C.Condition | None) -> list[Sentence]:
        """A top-level `all` is read as a list of sentences that must all hold."""
        if cond is None:
            return []
        if isinstance(cond, C.All):
            return [self.sentence(i) for i in cond.items]
        return [self.sentence(cond)]

    def _comparison(self, cmp: C.Cmp) -> str:
        label, kind = self.label(cmp.field), self.spec[cmp.field].kind
        if cmp.op == "in":
            values = ", ".join(self.value(cmp.field, v) for v in cmp.value)
            return f"{label} est l'une de ces valeurs : {values}"
        shown = self.value(cmp.field, cmp.value)
        if kind == "bool" and not isinstance(cmp.value, C.Param) and cmp.op in ("eq", "ne"):
            yes = (cmp.value is True) == (cmp.op == "eq")
            return f"{label} : {'oui' if yes else 'non'}"
        if kind == "date" and not isinstance(cmp.value, C.Param):
            return f"{label} {DATE_WORDS[cmp.op]} {shown}"
        if kind == "date":
            return f"{label} {PARAM_DATE_WORDS[cmp.op]} la date {shown}"
        if cmp.op == "eq":
            return f"{label} est égal à {shown}"
        if cmp.op == "ne":
            return f"{label} est différent de {shown}"
        return f"{label} {ORDER_WORDS[cmp.op]} {shown}"

    def where(self, where: Mapping[str, object]) -> str:
        """A scope's filter: « dont « type de dispositif » vaut « OPAH-RU » »."""
        parts = []
        for name, value in where.items():
            if self.spec[name].kind == "bool":
                parts.append(f"{self.label(name)} : {'oui' if value else 'non'}")
            else:
                parts.append(f"{self.label(name)} vaut {self.value(name, value)}")
        return " et ".join(parts)
