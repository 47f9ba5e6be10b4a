"""Every piece's reading, kept as JSON, to prove a change of the readers leaves each one IDENTICAL.

    .venv/bin/python benchmarks/readings.py save before.json DIR...   # with the code before the change
    .venv/bin/python benchmarks/readings.py compare before.json DIR... # after: exit 1 on any difference

Reads (in this process, ACV_CACHE unused) every PDF and DOCX under the DIRs (samples/, tests/corpus/,
generated towns) and compares the whole `PieceText` (blocks, tables, problems, truncated, pages, reader),
every field as JSON (tuples as lists, on both sides): no pickle to load.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from instruct.documents.read import read_piece  # noqa: E402


def readings(folders: list[str]) -> dict[str, dict]:
    found = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix.lower() in {".pdf", ".docx"} and path.is_file():
                found[str(path)] = json.loads(json.dumps(asdict(read_piece(path))))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("saved", help="the JSON file of the readings before")
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args()
    now = readings(args.folders)
    if args.action == "save":
        Path(args.saved).write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"{len(now)} readings saved")
        return 0
    before = json.loads(Path(args.saved).read_text(encoding="utf-8"))
    differ = sorted(p for p in before.keys() | now.keys() if before.get(p) != now.get(p))
    for path in differ:
        print(f"DIFFERENT: {path}")
    print(f"{len(now)} readings, {len(differ)} different")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
