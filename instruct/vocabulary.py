"""The programme's words, written once: statuses, severities, verdicts, stages and partners with
their French labels; the five axes; the signatories a convention needs; the parts of the
convention-cadre and of the avenant de projet (the guide's trames). The rules, the piece reader,
the sample pieces, the checklists and the reports all read these tables.

The enumerations are `StrEnum`s: a member is equal to the string stored in reports, JSON and the
database (`Statut.CONFORME == "conforme"`), so none of those formats changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Statut(StrEnum):
    """A finding's status. Definition order is the order of the counts in a report."""

    CONFORME = "conforme"
    NON_CONFORME = "non_conforme"
    INCOMPLET = "incomplet"
    A_VERIFIER = "a_verifier"
    NON_APPLICABLE = "non_applicable"

    @property
    def libelle(self) -> str:
        return {"non_conforme": "non conforme", "a_verifier": "à vérifier", "non_applicable": "non applicable"}.get(
            self, str(self)
        )


class Gravite(StrEnum):
    """A rule's severity, the gravest first."""

    BLOQUANT = "bloquant"
    MAJEUR = "majeur"
    MINEUR = "mineur"
    INFO = "info"

    @property
    def libelle(self) -> str:
        return str(self)


class Verdict(StrEnum):
    """The verdict of a rule set, or of an entity instructed on its own, from its findings (the
    catalogue's definitions, engine.findings.verdict), by precedence, the gravest first:

    - non_recevable: a bloquant rule is non conforme;
    - incomplet: a bloquant or majeur rule is incomplet (something missing);
    - a_corriger: a majeur rule is non conforme, nothing bloquant or majeur missing (« à corriger »:
      a majeur gap must be fixed before the committee; the catalogue has no word for it);
    - recevable: at least one point applied, none of the above;
    - sans_objet: every finding non applicable, or none (« aucun point applicable »).

    Definition order is the order of a table or a filter: from the best to the worst."""

    SANS_OBJET = "sans_objet"
    RECEVABLE = "recevable"
    A_CORRIGER = "a_corriger"
    INCOMPLET = "incomplet"
    NON_RECEVABLE = "non_recevable"

    @property
    def libelle(self) -> str:
        return VERDICT_LIBELLES[self]

    @property
    def rang(self) -> int:
        """1 (sans objet) to 5 (non recevable): the worst of several verdicts has the highest."""
        return list(Verdict).index(self) + 1


def worst_verdict(verdicts) -> str | None:
    """The gravest of some verdicts (a dossier's, a track's), None if there are none; an unknown
    verdict (an old report's) counts as the least grave."""
    ranks = {v.value: v.rang for v in Verdict}
    found = [str(v) for v in verdicts]
    return max(found, key=lambda v: ranks.get(v, 0)) if found else None


# Verdicts that leave nothing to fix before the committee (Report.recevable).
CLEAR_VERDICTS = frozenset({Verdict.SANS_OBJET.value, Verdict.RECEVABLE.value})


class Etape(StrEnum):
    """When the town must provide what a rule needs (the checklists' sections)."""

    INITIALISATION = "initialisation"
    DEPLOIEMENT = "deploiement"
    OPERATEUR = "operateur"

    @property
    def libelle(self) -> str:
        return {"deploiement": "déploiement", "operateur": "opérateur"}.get(self, str(self))


class Partenaire(StrEnum):
    """Who instructs: the `partenaire:` of the rule sets (`--partenaire`, checklist file names)
    and the partner of an instructeur's account. One spelling, with a hyphen: `action-logement`.

    `ddt` (the State's departmental services, for the préfet) has accounts but no rule set of its
    own: its instructeurs read the programme, ORT and coherence rule sets."""

    PROGRAMME = "programme"
    ACTION_LOGEMENT = "action-logement"
    ANAH = "anah"
    ANRU = "anru"
    ORT = "ort"
    COHERENCE = "coherence"
    DDT = "ddt"

    @property
    def libelle(self) -> str:
        return PARTENAIRE_LIBELLES[self]


PARTENAIRE_LIBELLES = {
    Partenaire.PROGRAMME: "Programme Action Cœur de Ville",
    Partenaire.ACTION_LOGEMENT: "Action Logement",
    Partenaire.ANAH: "Anah",
    Partenaire.ANRU: "ANRU",
    Partenaire.ORT: "Opération de revitalisation de territoire",
    Partenaire.COHERENCE: "Cohérence entre partenaires",
    Partenaire.DDT: "DDT",
}
# The partners an instructeur account may belong to.
PARTENAIRES_INSTRUCTEURS = (Partenaire.ACTION_LOGEMENT, Partenaire.ANAH, Partenaire.ANRU, Partenaire.DDT)


