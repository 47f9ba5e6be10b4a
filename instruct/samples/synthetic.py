"""Synthetic dossiers to exercise the batch (`acv samples generate`).

Each dossier is built from a sample of the template folder given (the repository's samples/:
villebelle, montclair, saint-aubin, belcastel), loaded with the project's loader, then varied:
the commune (name, INSEE code, EPCI, point), the dates (shifted together, within the programme's
deadlines), the amounts (scaled, plans of financement kept balanced), the intitulés and people,
optional fiches, quartiers, dispositifs and immeubles. One profile per dossier says what it is
meant to show: recevable, incomplet, non conforme to a named rule, or unreadable (a YAML error,
a wrong type). Pieces (convention DOCX, avenant PDF with its table, notes; now and then a scan
or a corrupt file) are rendered from the final dossier by `render_pieces`, so that they agree
with it.

Without a communes list the towns are invented (INSEE codes 99xxx, attributed to no commune).
With `communes` (the programme's list, `acv-communes.csv`) the real towns' names, INSEE codes,
EPCI SIREN and points are used, in file order; every dossier stays marked as synthetic
(`fictif: true`, an id starting with « synthetique- », a header comment). The geometry of the
template is translated to the town's point, so the geometric rules behave as in the template.

Same arguments and seed, same bytes. `out/manifeste.csv` lists each dossier with its profile
and the outcome it is built for.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from instruct.errors import InputError, Problem
from instruct.model.validation import validate_dossier
from instruct.samples.synthetic_defects import defect, unreadable
from instruct.samples.synthetic_profiles import (
    EXPECTED,
    MANIFEST,
    MANIFEST_COLUMNS,
    N_MAX,
    Profile,
    profile_sequence,
)
from instruct.samples.synthetic_towns import Town, de, fictitious_towns, read_communes, slug
from instruct.samples.synthetic_vary import (
    CADRES,
    CENTRES,
    SHIFTS,
    TOKENS,
    Templates,
    people,
    read_templates,
    replace_text,
    scale_amounts,
    shift_dates,
    translate,
    vary_villebelle,
)
from instruct.samples.synthetic_write import dump_yaml, header, render, strip_pieces

# --- one dossier --------------------------------------------------------------------------------------


@dataclass
class Generated:
    folder: str
    commune: str
    insee: str
    profile: Profile
    pieces: int


def build(
    templates: Templates, index: int, town: Town, profile: Profile, seed: int, documents: bool, folder: Path
) -> Generated:
    rng = random.Random(f"acv-synthetique/{seed}/{index}")
    name = profile.template
    d = templates.dossier(name)
    tokens = TOKENS[name]
    de_nom = de(town.nom)
    pairs = [(tokens["epci"][0], town.epci), (tokens["epci"][1], town.epci_court)]
    others = {
        "office": f"Office HLM {de_nom}",
        "bailleur": f"Habitat {de_nom} (fictif)",
        "sem": f"SEM {town.nom} Aménagement (fictive)",
        "centre": f"Centre-ville {de_nom}",
        "cci": "Chambre de commerce et d'industrie",
    }
    pairs += [(old, others[key]) for old, key in tokens["others"].items()]
    pairs += [
        (f"Ville de {tokens['nom']}", f"Ville {de_nom}"),
        (f"Centre-ville de {tokens['nom']}", f"Centre-ville {de_nom}"),
        (tokens["nom"], town.nom),
        (tokens["insee"], town.insee),
    ]
    pairs += people(d, name, town, rng)
    if name == "villebelle":
        vary_villebelle(d, rng)
    # dates: the town's own signature date when the template's timeline allows it
    low, high = SHIFTS[name]
    delta = (town.signature - CADRES[name]).days if town.signature else None
    if delta is None or not (low <= delta <= high):
        delta = rng.randrange(low, high + 1)
    factor = Decimal(rng.randrange(60, 181)) / 100
    scale_amounts(d, factor)
    d = shift_dates(d, delta)
    used: set[str] = set()
    if name == "villebelle":
        defect(templates, profile.name, d, rng, delta, used)
    # identity
    d["id"] = f"synthetique-{index + 1:04d}-{slug(town.nom)}"[:64].rstrip("-")
    d["fictif"] = True
    ville = {"nom": town.nom, "insee": town.insee}
    epci = {"nom": town.epci} | ({"siren": town.siren} if town.siren else {})
    d = replace_text(d, pairs)
    d["collectivites"]["ville_centre"] = ville
    d["collectivites"]["intercommunalite"] = epci
    if town.partner:
        d["collectivites"]["autres_communes"] = [{"nom": town.partner[0], "insee": town.partner[1]}]
    cx, cy = CENTRES[name]
    d = translate(d, town.lon - cx, town.lat - cy)
    # pieces
    pieces_dir = folder / "pieces"
    with_pieces = (
        documents
        and profile.group != "illisible"
        and (profile.documents_only or bool(d.get("immeubles")) or rng.random() < 0.6)
    )
    written: list[Path] = []
    if with_pieces:
        written = render(d, profile, rng, pieces_dir)
    else:
        strip_pieces(d, keep=profile.name == "incomplet_pieces")
    dossier = validate_dossier(d)  # what is written is a valid dossier (before an unreadable one is spoilt)
    text = dump_yaml(d)
    if profile.group == "illisible":
        text = unreadable(text, profile, rng)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dossier.yaml").write_text(header(town, profile) + text, encoding="utf-8")
    assert dossier.id == d["id"]
    return Generated(folder.name, town.nom, town.insee, profile, len(written))


# --- the set ------------------------------------------------------------------------------------------


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(str(out), [Problem("", "existe et n'est pas un répertoire")])
    if out.is_dir() and any(out.iterdir()):
        raise InputError(
            str(out),
            [
                Problem(
                    "",
                    "le répertoire existe et n'est pas vide : rien n'est écrasé ; "
                    "indiquez un répertoire absent ou vide",
                )
            ],
        )


def generate(
    n: int,
    out: Path,
    *,
    templates: Path,
    communes: Path | None = None,
    seed: int = 2026,
    documents: bool = True,
) -> list[Path]:
    """Write n synthetic dossiers under out/ (one folder each: out/<slug>/dossier.yaml [+ pieces/…])
    and out/manifeste.csv, built from the sample dossiers in `templates` (the repository's samples/);
    return the folders."""
    out = Path(out)
    if not isinstance(n, int) or n < 1 or n > N_MAX:
        raise InputError("--n", [Problem("", f"nombre de dossiers entre 1 et {N_MAX} attendu (reçu : {n})")])
    _check_out(out)
    models = read_templates(Path(templates))
    towns = read_communes(Path(communes), n) if communes is not None else fictitious_towns(n, seed)
    profiles = profile_sequence(n, seed, documents)
    width = max(3, len(str(n)))
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))  # the set appears whole, or not at all
    try:
        rows = []
        for i, (town, profile) in enumerate(zip(towns, profiles)):
            folder = work / f"{i + 1:0{width}d}-{slug(town.nom)}"
            rows.append(build(models, i, town, profile, seed, documents, folder))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(MANIFEST_COLUMNS)
        for row in rows:
            writer.writerow(
                [
                    row.folder,
                    row.commune,
                    row.insee,
                    row.profile.name,
                    row.pieces,
                    EXPECTED[row.profile.group],
                    " ".join(row.profile.rules) if row.profile.group == "non_conforme" else "",
                ]
            )
        (work / MANIFEST).write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")
        _check_out(out)  # still absent or empty
        if out.is_dir():
            out.rmdir()
        os.rename(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return [out / row.folder for row in rows]
