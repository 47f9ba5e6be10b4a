"""The formats of the rule files (`rules/*.yaml`) and of `rules/parametres.yaml`, as pydantic
models: they check the shape of a file, and their JSON Schema (`acv schema --regles`) lets an
editor complete and check a rule. The descriptions are French: they are what the editor shows.

What needs the fact catalogue (a field that exists, a literal of the field's unit, a known
parameter) is checked by the loader (catalogue.py), not here. Conditions and figures are
described here for the schema and read by conditions.parse / figures.parse_figures, whose
French messages say what is wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, TypeAdapter, ValidationError
from typing_extensions import TypeAliasType

from instruct.french import ISO, parse_date
from instruct.messages import french_message
from instruct.rules import conditions as C
from instruct.rules.figures import UNITS as FIGURE_UNITS
from instruct.rules.figures import parse_figures

PARAMETER_UNITS = ("mois", "jours", "date", "euros", "m2", "pourcent", "nombre", "annees")
RULE_ID_PATTERN = r"^[A-Z]+(-[A-Z])?-\d{2}$"

Severity = Literal["bloquant", "majeur", "mineur", "info"]
Stage = Literal["initialisation", "deploiement", "operateur"]
Status = Literal["conforme", "non_conforme", "incomplet", "a_verifier", "non_applicable"]
FigureUnit = Literal[tuple(sorted(FIGURE_UNITS))]  # type: ignore[valid-type]
ParameterUnit = Literal[PARAMETER_UNITS]  # type: ignore[valid-type]
Text = Annotated[str, Field(min_length=1)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- the condition language (read by conditions.parse) ------------------------------------------

Scalar = bool | int | float | str | dt.date


class ParamRef(_Closed):
    """Un paramètre daté de rules/parametres.yaml, pris à sa valeur en vigueur à la date d'évaluation."""

    param: str = Field(description="Nom du paramètre (ex. prog.duree_initialisation_max).")


Value = Scalar | ParamRef
UNIT_HELP = (
    " Valeur dans l'unité naturelle du champ : « 80 000 € », « 75 % », « 1 000 m² », date AAAA-MM-JJ, nombre entier."
)


class Comparison(_Closed):
    """Compare un champ du fait à une valeur : exactement un opérateur."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 2, "maxProperties": 2})
    field: str = Field(description="Champ du fait lu (voir les faits de la portée de la règle).")
    eq: Value | None = Field(None, description="égal à." + UNIT_HELP)
    ne: Value | None = Field(None, description="différent de." + UNIT_HELP)
    lt: Value | None = Field(None, description="strictement inférieur à." + UNIT_HELP)
    le: Value | None = Field(None, description="inférieur ou égal à." + UNIT_HELP)
    gt: Value | None = Field(None, description="strictement supérieur à." + UNIT_HELP)
    ge: Value | None = Field(None, description="supérieur ou égal à." + UNIT_HELP)
    in_: list[Scalar] | None = Field(None, alias="in", min_length=1, description="parmi ces valeurs.")
    present: bool | None = Field(None, description="true : le champ est renseigné ; false : il manque.")


Condition = TypeAliasType("Condition", Union[Comparison, "AllOf", "AnyOf", "NotOf", list["Condition"]])


class AllOf(_Closed):
    all: list[Condition] = Field(min_length=1, description="Toutes ces conditions sont vraies.")


class AnyOf(_Closed):
    any: list[Condition] = Field(min_length=1, description="Au moins une de ces conditions est vraie.")


class NotOf(_Closed):
    not_: Condition = Field(alias="not", description="Cette condition est fausse.")


for _model in (AllOf, AnyOf, NotOf):
    _model.model_rebuild()


def _condition(raw: Any) -> C.Condition | None:
    return None if raw is None else C.parse(raw, "condition")


def _review(raw: Any) -> C.Condition | None:
    return None if raw is None else C.parse(raw, "review")


def _requirement(raw: Any) -> C.Condition | None:
    return None if raw is None else C.parse(raw, "requirement")


def _condition_type(read, description: str):
    return Annotated[Any, PlainValidator(read, json_schema_input_type=Condition), Field(description=description)]


# --- figures (read by figures.parse_figures) ------------------------------------------------------


Expression = TypeAliasType("Expression", Union[int, float, str, "Operation"])


class Operation(_Closed):
    """Un opérande ({field}, {param}) ou une opération : exactement une clé."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})
    field: str | None = Field(None, description="Valeur d'un champ du fait (dans l'unité des faits).")
    param: str | None = Field(None, description="Valeur d'un paramètre daté (dans l'unité des faits).")
    add: list[Expression] | None = Field(None, min_length=2, description="Somme.")
    sub: list[Expression] | None = Field(None, min_length=2, description="Différence (le premier moins les autres).")
    mul: list[Expression] | None = Field(None, min_length=2, description="Produit.")
    div: list[Expression] | None = Field(
        None, min_length=2, description="Quotient (division par zéro : pas de chiffre)."
    )
    max: list[Expression] | None = Field(None, min_length=2, description="Le plus grand.")
    min: list[Expression] | None = Field(None, min_length=2, description="Le plus petit.")
    jours: list[Expression] | None = Field(
        None, min_length=2, max_length=2, description="Nombre de jours de la première date à la seconde."
    )
    ceil: Expression | None = Field(None, description="Arrondi à l'entier supérieur.")
    floor: Expression | None = Field(None, description="Arrondi à l'entier inférieur.")


