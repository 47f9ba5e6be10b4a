"""The gap report as an A4 document (a4.Document), which docx.py and pdf.py render: the header block (commune,
INSEE, dossier, date), the verdict per rule set, « À traiter en premier » (the priority gaps), the other gaps, and
one line for what is conforme or non applicable (the full list is the HTML report's: in a document to sign it made
saint-aubin's report 17 pages), then an annex naming each rule cited once, with its title and source. The gaps
come grouped by cause and ordered by presentation.present()."""

from __future__ import annotations

from instruct.french import french_date
from instruct.model.report import Report
from instruct.reports import a4
from instruct.reports.presentation import Cause, present

# Whose rule sets a report holds, by code: the partner named at the top (one partner, else the programme).
PARTNER_OF_CODE = {"AL-V": "action-logement", "AL-O": "action-logement", "ANAH": "anah", "ANRU": "anru"}
PARTNER_NAMES = {
    "action-logement": "Action Logement",
    "anah": "Anah",
    "anru": "ANRU",
    "acv": "Programme Action Cœur de Ville",
}


def partner_of(report: Report) -> str:
    """« action-logement » when every rule set is Action Logement's, « acv » (the programme) when they mix."""
    partners = {PARTNER_OF_CODE.get(code, "acv") for code in report.rulesets}
    return partners.pop() if len(partners) == 1 else "acv"


def _count(n: int, one: str, many: str) -> str:
    return f"{n}{a4.NBSP}{one if n < 2 else many}"


def _cause(number: int, cause: Cause) -> list[a4.Block]:
    """One cause: what it concerns, its rules and status, the finding, what to do, then in small print where it was
    read and the parameters (the rules' sources are listed once, at the end)."""
    rules = ", ".join(dict.fromkeys(r.rule for r in cause.rules))  # one rule may judge two entities of a cause
    status = f"{cause.status_label}, {cause.severity}"
    blocks: list[a4.Block] = [
        a4.para(a4.bold(f"{number}. {cause.what}"), f" — {rules} ({status})", keep_with_next=True),
        a4.para(cause.message),
    ]
    if cause.remedy:
        blocks.append(a4.para(a4.bold(f"{cause.remedy_label} : "), cause.remedy))
    small: list[tuple[a4.Run, ...]] = []
    if len(cause.entities) > 1:
        small.append(a4.runs(a4.bold("Concerne : "), " ; ".join(cause.entities)))
    small += [a4.runs(a4.bold("Lu dans : "), quote) for quote in cause.quotes]
    small += [a4.runs(a4.bold("Paramètre : "), line) for line in cause.parameters]
    return blocks + [a4.Paragraph(line, small=True) for line in small]


def _sources(causes: list[Cause]) -> a4.Table:
    """Each rule cited, once: its title and its source (the guide, the regulation), as the causes name them."""
    seen: dict[str, list[str]] = {}
    for cause in causes:
        for ref in cause.rules:
            citation = f" (« {ref.citation} »)" if ref.citation else ""
            seen.setdefault(ref.rule, [ref.rule, ref.title, f"{ref.source}{citation}"])
    return a4.table(["Règle", "Intitulé", "Source"], list(seen.values()), small=True)


def build(report: Report) -> a4.Document:
    shown = present(report)
    key = partner_of(report)
    day = french_date(report.evaluated_on)
    document = a4.Document(
        title=f"Rapport d'instruction — {report.commune}",
        subtitle=f"Écarts aux règles des partenaires, situation au {day}",
        partner=PARTNER_NAMES[key],
        header=f"dossier {report.dossier_id} — {report.commune} — {day}",
        logo=a4.logo_for(key),
        author="acv-instruct",
    )
    identity = [
        a4.para(a4.bold("Commune : "), f"{report.commune} (INSEE {report.insee or 'non renseigné'})"),
        a4.para(a4.bold("Dossier : "), report.dossier_id),
        a4.para(a4.bold("Situation au : "), day),
    ]
    if report.fictif:
        identity.append(a4.para("Dossier fictif (exemple ou synthétique).", small=True))
    document.add(*identity, a4.Heading("Verdict par jeu de règles"))
    document.add(
        a4.table(
            ["Jeu de règles", "Verdict", "Non conformes", "Incomplets", "À vérifier", "Conformes"],
            [
                [
                    f"{line.code} — {line.title}",
                    line.verdict_label.upper(),
                    str(line.counts.get("non_conforme", 0)),
                    str(line.counts.get("incomplet", 0)),
                    str(line.counts.get("a_verifier", 0)),
                    str(line.counts.get("conforme", 0)),
                ]
                for line in shown.rulesets
            ],
        )
    )
    if shown.entities:
        document.add(
            a4.Heading("Immeubles", 2),
            a4.table(
                ["Immeuble", "Verdict", "Non conformes", "Incomplets", "À vérifier"],
                [
                    [
                        e.label,
                        e.verdict_label.upper(),
                        str(e.counts.get("non_conforme", 0)),
                        str(e.counts.get("incomplet", 0)),
                        str(e.counts.get("a_verifier", 0)),
                    ]
                    for e in shown.entities
                ],
            ),
        )
    document.add(*(a4.para(note, small=True) for note in shown.notes))
    if not shown.first and not shown.rest:
        document.add(a4.Heading("Écarts"), a4.para("Aucun écart : rien à corriger ni à fournir."))
    number = 0
    for heading, causes in (("À traiter en premier", shown.first), ("Autres écarts", shown.rest)):
        if not causes:
            continue
        document.add(a4.Heading(f"{heading} ({len(causes)})"))
        for cause in causes:
            number += 1
            document.add(*_cause(number, cause))
    document.add(
        a4.Heading("Vérifié sans écart"),
        a4.para(
            f"{_count(shown.conformes, 'point vérifié et conforme', 'points vérifiés et conformes')} ; "
            f"{_count(shown.non_applicables, 'point non applicable', 'points non applicables')} à ce dossier. "
            "Leur détail figure dans le rapport en ligne (page du dossier) et dans sa version HTML."
        ),
    )
    if shown.first or shown.rest:
        document.add(a4.Heading("Annexe : règles citées et leurs sources"), _sources([*shown.first, *shown.rest]))
    return document
