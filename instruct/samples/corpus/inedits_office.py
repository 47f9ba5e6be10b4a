"""LibreOffice's PDF export of a held-out DOCX piece: the way most towns turn their Word file into
the PDF they send. soffice runs headless, without a shell, with a throw-away HOME and profile;
its creation date and file identifier are blanked so that a rerun on the same machine gives the
same bytes. Without soffice the committed PDF is kept."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from instruct.samples.corpus.inedits_docx import build_docx
from instruct.samples.corpus.inedits_model import Piece

SOFFICE = "/usr/bin/soffice"


def _blank(match: re.Match) -> bytes:
    """The same number of bytes, so that the cross-reference offsets stay right."""
    text = match.group(0)
    if text.startswith(b"/ID"):
        return re.sub(rb"[0-9A-Fa-f]", b"0", text)
    if text.startswith(b"/DocChecksum"):
        name, _, value = text.rpartition(b"/")
        return name + b"/" + b"0" * len(value)
    return re.sub(rb"\d", b"0", text)


def stable_pdf(data: bytes) -> bytes:
    data = re.sub(rb"/CreationDate\s*\(D:[^)]*\)", _blank, data)
    data = re.sub(rb"/ModDate\s*\(D:[^)]*\)", _blank, data)
    data = re.sub(rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]", _blank, data)
    data = re.sub(rb"/DocChecksum\s*/[0-9A-Fa-f]+", _blank, data)
    return data


def convert(docx: Path, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="inedits-soffice-") as home:
        env = {**os.environ, "HOME": home}
        profile = Path(home, "profil").as_uri()
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            env=env,
            timeout=120,
            check=True,
            capture_output=True,
        )
    return out_dir / (docx.stem + ".pdf")


def write_office(piece: Piece, folder: Path, committed: Path, office: bool) -> str | None:
    """Writes piece.fichier (a .pdf) from its DOCX through LibreOffice; returns a French note
    when the committed PDF was kept instead."""
    target = folder / piece.fichier
    if not office or not Path(SOFFICE).exists():
        kept = committed / piece.fichier
        if target.resolve() != kept.resolve():
            shutil.copyfile(kept, target)
        return f"soffice absent ou désactivé : {piece.fichier} reprend le PDF déjà converti."
    with tempfile.TemporaryDirectory(prefix="inedits-docx-") as work:
        source = Path(work) / (Path(piece.fichier).stem + ".docx")
        source.write_bytes(build_docx(piece))
        pdf = convert(source, Path(work))
        target.write_bytes(stable_pdf(pdf.read_bytes()))
    return None
