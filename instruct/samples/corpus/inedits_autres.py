"""The délibérations and the notes of the held-out corpus."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from instruct.samples.corpus.inedits_model import ActionsTable, Heading, Para, Piece, Row, Signatures, Title, date_fr
from instruct.samples.corpus.inedits_towns import CALMEILLES, MONTVALIR, PORT_ARVELLE, SAINT_ONDRAS, VIEUX_BREZAC

D = dt.date


def _extrait(town: str, departement: str, organe: str) -> Title:
    return Title(
        [
            "RÉPUBLIQUE FRANÇAISE",
            f"DÉPARTEMENT {departement.upper()}",
            town.upper(),
            f"EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU {organe.upper()}",
        ]
    )


def brezac_deliberation() -> Piece:
    """DOCX: the conseil municipal approves the convention-cadre; « Vu » lines, a vote, « Pour
    extrait conforme » and the Maire's signature three days after the séance."""
    t = VIEUX_BREZAC
    seance = t.ville.deliberation
    day = D(2018, 9, 28)
    signer = replace(t.ville, qualite="Maire")
    return Piece(
        "inedit-20-vieux-brezac-deliberation.docx",
        "deliberation",
        "DOCX, extrait du registre du conseil municipal, lignes « Vu », vote, « Pour extrait conforme », "
        "signature du Maire trois jours après la séance",
        [
            _extrait("Commune de Vieux-Brézac", "de la Lize", "conseil municipal"),
            Para(f"Séance du {date_fr(seance)}", bold=True, center=True),
            Para("Nombre de conseillers en exercice : 29 – présents : 23 – votants : 27"),
            Para("Délibération n° 2018-087", bold=True),
            Para(
                "Objet : Programme Action Cœur de Ville – approbation de la convention-cadre pluriannuelle", bold=True
            ),
            Para("Le conseil municipal,"),
            Para("Vu le code général des collectivités territoriales, notamment son article L. 2121-29 ;"),
            Para("Vu la candidature de la Commune au programme national Action Cœur de Ville ;"),
            Para(
                "Vu la délibération du conseil communautaire de la Communauté d'agglomération Brézac Val de Lize du "
                "26 juin 2018 relative au soutien de l'agglomération à la démarche ;"
            ),
            Para(
                "Considérant que la revitalisation du centre-ville est une priorité partagée par la Commune, "
                "l'agglomération et les partenaires du programme ;"
            ),
            Para("Après en avoir délibéré, à l'unanimité des suffrages exprimés (2 abstentions),"),
            Para("APPROUVE la convention-cadre pluriannuelle Action Cœur de Ville annexée à la présente ;"),
            Para("AUTORISE Monsieur le Maire à la signer ainsi que tout document s'y rapportant."),
            Para("Fait et délibéré les jour, mois et an susdits."),
            Para("Pour extrait conforme,"),
            Signatures(f"Fait à Vieux-Brézac, le {date_fr(day)}", None, [signer], day, columns=1, pour=False),
        ],
        "docx",
        options={"title": "DCM 2018-087 ACV", "author": "Secrétariat général"},
    )


def calmeilles_deliberation() -> Piece:
    """platypus PDF: the conseil métropolitain authorises its Présidente; dates typed 28.09.2018 and
    01/10/2018, « Acte rendu exécutoire »."""
    t = CALMEILLES
    seance = t.epci.deliberation
    day = D(2018, 10, 1)
    signer = replace(t.epci, qualite="Présidente")
    return Piece(
        "inedit-21-calmeilles-metropole-deliberation.pdf",
        "deliberation",
        "PDF reportlab, délibération du conseil métropolitain, dates 28.09.2018 et 01/10/2018, signée par la "
        "Présidente, mention « Acte rendu exécutoire »",
        [
            Title(["CALMEILLES MÉTROPOLE", "Conseil métropolitain", f"Séance du {date_fr(seance, 'dot')}"]),
            Para("Délibération n° C2018-09-112", bold=True),
            Para("Objet : Action Cœur de Ville – Ville de Calmeilles – convention-cadre – autorisation de signature"),
            Para("Rapporteur : M. Jean-Pierre ALIBERT, vice-président délégué à l'aménagement"),
            Para(
                "Le programme national Action Cœur de Ville accompagne la revitalisation des villes moyennes. La Ville "
                "de Calmeilles a été retenue ; la Métropole, compétente en matière d'habitat et de mobilités, est "
                "signataire de la convention-cadre."
            ),
            Para(
                "Le conseil métropolitain, après en avoir délibéré, approuve la convention-cadre et autorise Madame la "
                "Présidente ou son représentant à la signer."
            ),
            Para("Adopté à la majorité : 64 voix pour, 3 contre, 5 abstentions."),
            Signatures(f"Fait à Calmeilles, le {date_fr(day, 'slash')}", None, [signer], day, columns=1, pour=False),
            Para(
                "Acte rendu exécutoire après transmission en préfecture le 02/10/2018 et publication le 03/10/2018.",
                italic=True,
            ),
        ],
        "pdf",
        options={"title": "Délibération C2018-09-112", "author": "Calmeilles Métropole – Assemblées"},
    )


