"""What a piece says, read from its structure: its kind (kinds), the parties and their signatories
(parties), the parts of the trame and its duration (sections), the table of actions and the budget
(actions).

Every value read carries its `Quote` (file, where, the text it was read from, and how sure the
reader is). Nothing here decides compliance; `documents` sets what was read beside the
structured dossier.
"""

from __future__ import annotations

from dataclasses import replace

from instruct.documents.actions import Action, actions
from instruct.documents.budget import budget
from instruct.documents.deliberations import read_deliberation
from instruct.documents.evidence import SURE, Quote, quote_dict
from instruct.documents.kinds import numero_scored, recognise_scored
from instruct.documents.parties import Party, parties, role_of
from instruct.documents.read import PieceText
from instruct.documents.readings import Reading
from instruct.documents.sections import duree, trame, trame_sure, valant_ort
from instruct.documents.signatures import signatures
from instruct.documents.values import dates
from instruct.french import find_amount
from instruct.vocabulary import TRAMES

__all__ = ["SURE", "Action", "Party", "Quote", "Reading", "read", "role_of", "summary"]


# --- one piece ----------------------------------------------------------------------------------


def read(piece: PieceText, kind: str | None = None, ville: str | None = None) -> Reading:
    """What the piece says; `kind` when the dossier declares it, else recognised by content."""
    kind, kind_confidence = (kind, 1.0) if kind else recognise_scored(piece)
    reading = Reading(piece.file, kind, kind_confidence)
    if kind == "deliberation" and piece.readable:  # its council, séance, object; who signed the extract, and when
        reading.deliberation, reading.signatures, reading.date_signature = read_deliberation(piece, ville)
        _letterhead_signatures(reading, piece, ville)
        reading.budget, reading.duree_annees = budget(piece), duree(piece)  # what the council approved
    if kind not in TRAMES or not piece.readable:
        return reading
    found = numero_scored(piece) if kind == "avenant" else None
    if found:
        reading.numero, reading.numero_quote = found
        reading.numero_confidence = found[1].confidence
    reading.parties = parties(piece, ville)
    reading.signatures, reading.date_signature = signatures(piece, ville, reading.parties)
    _unsigned_parties(reading)
    reading.trame = trame(piece, TRAMES[kind])
    _parties_part(reading, TRAMES[kind])
    reading.trame_sure = trame_sure(piece, TRAMES[kind])
    reading.actions = actions(piece)
    reading.budget = budget(piece)
    reading.duree_annees = duree(piece)
    reading.valant_ort = valant_ort(piece)
    return reading


def _letterhead_signatures(reading: Reading, piece: PieceText, ville: str | None) -> None:
    """A délibération's signatory not read sure from its council (« Le Maire, » under a
    « COMMUNE DE X » letterhead, the council unnamed): the signature block read against the
    letterhead, when that one is sure."""
    if reading.signatures and all(p.quote.sure for p in reading.signatures):
        return
    if any(p.role == "autre_commune" for p in reading.signatures or []):
        return  # another town's council, or a header misread: always to check
    found, day = signatures(piece, ville, letterhead=True)
    if found and all(p.quote.sure for p in found):
        reading.signatures = found
        reading.date_signature = reading.date_signature or day


UNSIGNED = 0.7  # a signature block that misses a party of the piece: who signed is to check


def _unsigned_parties(reading: Reading) -> None:
    """Every party of a convention or an avenant signs it: a signature block read without one of
    the parties named sure at the head of the piece was not read whole (a signature drawn apart,
    a layout the reader missed), so the list of signatories is only proposed — a party left out
    must never read as a party that did not sign."""
    if not reading.signatures or not reading.parties:
        return
    signed = [p.role for p in reading.signatures]
    for party in reading.parties:
        if party.quote.sure and party.role in signed:
            signed.remove(party.role)
        elif party.quote.sure:
            reading.signatures = [
                replace(p, quote=replace(p.quote, confidence=min(p.quote.confidence, UNSIGNED)))
                for p in reading.signatures
            ]
            return


def _parties_part(reading: Reading, parts) -> None:
    """The trame's « parties » part is the parties block itself, with or without a heading over
    it: two parties read sure are that part."""
    if "parties" in reading.trame or not any(p.code == "parties" for p in parts):
        return
    sure = [p for p in reading.parties or [] if p.quote.sure]
    if len(sure) >= 2:
        reading.trame["parties"] = sure[0].quote


# --- what `acv ingest` shows ----------------------------------------------------------------------


def summary(piece: PieceText, kind: str | None = None) -> dict:
    """Every value read from one piece, with where it was found and how sure the reader is; the
    doubts (values below SURE, blocks looked for and not found) as a town reads them."""
    from instruct.documents.doubts import sure_reading  # doubts builds on Reading

    reading = read(piece, kind)
    doubts = sure_reading(reading, kind is not None, piece.readable)[1]
    amounts, found_dates = [], []
    for line, where in piece.lines():
        value = find_amount(line)
        if value is not None:
            amounts.append({"montant": str(value), "ou": where, "texte": line[:160]})
        found_dates += [{"date": day.isoformat(), "ou": where, "texte": line[:160]} for day in dates(line)]
    parts = [p.code for p in TRAMES.get(reading.kind or "", ())]

    def party(p: Party) -> dict:
        return {
            "role": p.role,
            "organisme": p.organisme,
            "nom": p.nom,
            "qualite": p.qualite,
            "deliberation": p.deliberation.isoformat() if p.deliberation else None,
            **quote_dict(p.quote, True),
            **({"nom_confiance": p.nom_confidence} if p.nom and p.nom_confidence < 1 else {}),
        }

    return {
        "fichier": piece.file,
        "format": piece.kind,
        "lisible": piece.readable,
        "tronque": piece.truncated,
        "problemes": piece.problems,
        "blocs": len(piece.blocks),
        "type": reading.kind,
        "type_confiance": round(getattr(reading, "kind_confidence", 1.0), 2),
        "numero": reading.numero,
        "parties": [party(p) for p in reading.parties or []],
        "signatures": [party(p) for p in reading.signatures or []],
        "date_signature": {"date": reading.date_signature[0].isoformat(), **quote_dict(reading.date_signature[1], True)}
        if reading.date_signature
        else None,
        "trame": {code: quote_dict(q, True) for code, q in reading.trame.items()},
        "trame_absente": [code for code in parts if code not in reading.trame],
        "trame_sure": getattr(reading, "trame_sure", True),
        "actions": [
            {
                "id": a.id,
                "intitule": a.intitule,
                "maitre_ouvrage": a.maitre_ouvrage,
                "debut": a.debut.isoformat() if a.debut else None,
                "fin": a.fin.isoformat() if a.fin else None,
                "cout": str(a.cout) if a.cout is not None else None,
                "financement": [{"financeur": n, "montant": str(m)} for n, m in a.financement],
                **quote_dict(a.quote, True),
            }
            for a in reading.actions
        ],
        "budget": {name: {"montant": str(v), **quote_dict(q, True)} for name, (v, q) in reading.budget.items()},
        "doutes": [d.sentence() for d in doubts],
        "dates": found_dates[:200],
        "montants": amounts[:200],
    }
