"""Facts of the programme rule set (PROG) about the convention-cadre: its required
signatories, the parts and prerequisites expected of it (trames, gouvernance, comité de
projet, préparation: one `element` fact per expected item) and the five axes."""

from __future__ import annotations

from instruct.facts.base import CONTEXT, PARTNER_NAMES, Builder, Entity, F, Family, FieldSpec, name_key, names_partner
from instruct.model.dossier import Avenant, Dossier
from instruct.vocabulary import AXES, SIGNATAIRES_REQUIS, TRAME_AVENANT, TRAME_CONVENTION

TYPES: dict[str, dict[str, FieldSpec]] = {
    "element": {
        **CONTEXT,
        "liste": F(
            "str",
            "liste d'éléments attendus",
            True,
            definition=(
                "Liste d'éléments attendus qui contient l'élément (trame_convention, trame_avenant, "
                "prerequis_initialisation, comite_projet…)."
            ),
        ),
        "code": F(
            "str",
            "élément attendu",
            True,
            definition="Code de l'élément attendu dans sa liste (ex. gouvernance, directeur_projet).",
        ),
        "libelle": F(
            "str",
            "libellé de l'élément",
            True,
            definition="Libellé français de l'élément attendu, tel que le guide le nomme.",
        ),
        "present": F(
            "bool",
            "élément présent",
            definition=(
                "Vrai si le dossier déclare l'élément (partie de convention, prérequis, membre du "
                "comité) ; faux seulement si le dossier le dit (partie marquée false, liste fournie qui ne "
                "le contient pas, équipe déclarée non opérationnelle, partenaires locaux tous nationaux) ; "
                "absent si le dossier ne le dit pas."
            ),
        ),
    },
    "signataire": {
        **CONTEXT,
        "role": F(
            "str",
            "rôle du signataire attendu",
            True,
            definition=(
                "Rôle du signataire attendu de la convention-cadre (ville_centre, intercommunalite, prefet, anru…)."
            ),
        ),
        "libelle": F("str", "signataire attendu", True, definition="Libellé français du signataire attendu."),
        "requis": F(
            "bool",
            "signature requise",
            definition=(
                "Vrai si la signature est requise : toujours, sauf celle de l'ANRU, requise seulement "
                "quand des quartiers NPNRU ou PNRQAD sont déclarés (quartiers) ; pour l'ANRU, absent si la "
                "situation au regard de l'ANRU n'est pas déclarée (quartiers absent), faux si quartiers est []."
            ),
        ),
        "signe": F(
            "bool",
            "a signé la convention-cadre",
            definition=(
                "Vrai si un signataire de ce rôle figure dans convention.cadre.signataires ; absent "
                "si la liste n'est pas fournie."
            ),
        ),
    },
    "axe": {
        **CONTEXT,
        "numero": F("int", "numéro de l'axe", True, definition="Numéro de l'axe du programme (1 à 5)."),
        "libelle": F(
            "str", "intitulé de l'axe", True, definition="Intitulé de l'axe du programme, tel que le guide le nomme."
        ),
        "diagnostic": F(
            "bool",
            "diagnostic de l'axe",
            definition="Vrai si l'axe est décrit (axes[]) avec un diagnostic ; absent sinon.",
        ),
        "objectifs": F(
            "bool",
            "objectifs de l'axe",
            definition="Vrai si l'axe est décrit (axes[]) avec au moins un objectif ; absent sinon.",
        ),
        "nb_actions": F(
            "int",
            "nombre de fiches actions de l'axe",
            True,
            definition="Nombre de fiches actions rattachées à cet axe (fiches_actions[].axe).",
        ),
    },
}


# The programme's national partners (guide, « Une démarche concertée… » : « Les grands partenaires
# nationaux du programme » : l'État, la Caisse des Dépôts, l'Anah, Action Logement, l'ANRU), as
# towns usually write them, compared with french.name_key. A « partenariat local consolidé » is
# one « en plus des partenaires nationaux » : these do not count.
NATIONAL_PARTNERS = tuple(
    name_key(n)
    for n in (
        "État",
        "L'État",
        "Etat",
        "Préfecture",
        "Préfet",
        "Préfète",
        "Sous-préfecture",
        "Sous-préfet",
        "DDT",
        "DDTM",
        "DREAL",
        "Services de l'État",
        "Caisse des Dépôts",
        "Caisse des Dépôts et Consignations",
        "Groupe Caisse des Dépôts",
        "CDC",
        "Banque des Territoires",
        "Action Logement",
        "Action Logement Services",
        "Action Logement Immobilier",
        "Anah",
        "Agence nationale de l'habitat",
        "ANRU",
        "Agence nationale pour la rénovation urbaine",
        "ANCT",
        "Agence nationale de la cohésion des territoires",
    )
)


