"""Official reference lists the user supplies (`--referentiel DIR`), read without guessing.

`acv-communes.csv`: the programme's communes as published (columns insee_com, lib_com,
id_acv, …). INSEE codes are kept as text (leading zeros, Corsica's 2A/2B).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from instruct.errors import InputError, Problem
from instruct.yamlio import read_text

ACV_FILE = "acv-communes.csv"
ACV_COLUMNS = ("insee_com", "lib_com", "id_acv")


@dataclass(frozen=True)
class CommuneACV:
    insee: str
    nom: str
    id_acv: str


@dataclass
class Referentiel:
    source: str
    communes: dict[str, CommuneACV]
    unreadable_rows: int = 0

    def find(self, insee: str) -> CommuneACV | None:
        return self.communes.get(insee)


def load_referentiel(directory: str | Path) -> Referentiel:
    directory = Path(directory)
    path = directory / ACV_FILE
    if not path.is_file():
        raise InputError(str(directory), [Problem("", f"le référentiel doit contenir {ACV_FILE} (liste officielle des communes ACV)")])
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
        communes[insee.zfill(5)] = CommuneACV(insee.zfill(5), (row.get("lib_com") or "").strip(), (row.get("id_acv") or "").strip())
    return Referentiel(source=f"{ACV_FILE}", communes=communes, unreadable_rows=unreadable)
