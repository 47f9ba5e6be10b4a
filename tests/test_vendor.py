"""`make vendor` without the registry: a fake `npm` on PATH hands a tarball made here, and the script
keeps only the files asked for and what their CSS loads, refuses a tarball whose integrity is not
the pinned one, and in --check mode reports a committed file that differs."""

import base64
import hashlib
import importlib.util
import io
import json
import os
import sys
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "vendor.py"


@pytest.fixture(scope="module")
def vendor():
    spec = importlib.util.spec_from_file_location("vendor_under_test", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def fake_npm(tmp_path, monkeypatch):
    """An `npm` whose `pack` writes the given tarball and says its integrity (or a lie)."""

    def install(data: bytes, said: str | None = None) -> None:
        (tmp_path / "paquet.tgz").write_bytes(data)
        answer = json.dumps([{"filename": "demo-1.0.0.tgz", "integrity": said or integrity(data)}])
        script = tmp_path / "bin" / "npm"
        script.parent.mkdir(exist_ok=True)
        script.write_text(
            "#!/bin/sh\n"
            '# npm pack SPEC --json --pack-destination DIR\ncp "$(dirname "$0")/../paquet.tgz" "$5/demo-1.0.0.tgz"\n'
            f"echo '{answer}'\n"
        )
        script.chmod(0o755)
        monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")

    return install


FILES = {
    "dist/demo.min.css": b".a{background:url(icons/a.svg)}.b{mask:url('../fonts/f.woff2')}.c{background:url(data:x)}",
    "dist/icons/a.svg": b"<svg/>",
    "dist/icons/unused.svg": b"<svg/>",
    "fonts/f.woff2": b"font",
    "dist/demo.js": b"js",
    "LICENSE": b"licence",
}


def test_only_the_files_used_and_what_their_css_loads(vendor, fake_npm, tmp_path, monkeypatch):
    data = tarball(FILES)
    fake_npm(data)
    monkeypatch.setattr(vendor, "STATIC", tmp_path / "static")
    monkeypatch.setattr(vendor, "ROOT", tmp_path)
    package = vendor.Package(
        "demo", "1.0.0", integrity(data), "MIT", tmp_path / "static" / "demo", "package/",
        ("dist/demo.min.css", "LICENSE"), follow_css=True, renames={"LICENSE": "demo-LICENSE"},
    )  # fmt: skip
    assert vendor.run([package]) == []
    written = sorted(str(p.relative_to(package.dest)) for p in package.dest.rglob("*") if p.is_file())
    assert written == ["demo-LICENSE", "demo.min.css", "fonts/f.woff2", "icons/a.svg"]
    assert "`" + integrity(data) + "`" in (tmp_path / "static" / "VENDOR.md").read_text(encoding="utf-8")
    assert vendor.run([package], check=True) == []
    (package.dest / "icons" / "a.svg").write_bytes(b"<svg>changed</svg>")
    (package.dest / "extra.js").write_bytes(b"")
    found = vendor.run([package], check=True)
    assert any("a.svg diffère du registre" in d for d in found) and any("extra.js en trop" in d for d in found)


def test_a_tarball_not_the_pinned_one_is_refused(vendor, fake_npm, tmp_path, monkeypatch):
    data = tarball(FILES)
    monkeypatch.setattr(vendor, "STATIC", tmp_path / "static")
    pinned = vendor.Package(
        "demo", "1.0.0", integrity(b"autre"), "MIT", tmp_path / "static" / "d", "package/", ("LICENSE",)
    )
    fake_npm(data)  # npm says the truth: not the pinned integrity
    with pytest.raises(vendor.VendorError, match="intégrité annoncée"):
        vendor.run([pinned])
    fake_npm(data, said=integrity(b"autre"))  # npm says the pinned one, the bytes are not
    with pytest.raises(vendor.VendorError, match="ne correspond pas"):
        vendor.run([pinned])
    missing = replace(pinned, integrity=integrity(data), files=("dist/absent.css",))
    fake_npm(data)
    with pytest.raises(vendor.VendorError, match="absent"):
        vendor.run([missing])
    assert not (tmp_path / "static" / "d").exists()
