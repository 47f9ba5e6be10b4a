"""Errors a user can act on: each problem says what is wrong and where, in French."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # e.g. "fiches_actions[3].financement[0].montant", "" for the whole document
    message: str
    line: int | None = None

    def __str__(self) -> str:
        if not self.path and self.line is None:
            return self.message
        where = self.path or "document"
        if self.line is not None:
            where += f" (ligne {self.line})"
        return f"{where} : {self.message}"


class InputError(Exception):
    """The input (a dossier, a rule file, a referentiel) cannot be used as it is."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [f"{self.source} : {len(self.problems)} problème(s)"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def format_path(loc: tuple) -> str:
    """("fiches_actions", 3, "montant") -> "fiches_actions[3].montant"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
