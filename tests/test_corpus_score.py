"""The corpus scorer: a value read sure and right is juste, below the threshold à vérifier, sure
and wrong faux, not read manquant; an unreadable piece is judged on the problem it says."""

import datetime as dt
from decimal import Decimal

from instruct.documents.actions import Action
from instruct.documents.evidence import Quote
from instruct.documents.extract import Party, Reading
from instruct.documents.read import Block, PieceText
from instruct.samples.corpus.score import DOUTE, FAUX, JUSTE, MANQUANT, CorpusScore, score_piece
from instruct.samples.corpus.truth import Action as ActionVerite
from instruct.samples.corpus.truth import Partie, Signataire, Verite


def quote(confidence=1.0):
    return Quote("c.pdf", "page 1", "…", confidence)


def piece():
    return PieceText("c.pdf", "pdf", [Block("Convention-cadre", "page 1")])


TRUTH = Verite(
    fichier="c.pdf",
    style="essai",
    type="convention_cadre",
    parties=[
        Partie(
            role="ville_centre",
            organisme="Commune de Lauzac",
            representant="Jean DUPONT",
            deliberation=dt.date(2018, 9, 25),
        ),
        Partie(role="intercommunalite", organisme="Lauzac Agglo", representant="Marie Durand"),
        Partie(role="prefet", organisme="État"),
    ],
    signataires=[Signataire(role="ville_centre", nom="Jean Dupont"), Signataire(role="prefet")],
    date_signature=dt.date(2018, 10, 12),
    trame=["parties", "traitement_litiges"],
    actions=[ActionVerite(intitule="Étude OPAH-RU", cout=Decimal("120000")), ActionVerite(intitule="Halles")],
    budget_total=Decimal("14600000"),
)


def reading(**changes):
    parties = [
        Party("ville_centre", "la Commune de Lauzac", "Jean Dupont", "maire", quote(), dt.date(2018, 9, 25)),
        Party("intercommunalite", "LAUZAC AGGLO", "Marie DURAND", None, quote()),
        Party("prefet", "Etat", None, None, quote()),
    ]
    values = {
        "parties": parties,
        "signatures": [
            Party("ville_centre", "Commune de Lauzac", "Jean Dupont", None, quote()),
            Party("prefet", "État", None, None, quote()),
        ],
        "date_signature": (dt.date(2018, 10, 12), quote()),
        "trame": {"parties": quote(), "traitement_litiges": quote()},
        "actions": [
            Action(None, "Etude OPAH RU", None, None, None, Decimal("120000"), [], quote()),
            Action(None, "Halles", None, None, None, None, [], quote()),
        ],
        "budget": {"total": (Decimal("14600000"), quote())},
    }
    values.update(changes)
    return Reading("c.pdf", "convention_cadre", trame_sure=True, **values)


def test_all_right_is_fully_read():
    score = score_piece(TRUTH, piece(), reading())
    assert score.fully_read, score.notes
    assert score.outcomes["representants"] == JUSTE and score.outcomes["couts"] == JUSTE


def test_doubt_wrong_and_missing():
    doubtful = Party("intercommunalite", "Lauzac", "Marie Durand", None, quote(0.5))
    score = score_piece(
        TRUTH,
        piece(),
        reading(
            parties=[reading().parties[0], doubtful, reading().parties[2]],
            date_signature=(dt.date(2018, 10, 21), quote()),
            budget={},
            trame={"parties": quote()},
        ),
    )
    assert score.outcomes["intercommunalite"] == DOUTE
    assert score.outcomes["date_signature"] == FAUX
    assert score.outcomes["budget_total"] == MANQUANT
    assert score.outcomes["trame"] == FAUX  # a part surely absent that the piece has
    assert not score.fully_read
    assert [(f, n) for f, n, _ in CorpusScore([score]).wrong()] == [("c.pdf", "date_signature"), ("c.pdf", "trame")]


def test_an_absence_not_sure_is_only_a_doubt():
    lacking = reading(trame={"parties": quote()})
    lacking.trame_sure = False  # the headings were not found well enough to say a part is absent
    assert score_piece(TRUTH, piece(), lacking).outcomes["trame"] == DOUTE


def test_something_read_where_the_truth_has_nothing_is_wrong():
    truth = TRUTH.model_copy(update={"budget_total": None})
    assert score_piece(truth, piece(), reading()).outcomes["budget_total"] == FAUX


def test_unreadable_piece_is_judged_on_its_problem():
    truth = Verite(fichier="s.pdf", style="scan", type="convention_cadre", probleme="scanne")
    scanned = PieceText("s.pdf", "pdf", problems=["document scanné : pas de texte"])
    assert score_piece(truth, scanned, Reading("s.pdf", None)).outcomes == {"probleme": JUSTE}
    damaged = PieceText("s.pdf", "pdf", problems=["PDF endommagé (fin de fichier manquante)"])
    assert score_piece(truth, damaged, Reading("s.pdf", None)).outcomes == {"probleme": FAUX}


def test_a_name_not_read_is_missing_a_different_one_wrong():
    nameless = reading(signatures=[Party("ville_centre", "Commune de Lauzac", None, None, quote())])
    assert score_piece(TRUTH, piece(), nameless).outcomes["noms_signataires"] == MANQUANT
    other = reading(signatures=[Party("ville_centre", "Commune de Lauzac", "Paul Martin", None, quote())])
    assert score_piece(TRUTH, piece(), other).outcomes["noms_signataires"] == FAUX


def test_a_doubtful_name_never_hides_a_wrong_one():
    signed = [
        Party("ville_centre", "Commune de Lauzac", "Paul Martin", None, quote()),
        Party("prefet", "État", "Anne Petit", None, quote(0.5)),
    ]
    truth = TRUTH.model_copy(
        update={
            "signataires": [
                Signataire(role="ville_centre", nom="Jean Dupont"),
                Signataire(role="prefet", nom="Anne Petit"),
            ]
        }
    )
    assert score_piece(truth, piece(), reading(signatures=signed)).outcomes["noms_signataires"] == FAUX


def test_a_cost_not_read_is_missing_a_different_one_wrong():
    unread = reading(
        actions=[
            Action(None, "Etude OPAH RU", None, None, None, None, [], quote()),
            Action(None, "Halles", None, None, None, None, [], quote()),
        ]
    )
    assert score_piece(TRUTH, piece(), unread).outcomes["couts"] == MANQUANT
    other = reading(
        actions=[
            Action(None, "Etude OPAH RU", None, None, None, Decimal("12000"), [], quote()),
            Action(None, "Halles", None, None, None, None, [], quote()),
        ]
    )
    assert score_piece(TRUTH, piece(), other).outcomes["couts"] == FAUX
