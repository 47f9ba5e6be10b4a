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

import datetime as dt
import io
import math
import random
import sys
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from instruct.french import MOIS
from instruct.model.dossier import Avenant, Dossier, FicheAction, Signataire
from instruct.vocabulary import AXES_PIECES as AXES
from instruct.vocabulary import titres_pieces

AUTHOR = "acv-instruct"
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

TABLE_HEADER = ["N°", "Intitulé", "Maître d'ouvrage", "Calendrier", "Coût", "Financeurs"]

CONVENTION_PARTS = titres_pieces("convention_cadre", annexes=False)
CONVENTION_ANNEXES = titres_pieces("convention_cadre", annexes=True)
AVENANT_PARTS = titres_pieces("avenant", annexes=False)
AVENANT_ANNEXES = titres_pieces("avenant", annexes=True)

BENEFICIAIRES = ("ville_centre", "intercommunalite")
FINANCEURS = ("prefet", "cdc", "action_logement", "anah", "anru")
AUTRES = ("region", "departement", "autre_commune", "autre")
ROLE_ORDER = {role: n for n, role in enumerate(BENEFICIAIRES + FINANCEURS + AUTRES)}

QUALITES_MEMBRE = {
    "elu": "collège des élus",
    "directeur_projet": "directeur de projet",
    "prefet": "représentant de l'État",
    "referent_departemental": "référent départemental de l'État",
    "cdc": "Banque des Territoires",
    "action_logement": "Action Logement",
    "anah": "Anah",
    "anru": "ANRU",
    "region": "Région",
    "departement": "Département",
    "autre": "partenaire associé",
}


# --- French text ----------------------------------------------------------------------------------


