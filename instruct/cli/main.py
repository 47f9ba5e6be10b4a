"""`acv`: a thin shell over instruct.engine.check (and the rule catalogue)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from instruct.cli import batch as cli_batch
from instruct.cli import check as cli_check
from instruct.cli import courriels as cli_courriels
from instruct.cli import regles as cli_regles
from instruct.cli import users as cli_users
from instruct.cli.output import EXIT_GAPS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, write
from instruct.errors import InputError, Problem
from instruct.french import ISO, parse_date
from instruct.reports import formats
from instruct.vocabulary import canonical_partner


def _date(text: str) -> dt.date:
    try:
        return parse_date(text, ISO)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class _Parser(argparse.ArgumentParser):
    """argparse speaks English: its usage errors are put in French for the user."""

    WORDS = (
        ("the following arguments are required", "arguments obligatoires manquants"),
        ("invalid choice", "choix invalide"),
        ("choose from", "choix possibles"),
        ("unrecognized arguments", "arguments inconnus"),
        ("expected one argument", "une valeur attendue"),
        ("argument ", "option "),
    )

    def error(self, message: str):
        for english, french in self.WORDS:
            message = message.replace(english, french)
        self.exit(EXIT_INPUT, f"Erreur : {message}\nAide : {self.prog} --help\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="acv", description="Instruction des dossiers Action Cœur de Ville.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="évaluer un dossier et produire le rapport d'écarts")
    check.add_argument(
        "path",
        nargs="+",
        help="dossier (répertoire avec dossier.yaml ou pièces) ou fichier YAML/JSON ; un ou plusieurs",
    )
    check.add_argument("--date", type=_date, default=None, help="date d'évaluation AAAA-MM-JJ (défaut : aujourd'hui)")
    check.add_argument("--referentiel", help="répertoire des référentiels officiels (acv-communes.csv)")
    check.add_argument("--format", choices=formats.names(), default="text")
    check.add_argument(
        "-o",
        "--output",
        help="écrire le rapport dans ce fichier (plusieurs dossiers : dans ce répertoire, un par dossier)",
    )
    check.add_argument(
        "--partenaire", action="append", help="restreindre à un jeu de règles (programme, …) ; répétable"
    )
    check.add_argument(
        "--moteur", choices=("durable", "python"), default="durable", help="moteur d'évaluation (python : référence)"
    )
    check.add_argument("--regles", help="répertoire des règles (défaut : le catalogue livré avec acv, rules/ du dépôt)")
    check.add_argument(
        "--tout", action="store_true", help="texte : lister aussi les points conformes et non applicables"
    )

    ort = sub.add_parser("ort", help="questions ORT (DDT)")
    ort_sub = ort.add_subparsers(dest="ort_command", required=True)
    commerce = ort_sub.add_parser(
        "commerce", help="un projet commercial est-il exempté d'AEC, ou suspendable par le préfet ?"
    )
    commerce.add_argument("path", help="dossier (avec sa section ort)")
    commerce.add_argument("--point", required=True, help="LON,LAT du projet (WGS 84)")
    commerce.add_argument("--surface", required=True, help="surface de vente en m²")
    commerce.add_argument("--alimentaire", action="store_true", help="commerce à prédominance alimentaire")
    commerce.add_argument(
        "--artificialisation",
        choices=("oui", "non"),
        default=None,
        help="le projet artificialise-t-il les sols ? (sans réponse, l'exemption n'est pas tranchée)",
    )
    commerce.add_argument("--date", type=_date, default=None, help="date de la question (défaut : aujourd'hui)")
    commerce.add_argument("--format", choices=("text", "json"), default="text")
    commerce.add_argument("--regles", help="répertoire des règles")

    checklist = sub.add_parser(
        "checklist", help="liste des pièces et informations à fournir, générée depuis les règles"
    )
    checklist.add_argument(
        "--partenaire",
        required=True,
        type=canonical_partner,
        help="programme, action-logement, anah, anru, ort, coherence",
    )
    checklist.add_argument("--etape", choices=("initialisation", "deploiement", "operateur"))
    checklist.add_argument("--format", choices=("markdown", "docx"), default="markdown")
    checklist.add_argument(
        "--date", type=_date, default=None, help="paramètres en vigueur à cette date (défaut : aujourd'hui)"
    )
    checklist.add_argument("-o", "--output", help="écrire dans ce fichier (obligatoire en docx)")
    checklist.add_argument("--regles", help="répertoire des règles")
    checklist.add_argument(
        "--tous", metavar="DIR", help="écrire dans DIR la liste Markdown de chaque partenaire et étape"
    )

    ingest = sub.add_parser("ingest", help="afficher ce qui est lu d'une pièce (PDF, DOCX)")
    ingest.add_argument("file")
    ingest.add_argument("--format", choices=("text", "json"), default="text")

    schema = sub.add_parser("schema", help="afficher le schéma JSON du format de dossier (ou des fichiers de règles)")
    schema.add_argument(
        "--regles", action="store_true", help="schéma des fichiers de règles (rules/*.yaml) et des paramètres datés"
    )
    schema.add_argument("-o", "--output", help="écrire le schéma dans ce fichier")

    serve = sub.add_parser("serve", help="démarrer le service web (API et pages)")
    serve.add_argument("--hote", default="127.0.0.1", help="adresse d'écoute (défaut : 127.0.0.1, boucle locale)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--base", help="URL de la base (défaut : ACV_DATABASE_URL, sinon sqlite:///acv-instruct.sqlite3)"
    )
    serve.add_argument("--referentiel", help="répertoire des référentiels officiels")
    serve.add_argument("--workers", type=int, default=1, help="processus uvicorn")
    serve.add_argument(
        "--moteur",
        choices=("durable", "python"),
        help="moteur d'évaluation (défaut : ACV_MOTEUR, sinon durable) ; ACV_EVALUATEURS processus d'évaluation (2)",
    )

    cli_users.add_parsers(sub)
    cli_courriels.add_parsers(sub)
    cli_batch.add_parsers(sub, _date)

    rules = sub.add_parser("rules", help="lister le catalogue des règles, ou la page d'une règle (acv rules PROG-07)")
    rules.add_argument("id", nargs="?", help="identifiant d'une règle : sa page (conditions, paramètres, exemples)")
    rules.add_argument("--regles", help="répertoire des règles")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    cli_regles.add_docs_parser(sub)
    return parser


def _emit(output: str | None, text: str) -> None:
    """Text to the file asked for (-o), else to the terminal."""
    if output:
        write(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def _cmd_ort(args) -> int:
    from instruct.documents.load import load
    from instruct.engine.ort_commerce import answer, point_warnings
    from instruct.model.fields import read_point, read_surface
    from instruct.rules.catalogue import load_catalogue

    try:
        lon, lat = read_point(args.point)
    except ValueError as exc:
        raise InputError("--point", [Problem("", str(exc))]) from None
    try:
        surface = read_surface(args.surface)
    except ValueError as exc:
        raise InputError("--surface", [Problem("", str(exc))]) from None
    catalogue = load_catalogue(args.regles)
    dossier = load(args.path).dossier
    for warning in point_warnings(dossier, lon, lat):  # the answer is still given, for the point as typed
        sys.stderr.write(f"Attention : {warning.message} (--point attend LON,LAT)\n")
    result = answer(
        dossier,
        lon,
        lat,
        surface,
        args.alimentaire,
        catalogue.parameters,
        args.date or dt.date.today(),
        artificialise={"oui": True, "non": False}.get(args.artificialisation),
    )
    sys.stdout.write(
        json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n" if args.format == "json" else result.render()
    )
    return EXIT_OK


def _cmd_checklist(args) -> int:
    from instruct.reports import checklist
    from instruct.rules.catalogue import STAGES, load_catalogue

    catalogue = load_catalogue(args.regles)
    catalogue.select([args.partenaire])
    when = args.date or dt.date.today()
    if args.tous:
        folder = Path(args.tous)
        folder.mkdir(parents=True, exist_ok=True)
        for partenaire in checklist.partners(catalogue):
            for stage in STAGES:
                if checklist.items(catalogue, partenaire, stage, when):
                    write(
                        str(folder / f"{partenaire}-{stage}.md"),
                        checklist.render_markdown(catalogue, partenaire, stage, when).encode("utf-8"),
                    )
        return EXIT_OK
    if args.format == "docx":
        if not args.output:
            raise InputError(
                "--format docx", [Problem("", "une liste DOCX s'écrit dans un fichier : ajoutez -o liste.docx")]
            )
        write(args.output, checklist.render_docx(catalogue, args.partenaire, args.etape, when))
        return EXIT_OK
    text = checklist.render_markdown(catalogue, args.partenaire, args.etape, when)
    _emit(args.output, text)
    return EXIT_OK


def _cmd_ingest(args) -> int:
    from instruct.documents.extract import summary
    from instruct.documents.read import read_piece_isolated

    path = Path(args.file)
    if not path.is_file():
        raise InputError(args.file, [Problem("", "fichier introuvable")])
    result = summary(read_piece_isolated(path))
    if args.format == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    sys.stdout.write(ingest_text(result))
    return EXIT_OK if result["lisible"] else EXIT_GAPS


def _confidence(value: dict) -> str:
    """How sure the reader is of one value, in French: nothing when certain."""
    if value.get("confiance", 1) >= 1:
        return ""
    percent = f"confiance {round(value['confiance'] * 100)} %"
    return f" — {value['lecture']} ({percent}), à vérifier" if value.get("lecture") else f" ({percent})"


def ingest_text(result: dict) -> str:
    """What was read from one piece, in French words (labels, dates, amounts), each with where."""
    from decimal import Decimal

    from instruct.documents.doubts import ROLE_NAMES
    from instruct.documents.evidence import DOUBTFUL, SURE
    from instruct.facts.pieces import KIND_LABELS
    from instruct.french import french_amount, french_date_text
    from instruct.vocabulary import TRAME_AVENANT, TRAME_CONVENTION

    def euros(text: str | None) -> str:
        return french_amount(Decimal(text)) if text else "montant non lu"

    parts = {**TRAME_CONVENTION, **TRAME_AVENANT}
    out = [
        f"{result['fichier']} ({result['format']}) : {result['blocs']} bloc(s) de texte"
        + (" — tronqué" if result["tronque"] else "")
    ]
    out += [f"  Problème : {p}" for p in result["problemes"]]
    if not result["lisible"]:
        return "\n".join(out) + "\n"
    kind_confidence = result.get("type_confiance", 1.0)
    out.append(
        f"Type reconnu : {KIND_LABELS.get(result['type'], result['type']) if result['type'] else 'non reconnu'}"
        + (f" n° {result['numero']}" if result["numero"] else "")
        + _confidence(
            {"confiance": kind_confidence, **({"lecture": DOUBTFUL} if kind_confidence < SURE else {})}
            if result["type"]
            else {}
        )
    )
    for title, key in (("Parties", "parties"), ("Signatures", "signatures")):
        if result[key]:
            out.append(f"{title} :")
            out += [
                f"  {ROLE_NAMES.get(p['role'], p['role'])} : {p['organisme']}"
                + (f" — {p['nom']}" if p["nom"] else "")
                + (" (nom lu avec doute, à vérifier)" if p.get("nom_confiance", 1.0) < SURE else "")
                + (f", {p['qualite']}" if p["qualite"] else "")
                + (f" (délibération du {french_date_text(p['deliberation'])})" if p["deliberation"] else "")
                + f" [{p['ou']}]"
                + _confidence(p)
                for p in result[key]
            ]
    if result["date_signature"]:
        s = result["date_signature"]
        out.append(f"Date de signature : {french_date_text(s['date'])} [{s['ou']}] « {s['texte']} »{_confidence(s)}")
    if result["trame"] or result["trame_absente"]:
        out.append("Trame :")
        out += [
            f"  ✓ {parts.get(code, code)} — {q['ou']} : « {q['texte']} »{_confidence(q)}"
            for code, q in result["trame"].items()
        ]
        absent = "absente" if result.get("trame_sure", True) else "non trouvée (absence incertaine)"
        out += [f"  ✗ {parts.get(code, code)} : {absent}" for code in result["trame_absente"]]
    if result["actions"]:
        out.append(f"Actions ({len(result['actions'])}) :")
        out += [
            f"  {a['id'] or '—'} {a['intitule']} — {a['maitre_ouvrage'] or 'maître d’ouvrage non lu'} — "
            f"{euros(a['cout'])} [{a['ou']}]" + _confidence(a)
            for a in result["actions"]
        ]
    names = {"total": "montant total", "part_cofinanceurs": "part des cofinanceurs", "part_porteur": "part du porteur"}
    out += [
        f"Budget, {names.get(name, name)} : {euros(b['montant'])} [{b['ou']}]{_confidence(b)}"
        for name, b in result["budget"].items()
    ]
    if result.get("doutes"):
        out.append("À vérifier dans la pièce (jamais tenu pour sûr) :")
        out += [f"  {doubt}" for doubt in result["doutes"]]
    out += [f"Date : {french_date_text(d['date'])} ({d['ou']}) « {d['texte']} »" for d in result["dates"][:20]]
    out += [f"Montant : {euros(m['montant'])} ({m['ou']}) « {m['texte']} »" for m in result["montants"][:20]]
    return "\n".join(out) + "\n"


def _cmd_schema(args) -> int:
    if args.regles:  # for an editor: `# yaml-language-server: $schema=regles.schema.json` atop a rule file
        from instruct.rules.schema import json_schema

        schema = json_schema()
    else:
        from instruct.model.dossier import Dossier

        schema = Dossier.model_json_schema()
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    _emit(args.output, text)
    return EXIT_OK


def _cmd_rules(args) -> int:
    if args.id:
        return cli_regles.cmd_rule(args)
    with cli_check.start_up():  # as `acv check` does: 0.88 of the command's CPU (alternated, fresh processes)
        from instruct.rules.catalogue import load_catalogue

        catalogue = load_catalogue(args.regles)
    rows = [
        {
            "id": r.id,
            "check": r.check,
            "ruleset": rs.code,
            "partenaire": rs.partenaire,
            "title": r.title,
            "severity": r.severity,
            "scope": r.scope,
            "source": str(r.source),
        }
        for rs in catalogue.rulesets.values()
        for r in rs.rules
    ]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    for row in rows:
        key = row["id"] + (f" [{row['check']}]" if row["check"] else "")
        sys.stdout.write(f"{key:<28} {row['severity']:<9} {row['title']}\n{'':<28} source : {row['source']}\n")
    return EXIT_OK


def _cmd_serve(args) -> int:
    import uvicorn

    from instruct.referentiel.registry import load_referentiel
    from instruct.service.app import create_app
    from instruct.service.evaluator import EvaluationSettings
    from instruct.service.mail import MailSettings

    if args.base:
        os.environ["ACV_DATABASE_URL"] = args.base
    if args.referentiel:
        os.environ["ACV_REFERENTIEL"] = args.referentiel
    if args.moteur:
        os.environ["ACV_MOTEUR"] = args.moteur
    EvaluationSettings.read()  # a bad ACV_MOTEUR, ACV_EVALUATEURS… is an error before anything starts
    MailSettings.read()  # and a bad ACV_SMTP_* (instruct.service.mail)
    if args.workers > 1:
        if (args.base or os.environ.get("ACV_DATABASE_URL", "sqlite")).startswith("sqlite"):
            print(
                "Attention : plusieurs processus sur une base SQLite attendent chacun leur tour pour écrire ; "
                "pour plusieurs processus, une base PostgreSQL (--base postgresql+psycopg://…).",
                file=sys.stderr,
            )
        _keep_tcp_nodelay()
        uvicorn.run(
            "instruct.service.app:app_from_environment",
            factory=True,
            host=args.hote,
            port=args.port,
            workers=args.workers,
        )
    else:
        referentiel = load_referentiel(args.referentiel) if args.referentiel else None
        uvicorn.run(create_app(args.base, referentiel=referentiel), host=args.hote, port=args.port)
    return EXIT_OK


def _keep_tcp_nodelay() -> None:
    """With --workers, uvicorn binds the listening socket itself with proto 0; asyncio then leaves Nagle on for every
    connection and each keep-alive request waits ~40 ms for a delayed ACK (Kludex/uvicorn#3149, open in 0.54). The same
    socket, re-wrapped with its protocol read back from the kernel (IPPROTO_TCP), gets TCP_NODELAY in every worker."""
    import socket

    from uvicorn.config import Config

    bind = Config.bind_socket
    if getattr(bind, "keeps_nodelay", False):
        return

    def bind_socket(self) -> socket.socket:
        sock = bind(self)
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            sock = socket.socket(fileno=sock.detach())
        return sock

    bind_socket.keeps_nodelay = True
    Config.bind_socket = bind_socket


def settle_process() -> None:
    """What the process sets for itself, first, while it has one thread (setting the environment later, from a
    server's request thread, would race the other threads' reads of it): numpy, imported by the first geometry,
    would start OpenBLAS's pool of threads, whose spinning was ≈ 70 ms of CPU (half of numpy's import on 2 cores)
    though no geometry here does linear algebra (numpy only holds coordinates for shapely). One thread, unless
    the user chose; the service's and the batch's worker processes inherit it."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(argv: list[str] | None = None) -> int:
    settle_process()
    args = _parser().parse_args(argv)
    commands = {
        "check": cli_check.cmd_check,
        "schema": _cmd_schema,
        "rules": _cmd_rules,
        "docs": cli_regles.cmd_docs,
        "ort": _cmd_ort,
        "checklist": _cmd_checklist,
        "ingest": _cmd_ingest,
        "serve": _cmd_serve,
        "users": cli_users.cmd_users,
        "courriels": cli_courriels.cmd_courriels,
        "batch": cli_batch.cmd_batch,
        "samples": cli_batch.cmd_samples,
    }
    try:
        return commands[args.command](args)
    except InputError as exc:
        sys.stderr.write(f"Erreur : {exc.render()}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("Interrompu.\n")
        return EXIT_INTERNAL
    except Exception as exc:  # never a traceback for a user; ACV_DEBUG=1 shows it
        if os.environ.get("ACV_DEBUG"):
            raise
        sys.stderr.write(f"Erreur interne ({type(exc).__name__}) : {exc}. Relancez avec ACV_DEBUG=1 pour le détail.\n")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
