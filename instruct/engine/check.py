"""The one path every shell (CLI, web service, batch) calls:
dossier -> facts -> engine -> findings -> verdicts -> Report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from instruct.documents.load import load
from instruct.documents.reconcile import Documents, annotate
from instruct.engine import durable as engine_durable
from instruct.engine import python as engine_python
from instruct.engine.findings import build_findings, counts_of, tally, verdict_of
from instruct.engine.prepare import PreparedRule, prepare
from instruct.facts import build_facts
from instruct.model.dossier import Dossier
from instruct.model.report import EntityResult, Finding, Report, RulesetResult
from instruct.referentiel.registry import Referentiel
from instruct.rules.catalogue import Catalogue

ENGINES = {"durable": engine_durable.evaluate, "python": engine_python.evaluate}


SEPARATE_ENTITIES = ("immeuble",)


def prepared_rules(catalogue: Catalogue, rulesets: list, as_of: dt.date) -> list[PreparedRule]:
    """Rules ready for a date, kept for the next dossiers judged at the same date."""
    key = (tuple(rs.code for rs in rulesets), as_of)
    cache = catalogue.prepared_cache
    if key not in cache:
        if len(cache) >= 64:
            cache.pop(next(iter(cache)))
        cache[key] = prepare(rulesets, catalogue.parameters, as_of)
    return cache[key]


def check_dossier(
    dossier: Dossier,
    catalogue: Catalogue,
    as_of: dt.date,
    *,
    referentiel: Referentiel | None = None,
    partenaires: list[str] | None = None,
    engine: str = "durable",
    source: str = "",
    documents: Documents | None = None,
) -> Report:
    """`documents`: the pieces of a dossier folder (None for a single file: the rules on pieces
    have nothing to examine)."""
    rulesets = catalogue.select(partenaires)
    prepared = prepared_rules(catalogue, rulesets, as_of)
    facts = build_facts(dossier, as_of, referentiel, {p.rule.scope for p in prepared}, documents)
    outcomes = ENGINES[engine](prepared, facts)
    findings = build_findings(prepared, facts, outcomes, facts[0])
    if documents is not None:
        annotate(findings, documents)
    report = assemble_report(dossier, rulesets, facts, findings, as_of, referentiel, source)
    if documents is not None:
        report.notes += documents_notes(documents)
    return report


def check_path(path: Path, catalogue: Catalogue, as_of: dt.date, *, source: str | None = None, **options) -> Report:
    """A dossier folder or file as a town sends it: loaded (pieces read) then checked. The CLI, the
    batch and the service's workers all go this way; `source` names it in the report (default:
    where it was read), `options` are check_dossier's."""
    loaded = load(path)
    return check_dossier(
        loaded.dossier,
        catalogue,
        as_of,
        documents=loaded.documents,
        source=loaded.source if source is None else source,
        **options,
    )


def documents_notes(documents: Documents) -> list[str]:
    read = [p for p in documents.pieces if p.provided]
    filled = sorted({q.file for q in documents.provenance.values()})
    notes = [f"Pièces examinées : {len(read)}" + (f" ({', '.join(p.file for p in read)})" if read else "") + "."]
    if filled:
        notes.append(
            "Informations absentes du dossier structuré, lues dans les pièces : "
            + ", ".join(filled)
            + " (chaque constat cite la page ou le paragraphe)."
        )
    return notes


UNIDENTIFIED = "ville-centre non identifiée dans les pièces"


def unidentified_notes(dossier: Dossier) -> list[str]:
    """A folder whose pieces name neither the ville-centre nor the intercommunalité is still
    checked: the report says what it could not identify (never a guessed name)."""
    coll = dossier.collectivites
    pairs = (("la ville-centre", coll.ville_centre), ("l'intercommunalité", coll.intercommunalite))
    missing = [name for name, known in pairs if known is None]
    if not missing:
        return []
    both = len(missing) == 2
    text = (
        f"{' et '.join(missing)} : non identifiée{'s' if both else ''} — ni le dossier ni ses pièces lisibles "
        f"(les parties d'une convention-cadre ou d'un avenant) ne {'les' if both else 'la'} nomment ; "
        "les règles qui en ont besoin sont incomplètes."
    )
    return [text[0].upper() + text[1:]]


def assemble_report(
    dossier: Dossier,
    rulesets: list,
    facts: list,
    findings: list[Finding],
    as_of: dt.date,
    referentiel: Referentiel | None,
    source: str,
) -> Report:
    """Verdicts per rule set and per separately instructed entity, and the notes."""
    by_ruleset: dict[str, list[Finding]] = defaultdict(list)
    by_entity: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        by_ruleset[f.ruleset].append(f)
        if f.entity.type in SEPARATE_ENTITIES:
            by_entity[(f.entity.type, f.entity.id)].append(f)
    results = {}
    for rs in rulesets:
        tallied = tally(by_ruleset[rs.code])
        results[rs.code] = RulesetResult(rs.code, rs.title, verdict_of(tallied), counts_of(tallied))
    entities = [
        EntityResult(fact.type, fact.entity.id, fact.entity.label, verdict_of(tallied), counts_of(tallied))
        for fact in facts
        if fact.type in SEPARATE_ENTITIES
        and (mine := by_entity[(fact.type, fact.entity.id)])  # none: no selected rule looks at it
        and (tallied := tally(mine))
    ]
    notes = []
    if referentiel is None or referentiel.communes is None:
        notes.append(
            "Liste officielle des communes ACV non fournie à l'examen : "
            "l'instructeur vérifie que la commune appartient au programme."
        )
    if referentiel is not None and referentiel.ort is not None:
        unread = {k: v for k, v in referentiel.ort_unreadable.items() if v}
        notes.append(
            f"Registre national des ORT lu : {len(referentiel.ort)} communes"
            + (
                " ; illisibles : " + ", ".join(f"{v} {k}" for k, v in unread.items())
                if unread
                else " ; aucune valeur illisible"
            )
            + "."
        )
    ville = dossier.collectivites.ville_centre
    notes += unidentified_notes(dossier)
    commune, insee = (ville.nom, ville.insee) if ville else (UNIDENTIFIED, None)
    return Report(dossier.id, commune, insee, dossier.fictif, as_of, results, findings, source, notes, entities)
