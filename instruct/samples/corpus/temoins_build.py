"""Témoins: one builder for conventions-cadres and avenants. A spec (a dict of the town's
choices) gives both the Doc and its truth, from the same data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from instruct.samples.corpus.temoins_model import MENTION, Doc, P, bloc_parties, signatures, table_actions
from instruct.samples.corpus.temoins_textes import corps, numero
from instruct.vocabulary import TRAMES


def build(s: dict) -> tuple[Doc, dict]:
    """s: kind, titre (lines), ville, epci, parties [P], parties_style, schema, sections [(code|None,
    titre)], actions {lignes, header, style, total, ruled, code}, duree, annexes [(code|None, titre)],
    fait, date_signature, signes [(P, named, pour, qualité)], colonnes, headings, header, footer."""
    kind = s["kind"]
    doc = Doc(headings=s.get("headings", "styles"), header=s.get("header", ""), footer=s.get("footer", ""))
    doc.title = s["titre"][0]
    for ligne in s["titre"]:
        doc.add("title", ligne)
    doc.p(MENTION)
    for ligne in s.get("vu", []):
        doc.p(ligne)
    trame: list[str] = []
    parties: list[P] = s["parties"]
    i = 0
    if s.get("parties_titre"):
        i += 1 if s.get("parties_numerote") else 0
        doc.h(numero(s["schema"], i, s["parties_titre"]) if s.get("parties_numerote") else s["parties_titre"])
    if parties:
        objet = "Le présent avenant est conclu" if kind == "avenant" else "La présente convention est conclue"
        bloc_parties(doc, parties, s["parties_style"], s.get("dstyle", "long"), s.get("forme0", 0), objet)
        if kind == "convention_cadre":
            trame.append("parties")
    v = {"ville": s["ville"], "epci": s["epci"], "duree_texte": s.get("duree_texte", ""), **s.get("v", {})}
    acts = s.get("actions")
    truth_actions = None
    total = None
    titre_groupe = None
    for code, titre in s["sections"]:
        if code == "groupe":  # « Titre I – … » above its articles
            titre_groupe = titre
            doc.h(titre, 1)
            continue
        i += 1
        doc.h(numero(s["schema"], i, titre), 2 if titre_groupe else 1)
        if code:
            trame.append(code)
        for texte in corps(code or "", v) if code else s.get("libres", {}).get(titre, ["Sans objet."]):
            doc.p(texte)
        if acts and code == acts["code"]:
            rows, truth_actions = table_actions(acts["lignes"], acts["header"], acts["style"], acts.get("total", True))
            doc.add("table", rows, {"ruled": acts.get("ruled", True), "widths": acts.get("widths")})
            if acts.get("total", True) or acts.get("phrase"):
                total = sum((a.cout or Decimal(0) for a in truth_actions), Decimal(0))
            if acts.get("phrase"):
                doc.p(acts["phrase"].format(total=acts["phrase_montant"](total)))
    if "fait" in s:
        signatures(
            doc,
            s["fait"],
            [(pour, p.nom if named else None, q) for p, named, pour, q in s["signes"]],
            s.get("colonnes", 1),
        )
    for code, titre in s.get("annexes", []):
        if s.get("annexes_saut", True):
            doc.add("break")
        doc.h(titre, 1)
        if code:
            trame.append(code)
        doc.p(s.get("annexe_texte", {}).get(code, "Voir le document joint."))
    doc.p(MENTION)
    codes = [p.code for p in TRAMES[kind]]
    truth = {
        "type": kind,
        "numero": s.get("numero"),
        "parties": [p.truth() for p in parties] if parties else None,
        "signataires": [p.signataire(named) for p, named, _, _ in s["signes"]] if "fait" in s else None,
        "date_signature": s.get("date_signature"),
        "trame": sorted(set(trame), key=codes.index),
        "actions": truth_actions,
        "budget_total": total,
        "duree_annees": s.get("duree"),
    }
    return doc, truth


def d(y: int, m: int, j: int) -> dt.date:
    return dt.date(y, m, j)
