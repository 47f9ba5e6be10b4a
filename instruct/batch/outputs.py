"""The national synthesis of `acv batch`: synthese.csv (French Excel), synthese.xlsx and
tableau-de-bord.html (one self-contained page: no external URL, inline CSS, JS and data).

Every value comes from dossiers and is escaped: HTML-escaped in the page, JSON with `<` escaped
in the embedded data, and a leading apostrophe on any spreadsheet cell that would start a
formula (=, +, -, @, tab, CR; OWASP's CSV injection advice) in the CSV and the XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from html import escape
from pathlib import Path
from urllib.parse import quote

from instruct.french import french_date, french_number
from instruct.vocabulary import GAP_STATUSES, SEVERITY_ORDER, STATUT_LIBELLES, VERDICT_LIBELLES

CSV_NAME, XLSX_NAME, HTML_NAME = "synthese.csv", "synthese.xlsx", "tableau-de-bord.html"
SEVERITIES = tuple(SEVERITY_ORDER)
VERDICT_LABEL = {**VERDICT_LIBELLES, "erreur": "illisible"}  # a row's verdict; erreur: the dossier was not read
VERDICTS = tuple(VERDICT_LABEL)  # JSON index order
VERDICT_SYMBOL = {"recevable": "✔", "incomplet": "◐", "non_recevable": "✘", "erreur": "⚠"}
VERDICT_CLASS = {"recevable": "vr", "incomplet": "vi", "non_recevable": "vn", "erreur": "ve"}
# Cell fill and text colour, the same in the page and in the workbook (text contrast ≥ 7:1).
COLOURS = {
    "recevable": ("D7F0DD", "0B5A1E"),
    "incomplet": ("FFE8A8", "5C3D00"),
    "non_recevable": ("F9D0D0", "8A0C0C"),
    "erreur": ("E4E4E4", "2B2B2B"),
}
STATUS_LABEL = {status: STATUT_LIBELLES[status] for status in GAP_STATUSES}
TOP_RULES = 15
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MISSING = "_"  # région or département not known (filter value)


# --- shared helpers -----------------------------------------------------------------------------


def write_outputs(out: Path, rows: list[dict], rulesets: list[dict], rules: dict[str, dict], meta: dict) -> list[Path]:
    """Write out/synthese.csv, out/synthese.xlsx and out/tableau-de-bord.html; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    codes = [rs["code"] for rs in rulesets]
    table = [_flat(row, codes) for row in rows]
    stats = rule_stats(rows, rulesets, rules)
    paths = [out / CSV_NAME, out / XLSX_NAME, out / HTML_NAME]
    _atomic(paths[0], lambda p: write_csv(p, table, codes))
    _atomic(paths[1], lambda p: write_xlsx(p, table, codes, stats, rulesets, meta))
    _atomic(paths[2], lambda p: p.write_text(render_dashboard(rows, rulesets, rules, meta, stats), encoding="utf-8"))
    return paths


def _atomic(path: Path, write) -> None:
    """Readers (a mail, a watching tool) never see half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def safe_cell(value):
    """A string a spreadsheet would read as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


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
    """Each rule with a gap in at least one dossier: how many dossiers, by worst status; most first
    (ties: more non conformes first, then catalogue order)."""
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
                **c,
                "_ordre": index,
            }
        )
    stats.sort(key=lambda s: (-s["total"], -s["non_conforme"], s["_ordre"]))
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


def _flat(row: dict, codes: list[str]) -> list:
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


# --- synthese.csv -------------------------------------------------------------------------------