def ondras_deliberation() -> Piece:
    """DOCX converted by LibreOffice: the conseil municipal approves the avenant n° 2; « Vu la
    délibération du 03/07/2018 », signature date typed 12-03-2020 with the Maire's civilité."""
    t = SAINT_ONDRAS
    day = D(2020, 3, 12)
    signer = replace(t.ville, qualite="Maire")
    return Piece(
        "inedit-22-saint-ondras-deliberation.pdf",
        "deliberation",
        "LibreOffice PDF d'un DOCX, délibération approuvant un avenant, « Vu la délibération du 03/07/2018 », "
        "signée « La Maire, Mme NOM » le 12-03-2020",
        [
            _extrait("Ville de Saint-Ondras", "de l'Orvanne", "conseil municipal"),
            Para("Séance du 10 mars 2020 – Délibération n° 2020/014", bold=True),
            Para("Objet : Action Cœur de Ville – avenant n° 2 à la convention-cadre", bold=True),
            Para(
                f"Vu la délibération du {date_fr(t.ville.deliberation, 'slash')} approuvant la convention-cadre Action "
                "Cœur de Ville ;"
            ),
            Para("Vu l'avis favorable du comité de projet du 14 janvier 2020 ;"),
            Para("Le conseil municipal, après en avoir délibéré, à l'unanimité,"),
            Para("– approuve l'avenant n° 2 à la convention-cadre ;"),
            Para("– autorise Madame la Maire à le signer."),
            Signatures(f"Fait à Saint-Ondras, le {date_fr(day, 'dash')}", None, [signer], day, columns=1, pour=False),
        ],
        "office",
        options={"title": "Délibération 2020-014"},
    )


def arvelle_note() -> Piece:
    """platypus PDF: the note describing the projet urbain (for the DDT); headings, no parties, no
    signatures, no table of actions."""
    t = PORT_ARVELLE
    return Piece(
        "inedit-23-port-arvelle-note-projet-urbain.pdf",
        "note_projet_urbain",
        "PDF reportlab, note de présentation du projet urbain, titres numérotés, ni parties ni signatures",
        [
            Title(["Note de présentation du projet urbain", f"Action Cœur de Ville – {t.nom}", "Juin 2019"]),
            Heading("Contexte", label="1."),
            Para(
                "Port-Arvelle, 17 000 habitants, est la ville-centre de l'Intercom Arvelle Littoral. Son centre "
                "historique, enserré dans ses remparts, concentre 40 % des logements vacants de la commune."
            ),
            Heading("Le projet urbain", label="2."),
            Para(
                "Le projet relie le port, le centre ancien et la gare par un axe apaisé ; il reconquiert les îlots "
                "dégradés du Port et installe une halle marchande sur le quai Duguay."
            ),
            Heading("Avancement", label="3."),
            Para(
                "L'étude pré-opérationnelle habitat est achevée ; l'opération de restauration immobilière est en cours "
                "de préparation. La halle fait l'objet d'un concours de maîtrise d'œuvre."
            ),
            Heading("Caractéristiques du projet au regard du programme", label="4."),
            Para(
                "Le projet répond aux cinq axes du programme et s'inscrit dans le périmètre de l'opération de "
                "revitalisation de territoire envisagée."
            ),
        ],
        "pdf",
        page_numbers=False,
        options={"title": "Note projet urbain Port-Arvelle"},
    )


def montvalir_note() -> Piece:
    """DOCX: the note on the usefulness of the immeubles (for Action Logement), with a table of
    immeubles that is not a table of actions."""
    t = MONTVALIR
    immeubles = ActionsTable(
        header=[["Adresse", "Parcelle", "Surface (m²)", "Propriétaire", "Opérateur pressenti"]],
        rows=[
            Row(["12 rue de la République", "AB 214", "480", "Privé (indivision)", "Lize Habitat"], kind="immeuble"),
            Row(["3-5 place d'Armes", "AB 87", "920", "Ville", "SEM Montvalir Aménagement"], kind="immeuble"),
            Row(["28 quai de la Lize", "AC 12", "350", "EPF de la Lize", "Lize Habitat"], kind="immeuble"),
        ],
        lists_actions=False,
    )
    return Piece(
        "inedit-24-montvalir-note-immeubles.docx",
        "note_utilite_immeubles",
        "DOCX, note sur l'utilité des projets immobiliers pour Action Logement, titres Titre 1 à numérotation "
        "automatique « I. », tableau d'immeubles (pas d'actions)",
        [
            Title([f"{t.nom} – Action Cœur de Ville", "Note sur l'utilité des projets immobiliers proposés"]),
            Para(
                "La présente note décrit l'utilité des immeubles proposés au financement d'Action Logement dans la "
                "stratégie opérationnelle et urbaine du centre-ville."
            ),
            Heading("Immeubles proposés", level=1, auto=True),
            immeubles,
            Heading("Utilité dans la stratégie urbaine", level=1, auto=True),
            Para(
                "Les trois immeubles bordent l'axe République – quais : leur réhabilitation ramène des ménages actifs "
                "au cœur de ville et rouvre des rez-de-chaussée commerciaux aujourd'hui murés."
            ),
            Para(
                "L'immeuble de la place d'Armes, propriété de la Ville, accueillera en outre une maison France "
                "Services au rez-de-chaussée."
            ),
        ],
        "docx",
        options={"title": "Note utilité immeubles Montvalir", "auto": "roman"},
    )


def all_autres() -> list[Piece]:
    return [brezac_deliberation(), calmeilles_deliberation(), ondras_deliberation(), arvelle_note(), montvalir_note()]
