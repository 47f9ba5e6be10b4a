"""Filling what the structured dossier does not say from what its pieces say: each value filled
in keeps its quote as evidence (`provenance`, keyed by dossier path); nothing said is overwritten."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from instruct.documents.doubts import Doubt
from instruct.documents.doubts import SureReading as Reading
from instruct.documents.evidence import Quote
from instruct.documents.readings import Action
from instruct.documents.reconcile import Documents, avenant_readings, convention_reading
from instruct.documents.roles import role_of
from instruct.documents.text import normal
from instruct.french import french_date
from instruct.vocabulary import TRAME_AVENANT, TRAME_CONVENTION


def _node(data: dict, *keys: str) -> dict | None:
    """The mapping at keys, created when absent; None when something else is there (the
    validation will report it)."""
    for key in keys:
        if data.get(key) is None:
            data[key] = {}
        data = data[key]
        if not isinstance(data, dict):
            return None
    return data


# --- filling what the dossier does not say ------------------------------------------------------


def fill(data: dict, docs: Documents) -> None:
    """Set, in the raw dossier, what the pieces say and the dossier does not; record the quote."""
    prov = docs.provenance
    _fill_pieces(data, docs, prov)
    conv = convention_reading(docs, data)
    cadre = _node(data, "convention", "cadre") if conv is not None else None
    if conv is not None and cadre is not None:
        _fill_signed(cadre, conv, "convention.cadre", prov)
        deliberations = [
            (p, "commune" if p.role == "ville_centre" else "intercommunalite")
            for p in conv.parties or []
            if p.deliberation and p.role in {"ville_centre", "intercommunalite"}
        ]
        if cadre.get("deliberations") is None and deliberations:
            cadre["deliberations"] = [
                {"organe": organe, "date": p.deliberation.isoformat()} for p, organe in deliberations
            ]
            for i, (p, _) in enumerate(deliberations):
                prov[f"convention.cadre.deliberations[{i}]"] = p.deliberation_quote or p.quote
            prov["convention.cadre.deliberations"] = deliberations[0][0].deliberation_quote or deliberations[0][0].quote
        _fill_trame(cadre, conv, TRAME_CONVENTION, "convention.cadre.contenu", prov)
    avenants = avenant_readings(docs, data)
    if avenants and (convention := _node(data, "convention")) is not None:
        listed = convention.get("avenants")
        if listed is None:
            listed = convention["avenants"] = []
        if isinstance(listed, list):
            for numero, reading in sorted(avenants.items()):
                index = next(
                    (i for i, a in enumerate(listed) if isinstance(a, dict) and a.get("numero") == numero), None
                )
                if index is None:
                    listed.append({"numero": numero})
                    index = len(listed) - 1
                    prov[f"convention.avenants[{index}]"] = Quote(reading.file, "titre", f"Avenant n° {numero}")
                avenant, path = listed[index], f"convention.avenants[{index}]"
                if isinstance(avenant, dict):
                    _fill_signed(avenant, reading, path, prov)
                    _fill_trame(avenant, reading, TRAME_AVENANT, f"{path}.contenu", prov)
                    _fill_budget(avenant, reading, path, prov)
    _fill_fiches(data, conv, avenants, prov)
    if conv is not None and conv.duree_annees and cadre is not None and cadre.get("duree_annees") is None:
        cadre["duree_annees"], prov["convention.cadre.duree_annees"] = conv.duree_annees
    _fill_ort(data, conv, avenants, prov)
    _fill_deliberations(data, docs, prov)


ORGANE_NAMES = {"commune": "conseil municipal", "intercommunalite": "conseil communautaire"}


def _fill_deliberations(data: dict, docs: Documents, prov: dict[str, Quote]) -> None:
    """The délibérations approving the convention-cadre, and each avenant the dossier lists, from the
    délibération pieces when the dossier says none: each with its council and the date of its
    séance, both read sure (one read with doubt is a doubt for the instructeur, never filled). What
    the convention's parties block filled is kept; a council it does not name is added."""
    approvals = _approvals(docs)
    cadre = _existing(data, "convention", "cadre")
    if cadre is not None:
        _fill_approvals(cadre, "convention.cadre", approvals.get(("convention_cadre", None), []), prov)
    listed = (_existing(data, "convention") or {}).get("avenants")
    listed = listed if isinstance(listed, list) else []
    avenants = [a for a in listed if isinstance(a, dict)]
    for index, avenant in enumerate(listed):
        if not isinstance(avenant, dict) or not isinstance(avenant.get("numero"), int):
            continue
        found = approvals.get(("avenant", avenant["numero"]), [])
        if len(avenants) == 1:  # the only avenant: a délibération naming no number approves it
            found = found + approvals.get(("avenant", None), [])
        _fill_approvals(avenant, f"convention.avenants[{index}]", found, prov)


