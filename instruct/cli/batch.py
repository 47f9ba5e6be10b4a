"""`acv batch` and `acv samples generate`: the national run, and the synthetic towns to try it on."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_SOME_FAILED, EXIT_INTERRUPTED = 0, 1, 130  # 130: as a shell says of Ctrl-C


def add_parsers(sub, date_type) -> None:
    batch = sub.add_parser("batch", help="évaluer tous les dossiers d'un ou plusieurs répertoires (synthèse nationale)")
    batch.add_argument("paths", nargs="+", metavar="DIR", help="répertoire(s) de dossiers, ou dossiers et fichiers")
    batch.add_argument(
        "-o", "--sortie", required=True, help="répertoire des résultats (rapports, synthèse, tableau de bord)"
    )
    batch.add_argument(
        "--date", type=date_type, default=None, help="date d'évaluation AAAA-MM-JJ (défaut : aujourd'hui)"
    )
    batch.add_argument(
        "--referentiel", help="répertoire des référentiels officiels (acv-communes.csv, ort-communes.csv)"
    )
    batch.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processus en parallèle (défaut : un par cœur)"
    )
    batch.add_argument("--html", action="store_true", help="écrire aussi le rapport HTML de chaque dossier")
    batch.add_argument("--partenaire", action="append", help="restreindre à un jeu de règles ; répétable")
    batch.add_argument("--regles", help="répertoire des règles (défaut : le catalogue livré avec acv, rules/ du dépôt)")
    batch.add_argument(
        "--reprendre", action="store_true", help="après une interruption : ne pas refaire les dossiers déjà terminés"
    )
    batch.add_argument("--cache", help="répertoire du cache des rapports (défaut : ~/.cache/acv-instruct/lot)")
    batch.add_argument("--sans-cache", action="store_true", help="tout réévaluer, sans lire ni écrire le cache")
    batch.add_argument(
        "--dask", metavar="ADRESSE", help="ordonnanceur Dask distributed (tcp://hôte:8786) au lieu des processus locaux"
    )
    batch.add_argument("--silencieux", action="store_true", help="pas de barre de progression")

    samples = sub.add_parser("samples", help="dossiers d'exemple")
    samples_sub = samples.add_subparsers(dest="samples_command", required=True)
    generate = samples_sub.add_parser("generate", help="générer des dossiers synthétiques variés (pour essayer le lot)")
    generate.add_argument("--n", type=int, default=222, help="nombre de dossiers (défaut : 222)")
    generate.add_argument("-o", "--sortie", required=True, help="répertoire à créer (vide ou absent)")
    generate.add_argument(
        "--communes", help="liste des communes ACV (acv-communes.csv) : noms, INSEE, territoires et points réels"
    )
    generate.add_argument("--graine", type=int, default=2026, help="graine du hasard : même graine, mêmes dossiers")
    generate.add_argument("--sans-pieces", action="store_true", help="sans pièces PDF/DOCX")
    generate.add_argument(
        "--modeles",
        default="samples",
        help="répertoire des dossiers modèles villebelle, montclair, saint-aubin, belcastel "
        "(samples/ du dépôt ; défaut : samples, depuis la racine du dépôt)",
    )


def cmd_batch(args: argparse.Namespace) -> int:
    from instruct.batch import run as batch
    from instruct.batch.outputs import write_outputs
    from instruct.batch.progress import Progress
    from instruct.batch.settings import make_settings, synthesis_catalogue
    from instruct.batch.store import Cache, default_cache, read_journal
    from instruct.batch.synthesis import global_verdict
    from instruct.errors import InputError, Problem
    from instruct.french import french_number

    if args.workers < 1:
        raise InputError("--workers", [Problem("", "au moins 1 processus")])
    out = Path(args.sortie)
    if out.exists() and not out.is_dir():
        raise InputError(str(out), [Problem("", "existe et n'est pas un répertoire")])
    as_of = args.date or dt.date.today()
    settings, catalogue = make_settings(as_of, args.regles, args.referentiel, args.partenaire, args.html)
    cache = None if args.sans_cache else Cache(Path(args.cache) if args.cache else default_cache())
    runner = batch.dask_runner(args.dask) if args.dask else batch.local_runner(args.workers)
    progress = None if args.silencieux else Progress(sys.stderr)
    try:
        outcome = batch.run_batch(
            args.paths,
            out,
            settings,
            runner=runner,
            cache=cache,
            resume=args.reprendre,
            progress=progress,
        )
    except KeyboardInterrupt:
        done = len(read_journal(out))
        sys.stderr.write(
            f"\nInterrompu : {done} dossier(s) terminé(s) et gardé(s) dans {out}. "
            "Relancez la même commande avec --reprendre pour finir sans les refaire.\n"
        )
        return EXIT_INTERRUPTED
    rulesets, rules = synthesis_catalogue(catalogue, args.partenaire)
    meta = {
        "date": as_of.isoformat(),
        "genere_le": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "regles": catalogue.digest,
        "dossiers": len(outcome.rows),
        "erreurs": len(outcome.failed),
        "duree_s": round(outcome.seconds, 2),
        "version": _version(),
    }
    files = write_outputs(out, outcome.rows, rulesets, rules, meta)
    verdicts = [global_verdict(r) for r in outcome.rows]
    sys.stdout.write(
        f"{len(outcome.rows)} dossiers : {verdicts.count('recevable')} recevable(s), "
        + (f"{n} sans point applicable, " if (n := verdicts.count("sans_objet")) else "")
        + f"{verdicts.count('a_corriger')} à corriger, "
        f"{verdicts.count('incomplet')} incomplet(s), "
        f"{verdicts.count('non_recevable')} non recevable(s), {len(outcome.failed)} illisible(s) ; "
        f"évalués {outcome.evaluated}, repris du cache {outcome.from_cache}, "
        f"déjà faits {outcome.resumed} ; {french_number(outcome.seconds, 1)} s\n"
    )
    for row in outcome.failed[:10]:
        sys.stdout.write(f"  illisible : {row['dossier']} — {row['erreur']}\n")
    if len(outcome.failed) > 10:
        sys.stdout.write(f"  … et {len(outcome.failed) - 10} autres (voir synthese.csv)\n")
    sys.stdout.write("".join(f"→ {path}\n" for path in files))
    return EXIT_SOME_FAILED if outcome.failed else EXIT_OK


def cmd_samples(args: argparse.Namespace) -> int:
    from instruct.samples import synthetic

    folders = synthetic.generate(
        args.n,
        Path(args.sortie),
        templates=Path(args.modeles),
        communes=Path(args.communes) if args.communes else None,
        seed=args.graine,
        documents=not args.sans_pieces,
    )
    sys.stdout.write(
        f"{len(folders)} dossiers synthétiques écrits dans {args.sortie} "
        f"(liste : {Path(args.sortie) / 'manifeste.csv'})\n"
    )
    return EXIT_OK


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("acv-instruct")
    except PackageNotFoundError:
        return "inconnue"
