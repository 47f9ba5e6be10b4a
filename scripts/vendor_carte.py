"""The map's npm packages (Leaflet and Leaflet-Geoman, for the périmètres), pinned, for
scripts/vendor.py: `CARTE` joins its PACKAGES. Run alone (`python scripts/vendor_carte.py
[--check]`) it fetches, checks and copies these two only, and lists every package in VENDOR.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vendor  # scripts/ is not a package: found through sys.path

LEAFLET = vendor.STATIC / "leaflet"

CARTE: list[vendor.Package] = [
    vendor.Package(
        "leaflet",
        "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        "BSD-2-Clause",
        LEAFLET / "leaflet",
        "package/",
        ("dist/leaflet.js", "dist/leaflet.css", "LICENSE"),
        follow_css=True,
        note="carte des périmètres (formulaire)",
    ),
    vendor.Package(
        "@geoman-io/leaflet-geoman-free",
        "2.20.2",
        "sha512-KQpSe0VKyuVCudq/08rMjJW1vvIwFldTwBny2wZ7ABcyyUAP7/eoFo967hCu9yRqAAHb4QOxC6gY5dGqttY68g==",
        "MIT",
        LEAFLET / "geoman",
        "package/",
        ("dist/leaflet-geoman.min.js", "dist/leaflet-geoman.css", "LICENSE"),
        note="dessin et modification des périmètres sur la carte",
    ),
]

for _package in CARTE:
    if all(p.name != _package.name for p in vendor.PACKAGES):
        vendor.PACKAGES.append(_package)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="comparer sans écrire")
    args = parser.parse_args(argv)
    try:
        differences = vendor.run(CARTE, check=args.check)
    except (vendor.VendorError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"échec : {exc}", file=sys.stderr)
        return 1
    if not args.check:  # run() listed these two only: list them all
        (vendor.STATIC / "VENDOR.md").write_text(vendor.vendor_md(vendor.PACKAGES), encoding="utf-8")
    for d in differences:
        print(d, file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