def _approvals(docs: Documents) -> dict[tuple[str, int | None], list[tuple[str, str, Quote]]]:
    """(what is approved, avenant number) -> (organe, date of the séance, quote) of each délibération
    read sure; the values read with doubt become doubts."""
    out: dict[tuple[str, int | None], list[tuple[str, str, Quote]]] = {}
    for reading in docs.readings:
        said = reading.deliberation if reading.kind == "deliberation" else None
        if said is None or said.objet is None or not said.objet[1].sure:
            continue
        if said.organe is None or said.seance is None:
            continue
        (organe, organe_quote), (day, seance_quote) = said.organe, said.seance
        doubtful_signer = any(d.file == reading.file and d.subject == "signataire" for d in docs.doubts)
        if organe == "commune" and (doubtful_signer or any(p.role != "ville_centre" for p in reading.signatures or [])):
            continue  # another town's council, or a signatory read with doubt: not surely the commune's
        if not organe_quote.sure or not seance_quote.sure:
            for quote, subject, value in (
                (organe_quote, "conseil ayant délibéré", ORGANE_NAMES[organe]),
                (seance_quote, "date de la séance", french_date(day)),
            ):
                if not quote.sure:
                    docs.doubts.append(Doubt(reading.file, subject, value, quote))
            continue
        key = (said.objet[0], said.numero if said.objet[0] == "avenant" else None)
        out.setdefault(key, []).append((organe, day.isoformat(), seance_quote))
    return out


def _fill_approvals(target: dict, path: str, found: list[tuple[str, str, Quote]], prov: dict[str, Quote]) -> None:
    listed = target.get("deliberations")
    if listed is not None and (f"{path}.deliberations" not in prov or not isinstance(listed, list)):
        return  # the dossier's own list
    listed = listed or []
    kept = {d.get("organe") for d in listed if isinstance(d, dict)}
    added: list[Quote] = []
    for organe, day, quote in found:
        if organe in kept or {"organe": organe, "date": day} in listed:
            continue
        prov[f"{path}.deliberations[{len(listed)}]"] = quote
        listed.append({"organe": organe, "date": day})
        added.append(quote)
    if added:
        target["deliberations"] = listed
        prov.setdefault(f"{path}.deliberations", added[0])