def euros(value: Decimal | int | float) -> str:
    """4180000 -> "4 180 000,00 €" (plain spaces, comma decimals)."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{'-' if amount < 0 else ''}{' '.join(groups)},{cents} €"


def date_fr(day: dt.date | None) -> str:
    """2018-09-28 -> "28 septembre 2018"; the first day is "1er"."""
    if day is None:
        return "…"
    return f"{'1er' if day.day == 1 else day.day} {MOIS[day.month - 1]} {day.year}"


def month_fr(day: dt.date) -> str:
    return f"{MOIS[day.month - 1]} {day.year}"


def de_month(day: dt.date) -> str:
    """ "d'octobre 2018", "de juin 2019"."""
    month = month_fr(day)
    return f"d'{month}" if month[0] in "aeiouéè" else f"de {month}"


def calendrier_cell(fiche: FicheAction) -> str:
    if fiche.calendrier is None:
        return ""
    return f"{fiche.calendrier.debut:%m/%Y} – {fiche.calendrier.fin:%m/%Y}"


def financeurs_cell(fiche: FicheAction) -> str:
    return " ; ".join(f"{f.financeur} : {euros(f.montant)}" for f in fiche.financement)


def table_row(fiche: FicheAction) -> list[str]:
    return [
        fiche.id,
        fiche.intitule or "",
        fiche.maitre_ouvrage or "",
        calendrier_cell(fiche),
        euros(fiche.cout) if fiche.cout is not None else "",
        financeurs_cell(fiche),
    ]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _join_fr(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


# --- parties and signatures -------------------------------------------------------------------------


def _article_name(sig: Signataire, dossier: Dossier) -> tuple[str, str]:
    """(name with its article, "représenté" agreed with it) for a signataire."""
    coll = dossier.collectivites
    if sig.role == "ville_centre":
        return f"La Commune de {coll.ville_centre.nom}", "représentée"
    if sig.role == "intercommunalite":
        nom = coll.intercommunalite.nom
        return (nom if nom.startswith(("La ", "Le ", "L'", "Les ")) else f"La {nom}"), "représentée"
    fixed = {
        "prefet": ("L'État", "représenté"),
        "cdc": ("La Caisse des Dépôts et Consignations (Banque des Territoires)", "représentée"),
        "action_logement": ("Action Logement Services", "représenté"),
        "anah": ("L'Agence nationale de l'habitat (Anah)", "représentée"),
        "anru": ("L'Agence nationale pour la rénovation urbaine (ANRU)", "représentée"),
    }
    if sig.role in fixed:
        return fixed[sig.role]
    nom = sig.organisme.replace(",", "")
    if nom.startswith(("La ", "Le ", "L'", "Les ")):
        return nom, "représenté(e)"
    if sig.role == "region" or nom.startswith("Région"):
        return f"La {nom}", "représentée"
    if sig.role == "departement" or nom.startswith("Département"):
        return f"Le {nom}", "représenté"
    if sig.role == "autre_commune":
        for prefix in ("Ville de ", "Commune de ", "Mairie de "):
            if nom.startswith(prefix):
                nom = nom[len(prefix) :]
        return f"La Commune de {nom}", "représentée"
    return nom, "représenté(e)"


def _for_name(name: str) -> str:
    """ "La Commune de X" -> "la Commune de X" (after « Pour »)."""
    for article in ("La ", "Le ", "Les ", "L'"):
        if name.startswith(article):
            return article.lower() + name[len(article) :]
    return name


def _ordered(signataires: Iterable[Signataire], omit: frozenset[str] | set[str]) -> list[Signataire]:
    kept = [s for s in signataires if s.role not in omit]
    return sorted(kept, key=lambda s: ROLE_ORDER.get(s.role, len(ROLE_ORDER)))  # stable within a role


def _deliberation(dossier: Dossier, organe: str, with_deliberations: bool) -> dt.date | None:
    cadre = dossier.convention.cadre if dossier.convention else None
    if not with_deliberations or cadre is None or not cadre.deliberations:
        return None
    return next((d.date for d in cadre.deliberations if d.organe == organe), None)


def party_line(sig: Signataire, dossier: Dossier, deliberation: dt.date | None = None) -> str:
    name, represented = _article_name(sig, dossier)
    if sig.nom and sig.qualite:
        who = f"{sig.nom}, {sig.qualite}"
    elif sig.nom:
        who = sig.nom
    elif sig.qualite:
        who = f"son représentant légal ({sig.qualite})"
    else:
        who = "son représentant légal"
    line = f"{name}, {represented} par {who}"
    if deliberation is not None:
        line += f", dûment habilité(e) par délibération du {date_fr(deliberation)}"
    return line + ","


def parties_lines(
    dossier: Dossier, signataires: Iterable[Signataire], omit: frozenset[str] | set[str], with_deliberations: bool
) -> list[str]:
    kept = _ordered(signataires, omit)
    organes = {"ville_centre": "commune", "intercommunalite": "intercommunalite"}
    groups = [
        ("ENTRE", [s for s in kept if s.role in BENEFICIAIRES], "ci-après, les « Collectivités bénéficiaires » ;"),
        ("ET", [s for s in kept if s.role in FINANCEURS], "ci-après, les « Partenaires financeurs » ;"),
        (
            "AINSI QUE",
            [s for s in kept if s.role not in BENEFICIAIRES + FINANCEURS],
            "ci-après, les « Autres partenaires locaux » ;",
        ),
    ]
    lines: list[str] = []
    for n, (head, members, closing) in enumerate(groups):
        if not members and n > 0:
            continue
        lines.append(head)
        for sig in members:
            organe = organes.get(sig.role)
            lines.append(
                party_line(sig, dossier, _deliberation(dossier, organe, with_deliberations) if organe else None)
            )
        lines.append(closing)
    lines.append("Il est convenu ce qui suit.")
    return lines


def signature_lines(
    dossier: Dossier, signataires: Iterable[Signataire], omit: frozenset[str] | set[str], date: dt.date | None
) -> list[str]:
    kept = _ordered(signataires, omit)
    ville = dossier.collectivites.ville_centre.nom
    lines = [f"Fait à {ville}, le {date_fr(date)}, en {len(kept)} exemplaires originaux."]
    for sig in kept:
        name, _ = _article_name(sig, dossier)
        lines.append("Pour " + ", ".join([_for_name(name)] + [v for v in (sig.nom, sig.qualite) if v]))
    return lines


# --- what the body says, from the dossier -------------------------------------------------------------


def _intercommunalite(dossier: Dossier) -> str:
    return dossier.collectivites.intercommunalite.nom


def _fiches(dossier: Dossier, mature_only: bool = False) -> list[FicheAction]:
    return [f for f in dossier.fiches_actions if f.maturite == "mature" or not mature_only]


def _axes(dossier: Dossier) -> list:
    return sorted(dossier.axes or [], key=lambda a: a.numero)


def preambule_paragraphs(dossier: Dossier) -> list[str]:
    ville = dossier.collectivites.ville_centre.nom
    epci = _intercommunalite(dossier)
    out = [
        "Le programme national Action Cœur de Ville, lancé par le Gouvernement en mars 2018, vise à améliorer les "
        "conditions de vie des habitants des villes moyennes et à conforter le rôle moteur de ces villes dans le "
        f"développement de leur territoire. La commune de {ville}, ville-centre de la {epci}, a été retenue parmi "
        "les villes bénéficiaires du programme. Les collectivités et les partenaires s'engagent à mobiliser leurs "
        "moyens pour redonner au centre-ville son attractivité résidentielle, commerciale et culturelle.",
    ]
    axes = [a for a in _axes(dossier) if a.diagnostic]
    if axes:
        constats = " ; ".join(
            f"sur l'axe {a.numero} ({_lower_first(AXES[a.numero])}), {_lower_first(a.diagnostic)}" for a in axes
        )
        out.append(
            "Le diagnostic partagé entre les collectivités et les partenaires fait apparaître les constats suivants : "
            f"{constats}."
        )
    else:
        out.append(
            f"Le diagnostic du centre-ville de {ville} sera conduit pendant la phase d'initialisation. Il portera sur "
            "l'habitat, le commerce, les mobilités, les espaces publics et le patrimoine, ainsi que sur l'accès aux "
            "équipements et services publics."
        )
    objectifs = [_lower_first(o) for a in _axes(dossier) for o in a.objectifs]
    if objectifs:
        out.append(
            "Au regard de ces constats, les objectifs poursuivis par la présente convention sont notamment de "
            f"{' ; '.join(objectifs)}. Ces objectifs seront précisés et chiffrés à l'issue de la phase "
            "d'initialisation."
        )
    else:
        out.append(
            "Les objectifs poursuivis, déclinés selon les cinq axes du programme, seront précisés et chiffrés à "
            "l'issue de la phase d'initialisation."
        )
    dispositifs = dossier.preparation.dispositifs_identifies if dossier.preparation else []
    if dispositifs:
        out.append(
            "Le projet s'inscrit dans la continuité des démarches déjà engagées sur le territoire : "
            f"{', '.join(dispositifs)}. "
            "Il veille à leur articulation avec les actions du programme."
        )
    return out


def engagement_paragraphs(dossier: Dossier) -> list[str]:
    ville = dossier.collectivites.ville_centre.nom
    return [
        "Les parties s'engagent à mettre en œuvre le projet de redynamisation du centre-ville de "
        f"{ville} décrit par la présente convention, dans le respect de leurs compétences respectives et dans la "
        "limite des crédits dont elles disposent chaque année.",
        "Les collectivités bénéficiaires s'engagent à animer le projet, à mobiliser leurs services, à associer les "
        "habitants, les commerçants et les acteurs économiques, et à fournir aux partenaires les informations "
        "nécessaires à l'instruction des demandes de financement.",
        "Les partenaires financeurs s'engagent à instruire dans les meilleurs délais les propositions de projets et "
        "d'actions qui leur sont soumises, à désigner un référent pour le suivi du programme et à mobiliser leurs "
        "dispositifs d'ingénierie et de financement selon leurs règles propres.",
    ]


def organisation_paragraphs(dossier: Dossier) -> list[str]:
    ville = dossier.collectivites.ville_centre.nom
    gouv = dossier.gouvernance
    out = []
    directeur = gouv.directeur_projet if gouv else None
    if directeur:
        fonction = f" ({directeur.fonction})" if directeur.fonction else ""
        depuis = f" depuis le {date_fr(directeur.date_nomination)}" if directeur.date_nomination else ""
        out.append(
            f"La commune de {ville} a confié la direction du projet à {directeur.nom}{fonction}{depuis}. La "
            "direction de projet coordonne la préparation et la mise en œuvre du programme et en assure le suivi "
            "auprès des partenaires."
        )
    else:
        out.append(
            f"La commune de {ville} désignera un directeur de projet chargé de coordonner la préparation et la mise "
            "en œuvre du programme, placé sous l'autorité du maire."
        )
    comite = gouv.comite_projet if gouv else None
    if comite and comite.membres:
        membres = _join_fr([f"{m.nom} ({QUALITES_MEMBRE.get(m.qualite, m.qualite)})" for m in comite.membres])
        installe = f", installé le {date_fr(comite.date_installation)}," if comite.date_installation else ""
        out.append(
            f"Le comité de projet{installe} est présidé par le maire. Il réunit : {membres}. Il valide les "
            "orientations, suit l'avancement des actions et prépare les décisions soumises au comité régional."
        )
    else:
        out.append(
            "Un comité de projet, présidé par le maire et associant le représentant de l'État et les partenaires "
            "financeurs, sera installé dans les meilleurs délais. Il valide les orientations et suit l'avancement "
            "des actions."
        )
    equipe = gouv.equipe_projet if gouv else None
    if equipe and equipe.membres:
        out.append(
            f"L'équipe projet, composée de {_join_fr([m.nom for m in equipe.membres])}, assure le pilotage "
            "opérationnel du programme."
        )
    if gouv and gouv.partenaires_locaux:
        out.append(f"Sont associés au projet les partenaires locaux suivants : {', '.join(gouv.partenaires_locaux)}.")
    return out


def initialisation_paragraph(dossier: Dossier) -> str:
    count = len(_fiches(dossier, mature_only=True))
    if count > 1:
        recap = f"les {count} actions matures sont récapitulées"
    elif count == 1:
        recap = "l'action mature est récapitulée"
    else:
        recap = "aucune action mature n'est recensée à ce jour ; le tableau sera complété"
    return (
        "La phase d'initialisation, d'une durée de dix-huit mois au plus à compter de la signature de la présente "
        "convention, permet d'achever le diagnostic, d'arrêter le projet de redynamisation et de préciser le "
        f"périmètre d'intervention. Dès cette phase, les actions suffisamment mûres peuvent être engagées : {recap} "
        "dans le tableau ci-dessous."
    )


def duree_paragraphs(dossier: Dossier) -> list[str]:
    cadre = dossier.convention.cadre if dossier.convention else None
    if cadre and cadre.duree_annees:
        first = (
            f"La présente convention, d'une durée de {cadre.duree_annees} ans, prend effet à compter de sa "
            "signature par l'ensemble des parties."
        )
    else:
        first = "La présente convention prend effet à compter de sa signature par l'ensemble des parties."
    return [
        first + " Elle comprend une phase d'initialisation suivie d'une phase de déploiement.",
        "La convention pourra être modifiée par voie d'accord écrit entre les parties, notamment pour intégrer le "
        "projet de redynamisation arrêté à l'issue de la phase d'initialisation. Toute modification fera l'objet "
        "d'une décision du comité de projet avant signature.",
        "Le comité de projet se réunit au moins deux fois par an. Les collectivités bénéficiaires en assurent le "
        "secrétariat et transmettent les comptes rendus aux partenaires.",
    ]


def suivi_paragraphs(dossier: Dossier) -> list[str]:
    out = [
        "Un état d'avancement du programme est présenté chaque année au comité de projet, puis transmis au comité "
        "régional d'engagement. Il rend compte des actions engagées, des crédits mobilisés et des difficultés "
        "rencontrées."
    ]
    indicateurs = dossier.indicateurs or []
    if indicateurs:
        noms = []
        for i in indicateurs:
            cible = ""
            if i.valeur_cible is not None:
                valeur = (
                    f"{i.valeur_cible:f}".rstrip("0").rstrip(".")
                    if "." in f"{i.valeur_cible:f}"
                    else f"{i.valeur_cible:f}"
                )
                cible = f" (cible : {valeur}{' ' + i.unite if i.unite else ''})"
            noms.append(f"{_lower_first(i.nom)}{cible}")
        out.append(f"L'évaluation s'appuie notamment sur les indicateurs suivants : {' ; '.join(noms)}.")
    else:
        out.append("Les indicateurs de moyens et de résultats seront définis pendant la phase d'initialisation.")
    return out


LITIGES = [
    "Les parties s'efforceront de résoudre à l'amiable tout différend relatif à l'interprétation ou à l'exécution de "
    "la présente convention, au sein du comité de projet.",
    "À défaut d'accord dans un délai de deux mois, le différend sera porté devant le tribunal administratif "
    "territorialement compétent.",
]


def fiche_paragraph(fiche: FicheAction) -> str:
    parts = []
    if fiche.axe:
        parts.append(f"Axe {fiche.axe} : {_lower_first(AXES[fiche.axe])}.")
    if fiche.maitre_ouvrage:
        parts.append(f"Maître d'ouvrage : {fiche.maitre_ouvrage}.")
    if fiche.calendrier:
        parts.append(f"Calendrier : {calendrier_cell(fiche)}.")
    if fiche.cout is not None:
        parts.append(f"Coût : {euros(fiche.cout)}.")
    if fiche.financement:
        parts.append(f"Plan de financement : {financeurs_cell(fiche)}.")
    return " ".join(parts) or "Fiche en cours de rédaction."


# --- DOCX ---------------------------------------------------------------------------------------------

CONVENTION_TEXTS = {  # the convention's parts that are paragraphs only
    "preambule_objectifs": preambule_paragraphs,
    "engagement_parties": engagement_paragraphs,
    "organisation_comite_projet": organisation_paragraphs,
    "duree_evolution_fonctionnement": duree_paragraphs,
    "suivi_evaluation": suivi_paragraphs,
    "traitement_litiges": lambda _dossier: LITIGES,
}


def convention_docx(
    dossier: Dossier,
    path: str | Path,
    *,
    omit_parts: Iterable[str] = frozenset(),
    omit_signataires: Iterable[str] = frozenset(),
) -> Path:
    """The convention-cadre, as a Word document."""
    from docx import Document
    from docx.shared import Pt

    omit_parts, omit_signataires = frozenset(omit_parts), frozenset(omit_signataires)
    cadre = dossier.convention.cadre if dossier.convention else None
    signataires = (cadre.signataires if cadre else None) or []
    ville = dossier.collectivites.ville_centre.nom
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_paragraph("Convention-cadre pluriannuelle Action Cœur de Ville", style="Title")
    doc.add_paragraph(f"{ville} – {_intercommunalite(dossier)}")
    number = 0
    for code, heading in CONVENTION_PARTS.items():
        if code in omit_parts:
            continue
        number += 1
        doc.add_heading(f"Article {number} – {heading}", level=1)
        if code == "parties":
            for line in parties_lines(dossier, signataires, omit_signataires, with_deliberations=True):
                doc.add_paragraph(line)
        elif code in CONVENTION_TEXTS:
            for text in CONVENTION_TEXTS[code](dossier):
                doc.add_paragraph(text)
        elif code == "phase_initialisation":
            doc.add_paragraph(initialisation_paragraph(dossier))
            fiches = _fiches(dossier, mature_only=True)
            table = doc.add_table(rows=1, cols=len(TABLE_HEADER))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, TABLE_HEADER):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for fiche in fiches:
                for cell, text in zip(table.add_row().cells, table_row(fiche)):
                    cell.text = text
            doc.add_paragraph(
                "Les montants sont indiqués toutes taxes comprises, sous réserve des décisions des "
                "instances de chacun des financeurs."
            )
    for line in signature_lines(dossier, signataires, omit_signataires, cadre.date_signature if cadre else None):
        doc.add_paragraph(line)
    annexe = 0
    for code, heading in CONVENTION_ANNEXES.items():
        if code in omit_parts:
            continue
        annexe += 1
        doc.add_heading(f"Annexe {annexe} – {heading}", level=1)
        fiches = _fiches(dossier, mature_only=True)
        if not fiches:
            doc.add_paragraph("Aucune fiche action mature à la date de signature.")
        for fiche in fiches:
            doc.add_heading(f"Fiche action {fiche.id} – {fiche.intitule or 'sans intitulé'}", level=2)
            doc.add_paragraph(fiche_paragraph(fiche))
    props = doc.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.title = f"Convention-cadre Action Cœur de Ville – {ville}"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return _write(path, _fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so that two runs give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _write(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- PDF ----------------------------------------------------------------------------------------------


def _styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("corps", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=5, alignment=TA_JUSTIFY)
    return {
        "title": ParagraphStyle(
            "titre", fontName="Helvetica-Bold", fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=6
        ),
        "subtitle": ParagraphStyle(
            "sous-titre", fontName="Helvetica", fontSize=12, leading=15, alignment=TA_CENTER, spaceAfter=18
        ),
        "heading": ParagraphStyle(
            "titre1", fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=6, keepWithNext=1
        ),
        "subheading": ParagraphStyle(
            "titre2", fontName="Helvetica-Bold", fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3, keepWithNext=1
        ),
        "body": body,
        "line": ParagraphStyle("ligne", parent=body, alignment=0, spaceAfter=2),
        "cell": ParagraphStyle("cellule", fontName="Helvetica", fontSize=8, leading=9.6, splitLongWords=0),
        "cell_head": ParagraphStyle("entete", fontName="Helvetica-Bold", fontSize=8, leading=9.6),
    }


def _p(text: str, style) -> object:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


def _doc(target, title: str, subject: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        author=AUTHOR,
        subject=subject,
        creator=AUTHOR,
        invariant=1,
    )


def _build(story: list, title: str, subject: str) -> tuple[bytes, int]:
    """The PDF bytes and its number of pages."""
    buffer = io.BytesIO()
    doc = _doc(buffer, title, subject)
    doc.build(story)
    return buffer.getvalue(), doc.page


# Widths (points) of the table of actions: A4 less 2 × 2 cm = 481.9 pt.
COLUMN_WIDTHS = [34, 90, 72, 76, 62, 147.9]


def _actions_table(fiches: list[FicheAction], styles: dict):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = [[Paragraph(escape(h), styles["cell_head"]) for h in TABLE_HEADER]]
    for fiche in fiches:
        cells = table_row(fiche)
        cells[5] = "<br/>".join(
            escape(f"{f.financeur} : {euros(f.montant)}") + (" ;" if n < len(fiche.financement) - 1 else "")
            for n, f in enumerate(fiche.financement)
        )
        rows.append([Paragraph(escape(c) if i != 5 else c, styles["cell"]) for i, c in enumerate(cells)])
    table = Table(rows, colWidths=COLUMN_WIDTHS, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7f7f7f")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _simple_table(rows: list[list[str]], widths: list[float], styles: dict):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [
        [Paragraph(escape(c), styles["cell_head" if r == 0 else "cell"]) for c in row] for r, row in enumerate(rows)
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7f7f7f")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _area_ha(geometry) -> float:
    shape = geometry.shape
    lat = shape.centroid.y
    return shape.area * (111_320**2) * math.cos(math.radians(lat)) / 10_000


def _perimetres_drawing(dossier: Dossier):
    """A plan of the périmètres (étude, intervention, secteurs) and of the located actions."""
    from reportlab.graphics.shapes import Circle, Drawing, Polygon, Rect, String
    from reportlab.lib import colors

    per = dossier.perimetres
    layers = []  # (label, geometry, fill, stroke)
    if per and per.etude:
        layers.append(("Périmètre d'étude", per.etude, colors.HexColor("#f3f3e6"), colors.HexColor("#8a8a5c")))
    if per and per.intervention:
        layers.append(
            ("Périmètre d'intervention", per.intervention, colors.HexColor("#dbe8f5"), colors.HexColor("#2c5d8f"))
        )
    for secteur in per.secteurs_prioritaires if per else []:
        layers.append(
            (
                f"Secteur prioritaire : {secteur.nom}",
                secteur.geometrie,
                colors.HexColor("#f6d7c3"),
                colors.HexColor("#b5542a"),
            )
        )
    points = [(f.id, f.localisation.shape) for f in dossier.fiches_actions if f.localisation is not None]
    if not layers and not points:
        return None
    xs, ys = [], []
    for _, geom, _, _ in layers:
        minx, miny, maxx, maxy = geom.shape.bounds
        xs += [minx, maxx]
        ys += [miny, maxy]
    for _, shape in points:
        xs.append(shape.centroid.x)
        ys.append(shape.centroid.y)
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    kx = math.cos(math.radians((miny + maxy) / 2))
    width, height, legend = 440.0, 300.0, 16 * (len(layers) + 1)
    span = max((maxx - minx) * kx, maxy - miny) or 0.01
    scale = min(width - 20, height - legend - 20) / span

    def xy(x: float, y: float) -> tuple[float, float]:
        return 10 + (x - minx) * kx * scale, legend + 10 + (y - miny) * scale

    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=None, strokeColor=colors.HexColor("#999999"), strokeWidth=0.5))
    for _, geom, fill, stroke in layers:
        shape = geom.shape
        for polygon in getattr(shape, "geoms", [shape]):
            coords = [c for x, y in polygon.exterior.coords for c in xy(x, y)]
            drawing.add(Polygon(coords, fillColor=fill, strokeColor=stroke, strokeWidth=1))
    for ident, shape in points:
        x, y = xy(shape.centroid.x, shape.centroid.y)
        drawing.add(Circle(x, y, 3, fillColor=colors.HexColor("#c0392b"), strokeColor=None))
        drawing.add(String(x + 5, y + 2, ident, fontName="Helvetica", fontSize=7))
    for n, (label, _, fill, stroke) in enumerate(layers):
        y = 6 + 16 * n
        drawing.add(Rect(10, y, 10, 8, fillColor=fill, strokeColor=stroke, strokeWidth=0.8))
        drawing.add(String(26, y + 1, label, fontName="Helvetica", fontSize=8))
    return drawing


# Sentences the diagnostic is padded with (pages=N): one list per axe, filled from a seeded generator.
PADDING = {
    1: [
        "Le centre ancien compte environ {logements} logements, dont {vacance} % sont vacants depuis plus de deux ans "
        "selon les fichiers fonciers.",
        "La part des logements construits avant 1949 atteint {ancien} % dans le périmètre d'étude, contre "
        "{ancien_epci} % à l'échelle de l'intercommunalité.",
        "Les repérages de terrain ont identifié {degrades} immeubles dégradés, dont {structurels} présentent des "
        "désordres structurels nécessitant une intervention rapide.",
        "La taille moyenne des ménages du centre-ville est de {menage} personnes ; les petits logements y sont "
        "surreprésentés et peu adaptés aux familles.",
        "Le parc locatif privé accueille une forte proportion de ménages modestes, dont {eligibles} % sont éligibles "
        "aux aides de l'Anah.",
        "Les copropriétés fragiles, au nombre de {coproprietes}, cumulent impayés de charges, absence de syndic et "
        "travaux de toiture différés.",
    ],
    2: [
        "Le linéaire commercial du centre-ville regroupe {cellules} cellules, dont {vacance} % sont vacantes, "
        "principalement dans les rues secondaires.",
        "Les commerces de bouche se maintiennent, mais l'équipement de la personne a perdu {enseignes} enseignes en "
        "dix ans au profit de la périphérie.",
        "Le marché hebdomadaire attire environ {visiteurs} visiteurs et constitue le principal moment d'animation du "
        "centre.",
        "Les zones commerciales périphériques totalisent {surface} m² de surface de vente, soit {ratio} fois la "
        "surface commerciale du centre-ville.",
        "Les loyers commerciaux, de {loyer} € le m² par an en moyenne, restent modérés mais les locaux sont souvent "
        "inadaptés aux normes d'accessibilité.",
    ],
    3: [
        "La gare est située à {gare} km du centre et la liaison piétonne entre les deux reste peu lisible et peu "
        "sécurisée.",
        "Le centre-ville offre {places} places de stationnement, dont {ventouses} % sont occupées par des voitures "
        "ventouses en journée.",
        "Le réseau de transport urbain dessert le centre toutes les {frequence} minutes en heure de pointe, moins "
        "souvent le samedi.",
        "Les aménagements cyclables sont discontinus : {cyclable} km de voies aménagées seulement sur l'ensemble de la "
        "commune.",
        "Le trafic de transit sur l'axe principal dépasse {trafic} véhicules par jour et pèse sur la qualité des "
        "espaces publics.",
    ],
    4: [
        "Le centre ancien conserve un patrimoine bâti remarquable, dont {monuments} édifices protégés au titre des "
        "monuments historiques.",
        "Les places et les rues du centre sont majoritairement dédiées à la voiture ; les espaces de séjour ombragés y "
        "sont rares.",
        "Les façades de {facades} immeubles du centre ancien nécessitent un ravalement, selon l'inventaire conduit par "
        "le service urbanisme.",
        "Les berges et les jardins publics, peu reliés entre eux, offrent un potentiel de promenade encore inexploité.",
        "Les entrées de ville présentent un paysage routier peu qualitatif qui dessert l'image du centre.",
    ],
    5: [
        "La médiathèque accueille {lecteurs} lecteurs inscrits dans des locaux devenus trop étroits et peu "
        "accessibles.",
        "Les services publics se sont progressivement déplacés vers la périphérie : {guichets} guichets ont quitté le "
        "centre depuis 2010.",
        "L'offre de santé du centre-ville repose sur {medecins} médecins généralistes, dont la moitié partira en "
        "retraite d'ici cinq ans.",
        "Les équipements sportifs et culturels du centre sont fréquentés par {usagers} usagers par semaine en moyenne.",
        "Une maison de services au public permettrait de regrouper l'accueil des administrations dans un lieu unique "
        "et central.",
    ],
}

# Placeholder -> (low, high, step, decimals) of the figures drawn for the padding.
PADDING_FIGURES = {
    "logements": (400, 2400, 10, 0),
    "vacance": (8, 24, 1, 0),
    "ancien": (35, 70, 1, 0),
    "ancien_epci": (15, 34, 1, 0),
    "degrades": (8, 60, 1, 0),
    "structurels": (2, 7, 1, 0),
    "menage": (16, 22, 1, 1),
    "eligibles": (30, 65, 1, 0),
    "coproprietes": (4, 25, 1, 0),
    "cellules": (120, 420, 1, 0),
    "enseignes": (6, 30, 1, 0),
    "visiteurs": (1500, 6000, 100, 0),
    "surface": (20000, 90000, 500, 0),
    "ratio": (25, 60, 1, 1),
    "loyer": (60, 180, 5, 0),
    "gare": (8, 25, 1, 1),
    "places": (300, 1500, 10, 0),
    "ventouses": (10, 30, 1, 0),
    "frequence": (10, 30, 5, 0),
    "cyclable": (20, 150, 1, 1),
    "trafic": (6000, 18000, 100, 0),
    "monuments": (2, 12, 1, 0),
    "facades": (15, 80, 1, 0),
    "lecteurs": (1500, 6000, 50, 0),
    "guichets": (2, 8, 1, 0),
    "medecins": (4, 14, 1, 0),
    "usagers": (600, 3500, 50, 0),
}


def _figure(rng: random.Random, low: int, high: int, step: int, decimals: int) -> str:
    value = rng.randrange(low, high + 1, step)
    if decimals:
        return f"{value / 10**decimals:.{decimals}f}".replace(".", ",")
    text = str(value)
    return text if value < 10000 else f"{text[:-3]} {text[-3:]}"


def padding_paragraphs(dossier: Dossier, count: int, seed: str) -> list[str]:
    """`count` diagnostic paragraphs, each three sentences about one axe, the same on every run."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        axe = n % 5 + 1
        sentences = rng.sample(PADDING[axe], k=3)
        values = {name: _figure(rng, *spec) for name, spec in PADDING_FIGURES.items()}
        text = " ".join(s.format(**values) for s in sentences)
        out.append(f"Constat complémentaire {n + 1} (axe {axe}, {_lower_first(AXES[axe])}). {text}")
    return out