def write_csv(path: Path, table: list[list], codes: list[str]) -> None:
    """For French Excel: `;`, UTF-8 with BOM, CRLF, every field quoted when needed."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(columns(codes))
        for cells in table:
            writer.writerow(["" if v is None else safe_cell(v) for v in cells])


# --- synthese.xlsx ------------------------------------------------------------------------------


def write_xlsx(
    path: Path, table: list[list], codes: list[str], stats: list[dict], rulesets: list[dict], meta: dict
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fills = {v: (PatternFill("solid", start_color=bg, end_color=bg), Font(color=fg)) for v, (bg, fg) in COLOURS.items()}
    wb = Workbook()
    when = _datetime(meta.get("genere_le"))
    if when:
        wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "acv-instruct"
    wb.properties.title = "Synthèse Action Cœur de Ville"

    def sheet(ws, header: list[str], body: list[list], widths: list[int] | None = None) -> None:
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for cells in body:
            ws.append([safe_cell(v) for v in cells])
        ws.freeze_panes = "A2"
        if body:
            ws.auto_filter.ref = ws.dimensions
        for i, name in enumerate(header):
            longest = max([len(name)] + [len(str(cells[i])) for cells in body if cells[i] is not None])
            ws.column_dimensions[get_column_letter(i + 1)].width = min(
                max(longest + 2, 6), (widths or [60] * len(header))[i]
            )

    ws = wb.active
    ws.title = "Synthèse"
    header = columns(codes)
    sheet(ws, header, table)
    ws.freeze_panes = "B2"  # the header and the dossier's name stay in view
    first, etat_col = header.index(codes[0]) + 1 if codes else None, header.index("etat")
    for r, cells in enumerate(table, start=2):
        failed = cells[etat_col] == "erreur"
        for offset in range(len(codes)):
            verdict = "erreur" if failed else cells[first - 1 + offset]
            if verdict in fills:
                cell = ws.cell(row=r, column=first + offset)
                cell.fill, cell.font = fills[verdict]
        if failed:
            cell = ws.cell(row=r, column=etat_col + 1)
            cell.fill, cell.font = fills["erreur"]

    ws = wb.create_sheet("Règles")
    sheet(
        ws,
        [
            "règle",
            "titre",
            "sévérité",
            "jeu",
            "communes en écart",
            "dont non conformes",
            "dont incomplètes",
            "dont à vérifier",
        ],
        [
            [
                s["regle"],
                s["titre"],
                s["severite"],
                s["jeu"],
                s["total"],
                s["non_conforme"],
                s["incomplet"],
                s["a_verifier"],
            ]
            for s in stats
        ],
        [12, 80, 10, 8, 20, 20, 18, 18],
    )

    ws = wb.create_sheet("Paramètres")
    labels = [
        ("date", "Date d'évaluation"),
        ("genere_le", "Généré le"),
        ("regles", "Empreinte des règles"),
        ("dossiers", "Dossiers"),
        ("erreurs", "Dossiers illisibles"),
        ("duree_s", "Durée (s)"),
        ("version", "Version d'acv-instruct"),
    ]
    params = [[label, meta.get(key)] for key, label in labels] + [
        [k, v] for k, v in meta.items() if k not in dict(labels)
    ]
    params += [
        [f"Jeu de règles {rs['code']}", f"{rs.get('titre', '')} ({rs.get('partenaire', '')})"] for rs in rulesets
    ]
    sheet(
        ws,
        ["paramètre", "valeur"],
        [[k, v if isinstance(v, (int, float)) or v is None else str(v)] for k, v in params],
        [30, 80],
    )
    wb.save(path)


def _datetime(text) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


# --- tableau-de-bord.html -----------------------------------------------------------------------

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.45}
.skip{position:absolute;left:-100vw}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header,main{padding:.75rem clamp(.6rem,3vw,2rem);max-width:110rem}
h1{font-size:1.45rem;margin:.3rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.meta{color:#3d3d3d;font-size:.9rem;margin:.2rem 0}code{overflow-wrap:anywhere}
.chiffres{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.8rem 0}
.chiffres li{border:1px solid #b5b5b5;border-left:.45rem solid #6b6b6b;border-radius:.3rem;padding:.35rem .7rem;min-width:7.5rem}
.chiffres b{display:block;font-size:1.5rem}
.chiffres .vr{border-left-color:#2e8540}.chiffres .vi{border-left-color:#b57600}.chiffres .vn{border-left-color:#b3261e}.chiffres .ve{border-left-color:#8a8a8a}
.chiffres li.vr,.chiffres li.vi,.chiffres li.vn,.chiffres li.ve{background:#fff;color:inherit}
.filtres{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;margin:.8rem 0}
.filtres label{display:block;font-weight:600;font-size:.9rem}
select{font-size:1rem;padding:.3rem;max-width:100%}
.legende{display:flex;flex-wrap:wrap;gap:.4rem .8rem;list-style:none;padding:0;font-size:.9rem}
.legende span{padding:.1rem .4rem;border-radius:.2rem}
.defile{overflow-x:auto;border:1px solid #c4c4c4;max-width:100%}
.defile:focus{outline:3px solid #1f5fa8}
table{border-collapse:collapse;font-size:.85rem;width:100%}
caption{text-align:left;font-weight:600;padding:.4rem .5rem}
th,td{border:1px solid #d0d0d0;padding:.25rem .4rem;text-align:left;vertical-align:top}
thead th{background:#ececec;white-space:nowrap}
tbody th{font-weight:400;background:#fff;position:sticky;left:0;min-width:11rem;max-width:18rem}
tbody th small{display:block;color:#4a4a4a;overflow-wrap:anywhere}
a{color:#0b4f9c}a:focus{outline:2px solid #1f5fa8}
.vr{background:#D7F0DD;color:#0B5A1E}.vi{background:#FFE8A8;color:#5C3D00}.vn{background:#F9D0D0;color:#8A0C0C}.ve{background:#E4E4E4;color:#2B2B2B}
.vx{color:#4a4a4a}
td.vr,td.vi,td.vn,td.ve{white-space:nowrap}td.ve{white-space:normal;min-width:14rem}
td.g{font-weight:700}td.m{min-width:22rem;max-width:40rem}
abbr{text-decoration:none}
#barres{list-style:none;padding:0;margin:.5rem 0;max-width:60rem}
#barres li{margin:.55rem 0}
.bl{display:block;font-size:.9rem}
.bb{display:flex;height:1rem;background:#f2f2f2;border:1px solid #c4c4c4;margin:.15rem 0}
.bb span{display:block;height:100%}
.snc{background:#b3261e}.sin{background:#b57600}.sav{background:#1f5fa8}
.bn{display:block;font-size:.85rem;color:#333}
.cle{display:inline-block;width:.9rem;height:.9rem;vertical-align:middle;margin-right:.25rem;border:1px solid #555}
[hidden]{display:none!important}
@media (max-width:40rem){h1{font-size:1.2rem}.chiffres li{min-width:6rem}.chiffres b{font-size:1.2rem}}
"""

