"""The defects that make a dossier non conforme or incomplet (one per profile), and the
unreadable ones (a YAML error, a wrong type)."""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from decimal import Decimal

from instruct.samples.synthetic_profiles import Profile
from instruct.samples.synthetic_vary import (
    Templates,
    _eligible_immeubles,
    _months,
    _place,
    cents,
    hundreds,
    rebudget_avenant,
    shift_dates,
)

# --- the defects, one per profile (villebelle's frame; dates already shifted) ---------------------------


def defect(templates: Templates, name: str, d: dict, rng: random.Random, delta: int, used: set[str]) -> None:
    fiches = d["fiches_actions"]
    cadre = d["convention"]["cadre"]
    avenant = d["convention"]["avenants"][0]
    if name == "complet_immeubles":
        _eligible_immeubles(templates, d, rng, rng.randrange(1, 4), used)
    elif name == "incomplet_gouvernance":
        del d["gouvernance"], d["preparation"]
    elif name == "incomplet_perimetres":
        del d["perimetres"]
    elif name == "incomplet_ort":
        del d["ort"]
    elif name == "incomplet_anah":
        del d["dispositifs_anah"]
    elif name == "incomplet_immeuble":
        _eligible_immeubles(templates, d, rng, rng.randrange(1, 3), used)
        imm = templates.part("belcastel", lambda t: t["immeubles"][5])  # IMM-06: no dossier opérateur
        imm["maitrise_fonciere"] = {"mode": "acquisition", "etat": "engagee"}
        imm["reference_cadastrale"] = ""  # given by _place
        d["immeubles"].append(_place(imm, rng, len(d["immeubles"]) + 1, used))
    elif name == "incomplet_pieces":
        d.setdefault("pieces", []).append(
            {
                "id": "deliberation-ville",
                "type": "deliberation",
                "fichier": "deliberation-conseil-municipal.pdf",
                "titre": "Délibération du conseil municipal",
            }
        )
    elif name == "avenant_tardif":
        d["convention"].pop("phase", None)  # a late avenant is a phase-1 matter: the 2018 calendar
        late = max(_months(cadre["date_signature"], 19), dt.date(2020, 4, 15)) + dt.timedelta(
            days=rng.randrange(0, 150)
        )
        avenant["date_signature"] = late
        d["ort"]["date_signature"] = late
        for fiche in fiches:  # fiches signed with the avenant or after it stay so
            if fiche.get("date_signature") is not None and fiche["date_signature"] < late:
                gap = (late - fiche["date_signature"]).days + 20
                for key in ("date_approbation_comite_projet", "date_comite_regional", "date_signature"):
                    fiche[key] += dt.timedelta(days=gap)
                for line in fiche["financement"]:
                    if line.get("date_engagement"):
                        line["date_engagement"] += dt.timedelta(days=gap)
    elif name == "budget_incoherent":
        if rng.random() < 0.5:
            total = avenant["budget"]["total"]
            avenant["budget"]["total"] = cents(hundreds(total * Decimal(rng.choice(["0.82", "0.9", "1.12"]))))
        else:
            fiche = rng.choice(fiches)
            line = fiche["financement"][-1]
            gap = rng.choice([-1, 1]) * 50000
            line["montant"] = cents(line["montant"] + (gap if line["montant"] + gap >= 0 else -gap))  # never < 0
            rebudget_avenant(d, avenant)
    elif name == "action_hors_perimetre":
        fiche = rng.choice(fiches[2:5])
        fiche["localisation"] = {
            "type": "Point",
            "coordinates": [round(rng.uniform(2.012, 2.018), 4), round(rng.uniform(46.992, 47.008), 4)],
        }
    elif name == "double_financement":
        sa04 = templates.part("saint-aubin", lambda t: t["fiches_actions"][2])
        sa04["id"] = f"FA-{len(fiches) + 1:02d}"
        sa04["maitre_ouvrage"] = "Bailleur social du centre (fictif)"
        fiches.append(shift_dates(sa04, delta))
        rebudget_avenant(d, avenant)
    elif name == "quartier_npnru_centre":
        quartier = templates.part("saint-aubin", lambda t: t["quartiers"][0])
        quartier.update(
            code_qpv=f"QP099{rng.randrange(100, 999)}",
            nom="Quartier de la Forge (fictif)",
            date_comite_engagement=cadre["date_signature"] - dt.timedelta(days=200),
        )
        d["quartiers"] = [quartier]
        if not any(s["role"] == "anru" for s in cadre["signataires"]):
            cadre["signataires"].append({"role": "anru", "organisme": "ANRU"})
        for avenant in d["convention"]["avenants"]:  # the avenant has the convention's partners (PROG-26)
            if not any(s["role"] == "anru" for s in avenant.setdefault("signataires", [])):
                avenant["signataires"].append({"role": "anru", "organisme": "ANRU"})
    elif name == "opah_non_referencee":
        # a prolongation is possible, not required (guide): ending first without one is no gap;
        # not referring to the OPAH-RU in progress is (ANAH-04 reference)
        opah = d["dispositifs_anah"][0]
        opah["date_fin"] = dt.date(rng.choice([2022, 2023, 2024]), 12, 31)
        opah["prolongation_prevue"] = False
        opah["reference_convention"] = False
    elif name == "signataire_manquant":
        cadre["signataires"] = [s for s in cadre["signataires"] if s["role"] != "anah"]
    elif name == "fiche_non_signee":
        # a fiche signed after the avenant, which the Banque des Territoires finances and has not signed
        fiche = rng.choice(
            [f for f in fiches if f.get("date_signature") and f["date_signature"] > avenant["date_signature"]]
        )
        fiche["signataires"] = [s for s in fiche["signataires"] if s != "Banque des Territoires"]
        if not any(line["role"] == "cdc" for line in fiche["financement"]):
            porteur = fiche["financement"][-1]
            share = cents(hundreds(porteur["montant"] * Decimal("0.3")))
            fiche["financement"].insert(
                len(fiche["financement"]) - 1,
                {
                    "financeur": "Banque des Territoires",
                    "role": "cdc",
                    "montant": share,
                    "date_engagement": fiche["date_signature"] + dt.timedelta(days=30),
                },
            )
            porteur["montant"] -= share
            rebudget_avenant(d, avenant)
    elif name == "engagement_tardif":
        fiche = rng.choice(fiches[2:5])
        line = next(f for f in fiche["financement"] if f.get("date_engagement"))
        line["date_engagement"] = dt.date(2027, rng.randrange(1, 13), 1)
    elif name == "secteur_debordant":
        secteur = d["perimetres"]["secteurs_prioritaires"][0]
        x0 = round(rng.uniform(2.004, 2.007), 4)
        secteur["geometrie"]["coordinates"] = [
            [[x0, 46.998], [x0 + 0.01, 46.998], [x0 + 0.01, 47.002], [x0, 47.002], [x0, 46.998]]
        ]
        secteur.update(id="gare", nom="Quartier de la gare")
    elif name in {"immeuble_plafond", "investisseur_partiel", "immeuble_hors_perimetre"}:
        _eligible_immeubles(templates, d, rng, rng.randrange(0, 3), used)
        index = {"immeuble_plafond": 3, "investisseur_partiel": 1, "immeuble_hors_perimetre": 2}[name]
        imm = templates.part("belcastel", lambda t: t["immeubles"][index])
        point = (
            (round(rng.uniform(2.025, 2.035), 4), round(rng.uniform(46.992, 47.008), 4))
            if name == "immeuble_hors_perimetre"
            else None
        )
        d["immeubles"].append(_place(imm, rng, len(d["immeubles"]) + 1, used, point))
    elif name == "contreparties_insuffisantes":
        _eligible_immeubles(templates, d, rng, rng.randrange(1, 4), used)
        imm = rng.choice(d["immeubles"])
        imm["reservations"]["logements"] = math.floor(Decimal("0.75") * len(imm["logements"])) - rng.randrange(1, 3)
    elif name == "piece_corrompue":
        d.setdefault("pieces", []).append(
            {"id": "plan-situation", "type": "plan_situation", "fichier": "plan-situation.pdf"}
        )
    if d.get("immeubles"):  # all added here: the dates of belcastel's operations follow the dossier's
        d["immeubles"] = [shift_dates(imm, delta) for imm in d["immeubles"]]


