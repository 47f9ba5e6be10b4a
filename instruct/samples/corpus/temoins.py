"""Témoins: a held-out corpus of fictitious ACV pieces, written apart from `essais` and `inedits`
(nobody tunes the reader on it). `python -m instruct.samples.corpus.temoins OUTDIR` writes every
piece and its truth (« NAME.ext.verite.json »). The LibreOffice PDFs are converted with soffice when
it is there; without it the committed outputs (tests/corpus/temoins) are kept, and the run says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from instruct.samples.corpus.temoins_pieces import PIECES
from instruct.samples.corpus.temoins_write import write_docx, write_pdf
from instruct.samples.corpus.truth import Verite, write_truth

COMMITTED = Path(__file__).resolve().parents[3] / "tests" / "corpus" / "temoins"
SOFFICE = "/usr/bin/soffice"


def _office(docx_path: Path, outdir: Path) -> bool:
    """DOCX -> PDF through LibreOffice, HOME in a temporary directory, never a shell."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home}
        done = subprocess.run(
            [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)],
            env=env,
            timeout=120,
            capture_output=True,
            check=False,
        )
    return done.returncode == 0 and docx_path.with_suffix(".pdf").exists()


def generate(outdir: Path, office: bool | None = None) -> list[str]:
    """Write every piece into outdir; returns notes (LibreOffice outputs kept rather than made)."""
    outdir.mkdir(parents=True, exist_ok=True)
    if office is None:
        office = Path(SOFFICE).exists()
    notes = []
    for name, fmt, make, style in PIECES:
        doc_or_writer, truth = make()
        fichier = name + (".docx" if fmt == "docx" else ".pdf")
        path = outdir / fichier
        if fmt == "docx":
            write_docx(doc_or_writer, path)
        elif fmt == "pdf":
            write_pdf(doc_or_writer, path)
        elif fmt == "raw":
            doc_or_writer(path)
        elif fmt == "office":
            if office:
                with tempfile.TemporaryDirectory() as tmp:
                    src = Path(tmp) / (name + ".docx")
                    write_docx(doc_or_writer, src)
                    if not _office(src, Path(tmp)):
                        raise RuntimeError(f"soffice n'a pas converti {fichier}")
                    shutil.copyfile(Path(tmp) / fichier, path)
            else:
                kept = COMMITTED / fichier
                if kept.resolve() != path.resolve():
                    shutil.copyfile(kept, path)
                notes.append(f"{fichier} : LibreOffice absent, sortie enregistrée conservée")
        write_truth(path, Verite(fichier=fichier, style=style, **truth))
    return notes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage : python -m instruct.samples.corpus.temoins OUTDIR", file=sys.stderr)
        return 2
    for note in generate(Path(args[0])):
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
