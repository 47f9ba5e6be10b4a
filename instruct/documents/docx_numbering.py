"""Word's automatic numbering, rendered as Word shows it: « Article 3 », « 2.1 », « IV. », « a) ».

numbering.xml holds abstract lists (abstractNum: per level its start, format, text such as
« Article %1 » or « %1.%2 », restart rule) and list instances (num, pointing to an abstract list,
possibly restarting a level with startOverride). A paragraph joins a list by its own numPr or by
its style's (a heading style linked to a list). Counters are kept per abstract list, as Word
does: two instances of the same list continue each other unless one restarts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from instruct.documents.docx_styles import VAL, Styles, W, integer, on_off

LEVELS = 9
MAX_LINKS = 5  # numStyleLink hops followed, against a loop

ORDINALS = ["premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième", "neuvième"]
ORDINALS += ["dixième", "onzième", "douzième", "treizième", "quatorzième", "quinzième", "seizième", "dix-septième"]
ORDINALS += ["dix-huitième", "dix-neuvième", "vingtième"]
CARDINALS = ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "treize"]
CARDINALS += ["quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf", "vingt"]
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
ROMAN += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: restart after a level up to this one (1-based); 0 never
    legal: bool = False  # w:isLgl: every level shown in decimal
    style: str | None = None  # w:pStyle: the paragraph style linked to this level

    @classmethod
    def of(cls, lvl) -> Level:
        def val(tag: str) -> str | None:
            element = lvl.find(f"{W}{tag}")
            return element.get(VAL) if element is not None else None

        start = integer(lvl.find(f"{W}start"))
        return cls(
            start if start is not None else 1,
            val("numFmt") or "decimal",
            val("lvlText") or "",
            integer(lvl.find(f"{W}lvlRestart")),
            bool(on_off(lvl.find(f"{W}isLgl"))),
            val("pStyle"),
        )


@dataclass
class Instance:
    """A w:num: its abstract list, and the levels it restarts or redefines."""

    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def format_value(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        roman = roman_numeral(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter") and value > 0:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "ordinal":
        return "1er" if value == 1 else f"{value}e"
    if fmt == "decimalZero":
        return f"{value:02d}" if value >= 0 else str(value)
    if fmt == "ordinalText" and 1 <= value <= len(ORDINALS):
        return ORDINALS[value - 1]
    if fmt == "cardinalText" and 1 <= value <= len(CARDINALS):
        return CARDINALS[value - 1]
    if fmt == "none":
        return ""
    return str(value)


def roman_numeral(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    out = []
    for amount, letters in ROMAN:
        count, value = divmod(value, amount)
        out.append(letters * count)
    return "".join(out)


class Numbering:
    def __init__(self, element, styles: Styles) -> None:
        self.styles = styles
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNum id -> numbering style it takes its levels from
        self.instances: dict[str, Instance] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        if element is None:
            return
        for abstract in element.iterfind(f"{W}abstractNum"):
            key = abstract.get(f"{W}abstractNumId")
            if key is None:
                continue
            levels = {}
            for lvl in abstract.iterfind(f"{W}lvl"):
                ilvl = integer(lvl, f"{W}ilvl")
                if ilvl is not None and 0 <= ilvl < LEVELS:
                    levels[ilvl] = Level.of(lvl)
            self.abstracts[key] = levels
            link = abstract.find(f"{W}numStyleLink")
            if link is not None and link.get(VAL):
                self.style_links[key] = link.get(VAL)
        for num in element.iterfind(f"{W}num"):
            key, abstract = num.get(f"{W}numId"), num.find(f"{W}abstractNumId")
            if key is None or abstract is None or abstract.get(VAL) is None:
                continue
            instance = Instance(abstract.get(VAL))
            for override in num.iterfind(f"{W}lvlOverride"):
                ilvl = integer(override, f"{W}ilvl")
                if ilvl is None or not 0 <= ilvl < LEVELS:
                    continue
                start = integer(override.find(f"{W}startOverride"))
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    instance.levels[ilvl] = Level.of(lvl)
                    start = start if start is not None else instance.levels[ilvl].start
                if start is not None:
                    instance.starts[ilvl] = start
            self.instances[key] = instance

    def _abstract(self, instance: Instance) -> str:
        """The abstract list holding the levels: through a numbering style's link when there is one."""
        key = instance.abstract
        for _ in range(MAX_LINKS):
            style = self.style_links.get(key)
            linked = self.styles.numbering(style) if style else None
            target = self.instances.get(linked[0]) if linked else None
            if target is None or target.abstract == key:
                break
            key = target.abstract
        return key

    def of_paragraph(self, ppr, style_id: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) the paragraph is numbered with: its own numPr, else its style's."""
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        own_id = num.find(f"{W}numId") if num is not None else None
        own_level = integer(num.find(f"{W}ilvl")) if num is not None else None
        linked = self.styles.numbering(style_id)
        num_id = own_id.get(VAL) if own_id is not None else (linked[0] if linked else None)
        if num_id is None or num_id == "0" or num_id not in self.instances:
            return None
        if own_level is not None:
            return num_id, min(max(own_level, 0), LEVELS - 1)
        instance = self.instances[num_id]
        levels = self.abstracts.get(self._abstract(instance), {})
        for style in self.styles.chain(style_id):
            for ilvl, level in sorted(levels.items()):
                if level.style == style.id:
                    return num_id, ilvl
        ilvl = linked[2] if linked and linked[2] is not None else 0
        return num_id, min(max(ilvl, 0), LEVELS - 1)

    def advance(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Count one more paragraph at this level; (its number as shown, the level's text pattern).
        A bullet gives no number."""
        instance = self.instances[num_id]
        key = self._abstract(instance)
        levels = {**self.abstracts.get(key, {}), **instance.levels}
        counters = self.counters.setdefault(key, [None] * LEVELS)
        if num_id not in self.used:
            self.used.add(num_id)
            for restarted in instance.starts:
                counters[restarted] = None
        level = levels.get(ilvl, Level())
        current = counters[ilvl]
        counters[ilvl] = instance.starts.get(ilvl, level.start) if current is None else current + 1
        for deeper in range(ilvl + 1, LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if ilvl < (deeper if restart is None else restart):
                counters[deeper] = None
        if level.fmt == "bullet":
            return "", level.text

        def shown(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            other = levels.get(index, Level())
            value = counters[index]
            if value is None:  # a level above never used: Word shows one below its start (« 0.1 »)
                value = instance.starts.get(index, other.start) - 1
            return format_value(value, "decimal" if level.legal and other.fmt != "none" else other.fmt)

        return " ".join(re.sub(r"%([1-9])", shown, level.text).split()), level.text
