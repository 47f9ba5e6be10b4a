"""tableau-de-bord.html: the batch's one self-contained page (no external URL; CSS, JS and data
inline), filterable by région, département, verdict and rule, every column sortable. The markup
is templates/tableau-de-bord.html; this module only prepares what it shows. Every value from a
dossier is escaped: by the template in the page, and `<` as \\u003c in the embedded JSON.

The verdicts come from instruct.vocabulary (with « illisible » for a dossier not read) and reach
the script as data: a verdict added there appears in the filters, counts and sorting as is (with a
neutral look until given one in VERDICT_LOOK). Gaps that only wait for a person (synthesis.WAITING)
are ranked below the real ones, in the rules' ranking and when dossiers are sorted."""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

from instruct.batch.synthesis import (
    GAP_STATUSES,
    REAL_GAPS,
    VERDICTS,
    WAITING,
    global_verdict,
    parse_datetime,
    rule_order,
    rule_stats,
)
from instruct.french import french_date_text, french_datetime, french_number
from instruct.referentiel.departements import departement_libelle
from instruct.reports.templating import environment
from instruct.vocabulary import STATUT_LIBELLES, VERDICT_LIBELLES

TEMPLATES = Path(__file__).parent / "templates"
VERDICT_LABEL = {**VERDICT_LIBELLES, "erreur": "illisible"}  # a row's verdict; erreur: the dossier was not read
# How a verdict looks (symbol, CSS class, plural for the key figures); any other verdict: NEUTRAL.
VERDICT_LOOK = {
    "sans_objet": ("○", "vs", "sans point applicable"),
    "recevable": ("✔", "vr", "recevables"),
    "a_corriger": ("◑", "vc", "à corriger"),
    "incomplet": ("◐", "vi", "incomplets"),
    "non_recevable": ("✘", "vn", "non recevables"),
    "erreur": ("⚠", "ve", "illisibles"),
}
NEUTRAL = ("•", "vx", None)
STATUS_LABEL = {status: STATUT_LIBELLES[status] for status in GAP_STATUSES}
BAR_CLASS = {"non_conforme": "snc", "incomplet": "sin", "a_verifier": "sav"}
TOP_RULES = 15
MISSING = "_"  # région or département not known (filter value)


@functools.cache
def verdict_look(verdict: str) -> dict:
    symbol, css, plural = VERDICT_LOOK.get(verdict, NEUTRAL)
    label = VERDICT_LABEL.get(verdict, verdict.replace("_", " "))
    return {"value": verdict, "label": label, "symbol": symbol, "css": css, "counted": plural or label}


def render_dashboard(
    rows: Sequence[dict], rulesets: list[dict], rules: dict[str, dict], meta: dict, stats: list[dict] | None = None
) -> str:
    return "".join(stream_dashboard(rows, rulesets, rules, meta, stats))


