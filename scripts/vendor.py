"""`make vendor`: re-fetch the pinned npm packages the web pages use (the State's design system,
Swagger UI, axe-core for the tests), check each tarball against its pinned integrity, and copy
only the files used into the repository, which commits them: the service never loads anything
from a CDN, and works offline.

`npm pack` fetches the tarball (subprocess, no shell); the integrity is checked twice, as npm
reports it and as computed here. `--check` compares the committed files with a fresh fetch
instead of writing them. Other scripts (scripts/vendor_carte.py) may add packages to PACKAGES.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import importlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "instruct" / "service" / "static" / "vendor"


@dataclass(frozen=True)
class Package:
    """One pinned npm package: which of its files go where."""

    name: str
    version: str
    integrity: str  # the registry's sha512, as in package-lock.json
    licence: str
    dest: Path
    strip: str  # the prefix removed from the tarball paths ("package/dist/")
    files: tuple[str, ...]  # glob patterns under `strip`
    follow_css: bool = False  # also copy what the copied CSS files load (url(...))
    note: str = ""
    renames: dict[str, str] = field(default_factory=dict)  # tarball path under strip -> path under dest

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


DSFR_ICONS = ("system", "document", "user", "map", "arrows", "business", "design", "editor")

PACKAGES: list[Package] = [
    Package(
        "@gouvfr/dsfr",
        "1.15.3",
        "sha512-R9AALZc1LfZjtytWZMOaUIOHWTkllBZ/sZlsL8TpKZVgF3qUKXt/uNYh+L1D1Fh4p92ZqWxbtNcebsigBZe5pQ==",
        "etalab-2.0 (polices Marianne et Spectral : usage réservé aux sites de l'État)",
        STATIC / "dsfr",
        "package/",
        (
            "dist/dsfr.min.css",
            "dist/dsfr.module.min.js",
            "dist/dsfr.nomodule.min.js",
            "dist/fonts/*.woff2",
            "dist/fonts/*.woff",
            "dist/favicon/favicon.svg",
            "dist/favicon/favicon.ico",
            "dist/favicon/apple-touch-icon.png",
            *(f"dist/utility/icons/icons-{family}/icons-{family}.min.css" for family in DSFR_ICONS),
            "LICENSE.md",
        ),
        follow_css=True,
        note="système de design de l'État : CSS, JS, polices, icônes utilisées, favicon",
    ),
    Package(
        "swagger-ui-dist",
        "5.35.0",
        "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        "Apache-2.0",
        STATIC / "swagger-ui",
        "package/",
        ("swagger-ui.css", "swagger-ui-bundle.js", "LICENSE", "NOTICE"),
        note="/docs : la documentation interactive de l'API",
    ),
    Package(
        "axe-core",
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        "MPL-2.0",
        ROOT / "tests" / "vendor",
        "package/",
        ("axe.min.js", "LICENSE"),
        note="tests d'accessibilité (tests/axe.py), jamais servi",
        renames={"LICENSE": "axe-core-LICENSE"},
    ),
]

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class VendorError(Exception):
    pass


def fetch(package: Package, into: Path) -> Path:
    """The package's tarball from the registry, its integrity checked (npm's word and ours)."""
    done = subprocess.run(
        ["npm", "pack", package.spec, "--json", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    (info,) = json.loads(done.stdout)
    if info["integrity"] != package.integrity:
        raise VendorError(f"{package.spec} : intégrité annoncée {info['integrity']}, attendue {package.integrity}")
    tarball = into / info["filename"]
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != package.integrity:
        raise VendorError(f"{package.spec} : l'archive reçue ne correspond pas à l'intégrité attendue")
    return tarball


def selected(package: Package, tarball: Path) -> dict[str, bytes]:
    """The files to commit, path under dest -> content (and what the copied CSS loads, when asked)."""
    with tarfile.open(tarball, "r:gz") as archive:
        members = {
            m.name.removeprefix(package.strip): m
            for m in archive.getmembers()
            if m.isfile() and m.name.startswith(package.strip)
        }
        chosen = {name for name in members for pattern in package.files if fnmatch.fnmatchcase(name, pattern)}
        missing = [p for p in package.files if not any(fnmatch.fnmatchcase(n, p) for n in chosen)]
        if missing:
            raise VendorError(f"{package.spec} : fichiers absents de l'archive : {', '.join(missing)}")
        queue = sorted(chosen)
        while queue:
            name = queue.pop()
            if package.follow_css and name.endswith(".css"):
                text = archive.extractfile(members[name]).read().decode()
                for url in CSS_URL.findall(text):
                    if url.startswith(("data:", "#", "http:", "https:")):
                        continue
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), url.split("?")[0]))
                    if target in members and target not in chosen:
                        chosen.add(target)
                        queue.append(target)
        files = {}
        for name in sorted(chosen):
            out = package.renames.get(name, name.removeprefix("dist/"))
            files[out] = archive.extractfile(members[name]).read()
    return files


def vendor_md(packages: list[Package]) -> str:
    lines = [
        "# Fichiers tiers copiés dans le dépôt",
        "",
        "Écrit par `make vendor` (scripts/vendor.py) : chaque paquet npm est récupéré à sa version épinglée,",
        "son intégrité (sha512 du registre) vérifiée, et seuls les fichiers utilisés sont copiés. Rien n'est",
        "chargé depuis un CDN. `python scripts/vendor.py --check` compare les fichiers du dépôt avec le registre.",
        "",
        "| paquet | version | licence | dossier | usage | intégrité (sha512) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for p in packages:
        lines.append(
            f"| {p.name} | {p.version} | {p.licence} | {p.dest.relative_to(ROOT)} | {p.note} | `{p.integrity}` |"
        )
    return "\n".join(lines) + "\n"


def run(packages: list[Package], check: bool = False) -> list[str]:
    """Write (or, with check, compare) every package's files; returns the differences found."""
    differences = []
    with tempfile.TemporaryDirectory() as tmp:
        for package in packages:
            files = selected(package, fetch(package, Path(tmp)))
            if check:
                present = {str(p.relative_to(package.dest)) for p in package.dest.rglob("*") if p.is_file()}
                for name, data in files.items():
                    path = package.dest / name
                    if not path.is_file() or path.read_bytes() != data:
                        differences.append(f"{package.spec} : {path.relative_to(ROOT)} diffère du registre")
                differences += [f"{package.spec} : {n} en trop" for n in sorted(present - set(files))]
                continue
            if package.dest.parent == STATIC and package.dest.exists():  # its own folder only
                shutil.rmtree(package.dest)
            for name, data in files.items():
                path = package.dest / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            print(f"{package.spec} : {len(files)} fichiers, {sum(map(len, files.values())) // 1024} Kio")
    if not check:
        (STATIC / "VENDOR.md").write_text(vendor_md(packages), encoding="utf-8")
    return differences


def everything() -> list[Package]:
    """PACKAGES and those the other scripts/vendor_*.py declare (the map's, vendor_carte.CARTE)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    packages = list(PACKAGES)
    for path in sorted(Path(__file__).resolve().parent.glob("vendor_*.py")):
        module = importlib.import_module(path.stem)
        for value in vars(module).values():
            if isinstance(value, list) and value and all(hasattr(p, "integrity") for p in value):
                packages += [p for p in value if all(p.name != q.name for q in packages)]
    return packages


def main(argv: list[str] | None = None, packages: list[Package] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="comparer sans écrire")
    args = parser.parse_args(argv)
    try:
        differences = run(packages or everything(), check=args.check)
    except (VendorError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"échec : {exc}", file=sys.stderr)
        return 1
    for d in differences:
        print(d, file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
