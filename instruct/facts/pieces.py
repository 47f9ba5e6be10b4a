"""Facts of the pieces (X-05, X-06, X-07): one per file of the dossier, one per value that the
structured dossier and a piece both give, one per value read with doubt (or looked for and not
found) in a convention or an avenant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from instruct.facts.base import CONTEXT, Builder, Entity, F, Family, FieldSpec

if TYPE_CHECKING:
    from instruct.documents.reconcile import Documents
    from instruct.model.dossier import Dossier

TYPES: dict[str, dict[str, FieldSpec]] = {
    "piece": {
        **CONTEXT,
        "fichier": F("str", "fichier", True, definition="Nom du fichier de la pièce dans le dossier (pieces/)."),
        "type_piece": F(
            "str",
            "nature de la pièce (déclarée ou reconnue)",
            definition=(
                "Nature de la pièce, déclarée dans pieces ou reconnue à son texte (convention-cadre, avenant…)."
            ),
        ),
        "reconnue_par": F(
            "str",
            "nature déclarée au dossier ou reconnue au contenu",
            definition="Comment la nature est connue : déclarée au dossier ou reconnue au contenu.",
        ),
        "declaree": F(
            "bool",
            "pièce déclarée au dossier (pieces)",
            True,
            definition="Vrai si la pièce est déclarée dans la section pieces du dossier.",
        ),
        "fournie": F("bool", "fichier fourni", True, definition="Vrai si le fichier est présent dans le dossier."),
        "format_lu": F(
            "bool",
            "format lu (PDF ou DOCX)",
            True,
            definition="Vrai si le fichier est un PDF ou un DOCX que le lecteur a pu ouvrir.",
        ),
        "lisible": F("bool", "texte lisible", definition="Vrai si un texte a pu être lu dans le fichier."),
        "scannee": F(
            "bool",
            "document scanné (pas de texte)",
            True,
            definition="Vrai si le document n'a pas de texte (document scanné).",
        ),
        "tronquee": F(
            "bool",
            "lecture incomplète (taille ou durée)",
            True,
            definition=("Vrai si la lecture s'est arrêtée avant la fin (taille, pages ou durée au-delà des limites)."),
        ),
        "probleme": F(
            "str", "problème de lecture", definition="Les problèmes de lecture rencontrés (texte pour le message)."
        ),
        "absence": F(
            "str",
            "pièce déclarée non examinée",
            definition=(
                "Pour une pièce déclarée dans pieces et non lue : absente du dossier de pièces, ou non examinée "
                "parce que le dossier est vérifié seul, sans son dossier de pièces (texte pour le message)."
            ),
        ),
    },
    "concordance": {
        **CONTEXT,
        "objet": F(
            "str",
            "élément comparé",
            True,
            definition=(
                "Ce qui est comparé entre le dossier et la pièce (un signataire, une date, un total, une action…)."
            ),
        ),
        "valeur_dossier": F("str", "valeur du dossier", True, definition="La valeur donnée par le dossier (texte)."),
        "valeur_piece": F("str", "valeur lue dans la pièce", True, definition="La valeur lue dans la pièce (texte)."),
        "concorde": F(
            "bool",
            "le dossier et la pièce concordent",
            True,
            definition=(
                "Vrai si la valeur du dossier et celle de la pièce concordent, selon la comparaison "
                "propre à l'objet (dates, montants au centime, noms)."
            ),
        ),
        "fichier": F("str", "pièce", True, definition="Fichier de la pièce lue."),
        "ou": F(
            "str", "endroit de la pièce", True, definition="Endroit de la pièce (page, paragraphe ou ligne de tableau)."
        ),
        "citation": F("str", "texte lu", True, definition="Texte lu dans la pièce à cet endroit."),
    },
    "lecture": {
        **CONTEXT,
        "fichier": F("str", "pièce", True, definition="Fichier de la pièce lue."),
        "objet": F(
            "str",
            "élément lu",
            True,
            definition="Ce que le lecteur a lu ou cherché dans la pièce (un signataire, une date, une partie…).",
        ),
        "valeur": F("str", "valeur lue avec doute", definition="La valeur lue avec doute (texte)."),
        "ou": F("str", "endroit de la pièce", definition="Endroit de la pièce (page, paragraphe ou ligne de tableau)."),
        "citation": F("str", "texte lu", definition="Texte lu dans la pièce à cet endroit."),
        "cherche": F(
            "str",
            "élément cherché et non trouvé",
            definition="Pour un élément qu'une convention ou un avenant doit montrer et qui n'a pas été trouvé : "
            "ce que le lecteur a cherché (texte pour le message).",
        ),
        "confiance": F(
            "pct",
            "confiance de la lecture",
            True,
            definition="Confiance du lecteur dans la valeur lue, en % (0 % pour un élément cherché et non trouvé).",
        ),
        "constat": F(
            "str",
            "ce qui a été lu",
            True,
            definition="Ce que le lecteur a lu (pièce, endroit, texte, valeur) ou cherché sans le trouver "
            "(texte pour le message).",
        ),
    },
}

KIND_LABELS = {
    "convention_cadre": "convention-cadre",
    "avenant": "avenant",
    "note_projet_urbain": "note de projet urbain",
    "plan_situation": "plan de situation",
    "fiche_action": "fiche action",
    "dossier_operateur": "dossier opérateur",
    "deliberation": "délibération",
    "note_utilite_immeubles": "note d'utilité des immeubles",
    "autre": "autre pièce",
}


def pieces(b: Builder, documents: Documents) -> None:
    for status in documents.pieces:
        path = f"pieces/{status.file}"
        b.add(
            "piece",
            Entity("piece", status.file, f"Pièce : {status.file}", path),
            {
                "fichier": status.file,
                "type_piece": KIND_LABELS.get(status.kind or "", status.kind),
                "reconnue_par": {"dossier": "déclarée au dossier", "contenu": "reconnue au contenu"}.get(
                    status.recognised_by
                ),
                "declaree": status.declared,
                "fournie": status.provided,
                "format_lu": status.format_read,
                "lisible": status.readable,
                "scannee": status.scanned,
                "tronquee": status.truncated,
                "probleme": " ; ".join(status.problems) or None,
                "absence": "absente" if status.declared and not status.provided else None,
            },
            {"fichier": path, "fournie": path, "lisible": path, "declaree": "pieces"},
        )


NOT_EXAMINED = "non examinée (dossier vérifié seul, sans son dossier de pièces)"


def declared_pieces(b: Builder, d: Dossier) -> None:
    """A dossier checked without its folder: each piece it declares is said not examined and
    counts as not provided (else a town would pass by leaving its documents out)."""
    for i, piece in enumerate(d.pieces):
        path = f"pieces/{piece.fichier}"
        b.add(
            "piece",
            Entity("piece", piece.fichier, f"Pièce : {piece.fichier}", path),
            {
                "fichier": piece.fichier,
                "type_piece": KIND_LABELS.get(piece.type, piece.type),
                "reconnue_par": "déclarée au dossier",
                "declaree": True,
                "fournie": False,
                "format_lu": True,  # as for a declared piece missing from a folder: nothing was read
                "scannee": False,
                "tronquee": False,
                "absence": NOT_EXAMINED,
            },
            {"fichier": f"pieces[{i}].fichier", "fournie": path, "lisible": path, "declaree": "pieces"},
        )


def concordances(b: Builder, documents: Documents) -> None:
    for n, c in enumerate(documents.comparisons, 1):
        where = f"{c.quote.file}, {c.quote.where}"
        b.add(
            "concordance",
            Entity("concordance", f"{n:03d}", c.subject, c.path),
            {
                "objet": c.subject,
                "valeur_dossier": c.in_dossier,
                "valeur_piece": c.in_piece,
                "concorde": c.agree,
                "fichier": c.quote.file,
                "ou": c.quote.where,
                "citation": c.quote.text,
            },
            {"valeur_dossier": c.path, "valeur_piece": where, "concorde": f"{c.path} ; {where}"},
        )


def lectures(b: Builder, documents: Documents) -> None:
    """One fact per value read with doubt, or looked for and not found: the reader's doubt, for a
    person to settle in the piece."""
    for n, doubt in enumerate(documents.doubts, 1):
        quote = doubt.quote
        where = f"{doubt.file}, {quote.where}" if quote else doubt.file
        b.add(
            "lecture",
            Entity("lecture", f"{n:03d}", f"Lecture : {doubt.subject} ({doubt.file})", f"pieces/{doubt.file}"),
            {
                "fichier": doubt.file,
                "objet": doubt.subject,
                "valeur": doubt.value,
                "ou": quote.where if quote else None,
                "citation": quote.text if quote else None,
                "cherche": doubt.looked_for,
                "confiance": round(doubt.confidence * 10000),
                "constat": doubt.sentence(),
            },
            {"fichier": f"pieces/{doubt.file}", "constat": where, "confiance": where},
        )


ORDER = 60
FAMILIES = (
    Family(("piece",), lambda b, c: pieces(b, c.documents), needs_documents=True),
    Family(("piece",), lambda b, c: declared_pieces(b, c.dossier), without_documents=True),
    Family(("concordance",), lambda b, c: concordances(b, c.documents), needs_documents=True),
    Family(("lecture",), lambda b, c: lectures(b, c.documents), needs_documents=True),
)
