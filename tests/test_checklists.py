"""Checklists are generated from the rules: the committed ones must match, and the DOCX reads back."""

import datetime as dt
import subprocess

from conftest import ROOT, acv_command
from docx import Document

from instruct.reports import checklist

CHECKLIST_DATE = "2026-11-26"  # the Makefile's CHECKLIST_DATE


def test_committed_checklists_are_up_to_date_with_the_rules(tmp_path):
    done = subprocess.run(
        acv_command() + ["checklist", "--partenaire", "programme", "--tous", str(tmp_path), "--date", CHECKLIST_DATE],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    generated = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    committed = {
        p.name: p.read_text(encoding="utf-8") for p in (ROOT / "checklists").glob("*.md") if p.name != "README.md"
    }
    assert set(generated) == set(committed), "checklists/ is out of date: run `make checklists`"
    for name, text in generated.items():
        assert committed[name] == text, f"checklists/{name} is out of date with rules/: run `make checklists`"


def test_checklist_lists_every_rule_of_the_stage_with_its_source(catalogue):
    text = checklist.render_markdown(catalogue, "action-logement", "operateur", dt.date(2026, 11, 26))
    for n in range(1, 16):
        assert f"(AL-O-{n:02d}," in text
    assert "il en faut au moins 75,00 %" in text  # parameters at the date
    assert "« Eléments nécessaires à l'instruction des dossiers par Action Logement" in text


def test_docx_checklist(tmp_path):
    out = tmp_path / "liste.docx"
    done = subprocess.run(
        acv_command()
        + [
            "checklist",
            "--partenaire",
            "programme",
            "--etape",
            "initialisation",
            "--format",
            "docx",
            "-o",
            str(out),
            "--date",
            CHECKLIST_DATE,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert (
        "Pièces et informations à fournir — programme" in text
        and "Signataires de la convention (PROG-02, bloquant)" in text
    )
    assert "(PROG-09," not in text  # the avenant's content belongs to the deployment stage
