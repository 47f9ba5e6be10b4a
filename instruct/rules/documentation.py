"""A page per rule (as Publicodes and OpenFisca give each rule its own), built from the catalogue:
what a DDT agent reads to review a rule without reading YAML. The CLI prints it as text
(`acv rules ID`), the service shows it (`/regles/ID`) and `acv docs` writes it as a static site;
all three render the same `RulePage`.

A page is one rule id; a rule with several checks (PROG-15, AL-O-14…) has one section per check.
Each section says, in French sentences generated from its conditions (sentences.py), when the rule
applies, what must hold, what a person judges; which statuses it can give (derived from its
definition: the same derivation is checked against the example cases by the tests); the dated
parameters it reads with their whole history; its example cases (examples.py); and which checklist
lists it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from instruct.facts import FACT_TYPES
from instruct.french import display_parameter, french_date
from instruct.rules import conditions as C
from instruct.rules.catalogue import PLACEHOLDER, Catalogue, Rule
from instruct.rules.examples import Describer, Example, case_key, default_cases_dir, read_cases
from instruct.rules.sentences import Sentence, Writer
from instruct.vocabulary import PARTENAIRE_LIBELLES, SEVERITY_ORDER, STATUT_LIBELLES, Partenaire

# The fact types, as an entity is named in French: (the noun, « chaque … » for a scope).
ENTITIES = {
    "dossier": ("dossier", "le dossier (une fois)"),
    "element": ("élément attendu", "chaque élément attendu d'une liste"),
    "signataire": ("signataire", "chaque signataire attendu de la convention-cadre"),
    "axe": ("axe", "chaque axe du programme"),
    "inclusion": ("inclusion de périmètre", "chaque périmètre qui doit être inclus dans un autre"),
    "fiche_action": ("fiche action", "chaque fiche action"),
    "avenant": ("avenant", "chaque avenant"),
    "chronologie": ("ordre de dates", "chaque couple de dates qui doivent se suivre"),
    "immeuble": ("immeuble", "chaque immeuble"),
    "ort": ("ORT", "l'opération de revitalisation de territoire (ORT)"),
    "secteur_ort": ("secteur de l'ORT", "chaque secteur d'intervention de l'ORT"),
    "anah": ("volet Anah", "le volet Anah du dossier"),
    "dispositif_anah": ("dispositif de l'Anah", "chaque dispositif de l'Anah"),
    "quartier": ("quartier", "chaque quartier NPNRU ou PNRQAD"),
    "piece": ("pièce", "chaque pièce déposée"),
    "concordance": ("concordance", "chaque valeur donnée à la fois par le dossier et par une pièce"),
    "lecture": ("lecture", "chaque valeur lue avec doute (ou cherchée sans être trouvée) dans une pièce"),
    "calendrier_convention": ("calendrier de la convention", "le calendrier de la convention"),
    "validation_avenant": ("validation de l'avenant", "chaque validation attendue de l'avenant"),
    "signataire_avenant": ("signataire de l'avenant", "chaque signataire attendu de l'avenant"),
    "lancement_action": ("lancement d'action", "chaque action à lancer"),
}
# The lists of expected elements (entity « <liste>:<code> » in the example cases).
LISTS = {
    "prerequis_initialisation": "prérequis d'initialisation",
    "trame_convention": "partie de la convention-cadre",
    "trame_avenant": "partie de l'avenant",
    "sujets_transversaux": "sujet transversal",
    "prerequis_deploiement": "prérequis de déploiement",
    "comite_projet": "membre du comité de projet",
    "prerequis_preparation": "prérequis de préparation",
}
# The checklists' sections (reports.checklist.STAGE_TITLES: a test keeps them equal).
STAGE_TITLES = {
    "initialisation": "Initialisation (convention-cadre)",
    "deploiement": "Déploiement (avenant, partenaires)",
    "operateur": "Dossier opérateur (par immeuble)",
}
STATUS_ORDER = ("conforme", "non_conforme", "incomplet", "a_verifier", "non_applicable")


@dataclass(frozen=True)
class DatedValue:
    start: str  # « 27/03/2018 »
    value: str  # « 18 mois », « aucune valeur en vigueur »
    until: str | None  # the next value's start, None for the one in force


@dataclass(frozen=True)
class ParameterHistory:
    name: str  # its French label, as findings name it
    description: str
    unit: str
    reference: str
    values: tuple[DatedValue, ...]


@dataclass(frozen=True)
class Checklist:
    partner: str  # French name
    partenaire: str  # the partner's code (for a link to its checklist)
    section: str


@dataclass
class CheckPage:
    """One check of a rule (a rule without checks has one, `check` None)."""

    key: str
    check: str | None
    title: str
    severity: str
    scope: str  # « chaque immeuble dont … »
    stage: str  # the checklists' section
    applies: list[Sentence]  # empty: always
    review: list[Sentence]
    needs: list[str]  # French labels of what must be given (else incomplet)
    requirement: list[Sentence]  # empty: nothing to hold (conforme once the information is given)
    statuses: list[tuple[str, str]]  # (status, why it can be given)
    message: str  # non_conforme's message, placeholders named
    remedy: str
    remedies: dict[str, str]  # incomplet / a_verifier remedies, placeholders named
    source_document: str
    source_section: str
    citation: str | None
    facts: list[str]  # the labels of every fact field the rule reads
    examples: list[Example] | None  # None: the example cases are not available here


@dataclass
class RulePage:
    id: str
    title: str
    partner: str
    partenaire: str
    ruleset: str
    ruleset_title: str
    severity: str  # the gravest of its checks
    checks: list[CheckPage]
    parameters: list[ParameterHistory]
    checklists: list[Checklist]
    examples_available: bool = field(default=True)


def possible_statuses(rule: Rule) -> dict[str, str]:
    """The statuses a rule can give, derived from its definition (catalogue.py's order of
    evaluation), each with the reason in French."""
    spec = FACT_TYPES[rule.scope]
    out = {}
    out["conforme"] = "l'exigence est remplie" if rule.requirement else "les informations lues sont données"
    if rule.requirement is not None:
        out["non_conforme"] = "l'exigence n'est pas remplie"
    asserted = set(C.asserted_present(rule.condition))
    missing = rule.condition_fields() + [f for f in rule.requires if not spec[f].always and f not in asserted]
    if missing:
        out["incomplet"] = "une information nécessaire manque"
    if rule.review is not None:
        out["a_verifier"] = "seule une personne peut juger le cas"
    if rule.condition is not None:
        out["non_applicable"] = "la règle ne s'applique pas au cas"
    elif rule.scope != "dossier" or rule.where:
        out["non_applicable"] = "le dossier n'a aucun élément à examiner"
    elif rule.parameters:
        out["non_applicable"] = "aucune valeur de paramètre n'est en vigueur à la date d'évaluation"
    return {s: out[s] for s in STATUS_ORDER if s in out}


def parameter_history(catalogue: Catalogue, name: str) -> ParameterHistory:
    param = catalogue.parameters[name]
    values = []
    for n, dated in enumerate(param.values):
        following = param.values[n + 1].start if n + 1 < len(param.values) else None
        values.append(
            DatedValue(
                french_date(dated.start),
                display_parameter(param.unit, dated.value),
                french_date(following) if following else None,
            )
        )
    name = plain(param.label or param.description)
    return ParameterHistory(name, plain(param.description), param.unit, plain(param.reference), tuple(values))


def checklists(catalogue: Catalogue, rule: Rule) -> list[Checklist]:
    """The partners' checklists listing the rule (reports.checklist.items selects the same way)."""
    partners = dict.fromkeys(rs.partenaire for rs in catalogue.rulesets.values())
    out = []
    for partenaire in partners:
        if any(rs.code == rule.ruleset for rs in catalogue.select([partenaire])):
            out.append(Checklist(partner_label(partenaire), partenaire, STAGE_TITLES[rule.etape]))
    return out


