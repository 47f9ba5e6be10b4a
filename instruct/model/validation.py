"""A dossier validated without its validator built again in every process.

pydantic builds a model's validator from a core schema generated in Python (≈ 60 ms for the dossier, its
sub-models included: ≈ 1/10 of a warm `acv check`). The validator is kept on disk (instruct.diskcache, kind
« modele ») under the package's code (the model's included), pydantic's and pydantic-core's versions: a
later process unpickles it, which builds the same validator from the same schema (pydantic-core's own
pickling), in ≈ 2 ms. Without a cache (`ACV_CACHE=0`, a read-only home) it is built as `model_validate`
would. What it accepts, refuses and says is Dossier.model_validate's: same validator, same errors. Every
dossier the package validates goes through `validate_dossier`, so a process (a check, a service's worker) holds
one validator, not this one and Dossier's own as well."""

from __future__ import annotations

import functools
import hashlib
from typing import Any

import pydantic
import pydantic_core

from instruct import diskcache
from instruct.model.dossier import Dossier

KIND = "modele"
BUDGET = 4 * 1024 * 1024  # a validator is ≈ 45 KB; one per version of the code, the oldest pruned first


def _key() -> str:
    described = f"{diskcache.code_digest()}\0{pydantic.VERSION}\0{pydantic_core.__version__}\0Dossier"
    return hashlib.sha256(described.encode()).hexdigest()


@functools.cache
def dossier_validator() -> pydantic_core.SchemaValidator:
    """Dossier's validator: the one kept on disk for this code and these versions, or built (then kept)."""
    key = _key() if diskcache.folder(KIND) is not None else None
    if key is not None:
        kept = diskcache.read(KIND, key)
        if isinstance(kept, pydantic_core.SchemaValidator) and kept.title == "Dossier":
            return kept
    Dossier.model_rebuild()  # deferred (model.fields.Modele): built on first use
    validator = Dossier.__pydantic_validator__
    if key is not None and type(validator) is pydantic_core.SchemaValidator:  # not a pydantic plugin's wrapper
        diskcache.write(KIND, key, validator, budget=BUDGET)
    return validator


def validate_dossier(data: Any) -> Dossier:
    """Dossier.model_validate(data): a Dossier, or pydantic's ValidationError."""
    return dossier_validator().validate_python(data)
