"""Official reference lists the user supplies (`--referentiel DIR`), read without guessing.

`acv-communes.csv`: the programme's communes as published (columns insee_com, lib_com,
id_acv, …). `ort-communes.csv`: the national ORT registry (DGALN/ANCT, columns as published on
data.gouv.fr: « Code commune », « Signée ? », « Si signée, date de signature », « Durée (en
années) »…). INSEE codes are kept as text (leading zeros, Corsica's 2A/2B). The registry is
messy (empty or free-text dates, a duration of 0 for unknown): what cannot be read is left
out of the comparison and counted, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from instruct.errors import InputError, Problem
from instruct.french import parse_date
from instruct.yamlio import read_text

ACV_FILE = "acv-communes.csv"
ACV_COLUMNS = ("insee_com", "lib_com", "id_acv")
ORT_FILE = "ort-communes.csv"
ORT_COLUMNS = ("Code commune", "Signée ?", "Si signée, date de signature", "Durée (en années)")


@dataclass(frozen=True)
class CommuneACV:
    insee: str
    nom: str
    id_acv: str
    siren_epci: str | None = None


@dataclass(frozen=True)
class OrtRegistre:
    insee: str
    statut: str  # as published: Signée, Non signée, En cours, or empty
    date_signature: dt.date | None  # None: empty or unreadable
    duree_annees: int | None  # None: empty, 0 or unreadable


@dataclass
class Referentiel:
    source: str
    communes: dict[str, CommuneACV] | None
    unreadable_rows: int = 0
    ort: dict[str, OrtRegistre] | None = None
    ort_unreadable: dict[str, int] = field(default_factory=dict)  # what could not be read, by kind

    def find(self, insee: str) -> CommuneACV | None:
        return self.communes.get(insee) if self.communes is not None else None


def _date(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def load_ort_registry(path: Path) -> tuple[dict[str, OrtRegistre], dict[str, int]]:
    reader = csv.DictReader(io.StringIO(read_text(path, limit=50 * 1024 * 1024)))
    missing = [c for c in ORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(str(path), [Problem("", f"colonnes manquantes : {', '.join(missing)}")])
    entries: dict[str, OrtRegistre] = {}
    unreadable = {"code commune": 0, "date de signature": 0, "durée": 0}
    for row in reader:
        insee = (row.get("Code commune") or "").strip()
        if not insee or not (insee.isdigit() or insee[:2] in {"2A", "2B"}):
            unreadable["code commune"] += 1
            continue
        raw_date = (row.get("Si signée, date de signature") or "").strip()
        date = _date(raw_date) if raw_date else None
        if raw_date and date is None:
            unreadable["date de signature"] += 1
        raw_duree = (row.get("Durée (en années)") or "").strip()
        duree = int(raw_duree) if raw_duree.isdigit() and int(raw_duree) > 0 else None
        if raw_duree and not raw_duree.isdigit():
            unreadable["durée"] += 1
        entries[insee.zfill(5)] = OrtRegistre(insee.zfill(5), (row.get("Signée ?") or "").strip(), date, duree)
    return entries, unreadable


def load_referentiel(directory: str | Path) -> Referentiel:
    directory = Path(directory)
    path = directory / ACV_FILE
    ort_path = directory / ORT_FILE
    if not path.is_file() and not ort_path.is_file():
        raise InputError(
            str(directory),
            [Problem("", f"le référentiel doit contenir {ACV_FILE} (communes ACV) ou {ORT_FILE} (registre des ORT)")],
        )
    ort, ort_unreadable = load_ort_registry(ort_path) if ort_path.is_file() else (None, {})
    if not path.is_file():
        return Referentiel(source=ORT_FILE, communes=None, ort=ort, ort_unreadable=ort_unreadable)
    text = read_text(path, limit=50 * 1024 * 1024)
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ACV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(str(path), [Problem("", f"colonnes manquantes : {', '.join(missing)}")])
    communes: dict[str, CommuneACV] = {}
    unreadable = 0
    for row in reader:
        insee = (row.get("insee_com") or "").strip()
        if not insee or not (insee.isdigit() or insee[:2] in {"2A", "2B"}):
            unreadable += 1
            continue
        siren = (row.get("siren_epci") or "").strip()
        communes[insee.zfill(5)] = CommuneACV(
            insee.zfill(5),
            (row.get("lib_com") or "").strip(),
            (row.get("id_acv") or "").strip(),
            siren if len(siren) == 9 and siren.isdigit() else None,
        )
    return Referentiel(
        source=ACV_FILE, communes=communes, unreadable_rows=unreadable, ort=ort, ort_unreadable=ort_unreadable
    )
