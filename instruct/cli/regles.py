"""`acv rules ID`: a rule's page as text; `acv docs -o DIR`: every rule's page as a static site
(index.html and one page per rule, opening offline). Both render rules.documentation's pages,
as the service's /regles does."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from instruct.cli.output import EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:  # the pages need the model (pydantic): imported by the commands that write one
    from instruct.rules.documentation import PageBuilder, RulePage


def builder(regles: str | None) -> PageBuilder:
    from instruct.form.labels import CHOICES
    from instruct.rules.catalogue import load_catalogue
    from instruct.rules.documentation import PageBuilder

    return PageBuilder(load_catalogue(regles), CHOICES)


def _all(sentences: list) -> str:
    return " toutes ces conditions sont vraies :" if len(sentences) > 1 else " :"


def render_text(page: RulePage) -> str:
    from instruct.rules.documentation import status_label

    out = [f"{page.id} — {page.title}", "=" * len(f"{page.id} — {page.title}")]
    rule_set = f" ({page.ruleset_title})" if page.ruleset_title != page.partner else ""
    out.append(f"Partenaire : {page.partner}{rule_set}")
    out.append(f"Gravité : {page.severity}")
    for n, check in enumerate(page.checks, 1):
        if len(page.checks) > 1:
            out += ["", f"Contrôle {n} sur {len(page.checks)} : {check.check.replace('_', ' ')} ({check.severity})"]
        out += ["", f"Évaluée pour : {check.scope}.", f"Étape : {check.stage}."]
        out.append("S'applique : toujours." if not check.applies else "S'applique quand" + _all(check.applies))
        for sentence in check.applies:
            out += sentence.lines("  ")
        if check.review:
            out.append("À vérifier par une personne quand" + _all(check.review))
            for sentence in check.review:
                out += sentence.lines("  ")
        if check.needs:
            out.append("Informations nécessaires : " + ", ".join(f"« {n} »" for n in check.needs) + ".")
        if check.requirement:
            out.append("Ce qui doit être vrai" + _all(check.requirement))
            for sentence in check.requirement:
                out += sentence.lines("  ")
        else:
            out.append("Ce qui doit être vrai : rien de plus ; les informations données suffisent.")
        out.append("Statuts possibles :")
        out += [f"  - {status_label(s)} : {why}" for s, why in check.statuses]
        out.append(f"Message d'écart : {check.message}")
        out.append(f"À corriger : {check.remedy}")
        for status, remedy in check.remedies.items():
            out.append(f"{'À fournir' if status == 'incomplet' else 'Qui vérifie'} : {remedy}")
        out.append(f"Source : {check.source_document}, {check.source_section}")
        if check.citation:
            out.append(f"Citation : « {check.citation} »")
        out.append("Données lues : " + ", ".join(f"« {f} »" for f in check.facts) + ".")
        out += ["", "Cas d'exemple :"]
        if check.examples is None:
            out.append("  Les cas d'exemple ne sont pas disponibles dans cette installation.")
        elif not check.examples:
            out.append("  Aucun cas d'exemple.")
        for example in check.examples or []:
            out.append(f"  * {example.name} (au {example.date:%d/%m/%Y}, {example.referentiel})")
            for item in example.inputs:
                out += item.lines("      ")
            for expected in example.expected:
                out.append(f"      => {expected.entity} : {status_label(expected.status)}")
            if example.known_defect:
                out.append(f"      (défaut connu, pas encore corrigé : {example.known_defect})")
    if page.parameters:
        out += ["", "Paramètres datés :"]
    for param in page.parameters:
        out.append(f"  {param.name}")
        if param.description != param.name:
            out.append(f"    {param.description}")
        for dated in param.values:
            until = f" jusqu'au {dated.until}" if dated.until else " (en vigueur)"
            out.append(f"    - à partir du {dated.start}{until} : {dated.value}")
        out.append(f"    Source : {param.reference}")
    out += ["", "Listes de pièces :"]
    out += [f"  - {c.partner}, section « {c.section} »" for c in page.checklists]
    return "\n".join(out) + "\n"


def cmd_rule(args) -> int:
    page = builder(args.regles).page(args.id.strip().upper())
    if page is None:
        sys.stderr.write(f"Erreur : règle inconnue « {args.id} » (la liste : acv rules)\n")
        return EXIT_INPUT
    if getattr(args, "format", "text") == "json":
        sys.stdout.write(json.dumps(asdict(page), ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(render_text(page))
    return EXIT_OK


def add_docs_parser(sub) -> None:
    docs = sub.add_parser("docs", help="écrire une page par règle (site statique, lisible hors ligne)")
    docs.add_argument("-o", "--output", required=True, help="dossier où écrire le site")
    docs.add_argument("--regles", help="répertoire des règles")


def cmd_docs(args) -> int:
    from instruct.service.regles_site import write_site

    count = write_site(builder(args.regles), Path(args.output))
    sys.stdout.write(f"{count} page(s) de règles écrites dans {args.output} (ouvrir index.html)\n")
    return EXIT_OK
