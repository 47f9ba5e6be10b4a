"""How the town clerks write the parties and the signature blocks: each function returns the
elements of the piece and, from the same data, what its truth says."""

from __future__ import annotations

import datetime as dt

from instruct.samples.corpus.essais_model import Columns, Element, Para, ScannedPage, date_text
from instruct.samples.corpus.essais_towns import Signer, Town
from instruct.samples.corpus.truth import Partie, Signataire


def _representative(s: Signer, rep: str) -> str:
    """« son maire, M. Jean DUPONT », « M. Jean DUPONT, maire », « Monsieur Jean DUPONT, en sa qualité de maire »."""
    if rep == "son_titre":
        if s.role in ("ville_centre", "autre_commune", "intercommunalite"):
            pos = "sa" if s.qualite.endswith("e") and s.qualite != "maire" else "son"
            return f"{pos} {s.qualite}, {s.civilite} {s.nom}"
        art = "la" if s.civilite == "Mme" else "le"
        return f"{art} {s.qualite}, {s.civilite} {s.nom}"
    if rep == "monsieur":
        civ = "Madame" if s.civilite == "Mme" else "Monsieur"
        return f"{civ} {s.nom}, en sa qualité de {s.qualite}"
    return f"{s.civilite} {s.nom}, {s.qualite}"


def _deliberation(s: Signer, form: str) -> str:
    if s.deliberation is None or form in ("none", "vu"):
        return ""
    habilite = "dûment habilitée" if s.civilite == "Mme" else "dûment habilité"
    if form == "long":
        return f", {habilite} par délibération du {s.organe or 'conseil'} du {date_text(s.deliberation, 'long')}"
    if form == "dots":
        return f", agissant en vertu d'une délibération en date du {date_text(s.deliberation, 'dots')}"
    return (
        f", {habilite} à cet effet par délibération n° {s.deliberation.year}-0{s.deliberation.day + 40} "
        f"du {date_text(s.deliberation, 'slash')}"
    )


def party_text(s: Signer, opts: dict, last: bool, in_prose: bool = False) -> str:
    comma = "," if opts.get("comma", True) else ""
    named = s.named if in_prose else f"{s.named[0].upper()}{s.named[1:]}"
    text = f"{named}{comma} {s.represente} par {_representative(s, opts.get('rep', 'son_titre'))}"
    text += _deliberation(s, opts.get("delib", "long"))
    if opts.get("ciapres", True) and s.court:
        dite = "dénommée" if s.feminine else "dénommé"
        text += f", ci-après {dite} « {s.court} »"
    return text + ("." if last else ",")


def vu_lines(signers: list[Signer], town: Town, form: str) -> list[str]:
    out = []
    for s in signers:
        if s.deliberation is None:
            continue
        day = date_text(s.deliberation, "long" if form != "dots" else "dots")
        if s.role == "ville_centre":
            out.append(
                f"Vu la délibération du conseil municipal de {town.ville} en date du {day} "
                "autorisant le maire à signer la présente convention ;"
            )
        elif s.role == "autre_commune":
            name = s.organisme.removeprefix("Commune de ")
            out.append(f"Vu la délibération du conseil municipal de {name} en date du {day} ;")
        elif s.role == "intercommunalite":
            out.append(
                f"Vu la délibération du conseil communautaire {_de(s)} du {day} approuvant la présente convention ;"
            )
        else:
            out.append(f"Vu la délibération de la commission permanente {_de(s)} du {day} ;")
    return out


def _de(s: Signer) -> str:
    if s.article == "la":
        return f"de la {s.organisme}"
    if s.article == "le":
        return f"du {s.organisme}"
    if s.article == "l'":
        return f"de l'{s.organisme}"
    return f"d'{s.organisme}" if s.organisme[0] in "AEIOUÉÈaeiou" else f"de {s.organisme}"