def partner_label(partenaire: str) -> str:
    try:
        return PARTENAIRE_LIBELLES[Partenaire(partenaire)]
    except ValueError:
        return partenaire


def entity_label(key: str, choice: Callable[[str], str]) -> str:
    """« immeuble:IMM-06 » -> « immeuble IMM-06 » ; « * » -> every entity of the rule."""
    if key == "*":
        return "toutes les entités examinées"
    kind, _, ident = key.partition(":")
    if kind == "dossier":
        return "le dossier"
    noun = LISTS.get(kind) or ENTITIES.get(kind, (None,))[0] or choice(kind)
    return f"{noun} « {choice(ident)} »"


# Parenthesised field paths in a catalogue text (« (convention.phase) », « (convention.avenants[].objet) »).
PATH = re.compile(r"\s*\((?:[a-z_]+(?:\[\])?\.)+[a-z_]+(?:\[\])?\)")


def plain(text: str) -> str:
    """A catalogue text without the field paths it may quote for the rule's author."""
    return PATH.sub("", text)


class PageBuilder:
    """Builds the pages of a catalogue. `choice`: the French label of a value written in machine
    words (the shells pass the form's labels); `cases_dir`: where the example cases are (default:
    examples.default_cases_dir)."""

    def __init__(
        self,
        catalogue: Catalogue,
        choice: Mapping[object, str] | None = None,
        cases_dir=None,
    ):
        self.catalogue = catalogue
        labels = choice or {}
        self.choice = lambda value: labels.get(value) or value.replace("_", " ")
        folder = cases_dir if cases_dir is not None else default_cases_dir()
        self.available = folder is not None and any(Path(folder).glob("*.yaml"))
        describer = Describer(self.choice, lambda key: entity_label(key, self.choice))
        self.examples: dict[str, list[Example]] = {}
        for case in read_cases(folder):
            self.examples.setdefault(case_key(case), []).append(describer.example(case))

    def rules(self) -> dict[str, list[Rule]]:
        """Rule id -> its checks, in catalogue order."""
        out: dict[str, list[Rule]] = {}
        for ruleset in self.catalogue.rulesets.values():
            for rule in ruleset.rules:
                out.setdefault(rule.id, []).append(rule)
        return out

    def page(self, rule_id: str) -> RulePage | None:
        checks = self.rules().get(rule_id)
        if not checks:
            return None
        first = checks[0]
        ruleset = self.catalogue.rulesets[first.ruleset]
        names = list(dict.fromkeys(p for rule in checks for p in rule.parameters))
        return RulePage(
            id=rule_id,
            title=first.title,
            partner=partner_label(first.partenaire),
            partenaire=first.partenaire,
            ruleset=ruleset.code,
            ruleset_title=ruleset.title,
            severity=min((r.severity for r in checks), key=lambda s: SEVERITY_ORDER.get(s, 99)),
            checks=[self.check(rule) for rule in checks],
            parameters=[parameter_history(self.catalogue, name) for name in names],
            checklists=list(dict.fromkeys(c for rule in checks for c in checklists(self.catalogue, rule))),
            examples_available=self.available,
        )

    def pages(self) -> list[RulePage]:
        return [page for rule_id in self.rules() if (page := self.page(rule_id)) is not None]

    def index(self) -> list[tuple[str, list[tuple[str, list[tuple[str, str, str]]]]]]:
        """(partner, [(rule set title, [(id, title, gravest severity)])]) for each partner, in
        catalogue order."""
        out: dict[str, list] = {}
        for ruleset in self.catalogue.rulesets.values():
            rows: dict[str, tuple[str, str, str]] = {}
            for rule in ruleset.rules:
                known = rows.get(rule.id)
                if known is None or SEVERITY_ORDER[rule.severity] < SEVERITY_ORDER[known[2]]:
                    rows[rule.id] = (rule.id, rule.title, rule.severity)
            out.setdefault(partner_label(ruleset.partenaire), []).append((ruleset.title, list(rows.values())))
        return list(out.items())

    def check(self, rule: Rule) -> CheckPage:
        spec = FACT_TYPES[rule.scope]
        writer = Writer(spec, self.catalogue.parameters, self.choice)
        scope = ENTITIES.get(rule.scope, (rule.scope, rule.scope))[1]
        if rule.where:
            scope += " dont " + writer.where(rule.where)
        needs = list(dict.fromkeys(spec[f].label for f in rule.condition_fields() + list(rule.requires)))
        facts = self.catalogue.facts_read(rule)
        return CheckPage(
            key=rule.key,
            check=rule.check,
            title=rule.title,
            severity=rule.severity,
            scope=scope,
            stage=STAGE_TITLES[rule.etape],
            applies=writer.sentences(rule.condition),
            review=writer.sentences(rule.review),
            needs=needs,
            requirement=writer.sentences(rule.requirement),
            statuses=list(possible_statuses(rule).items()),
            message=self.text(rule, rule.message),
            remedy=self.text(rule, rule.remedy),
            remedies={status: self.text(rule, text) for status, text in rule.remedies.items()},
            source_document=plain(rule.source.document),
            source_section=plain(rule.source.section),
            citation=plain(rule.source.citation) if rule.source.citation else None,
            facts=[f.label for f in facts],
            examples=self.examples.get(rule.key, []) if self.available else None,
        )

    def text(self, rule: Rule, text: str) -> str:
        """A message or remedy with its placeholders named: a fact by its label, a parameter by its
        latest value, a figure by what it is."""
        spec = FACT_TYPES[rule.scope]
        figures = {f.name: f.label for f in rule.figures}

        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name.startswith("param."):
                param = self.catalogue.parameters[name[6:]]
                return display_parameter(param.unit, param.values[-1].value)
            if name.startswith("figure."):
                return f"[{figures.get(name[7:], 'chiffre calculé')}]"
            if name == "entite":
                return "[l'élément examiné]"
            return f"[{spec[name].label}]" if name in spec else "[…]"

        return plain(PLACEHOLDER.sub(replace, text))


def status_label(status: str) -> str:
    return STATUT_LIBELLES.get(status, "pas de constat" if status == "aucun" else status)
