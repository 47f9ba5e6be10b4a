"""Checklists generated from the rule files (one source of truth): what a town must provide to a
partner at a stage, with the rule behind each line and its source."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

from instruct.french import display_parameter, french_date
from instruct.rules.catalogue import PLACEHOLDER, STAGES, Catalogue, Rule

STAGE_TITLES = {
    "initialisation": "Initialisation (convention-cadre)",
    "deploiement": "Déploiement (avenant, partenaires)",
    "operateur": "Dossier opérateur (par immeuble)",
}


def _remedy(rule: Rule, catalogue: Catalogue, when: dt.date) -> str:
    """The remedy with parameters at the date and entity fields named by their label."""
    from instruct.facts import FACT_TYPES  # the model (pydantic): not for `acv --help`, which lists the formats

    spec = FACT_TYPES[rule.scope]

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith("param."):
            param = catalogue.parameters[name[6:]]
            dated = param.at(when)
            return display_parameter(param.unit, dated.value if dated else None)
        if name.startswith("figure."):
            return "…"
        if name == "entite" or name in {"libelle", "nom"}:
            return "l'élément concerné"
        return f"« {spec[name].label} »" if name in spec else "…"

    return PLACEHOLDER.sub(replace, rule.remedies.get("incomplet", rule.remedy))


def _needs(rule: Rule) -> list[str]:
    from instruct.facts import FACT_TYPES

    spec = FACT_TYPES[rule.scope]
    return list(dict.fromkeys(spec[f].label for f in rule.evidence_fields() if f in spec))


def items(catalogue: Catalogue, partenaire: str, stage: str | None, when: dt.date) -> list[dict]:
    out: dict[str, dict] = {}
    for ruleset in catalogue.select([partenaire]):
        for rule in ruleset.rules:
            if stage and rule.etape != stage:
                continue
            item = out.setdefault(
                rule.id,
                {
                    "id": rule.id,
                    "title": rule.title,
                    "severity": rule.severity,
                    "etape": rule.etape,
                    "remedies": [],
                    "needs": [],
                    "sources": [],
                },
            )
            for key, values in (
                ("remedies", [_remedy(rule, catalogue, when)]),
                ("needs", _needs(rule)),
                ("sources", [str(rule.source)]),
            ):
                item[key] += [v for v in values if v not in item[key]]
    return list(out.values())


def render_markdown(catalogue: Catalogue, partenaire: str, stage: str | None, when: dt.date) -> str:
    stages = [stage] if stage else list(STAGES)
    out = [
        f"# Pièces et informations à fournir — {partenaire}",
        "",
        f"Liste établie d'après les règles d'instruction, paramètres en vigueur au {french_date(when)}.",
        "",
    ]
    for st in stages:
        lines = items(catalogue, partenaire, st, when)
        if not lines:
            continue
        out += [f"## {STAGE_TITLES[st]}", ""]
        for item in lines:
            out.append(f"- [ ] **{item['title']}** ({item['id']}, {item['severity']}) — " + " ".join(item["remedies"]))
            if item["needs"]:
                out.append(f"  - Informations : {', '.join(item['needs'])}.")
            out.append(f"  - Source : {' ; '.join(item['sources'])}.")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_docx(catalogue: Catalogue, partenaire: str, stage: str | None, when: dt.date) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(f"Pièces et informations à fournir — {partenaire}", level=0)
    document.add_paragraph(f"Liste générée depuis les règles, paramètres en vigueur au {french_date(when)}.")
    for st in [stage] if stage else list(STAGES):
        lines = items(catalogue, partenaire, st, when)
        if not lines:
            continue
        document.add_heading(STAGE_TITLES[st], level=1)
        for item in lines:
            document.add_paragraph(
                f"{item['title']} ({item['id']}, {item['severity']}) — " + " ".join(item["remedies"]),
                style="List Bullet",
            )
            if item["needs"]:
                document.add_paragraph(f"Informations : {', '.join(item['needs'])}.")
            document.add_paragraph(f"Source : {' ; '.join(item['sources'])}.")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def partners(catalogue: Catalogue) -> list[str]:
    return list(dict.fromkeys(rs.partenaire for rs in catalogue.rulesets.values()))