def canonical_partner(name: str) -> str:
    """A partner name as typed (`action_logement`, `Action-Logement`) in its one spelling
    (`action-logement`). Anything else (a rule set code such as `AL-V`, an unknown name) comes
    back stripped and in lower case, for the caller to accept or refuse with its own list."""
    text = name.strip().lower()
    hyphenated = text.replace("_", "-")
    return hyphenated if hyphenated in {p.value for p in Partenaire} else text


# The codes a rule file may use (rules/schema.py checks them).
SEVERITIES = tuple(g.value for g in Gravite)
STATUSES = tuple(s.value for s in Statut)
STAGES = tuple(e.value for e in Etape)

# Orders and groups used to sort and count findings (plain strings, as findings hold them).
SEVERITY_ORDER = {g.value: n for n, g in enumerate(Gravite)}
_WORST_FIRST = (Statut.NON_CONFORME, Statut.INCOMPLET, Statut.A_VERIFIER, Statut.CONFORME, Statut.NON_APPLICABLE)
STATUS_ORDER = {s.value: n for n, s in enumerate(_WORST_FIRST)}
GAP_STATUSES = tuple(s.value for s in _WORST_FIRST[:3])  # what a town must act on, the worst first
GAPS = frozenset(GAP_STATUSES)

# value -> French label, for templates and reports (which may capitalise them).
STATUT_LIBELLES = {s.value: s.libelle for s in Statut}
# What the remedy of a gap is, by status: one remedy per status (rules' remedy / remedies).
REMEDE_LIBELLES = {"incomplet": "À fournir", "non_conforme": "À corriger", "a_verifier": "Qui vérifie"}
VERDICT_LIBELLES = {
    "sans_objet": "aucun point applicable",
    "recevable": "recevable",
    "a_corriger": "à corriger",
    "incomplet": "incomplet",
    "non_recevable": "non recevable",
}


class EtatDossier(StrEnum):
    """Where a dossier stands in the service's instruction workflow (service.workflow)."""

    BROUILLON = "brouillon"
    DEPOSE = "depose"
    EN_INSTRUCTION = "en_instruction"
    A_COMPLETER = "a_completer"
    ACCEPTE = "accepte"
    REFUSE = "refuse"
    SANS_SUITE = "sans_suite"
    RETIRE = "retire"  # withdrawn by the town before any decision
    INSTRUIT = "instruit"  # every partner has decided, not all alike

    @property
    def libelle(self) -> str:
        return ETAT_LIBELLES[self]


ETAT_LIBELLES = {
    EtatDossier.BROUILLON: "brouillon",
    EtatDossier.DEPOSE: "déposé",
    EtatDossier.EN_INSTRUCTION: "en instruction",
    EtatDossier.A_COMPLETER: "à compléter",
    EtatDossier.ACCEPTE: "accepté",
    EtatDossier.REFUSE: "refusé",
    EtatDossier.SANS_SUITE: "classé sans suite",
    EtatDossier.RETIRE: "retiré par la collectivité",
    EtatDossier.INSTRUIT: "instruit : décisions rendues",
}


# --- the five axes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Axe:
    numero: int
    libelle: str  # the guide's wording (« Déclinaison suivant 5 axes thématiques »): rules, reports
    titre_piece: str  # the wording the generated sample pieces print (their text stays byte-identical)


AXES_PROGRAMME = (
    Axe(
        1,
        "De la réhabilitation à la restructuration, vers une offre attractive de l'habitat en centre-ville",
        "De la réhabilitation à la restructuration : vers une offre attractive de l'habitat en centre-ville",
    ),
    Axe(
        2,
        "Favoriser un développement économique et commercial équilibré",
        "Favoriser un développement économique et commercial équilibré",
    ),
    Axe(
        3,
        "Développer l'accessibilité, la mobilité et les connexions",
        "Développer l'accessibilité, la mobilité et les connexions",
    ),
    Axe(
        4,
        "Mettre en valeur les formes urbaines, l'espace public et le patrimoine",
        "Mettre en valeur les formes urbaines, l'espace public et le patrimoine",
    ),
    Axe(
        5,
        "Fournir l'accès aux équipements, aux services publics, à l'offre culturelle et de loisirs",
        "Fournir l'accès aux équipements et services publics",  # the guide's groupes de travail
    ),
)
AXES = {a.numero: a.libelle for a in AXES_PROGRAMME}
AXES_PIECES = {a.numero: a.titre_piece for a in AXES_PROGRAMME}


