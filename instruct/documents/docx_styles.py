"""A DOCX's styles as the reader needs them: each style's chain (basedOn), its heading level (its
name « Heading N » / « Titre N » / « Title », or its outline level), the automatic numbering it
links to, and the run properties a heading is recognised by (bold, size, capitals).

Read from the styles part's XML as python-docx parsed it (no entity resolution)."""

from __future__ import annotations

import re
from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VAL = f"{W}val"
FALSE = {"0", "false", "off", "none"}
MAX_CHAIN = 20  # basedOn links followed, against a loop

HEADING_NAME = re.compile(r"^(?:heading|titre)\s*([1-9])$", re.IGNORECASE)
TITLE_NAME = re.compile(r"^(?:title|titre)$", re.IGNORECASE)
CONTENTS_NAME = re.compile(r"^(?:toc|tm)\s*[1-9]$", re.IGNORECASE)  # a table of contents' entries


def on_off(element) -> bool | None:
    """A toggle property (<w:b/>, <w:b w:val="0"/>): True, False, or None when absent."""
    if element is None:
        return None
    return element.get(VAL, "1").lower() not in FALSE


def integer(element, attribute: str = VAL) -> int | None:
    if element is None:
        return None
    try:
        return int(element.get(attribute, ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class RunLook:
    """The run properties a heading is recognised by; None where not set at this level."""

    bold: bool | None = None
    size: int | None = None  # half-points
    caps: bool | None = None

    @classmethod
    def of(cls, rpr) -> RunLook:
        if rpr is None:
            return cls()
        return cls(
            on_off(rpr.find(f"{W}b")),
            integer(rpr.find(f"{W}sz")),
            on_off(rpr.find(f"{W}caps")),
        )

    def over(self, below: RunLook) -> RunLook:
        """These properties, completed by `below`'s where not set."""
        return RunLook(
            self.bold if self.bold is not None else below.bold,
            self.size if self.size is not None else below.size,
            self.caps if self.caps is not None else below.caps,
        )


@dataclass(frozen=True)
class Style:
    id: str
    name: str
    kind: str  # paragraph | character | table | numbering
    based_on: str | None
    outline: int | None  # w:outlineLvl, 0-based; 9 is body text
    num_id: str | None  # w:numPr/w:numId: the list this style is linked to
    ilvl: int | None
    look: RunLook


class Styles:
    """The styles part, each style read when first asked for (a template holds hundreds)."""

    def __init__(self, element) -> None:
        self.elements: dict[str, object] = {}
        self.styles: dict[str, Style] = {}
        self.default_paragraph: str | None = None
        self.defaults = RunLook()
        self._chains: dict[str, tuple[Style, ...]] = {}
        self._looks: dict[str | None, RunLook] = {}
        if element is None:
            return
        self.defaults = RunLook.of(element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        for style in element.iterfind(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id and style_id not in self.elements:
                self.elements[style_id] = style
                if style.get(f"{W}type", "paragraph") == "paragraph" and style.get(f"{W}default", "0").lower() in (
                    "1",
                    "true",
                    "on",
                ):
                    self.default_paragraph = style_id

    def get(self, style_id: str | None) -> Style | None:
        if style_id is None or style_id not in self.elements:
            return None
        if style_id not in self.styles:
            style = self.elements[style_id]
            name = style.find(f"{W}name")
            based = style.find(f"{W}basedOn")
            ppr = style.find(f"{W}pPr")
            num = ppr.find(f"{W}numPr") if ppr is not None else None
            self.styles[style_id] = Style(
                style_id,
                name.get(VAL, "") if name is not None else "",
                style.get(f"{W}type", "paragraph"),
                based.get(VAL) if based is not None else None,
                integer(ppr.find(f"{W}outlineLvl")) if ppr is not None else None,
                _val(num.find(f"{W}numId")) if num is not None else None,
                integer(num.find(f"{W}ilvl")) if num is not None else None,
                RunLook.of(style.find(f"{W}rPr")),
            )
        return self.styles[style_id]

    def chain(self, style_id: str | None) -> tuple[Style, ...]:
        """The style then those it is based on, nearest first."""
        if style_id is None:
            return ()
        if style_id not in self._chains:
            out: list[Style] = []
            current = self.get(style_id)
            while current is not None and current not in out and len(out) < MAX_CHAIN:
                out.append(current)
                current = self.get(current.based_on)
            self._chains[style_id] = tuple(out)
        return self._chains[style_id]

    def paragraph_style(self, style_id: str | None) -> str | None:
        """The paragraph's style, or the document's default paragraph style."""
        return style_id if style_id in self.elements else self.default_paragraph

    def heading_level(self, style_id: str | None) -> int | None:
        """1, 2… for a heading style (by name, then outline level along the chain), 0 for body
        text, None when the styles say nothing."""
        for style in self.chain(style_id):
            for name in (style.name, style.id):
                match = HEADING_NAME.match(name.strip())
                if match:
                    return int(match.group(1))
                if TITLE_NAME.match(name.strip()):
                    return 1
            if style.outline is not None:
                return style.outline + 1 if 0 <= style.outline < 9 else 0
        return None

    def is_contents(self, style_id: str | None) -> bool:
        """An entry of a table of contents (styles « toc 1 »…, « TM1 » in French Word)."""
        style = self.get(style_id)
        return style is not None and any(CONTENTS_NAME.match(name.strip()) for name in (style.name, style.id))

    def numbering(self, style_id: str | None) -> tuple[str, str | None, int | None] | None:
        """(numId, the style in the chain that links it, its ilvl) for a style linked to a list."""
        for style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.id, style.ilvl
        return None

    def look(self, style_id: str | None) -> RunLook:
        """The run properties a style gives along its chain (nearest first), unset where it says nothing."""
        if style_id not in self._looks:
            look = RunLook()
            for style in self.chain(style_id):
                look = look.over(style.look)
            self._looks[style_id] = look
        return self._looks[style_id]

    def run_look(self, direct: RunLook, character_style: str | None, paragraph_style: str | None) -> RunLook:
        """A run's properties: its own, then its character style's, its paragraph style's, the defaults."""
        return direct.over(self.look(character_style)).over(self.look(paragraph_style)).over(self.defaults)


def _val(element) -> str | None:
    return element.get(VAL) if element is not None else None
