"""What a command pays for at start-up: the heavy libraries are imported by the paths that need them
(shapely and numpy by a geometry, python-docx by a DOCX, Jinja2 by HTML, durable-rules by its adapter)."""

import subprocess
import sys

HEAVY = ("shapely", "numpy", "docx", "jinja2", "pypdf", "pdfplumber", "durable", "sqlalchemy", "reportlab", "openpyxl")


def imported_by(args: list[str]) -> set[str]:
    code = (
        "import contextlib, io, sys\n"
        "from instruct.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({args!r})\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_listing_the_rules_imports_no_heavy_library():
    assert imported_by(["rules"]) == set()
