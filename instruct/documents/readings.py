"""What a piece's reading is made of: the parties and signatories, the actions, a délibération's decision, and the
reading itself. Plain data, apart from the readers (extract, parties, actions, deliberations and their helpers:
some 170 regular expressions), so that a reading kept on disk (piece_cache) is loaded and reconciled without
importing them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from instruct.documents.evidence import Quote


@dataclass
class Party:
    role: str
    organisme: str
    nom: str | None
    qualite: str | None
    quote: Quote  # its confidence is the role's
    deliberation: dt.date | None = None
    nom_confidence: float = 1.0  # how sure `nom` is a person's name read right
    deliberation_quote: Quote | None = None  # where the délibération was read, and how sure
    alias: str | None = None  # « ci-après dénommée « la Ville » »: how the piece names it afterwards


@dataclass
class Action:
    id: str | None
    intitule: str | None
    maitre_ouvrage: str | None
    debut: dt.date | None
    fin: dt.date | None
    cout: Decimal | None
    financement: list[tuple[str, Decimal]]
    quote: Quote  # its confidence: how sure the row is an action and its intitulé read right
    cout_confidence: float = 1.0  # how sure `cout` was read right (None included: a percentage, an empty cell)


@dataclass
class Deliberation:
    """What a délibération decides, each value with its quote (None: not read)."""

    organe: tuple[str, Quote] | None = None  # "commune" or "intercommunalite"
    seance: tuple[dt.date, Quote] | None = None
    objet: tuple[str, Quote] | None = None  # "convention_cadre", "avenant" or "ort"
    numero: int | None = None  # the avenant approved


@dataclass
class Reading:
    file: str
    kind: str | None  # a Piece type: convention_cadre, avenant, note_projet_urbain…
    kind_confidence: float = 1.0  # how sure the kind is (1.0 when the dossier declares it)
    numero: int | None = None  # avenant number, read from its title
    numero_confidence: float = 1.0  # how sure the number is (a weak clue, two numbers that disagree: below SURE)
    numero_quote: Quote | None = None  # the line the number was read from
    parties: list[Party] | None = None  # None: no « ENTRE … » block
    signatures: list[Party] | None = None  # None: no « Fait à … » block
    date_signature: tuple[dt.date, Quote] | None = None
    trame: dict[str, Quote] = field(default_factory=dict)  # part -> its heading
    trame_sure: bool = False  # the headings were found: a part not in `trame` is truly absent (else à vérifier)
    actions: list[Action] = field(default_factory=list)
    budget: dict[str, tuple[Decimal, Quote]] = field(default_factory=dict)
    duree_annees: tuple[int, Quote] | None = None  # « … d'une durée de 6 ans »
    valant_ort: Quote | None = None  # the piece says it is (or is worth) the convention d'ORT
    deliberation: Deliberation | None = None  # a délibération: its council, séance and object

    def signatories(self) -> list[Party] | None:
        """Who signed: the signature block, or failing it the parties."""
        return self.signatures if self.signatures is not None else self.parties