def _avenant_of(dossier: Dossier, numero: int) -> Avenant | None:
    return next((a for a in (dossier.convention.avenants if dossier.convention else []) if a.numero == numero), None)


def _avenant_story(
    dossier: Dossier,
    avenant: Avenant | None,
    numero: int,
    omit_parts: frozenset[str],
    omit_signataires: frozenset[str],
    total_override: Decimal | None,
    padding: list[str],
) -> list:
    from reportlab.platypus import KeepTogether, Spacer

    st = _styles()
    ville = dossier.collectivites.ville_centre.nom
    epci = _intercommunalite(dossier)
    cadre = dossier.convention.cadre if dossier.convention else None
    signataires = (
        (avenant.signataires if avenant and avenant.signataires else None)
        or (cadre.signataires if cadre else None)
        or []
    )
    fiches = list(dossier.fiches_actions)
    story: list = [
        _p(f"Avenant n° {numero} à la convention-cadre Action Cœur de Ville de {ville}", st["title"]),
        _p("valant convention d'opération de revitalisation de territoire (ORT)", st["subtitle"]),
        _p("Les parties", st["heading"]),
    ]
    story += [
        _p(line, st["line"]) for line in parties_lines(dossier, signataires, omit_signataires, with_deliberations=False)
    ]
    signed = f", signée le {date_fr(cadre.date_signature)}," if cadre and cadre.date_signature else ""
    story.append(
        _p(
            f"Le présent avenant complète la convention-cadre{signed} à l'issue de la phase d'initialisation. Il "
            f"arrête le projet de redynamisation du centre-ville de {ville} et vaut convention d'opération de "
            "revitalisation de territoire au sens de l'article L. 303-2 du code de la construction et de "
            "l'habitation.",
            st["body"],
        )
    )
    number = 0
    for code, heading in AVENANT_PARTS.items():
        if code in omit_parts:
            continue
        title = _p(f"{ROMAN[number]}. {heading}", st["heading"])
        number += 1
        if code == "diagnostic_afom":
            story.append(title)
            story.append(
                _p(
                    f"Le diagnostic a été conduit pendant la phase d'initialisation par la commune de {ville} et la "
                    f"{epci}, avec l'appui des partenaires. Il s'appuie sur les études engagées, les données "
                    "statistiques disponibles et les rencontres avec les habitants et les commerçants.",
                    st["body"],
                )
            )
            for axe in _axes(dossier):
                story.append(_p(f"Axe {axe.numero} – {AXES[axe.numero]}", st["subheading"]))
                story.append(
                    _p(
                        _sentence(axe.diagnostic)
                        if axe.diagnostic
                        else "Les éléments de diagnostic de cet axe sont en cours de consolidation.",
                        st["body"],
                    )
                )
            story += [_p(text, st["body"]) for text in padding]
            story.append(_p("Synthèse de l'analyse AFOM", st["subheading"]))
            diag = {a.numero: _lower_first(a.diagnostic) for a in _axes(dossier) if a.diagnostic}
            story += [
                _p(
                    "Atouts : une ville-centre qui concentre emplois, services et équipements ; un patrimoine bâti de "
                    "qualité ; "
                    "une intercommunalité mobilisée aux côtés de la commune.",
                    st["body"],
                ),
                _p(
                    "Faiblesses : "
                    + (" ; ".join(diag.values()) if diag else "une vacance résidentielle et commerciale élevée")
                    + ".",
                    st["body"],
                ),
                _p(
                    "Opportunités : les financements du programme, la dynamique de l'opération de revitalisation de "
                    "territoire "
                    "et les projets privés qui se manifestent en centre-ville.",
                    st["body"],
                ),
                _p(
                    "Menaces : la poursuite du développement commercial en périphérie et le vieillissement de la "
                    "population.",
                    st["body"],
                ),
            ]
        elif code == "objectifs_generaux_et_par_axe":
            story.append(title)
            story.append(
                _p(
                    f"L'objectif général est de redonner au centre-ville de {ville} son rôle de cœur d'agglomération : "
                    "y habiter, y travailler, y consommer et s'y divertir.",
                    st["body"],
                )
            )
            for axe in _axes(dossier):
                objectifs = " ; ".join(_lower_first(o) for o in axe.objectifs) or "objectifs à préciser"
                story.append(_p(f"Axe {axe.numero} – {AXES[axe.numero]} : {objectifs}.", st["body"]))
        elif code == "perimetres_intervention":
            story.append(title)
            per = dossier.perimetres
            if per and per.intervention:
                story.append(
                    _p(
                        f"Le périmètre d'intervention couvre environ {_area_ha(per.intervention):.0f} ha autour du "
                        "centre "
                        "historique ; il constitue le secteur d'intervention de l'opération de revitalisation de "
                        "territoire.",
                        st["body"],
                    )
                )
            else:
                story.append(
                    _p("Le périmètre d'intervention sera précisé par délibération des collectivités.", st["body"])
                )
            for secteur in per.secteurs_prioritaires if per else []:
                story.append(
                    _p(
                        f"Secteur prioritaire « {secteur.nom} » : environ {_area_ha(secteur.geometrie):.0f} ha, où se "
                        "concentrent les actions sur l'habitat et le commerce.",
                        st["body"],
                    )
                )
            for secteur in dossier.ort.secteurs if dossier.ort else []:
                story.append(
                    _p(
                        f"Secteur d'intervention de l'ORT « {secteur.nom} »"
                        f"{', centre-ville de la ville principale' if secteur.centre_ville else ''}.",
                        st["body"],
                    )
                )
        elif code == "plan_actions":
            story.append(title)
            story.append(
                _p(
                    f"Le plan d'actions comprend {len(fiches)} actions, détaillées dans le tableau ci-dessous.",
                    st["body"],
                )
            )
            story.append(_actions_table(fiches, st))
            story.append(Spacer(1, 6))
        elif code == "calendrier_general":
            story.append(title)
            dated = sorted((f for f in fiches if f.calendrier), key=lambda f: (f.calendrier.debut, f.id))
            if dated:
                first = min(f.calendrier.debut for f in dated)
                last = max(f.calendrier.fin for f in dated)
                story.append(_p(f"Le programme d'actions se déroule {de_month(first)} à {month_fr(last)}.", st["body"]))
            for f in dated:
                story.append(
                    _p(
                        f"L'action {f.id} ({f.intitule or 'sans intitulé'}) se déroule {de_month(f.calendrier.debut)} "
                        f"à {month_fr(f.calendrier.fin)}.",
                        st["line"],
                    )
                )
        elif code == "budget_financement":
            budget = avenant.budget if avenant else None
            total = total_override if total_override is not None else (budget.total if budget else None)
            lines = [title, _p("Le plan de financement du programme s'établit comme suit.", st["body"])]
            lines.append(
                _p(
                    f"Montant total du plan d'actions : {euros(total) if total is not None else 'à déterminer'}",
                    st["line"],
                )
            )
            if budget and budget.part_cofinanceurs is not None:
                lines.append(_p(f"Part des cofinanceurs : {euros(budget.part_cofinanceurs)}", st["line"]))
            if budget and budget.part_porteur is not None:
                lines.append(_p(f"Part du porteur : {euros(budget.part_porteur)}", st["line"]))
            story.append(KeepTogether(lines))
            story.append(
                _p(
                    "Les engagements des partenaires restent soumis à la décision de leurs instances, dans la limite "
                    "des crédits disponibles.",
                    st["body"],
                )
            )
    signature = signature_lines(dossier, signataires, omit_signataires, avenant.date_signature if avenant else None)
    story.append(Spacer(1, 10))
    story.append(KeepTogether([_p(line, st["line"]) for line in signature]))
    annexe = 0
    for code, heading in AVENANT_ANNEXES.items():
        if code in omit_parts:
            continue
        annexe += 1
        story.append(_p(f"Annexe {annexe} – {heading}", st["heading"]))
        story += _annex_body(code, dossier, fiches, st)
    return story


