"""pydantic's validation errors, in French: one message for every error type pydantic_core can
raise (`pydantic_core.core_schema.ErrorType`), so that its English never reaches a user. Used by
the dossier loader, the rule loader and the web service's request errors.

The context pydantic gives (bounds, lengths, expected values) is written in French; the English
details it carries (a parser's `error`) are never shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from instruct.french import french_date


def _number(value) -> str:
    """A bound as the user wrote it: digits (a decimal point, no exponent), or a French date."""
    if isinstance(value, dt.date):
        return french_date(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    exact = Decimal(str(value))
    if not exact.is_finite():
        return str(value)
    return format(exact.normalize() if exact != exact.to_integral_value() else exact.to_integral_value(), "f")


def _expected(ctx: dict) -> str:
    return str(ctx.get("expected", "")).replace(" or ", " ou ")


DATE_ERRORS = {  # pydantic's (speedate's) date parsing errors, in French
    "input is too short": "date incomplète",
    "input is too long": "caractères en trop après la date",
    "month value is outside expected range of 1-12": "mois hors de 1 à 12",
    "day value is outside expected range": "jour inexistant",
    "invalid date separator, expected `-`": "séparateur « - » attendu",
    "invalid character in year": "année illisible",
    "invalid character in month": "mois illisible",
    "invalid character in day": "jour illisible",
}


def _date(ctx: dict) -> str:
    detail = DATE_ERRORS.get(str(ctx.get("error", "")))
    return "date invalide : attendu AAAA-MM-JJ" + (f" ({detail})" if detail else "")


OBJECT = "objet attendu (clé: valeur)"
INTERNAL = "valeur refusée par une vérification interne"
Message = str | Callable[[dict], str]

MESSAGES: dict[str, Message] = {
    # structure
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (vérifiez l'orthographe ; `acv schema` donne le format)",
    "invalid_key": "clé invalide : une clé est un texte",
    "no_such_attribute": lambda c: f"attribut inconnu : {c.get('attribute')}",
    "model_type": OBJECT,
    "model_attributes_type": OBJECT,
    "dataclass_type": OBJECT,
    "dataclass_exact_type": OBJECT,
    "named_tuple_type": "liste ou objet attendu",
    "dict_type": OBJECT,
    "frozen_dict_type": OBJECT,
    "ordered_dict_type": OBJECT,
    "counter_type": OBJECT,
    "mapping_type": OBJECT,
    "list_type": "liste attendue",
    "deque_type": "liste attendue",
    "tuple_type": "liste attendue",
    "set_type": "liste attendue",
    "frozen_set_type": "liste attendue",
    "set_item_not_hashable": "élément de liste invalide (un objet ou une liste ne peut y figurer)",
    "iterable_type": "liste attendue",
    "iteration_error": "liste illisible",
    "too_short": lambda c: (
        "au moins un élément attendu"
        if c.get("min_length") == 1
        else f"au moins {c.get('min_length')} éléments attendus"
    ),
    "too_long": lambda c: (
        f"trop d'éléments (maximum {_number(c.get('max_length'))})"
        if c.get("field_type") in {"List", "Tuple", "Set", "Frozenset", "Dictionary"}
        else f"trop long (maximum {_number(c.get('max_length'))})"
    ),
    "none_required": "aucune valeur attendue (null)",
    "recursion_loop": "référence circulaire",
    "recursion_depth_exceeded": "imbrication trop profonde",
    "frozen_field": "champ non modifiable",
    "frozen_instance": "objet non modifiable",
    "default_factory_not_called": "valeur par défaut non calculée : corrigez d'abord les autres erreurs",
    "get_attribute_error": "attribut illisible",
    "needs_python_object": "valeur non lisible depuis du JSON",
    "json_invalid": "JSON invalide",
    "json_type": "JSON attendu (texte)",
    "union_tag_invalid": lambda c: f"type inconnu : attendu {c.get('expected_tags')}",
    "union_tag_not_found": lambda c: f"champ « {c.get('discriminator')} » manquant : il dit le type de l'objet",
    "is_instance_of": "valeur d'un type inattendu",
    "is_subclass_of": "valeur d'un type inattendu",
    "callable_type": "valeur d'un type inattendu",
    "arguments_type": "liste ou objet d'arguments attendu",
    "missing_argument": "argument obligatoire manquant",
    "unexpected_keyword_argument": "argument inconnu",
    "missing_keyword_only_argument": "argument nommé obligatoire manquant",
    "unexpected_positional_argument": "argument en trop",
    "missing_positional_only_argument": "argument obligatoire manquant",
    "multiple_argument_values": "argument donné deux fois",
    "missing_sentinel_error": "aucune valeur attendue ici",
    "ellipsis_error": "aucune valeur attendue ici",
    # texts
    "string_type": 'texte attendu (entre guillemets pour un code : "01053")',
    "string_unicode": "texte illisible (encodage UTF-8 attendu)",
    "string_too_short": lambda c: (
        "texte vide" if c.get("min_length") == 1 else f"texte trop court (au moins {c.get('min_length')} caractères)"
    ),
    "string_too_long": lambda c: f"texte trop long (maximum {_number(c.get('max_length'))} caractères)",
    "string_pattern_mismatch": "format invalide",
    "string_not_ascii": "caractères ASCII seulement (sans accent)",
    "bytes_type": "contenu binaire attendu",
    "bytes_too_short": lambda c: f"contenu trop court (au moins {c.get('min_length')} octets)",
    "bytes_too_long": lambda c: f"contenu trop long (maximum {_number(c.get('max_length'))} octets)",
    "bytes_invalid_encoding": lambda c: f"contenu mal encodé (attendu : {c.get('encoding')})",
    "literal_error": lambda c: f"valeur non autorisée : attendu {_expected(c)}",
    "enum": lambda c: f"valeur non autorisée : attendu {_expected(c)}",
    "url_type": "adresse web attendue",
    "url_parsing": "adresse web invalide",
    "url_syntax_violation": "adresse web invalide",
    "url_too_long": lambda c: f"adresse web trop longue (maximum {c.get('max_length')} caractères)",
    "url_scheme": lambda c: f"adresse web : schéma attendu {c.get('expected_schemes')}",
    "uuid_type": "identifiant UUID attendu",
    "uuid_parsing": "identifiant UUID invalide",
    "uuid_version": lambda c: f"identifiant UUID de version {c.get('expected_version')} attendu",
    # numbers
    "bool_type": "valeur oui/non attendue (true/false)",
    "bool_parsing": "valeur oui/non attendue (true/false)",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_parsing_size": "nombre entier trop grand",
    "int_from_float": "nombre entier attendu (sans décimales)",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu (ex. 12.5)",
    "finite_number": "nombre fini attendu (ni NaN ni infini)",
    "decimal_type": "montant attendu (nombre)",
    "decimal_parsing": "montant invalide : attendu un nombre (ex. 125000.50)",
    "decimal_max_digits": lambda c: f"au plus {c.get('max_digits')} chiffres",
    "decimal_max_places": lambda c: f"au plus {c.get('decimal_places')} décimales (centimes)",
    "decimal_whole_digits": lambda c: f"au plus {c.get('whole_digits')} chiffres avant la virgule",
    "fraction_type": "nombre attendu",
    "fraction_parsing": "nombre attendu",
    "complex_type": "nombre attendu",
    "complex_str_parsing": "nombre attendu",
    "greater_than": lambda c: f"doit être strictement supérieur à {_number(c.get('gt'))}",
    "greater_than_equal": lambda c: f"doit être supérieur ou égal à {_number(c.get('ge'))}",
    "less_than": lambda c: f"doit être strictement inférieur à {_number(c.get('lt'))} (valeur absurde ?)",
    "less_than_equal": lambda c: f"doit être inférieur ou égal à {_number(c.get('le'))} (valeur absurde ?)",
    "multiple_of": lambda c: f"doit être un multiple de {_number(c.get('multiple_of'))}",
    # dates and times
    "date_type": "date attendue (AAAA-MM-JJ)",
    "date_parsing": _date,
    "date_from_datetime_parsing": _date,
    "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
    "date_past": "date passée attendue",
    "date_future": "date future attendue",
    "time_type": "heure attendue (HH:MM)",
    "time_parsing": "heure invalide : attendu HH:MM",
    "datetime_type": "date et heure attendues (AAAA-MM-JJTHH:MM)",
    "datetime_parsing": "date et heure invalides : attendu AAAA-MM-JJTHH:MM",
    "datetime_object_invalid": "date et heure invalides",
    "datetime_from_date_parsing": "date invalide : attendu AAAA-MM-JJ",
    "datetime_past": "date passée attendue",
    "datetime_future": "date future attendue",
    "timezone_naive": "date et heure sans fuseau horaire attendues",
    "timezone_aware": "date et heure avec fuseau horaire attendues",
    "timezone_offset": "fuseau horaire inattendu",
    "time_delta_type": "durée attendue",
    "time_delta_parsing": "durée invalide",
    # our own validators: their message is French (ValueError raised by the model)
    "value_error": lambda c: str(c.get("error") or "valeur invalide"),
    "assertion_error": INTERNAL,
}


def french_message(error: dict) -> str:
    """The French message of one of pydantic's errors (`ValidationError.errors()`)."""
    message = MESSAGES.get(error.get("type", ""), "valeur invalide")
    return message(error.get("ctx") or {}) if callable(message) else message


def clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union/function tags so the path is the document's own."""
    return tuple(
        p
        for p in loc
        if isinstance(p, int)
        or not (p.startswith("function-") or "[" in p or p in {"lax-or-strict", "json-or-python", "none", "str", "int"})
    )