def _existing(data: dict, *keys: str) -> dict | None:
    """The mapping at keys when the dossier (or what the pieces filled) has it."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


HABITAT = re.compile(r"habitat|logement|opah|immeuble|rehabilitation|renovation energetique")


def _fill_ort(data: dict, conv: Reading | None, avenants: dict[int, Reading], prov: dict[str, Quote]) -> None:
    """An avenant « valant convention d'ORT » answers what it shows of the ORT's content (L303-2):
    a part found is present; a part not found stays unknown (the ORT may be another piece)."""
    avenant = next((r for _, r in sorted(avenants.items()) if r.valant_ort), None)
    if avenant is None or data.get("ort") is not None:
        return
    ort: dict[str, Any] = {}
    found: dict[str, Quote] = {}
    if avenant.date_signature:
        ort["date_signature"], found["date_signature"] = (
            avenant.date_signature[0].isoformat(),
            avenant.date_signature[1],
        )
    duree = avenant.duree_annees or (conv.duree_annees if conv else None)
    if duree:
        ort["duree_annees"], found["duree_annees"] = duree
    if "diagnostic_afom" in avenant.trame and "objectifs_generaux_et_par_axe" in avenant.trame:
        ort["projet_revitalisation"], found["projet_revitalisation"] = (
            True,
            avenant.trame["objectifs_generaux_et_par_axe"],
        )
    habitat = next((a for a in avenant.actions if HABITAT.search(normal(a.intitule or ""))), None)
    if habitat is not None:
        ort["actions_habitat"], found["actions_habitat"] = True, habitat.quote
    for name, part in (("calendrier", "calendrier_general"), ("plan_financement", "budget_financement")):
        if part in avenant.trame:
            ort[name], found[name] = True, avenant.trame[part]
    data["ort"] = ort
    prov["ort"] = avenant.valant_ort
    prov.update({f"ort.{name}": quote for name, quote in found.items()})


def _fill_pieces(data: dict, docs: Documents, prov: dict[str, Quote]) -> None:
    """A file recognised by its content and not declared in `pieces:` joins the list, so the
    rules asking for a piece of that kind (note de projet urbain, plan de situation…) see it."""
    listed = data.get("pieces")
    if listed is None:
        listed = data["pieces"] = []
    if not isinstance(listed, list):
        return
    declared = {str(p.get("fichier")) for p in listed if isinstance(p, dict)}
    ids = {str(p.get("id")) for p in listed if isinstance(p, dict)}
    for status in docs.pieces:
        if status.recognised_by != "contenu" or status.file in declared:
            continue
        ident = base = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(status.file).stem).strip("-.")[:60] or "piece"
        n = 1
        while ident in ids:
            n += 1
            ident = f"{base}-{n}"
        ids.add(ident)
        prov[f"pieces[{len(listed)}]"] = Quote(status.file, "début du document", f"reconnue au contenu : {status.kind}")
        listed.append({"id": ident, "type": status.kind, "fichier": status.file[:200]})


def _fill_signed(target: dict, reading: Reading, path: str, prov: dict[str, Quote]) -> None:
    if target.get("date_signature") is None and reading.date_signature:
        day, quote = reading.date_signature
        target["date_signature"] = day.isoformat()
        prov[f"{path}.date_signature"] = quote
    signatories = reading.signatories()
    if reading.signatories_doubtful:  # a list missing a signatory read with doubt would say it did not sign
        return
    if target.get("signataires") is None and signatories:  # [] is the dossier saying "no signatory"
        target["signataires"] = [
            {
                k: v
                for k, v in {
                    "role": p.role,
                    "organisme": p.organisme[:200],
                    "nom": p.nom and p.nom[:200],
                    "qualite": p.qualite and p.qualite[:200],
                }.items()
                if v
            }
            for p in signatories
        ]
        for i, p in enumerate(signatories):
            prov[f"{path}.signataires[{i}]"] = p.quote
        prov[f"{path}.signataires"] = signatories[0].quote


def _fill_trame(target: dict, reading: Reading, labels: dict[str, str], path: str, prov: dict[str, Quote]) -> None:
    if target.get("contenu") is not None:
        return
    target["contenu"] = {code: None if code in reading.unknown_trame else code in reading.trame for code in labels}
    for code, label in labels.items():
        if code in reading.unknown_trame:  # read with doubt, or not found where it may be unseen: unknown
            continue
        prov[f"{path}.{code}"] = reading.trame.get(code) or Quote(
            reading.file, "document entier", f"aucun titre pour « {label} »"
        )


def _fill_budget(avenant: dict, reading: Reading, path: str, prov: dict[str, Quote]) -> None:
    if avenant.get("budget") is not None or "total" not in reading.budget:
        return
    avenant["budget"] = {name: str(value) for name, (value, _) in reading.budget.items()}
    for name, (_, quote) in reading.budget.items():
        prov[f"{path}.budget.{name}"] = quote
    prov[f"{path}.budget"] = reading.budget["total"][1]


def _fill_fiches(data: dict, conv: Reading | None, avenants: dict[int, Reading], prov: dict[str, Quote]) -> None:
    """The table of actions becomes the fiches when the dossier lists none: the avenant's plan
    d'actions (every action), else the convention's table (the actions matures)."""
    if data.get("fiches_actions"):
        return
    matures = {_action_key(a) for a in conv.actions} if conv else set()
    table = next((r for _, r in sorted(avenants.items()) if r.actions or r.actions_doubtful), None) or conv
    if table is None or table.actions_doubtful:  # a table missing a row read with doubt would miscount its total
        return
    fiches, seen = [], set()
    for n, action in enumerate(table.actions, 1):
        fiche = _fiche(action, n, mature=_action_key(action) in matures)
        if fiche["id"] in seen:
            continue
        seen.add(fiche["id"])
        prov[f"fiches_actions[{len(fiches)}]"] = action.quote
        fiches.append(fiche)
    if fiches:
        data["fiches_actions"] = fiches


def _action_key(action: Action) -> str:
    return normal(action.id or action.intitule or "")


def _fiche(action: Action, n: int, mature: bool) -> dict:
    ident = re.sub(r"[^A-Za-z0-9._-]+", "-", action.id or "").strip("-")[:64] or f"action-{n}"
    fiche: dict[str, Any] = {"id": ident, "maturite": "mature" if mature else "a_venir"}
    if action.intitule:
        fiche["intitule"] = action.intitule[:200]
    if action.maitre_ouvrage:
        fiche["maitre_ouvrage"] = action.maitre_ouvrage[:200]
    if action.debut and action.fin:
        fiche["calendrier"] = {"debut": action.debut.isoformat(), "fin": action.fin.isoformat()}
    if action.cout is not None:
        fiche["cout"] = str(action.cout)

    def squeezed(text: str) -> str:  # a word cut by a line break in a PDF cell reads "Rochebru ne"
        return normal(text).replace(" ", "")

    porteur = squeezed(action.maitre_ouvrage or "")
    fiche["financement"] = [
        {
            "financeur": name[:200],
            "montant": str(amount),
            "role": "porteur" if porteur and squeezed(name) == porteur else _role(name),
        }
        for name, amount in action.financement
    ]
    return fiche


def _role(name: str) -> str:
    role = role_of(name)
    return "autre" if role == "autre_commune" else role