def stream_dashboard(
    rows: Sequence[dict], rulesets: list[dict], rules: dict[str, dict], meta: dict, stats: list[dict] | None = None
) -> Iterator[str]:
    """The page in pieces as the template gives them (joined: render_dashboard). `rows` is read
    again for each part: no dossier's line is kept once written, only the data embedded for the
    script (a few hundred bytes a dossier)."""
    stats = stats if stats is not None else rule_stats(rows, rulesets, rules)
    known = list(VERDICTS)  # global_verdict gives one of them (the vocabulary's, or « erreur »)
    looks = {v: verdict_look(v) for v in known}

    # Filters: régions by name, départements by code and name (2A and 2B between 19 and 21); unknown last.
    regions: dict[str, str] = {}
    departements: dict[str, str] = {}
    counts = dict.fromkeys(known, 0)
    in_gap: set[str] = set()
    for r in rows:
        reg = r.get("region") or MISSING
        regions.setdefault(reg, r.get("region_nom") or (reg if reg != MISSING else "Région non renseignée"))
        departements.setdefault(r.get("departement") or MISSING, reg)
        counts[global_verdict(r)] += 1
        in_gap.update(r.get("regles_en_ecart") or {})
    region_options = sorted(regions, key=lambda c: (c == MISSING, _fold(regions[c])))
    dep_options = sorted(departements, key=_dep_key)
    dep_label = {d: "non renseigné" if d == MISSING else departement_libelle(d) for d in dep_options}

    # Data for the script: per row [région, département, verdict index, [rule index * statuses + status index, …],
    # sort keys (one per column; null: text, or empty: sorted last)].
    order = rule_order(in_gap, rulesets, rules)
    index = {rid: i for i, rid in enumerate(order)}

    def lines() -> Iterator[dict]:
        return (_matrix_row(row, global_verdict(row), looks) for row in rows)

    data = {
        "top": TOP_RULES,
        "verdicts": [[v, looks[v]["label"]] for v in known],
        "statuts": [[s, STATUS_LABEL[s], s in WAITING] for s in GAP_STATUSES],
        "regles": [[rid, (rules.get(rid) or {}).get("titre") or ""] for rid in order],
        "departements": [[d, departements[d], dep_label[d]] for d in dep_options],
        "texte": [0, 2, 4 + len(rulesets) + 2],  # columns sorted by their cells' text
    }
    gap_codes = len(GAP_STATUSES)

    def script_line(line: dict) -> list:
        row = line["row"]
        return [
            row.get("region") or MISSING,
            row.get("departement") or MISSING,
            known.index(line["verdict"]),
            sorted(
                gap_codes * index[rid] + GAP_STATUSES.index(st if st in GAP_STATUSES else GAP_STATUSES[-1])
                for rid, st in (row.get("regles_en_ecart") or {}).items()
            ),
            _sort_keys(line, known, rulesets, dep_options),
        ]

    return (
        environment(TEMPLATES)
        .get_template("tableau-de-bord.html")
        .generate(
            date=french_date_text(meta.get("date")),
            generated=_french_datetime(meta.get("genere_le")),
            meta=meta,
            total=len(rows),
            counts=counts,
            verdicts=[looks[v] for v in known],
            look=verdict_look,
            regions=[(c, regions[c]) for c in region_options],
            departements=[(d, dep_label[d]) for d in dep_options],
            regles=[(rid, (rules.get(rid) or {}).get("titre") or "") for rid in order],
            bars=_bars(stats),
            rulesets=rulesets,
            rows=lines(),
            data=_json_script(data, lignes=map(script_line, lines())),
            number=french_number,
            TOP_RULES=TOP_RULES,
        )
    )


def _sort_keys(line: dict, known: list[str], rulesets: list[dict], dep_options: list[str]) -> list:
    """One key per column of the matrix, in its order: a number, or numbers compared in turn; None
    for a text column (the script reads the cell: no dossier's text in the data) or an empty cell.
    A verdict sorts by its place in the vocabulary, then by its real gaps, then by those waiting."""
    row, failed = line["row"], line["verdict"] == "erreur"
    verdicts = row.get("verdicts") or {}
    return [
        None,
        dep_options.index(row["departement"]) if row.get("departement") else None,
        None,
        [known.index(line["verdict"]), line["real"], line["waiting"]],
        *[
            None if failed or verdicts.get(rs["code"]) not in known else known.index(verdicts[rs["code"]])
            for rs in rulesets
        ],
        None if failed else line["real"],
        None if failed else line["waiting"],
        None,
    ]


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
            "attente": s.get("reels", s["total"]) == 0,
            "parts": " · ".join(
                f"{STATUS_LABEL[status]} : {french_number(s[status])}" for status in GAP_STATUSES if s[status]
            ),
        }
        for s in top
    ]


def _matrix_row(row: dict, verdict: str, looks: dict[str, dict]) -> dict:
    """A dossier's line of the matrix: its name (a link to its report), what identifies it, its
    verdicts, its rules in gap: real ones (the town acts) and those waiting for a person."""
    label = row.get("dossier") or ""
    report = row.get("rapport_html") or row.get("rapport_json")
    blocking = row.get("premiers_bloquants") or []
    gaps = list((row.get("regles_en_ecart") or {}).values())
    return {
        "row": row,
        "verdict": verdict,
        "look": looks[verdict],
        "departement": departement_libelle(row.get("departement")),
        "real": sum(1 for st in gaps if st in REAL_GAPS),
        "waiting": sum(1 for st in gaps if st in WAITING),
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


def _json_script(data: dict, lignes: Iterable[list] = ()):
    """JSON for a <script> element: `<` and the JS line separators escaped, then marked safe. `lignes`, the
    last key, written a row at a time: the same text as json.dumps of the whole, without the whole."""
    from markupsafe import Markup

    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    text = dumps(data)[:-1] + (',"lignes":[' if data else '{"lignes":[') + ",".join(map(dumps, lignes)) + "]}"
    return Markup(text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