def _annex_body(code: str, dossier: Dossier, fiches: list[FicheAction], st: dict) -> list:
    ville = dossier.collectivites.ville_centre.nom
    if code == "annexe_livrables_etudes":
        etudes = [f for f in fiches if f.intitule and "tude" in f.intitule]
        out = [
            _p(
                "Les études conduites pendant la phase d'initialisation ont donné lieu aux livrables suivants.",
                st["body"],
            )
        ]
        for f in etudes:
            out.append(
                _p(
                    f"{f.intitule} ({f.maitre_ouvrage or 'maître d’ouvrage à désigner'}) : rapport de diagnostic, "
                    "programme d'actions chiffré et synthèse présentée en comité de projet.",
                    st["line"],
                )
            )
        out.append(
            _p("Diagnostic transversal du centre-ville : rapport et cartographie des secteurs à enjeux.", st["line"])
        )
        return out
    if code == "annexe_document_presentation":
        return [
            _p(
                f"Le projet de redynamisation du centre-ville de {ville} s'organise autour des cinq axes du programme. "
                "Il a été présenté aux habitants lors de réunions publiques et aux commerçants lors d'ateliers dédiés.",
                st["body"],
            )
        ]
    if code == "annexe_plan_perimetres":
        drawing = _perimetres_drawing(dossier)
        return [drawing] if drawing is not None else [_p("Plan en cours d'élaboration.", st["body"])]
    if code == "annexe_calendrier_detaille":
        rows = [["Action", "Début", "Fin"]] + [
            [f"{f.id} – {f.intitule or ''}", date_fr(f.calendrier.debut), date_fr(f.calendrier.fin)]
            for f in fiches
            if f.calendrier
        ]
        return [_simple_table(rows, [261.9, 110, 110], st)]
    if code == "annexe_budget_detaille":
        totals: dict[str, Decimal] = {}
        for f in fiches:
            for fin in f.financement:
                totals[fin.financeur] = totals.get(fin.financeur, Decimal(0)) + fin.montant
        rows = [["Financeur", "Montant"]] + [[name, euros(amount)] for name, amount in totals.items()]
        rows.append(["Ensemble des financements", euros(sum(totals.values(), Decimal(0)))])
        return [_simple_table(rows, [301.9, 180], st)]
    if code == "annexe_fiches_actions":
        out = []
        for f in fiches:
            out.append(_p(f"Fiche action {f.id} – {f.intitule or 'sans intitulé'}", st["subheading"]))
            text = fiche_paragraph(f)
            extra = []
            if f.date_approbation_comite_projet:
                extra.append(f"Approuvée par le comité de projet le {date_fr(f.date_approbation_comite_projet)}.")
            if f.date_comite_regional:
                extra.append(f"Examinée par le comité régional le {date_fr(f.date_comite_regional)}.")
            out.append(_p(" ".join([text] + extra), st["body"]))
        return out
    return []


