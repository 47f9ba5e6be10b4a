"""The instruction workflow, one track per partner (« pistes d'instruction »), as in the State's instruction
platforms. The town moves the dossier: brouillon → depose (which opens the tracks), a_completer → depose (the
redeposit of a completed dossier), and withdraws it (→ retire) while nothing is decided. Each partner's track
moves on its own: depose → en_instruction → accepte / refuse / sans_suite, a return to the town for completion
(→ a_completer) and a reopening of a decision (→ en_instruction, « repasser en instruction »). The dossier's own
state is derived from its tracks' (`derived`). The moves themselves are instruct.service.instructions'."""

from __future__ import annotations

from dataclasses import dataclass

from instruct.french import french_number
from instruct.vocabulary import EtatDossier

# The town's moves of the dossier.
TOWN_TRANSITIONS = {
    ("brouillon", "depose"),
    ("a_completer", "depose"),
    ("depose", "retire"),
    ("en_instruction", "retire"),
    ("a_completer", "retire"),
}
DECIDED = ("accepte", "refuse", "sans_suite")
# A track's moves (an instructeur of its partner, or an admin).
TRACK_TRANSITIONS = {
    ("depose", "en_instruction"),
    ("depose", "a_completer"),
    ("en_instruction", "a_completer"),
    *(("en_instruction", decision) for decision in DECIDED),
    *((decision, "en_instruction") for decision in DECIDED),  # « repasser en instruction »
}
REASON_REQUIRED = {"a_completer", "refuse", "sans_suite"}  # and a reopening
MAX_REASON = 5000  # characters of a reason: a longer one is refused, never cut
MAX_RULES = 50  # rule ids cited by one decision
EDITABLE = {"brouillon", "a_completer"}  # a town may add a version
LABELS = {e.value: e.libelle for e in EtatDossier}
ACTIONS = {  # what a track's form offers, by state reached
    "en_instruction": "Passer en instruction",
    "a_completer": "Demander des compléments",
    "accepte": "Accepter",
    "refuse": "Refuser",
    "sans_suite": "Classer sans suite",
}
REOPEN = "Repasser en instruction"


@dataclass
class Refused(Exception):
    """A transition that cannot be made: `status` 403 (not yours to make), 409 (not now) or 422 (bad input)."""

    status: int
    message: str


def reason_checked(reason: str, required: bool, label: str) -> str:
    """The reason stripped; Refused when too long (422) or missing where required (409)."""
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        size, limit = french_number(len(reason)), french_number(MAX_REASON)
        raise Refused(422, f"motif trop long : {size} caractères, au plus {limit} (raccourcissez-le)")
    if required and not reason:
        raise Refused(409, f"un motif est obligatoire pour « {label} »")
    return reason


def track_moves(state: str) -> list[str]:
    """The states a track in `state` may go to."""
    order = list(ACTIONS)  # passer en instruction first, then compléments, then the decisions
    return sorted((to for start, to in TRACK_TRANSITIONS if start == state), key=order.index)


def action_label(state: str, to: str) -> str:
    return REOPEN if state in DECIDED and to == "en_instruction" else ACTIONS.get(to, LABELS.get(to, to))


def reason_required(state: str, to: str) -> bool:
    return to in REASON_REQUIRED or (state in DECIDED and to == "en_instruction")


def derived(state: str, tracks: list[str]) -> str:
    """The dossier's state from its tracks': retire stays retire; any track à compléter → a_completer; every track
    decided → their decision when all alike, else instruit; any track past its deposit → en_instruction; else
    depose (a dossier without tracks keeps its state: a draft)."""
    if state == "retire" or not tracks:
        return state
    if "a_completer" in tracks:
        return "a_completer"
    if all(t in DECIDED for t in tracks):
        return tracks[0] if len(set(tracks)) == 1 else "instruit"
    if any(t != "depose" for t in tracks):
        return "en_instruction"
    return "depose"


def impossible(state: str, to: str, transitions: set[tuple[str, str]] = TRACK_TRANSITIONS) -> str:
    """Why `to` cannot be reached from `state`: « déjà » when the track (or dossier) has gone past the states that
    lead there (it was decided by someone else, perhaps a moment before)."""
    label, target = LABELS.get(state, state), LABELS.get(to, to)
    if state == to or state in _after({start for start, end in transitions if end == to}, transitions):
        return f"déjà « {label} » : le passage à « {target} » n'est plus possible"
    return f"transition impossible : {label} → {target}"


def _after(states: set[str], transitions: set[tuple[str, str]]) -> set[str]:
    """Every state reachable from `states` by one transition or more."""
    reached, frontier = set(), set(states)
    while frontier:
        frontier = {end for start, end in transitions if start in frontier} - reached
        reached |= frontier
    return reached
