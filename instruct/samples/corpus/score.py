"""What the reader got right on a corpus piece, field by field, against its ground truth.

Each field of each piece comes out as one of:
- « juste »: read, sure (confidence ≥ SURE) and right;
- « à vérifier »: read below SURE (the report shows it à vérifier with its quote), right or not;
- « manquant »: the truth has a value and nothing was read;
- « faux »: read, sure and wrong — what must never happen;
- not applicable (left out) when the truth has nothing for it and nothing sure was read.
Names are compared with french.name_key (accents, case, spacing, apostrophes, hyphens aside).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from instruct.documents.evidence import SURE
from instruct.documents.extract import Party, Reading
from instruct.documents.read import PieceText
from instruct.french import name_key
from instruct.samples.corpus.truth import Verite

JUSTE, DOUTE, MANQUANT, FAUX = "juste", "à vérifier", "manquant", "faux"
OUTCOMES = (JUSTE, DOUTE, MANQUANT, FAUX)

FIELDS = {
    "type": "nature de la pièce",
    "numero": "numéro de l'avenant",
    "probleme": "problème d'une pièce illisible",
    "ville_centre": "ville-centre",
    "intercommunalite": "intercommunalité",
    "roles": "rôles des parties",
    "representants": "représentants des parties",
    "deliberations": "dates des délibérations",
    "signataires": "rôles des signataires",
    "noms_signataires": "noms des signataires",
    "date_signature": "date de signature",
    "trame": "parties de la trame présentes",
    "actions": "lignes du tableau des actions",
    "couts": "coûts des actions",
    "budget_total": "budget total",
    "duree_annees": "durée en années",
}

# What a piece's problems must say for each kind of unreadable piece.
PROBLEM_WORDS = {
    "scanne": r"scann",
    "endommage": r"endommag|tronqu",
    "tronque": r"endommag|tronqu|partiel",
    "chiffre": r"chiffr|prot[eé]g",
    "pas_un_pdf": r"n'est pas un pdf|pas un pdf",
    "docx_corrompu": r"docx illisible|corromp|invalide",
}


@dataclass
class PieceScore:
    file: str
    outcomes: dict[str, str] = field(default_factory=dict)  # field -> outcome
    notes: dict[str, str] = field(default_factory=dict)  # field -> what was expected and read, when not juste

    @property
    def fully_read(self) -> bool:
        return all(outcome == JUSTE for outcome in self.outcomes.values())


def _key(text: str | None) -> str:
    """A name as compared, its leading article and « ci-après … » tail aside."""
    plain = name_key(text or "")
    plain = re.sub(r"^(la|le|les|l) ", "", plain)
    return plain.split(" ci apres")[0].strip(" ,;")


def _outcome(expected, read, confidence: float | None, same=None) -> tuple[str | None, str]:
    """The outcome of one field: `expected` from the truth (None: nothing to find), `read` by
    the reader (None: nothing read) with its confidence."""
    same = same or (lambda a, b: a == b)
    note = f"attendu {expected!r}, lu {read!r}" + (f" (confiance {confidence:.2f})" if confidence is not None else "")
    if read is None:
        return (MANQUANT if expected is not None else None), note
    sure = confidence is None or confidence >= SURE
    if not sure:
        return DOUTE, note
    if expected is None:
        return FAUX, note
    return (JUSTE if same(expected, read) else FAUX), note


def _confidence(parties: Iterable[Party]) -> float:
    return min((p.quote.confidence for p in parties), default=1.0)


def _names(expected: list[str], found: list[Party | None]) -> tuple[str | None, str]:
    """People's names, each judged with its own confidence: one read sure and different is wrong
    (a doubtful neighbour never hides it); a name not read is missing."""
    read = [f.nom if f else None for f in found]
    sure = [f is not None and min(f.quote.confidence, getattr(f, "nom_confidence", 1.0)) >= SURE for f in found]
    note = f"attendu {expected!r}, lu {read!r} (sûrs : {sure!r})"
    if all(name is None for name in read):
        return MANQUANT, note
    if any(ok and name is not None and _key(name) != _key(want) for want, name, ok in zip(expected, read, sure)):
        return FAUX, note
    if None in read:
        return MANQUANT, note
    return (JUSTE if all(sure) else DOUTE), note


def _costs(expected: list, actions: list) -> tuple[str | None, str]:
    """The costs of the rows, each with its own confidence: one read sure and different is wrong;
    one not read (None, or a row short) is missing."""
    read = [a.cout for a in actions]
    sure = [min(a.quote.confidence, getattr(a, "cout_confidence", 1.0)) >= SURE for a in actions]
    note = f"attendu {expected!r}, lu {read!r} (sûrs : {sure!r})"
    if not actions or all(value is None for value in read):
        return MANQUANT, note
    if len(read) != len(expected):
        return (FAUX if all(sure) else DOUTE), note
    pairs = list(zip(expected, read, sure))
    if any(ok and got is not None and got != want for want, got, ok in pairs):
        return FAUX, note
    if any(got is None and want is not None for want, got, _ in pairs):
        return MANQUANT, note
    if any(got is not None and want is None and ok for want, got, ok in pairs):
        return FAUX, note
    return (JUSTE if all(ok for _, got, ok in pairs if got is not None) else DOUTE), note


def _squeezed(text: str | None) -> str:
    """An intitulé as compared: a word cut at a line end may come back with or without its hyphen."""
    return _key(text).replace(" ", "")


def _deliberation_confidence(party: Party) -> float:
    quote = getattr(party, "deliberation_quote", None)
    return min(party.quote.confidence, quote.confidence if quote is not None else 1.0)


def _party(parties: list[Party] | None, role: str) -> Party | None:
    return next((p for p in parties or [] if p.role == role), None)


def _in_order(parties: list[Party] | None, roles: list[str]) -> list[Party | None]:
    """For each role of the truth, in order, the next party read with that role (two « autre »
    partners are the first and the second read so)."""
    left = list(parties or [])
    out = []
    for role in roles:
        match = next((p for p in left if p.role == role), None)
        if match is not None:
            left.remove(match)
        out.append(match)
    return out


def score_piece(truth: Verite, piece: PieceText, reading: Reading) -> PieceScore:
    score = PieceScore(truth.fichier)

    def put(name: str, result: tuple[str | None, str]) -> None:
        outcome, note = result
        if outcome is not None:
            score.outcomes[name] = outcome
            if outcome != JUSTE:
                score.notes[name] = note

    if truth.probleme is not None:
        said = " ; ".join(piece.problems)
        right = not piece.readable and re.search(PROBLEM_WORDS[truth.probleme], said, re.IGNORECASE)
        put("probleme", (JUSTE if right else FAUX, f"attendu {truth.probleme}, lu « {said} »"))
        return score
    if not piece.readable:
        put("type", (MANQUANT, f"pièce lisible non lue : {'; '.join(piece.problems)}"))
        return score
    put("type", _outcome(truth.type or "aucune", reading.kind or "aucune", getattr(reading, "kind_confidence", 1.0)))
    if truth.type == "avenant":
        sure = min(getattr(reading, "kind_confidence", 1.0), getattr(reading, "numero_confidence", 1.0))
        put("numero", _outcome(truth.numero, reading.numero, sure))
    _score_parties(truth, reading, put)
    _score_signatures(truth, reading, put)
    _score_structure(truth, reading, put)
    return score


def _score_parties(truth: Verite, reading: Reading, put) -> None:
    read = reading.parties
    expected = truth.parties
    for role in ("ville_centre", "intercommunalite"):
        want = next((p for p in expected or [] if p.role == role), None)
        got = _party(read, role)
        put(
            role,
            _outcome(
                want and want.organisme,
                got and got.organisme,
                got and got.quote.confidence,
                lambda a, b: _key(a) == _key(b),
            ),
        )
    if expected is None and not read:
        return
    put(
        "roles",
        _outcome(
            expected and sorted(p.role for p in expected),
            read and sorted(p.role for p in read),
            _confidence(read or []),
        ),
    )
    with_name = [p for p in expected or [] if p.representant]
    if with_name:
        found = _in_order(read, [p.role for p in with_name])
        put("representants", _names([p.representant for p in with_name], found))
    with_date = [p for p in expected or [] if p.deliberation]
    read_dates = [p for p in read or [] if p.deliberation]
    if with_date or any(_deliberation_confidence(p) >= SURE for p in read_dates):
        put(
            "deliberations",
            _outcome(
                sorted((p.role, p.deliberation) for p in with_date) or None,
                sorted((p.role, p.deliberation) for p in read_dates) or None,
                min((_deliberation_confidence(p) for p in read_dates), default=1.0),
            ),
        )


def _score_signatures(truth: Verite, reading: Reading, put) -> None:
    read = reading.signatures
    expected = truth.signataires
    if expected is not None or read:
        put(
            "signataires",
            _outcome(
                expected and sorted(s.role for s in expected),
                read and sorted(p.role for p in read),
                _confidence(read or []),
            ),
        )
    named = [s for s in expected or [] if s.nom]
    if named:
        found = _in_order(read, [s.role for s in named])
        put("noms_signataires", _names([s.nom for s in named], found))
    signed = reading.date_signature
    put(
        "date_signature",
        _outcome(truth.date_signature, signed and signed[0], signed and signed[1].confidence),
    )


def _score_structure(truth: Verite, reading: Reading, put) -> None:
    if truth.trame is not None:
        sure = {code for code, quote in reading.trame.items() if quote.sure}
        doubtful = {code for code, quote in reading.trame.items() if not quote.sure}
        expected = set(truth.trame)
        absences_sure = getattr(reading, "trame_sure", True)
        note = f"attendu {sorted(expected)}, lu {sorted(sure)} (avec doute : {sorted(doubtful)})"
        if sure - expected or (absences_sure and expected - sure - doubtful):
            outcome = FAUX
        elif sure == expected:
            outcome = JUSTE
        elif not reading.trame:
            outcome = MANQUANT
        else:
            outcome = DOUTE
        put("trame", (outcome, note))
    actions = reading.actions
    if truth.actions is not None or actions:
        put(
            "actions",
            _outcome(
                truth.actions and [a.intitule for a in truth.actions],
                [a.intitule for a in actions] or None,  # no row read: nothing read, not « no actions »
                min((a.quote.confidence for a in actions), default=1.0),
                lambda a, b: [_squeezed(x) for x in a] == [_squeezed(y) for y in b],
            ),
        )
    if truth.actions and any(a.cout is not None for a in truth.actions):
        put("couts", _costs([a.cout for a in truth.actions], actions))
    total = reading.budget.get("total")
    put("budget_total", _outcome(truth.budget_total, total and total[0], total and total[1].confidence))
    duree = reading.duree_annees
    put("duree_annees", _outcome(truth.duree_annees, duree and duree[0], duree and duree[1].confidence))


@dataclass
class CorpusScore:
    pieces: list[PieceScore]

    def counts(self) -> dict[str, Counter]:
        out: dict[str, Counter] = {name: Counter() for name in FIELDS}
        for piece in self.pieces:
            for name, outcome in piece.outcomes.items():
                out[name][outcome] += 1
        return out

    def accuracy(self, name: str) -> float | None:
        counts = self.counts()[name]
        total = sum(counts.values())
        return counts[JUSTE] / total if total else None

    @property
    def fully_read(self) -> int:
        return sum(1 for p in self.pieces if p.fully_read)

    def wrong(self) -> list[tuple[str, str, str]]:
        """(file, field, note) of every value read sure and wrong."""
        return [
            (p.file, name, p.notes.get(name, "")) for p in self.pieces for name, o in p.outcomes.items() if o == FAUX
        ]

    def table(self) -> str:
        lines = [f"{'champ':<34}{'juste':>7}{'à vérif.':>10}{'manquant':>10}{'faux':>6}{'total':>7}{'% juste':>9}"]
        for name, label in FIELDS.items():
            counts = self.counts()[name]
            total = sum(counts.values())
            if not total:
                continue
            lines.append(
                f"{label:<34}{counts[JUSTE]:>7}{counts[DOUTE]:>10}{counts[MANQUANT]:>10}{counts[FAUX]:>6}{total:>7}"
                f"{100 * counts[JUSTE] / total:>8.1f}%"
            )
        lines.append(f"pièces entièrement lues : {self.fully_read} sur {len(self.pieces)}")
        return "\n".join(lines)


def score_corpus(folder) -> CorpusScore:
    """Read every piece of a corpus folder as `acv check` does (no dossier to say the town) and score it."""
    from instruct.documents.extract import read
    from instruct.documents.read import read_piece
    from instruct.samples.corpus.truth import corpus

    scores = []
    for path, truth in corpus(folder):
        piece = read_piece(path)
        scores.append(score_piece(truth, piece, read(piece)))
    return CorpusScore(scores)