def parties_block(signers: list[Signer], town: Town, opts: dict) -> tuple[list[Element], list[Partie]]:
    """The parties, introduced by « ENTRE », « ENTRE LES SOUSSIGNÉS : », in prose, or after « Vu » lines."""
    intro = opts.get("intro", "entre")
    delib = opts.get("delib", "long")
    elements: list[Element] = []
    if delib == "vu":
        elements += [Para(line) for line in vu_lines(signers, town, opts.get("vu_form", "long"))]
    beneficiaires = [s for s in signers if s.role in ("ville_centre", "autre_commune", "intercommunalite")]
    others = [s for s in signers if s not in beneficiaires]
    if intro == "liste":  # one bullet per party
        elements.append(Para("Entre les soussignés :", bold=True))
        elements += [Para(party_text(s, opts, n == len(signers) - 1), bullet=True) for n, s in enumerate(signers)]
        elements.append(Para("Il a été convenu ce qui suit :"))
    elif intro == "prose":
        first = " et ".join(party_text(s, opts, False, True).rstrip(",") for s in beneficiaires)
        rest = ", ".join(party_text(s, opts, False, True).rstrip(",") for s in others)
        elements.append(Para(f"Entre {first}, d'une part, et {rest}, d'autre part,", align="justify"))
        elements.append(Para("il est convenu ce qui suit :"))
    else:
        elements.append(Para("ENTRE LES SOUSSIGNÉS :" if intro == "soussignes" else "ENTRE", bold=True))
        for s in beneficiaires:
            elements.append(Para(party_text(s, opts, False)))
        elements.append(Para("d'une part,", align="right"))
        elements.append(Para("ET", bold=True))
        for n, s in enumerate(others):
            elements.append(Para(party_text(s, opts, n == len(others) - 1)))
        elements.append(Para("d'autre part,", align="right"))
        if intro == "soussignes":
            elements.append(Para("Ci-après désignés ensemble « les Parties »."))
        elements.append(Para("IL A ÉTÉ CONVENU CE QUI SUIT :", bold=True))
    truth = [
        Partie(
            role=s.role,
            organisme=s.organisme,
            representant=s.nom,
            deliberation=None if delib == "none" else s.deliberation,
        )
        for s in signers
    ]
    return elements, truth


def fait_lines(town: Town, signed: dt.date, fait: str, date_form: str, copies: int) -> list[str]:
    day = "……………………" if date_form == "blank" else date_text(signed, date_form)  # blank: left to fill by hand
    if fait == "exemplaires":
        return [f"Fait en {copies} exemplaires originaux, à {town.ville}, le", day]
    if fait == "fait_nl":
        return [f"Fait à {town.ville},", f"le {day}"]
    if fait == "a":
        return [f"À {town.ville}, le {day}"]
    return [f"Fait à {town.ville}, le {day}"]


def _no_pour_title(s: Signer, town: Town) -> str:
    """« Le Maire de Kerbrivan, », « Le Préfet du Léguer-Maritime, »: the block says no « Pour »."""
    if s.role == "ville_centre":
        return f"{s.titre} de {town.ville},"
    if s.role == "prefet":
        return f"{s.titre} {town.dept},"
    return f"{s.titre} {_de(s)},"


def signature_block(
    signers: list[Signer], town: Town, signed: dt.date, opts: dict
) -> tuple[list[Element], list[Signataire]]:
    """The « Fait à » lines and the signatories, in the form `opts['sig']`: stacked, line, maire,
    columns2, columns3, grid, scanned; `opts['unnamed']`: roles whose block names nobody."""
    form = opts.get("sig", "stacked")
    unnamed = set(opts.get("unnamed", ()))
    fait = fait_lines(town, signed, opts.get("fait", "fait"), opts.get("sig_date", "long"), len(signers))
    truth = [Signataire(role=s.role, nom=None if s.role in unnamed else s.nom) for s in signers]

    def block(s: Signer) -> list[str]:
        head = [_no_pour_title(s, town)] if form == "maire" else [f"{s.pour},", f"{s.titre},"]
        return head + ([] if s.role in unnamed else [s.nom])

    if form == "scanned":
        lines = fait + [""]
        for s in signers:
            lines += block(s) + [""]
        return [ScannedPage(lines)], truth
    elements: list[Element] = [Para(line, keep=True) for line in fait]
    if form in ("stacked", "maire"):
        for s in signers:
            lines = block(s)
            elements += [Para(line, bold=(n == 0), keep=True) for n, line in enumerate(lines)]
            elements.append(Para(""))
    elif form == "line":
        for pair in range(0, len(signers), 2):
            group = [block(s) for s in signers[pair : pair + 2]]
            depth = max(len(b) for b in group)
            for row in range(depth):
                elements.append(Para("\t\t".join(b[row] if row < len(b) else "" for b in group), keep=True))
            elements.append(Para(""))
    else:
        per_row = 3 if form == "columns3" else 2
        elements.append(Columns([block(s) for s in signers], per_row=per_row, grid=form == "grid"))
    return elements, truth
