"""What the synthesis says of a batch's rows, for the tables and the dashboard alike: each
dossier's global verdict, the rules most often in gap, a row as spreadsheet cells."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from instruct.vocabulary import GAP_STATUSES, SEVERITY_ORDER, VERDICT_LIBELLES

SEVERITIES = tuple(SEVERITY_ORDER)
VERDICTS = (*VERDICT_LIBELLES, "erreur")  # global verdict of a row, JSON index order
# A gap that waits for a person (an instructeur, the DDT), not for the town: « à vérifier ». ORT-09
# (the national registry) is one: the town cannot act on it. Ranked below the real gaps.
WAITING = frozenset({"a_verifier"})
REAL_GAPS = tuple(s for s in GAP_STATUSES if s not in WAITING)  # non conforme, incomplet


def gap_rank(real: int, non_conforme: int, waiting: int) -> tuple:
    """Sort key, most urgent first: real gaps (non conforme first), then those waiting for a person."""
    return (-real, -non_conforme, -waiting)


def global_verdict(row: dict) -> str:
    """erreur, else the worst rule-set verdict (a dossier said not recevable is at least incomplet)."""
    if row.get("etat") == "erreur":
        return "erreur"
    found = set((row.get("verdicts") or {}).values())
    for verdict in ("non_recevable", "incomplet"):
        if verdict in found:
            return verdict
    return "incomplet" if row.get("recevable") is False else "recevable"


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _ruleset_of(rule_id: str, codes: list[str]) -> str:
    matching = [c for c in codes if rule_id.startswith(c + "-")]
    return max(matching, key=len) if matching else ""


def rule_order(rule_ids: Iterable[str], rulesets: list[dict], rules: dict[str, dict]) -> list[str]:
    """Catalogue order: rule sets as displayed, then rule id (natural)."""
    codes = [rs["code"] for rs in rulesets]

    def key(rule_id: str):
        jeu = (rules.get(rule_id) or {}).get("jeu") or _ruleset_of(rule_id, codes)
        return (codes.index(jeu) if jeu in codes else len(codes), _natural(rule_id))

    return sorted(set(rule_ids), key=key)


def rule_stats(rows: list[dict], rulesets: list[dict], rules: dict[str, dict]) -> list[dict]:
    """Each rule with a gap in at least one dossier: how many dossiers, by worst status. Ranked by
    dossiers with a real gap (non conforme or incomplet; more non conformes first), then by those
    only waiting for a person (à vérifier), then catalogue order: a rule whose gaps all wait for a
    person comes after every rule a town must act on."""
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        for rule_id, status in (row.get("regles_en_ecart") or {}).items():
            c = counts.setdefault(rule_id, dict.fromkeys(GAP_STATUSES, 0))
            c[status if status in c else "a_verifier"] += 1
    order = rule_order(counts, rulesets, rules)
    codes = [rs["code"] for rs in rulesets]
    stats = []
    for index, rule_id in enumerate(order):
        info = rules.get(rule_id) or {}
        c = counts[rule_id]
        stats.append(
            {
                "regle": rule_id,
                "titre": info.get("titre") or "",
                "severite": info.get("severite") or "",
                "jeu": info.get("jeu") or _ruleset_of(rule_id, codes),
                "total": sum(c.values()),
                "reels": sum(c[s] for s in REAL_GAPS),
                **c,
                "_ordre": index,
            }
        )
    stats.sort(key=lambda s: (*gap_rank(s["reels"], s["non_conforme"], s["total"] - s["reels"]), s["_ordre"]))
    return stats


def _first_blocking_text(row: dict) -> str:
    return " | ".join(
        f"{b.get('regle', '')} ({b.get('entite', '')}) : {b.get('message', '')}"
        for b in row.get("premiers_bloquants") or []
    )


def _yes_no(value) -> str:
    return "" if value is None else ("oui" if value else "non")


def columns(codes: list[str]) -> list[str]:
    return (
        ["dossier", "commune", "insee", "departement", "region", "region_nom", "etat", "erreur", "recevable"]
        + codes
        + [f"nb_{s}" for s in SEVERITIES]
        + ["premiers_bloquants", "rapport_json", "rapport_html", "cache"]
    )


def flat(row: dict, codes: list[str]) -> list:
    """The row as spreadsheet cells (None = empty), in columns() order, not yet guarded."""
    verdicts = row.get("verdicts") or {}
    ecarts = row.get("ecarts") or {}
    return (
        [row.get(k) for k in ("dossier", "commune", "insee", "departement", "region", "region_nom", "etat", "erreur")]
        + [_yes_no(row.get("recevable"))]
        + [verdicts.get(c) for c in codes]
        + [int(ecarts.get(s) or 0) for s in SEVERITIES]
        + [_first_blocking_text(row), row.get("rapport_json"), row.get("rapport_html"), _yes_no(bool(row.get("cache")))]
    )


def parse_datetime(text) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