SIGNATAIRES_REQUIS = {
    "ville_centre": "la ville-centre",
    "intercommunalite": "l'intercommunalité",
    "prefet": "le préfet de département",
    "cdc": "la Caisse des Dépôts (Banque des Territoires)",
    "action_logement": "Action Logement",
    "anah": "l'Anah",
    "anru": "l'ANRU (quartier NPNRU ou PNRQAD concerné)",
}


# --- the trames -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartieTrame:
    """One part of a trame. `motif` is the reader's pattern, searched in a numbered heading's
    text once lower-cased, accents and typographic signs folded (documents.read.normal); a part
    whose code starts with `annexe` is only looked for in annex headings."""

    code: str
    libelle: str  # the guide's wording: rules, reports, checklists
    titre_piece: str  # the heading the generated sample pieces write
    motif: str

    @property
    def annexe(self) -> bool:
        return self.code.startswith("annexe")


# In the guide's order (P1 « Une trame de convention cadre »), which is also the order the reader
# tries the patterns in.
TRAME_CONVENTION_PARTIES = (
    PartieTrame(
        "parties",
        "Parties",
        "Les parties",
        r"^(les |des )?parties( a la convention| signataires| contractantes| prenantes)?$|designation des parties"
        r"|^identification des parties|^entre les (soussignes|parties)\b|^signataires$",
    ),
    PartieTrame(
        "preambule_objectifs",
        "Préambule et objectifs poursuivis",
        "Préambule et objectifs poursuivis",
        r"preambule|objectifs poursuivis|^objet( et (objectifs|enjeux|contexte))?( de la( presente)? convention)?$"
        r"|^objectifs( de la( presente)? convention| du programme)?$|^contexte( et (enjeux|objectifs))?$"
        r"|^enjeux et objectifs|^expose (des motifs|prealable)|^introduction$",
    ),
    PartieTrame(
        "engagement_parties",
        "Engagement général des parties",
        "Engagement général des parties",
        r"engagements? (general |generaux |reciproques? )?(des|de chacune des) (parties|signataires|partenaires)"
        r"|^engagements?( generaux| reciproques)?$"
        r"|^engagements? (de la (ville|commune|collectivite)|de l'etat|des collectivites|des financeurs)",
    ),
    PartieTrame(
        "organisation_comite_projet",
        "Organisation des collectivités et comité de projet",
        "Organisation des collectivités et comité de projet",
        r"organisation des collectivites|comite de projet|comite de pilotage|^gouvernance|^pilotage\b"
        r"|^organisation (du|de) (projet|programme)|instances de (pilotage|gouvernance)|^direction de projet"
        r"|^modalites de (pilotage|gouvernance)|^organisation( generale)?$",
    ),
    PartieTrame(
        "duree_evolution_fonctionnement",
        "Durée, évolution et fonctionnement général de la convention",
        "Durée, évolution et fonctionnement général de la convention",
        r"^duree\b|duree,? (de la( presente)? convention|evolution)|fonctionnement general de la convention"
        r"|(evolution|modification|revision)s? de la( presente)? convention|^duree et (evolution|modification)"
        r"|entree en vigueur|prise d'effet|fonctionnement de la convention",
    ),
    PartieTrame(
        "phase_initialisation",
        "Phase d'initialisation avec tableau récapitulatif des études et actions matures "
        "(calendrier, budget, partenaires financeurs)",
        "Phase d'initialisation",
        r"phase d'initialisation|^initialisation\b|actions matures|tableau recapitulatif|premieres actions",
    ),
    PartieTrame(
        "suivi_evaluation",
        "Modalités de suivi et évaluation",
        "Modalités de suivi et d'évaluation",
        r"suivi,? (et )?(d'|de l')?evaluation|suivi[- ]evaluation|evaluation et (de )?suivi|^evaluation\b|^indicateurs"
        r"|modalites de suivi|^suivi( du projet| de la convention| du programme| des actions)?$|indicateurs de suivi"
        r"|suivi des (indicateurs|actions|resultats)|^bilans?\b",
    ),
    PartieTrame(
        "traitement_litiges",
        "Traitement des litiges",
        "Traitement des litiges",
        r"litiges?\b|differends?|contentieux",
    ),
    PartieTrame(
        "annexe_fiches_matures",
        "Annexe : fiches actions matures",
        "Fiches actions matures",
        r"fiches?[- ]?actions?|actions matures|fiches? (projets?|operations?)",
    ),
)

