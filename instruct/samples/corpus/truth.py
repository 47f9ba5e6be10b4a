"""The ground truth of one corpus piece: what a careful reader finds in it. One JSON file per
piece, beside it (« NAME.ext.verite.json »), validated by this model."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from instruct.model.fields import RoleSignataire

FICTIF = "document fictif établi pour des essais"

Role = RoleSignataire  # EPF, CCI, CMA, a bailleur… are « autre »
Kind = Literal[
    "convention_cadre",
    "avenant",
    "deliberation",
    "note_projet_urbain",
    "plan_situation",
    "note_utilite_immeubles",
    "dossier_operateur",
    "fiche_action",
]
Problem = Literal["scanne", "endommage", "tronque", "chiffre", "pas_un_pdf", "docx_corrompu"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Partie(Strict):
    role: Role
    organisme: str  # as written, without its article (« la », « l' ») nor « ci-après dénommée … »
    representant: str | None = None  # the person, without civilité (M., Mme, Monsieur…): « Jean DUPONT »
    deliberation: dt.date | None = None  # the délibération that authorises this party to sign


class Signataire(Strict):
    role: Role
    nom: str | None = None  # the person who signs, without civilité; None when the block names none


class Action(Strict):
    intitule: str
    cout: Decimal | None = None  # euros; None when the row gives a percentage or nothing


class Verite(Strict):
    fichier: str
    fictif: Literal["document fictif établi pour des essais"] = FICTIF
    style: str  # one line: how the piece is written (« prose, LibreOffice PDF, signature grid »)
    type: Kind | None  # None: a piece of none of these kinds
    numero: int | None = None  # an avenant's number
    probleme: Problem | None = None  # an unreadable piece: what is wrong with it (then nothing else is expected)
    parties: list[Partie] | None = None  # None: the piece has no parties block
    signataires: list[Signataire] | None = None  # None: the piece has no signature block
    date_signature: dt.date | None = None
    trame: list[str] | None = None  # convention/avenant: codes of vocabulary.TRAMES present; the others are absent
    actions: list[Action] | None = None  # None: no table of actions; rows in order, TOTAL and axis rows excluded
    budget_total: Decimal | None = None  # the total cost of the programme, as the piece states it
    duree_annees: int | None = None


def truth_path(piece: Path) -> Path:
    return piece.with_name(piece.name + ".verite.json")


def write_truth(piece: Path, truth: Verite) -> None:
    text = json.dumps(truth.model_dump(mode="json", exclude_defaults=False), ensure_ascii=False, indent=1)
    truth_path(piece).write_text(text + "\n", encoding="utf-8")


def corpus(folder: Path) -> list[tuple[Path, Verite]]:
    """Every piece of a corpus folder with its truth, in name order."""
    out = []
    for path in sorted(folder.glob("*.verite.json")):
        truth = Verite.model_validate_json(path.read_text(encoding="utf-8"))
        out.append((path.with_name(truth.fichier), truth))
    return out