SCRIPT = r"""
(function(){
"use strict";
var D=JSON.parse(document.getElementById("donnees").textContent);
var rows=document.getElementById("matrice").tBodies[0].rows;
var fr=document.getElementById("f-region"),fd=document.getElementById("f-dep");
var nf=new Intl.NumberFormat("fr-FR");
var SL={nc:"non conforme",in:"incomplet",av:"à vérifier"};
document.getElementById("filtres").hidden=false;
function deps(){
  var r=fr.value,cur=fd.value,keep=false;
  while(fd.options.length>1)fd.remove(1);
  D.departements.forEach(function(d){
    if(!r||d[1]===r){fd.add(new Option(d[2],d[0]));if(d[0]===cur)keep=true;}
  });
  fd.value=keep?cur:"";
}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
function bars(counts){
  var R=D.regles.length,list=[],i;
  for(i=0;i<R;i++){var t=counts[3*i]+counts[3*i+1]+counts[3*i+2];if(t)list.push([i,t]);}
  list.sort(function(a,b){return b[1]-a[1]||counts[3*b[0]]-counts[3*a[0]]||a[0]-b[0];});
  list=list.slice(0,D.top);
  var ol=document.getElementById("barres");
  while(ol.firstChild)ol.removeChild(ol.firstChild);
  if(!list.length){ol.appendChild(el("li",null,"Aucune règle en écart."));return;}
  var max=list[0][1];
  list.forEach(function(x){
    var i=x[0],rule=D.regles[i],li=el("li");
    li.dataset.regle=rule[0];li.dataset.n=x[1];
    var lab=el("span","bl");lab.appendChild(el("b",null,rule[0]));lab.appendChild(document.createTextNode(" "+rule[1]));
    li.appendChild(lab);
    var bar=el("span","bb");bar.setAttribute("aria-hidden","true");
    var parts=[];
    ["nc","in","av"].forEach(function(k,s){var n=counts[3*i+s];if(n){var seg=el("span","s"+k);seg.style.width=(100*n/max)+"%";bar.appendChild(seg);parts.push(SL[k]+" : "+nf.format(n));}});
    li.appendChild(bar);
    li.appendChild(el("span","bn",nf.format(x[1])+(x[1]>1?" communes":" commune")+" ("+parts.join(" · ")+")"));
    ol.appendChild(li);
  });
}
function apply(){
  var r=fr.value,d=fd.value,n=[0,0,0,0],shown=0,counts=new Int32Array(3*D.regles.length);
  D.lignes.forEach(function(l,i){
    var ok=(!r||l[0]===r)&&(!d||l[1]===d);
    rows[i].hidden=!ok;
    if(!ok)return;
    shown++;n[l[2]]++;
    var g=l[3];for(var k=0;k<g.length;k++)counts[g[k]]++;
  });
  document.getElementById("n-dossiers").textContent=nf.format(shown);
  ["recevable","incomplet","non_recevable","erreur"].forEach(function(v,k){document.getElementById("n-"+v).textContent=nf.format(n[k]);});
  var where=[];
  if(r)where.push(fr.options[fr.selectedIndex].text);
  if(d)where.push("département "+fd.options[fd.selectedIndex].text);
  document.getElementById("etat-filtre").textContent=(where.length?"Filtre : "+where.join(", ")+" — ":"")+nf.format(shown)+" dossier"+(shown>1?"s":"")+" affiché"+(shown>1?"s":"")+" sur "+nf.format(rows.length)+".";
  bars(counts);
}
fr.addEventListener("change",function(){deps();apply();});
fd.addEventListener("change",apply);
if(fr.value||fd.value){deps();apply();}
})();
"""


