"""What a letter says, from the facts of one state change (LetterFacts, gathered once by letters.py): the accusé de
réception of a deposit, the demande de compléments, the décision motivée (acceptance, refusal, classement sans
suite, Action Logement's decisions per immeuble), the reprise en instruction, the mise en instruction and the
withdrawal. Each names the partner who decides, the dossier and its version, the track's state, the decision, its
reasons and the rules they rest on (id, title, source), then what happens next. Pure: no database here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from instruct.reports import a4


@dataclass(frozen=True)
class RuleCited:
    id: str
    title: str
    source: str


@dataclass(frozen=True)
class ImmeubleDecision:
    libelle: str
    decision: str  # « accepté », « refusé », « ajourné »
    motif: str
    rules: tuple[str, ...]


@dataclass
class LetterFacts:
    kind: str  # instruction_storage.LETTER_KINDS
    partner_key: str  # « ddt », « action-logement »…; « acv » for the dossier's own changes
    partner: str  # « DDT », « Action Logement »; « Programme Action Cœur de Ville »
    dossier_id: str
    commune: str
    insee: str
    version: int | None
    day: dt.date  # when, in France
    time: str  # « 14:05 »
    by: str  # who made the change (name, else login)
    from_label: str  # « en instruction »
    to_label: str  # « refusé »
    to_state: str
    dossier_state: str  # the dossier's state after the change, its label
    reason: str = ""
    rules: list[RuleCited] = field(default_factory=list)
    immeubles: list[ImmeubleDecision] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)  # a deposit: the partners who instruct
    redeposit: bool = False


TITLES = {
    "accuse_reception": "Accusé de réception du dépôt",
    "mise_en_instruction": "Avis de mise en instruction",
    "demande_complements": "Demande de compléments",
    "decision_immeubles": "Décision motivée, immeuble par immeuble",
    "reprise": "Reprise de l'instruction",
    "retrait": "Accusé de retrait du dossier",
}
DECISION_TITLES = {
    "accepte": "Décision motivée : acceptation",
    "refuse": "Décision motivée : refus",
    "sans_suite": "Décision motivée : classement sans suite",
}
FILE_WORDS = {  # the file's name: « lettre-refus-<dossier>-<n> »
    "accuse_reception": "accuse-reception",
    "mise_en_instruction": "mise-en-instruction",
    "demande_complements": "demande-complements",
    "decision_immeubles": "decision-immeubles",
    "reprise": "reprise-instruction",
    "retrait": "retrait",
}
# The partner with its article, as a sentence names it: « la DDT refuse », « celle de l'Anah », « pour la DDT ».
ARTICLES = {"ddt": "la DDT", "anah": "l'Anah", "anru": "l'ANRU"}


def named(facts: LetterFacts, capital: bool = False) -> str:
    """« la DDT », « l'Anah », « Action Logement » (« La DDT » to begin a sentence)."""
    name = ARTICLES.get(facts.partner_key, facts.partner)
    return name[0].upper() + name[1:] if capital else name


def of(facts: LetterFacts) -> str:
    """« de la DDT », « de l'Anah », « d'Action Logement »."""
    name = named(facts)
    return f"d'{name}" if name[0] in "AEIOUÉ" else f"de {name}"


DECISION_FILE_WORDS = {"accepte": "acceptation", "refuse": "refus", "sans_suite": "classement-sans-suite"}


def title(facts: LetterFacts) -> str:
    if facts.kind == "decision":
        return DECISION_TITLES[facts.to_state]
    if facts.kind == "accuse_reception" and facts.redeposit:
        return "Accusé de réception du nouveau dépôt"
    return TITLES[facts.kind]


def file_name(facts: LetterFacts, event_id: int) -> str:
    word = DECISION_FILE_WORDS[facts.to_state] if facts.kind == "decision" else FILE_WORDS[facts.kind]
    return f"lettre-{word}-{facts.dossier_id}-{event_id}"


def _next(facts: LetterFacts) -> str:
    """What happens next, by kind."""
    if facts.kind == "accuse_reception":
        who = ", ".join(facts.partners) or "les partenaires concernés"
        return (
            f"Le dossier est transmis aux partenaires qui l'instruisent : {who}. Chacun l'examine et rend sa "
            "décision ; chaque changement vous est notifié et donne lieu à une lettre, téléchargeable depuis la page "
            "du dossier."
        )
    if facts.kind == "mise_en_instruction":
        return (
            f"{named(facts, True)} examine le dossier et peut vous demander des compléments avant de rendre sa "
            "décision ; vos questions passent par la messagerie du dossier."
        )
    if facts.kind == "demande_complements":
        return (
            "Complétez le dossier par une nouvelle version, puis déposez-le de nouveau : l'instruction reprend à ce "
            "nouveau dépôt. Vos questions passent par la messagerie du dossier."
        )
    if facts.kind == "reprise":
        return f"La décision rendue est levée : {named(facts)} instruit de nouveau le dossier et rendra une décision."
    if facts.kind == "retrait":
        return "Le dossier n'est plus instruit par aucun partenaire ; ce retrait est définitif."
    return (
        f"Cette décision est celle {of(facts)} ; chaque partenaire concerné rend la sienne. "
        "Pour toute question, écrivez au partenaire par la messagerie du dossier."
    )