Operation.model_rebuild()


class FigureSpec(_Closed):
    """Un petit calcul qui explique un constat (jamais ne le décide), montré par {figure.nom}."""

    label: Text = Field(description="Ce que le chiffre est, en français (montré dans les preuves).")
    unit: FigureUnit = Field(description="Unité d'affichage : celle des faits (cents, pct, m2c…).")
    value: Expression = Field(description="Le calcul.")


def _figures(raw: Any):
    return [] if raw is None else parse_figures(raw, "figures")


# --- a rule and a rule file ------------------------------------------------------------------------


class SourceSpec(_Closed):
    """D'où vient la règle : toute règle cite sa source."""

    document: Text = Field(description="Document : guide du programme, texte de loi, conditions d'un partenaire.")
    section: Text = Field(description="Section, titre de diapositive ou article.")
    citation: str | None = Field(None, description="Passage cité mot pour mot (facultatif).")


class ScopeSpec(_Closed):
    type: str = Field(description="Type de fait examiné (dossier, fiche_action, immeuble…).")
    where: dict[str, bool | int | str] = Field(
        default_factory=dict, description="Ne garder que les faits dont ces champs (toujours renseignés) valent ceci."
    )


def _scope(raw: Any) -> tuple[str, dict]:
    if isinstance(raw, str) and raw:
        return raw, {}
    if isinstance(raw, dict) and "type" in raw and not set(raw) - {"type", "where"}:
        where = raw.get("where") or {}
        if isinstance(raw["type"], str) and isinstance(where, dict):
            return raw["type"], where
    raise ValueError("attendu un type de fait, ou {type: ..., where: {champ: valeur}}")


class RuleSpec(_Closed):
    """Une règle. Pour chaque entité de la portée : une donnée de la condition manque -> incomplet ;
    condition fausse -> non applicable ; review vraie -> à vérifier ; une donnée de requires
    manque -> incomplet ; exigence vraie -> conforme, sinon non conforme."""

    model_config = ConfigDict(title="Règle")
    id: str = Field(pattern=RULE_ID_PATTERN, description="Identifiant public, jamais renommé (ex. PROG-07, AL-O-12).")
    check: str | None = Field(None, description="Nom du contrôle quand une règle en a plusieurs (même id).")
    title: Text = Field(description="Intitulé court de la règle.")
    severity: Severity = Field(description="Gravité d'un écart : bloquant, majeur, mineur ou info.")
    scope: Annotated[
        Any,
        PlainValidator(_scope, json_schema_input_type=str | ScopeSpec),
        Field(description="Portée : type de fait examiné, ou {type: …, where: {champ: valeur}}."),
    ]
    etape: Stage | None = Field(
        None, description="Étape où la commune fournit ce que la règle lit (défaut : l'étape du fichier)."
    )
    condition: _condition_type(_condition, "Quand la règle s'applique (sinon non applicable).") = None
    review: _condition_type(_review, "Quand seule une personne peut juger (à vérifier).") = None
    requires: list[str] = Field(default_factory=list, description="Champs nécessaires (absents : incomplet).")
    requirement: _condition_type(_requirement, "Ce qui doit être vrai (sinon non conforme).") = None
    figures: Annotated[
        Any,
        PlainValidator(_figures, json_schema_input_type=dict[str, FigureSpec]),
        Field(description="Chiffres calculés montrés dans les messages ({figure.nom})."),
    ] = None
    message: Text = Field(description="Message d'un écart (non conforme) ; {champ}, {param.nom}, {figure.nom}.")
    messages: dict[Status, str] = Field(default_factory=dict, description="Message propre à un autre statut.")
    remedy: Text = Field(description="Non conforme : ce qu'il faut corriger ; {champ}, {param.nom}, {figure.nom}.")
    remedies: dict[Literal["incomplet", "a_verifier"], Text] = Field(
        default_factory=dict,
        description=(
            "Remède propre à un autre statut. incomplet : ce qu'il faut fournir (par défaut : les informations "
            "manquantes, nommées) ; a_verifier : qui apprécie quoi (obligatoire avec « review »)."
        ),
    )
    source: SourceSpec = Field(description="Source : {document, section, citation}.")