def is_national_partner(name: str) -> bool:
    """« Banque des Territoires (CDC) », « Etat – DDT », « Action Logement Services » are national."""
    key = name_key(name)
    return any(key == n or key.startswith(n + " ") for n in NATIONAL_PARTNERS)


def signing_roles(signataires) -> set[str]:
    """The roles of a list of signatories: each one's declared role, and the required role its
    organisme names (« ANAH » listed as « autre » signs for the Anah)."""
    roles = {s.role for s in signataires}
    return roles | {r for s in signataires for r in PARTNER_NAMES if names_partner(s.organisme, r)}


def local_partners(names: list[str]) -> list[str]:
    return [n for n in names if not is_national_partner(n)]


def signataires(b: Builder, d: Dossier) -> None:
    cadre = d.convention.cadre if d.convention else None
    roles = signing_roles(cadre.signataires) if cadre and cadre.signataires is not None else None
    anru_concerne = None if d.quartiers is None else bool(d.quartiers)  # not declared: unknown
    for role, libelle in SIGNATAIRES_REQUIS.items():
        b.add(
            "signataire",
            Entity("signataire", role, f"Signataire : {libelle}", "convention.cadre.signataires"),
            {
                "role": role,
                "libelle": libelle,
                "requis": anru_concerne if role == "anru" else True,
                "signe": None if roles is None else role in roles,
            },
            {"signe": "convention.cadre.signataires", "requis": "quartiers" if role == "anru" else ""},
        )


def _element(
    b: Builder, liste: str, code: str, libelle: str, present: bool | None, path: str, entity_label: str
) -> None:
    b.add(
        "element",
        Entity(liste, code, f"{entity_label} : {libelle}", path),
        {"liste": liste, "code": code, "libelle": libelle, "present": present},
        {"present": path},
    )