def _identity(facts: LetterFacts) -> list[a4.Block]:
    version = f"version {facts.version}" if facts.version else "aucune version déposée"
    lines = [
        a4.para(a4.bold("Commune : "), f"{facts.commune} (INSEE {facts.insee or 'non renseigné'})"),
        a4.para(a4.bold("Dossier : "), f"{facts.dossier_id}, {version}"),
    ]
    if facts.partner_key != "acv":
        lines.append(a4.para(a4.bold(f"Piste d'instruction {of(facts)} : "), f"« {facts.to_label} »"))
    lines.append(a4.para(a4.bold("État du dossier : "), facts.dossier_state))
    return lines


def _decision(facts: LetterFacts) -> list[a4.Block]:
    when = f"le {a4.long_date(facts.day)} à {facts.time}"
    if facts.kind == "accuse_reception":
        what = "déposé de nouveau, complété," if facts.redeposit else "déposé"
        return [a4.para(f"Le dossier a été {what} {when} par {facts.by}.")]
    if facts.kind == "retrait":
        return [a4.para(f"La collectivité a retiré le dossier {when} ({facts.by}).")]
    change = f"« {facts.from_label} » → « {facts.to_label} »"
    if facts.kind == "decision_immeubles":
        count = len(facts.immeubles)
        decided = f"{count} immeuble{'s' if count > 1 else ''}"
        track = "reste" if facts.from_label == facts.to_label else "passe"
        return [
            a4.para(
                f"{named(facts, True)} a rendu {when} ({facts.by}) sa décision sur {decided} du dossier ; "
                f"sa piste d'instruction {track} « {facts.to_label} »."
            )
        ]
    blocks = [a4.para(f"{named(facts, True)} a fait passer sa piste d'instruction {change} {when} ({facts.by}).")]
    if facts.kind == "decision":
        blocks.append(a4.para(a4.bold("Décision : "), f"dossier {facts.to_label} par {named(facts)}."))
    return blocks


def _reasons(facts: LetterFacts) -> list[a4.Block]:
    blocks: list[a4.Block] = []
    if facts.immeubles:
        blocks += [
            a4.Heading("Décision par immeuble"),
            a4.table(
                ["Immeuble", "Décision", "Motif", "Règles"],
                [[i.libelle, i.decision, i.motif or "—", ", ".join(i.rules) or "—"] for i in facts.immeubles],
            ),
        ]
    elif facts.reason:
        heading = "Compléments demandés" if facts.kind == "demande_complements" else "Motifs"
        blocks += [a4.Heading(heading), *(a4.para(line) for line in facts.reason.splitlines() if line.strip())]
    if facts.rules:
        blocks += [
            a4.Heading("Règles sur lesquelles la décision repose"),
            a4.bullets(
                [a4.runs(a4.bold(f"{rule.id} "), f"{rule.title} — {rule.source}") for rule in facts.rules], small=True
            ),
        ]
    return blocks


def build(facts: LetterFacts, logo=None) -> a4.Document:
    """The letter as an A4 document (a4_docx and a4_pdf render it)."""
    document = a4.Document(
        title=title(facts),
        partner=facts.partner,
        header=f"dossier {facts.dossier_id} — {facts.commune} — {a4.long_date(facts.day)}",
        subtitle=f"Le {a4.long_date(facts.day)}",
        logo=logo,
        author=facts.partner,
    )
    document.add(*_identity(facts))
    document.add(a4.Heading("Objet"), *_decision(facts), *_reasons(facts))
    document.add(a4.Heading("Suite"), a4.para(_next(facts)))
    signer = "Le service d'instruction Action Cœur de Ville" if facts.partner_key == "acv" else f"Pour {named(facts)}"
    document.add(a4.para(""), a4.para(f"Fait le {a4.long_date(facts.day)}."), a4.para(a4.bold(signer)))
    if facts.partner_key != "acv":
        document.add(a4.para(facts.by))
    return document
