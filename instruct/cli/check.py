"""`acv check PATH [PATH ...]`: one dossier's report, or several in one process sharing the rules, the
referentiel and the imports already paid (a town checking its versions, a delegation its immeubles).

With several paths, each report goes to `-o DIR` (one file per dossier, named after it) or, for the text and
Markdown formats, to the terminal one after the other under the dossier's name. A dossier that cannot be read
is said on the error output and the others are still checked; the exit status is the worst one."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
from pathlib import Path

from instruct.cli.output import EXIT_GAPS, EXIT_INPUT, EXIT_OK, write
from instruct.errors import InputError, Problem
from instruct.reports import formats

ON_A_TERMINAL = ("text", "markdown")  # the formats several reports can follow one another in
_FROZEN: list[bool] = []  # once per process: what a later call in the same process loads is collected as usual


@contextlib.contextmanager
def start_up():
    """The imports, the catalogue and the referentiel loaded without the cycle collector, then frozen
    (gc.freeze, as the service's evaluation workers do): they live until the process exits, yet the
    collector's passes over them while they load and the checks run, and its full pass at exit, were
    ≈ 15 % of a warm `acv check` (villebelle: 705 against 852 ms of CPU, same run). The collector is on
    again for the checks themselves (and the piece-reading child forked by them)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not _FROZEN:
                _FROZEN.append(True)
                gc.freeze()
            gc.enable()


def cmd_check(args) -> int:
    with start_up():
        from instruct.engine.check import check_path
        from instruct.referentiel.registry import load_referentiel
        from instruct.rules.catalogue import load_catalogue

        chosen = formats.get(args.format)
        several = len(args.path) > 1
        _refuse_what_cannot_be_written(chosen, args.output, several)
        catalogue = load_catalogue(args.regles)
        partenaires = [p.strip() for item in (args.partenaire or []) for p in item.split(",") if p.strip()]
        catalogue.select(partenaires)  # unknown names are an input error before any reading
        referentiel = load_referentiel(args.referentiel) if args.referentiel else None
    colour = args.output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    options = formats.Options(colour=colour, show_all=args.tout)
    names = _file_names(args.path, chosen.extension) if several else {}
    worst = EXIT_OK
    for path in args.path:
        try:
            report = check_path(
                path,
                catalogue,
                args.date or dt.date.today(),
                referentiel=referentiel,
                partenaires=partenaires,
                engine=args.moteur,
            )
        except InputError as exc:
            if not several:
                raise
            sys.stderr.write(f"Erreur : {exc.render()}\n")
            worst = EXIT_INPUT
            continue
        if args.output:
            target = Path(args.output) / names[path] if several else Path(args.output)
            write(target, chosen.render_bytes(report, options))
        else:
            if several:
                sys.stdout.write(f"{'' if path == args.path[0] else chr(10)}=== {path}\n")
            sys.stdout.write(chosen.render(report, options))
        if not report.recevable:
            worst = max(worst, EXIT_GAPS)
    return worst


def _refuse_what_cannot_be_written(chosen: formats.ReportFormat, output: str | None, several: bool) -> None:
    if chosen.binary and not output:
        message = f"un rapport {chosen.name.upper()} s'écrit dans un fichier : ajoutez -o rapport{chosen.extension}"
        raise InputError(f"--format {chosen.name}", [Problem("", message)])
    if several and output is None and chosen.name not in ON_A_TERMINAL:
        message = f"plusieurs rapports {chosen.name.upper()} s'écrivent dans un répertoire : ajoutez -o RÉPERTOIRE"
        raise InputError(f"--format {chosen.name}", [Problem("", message)])
    if several and output is not None:
        folder = Path(output)
        if folder.exists() and not folder.is_dir():
            raise InputError(output, [Problem("", "avec plusieurs dossiers, -o nomme un répertoire, pas un fichier")])
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(output, [Problem("", f"répertoire impossible à créer : {exc.strerror}")]) from None


def _file_names(paths: list[str], extension: str) -> dict[str, str]:
    """Each dossier's report file: its folder's or file's name (« saint-aubin.txt »), made unique."""
    from instruct.batch.store import unique_names

    stems = ((p, Path(p).resolve().name if Path(p).is_dir() else Path(p).stem) for p in dict.fromkeys(paths))
    return {path: name + extension for path, name in unique_names(stems).items()}
