"""Writing a synthetic dossier: its YAML (stable order and quoting, a header comment) and its
pieces rendered from the final dossier (convention DOCX, avenant PDF, notes, a scan, a corrupt
file)."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from instruct.model.dossier import Dossier
from instruct.model.validation import validate_dossier
from instruct.samples.synthetic_profiles import EXPECTED, HEADER_REAL, Profile
from instruct.samples.synthetic_towns import Town
from instruct.samples.synthetic_vary import cents, hundreds

# --- writing ------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _flat(value: Any) -> bool:
    return _scalar(value) or (isinstance(value, list) and all(_flat(v) for v in value))


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    return dumper.represent_sequence(
        "tag:yaml.org,2002:seq", value, flow_style=bool(value) and all(_flat(v) for v in value)
    )


def _represent_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.Node:
    short = (
        all(_scalar(v) for v in value.values()) and sum(len(str(k)) + len(str(v)) + 4 for k, v in value.items()) < 90
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=short)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def header(town: Town, profile: Profile) -> str:
    lines = []
    if town.real:
        lines += [
            HEADER_REAL,
            "# Commune réelle de la liste ACV (nom, code INSEE, SIREN de l'EPCI, point) ; tout le reste est inventé.",
        ]
    else:
        lines += [
            "# VILLE FICTIVE — dossier SYNTHÉTIQUE généré par acv samples generate (aucune donnée réelle).",
            f"# {town.nom} n'existe pas ; son code INSEE {town.insee} n'est attribué à aucune commune.",
        ]
    lines.append(
        f"# Profil : {profile.name} — {profile.description} ; attendu : {EXPECTED[profile.group]}"
        + (f" ({', '.join(profile.rules)})" if profile.group == "non_conforme" else "")
        + "."
    )
    return "\n".join(lines) + "\n"


def strip_pieces(d: dict, keep: bool) -> None:
    """No files: no declared pieces nor references to them (but the one a profile declares missing)."""
    if keep:
        d["pieces"] = [p for p in d.get("pieces", []) if p["type"] == "deliberation"]
    else:
        d.pop("pieces", None)
    convention = d.get("convention") or {}
    for part in [convention.get("cadre") or {}] + convention.get("avenants", []):
        part.pop("piece", None)


def render(d: dict, profile: Profile, rng: random.Random, pieces_dir: Path) -> list[Path]:
    """The pieces of the dossier, rendered from it (they agree with it), declared in `pieces:`."""
    from instruct.samples import render_pieces as rp

    dossier = validate_dossier(d)
    written: list[Path] = []
    template_name = profile.template
    if template_name == "villebelle":
        if profile.name != "incomplet_pieces" or rng.random() < 0.5:
            written.append(rp.convention_docx(dossier, pieces_dir / "convention-cadre.docx"))
            written.append(rp.avenant_pdf(dossier, pieces_dir / "avenant-1.pdf", numero=1))
        written.append(_note_projet(dossier, pieces_dir / "note-projet-urbain.pdf"))
        if d.get("immeubles"):
            written += _notes_immeubles(dossier, pieces_dir)
        if profile.name == "piece_corrompue":
            written.append(rp.corrupt_pdf(pieces_dir / "plan-situation.pdf"))
        elif rng.random() < 0.12:
            written.append(rp.scanned_pdf(pieces_dir / "deliberation-scannee.pdf", pages=1))
            d.setdefault("pieces", []).append(
                {"id": "deliberation-scannee", "type": "deliberation", "fichier": "deliberation-scannee.pdf"}
            )
    elif template_name == "montclair":
        written.append(
            rp.convention_docx(
                dossier,
                pieces_dir / "convention-cadre.docx",
                omit_parts={"suivi_evaluation", "traitement_litiges"},
                omit_signataires={"anah"},
            )
        )
    elif template_name == "saint-aubin":
        avenant = dossier.convention.avenants[0]
        absent = frozenset(code for code, present in avenant.contenu.model_dump().items() if present is False)
        total = avenant.budget.total
        written.append(
            rp.avenant_pdf(
                dossier,
                pieces_dir / "avenant-1.pdf",
                numero=1,
                omit_parts=absent,
                total_override=cents(hundreds(total * Decimal("0.98"))),
            )
        )
        written.append(rp.scanned_pdf(pieces_dir / "deliberation-scannee.pdf", pages=1))
        written.append(rp.corrupt_pdf(pieces_dir / "plan-situation.pdf"))
    elif template_name == "belcastel":
        written.append(_note_projet(dossier, pieces_dir / "note-projet-urbain.pdf"))
        written += _notes_immeubles(dossier, pieces_dir)
    names = {p.name for p in written}
    convention = d.get("convention") or {}
    if "convention-cadre.docx" not in names and convention.get("cadre"):
        convention["cadre"].pop("piece", None)
    if "avenant-1.pdf" not in names:
        for avenant in convention.get("avenants", []):
            avenant.pop("piece", None)
    keep = names | ({"deliberation-conseil-municipal.pdf"} if profile.name == "incomplet_pieces" else set())
    d["pieces"] = [p for p in d.get("pieces", []) if p["fichier"] in keep]
    if not d["pieces"]:
        del d["pieces"]
    return written


def _note_projet(dossier: Dossier, path: Path) -> Path:
    from instruct.samples import render_pieces as rp
    from instruct.samples.piece_text import join_fr, lower_first

    ville = dossier.collectivites.ville_centre.nom
    epci = dossier.collectivites.intercommunalite.nom
    total = sum((f.cout or Decimal(0) for f in dossier.fiches_actions), Decimal(0))
    years = sorted(
        {f.calendrier.debut.year for f in dossier.fiches_actions if f.calendrier}
        | {f.calendrier.fin.year for f in dossier.fiches_actions if f.calendrier}
    )
    period = f" sur la période {years[0]}-{years[-1]}" if years else ""
    actions = join_fr([lower_first(f.intitule) for f in dossier.fiches_actions if f.intitule][:5])
    return rp.simple_pdf(
        path,
        f"Note de projet urbain – {ville}",
        [
            f"La présente note expose le projet urbain du centre-ville de {ville}, porté par la commune et la {epci} "
            "dans le cadre du programme Action Cœur de Ville.",
            "Le centre ancien présente une vacance élevée des logements et des commerces ; ses espaces publics et ses "
            "équipements appellent une requalification d'ensemble.",
            f"Le projet urbain s'organise autour des actions suivantes : {actions}."
            if actions
            else "Le plan d'actions est en cours d'élaboration.",
            f"Le programme d'actions représente {rp.euros(total)}{period}.",
        ],
    )


def _notes_immeubles(dossier: Dossier, folder: Path) -> list[Path]:
    from instruct.samples import render_pieces as rp

    ville = dossier.collectivites.ville_centre.nom
    lines, utilite = (
        [],
        [
            f"La commune de {ville} expose l'utilité, pour le projet de revitalisation du centre-ville, de chacun "
            "des immeubles proposés à Action Logement."
        ],
    )
    for imm in dossier.immeubles:
        point = imm.localisation.shape.centroid if imm.localisation is not None else None
        where = f" ; coordonnées {point.y:.4f} N, {point.x:.4f} E".replace(".", ",") if point is not None else ""
        lines.append(
            f"{imm.id} – {imm.adresse or 'adresse à préciser'} ; "
            f"parcelle {imm.reference_cadastrale or 'non renseignée'}{where} ; "
            f"propriétaire : {imm.proprietaire or 'non renseigné'}."
        )
        logements = (
            f"{imm.logements_immeuble} logements" if imm.logements_immeuble else "un nombre de logements à déterminer"
        )
        utilite.append(
            f"{imm.id} – {imm.adresse or 'adresse à préciser'} : immeuble de {logements}, dont la remise sur le marché "
            "contribue à la reconquête de l'habitat du centre ancien."
        )
    return [
        rp.simple_pdf(
            folder / "plan-situation-immeubles.pdf",
            f"Plan de situation des immeubles – {ville}",
            [f"Plan de situation des immeubles proposés à Action Logement dans le centre-ville de {ville}.", *lines],
        ),
        rp.simple_pdf(folder / "note-utilite.pdf", f"Note d'utilité des immeubles – {ville}", utilite),
    ]