def elements(
    b: Builder, d: Dossier, avenant: Avenant | None, avenant_index: int | None, read_from_pieces: set[str] = frozenset()
) -> None:
    cadre = d.convention.cadre if d.convention else None
    gouv = d.gouvernance
    # Prérequis pour l'initialisation (PROG-03)
    deliberations = {x.organe for x in cadre.deliberations} if cadre and cadre.deliberations is not None else None
    # A list read from the pieces says which councils were found, not that the others did not
    # deliberate (their délibération may be a piece not sent): an organe it lacks is unknown.
    lacking = None if "convention.cadre.deliberations" in read_from_pieces else False
    comite = gouv.comite_projet if gouv else None
    for code, libelle, present, path in (
        (
            "comite_projet_installe",
            "comité de projet installé",
            True if comite and comite.date_installation else None,  # no comité or no date given: not told
            "gouvernance.comite_projet.date_installation",
        ),
        (
            "directeur_projet_nomme",
            "directeur de projet recruté et nommé",
            True if gouv and gouv.directeur_projet is not None else None,  # not given: not told
            "gouvernance.directeur_projet",
        ),
        (
            "deliberation_commune",
            "délibération de la commune",
            None if deliberations is None else ("commune" in deliberations or lacking),
            "convention.cadre.deliberations",
        ),
        (
            "deliberation_intercommunalite",
            "délibération de l'intercommunalité",
            None if deliberations is None else ("intercommunalite" in deliberations or lacking),
            "convention.cadre.deliberations",
        ),
    ):
        _element(b, "prerequis_initialisation", code, libelle, present, path, "Prérequis d'initialisation")
    # Trame de la convention-cadre (PROG-04)
    contenu = cadre.contenu if cadre else None
    for code, libelle in TRAME_CONVENTION.items():
        _element(
            b,
            "trame_convention",
            code,
            libelle,
            getattr(contenu, code) if contenu else None,  # a part left out: not told
            f"convention.cadre.contenu.{code}",
            "Convention-cadre",
        )
    # Contenu de l'avenant (PROG-09)
    contenu_av = avenant.contenu if avenant else None
    for code, libelle in TRAME_AVENANT.items():
        _element(
            b,
            "trame_avenant",
            code,
            libelle,
            getattr(contenu_av, code) if contenu_av else None,
            f"convention.avenants[{avenant_index}].contenu.{code}" if avenant else "convention.avenants",
            "Avenant",
        )
    # Sujets transversaux (PROG-11)
    sujets = d.sujets_transversaux
    for code, libelle in (
        ("innovation", "innovation"),
        ("numerique", "numérique"),
        ("animation", "animation du centre-ville"),
    ):
        _element(
            b,
            "sujets_transversaux",
            code,
            libelle,
            True if sujets and getattr(sujets, code) is not None else None,  # not described: not told
            f"sujets_transversaux.{code}",
            "Sujet transversal",
        )
    # Prérequis pour le déploiement (PROG-13)
    equipe = gouv.equipe_projet if gouv else None
    for code, libelle, present, path in (
        (
            "equipe_projet_operationnelle",
            "équipe projet opérationnelle",
            equipe.operationnelle if equipe else None,  # false only when the dossier says so
            "gouvernance.equipe_projet.operationnelle",
        ),
        (
            "partenariat_local",
            "partenariat local consolidé",
            None if gouv is None or gouv.partenaires_locaux is None else bool(local_partners(gouv.partenaires_locaux)),
            "gouvernance.partenaires_locaux",
        ),
    ):
        _element(b, "prerequis_deploiement", code, libelle, present, path, "Prérequis de déploiement")
    # Composition du comité de projet (PROG-17)
    # the members listed are all the members; no comité or no list given: not told
    qualites = {m.qualite for m in comite.membres} if comite and comite.membres is not None else None
    for code, libelle, wanted in (
        ("elus", "élus", {"elu"}),
        ("directeur_projet", "directeur de projet", {"directeur_projet"}),
        ("prefet", "préfet de département ou référent départemental", {"prefet", "referent_departemental"}),
        ("cdc", "représentant de la Caisse des Dépôts", {"cdc"}),
        ("action_logement", "représentant d'Action Logement", {"action_logement"}),
    ):
        _element(
            b,
            "comite_projet",
            code,
            libelle,
            None if qualites is None else bool(qualites & wanted),
            "gouvernance.comite_projet.membres",
            "Comité de projet",
        )
    # Prérequis pour la préparation (PROG-21)
    prep = d.preparation
    for code, libelle, present, path in (
        (
            "contacts_cles",
            "contacts clefs identifiés",
            None if prep is None or prep.contacts_cles is None else bool(prep.contacts_cles),
            "preparation.contacts_cles",
        ),
        (
            "dispositifs_identifies",
            "contrats et dispositifs antérieurs ou en vigueur identifiés",
            None if prep is None or prep.dispositifs_identifies is None else bool(prep.dispositifs_identifies),
            "preparation.dispositifs_identifies",
        ),
        (
            "elements_diagnostic",
            "premiers éléments de diagnostic",
            None if prep is None else prep.elements_diagnostic,
            "preparation.elements_diagnostic",
        ),
        (
            "trame_etat",
            "trame de convention-cadre de l'État utilisée",
            None if prep is None else prep.trame_etat_utilisee,
            "preparation.trame_etat_utilisee",
        ),
    ):
        _element(b, "prerequis_preparation", code, libelle, present, path, "Prérequis de préparation")


def axes(b: Builder, d: Dossier) -> None:
    by_number = {a.numero: (i, a) for i, a in enumerate(d.axes or [])}
    actions = {n: sum(1 for f in d.fiches_actions if f.axe == n) for n in AXES}
    for numero, libelle in AXES.items():
        index, axe = by_number.get(numero, (None, None))
        path = f"axes[{index}]" if index is not None else "axes"
        b.add(
            "axe",
            Entity("axe", str(numero), f"Axe {numero} – {libelle}", path),
            {
                "numero": numero,
                "libelle": libelle,
                # an axe not described, or without diagnostic or objectives: not told
                "diagnostic": True if axe and axe.diagnostic else None,
                "objectifs": True if axe and axe.objectifs else None,
                "nb_actions": actions[numero],
            },
            {
                "diagnostic": f"{path}.diagnostic",
                "objectifs": f"{path}.objectifs",
                "nb_actions": "fiches_actions[*].axe",
            },
        )


ORDER = 10
FAMILIES = (
    Family(("signataire",), lambda b, c: signataires(b, c.dossier)),
    Family(
        ("element",),
        lambda b, c: elements(
            b, c.dossier, c.avenant, c.avenant_index, set(c.documents.provenance) if c.documents else frozenset()
        ),
    ),
    Family(("axe",), lambda b, c: axes(b, c.dossier)),
)
