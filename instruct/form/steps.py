"""The guided form's steps and the tree of groups and fields a step shows (`build`), with the
values as typed, the errors beside their field and the list actions of repeatable groups."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from instruct.form.labels import lower_first
from instruct.form.raw import AUCUN, COUNT, Raw, join, list_sizes, marked
from instruct.form.schema import BOOLEEN, CHOIX, DATE, ENTIER, GROUPE, LISTE, MONTANT, NOMBRE, Spec, root, spec_at
from instruct.form.values import NO, YES, lines, write
from instruct.french import parse_date


@dataclass(frozen=True)
class Etape:
    slug: str
    titre: str
    intro: str
    racines: tuple[str, ...]  # the top-level fields of the dossier this step fills


STEPS: list[Etape] = [
    Etape(
        "collectivites",
        "Collectivités",
        "La ville-centre, son intercommunalité et les autres communes concernées par le programme.",
        ("collectivites", "id", "fictif"),
    ),
    Etape(
        "convention",
        "Convention-cadre et avenants",
        "La convention-cadre signée, ses signataires et délibérations, puis chaque avenant.",
        ("convention",),
    ),
    Etape(
        "gouvernance",
        "Gouvernance",
        "Le directeur de projet, le comité de projet, l'équipe projet, les partenaires et la préparation.",
        ("gouvernance", "preparation"),
    ),
    Etape(
        "perimetres",
        "Périmètres",
        "Le périmètre d'étude, le périmètre d'intervention (futur périmètre ORT) et les secteurs prioritaires.",
        ("perimetres",),
    ),
    Etape(
        "axes",
        "Diagnostic et objectifs par axe",
        "Pour chacun des cinq axes du programme, le diagnostic et les objectifs ; les sujets transversaux "
        "et les indicateurs de suivi.",
        ("axes", "sujets_transversaux", "indicateurs"),
    ),
    Etape(
        "fiches",
        "Fiches actions",
        "Chaque action du programme : son maître d'ouvrage, son calendrier, son coût et son plan de financement.",
        ("fiches_actions",),
    ),
    Etape(
        "immeubles",
        "Immeubles Action Logement",
        "Les immeubles proposés à Action Logement : la ligne du dossier ville et le dossier opérateur.",
        ("immeubles",),
    ),
    Etape(
        "dispositifs",
        "Dispositifs Anah, quartiers NPNRU/PNRQAD, ORT",
        "Les dispositifs de l'Anah, les quartiers en renouvellement urbain et l'opération de revitalisation "
        "de territoire.",
        ("dispositifs_anah", "quartiers", "ort"),
    ),
    Etape(
        "suivi",
        "Suivi",
        "Le suivi du déploiement, l'évaluation finale et la clôture de la convention.",
        ("suivi",),
    ),
    Etape(
        "pieces",
        "Pièces",
        "Les pièces du dossier : convention-cadre, avenants, notes, plans, délibérations.",
        ("pieces",),
    ),
]
STEP_BY_SLUG = {s.slug: s for s in STEPS}
STEP_OF_ROOT = {r: s.slug for s in STEPS for r in s.racines}

HINTS = {
    MONTANT: "En euros, par exemple 1 234 567,50",
    DATE: "Format attendu : JJ/MM/AAAA, par exemple 15/06/2019",
    ENTIER: "Un nombre entier",
    NOMBRE: "Un nombre, par exemple 12,5",
    "liste_textes": "Une valeur par ligne",
    "geometrie": "Tracez le contour sur la carte, importez un fichier (GeoJSON, KML, Shapefile zippé) "
    "ou collez un GeoJSON",
}
INPUTMODE = {MONTANT: "decimal", NOMBRE: "decimal", ENTIER: "numeric"}
_NAME = re.compile(r"[A-Za-z0-9_.]+")  # the form's names: model fields and indexes
_HELPS: dict[int, str | None] = {}
_HELP_ASIDE = re.compile(r"\s*\(absente? : [^)]*\)")
_HELP_DROP = re.compile(r"^\s*(absente?s?\b|\[\]|false\b|vrai\b|faux\b|id de la pièce)", re.I)


def help_of(spec: Spec) -> str | None:
    """The model's description as help for a town: what « absent », `[]` or `false` mean is said by
    the form itself (« Non renseigné », « Aucun (déclaré) »), so those parts are left out."""
    if not spec.help:
        return None
    if id(spec) in _HELPS:  # specs live as long as the process (schema caches them)
        return _HELPS[id(spec)]
    described = _HELP_ASIDE.sub("", spec.help)
    parts = [p.strip() for p in described.split(" ; ") if p.strip() and not _HELP_DROP.match(p)]
    text = " ; ".join(parts)
    if text.casefold() == spec.label.casefold():  # the label said it already
        text = ""
    _HELPS[id(spec)] = text[:1].upper() + text[1:] if text else None
    return _HELPS[id(spec)]


def anchor(name: str) -> str:
    """The HTML id of a field or group: `fiches_actions.4.cout` -> `champ-fiches_actions-4-cout`."""
    return "champ-" + name.replace(".", "-") if _NAME.fullmatch(name) else "champ-dossier"


@dataclass
class Champ:
    name: str  # the HTML field name = the key in Raw
    id: str
    label: str
    kind: str  # texte, paragraphe, montant, date, entier, nombre, booleen, choix, liste_textes, geometrie
    value: str = ""
    help: str | None = None
    hint: str | None = None  # the expected format (« Format attendu : JJ/MM/AAAA… »)
    error: str | None = None
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, French label); "" = non renseigné
    multiple: bool = False  # several choices (checkboxes); `values` holds the checked ones
    values: list[str] = field(default_factory=list)
    aucun: str | None = None  # label of the « aucun (déclaré) » checkbox, when the field has one
    aucun_name: str | None = None
    aucun_checked: bool = False
    inputmode: str | None = None
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (value, label) for a <datalist>
    iso: str | None = None  # a date's value as AAAA-MM-JJ when it reads (for <input type="date">)
    required_with: str | None = None  # required once this optional group is filled (`required` is then False)
    node: str = "champ"


@dataclass
class Groupe:
    name: str  # the dotted path ("" for a step's root)
    id: str
    label: str
    kind: str = "groupe"  # groupe (a section), liste (repeatable items), element (one item of a liste)
    help: str | None = None
    error: str | None = None
    required: bool = False
    children: list[Champ | Groupe] = field(default_factory=list)  # groupe and element
    items: list[Groupe] = field(default_factory=list)  # liste
    count_name: str | None = None  # liste: the hidden field holding the number of items
    count: int = 0
    item_label: str = ""  # element: « Fiche action n° 3 » ; liste: « Fiche action »
    add_label: str | None = None  # liste: « Ajouter une fiche action »
    add_action: str | None = None  # liste: « ajouter:fiches_actions »
    remove_action: str | None = None  # element: « supprimer:fiches_actions.2 »
    up_action: str | None = None  # element, None for the first
    down_action: str | None = None  # element, None for the last
    aucun: str | None = None  # liste that may be declared empty: the checkbox's label
    aucun_name: str | None = None
    aucun_checked: bool = False
    index: int | None = None  # element: 0-based
    summary: str = ""  # element: what names it as typed (« FA-03 — Réhabilitation des halles »), for a table
    node: str = "groupe"


Node = Champ | Groupe


def _field(spec: Spec, name: str, raw: Raw, errors: dict[str, str]) -> Champ:
    value = raw.get(name, "")
    choices: list[tuple[str, str]] = []
    if spec.kind == BOOLEEN:
        choices = [(YES, "Oui"), (NO, "Non")] + ([("", "Non renseigné")] if spec.nullable else [])
        if not value and spec.default is not None:
            value = write(spec, spec.default)
    elif spec.kind == CHOIX:
        choices = list(spec.choices)
        if not spec.multiple:
            if not value and spec.default is not None:
                value = write(spec, spec.default)
            if spec.default is None:
                choices = [("", "Non renseigné" if not spec.required else "Choisir")] + choices
    champ = Champ(
        name=name,
        id=anchor(name),
        label=spec.label,
        kind=spec.kind,
        value=value,
        help=help_of(spec),
        hint=HINTS.get(spec.kind),
        error=errors.get(name),
        required=spec.required,
        choices=choices,
        multiple=spec.multiple,
        values=lines(value) if spec.multiple else [],
        inputmode=INPUTMODE.get(spec.kind),
    )
    if spec.kind == DATE and value.strip():
        with contextlib.suppress(ValueError):
            champ.iso = parse_date(value).isoformat()
    if spec.name in PIECE_FIELDS:
        champ.suggestions = _pieces(raw)
    if spec.aucun:
        champ.aucun = spec.aucun
        champ.aucun_name = join(name, AUCUN)
        champ.aucun_checked = marked(raw, champ.aucun_name)
    return champ


SUMMARY_FIELDS = ("numero", "id", "code_qpv", "intitule", "nom", "adresse", "organisme", "financeur", "titre")
PIECE_FIELDS = frozenset({"piece", "pieces"})  # fields holding the id of one of the dossier's pieces


def _pieces(raw: Raw) -> list[tuple[str, str]]:
    """The dossier's pieces as (id, « titre (fichier) »), to suggest in the fields that name one."""
    out = []
    for key, value in raw.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "pieces" and parts[2] == "id" and value.strip():
            prefix = f"pieces.{parts[1]}"
            title = raw.get(f"{prefix}.titre") or raw.get(f"{prefix}.fichier") or value
            out.append((value.strip(), title.strip()))
    return out


