"""An uploaded dossier (a zip of the dossier folder, or dossier.yaml and pieces sent apart) ->
its files, checked: sizes, entry names (no `..`, no absolute path, no link), zip bombs, encrypted
or damaged archives, and each file's type from its content, not its name.

Names are normalised to NFC; a name holding a control or format character (bidi overrides among
them: they make « avenant\u202efdp.docx » display as « avenantxcod.pdf ») is refused, as is a path
over 255 bytes in UTF-8 (the file system's and the database's limit). Two files whose names differ
only by case or Unicode form (NFKC, case-folded) are refused together, never one dropped for the
other: on a case-insensitive disk and to a reader they are the same piece."""

from __future__ import annotations

import hashlib
import io
import lzma
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from instruct.errors import InputError, Problem

MAX_UPLOAD = 60 * 1024 * 1024
MAX_FILES = 200
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 1000  # entries of a ZIP's central directory, folders included (read before the archive is opened)
MAX_DIRECTORY = 1024 * 1024  # bytes of that directory
MAX_NAME_BYTES = 255  # a path in the dossier ("pieces/avenant.pdf"), and each folder of an entry, in UTF-8
DOSSIER_NAMES = ("dossier.yaml", "dossier.yml", "dossier.json")
PIECE_TYPES = {".pdf": "pdf", ".docx": "docx", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


def _refuse(where: str, message: str) -> InputError:
    return InputError("envoi", [Problem(where, message)])


def content_type(data: bytes) -> str:
    """What the bytes are, whatever the name says."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if zip_directory_problem(data) is not None:
            return "inconnu"
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else "zip"
        except ZIP_ERRORS:
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


ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    zlib.error,
    lzma.LZMAError,
)  # what zipfile raises on a damaged, truncated, encrypted or exotic archive
BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C}
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}  # controls, format (bidi, zero width), surrogates, private


def safe_name(name: str) -> str | None:
    """The entry's path inside the dossier, or None when it tries to leave it."""
    if not name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return None
    parts = PurePosixPath(name).parts
    if any(p in {"..", "."} for p in parts):
        return None
    return "/".join(parts)


def shown(name: str, limit: int = 120) -> str:
    """A name as a message may show it: refused characters written U+XXXX (a bidi override shown as
    such, not obeyed), a very long name shortened with its length (the file keeps its whole name)."""
    text = "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) in REFUSED_CATEGORIES else c for c in name)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(name.encode('utf-8', 'replace'))} octets)"


def name_problem(name: str) -> str | None:
    """Why a received name (already NFC) cannot be kept, in French; None when it can."""
    for char in name:
        if ord(char) in BIDI:
            return (
                f"caractère de contrôle bidirectionnel U+{ord(char):04X} refusé dans le nom "
                "(il change l'ordre d'affichage : le nom lu ne serait pas le nom réel)"
            )
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            return f"caractère invisible ou de contrôle U+{ord(char):04X} refusé dans le nom"
    for part in name.split("/"):
        size = len(part.encode("utf-8"))
        if size > MAX_NAME_BYTES:
            return f"nom trop long : {size} octets en UTF-8 (au plus {MAX_NAME_BYTES})"
        if part.startswith("."):
            return "nom commençant par un point (fichier caché) refusé"
    return None


def same_piece_key(name: str) -> str:
    """What makes two received files the same piece: the file name (a piece lies in pieces/ or
    beside dossier.yaml), its compatibility form, case-folded."""
    base = name.rsplit("/", 1)[-1]
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", base).casefold())


def collect(received: list[tuple[str, str, bytes]]) -> dict[str, bytes]:
    """(name as sent, path in the dossier, content) -> the dossier's files: each path normalised to
    NFC and checked; two files that would be one piece (or two dossier files) refused, naming both."""
    files: dict[str, bytes] = {}
    seen: dict[str, str] = {}
    for sent, path, data in received:
        path = unicodedata.normalize("NFC", path)
        problem = name_problem(path)
        if problem is None and len(path.encode("utf-8")) > MAX_NAME_BYTES:
            problem = (
                f"chemin trop long : « {shown(path, 60)} » fait {len(path.encode('utf-8'))} octets en UTF-8 "
                f"(au plus {MAX_NAME_BYTES}, dossier pieces/ compris)"
            )
        if problem is not None:
            raise _refuse(shown(sent), problem)
        key = "dossier" if path in DOSSIER_NAMES else same_piece_key(path)
        if key in seen:
            raise _refuse(
                shown(sent),
                f"deux fichiers pour une même pièce : « {shown(seen[key])} » et « {shown(sent)} » "
                f"({_likeness(seen[key], sent)}) : renommez ou retirez l'un des deux"
                if key != "dossier"
                else f"deux fichiers du dossier : « {shown(seen[key])} » et « {shown(sent)} » : gardez-en un",
            )
        seen[key] = sent
        files[path] = data
    return files


def _likeness(first: str, second: str) -> str:
    first, second = (n.rsplit("/", 1)[-1] for n in (first, second))
    if first == second:
        return "même nom"
    nfc = [unicodedata.normalize("NFC", n) for n in (first, second)]
    if nfc[0] == nfc[1]:
        return "même nom, écrit sous deux formes Unicode (NFC et NFD)"
    if nfc[0].casefold() == nfc[1].casefold():
        return "noms identiques aux majuscules près"
    return "noms équivalents en Unicode (forme de compatibilité NFKC)"


def zip_directory_problem(data: bytes) -> str | None:
    """Read the end of a ZIP before opening it: a central directory of more than MAX_ENTRIES entries
    or MAX_DIRECTORY bytes would take seconds and hundreds of MB to list (zipfile reads it whole)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return "fin d'archive introuvable (archive tronquée ou endommagée)"
    entries, size = struct.unpack_from("<HL", data, end + 10)
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
        start = end - 20 - 56
        if start < 0 or data[start : start + 4] != b"PK\x06\x06":
            return "fin d'archive ZIP64 illisible (archive endommagée)"
        entries, size = struct.unpack_from("<QQ", data, start + 32)
    if entries > MAX_ENTRIES or size > MAX_DIRECTORY:
        return f"archive suspecte : {entries} entrées, répertoire de {size} octets (au plus {MAX_ENTRIES} entrées)"
    return None


def from_zip(data: bytes) -> dict[str, bytes]:
    if len(data) > MAX_UPLOAD:
        raise _refuse("archive", f"archive trop volumineuse ({len(data)} octets, maximum {MAX_UPLOAD})")
    if data.startswith(b"PK\x03\x04") and (problem := zip_directory_problem(data)) is not None:
        raise _refuse("archive", problem)
    if content_type(data) != "zip":
        raise _refuse(
            "archive",
            "le fichier envoyé n'est pas une archive ZIP lisible (contenu examiné, pas le nom) : "
            "archive tronquée, endommagée ou d'un autre type",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return check_files(_unzip(archive))
    except ZIP_ERRORS as error:
        raise _refuse("archive", f"archive endommagée ou illisible ({type(error).__name__})") from None


def _unzip(archive: zipfile.ZipFile) -> dict[str, bytes]:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_FILES + 1:
        raise _refuse("archive", f"trop de fichiers : {len(infos)} (au plus {MAX_FILES} pièces)")
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNZIPPED or total / packed > MAX_RATIO:
        raise _refuse(
            "archive", f"archive suspecte (taille décompressée {total} octets, rapport {total // packed}) : refusée"
        )
    entries = []
    for info in infos:
        name = safe_name(info.filename)
        if name is None:
            raise _refuse(shown(info.filename), "chemin refusé dans l'archive (absolu, « .. » ou caractère interdit)")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(shown(name), "lien symbolique refusé dans l'archive")
        if info.flag_bits & 0x1:
            raise _refuse(
                shown(name), "fichier chiffré (protégé par un mot de passe) : envoyez l'archive sans mot de passe"
            )
        if info.compress_type not in {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}:
            raise _refuse(
                shown(name), f"méthode de compression {info.compress_type} non prise en charge (Deflate attendu)"
            )
        problem = name_problem(unicodedata.normalize("NFC", name))
        if problem is not None:
            raise _refuse(shown(name), problem)
        entries.append((name, info))
    prefix = _common_folder([name for name, _ in entries])
    received = []
    for name, info in entries:
        try:
            with archive.open(info) as handle:
                content = handle.read(info.file_size + 1)
        except ZIP_ERRORS as error:
            raise _refuse(shown(name), f"fichier endommagé dans l'archive ({_damage(error)}) : refusé") from None
        if len(content) != info.file_size:
            raise _refuse(shown(name), "taille déclarée dans l'archive inexacte : refusée")
        received.append((name, name[len(prefix) :], content))
    return collect(received)


def _damage(error: Exception) -> str:
    text = str(error)
    if "CRC" in text:
        return "somme de contrôle CRC fausse"
    if isinstance(error, (EOFError, zlib.error, lzma.LZMAError)) or "magic" in text.lower():
        return "données tronquées ou corrompues"
    return "lecture impossible"


def _common_folder(names: list[str]) -> str:
    """A zip of the folder itself ("villebelle/dossier.yaml"): drop "villebelle/"."""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        return tops.pop() + "/"
    return ""


def from_parts(dossier: tuple[str, bytes] | None, pieces: list[tuple[str, bytes]]) -> dict[str, bytes]:
    received: list[tuple[str, str, bytes]] = []
    if dossier is not None:
        name, data = dossier
        suffix = Path(name or "dossier.yaml").suffix.lower()
        received.append((name or "dossier.yaml", "dossier.json" if suffix == ".json" else "dossier.yaml", data))
    for name, data in pieces:
        base = safe_name(Path(name or "").name)
        if base is None:
            raise _refuse(shown(name or "pièce"), "nom de pièce refusé")
        received.append((name, f"pieces/{base}", data))
    if sum(len(d) for _, _, d in received) > MAX_UPLOAD:
        raise _refuse("envoi", f"envoi trop volumineux (maximum {MAX_UPLOAD} octets)")
    return check_files(collect(received))


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


FORM_ERRORS = [  # python-multipart's (and Starlette's) English, as Starlette raises it: HTTPException(400, detail)
    (r"Too many files\. Maximum number of files is (\d+)\.", 413, "trop de fichiers dans l'envoi (au plus {})"),
    (r"Too many fields\. Maximum number of fields is (\d+)\.", 413, "trop de champs dans le formulaire (au plus {})"),
    (r"(?:Field|Part) exceeded maximum size of (\d+)KB\.", 413, "champ du formulaire trop long (au plus {} Ko)"),
    (r"Missing boundary in multipart\.", 422, "formulaire illisible : délimiteur (boundary) absent du Content-Type"),
    (r"Invalid multipart data\.", 422, "formulaire illisible : données multipart invalides"),
    (r'The Content-Disposition header field "name" must be provided\.', 422, "partie du formulaire sans nom"),
]


def form_error(status: int, detail: object) -> tuple[int, str] | None:
    """A refused form's status and French message, or None when the error is not a form's."""
    if status != 400 or not isinstance(detail, str):
        return None
    for pattern, code, message in FORM_ERRORS:
        found = re.fullmatch(pattern, detail)
        if found:
            return code, message.format(*found.groups())
    return None
