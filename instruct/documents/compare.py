"""Comparing what both the dossier and its pieces say (dates, signataires, parts, amounts): each
comparison is kept, with its quote, and a disagreement is judged by rule X-05."""

from __future__ import annotations

import datetime as dt
from typing import Any

from instruct.documents.doubts import SureReading as Reading
from instruct.documents.evidence import Quote
from instruct.documents.reconcile import Comparison, Documents, avenant_readings, convention_reading
from instruct.documents.text import normal
from instruct.french import french_amount, french_date
from instruct.model.dossier import Dossier
from instruct.vocabulary import SIGNATAIRES_REQUIS, TRAME_AVENANT, TRAME_CONVENTION

ROLE_LABELS = {
    **SIGNATAIRES_REQUIS,
    "anru": "l'ANRU",
    "region": "la Région",
    "departement": "le Département",
    "autre_commune": "une autre commune",
    "autre": "un autre partenaire",
}


# --- comparing what both say --------------------------------------------------------------------


def compare(dossier: Dossier, docs: Documents, data: dict) -> None:
    """A comparison for each value that the dossier and a piece both give."""
    out, prov = docs.comparisons, docs.provenance
    conv = convention_reading(docs, data)
    cadre = dossier.convention.cadre if dossier.convention else None
    if conv is not None and cadre is not None:
        _compare_signed(
            out, prov, conv, "convention.cadre", "de la convention-cadre", cadre.date_signature, cadre.signataires
        )
        if cadre.deliberations is not None and "convention.cadre.deliberations" not in prov:
            declared = {d.organe: d.date for d in cadre.deliberations}
            for p in conv.parties or []:
                organe = {"ville_centre": "commune", "intercommunalite": "intercommunalite"}.get(p.role)
                if organe and p.deliberation:
                    subject = f"Délibération {'de la commune' if organe == 'commune' else 'de l’intercommunalité'}"
                    _add(
                        out,
                        subject,
                        "convention.cadre.deliberations",
                        _day(declared.get(organe)),
                        _day(p.deliberation),
                        p.quote,
                    )
        if cadre.contenu is not None:
            _compare_trame(
                out, prov, conv, cadre.contenu, TRAME_CONVENTION, "convention.cadre.contenu", "la convention-cadre"
            )
    avenants = avenant_readings(docs, data)
    for index, avenant in enumerate(dossier.convention.avenants if dossier.convention else []):
        reading = avenants.get(avenant.numero)
        if reading is None:
            continue
        path = f"convention.avenants[{index}]"
        _compare_signed(
            out,
            prov,
            reading,
            path,
            f"de l'avenant n° {avenant.numero}",
            avenant.date_signature,
            avenant.signataires or None,
        )
        if avenant.contenu is not None:
            _compare_trame(
                out, prov, reading, avenant.contenu, TRAME_AVENANT, f"{path}.contenu", f"l'avenant n° {avenant.numero}"
            )
        if avenant.budget is not None and f"{path}.budget" not in prov:
            for name, label in (
                ("total", "Montant total"),
                ("part_cofinanceurs", "Part des cofinanceurs"),
                ("part_porteur", "Part du porteur"),
            ):
                declared = getattr(avenant.budget, name)
                if name in reading.budget and declared is not None:
                    value, quote = reading.budget[name]
                    _add(
                        out,
                        f"{label} de l'avenant n° {avenant.numero}",
                        f"{path}.budget.{name}",
                        french_amount(declared),
                        french_amount(value),
                        quote,
                    )
    fiches = {normal(f.id): (i, f) for i, f in enumerate(dossier.fiches_actions)}
    by_title = {normal(f.intitule): (i, f) for i, f in enumerate(dossier.fiches_actions) if f.intitule}
    if any(k.startswith("fiches_actions[") for k in prov):
        return  # the fiches come from the pieces themselves
    for reading in [r for r in [conv, *avenants.values()] if r is not None]:
        for action in reading.actions:
            match = fiches.get(normal(action.id or "")) or by_title.get(normal(action.intitule or ""))
            name = action.id or action.intitule or "?"
            if match is None:
                _add(
                    out,
                    f"Fiche action {name}",
                    "fiches_actions",
                    "absente du dossier",
                    "présente dans la pièce",
                    action.quote,
                )
                continue
            i, fiche = match
            if action.cout is not None and fiche.cout is not None:
                _add(
                    out,
                    f"Coût de la fiche action {fiche.id}",
                    f"fiches_actions[{i}].cout",
                    french_amount(fiche.cout),
                    french_amount(action.cout),
                    action.quote,
                )


def _compare_signed(
    out: list[Comparison],
    prov: dict[str, Quote],
    reading: Reading,
    path: str,
    of: str,
    date_signature: dt.date | None,
    signataires: list | None,
) -> None:
    if reading.date_signature and date_signature and f"{path}.date_signature" not in prov:
        day, quote = reading.date_signature
        _add(out, f"Date de signature {of}", f"{path}.date_signature", _day(date_signature), _day(day), quote)
    signatories = reading.signatories()
    if signataires is None or signatories is None or reading.signatories_doubtful or f"{path}.signataires" in prov:
        return
    in_piece = {p.role: p for p in signatories}
    in_dossier = {s.role: (i, s) for i, s in enumerate(signataires)}
    block = "bloc de signatures" if reading.signatures is not None else "parties"
    for role in dict.fromkeys([*in_dossier, *in_piece]):
        if role in {"autre", "autre_commune"}:
            continue
        subject = f"Signataire {of} : {ROLE_LABELS.get(role, role)}"
        party = in_piece.get(role)
        declared = in_dossier.get(role)
        quote = (
            party.quote if party else Quote(reading.file, block, f"aucun signataire pour {ROLE_LABELS.get(role, role)}")
        )
        _add(
            out,
            subject,
            f"{path}.signataires[{declared[0]}]" if declared else f"{path}.signataires",
            f"signataire ({declared[1].organisme})" if declared else "absent",
            f"signataire ({party.organisme})" if party else f"absent du {block}",
            quote,
            agree=bool(party) == bool(declared),
        )


def _compare_trame(
    out: list[Comparison],
    prov: dict[str, Quote],
    reading: Reading,
    contenu: Any,
    labels: dict[str, str],
    path: str,
    of: str,
) -> None:
    if any(f"{path}.{code}" in prov for code in labels):  # filled from this very piece
        return
    for code, label in labels.items():
        declared = getattr(contenu, code)
        if declared is None or code in reading.unknown_trame:  # one side does not say: nothing to compare
            continue
        quote = reading.trame.get(code)
        _add(
            out,
            f"Partie « {label} » de {of}",
            f"{path}.{code}",
            "présente" if declared else "absente",
            "présente" if quote else "absente",
            quote or Quote(reading.file, "document entier", f"aucun titre pour « {label} »"),
        )


def _add(
    out: list[Comparison],
    subject: str,
    path: str,
    in_dossier: str,
    in_piece: str,
    quote: Quote,
    agree: bool | None = None,
) -> None:
    out.append(
        Comparison(subject, path, in_dossier, in_piece, in_dossier == in_piece if agree is None else agree, quote)
    )


def _day(value: dt.date | None) -> str:
    return french_date(value) if value else "non renseignée"