def _node(spec: Spec, name: str, raw: Raw, errors: dict, sizes: dict, within: str | None = None) -> Node:
    """`within`: the optional group that makes a required field required (« Calendrier »)."""
    if spec.kind == GROUPE:
        group = Groupe(
            name, anchor(name), spec.label, help=help_of(spec), error=errors.get(name), required=spec.required
        )
        inner = within if spec.required else spec.label
        group.children = [_node(c, join(name, c.name), raw, errors, sizes, inner) for c in spec.children]
        return group
    if spec.kind == LISTE:
        return _list(spec, name, raw, errors, sizes)
    champ = _field(spec, name, raw, errors)
    if champ.required and within:  # required only once the group is filled
        champ.required, champ.required_with = False, within
        needed = f"Obligatoire si « {lower_first(within)} » est renseigné."
        champ.help = f"{champ.help} {needed}" if champ.help else needed
    return champ


def _list(spec: Spec, name: str, raw: Raw, errors: dict[str, str], sizes: dict[str, int]) -> Groupe:
    count = sizes.get(name, 0)
    group = Groupe(
        name,
        anchor(name),
        spec.label,
        kind="liste",
        help=help_of(spec),
        error=errors.get(name),
        count_name=join(name, COUNT),
        count=count,
        item_label=spec.item_label,
        add_label=f"Ajouter {spec.item_add}",
        add_action=f"ajouter:{name}",
    )
    if spec.aucun:
        group.aucun, group.aucun_name = spec.aucun, join(name, AUCUN)
        group.aucun_checked = count == 0 and marked(raw, group.aucun_name)
    group.items = [_item(spec, name, i, count, raw, errors, sizes) for i in range(count)]
    return group