class RuleFileSpec(_Closed):
    """Un jeu de règles : un fichier rules/*.yaml."""

    model_config = ConfigDict(title="Jeu de règles")
    ruleset: Text = Field(description="Code du jeu de règles dans les rapports (ex. PROG, AL-O).")
    partenaire: Text = Field(description="Nom du partenaire pour --partenaire (ex. programme, action-logement).")
    title: Text = Field(description="Intitulé du jeu de règles.")
    etape: Stage = Field("initialisation", description="Étape par défaut des règles du fichier (listes de pièces).")
    related: list[str] = Field(
        default_factory=list, description="Partenaires dont la sélection sélectionne aussi ce jeu de règles."
    )
    rules: list[RuleSpec] = Field(description="Les règles.")


class RuleFileHeader(RuleFileSpec):
    """The file's own keys; each rule is read on its own (its errors do not hide the others')."""

    rules: list[Any]


# --- dated parameters ---------------------------------------------------------------------------


def _start_date(raw: Any) -> dt.date:
    """A start date as YAML reads it (a date), or its ISO text; never a number of seconds."""
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str):
        try:
            return parse_date(raw, ISO)
        except ValueError:
            pass
    raise ValueError(f"« {raw} » n'est pas une date AAAA-MM-JJ")


StartDate = Annotated[dt.date, BeforeValidator(_start_date)]


class ParameterSpec(_Closed):
    """Un paramètre daté (style OpenFisca) : chaque valeur vaut à partir de sa date."""

    libelle: Text = Field(
        description="Nom français court, montré aux communes à la place du code (ex. « durée maximale de la phase "
        "d'initialisation »)."
    )
    description: Text = Field(description="Ce que le paramètre fixe, en français.")
    unit: ParameterUnit = Field(
        description="Unité des valeurs (euros, pourcent, m2, mois, jours, annees, date, nombre)."
    )
    reference: Text = Field(description="Source : texte, guide ou conditions du partenaire.")
    values: dict[StartDate, bool | int | float | str | dt.date | None] = Field(
        min_length=1, description="Date de début (AAAA-MM-JJ) -> valeur ; null suspend la règle qui l'utilise."
    )


PARAMETER_FILE = TypeAdapter(dict[str, ParameterSpec])


def json_schema() -> dict:
    """One schema for every file of rules/: a rule file, or the parameter file."""
    rule_file = RuleFileSpec.model_json_schema(ref_template="#/$defs/{model}")
    parameters = PARAMETER_FILE.json_schema(ref_template="#/$defs/{model}")
    defs = {**rule_file.pop("$defs", {}), **parameters.pop("$defs", {})}
    defs["JeuDeRegles"] = rule_file
    defs["Parametres"] = {**parameters, "title": "Paramètres datés (rules/parametres.yaml)"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Fichiers de règles acv-instruct (rules/*.yaml)",
        "description": "Un jeu de règles (rules/<partenaire>.yaml) ou les paramètres datés (rules/parametres.yaml).",
        "anyOf": [{"$ref": "#/$defs/JeuDeRegles"}, {"$ref": "#/$defs/Parametres"}],
        "$defs": defs,
    }


# --- pydantic's errors, in French ---------------------------------------------------------------

MISSING_HINTS = {
    "source": " (toute règle cite sa source)",
    "document": " (document et section obligatoires)",
    "section": " (document et section obligatoires)",
    "reference": " (la source est obligatoire)",
    "libelle": " (le nom français du paramètre, montré à la place de son code)",
}
UNKNOWN_VALUE = {"severity": "gravité inconnue", "etape": "étape inconnue", "unit": "unité inconnue"}


def _known_keys(model: type[BaseModel] | None) -> str:
    if model is None:
        return ""
    names = sorted(f.alias or name for name, f in model.model_fields.items())
    return f" (connues : {', '.join(names)})"


def _expected(ctx: dict) -> str:
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", " ou ")


def french_errors(exc: ValidationError, model: type[BaseModel] | None = None) -> list[tuple[tuple, str]]:
    """(path in the document, French message) for each error; `model` names the known keys of
    the object validated (an unknown key at its top level lists them)."""
    out = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
            if kind == "literal_error":
                out.append((loc, f"clé inconnue « {loc[-1]} » (attendu : {_expected(ctx)})"))
            else:
                out.append((loc, f"« {loc[-1]} » n'est pas une date AAAA-MM-JJ"))
        elif kind == "missing":
            out.append((loc[:-1], f"clé manquante : {loc[-1]}{MISSING_HINTS.get(str(loc[-1]), '')}"))
        elif kind == "extra_forbidden":
            out.append((loc, "clé inconnue" + (_known_keys(model) if len(loc) == 1 else "")))
        elif kind == "literal_error":
            noun = UNKNOWN_VALUE.get(str(loc[-1]) if loc else "", "valeur inconnue")
            out.append((loc, f"{noun} « {value} » (attendu : {_expected(ctx)})"))
        elif kind == "string_pattern_mismatch" and loc and loc[-1] == "id":
            out.append((loc, f"identifiant « {value} » mal formé (attendu par ex. PROG-07, AL-O-12)"))
        elif kind == "value_error":
            out.append((loc, str(ctx.get("error", "valeur invalide"))))
        else:
            out.append((loc, french_message(error)))
    return out
