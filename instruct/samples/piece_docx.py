"""The convention-cadre as a Word document (python-docx), its archive dated so that two runs give
the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from instruct.model.dossier import Dossier
from instruct.samples.piece_text import (
    AUTHOR,
    CONVENTION_ANNEXES,
    CONVENTION_PARTS,
    CONVENTION_TEXTS,
    TABLE_HEADER,
    fiche_paragraph,
    fiches_of,
    initialisation_paragraph,
    intercommunalite_nom,
    parties_lines,
    signature_lines,
    table_row,
    write_file,
)

FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def convention_docx(
    dossier: Dossier,
    path: str | Path,
    *,
    omit_parts: Iterable[str] = frozenset(),
    omit_signataires: Iterable[str] = frozenset(),
) -> Path:
    """The convention-cadre, as a Word document."""
    from docx import Document
    from docx.shared import Pt

    omit_parts, omit_signataires = frozenset(omit_parts), frozenset(omit_signataires)
    cadre = dossier.convention.cadre if dossier.convention else None
    signataires = (cadre.signataires if cadre else None) or []
    ville = dossier.collectivites.ville_centre.nom
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_paragraph("Convention-cadre pluriannuelle Action Cœur de Ville", style="Title")
    doc.add_paragraph(f"{ville} – {intercommunalite_nom(dossier)}")
    number = 0
    for code, heading in CONVENTION_PARTS.items():
        if code in omit_parts:
            continue
        number += 1
        doc.add_heading(f"Article {number} – {heading}", level=1)
        if code == "parties":
            for line in parties_lines(dossier, signataires, omit_signataires, with_deliberations=True):
                doc.add_paragraph(line)
        elif code in CONVENTION_TEXTS:
            for text in CONVENTION_TEXTS[code](dossier):
                doc.add_paragraph(text)
        elif code == "phase_initialisation":
            doc.add_paragraph(initialisation_paragraph(dossier))
            fiches = fiches_of(dossier, mature_only=True)
            table = doc.add_table(rows=1, cols=len(TABLE_HEADER))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, TABLE_HEADER):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for fiche in fiches:
                for cell, text in zip(table.add_row().cells, table_row(fiche)):
                    cell.text = text
            doc.add_paragraph(
                "Les montants sont indiqués toutes taxes comprises, sous réserve des décisions des "
                "instances de chacun des financeurs."
            )
    for line in signature_lines(dossier, signataires, omit_signataires, cadre.date_signature if cadre else None):
        doc.add_paragraph(line)
    annexe = 0
    for code, heading in CONVENTION_ANNEXES.items():
        if code in omit_parts:
            continue
        annexe += 1
        doc.add_heading(f"Annexe {annexe} – {heading}", level=1)
        fiches = fiches_of(dossier, mature_only=True)
        if not fiches:
            doc.add_paragraph("Aucune fiche action mature à la date de signature.")
        for fiche in fiches:
            doc.add_heading(f"Fiche action {fiche.id} – {fiche.intitule or 'sans intitulé'}", level=2)
            doc.add_paragraph(fiche_paragraph(fiche))
    props = doc.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.title = f"Convention-cadre Action Cœur de Ville – {ville}"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return write_file(path, _fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so that two runs give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
