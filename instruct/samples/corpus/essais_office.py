"""LibreOffice conversions of the « essais » pieces: a DOCX exported to PDF, or re-saved as DOCX,
by `soffice --headless` as a town's office suite does. The dates and identifiers LibreOffice
writes are made fixed (same length, so that the PDF offsets hold), so that the outputs change only
when the piece does."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from instruct.samples.piece_docx import _fixed_zip

FIXED_PDF_DATE = b"D:20260101000000"
FIXED_ISO = "2026-01-01T00:00:00Z"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, target: str) -> bytes | None:
    """The bytes of `source` converted by LibreOffice to `target` (« pdf », « docx »); None when it fails."""
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="essais-lo-") as tmp:
        home, outdir = Path(tmp, "home"), Path(tmp, "out")
        home.mkdir()
        outdir.mkdir()
        env = {**os.environ, "HOME": str(home)}
        command = [
            program,
            f"-env:UserInstallation={home.as_uri()}/profil",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ]
        subprocess.run(command, timeout=120, check=False, env=env, capture_output=True)
        produced = outdir / f"{source.stem}.{target}"
        return produced.read_bytes() if produced.exists() else None


def fixed_pdf(data: bytes) -> bytes:
    """LibreOffice's PDF with its dates and file identifiers fixed, same lengths."""
    data = re.sub(rb"D:\d{14}", lambda m: FIXED_PDF_DATE, data)
    data = re.sub(rb"<[0-9A-Fa-f]{32}>", lambda m: b"<" + b"0" * 32 + b">", data)
    data = re.sub(rb"/DocChecksum /[0-9A-F]{32}", lambda m: b"/DocChecksum /" + b"0" * 32, data)
    data = re.sub(rb"(<xmp:(?:Create|Modify|Metadata)Date>)[^<]*", lambda m: m[1] + b"2026-01-01T00:00:00+00:00", data)
    return data


def fixed_docx(data: bytes) -> bytes:
    """LibreOffice's DOCX with its dates and editing time fixed, its entries dated 1980."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", lambda m: m[1] + FIXED_ISO, text)
                content = text.encode("utf-8")
            elif info.filename == "docProps/app.xml":
                content = re.sub(rb"<TotalTime>\d+</TotalTime>", b"<TotalTime>0</TotalTime>", content)
                content = re.sub(
                    rb"<Application>[^<]*</Application>", b"<Application>LibreOffice</Application>", content
                )
            target.writestr(info.filename, content)
    return _fixed_zip(out.getvalue())
