"""What the reader is not sure of: only sure values fill the dossier.

A value read below `SURE` (a party, a signatory, a date, a part of the trame, a row of actions, a
budget line, the kind of the piece) is taken out of the reading and kept as a `Doubt`, with its
quote, for the instructeur to check (rule X-07); so is what a convention or an avenant should
show and does not (its parties, its signature block, its date of signature). The sure reading
says what it does not know: a list of signatories that lost a doubtful member is not complete
(`signatories_doubtful`), nor is a table of actions that lost a row (`actions_doubtful`); a part
of the trame read with doubt, or not found when the reader cannot tell it is absent
(`Reading.trame_sure`), is unknown rather than absent.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from instruct.documents.evidence import SURE, Quote
from instruct.documents.readings import Party, Reading
from instruct.french import french_amount, french_date
from instruct.vocabulary import TRAMES

KIND_NAMES = {"convention_cadre": "une convention-cadre", "avenant": "un avenant"}
ROLE_NAMES = {
    "ville_centre": "ville-centre",
    "intercommunalite": "intercommunalité",
    "prefet": "État (préfet)",
    "cdc": "Caisse des Dépôts (Banque des Territoires)",
    "action_logement": "Action Logement",
    "anah": "Anah",
    "anru": "ANRU",
    "region": "Région",
    "departement": "Département",
    "autre_commune": "autre commune",
    "autre": "autre partenaire",
}
BUDGET_NAMES = {
    "total": "montant total",
    "part_cofinanceurs": "part des cofinanceurs",
    "part_porteur": "part du porteur",
}
FEMININE = {"nature", "partie", "date", "ligne", "durée", "mention"}  # « lue avec doute »
LOOKED_FOR = {  # what a convention or an avenant should show: (what it is, the sentence when not found)
    "parties": ("bloc des parties", "aucun bloc des parties (« ENTRE … », « ET … ») trouvé"),
    "signatures": ("bloc de signature", "aucun bloc de signature (« Fait à … », « Pour … ») trouvé"),
    "date_signature": ("date de signature", "aucune date de signature (« Fait à …, le … ») trouvée"),
}


@dataclass(frozen=True)
class Doubt:
    """A value read with doubt (`quote` below SURE), or something looked for and not found
    (`looked_for`, and `quote` None)."""

    file: str
    subject: str  # French: what was read (« signataire », « date de signature »…)
    value: str | None = None  # the value read, as text
    quote: Quote | None = None
    looked_for: str | None = None  # French: what the reader looked for and did not find, as a sentence
    note: str | None = None  # French: what the reader supposes of the value (« rôle supposé : … »)

    @property
    def confidence(self) -> float:
        return self.quote.confidence if self.quote is not None else 0.0

    def sentence(self) -> str:
        """The doubt as a town reads it, without what to do about it."""
        if self.quote is None:
            return f"{self.file} : {self.looked_for or self.subject}"
        value = f" : « {_short(self.value)} »" if self.value else ""
        note = f" ({self.note})" if self.note else ""
        read = "lue avec doute" if self.subject.split()[0] in FEMININE else "lu avec doute"
        return f"{self.file}, {self.quote.where} : « {_short(self.quote.text)} » — {self.subject} {read}{value}{note}"


def _short(text: str, limit: int = 240) -> str:
    """A quote kept readable in a message (the whole text stays in the finding's evidence)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class SureReading(Reading):
    """A reading keeping only its sure values (see the module's docstring)."""

    signatories_doubtful: bool = False  # a signatory was read with doubt: the list is not complete
    unknown_trame: set[str] = field(default_factory=set)  # parts neither surely present nor surely absent
    actions_doubtful: bool = False  # a row of the table of actions was read with doubt: the table is not complete


def _party_value(p: Party) -> str:
    who = ", ".join(x for x in (p.nom, p.qualite) if x)
    return f"{p.organisme}{f', {who}' if who else ''}"


def _sure_party(p: Party, in_parties: bool, doubt) -> Party:
    """A sure party or signatory without what in it was read with doubt: its person's name
    (`nom_confidence`), its délibération (`deliberation_quote`); each a doubt with its quote."""
    if p.nom and p.nom_confidence < SURE:
        subject = "représentant d'une partie" if in_parties else "nom du signataire"
        quote = dataclasses.replace(p.quote, confidence=p.nom_confidence)
        doubt(subject, p.nom, quote, f"pour : {p.organisme}")
        p = dataclasses.replace(p, nom=None, nom_confidence=1.0)
    quote = p.deliberation_quote
    if p.deliberation and quote is not None and not quote.sure:
        doubt("date de délibération", french_date(p.deliberation), quote, f"de : {p.organisme}")
        p = dataclasses.replace(p, deliberation=None, deliberation_quote=None)
    return p


def sure_reading(reading: Reading, declared_kind: bool, readable: bool) -> tuple[SureReading, list[Doubt]]:
    """The reading with only its sure values, and the doubts taken out of it."""
    values = {f.name: getattr(reading, f.name) for f in dataclasses.fields(reading)}
    sure = SureReading(**values)
    doubts: list[Doubt] = []
    file = reading.file

    def doubt(subject: str, value: str | None, quote: Quote, note: str | None = None) -> None:
        doubts.append(Doubt(file, subject, value, quote, note=note))

    kind_confidence = getattr(reading, "kind_confidence", 1.0)
    if reading.kind and not declared_kind and kind_confidence < SURE:
        name = KIND_NAMES.get(reading.kind, reading.kind)
        doubt("nature de la pièce", name, Quote(file, "début du document", f"reconnue comme {name}", kind_confidence))
        sure.kind = None
        return sure, doubts  # what a piece of unknown kind says fills nothing
    if reading.kind not in TRAMES or not readable:  # a délibération's signatory: only a sure one speaks
        for p in reading.signatures or []:
            if not p.quote.sure:
                doubt("signataire", _party_value(p), p.quote, f"rôle supposé : {ROLE_NAMES.get(p.role, p.role)}")
        sure.signatures = [p for p in reading.signatures or [] if p.quote.sure] or None
        return sure, doubts
    numero_confidence = getattr(reading, "numero_confidence", 1.0)
    if reading.numero is not None and numero_confidence < SURE:
        quote = getattr(reading, "numero_quote", None) or Quote(file, "titre", f"avenant n° {reading.numero}")
        doubt("numéro de l'avenant", f"n° {reading.numero}", dataclasses.replace(quote, confidence=numero_confidence))
        sure.numero = None
    for name in ("parties", "signatures"):
        parties = getattr(reading, name)
        if parties is None:
            continue
        kept = []
        for p in parties:
            if not p.quote.sure:
                role = f"rôle supposé : {ROLE_NAMES.get(p.role, p.role)}"
                doubt("partie" if name == "parties" else "signataire", _party_value(p), p.quote, role)
                continue
            kept.append(_sure_party(p, name == "parties", doubt))
        setattr(sure, name, kept)
    signatories = reading.signatories() or []
    sure.signatories_doubtful = any(not p.quote.sure for p in signatories)
    if reading.date_signature and not reading.date_signature[1].sure:
        doubt("date de signature", french_date(reading.date_signature[0]), reading.date_signature[1])
        sure.date_signature = None
    labels = {p.code: p.libelle for p in TRAMES[reading.kind]}
    sure.trame = {code: q for code, q in reading.trame.items() if q.sure}
    for code, quote in reading.trame.items():
        if not quote.sure:
            doubt("partie de la trame", labels.get(code, code), quote)
    sure.unknown_trame = {code for code in reading.trame if code not in sure.trame}
    if not getattr(reading, "trame_sure", True):
        sure.unknown_trame |= {code for code in labels if code not in reading.trame}
    sure.actions = [a for a in reading.actions if a.quote.sure]
    sure.actions_doubtful = len(sure.actions) < len(reading.actions)
    for a in reading.actions:
        if not a.quote.sure:
            cost = f", {french_amount(a.cout)}" if a.cout is not None else ""
            doubt("ligne du tableau des actions", f"{a.id or ''} {a.intitule or ''}".strip() + cost, a.quote)
    sure.budget = {name: (v, q) for name, (v, q) in reading.budget.items() if q.sure}
    for name, (value, quote) in reading.budget.items():
        if not quote.sure:
            doubt(f"budget ({BUDGET_NAMES.get(name, name)})", french_amount(value), quote)
    if reading.duree_annees and not reading.duree_annees[1].sure:
        doubt("durée de la convention", f"{reading.duree_annees[0]} ans", reading.duree_annees[1])
        sure.duree_annees = None
    if reading.valant_ort is not None and not reading.valant_ort.sure:
        doubt("mention « valant convention d'ORT »", None, reading.valant_ort)
        sure.valant_ort = None
    for name in ("parties", "signatures", "date_signature"):
        if getattr(reading, name) is None and (name != "date_signature" or reading.signatures is not None):
            subject, looked_for = LOOKED_FOR[name]  # no date is said only of a signature block found
            doubts.append(Doubt(file, subject, looked_for=looked_for))
    return sure, doubts
