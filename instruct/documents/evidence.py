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


DOUBTFUL = "lu avec doute"


def quote_dict(quote: Quote, confidence: bool = False) -> dict:
    """A quote as evidence: file, where, text; how sure the reader was when it was not certain
    (`confiance`, always with `confidence`), and « lu avec doute » below SURE (such a value is
    never used as certain)."""
    out = quote.as_dict()
    if confidence or quote.confidence < 1:
        out["confiance"] = round(quote.confidence, 2)
    if not quote.sure:
        out["lecture"] = DOUBTFUL
    return out
