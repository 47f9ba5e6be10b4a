"""Sample pieces a town sends (convention-cadre DOCX, avenant PDF, notes, a scan, a broken
file), rendered from a validated dossier, byte for byte the same on every run.

The text follows fixed conventions that the piece reader relies on: amounts "4 180 000,00 €"
(plain spaces), dates "28 septembre 2018" ("1er" for the first day), calendrier cells
"10/2018 – 06/2019", one paragraph per line of the parties block (ENTRE / ET / AINSI QUE) and
of the signature block (« Fait à … », one « Pour … » line per signataire), numbered headings.

`python -m instruct.samples.render_pieces SAMPLES [OUTDIR_ROOT]` writes the committed sample pieces:
the dossiers are read from SAMPLES (the repository's samples/), the files written under OUTDIR_ROOT
(default: SAMPLES itself).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from instruct.model.dossier import Dossier
from instruct.samples.piece_avenant import avenant_of, avenant_pdf, padding_paragraphs
from instruct.samples.piece_damaged import corrupt_pdf, scanned_pdf
from instruct.samples.piece_docx import convention_docx
from instruct.samples.piece_pdf import simple_pdf
from instruct.samples.piece_text import CONVENTION_PARTS, TABLE_HEADER, euros

# What synthetic, the tests and the benchmarks import from here; each is written in its piece_* module.
__all__ = [
    "CONVENTION_PARTS",
    "TABLE_HEADER",
    "avenant_pdf",
    "convention_docx",
    "corrupt_pdf",
    "euros",
    "main",
    "padding_paragraphs",
    "scanned_pdf",
    "simple_pdf",
]


# --- the committed samples ------------------------------------------------------------------------------


def _load(samples: Path, name: str) -> Dossier:
    from instruct.documents.load import load

    return load(samples / name).dossier


def _belcastel_notes(dossier: Dossier, folder: Path) -> list[Path]:
    ville = dossier.collectivites.ville_centre.nom
    epci = dossier.collectivites.intercommunalite.nom
    immeubles = dossier.immeubles
    written = [
        simple_pdf(
            folder / "note-projet-urbain.pdf",
            f"Note de projet urbain – {ville}",
            [
                f"La présente note expose le projet urbain du centre-ville de {ville}, porté par la commune et la "
                f"{epci}. Elle "
                "accompagne la proposition d'immeubles adressée à Action Logement pour le financement de leur "
                "restructuration.",
                "Le centre ancien connaît une vacance de 16 % des logements, un linéaire commercial fragilisé et des "
                "espaces "
                "publics conçus pour la voiture. Le projet vise à remettre 60 logements sur le marché, à réduire la "
                "vacance "
                "commerciale, à relier la gare au centre par une liaison douce et à requalifier la place du Marché.",
                f"Le périmètre d'intervention, centré sur le quartier des Halles, regroupe les {len(immeubles)} "
                "immeubles proposés. "
                "Leur restructuration complète les actions de l'OPAH-RU en cours (2020-2025) et les aides au commerce.",
                "Les opérations proposées créent des logements traversants de qualité, destinés en priorité aux "
                "salariés des "
                "entreprises du territoire, et remettent sur le marché les rez-de-chaussée commerciaux des immeubles.",
            ],
        )
    ]
    lines = []
    for imm in immeubles:
        where = ""
        if imm.localisation is not None:
            point = imm.localisation.shape.centroid
            where = f" ; coordonnées {point.y:.4f} N, {point.x:.4f} E".replace(".", ",")
        lines.append(
            f"{imm.id} – {imm.adresse or 'adresse à préciser'} ; parcelle "
            f"{imm.reference_cadastrale or 'non renseignée'}"
            f"{where} ; propriétaire : {imm.proprietaire or 'non renseigné'}."
        )
    written.append(
        simple_pdf(
            folder / "plan-situation-immeubles.pdf",
            f"Plan de situation des immeubles – {ville}",
            [
                f"Plan de situation des immeubles proposés à Action Logement dans le centre-ville de {ville}, au "
                "regard du "
                "périmètre d'intervention et du secteur d'intervention de l'opération de revitalisation de territoire.",
                *lines,
                "Les immeubles IMM-01, IMM-02, IMM-04, IMM-05 et IMM-06 sont situés dans le périmètre d'intervention ; "
                "l'immeuble IMM-03, avenue de la Gare, est situé en dehors.",
            ],
        )
    )
    utilite = [
        f"La commune de {ville} expose ci-dessous l'utilité, pour le projet de revitalisation du centre-ville, de "
        "chacun des immeubles proposés à Action Logement."
    ]
    for imm in immeubles:
        logements = (
            f"{imm.logements_immeuble} logements" if imm.logements_immeuble else "un nombre de logements à déterminer"
        )
        rdc = (
            f" Le rez-de-chaussée ({imm.rez_de_chaussee.devenir.lower()}) renforce le linéaire commercial."
            if imm.rez_de_chaussee and imm.rez_de_chaussee.devenir
            else ""
        )
        utilite.append(
            f"{imm.id} – {imm.adresse or 'adresse à préciser'} : immeuble de {logements}, dont la remise sur le "
            f"marché contribue à la reconquête de l'habitat du centre ancien.{rdc}"
        )
    written.append(simple_pdf(folder / "note-utilite.pdf", f"Note d'utilité des immeubles – {ville}", utilite))
    return written


def _absent_parts(dossier: Dossier, numero: int) -> frozenset[str]:
    """The parts that avenant n° `numero` of the dossier declares absent (contenu: false)."""
    avenant = avenant_of(dossier, numero)
    if avenant is None or avenant.contenu is None:
        return frozenset()
    return frozenset(code for code, present in avenant.contenu.model_dump().items() if present is False)


def main(samples: str | Path, root: str | Path | None = None) -> list[Path]:
    """Write the committed sample pieces, rendered from the sample dossiers in `samples`, under `root`
    (default: `samples` itself)."""
    samples = Path(samples)
    root = Path(root) if root is not None else samples
    written: list[Path] = []
    villebelle = _load(samples, "villebelle")
    folder = root / "villebelle" / "pieces"
    written.append(convention_docx(villebelle, folder / "convention-cadre.docx"))
    written.append(avenant_pdf(villebelle, folder / "avenant-1.pdf", numero=1))
    written.append(
        simple_pdf(
            folder / "note-projet-urbain.pdf",
            "Note de projet urbain – Villebelle",
            [
                "La présente note expose le projet urbain du centre-ville de Villebelle, porté par la commune et la "
                "Communauté "
                "d'agglomération du Val de Belle dans le cadre du programme Action Cœur de Ville.",
                "Le centre ancien présente une vacance de 14 % des logements et de 18 % des commerces de la rue de la "
                "République. "
                "La gare, éloignée du centre, lui est mal reliée ; le patrimoine médiéval est peu mis en valeur.",
                "Le projet urbain s'organise autour du quartier des Halles : réhabilitation de l'habitat ancien dans "
                "le cadre de "
                "l'OPAH-RU, reconquête des cellules commerciales avec un manager de centre-ville, liaison douce entre "
                "la gare et "
                "le centre, requalification de la place du Marché et rénovation de la médiathèque.",
                "Le programme d'actions représente 4 180 000,00 € sur la période 2018-2025.",
            ],
        )
    )
    montclair = _load(samples, "montclair")
    written.append(
        convention_docx(
            montclair,
            root / "montclair" / "pieces" / "convention-cadre.docx",
            omit_parts={"suivi_evaluation", "traitement_litiges"},
            omit_signataires={"anah"},
        )
    )
    saint_aubin = _load(samples, "saint-aubin")
    folder = root / "saint-aubin" / "pieces"
    # the parts its dossier says the avenant lacks (calendrier détaillé) are left out: the one disagreement is the total
    written.append(
        avenant_pdf(
            saint_aubin,
            folder / "avenant-1.pdf",
            numero=1,
            omit_parts=_absent_parts(saint_aubin, 1),
            total_override=Decimal("2450000.00"),
        )
    )
    written.append(scanned_pdf(folder / "deliberation-scannee.pdf"))
    written.append(corrupt_pdf(folder / "plan-situation.pdf"))
    written += _belcastel_notes(_load(samples, "belcastel"), root / "belcastel" / "pieces")
    rochebrune = _load(samples, "sources/rochebrune.yaml")
    written.append(convention_docx(rochebrune, root / "rochebrune" / "convention-cadre.docx"))
    written.append(avenant_pdf(rochebrune, root / "rochebrune" / "avenant-1.pdf", numero=1))
    return written


if __name__ == "__main__":
    if not 2 <= len(sys.argv) <= 3:
        sys.exit("usage : python -m instruct.samples.render_pieces SAMPLES [RÉPERTOIRE_DE_SORTIE]")
    for written_path in main(*sys.argv[1:]):
        print(written_path)
