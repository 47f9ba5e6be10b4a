"""Where a value was read, and how sure the reader is of it."""

from __future__ import annotations

from dataclasses import dataclass

SURE = 0.8  # below this confidence a value read is only proposed: shown à vérifier with its quote, never used


@dataclass(frozen=True)
class Quote:
    file: str
    where: str
    text: str
    confidence: float = 1.0  # how sure the reader is that the value was read right from this text

    @property
    def sure(self) -> bool:
        return self.confidence >= SURE

    def as_dict(self) -> dict:
        return {"fichier": self.file, "ou": self.where, "texte": self.text}