def avenant_pdf(
    dossier: Dossier,
    path: str | Path,
    *,
    numero: int = 1,
    omit_parts: Iterable[str] = frozenset(),
    omit_signataires: Iterable[str] = frozenset(),
    total_override: Decimal | None = None,
    pages: int | None = None,
) -> Path:
    """Avenant n° `numero`; `pages=N` pads the diagnostic until the PDF has at least N pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    omit_parts, omit_signataires = frozenset(omit_parts), frozenset(omit_signataires)
    avenant = _avenant_of(dossier, numero)
    ville = dossier.collectivites.ville_centre.nom
    title, subject = f"Avenant n° {numero} – Action Cœur de Ville – {ville}", "Avenant à la convention-cadre"

    def render(padding: list[str]) -> tuple[bytes, int]:
        story = _avenant_story(dossier, avenant, numero, omit_parts, omit_signataires, total_override, padding)
        return _build(story, title, subject)

    data, count = render([])
    if pages and count < pages and "diagnostic_afom" not in omit_parts:
        seed = f"{dossier.id}-avenant-{numero}"
        pool = padding_paragraphs(dossier, 40, seed)
        frame_width, frame_height = A4[0] - 4 * cm, A4[1] - 4 * cm
        style = _styles()["body"]
        height = sum(_p(t, style).wrap(frame_width, frame_height)[1] + style.spaceAfter for t in pool) / len(pool)
        per_page = frame_height / height  # padding paragraphs per page, first estimate
        base = count
        needed = int((pages - base) * per_page) + 1
        data, count = render(padding_paragraphs(dossier, needed, seed))
        if count != pages and count > base:  # correct the estimate with the pages they actually took
            per_page = needed / (count - base)
            needed = int((pages - base) * per_page) + 1
            data, count = render(padding_paragraphs(dossier, needed, seed))
        while count < pages:
            needed += int(per_page) + 1
            data, count = render(padding_paragraphs(dossier, needed, seed))
    return _write(path, data)


def simple_pdf(path: str | Path, title: str, paragraphs: list[str]) -> Path:
    """A short text PDF: a title and paragraphs."""
    st = _styles()
    story = [_p(title, st["title"])] + [_p(text, st["body"]) for text in paragraphs]
    data, _ = _build(story, title, title)
    return _write(path, data)


def scanned_pdf(path: str | Path, pages: int = 2) -> Path:
    """A PDF of images of pages only (lines and small filled rectangles): no text to extract."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle("Numérisation")
    c.setAuthor(AUTHOR)
    rng = random.Random("scan")
    width, height = A4
    for _ in range(pages):
        c.setFillGray(0.97)
        c.rect(0, 0, width, height, stroke=0, fill=1)  # the paper, slightly grey
        c.setFillGray(0.15)
        c.rect(70, height - 110, 180, 22, stroke=0, fill=1)  # a letterhead block
        c.setStrokeGray(0.3)
        c.line(60, height - 130, width - 60, height - 130)
        y = height - 160
        while y > 110:
            x = 70 + (30 if rng.random() < 0.12 else 0)
            end = width - 70 - (rng.randrange(0, 220) if rng.random() < 0.2 else 0)
            while x < end:  # "words": runs of little dark squares
                word = rng.randrange(12, 60)
                c.setFillGray(0.1 + rng.random() * 0.25)
                for dx in range(0, min(word, int(end - x)), 3):
                    if rng.random() < 0.8:
                        c.rect(x + dx, y + rng.choice((0, 1)), 2.4, 6 + rng.choice((0, 0, 2)), stroke=0, fill=1)
                x += word + 5
            y -= 15 if rng.random() < 0.9 else 30
        c.setFillGray(0.2)
        c.circle(width - 150, 130, 38, stroke=1, fill=0)  # a stamp
        c.rect(width - 230, 95, 120, 4, stroke=0, fill=1)  # a signature stroke
        c.showPage()
    c.save()
    return _write(path, buffer.getvalue())


def corrupt_pdf(path: str | Path) -> Path:
    """Bytes that start like a PDF and are truncated garbage after a few hundred bytes."""
    head = (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R "
        b"/MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 2048 /Filter /FlateDecode "
        b">>\nstream\n"
    )
    rng = random.Random("corrupt")
    garbage = bytes(rng.randrange(256) for _ in range(420 - len(head)))
    return _write(path, head + garbage)


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
    avenant = _avenant_of(dossier, numero)
    if avenant is None or avenant.contenu is None:
        return frozenset()
    return frozenset(code for code, present in avenant.contenu.model_dump().items() if not present)


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