def _french_date(text) -> str:
    try:
        return french_date(dt.date.fromisoformat(str(text)))
    except ValueError:
        return str(text)


def _french_datetime(text) -> str:
    value = _datetime(text)
    if value is None:
        return str(text or "")
    utc = " UTC" if "+00:00" in str(text) or str(text).endswith("Z") else ""
    return value.strftime("%d/%m/%Y à %H:%M") + utc


def _href(path: str) -> str:
    """A relative link to a report: percent-encoded (no scheme can appear), never absolute."""
    href = quote(path.replace("\\", "/"), safe="/")
    return "./" + href.lstrip("/") if href.startswith("/") else href


def _dep_key(dep: str) -> tuple:
    return (0, dep.replace("2A", "20A").replace("2B", "20B")) if dep != MISSING else (1, dep)


def _json_script(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _verdict_cell(verdict: str | None, extra_class: str = "") -> str:
    if verdict not in VERDICT_CLASS:
        return '<td class="vx">– non évalué</td>'
    cls = VERDICT_CLASS[verdict] + (" " + extra_class if extra_class else "")
    return f'<td class="{cls}">{VERDICT_SYMBOL[verdict]} {VERDICT_LABEL[verdict]}</td>'


def _bars_html(stats: list[dict]) -> str:
    top = stats[:TOP_RULES]
    if not top:
        return "<li>Aucune règle en écart.</li>"
    biggest = top[0]["total"]
    items = []
    for s in top:
        segments, parts = [], []
        for status, cls in zip(GAP_STATUSES, ("snc", "sin", "sav")):
            if s[status]:
                segments.append(f'<span class="{cls}" style="width:{100 * s[status] / biggest:.4g}%"></span>')
                parts.append(f"{STATUS_LABEL[status]} : {french_number(s[status])}")
        total = s["total"]
        items.append(
            f'<li data-regle="{escape(s["regle"])}" data-n="{total}"><span class="bl"><b>{escape(s["regle"])}</b> {escape(s["titre"])}</span>'
            f'<span class="bb" aria-hidden="true">{"".join(segments)}</span>'
            f'<span class="bn">{french_number(total)} commune{"s" if total > 1 else ""} ({" · ".join(parts)})</span></li>'
        )
    return "".join(items)


def render_dashboard(
    rows: list[dict], rulesets: list[dict], rules: dict[str, dict], meta: dict, stats: list[dict] | None = None
) -> str:
    stats = stats if stats is not None else rule_stats(rows, rulesets, rules)
    codes = [rs["code"] for rs in rulesets]
    verdicts = [global_verdict(r) for r in rows]
    counts = {v: verdicts.count(v) for v in VERDICTS}
    date = _french_date(meta.get("date"))

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

    out = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Tableau de bord Action Cœur de Ville — dossiers au {escape(date)}</title>",
        f"<style>{STYLE}</style></head><body>",
        '<a class="skip" href="#contenu">Aller au contenu</a>',
        "<header><h1>Action Cœur de Ville — synthèse nationale des dossiers</h1>",
        f'<p class="meta">Dossiers évalués au <strong>{escape(date)}</strong>'
        f" · généré le {escape(_french_datetime(meta.get('genere_le')))}"
        f" · empreinte des règles <code>{escape(str(meta.get('regles', '')))}</code>"
        f" · acv-instruct {escape(str(meta.get('version', '')))}</p></header>",
        '<main id="contenu">',
        '<h2 id="h-chiffres">Chiffres clés</h2>',
        '<ul class="chiffres" aria-labelledby="h-chiffres">',
        f'<li><b id="n-dossiers">{french_number(len(rows))}</b> dossiers</li>',
    ]
    for v, label in (
        ("recevable", "recevables"),
        ("incomplet", "incomplets"),
        ("non_recevable", "non recevables"),
        ("erreur", "illisibles"),
    ):
        out.append(
            f'<li class="{VERDICT_CLASS[v]}"><b id="n-{v}">{french_number(counts[v])}</b> {VERDICT_SYMBOL[v]} {label}</li>'
        )
    out.append("</ul>")
    out.append(
        f'<p id="etat-filtre" role="status">{french_number(len(rows))} dossier{"s" if len(rows) > 1 else ""} affiché{"s" if len(rows) > 1 else ""}.</p>'
    )

    out.append(
        '<div id="filtres" class="filtres" role="group" aria-label="Filtrer les dossiers" hidden><div><label for="f-region">Région</label>'
        '<select id="f-region"><option value="">Toutes les régions</option>'
    )
    out.extend(f'<option value="{escape(c)}">{escape(regions[c])}</option>' for c in region_options)
    out.append(
        '</select></div><div><label for="f-dep">Département</label><select id="f-dep"><option value="">Tous les départements</option>'
    )
    out.extend(f'<option value="{escape(d)}">{escape(dep_label[d])}</option>' for d in dep_options)
    out.append("</select></div></div>")
    out.append(
        "<noscript><p>Sans JavaScript, les filtres ne sont pas disponibles : tous les dossiers sont affichés.</p></noscript>"
    )

    out.append(
        '<h2 id="h-regles">Les règles le plus souvent en écart</h2>'
        f"<p>Les {TOP_RULES} règles (au plus) pour lesquelles le plus de communes ont un écart, par statut le plus grave : "
        '<span class="cle snc"></span>non conforme, <span class="cle sin"></span>incomplet, '
        '<span class="cle sav"></span>à vérifier. Le détail de toutes les règles est dans synthese.xlsx (feuille Règles).</p>'
    )
    out.append(f'<ol id="barres" aria-labelledby="h-regles">{_bars_html(stats)}</ol>')

    out.append('<h2 id="h-matrice">Verdicts par commune et par jeu de règles</h2>')
    out.append(
        '<ul class="legende" aria-label="Légende">'
        + "".join(
            f'<li><span class="{VERDICT_CLASS[v]}">{VERDICT_SYMBOL[v]} {VERDICT_LABEL[v]}</span></li>' for v in VERDICTS
        )
        + "</ul>"
    )
    out.append(
        "<p>Jeux de règles : "
        + " ; ".join(f"<strong>{escape(rs['code'])}</strong> {escape(rs.get('titre', ''))}" for rs in rulesets)
        + ". Le nom de la commune mène à son rapport.</p>"
    )
    out.append(
        '<div class="defile" tabindex="0" role="region" aria-labelledby="h-matrice"><table id="matrice">'
        f"<caption>{french_number(len(rows))} dossiers : verdict global, verdict de chaque jeu de règles et premier écart bloquant</caption>"
        '<thead><tr><th scope="col">Commune</th><th scope="col">Dép.</th><th scope="col">Région</th><th scope="col">Verdict</th>'
        + "".join(
            f'<th scope="col"><abbr title="{escape(rs.get("titre", ""))}">{escape(rs["code"])}</abbr></th>'
            for rs in rulesets
        )
        + '<th scope="col">Premier écart bloquant</th></tr></thead><tbody>'
    )
    for row, verdict in zip(rows, verdicts):
        out.append(_matrix_row(row, verdict, codes))
    out.append("</tbody></table></div>")
    out.append(f'<script type="application/json" id="donnees">{_json_script(data)}</script>')
    out.append(f"<script>{SCRIPT}</script></main></body></html>")
    return "\n".join(out) + "\n"


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def _matrix_row(row: dict, verdict: str, codes: list[str]) -> str:
    label = row.get("dossier") or ""
    name = escape(row.get("commune") or label)
    report = row.get("rapport_html") or row.get("rapport_json")
    if report:
        name = f'<a href="{escape(_href(report))}">{name}</a>'
    details = (
        [escape(label)]
        + ([f"INSEE {escape(row['insee'])}"] if row.get("insee") else [])
        + (["fictif"] if row.get("fictif") else [])
    )
    cells = [
        f'<tr><th scope="row">{name}<small>{" · ".join(details)}</small></th>',
        f"<td>{escape(row.get('departement') or '–')}</td><td>{escape(row.get('region_nom') or '–')}</td>",
    ]
    if verdict == "erreur":
        cells.append(
            f'<td class="ve g">{VERDICT_SYMBOL["erreur"]} illisible</td>'
            f'<td class="ve" colspan="{len(codes) + 1}">{escape(row.get("erreur") or "dossier illisible")}</td>'
        )
    else:
        cells.append(_verdict_cell(verdict, "g"))
        found = row.get("verdicts") or {}
        cells.extend(_verdict_cell(found.get(code)) for code in codes)
        blocking = row.get("premiers_bloquants") or []
        if blocking:
            b = blocking[0]
            more = int((row.get("ecarts") or {}).get("bloquant") or len(blocking)) - 1
            text = (
                f"<b>{escape(b.get('regle', ''))}</b> {escape(b.get('entite', ''))} : {escape(b.get('message', ''))}"
                + (f" <small>(+ {french_number(more)} autre{'s' if more > 1 else ''})</small>" if more > 0 else "")
            )
        else:
            text = "–"
        cells.append(f'<td class="m">{text}</td>')
    cells.append("</tr>")
    return "".join(cells)