def unreadable(text: str, profile: Profile, rng: random.Random) -> str:
    lines = text.splitlines()
    if profile.name == "illisible_yaml":
        at = next(i for i, line in enumerate(lines) if "date_signature:" in line)
        choice = rng.randrange(3)
        if choice == 0:  # an unclosed bracket
            lines[at] = lines[at].replace("date_signature: ", "date_signature: [")
        elif choice == 1:  # a key given twice
            lines.insert(lines.index("fictif: true") + 1, "fictif: true")
        else:  # a tab in the indentation
            lines[at] = "\t" + lines[at].lstrip(" ")
    else:
        choice = rng.randrange(3)
        if choice == 0:
            at = next(i for i, line in enumerate(lines) if line.strip().startswith("cout:"))
            lines[at] = re.sub(r"cout: .*", "cout: un million deux cent mille euros", lines[at])
        elif choice == 1:
            at = next(i for i, line in enumerate(lines) if "date_signature:" in line)
            lines[at] = re.sub(r"date_signature: \S+", "date_signature: 2019-02-30", lines[at])
        else:
            at = next(i for i, line in enumerate(lines) if "duree_annees:" in line)
            lines[at] = re.sub(r"duree_annees: \S+", "duree_annees: cinq ans", lines[at])
    return "\n".join(lines) + "\n"