def _item(spec: Spec, name: str, i: int, count: int, raw: Raw, errors: dict, sizes: dict) -> Groupe:
    path = join(name, i)
    return Groupe(
        path,
        anchor(path),
        f"{spec.item_label} n° {i + 1}",
        kind="element",
        error=errors.get(path),
        children=[_node(c, join(path, c.name), raw, errors, sizes) for c in spec.children],
        item_label=f"{spec.item_label} n° {i + 1}",
        summary=" — ".join(raw[k] for k in (join(path, n) for n in SUMMARY_FIELDS) if raw.get(k, "").strip())[:200],
        remove_action=f"supprimer:{path}",
        up_action=f"monter:{path}" if i > 0 else None,
        down_action=f"descendre:{path}" if i < count - 1 else None,
        index=i,
    )


def build(step_slug: str, raw: Raw, errors: dict[str, str] | None = None) -> list[Node]:
    """The groups and fields of a step, in the model's order (KeyError for an unknown step)."""
    step = STEP_BY_SLUG[step_slug]
    errors = errors or {}
    sizes = list_sizes(raw)
    top = root()
    specs = [top.child(r) for r in step.racines]
    return [_node(s, s.name, raw, errors, sizes) for s in specs if s is not None]


def build_at(path: str, raw: Raw, errors: dict[str, str] | None = None) -> Node | None:
    """The node of one group, list, item or field (a fiche action alone on its page: `fiches_actions.2`)."""
    errors = errors or {}
    parts = path.split(".")
    spec = spec_at(path)
    if spec is None:
        return None
    sizes = list_sizes(raw)
    if parts[-1].isdigit():
        return _item(spec, ".".join(parts[:-1]), int(parts[-1]), sizes.get(".".join(parts[:-1]), 0), raw, errors, sizes)
    return _node(spec, path, raw, errors, sizes)


def step_keys(step_slug: str, raw: Raw) -> set[str]:
    """The keys of `raw` that belong to a step (to replace them by what its page posts)."""
    roots = STEP_BY_SLUG[step_slug].racines
    return {k for k in raw if k.split(".")[0] in roots}


def merge_step(raw: Raw, step_slug: str, posted: Raw) -> Raw:
    """The draft's values with a step's page posted: the step's keys replaced (an unchecked box
    sends nothing, so what the page does not send is cleared), the other steps' kept."""
    roots = STEP_BY_SLUG[step_slug].racines
    kept = {k: v for k, v in raw.items() if k.split(".")[0] not in roots}
    kept.update({k: v for k, v in posted.items() if k.split(".")[0] in roots})
    return kept
