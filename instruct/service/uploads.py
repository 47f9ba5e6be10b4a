"""An uploaded dossier (a zip of the dossier folder, or dossier.yaml and pieces sent apart) ->
its files, checked: sizes, entry names (no `..`, no absolute path, no link), zip bombs, and
each file's type from its content, not its name."""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from instruct.errors import InputError, Problem

MAX_UPLOAD = 60 * 1024 * 1024
MAX_FILES = 200
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100
DOSSIER_NAMES = ("dossier.yaml", "dossier.yml", "dossier.json")
PIECE_TYPES = {".pdf": "pdf", ".docx": "docx", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


def _refuse(where: str, message: str) -> InputError:
    return InputError("envoi", [Problem(where, message)])


def content_type(data: bytes) -> str:
    """What the bytes are, whatever the name says."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else "zip"
        except zipfile.BadZipFile:
            return "inconnu"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "inconnu"
    return "texte"


def safe_name(name: str) -> str | None:
    """The entry's path inside the dossier, or None when it tries to leave it."""
    if not name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return None
    parts = PurePosixPath(name).parts
    if any(p in {"..", "."} for p in parts):
        return None
    return "/".join(parts)


def from_zip(data: bytes) -> dict[str, bytes]:
    if len(data) > MAX_UPLOAD:
        raise _refuse("archive", f"archive trop volumineuse ({len(data)} octets, maximum {MAX_UPLOAD})")
    if content_type(data) != "zip":
        raise _refuse("archive", "le fichier envoyé n'est pas une archive ZIP (contenu examiné, pas le nom)")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_FILES + 1:
            raise _refuse("archive", f"trop de fichiers : {len(infos)} (au plus {MAX_FILES} pièces)")
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > MAX_UNZIPPED or total / packed > MAX_RATIO:
            raise _refuse(
                "archive", f"archive suspecte (taille décompressée {total} octets, rapport {total // packed}) : refusée"
            )
        names = {}
        for info in infos:
            name = safe_name(info.filename)
            if name is None:
                raise _refuse(info.filename, "chemin refusé dans l'archive (absolu, « .. » ou caractère interdit)")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refuse(info.filename, "lien symbolique refusé dans l'archive")
            names[name] = info
        prefix = _common_folder(list(names))
        files = {}
        for name, info in names.items():
            with archive.open(info) as handle:
                content = handle.read(info.file_size + 1)
            if len(content) != info.file_size:
                raise _refuse(name, "taille déclarée dans l'archive inexacte : refusée")
            files[name[len(prefix) :]] = content
    return check_files(files)


def _common_folder(names: list[str]) -> str:
    """A zip of the folder itself ("villebelle/dossier.yaml"): drop "villebelle/"."""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        return tops.pop() + "/"
    return ""


def from_parts(dossier: tuple[str, bytes] | None, pieces: list[tuple[str, bytes]]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if dossier is not None:
        name, data = dossier
        suffix = Path(name or "dossier.yaml").suffix.lower()
        files["dossier.json" if suffix == ".json" else "dossier.yaml"] = data
    for name, data in pieces:
        base = safe_name(Path(name or "").name)
        if base is None:
            raise _refuse(name or "pièce", "nom de pièce refusé")
        files[f"pieces/{base}"] = data
    if sum(len(d) for d in files.values()) > MAX_UPLOAD:
        raise _refuse("envoi", f"envoi trop volumineux (maximum {MAX_UPLOAD} octets)")
    return check_files(files)


def check_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """Only dossier.yaml (or .yml/.json) at the top, pieces in pieces/ or beside it; each file's
    content must be what its name says."""
    if not files:
        raise _refuse("envoi", "aucun fichier envoyé")
    if len(files) > MAX_FILES + 1:
        raise _refuse("envoi", f"trop de fichiers : {len(files)} (au plus {MAX_FILES} pièces)")
    for name, data in files.items():
        parts = name.split("/")
        kind = content_type(data)
        if name in DOSSIER_NAMES:
            if kind != "texte":
                raise _refuse(name, f"le dossier doit être un texte YAML ou JSON en UTF-8 (contenu : {kind})")
            continue
        if len(parts) > 2 or (len(parts) == 2 and parts[0] != "pieces"):
            raise _refuse(name, "emplacement refusé : dossier.yaml à la racine, les pièces dans pieces/")
        expected = PIECE_TYPES.get(Path(name).suffix.lower())
        if expected is None:
            raise _refuse(name, "type de pièce refusé : PDF, DOCX, PNG ou JPEG")
        if kind != expected:
            raise _refuse(
                name,
                f"le contenu ne correspond pas au nom : {kind} "
                f"dans un fichier .{Path(name).suffix.lower().lstrip('.')}",
            )
    if not any(n in files for n in DOSSIER_NAMES) and not any(
        PIECE_TYPES.get(Path(n).suffix.lower()) in {"pdf", "docx"} for n in files
    ):
        raise _refuse("envoi", "ni dossier.yaml ni pièce PDF ou DOCX")
    return files


def content_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def write_folder(files: dict[str, bytes], folder: Path) -> Path:
    """The files as a dossier folder `load` can read (names already checked)."""
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder


def from_uploads(archive, dossier, pieces: list) -> dict[str, bytes]:
    """Files sent by a form or the API (objects with `.file` and `.filename`): a ZIP, or dossier.yaml
    and its pieces, never both; each read up to MAX_UPLOAD."""

    def read(upload) -> bytes:
        data = upload.file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise InputError(
                "envoi",
                [
                    Problem(
                        upload.filename or "fichier",
                        f"fichier trop volumineux (maximum {MAX_UPLOAD // (1024 * 1024)} Mo)",
                    )
                ],
            )
        return data

    if archive is not None:
        if dossier is not None or pieces:
            raise InputError(
                "envoi",
                [Problem("envoi", "envoyez soit une archive ZIP, soit dossier.yaml et ses pièces, pas les deux")],
            )
        return from_zip(read(archive))
    if dossier is None and not pieces:
        raise InputError(
            "envoi",
            [Problem("envoi", "aucun fichier choisi : une archive ZIP du dossier, ou dossier.yaml et ses pièces")],
        )
    return from_parts(
        (dossier.filename or "dossier.yaml", read(dossier)) if dossier else None,
        [(p.filename or "piece", read(p)) for p in pieces],
    )