# P2 « Contenu de l'avenant(s) à la convention ».
TRAME_AVENANT_PARTIES = (
    PartieTrame(
        "diagnostic_afom",
        "Résultats du diagnostic (analyse AFOM)",
        "Diagnostic du territoire (analyse AFOM)",
        r"diagnostic|afom|atouts,? faiblesses|\bswot\b|etat des lieux",
    ),
    PartieTrame(
        "objectifs_generaux_et_par_axe",
        "Objectifs généraux du projet et par axe",
        "Objectifs généraux et par axe",
        r"objectifs|^strategie|orientations strategiques|^axes? (strategiques|du projet)"
        r"|^projet (de revitalisation|de redynamisation|urbain|global|de territoire)",
    ),
    PartieTrame(
        "perimetres_intervention",
        "Périmètres d'intervention",
        "Périmètres d'intervention",
        r"perimetres?|secteurs? d'intervention|^zones? d'intervention",
    ),
    PartieTrame(
        "plan_actions",
        "Plan d'actions",
        "Plan d'actions",
        r"plan d'actions?|programme d'actions?|programmation des actions|^(les |liste des )?actions"
        r"( du projet| programmees| par axe)?$",
    ),
    PartieTrame(
        "calendrier_general",
        "Calendrier général",
        "Calendrier général",
        r"calendrier|echeancier|^planning|^phasage|chronogramme",
    ),
    PartieTrame(
        "budget_financement",
        "Budget et financement (montant total, part cofinanceurs / part porteur)",
        "Budget et financement",
        r"budget|financement|maquette financiere|^financier|cout (global|total)|^moyens financiers"
        r"|engagements financiers|incidences? financieres?|dispositions financieres|modalites financieres",
    ),
    PartieTrame(
        "annexe_livrables_etudes",
        "Annexe : livrables des études",
        "Livrables des études",
        r"livrables|\betudes?\b",
    ),
    PartieTrame(
        "annexe_document_presentation",
        "Annexe : document de présentation du projet",
        "Document de présentation du projet",
        r"document de presentation|presentation (du|de l'|generale)|^projet de (revitalisation|redynamisation)",
    ),
    PartieTrame(
        "annexe_plan_perimetres",
        "Annexe : plan des périmètres d'intervention",
        "Plan des périmètres",
        r"plans? (des |du )?perimetres?|perimetres?|cartographie|^cartes?\b|secteurs? d'intervention",
    ),
    PartieTrame(
        "annexe_calendrier_detaille",
        "Annexe : calendrier détaillé du projet",
        "Calendrier détaillé",
        r"calendrier|planning|echeancier|chronogramme|phasage",
    ),
    PartieTrame(
        "annexe_budget_detaille",
        "Annexe : budget détaillé du projet",
        "Budget détaillé",
        r"budget|maquette financiere|plan de financement|financements?\b|tableau financier",
    ),
    PartieTrame(
        "annexe_fiches_actions",
        "Annexe : fiches actions",
        "Fiches actions",
        r"fiches?[- ]?actions?|fiches? (projets?|operations?)",
    ),
)

# code -> the guide's label, for the rules' elements and the reconciliation.
TRAME_CONVENTION = {p.code: p.libelle for p in TRAME_CONVENTION_PARTIES}
TRAME_AVENANT = {p.code: p.libelle for p in TRAME_AVENANT_PARTIES}
# The kind of piece (documents.read) -> its trame.
TRAMES = {"convention_cadre": TRAME_CONVENTION_PARTIES, "avenant": TRAME_AVENANT_PARTIES}


# The generated sample convention writes its phase d'initialisation article before the durée
# article; every other piece follows the guide's order.
ORDRE_PIECES = {
    "convention_cadre": (
        "parties",
        "preambule_objectifs",
        "engagement_parties",
        "organisation_comite_projet",
        "phase_initialisation",
        "duree_evolution_fonctionnement",
        "suivi_evaluation",
        "traitement_litiges",
        "annexe_fiches_matures",
    ),
    "avenant": tuple(p.code for p in TRAME_AVENANT_PARTIES),
}


def titres_pieces(kind: str, annexes: bool) -> dict[str, str]:
    """code -> heading in the generated pieces of `kind` (convention_cadre, avenant), in the
    order they write them: the body parts, or the annexes."""
    parts = {p.code: p for p in TRAMES[kind]}
    return {code: parts[code].titre_piece for code in ORDRE_PIECES[kind] if parts[code].annexe == annexes}
