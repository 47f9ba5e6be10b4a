"""The reader on the corpora of fictitious pieces written the many ways towns write them
(tests/corpus): no value is ever read wrong with confidence on any of them (a wrong value may
only come out « à vérifier »), every field is read right in at least 95 % of the pieces of the
corpus the reader was developed on (`essais`), and the three corpora written apart (`inedits`,
`temoins`, `controle`) keep the figures they reached, field by field (README, « Pieces »)."""

import logging

import pytest
from conftest import ROOT

from instruct.samples.corpus.score import FIELDS, score_corpus

CORPORA = {"essais": 45, "inedits": 25, "temoins": 20, "controle": 14}  # pieces at least
TARGET = 0.95
# Fields below TARGET on the corpora written apart, and the share each reached (a floor: the
# reader may do better, never worse without this line being changed on purpose).
FLOORS = {
    "inedits": {
        "ville_centre": 0.88,
        "roles": 0.88,
        "representants": 0.88,
        "deliberations": 0.83,
        "signataires": 0.80,
        "noms_signataires": 0.80,
        "date_signature": 0.94,
        "budget_total": 0.57,
    },
    "temoins": {
        "ville_centre": 0.87,
        "roles": 0.87,
        "representants": 0.87,
        "deliberations": 0.81,
        "signataires": 0.89,
        "noms_signataires": 0.89,
        "trame": 0.93,
        "budget_total": 0.93,
        "duree_annees": 0.91,
    },
    "controle": {
        "noms_signataires": 0.92,
        "date_signature": 0.92,
        "trame": 0.81,
        "actions": 0.90,
        "couts": 0.90,
        "budget_total": 0.90,
    },
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def scored(request):
    logging.disable(logging.WARNING)  # pdfminer talks about every odd object
    try:
        return request.param, score_corpus(ROOT / "tests" / "corpus" / request.param)
    finally:
        logging.disable(logging.NOTSET)


def test_the_corpus_is_there(scored):
    name, score = scored
    assert len(score.pieces) >= CORPORA[name]


def test_no_value_is_read_wrong_with_confidence(scored):
    _, score = scored
    assert score.wrong() == []


def test_every_field_reaches_its_share_of_pieces_read_right(scored):
    name, score = scored
    floors = FLOORS.get(name, {})
    low = {
        FIELDS[field]: round(share, 3)
        for field in FIELDS
        if (share := score.accuracy(field)) is not None and share < floors.get(field, TARGET)
    }
    assert low == {}, "\n" + score.table()


def test_a_sixty_page_convention_is_read_in_well_under_ten_seconds():
    """The issue's bound: a 60-page convention read in < 10 s on one core (CPU time, so a busy
    machine does not decide; it takes well under a second here)."""
    import time

    from instruct.documents.read import read_piece

    path = ROOT / "tests" / "corpus" / "essais" / "ce15_tournefort_convention_longue.pdf"
    start = time.process_time()
    piece = read_piece(path)
    assert piece.pages == 60 and piece.readable
    assert time.process_time() - start < 10
