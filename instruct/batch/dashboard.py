"""tableau-de-bord.html: the batch's one self-contained page (no external URL; CSS, JS and data
inline), filterable by région and département. The markup is templates/tableau-de-bord.html;
this module only prepares what it shows. Every value from a dossier is escaped: by the
template in the page, and `<` as \\u003c in the embedded JSON."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from urllib.parse import quote

from instruct.batch.synthesis import GAP_STATUSES, VERDICTS, global_verdict, parse_datetime, rule_order, rule_stats
from instruct.french import french_date_text, french_datetime, french_number
from instruct.reports.templating import render_page
from instruct.vocabulary import STATUT_LIBELLES, VERDICT_LIBELLES

TEMPLATES = Path(__file__).parent / "templates"
VERDICT_LABEL = {**VERDICT_LIBELLES, "erreur": "illisible"}  # a row's verdict; erreur: the dossier was not read
VERDICT_SYMBOL = {
    "sans_objet": "○",
    "recevable": "✔",
    "a_corriger": "◑",
    "incomplet": "◐",
    "non_recevable": "✘",
    "erreur": "⚠",
}
VERDICT_CLASS = {
    "sans_objet": "vs",
    "recevable": "vr",
    "a_corriger": "vc",
    "incomplet": "vi",
    "non_recevable": "vn",
    "erreur": "ve",
}
COUNTED = {
    "sans_objet": "sans point applicable",
    "recevable": "recevables",
    "a_corriger": "à corriger",
    "incomplet": "incomplets",
    "non_recevable": "non recevables",
    "erreur": "illisibles",
}
STATUS_LABEL = {status: STATUT_LIBELLES[status] for status in GAP_STATUSES}
BAR_CLASS = {"non_conforme": "snc", "incomplet": "sin", "a_verifier": "sav"}
TOP_RULES = 15
MISSING = "_"  # région or département not known (filter value)


def render_dashboard(
    rows: list[dict], rulesets: list[dict], rules: dict[str, dict], meta: dict, stats: list[dict] | None = None
) -> str:
    stats = stats if stats is not None else rule_stats(rows, rulesets, rules)
    verdicts = [global_verdict(r) for r in rows]

    # Filters: régions by name, départements by code (2A and 2B between 19 and 21); unknown last.
    regions: dict[str, str] = {}
    departements: dict[str, str] = {}
    for r in rows:
        reg = r.get("region") or MISSING
        regions.setdefault(reg, r.get("region_nom") or (reg if reg != MISSING else "Région non renseignée"))
        departements.setdefault(r.get("departement") or MISSING, reg)
    region_options = sorted(regions, key=lambda c: (c == MISSING, _fold(regions[c])))
    dep_options = sorted(departements, key=_dep_key)
    dep_label = {d: "non renseigné" if d == MISSING else d for d in dep_options}

    # Data for the script: per row [région, département, verdict index, [rule index * 3 + status index, …]].
    order = rule_order((rid for r in rows for rid in (r.get("regles_en_ecart") or {})), rulesets, rules)
    index = {rid: i for i, rid in enumerate(order)}
    data = {
        "top": TOP_RULES,
        "verdicts": list(VERDICTS),
        "regles": [[rid, (rules.get(rid) or {}).get("titre") or ""] for rid in order],
        "departements": [[d, departements[d], dep_label[d]] for d in dep_options],
        "lignes": [
            [
                r.get("region") or MISSING,
                r.get("departement") or MISSING,
                VERDICTS.index(v),
                sorted(
                    3 * index[rid] + (GAP_STATUSES.index(st) if st in GAP_STATUSES else 2)
                    for rid, st in (r.get("regles_en_ecart") or {}).items()
                ),
            ]
            for r, v in zip(rows, verdicts)
        ],
    }
    return render_page(
        TEMPLATES,
        "tableau-de-bord.html",
        date=french_date_text(meta.get("date")),
        generated=_french_datetime(meta.get("genere_le")),
        meta=meta,
        total=len(rows),
        counts={v: verdicts.count(v) for v in VERDICTS},
        regions=[(c, regions[c]) for c in region_options],
        departements=[(d, dep_label[d]) for d in dep_options],
        bars=_bars(stats),
        rulesets=rulesets,
        rows=[_matrix_row(row, verdict) for row, verdict in zip(rows, verdicts)],
        data=_json_script(data),
        number=french_number,
        TOP_RULES=TOP_RULES,
        VERDICTS=VERDICTS,
        COUNTED=COUNTED,
        VERDICT_LABEL=VERDICT_LABEL,
        VERDICT_SYMBOL=VERDICT_SYMBOL,
        VERDICT_CLASS=VERDICT_CLASS,
    )


def _bars(stats: list[dict]) -> list[dict]:
    """The most frequent rules in gap, each with its bar's segments (width relative to the first)."""
    top = stats[:TOP_RULES]
    biggest = top[0]["total"] if top else 1
    return [
        {
            **s,
            "segments": [
                (BAR_CLASS[status], f"{100 * s[status] / biggest:.4g}") for status in GAP_STATUSES if s[status]
            ],
            "parts": " · ".join(
                f"{STATUS_LABEL[status]} : {french_number(s[status])}" for status in GAP_STATUSES if s[status]
            ),
        }
        for s in top
    ]


def _matrix_row(row: dict, verdict: str) -> dict:
    """A dossier's line of the matrix: its name (a link to its report), what identifies it, its verdicts."""
    label = row.get("dossier") or ""
    report = row.get("rapport_html") or row.get("rapport_json")
    blocking = row.get("premiers_bloquants") or []
    return {
        "row": row,
        "verdict": verdict,
        "name": row.get("commune") or label,
        "href": _href(report) if report else None,
        "details": [label]
        + ([f"INSEE {row['insee']}"] if row.get("insee") else [])
        + (["fictif"] if row.get("fictif") else []),
        "blocking": blocking[0] if blocking else None,
        "more": int((row.get("ecarts") or {}).get("bloquant") or len(blocking)) - 1,
    }


def _french_datetime(text) -> str:
    value = parse_datetime(text)
    if value is None:
        return str(text or "")
    utc = " UTC" if "+00:00" in str(text) or str(text).endswith("Z") else ""
    return french_datetime(value) + utc


def _href(path: str) -> str:
    """A relative link to a report: percent-encoded (no scheme can appear), never absolute."""
    href = quote(path.replace("\\", "/"), safe="/")
    return "./" + href.lstrip("/") if href.startswith("/") else href


def _dep_key(dep: str) -> tuple:
    return (0, dep.replace("2A", "20A").replace("2B", "20B")) if dep != MISSING else (1, dep)


def _json_script(data):
    """JSON for a <script> element: `<` and the JS line separators escaped, then marked safe."""
    from markupsafe import Markup

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
