"""What every `acv` command shares: its exit statuses and writing a file with a French error."""

from __future__ import annotations

from pathlib import Path

from instruct.errors import InputError, Problem

# 0 nothing to fix, 1 gaps found, 2 bad input (said in French), 3 internal error.
EXIT_OK, EXIT_GAPS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def write(path: str | Path, content: bytes) -> None:
    try:
        Path(path).write_bytes(content)
    except OSError as exc:
        raise InputError(str(path), [Problem("", f"écriture impossible : {exc.strerror}")]) from None
