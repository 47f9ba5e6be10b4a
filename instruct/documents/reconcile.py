"""The pieces beside the structured dossier.

For each file: what it is (declared in `pieces:` or recognised by its content) and whether it
could be read. What a piece says and the dossier does not is filled in, with the quote as its
evidence (`provenance`, keyed by dossier path); what both say is compared, and a disagreement
is kept (`comparisons`, judged by rule X-05). The structured dossier is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from instruct.documents.extract import Action, Quote, Reading, read, role_of
from instruct.documents.read import PieceText, normal, read_piece_isolated
from instruct.errors import InputError, Problem
from instruct.french import french_date, french_number
from instruct.model.dossier import Dossier
from instruct.vocabulary import SIGNATAIRES_REQUIS, TRAME_AVENANT, TRAME_CONVENTION

DOCUMENT_SUFFIXES = {".pdf", ".docx"}
MAX_FILES = 200  # pieces read for one dossier
ROLE_LABELS = {
    **SIGNATAIRES_REQUIS,
    "anru": "l'ANRU",
    "region": "la Région",
    "departement": "le Département",
    "autre_commune": "une autre commune",
    "autre": "un autre partenaire",
}


@dataclass
class PieceStatus:
    """One file of the dossier, or one piece the dossier declares."""

    file: str
    kind: str | None
    recognised_by: str  # "dossier" (declared in pieces:), "contenu", or "" (not recognised)
    declared: bool
    provided: bool
    format_read: bool = True
    readable: bool | None = None
    scanned: bool = False
    truncated: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    subject: str  # French: what is compared
    path: str  # where it is in the dossier
    in_dossier: str
    in_piece: str
    agree: bool
    quote: Quote


@dataclass
class Documents:
    pieces: list[PieceStatus] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    provenance: dict[str, Quote] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)


# --- reading the files --------------------------------------------------------------------------


def read_files(files: list[Path], declared: list[dict], ville: str | None) -> Documents:
    """Read every file; a piece declared in `pieces:` and not found is listed as not provided."""
    kinds = {str(p.get("fichier")): p.get("type") for p in declared if isinstance(p, dict)}
    docs = Documents()
    names = {f.name for f in files}
    for path in files:
        piece = read_piece_isolated(path)
        declared_kind = kinds.get(path.name)
        reading = read(piece, declared_kind if declared_kind not in {None, "autre"} else None, ville)
        docs.readings.append(reading)
        docs.pieces.append(_status(piece, reading, declared_kind))
    for name, kind in kinds.items():
        if name not in names:
            docs.pieces.append(PieceStatus(name, kind, "dossier", declared=True, provided=False))
    return docs


def _status(piece: PieceText, reading: Reading, declared_kind: str | None) -> PieceStatus:
    format_read = piece.kind in {"pdf", "docx"}
    return PieceStatus(
        piece.file,
        reading.kind,
        "dossier" if declared_kind else ("contenu" if reading.kind else ""),
        declared=declared_kind is not None,
        provided=True,
        format_read=format_read,
        readable=piece.readable if format_read else None,
        scanned=any(p.startswith("document scanné") for p in piece.problems),
        truncated=piece.truncated,
        problems=list(piece.problems),
    )


def document_files(folder: Path, pieces_dir: Path | None) -> list[Path]:
    """The files of pieces/, and the PDF/DOCX lying beside dossier.yaml."""
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES]
    if pieces_dir is not None:
        files += [p for p in pieces_dir.iterdir() if p.is_file() and not p.name.startswith(".")]
    if len(files) > MAX_FILES:
        raise InputError(
            str(pieces_dir or folder),
            [Problem("", f"trop de pièces : {len(files)} fichiers (au plus {MAX_FILES} par dossier)")],
        )
    return sorted(files)


# --- which reading speaks for which part of the dossier -----------------------------------------


def convention_reading(docs: Documents, data: dict) -> Reading | None:
    chosen = _declared_file(data, get_path(data, "convention", "cadre", "piece"))
    candidates = [r for r in docs.readings if r.kind == "convention_cadre"]
    return next((r for r in candidates if r.file == chosen), candidates[0] if candidates else None)


def avenant_readings(docs: Documents, data: dict) -> dict[int, Reading]:
    """Avenant number -> its piece (the number read in the piece, or the avenant declaring it)."""
    out: dict[int, Reading] = {}
    declared = {}
    for av in get_path(data, "convention", "avenants") or []:
        if isinstance(av, dict) and isinstance(av.get("numero"), int):
            declared[_declared_file(data, av.get("piece"))] = av["numero"]
    avenants = [r for r in docs.readings if r.kind == "avenant"]
    for r in avenants:
        numero = declared.get(r.file) or r.numero or (1 if len(avenants) == 1 else None)
        if numero is not None and numero not in out:
            out[numero] = r
    return out


def _declared_file(data: dict, piece_id: Any) -> str | None:
    for p in data.get("pieces") or []:
        if isinstance(p, dict) and piece_id is not None and p.get("id") == piece_id:
            return str(p.get("fichier"))
    return None


def get_path(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _node(data: dict, *keys: str) -> dict | None:
    """The mapping at keys, created when absent; None when something else is there (the
    validation will report it)."""
    for key in keys:
        if data.get(key) is None:
            data[key] = {}
        data = data[key]
        if not isinstance(data, dict):
            return None
    return data


# --- filling what the dossier does not say ------------------------------------------------------


def fill(data: dict, docs: Documents) -> None:
    """Set, in the raw dossier, what the pieces say and the dossier does not; record the quote."""
    prov = docs.provenance
    _fill_pieces(data, docs, prov)
    conv = convention_reading(docs, data)
    cadre = _node(data, "convention", "cadre") if conv is not None else None
    if conv is not None and cadre is not None:
        _fill_signed(cadre, conv, "convention.cadre", prov)
        deliberations = [
            (p, "commune" if p.role == "ville_centre" else "intercommunalite")
            for p in conv.parties or []
            if p.deliberation and p.role in {"ville_centre", "intercommunalite"}
        ]
        if cadre.get("deliberations") is None and deliberations:
            cadre["deliberations"] = [
                {"organe": organe, "date": p.deliberation.isoformat()} for p, organe in deliberations
            ]
            for i, (p, _) in enumerate(deliberations):
                prov[f"convention.cadre.deliberations[{i}]"] = p.quote
            prov["convention.cadre.deliberations"] = deliberations[0][0].quote
        _fill_trame(cadre, conv, TRAME_CONVENTION, "convention.cadre.contenu", prov)
    avenants = avenant_readings(docs, data)
    if avenants and (convention := _node(data, "convention")) is not None:
        listed = convention.get("avenants")
        if listed is None:
            listed = convention["avenants"] = []
        if isinstance(listed, list):
            for numero, reading in sorted(avenants.items()):
                index = next(
                    (i for i, a in enumerate(listed) if isinstance(a, dict) and a.get("numero") == numero), None
                )
                if index is None:
                    listed.append({"numero": numero})
                    index = len(listed) - 1
                    prov[f"convention.avenants[{index}]"] = Quote(reading.file, "titre", f"Avenant n° {numero}")
                avenant, path = listed[index], f"convention.avenants[{index}]"
                if isinstance(avenant, dict):
                    _fill_signed(avenant, reading, path, prov)
                    _fill_trame(avenant, reading, TRAME_AVENANT, f"{path}.contenu", prov)
                    _fill_budget(avenant, reading, path, prov)
    _fill_fiches(data, conv, avenants, prov)
    if conv is not None and conv.duree_annees and cadre is not None and cadre.get("duree_annees") is None:
        cadre["duree_annees"], prov["convention.cadre.duree_annees"] = conv.duree_annees
    _fill_ort(data, conv, avenants, prov)


HABITAT = re.compile(r"habitat|logement|opah|immeuble|rehabilitation|renovation energetique")


def _fill_ort(data: dict, conv: Reading | None, avenants: dict[int, Reading], prov: dict[str, Quote]) -> None:
    """An avenant « valant convention d'ORT » answers what it shows of the ORT's content (L303-2):
    a part found is present; a part not found stays unknown (the ORT may be another piece)."""
    avenant = next((r for _, r in sorted(avenants.items()) if r.valant_ort), None)
    if avenant is None or data.get("ort") is not None:
        return
    ort: dict[str, Any] = {}
    found: dict[str, Quote] = {}
    if avenant.date_signature:
        ort["date_signature"], found["date_signature"] = (
            avenant.date_signature[0].isoformat(),
            avenant.date_signature[1],
        )
    duree = avenant.duree_annees or (conv.duree_annees if conv else None)
    if duree:
        ort["duree_annees"], found["duree_annees"] = duree
    if "diagnostic_afom" in avenant.trame and "objectifs_generaux_et_par_axe" in avenant.trame:
        ort["projet_revitalisation"], found["projet_revitalisation"] = (
            True,
            avenant.trame["objectifs_generaux_et_par_axe"],
        )
    habitat = next((a for a in avenant.actions if HABITAT.search(normal(a.intitule or ""))), None)
    if habitat is not None:
        ort["actions_habitat"], found["actions_habitat"] = True, habitat.quote
    for name, part in (("calendrier", "calendrier_general"), ("plan_financement", "budget_financement")):
        if part in avenant.trame:
            ort[name], found[name] = True, avenant.trame[part]
    data["ort"] = ort
    prov["ort"] = avenant.valant_ort
    prov.update({f"ort.{name}": quote for name, quote in found.items()})


def _fill_pieces(data: dict, docs: Documents, prov: dict[str, Quote]) -> None:
    """A file recognised by its content and not declared in `pieces:` joins the list, so the
    rules asking for a piece of that kind (note de projet urbain, plan de situation…) see it."""
    listed = data.get("pieces")
    if listed is None:
        listed = data["pieces"] = []
    if not isinstance(listed, list):
        return
    declared = {str(p.get("fichier")) for p in listed if isinstance(p, dict)}
    ids = {str(p.get("id")) for p in listed if isinstance(p, dict)}
    for status in docs.pieces:
        if status.recognised_by != "contenu" or status.file in declared:
            continue
        ident = base = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(status.file).stem).strip("-.")[:60] or "piece"
        n = 1
        while ident in ids:
            n += 1
            ident = f"{base}-{n}"
        ids.add(ident)
        prov[f"pieces[{len(listed)}]"] = Quote(status.file, "début du document", f"reconnue au contenu : {status.kind}")
        listed.append({"id": ident, "type": status.kind, "fichier": status.file[:200]})


def _fill_signed(target: dict, reading: Reading, path: str, prov: dict[str, Quote]) -> None:
    if target.get("date_signature") is None and reading.date_signature:
        day, quote = reading.date_signature
        target["date_signature"] = day.isoformat()
        prov[f"{path}.date_signature"] = quote
    signatories = reading.signatories()
    if target.get("signataires") is None and signatories:  # [] is the dossier saying "no signatory"
        target["signataires"] = [
            {
                k: v
                for k, v in {
                    "role": p.role,
                    "organisme": p.organisme[:200],
                    "nom": p.nom and p.nom[:200],
                    "qualite": p.qualite and p.qualite[:200],
                }.items()
                if v
            }
            for p in signatories
        ]
        for i, p in enumerate(signatories):
            prov[f"{path}.signataires[{i}]"] = p.quote
        prov[f"{path}.signataires"] = signatories[0].quote


def _fill_trame(target: dict, reading: Reading, labels: dict[str, str], path: str, prov: dict[str, Quote]) -> None:
    if target.get("contenu") is not None:
        return
    target["contenu"] = {code: code in reading.trame for code in labels}
    for code, label in labels.items():
        prov[f"{path}.{code}"] = reading.trame.get(code) or Quote(
            reading.file, "document entier", f"aucun titre pour « {label} »"
        )


def _fill_budget(avenant: dict, reading: Reading, path: str, prov: dict[str, Quote]) -> None:
    if avenant.get("budget") is not None or "total" not in reading.budget:
        return
    avenant["budget"] = {name: str(value) for name, (value, _) in reading.budget.items()}
    for name, (_, quote) in reading.budget.items():
        prov[f"{path}.budget.{name}"] = quote
    prov[f"{path}.budget"] = reading.budget["total"][1]


def _fill_fiches(data: dict, conv: Reading | None, avenants: dict[int, Reading], prov: dict[str, Quote]) -> None:
    """The table of actions becomes the fiches when the dossier lists none: the avenant's plan
    d'actions (every action), else the convention's table (the actions matures)."""
    if data.get("fiches_actions"):
        return
    matures = {_action_key(a) for a in conv.actions} if conv else set()
    source = next((r.actions for _, r in sorted(avenants.items()) if r.actions), None) or (conv.actions if conv else [])
    fiches, seen = [], set()
    for n, action in enumerate(source, 1):
        fiche = _fiche(action, n, mature=_action_key(action) in matures)
        if fiche["id"] in seen:
            continue
        seen.add(fiche["id"])
        prov[f"fiches_actions[{len(fiches)}]"] = action.quote
        fiches.append(fiche)
    if fiches:
        data["fiches_actions"] = fiches


def _action_key(action: Action) -> str:
    return normal(action.id or action.intitule or "")


def _fiche(action: Action, n: int, mature: bool) -> dict:
    ident = re.sub(r"[^A-Za-z0-9._-]+", "-", action.id or "").strip("-")[:64] or f"action-{n}"
    fiche: dict[str, Any] = {"id": ident, "maturite": "mature" if mature else "a_venir"}
    if action.intitule:
        fiche["intitule"] = action.intitule[:200]
    if action.maitre_ouvrage:
        fiche["maitre_ouvrage"] = action.maitre_ouvrage[:200]
    if action.debut and action.fin:
        fiche["calendrier"] = {"debut": action.debut.isoformat(), "fin": action.fin.isoformat()}
    if action.cout is not None:
        fiche["cout"] = str(action.cout)

    def squeezed(text: str) -> str:  # a word cut by a line break in a PDF cell reads "Rochebru ne"
        return normal(text).replace(" ", "")

    porteur = squeezed(action.maitre_ouvrage or "")
    fiche["financement"] = [
        {
            "financeur": name[:200],
            "montant": str(amount),
            "role": "porteur" if porteur and squeezed(name) == porteur else _role(name),
        }
        for name, amount in action.financement
    ]
    return fiche


def _role(name: str) -> str:
    role = role_of(name)
    return "autre" if role == "autre_commune" else role


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
                        _euros(declared),
                        _euros(value),
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
                    _euros(fiche.cout),
                    _euros(action.cout),
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
    if signataires is None or signatories is None or f"{path}.signataires" in prov:
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
    if f"{path}.{next(iter(labels))}" in prov:
        return
    for code, label in labels.items():
        declared = bool(getattr(contenu, code))
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


def _euros(value: Decimal) -> str:
    return french_number(value, 2) + " €"


# --- evidence -----------------------------------------------------------------------------------

PATH_TOKEN = re.compile(r"[A-Za-z_][\w.\[\]*]*")


def quotes_for(path: str, provenance: dict[str, Quote]) -> list[Quote]:
    """The quotes behind the dossier paths named in an evidence `path` ("a.b, c ; d")."""
    if not provenance or not path:
        return []
    found = []
    for token in PATH_TOKEN.findall(path):
        quote = provenance.get(token)
        if quote is None:  # a value inside something read from a piece: fiches_actions[2].cout
            head = token
            while quote is None:
                shorter = re.sub(r"(\.[^.\[]*|\[[^\]]*\])$", "", head)
                if shorter == head:
                    break
                head = shorter
                quote = provenance.get(head)
        if quote is not None and quote not in found:
            found.append(quote)
    return found


def annotate(findings: list, documents: Documents) -> None:
    """Add to each finding's evidence the piece, page and quote behind a value read from a piece,
    and to each comparison (X-05) the text it read."""
    provenance = documents.provenance
    for finding in findings:
        if finding.entity.type == "concordance" and finding.entity.id.isdigit():
            quote = documents.comparisons[int(finding.entity.id) - 1].quote
            for item in finding.evidence:
                item["pieces"] = [quote.as_dict()]
            continue
        if not provenance:
            continue
        for item in finding.evidence:
            quotes = quotes_for(item.get("path", ""), provenance)
            if quotes:
                item["pieces"] = [q.as_dict() for q in quotes]
