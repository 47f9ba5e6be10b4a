"""ORT-07 as a question a DDT asks: is this commerce project exempt from autorisation
d'exploitation commerciale (AEC), may the préfet suspend it, or neither?

Code de commerce: L752-1 (AEC above 1 000 m² of surface de vente), L752-1-1 (no AEC inside an
ORT secteur d'intervention that includes a centre-ville, unless the convention sets a
threshold, at least 5 000 m² or 2 500 m² for food), L752-1-2 (outside the secteurs, the préfet
may suspend the registration and examination of AEC requests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shapely.geometry import Point

from instruct.errors import InputError, Problem
from instruct.french import french_date, french_number
from instruct.model.dossier import Dossier
from instruct.rules.parameters import Parameter


@dataclass
class CommerceAnswer:
    regime: str  # hors_champ | exempte | aec_requise | droit_commun | suspension_possible | sans_effet
    conclusion: str
    raisons: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    secteur: str | None = None

    def as_dict(self) -> dict:
        return {
            "regime": self.regime,
            "conclusion": self.conclusion,
            "raisons": self.raisons,
            "articles": self.articles,
            "secteur": self.secteur,
        }

    def render(self) -> str:
        lines = [f"Régime : {self.regime}", self.conclusion]
        lines += [f"  - {r}" for r in self.raisons]
        lines.append("Articles : " + ", ".join(self.articles))
        return "\n".join(lines) + "\n"


def _value(parameters: dict[str, Parameter], name: str, when: dt.date) -> Decimal:
    dated = parameters[name].at(when)
    if dated is None or dated.value is None:
        raise InputError(name, [Problem("", f"aucune valeur en vigueur au {french_date(when)}")])
    return Decimal(dated.value)


def answer(
    dossier: Dossier,
    lon: float,
    lat: float,
    surface_m2: Decimal,
    alimentaire: bool,
    parameters: dict[str, Parameter],
    when: dt.date,
) -> CommerceAnswer:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError("--point", [Problem("", "coordonnées hors bornes : attendu LON,LAT en degrés (WGS 84)")])
    if surface_m2 <= 0 or surface_m2 > 1_000_000:
        raise InputError("--surface", [Problem("", "surface de vente en m² attendue (entre 0 et 1 000 000)")])
    surface_text = f"{french_number(surface_m2)} m²"
    droit_commun = _value(parameters, "aec.seuil_droit_commun", when)
    kind = "à prédominance alimentaire" if alimentaire else "non alimentaire"
    if surface_m2 <= droit_commun:
        return CommerceAnswer(
            "hors_champ",
            f"Projet de {surface_text} : pas d'autorisation d'exploitation commerciale requise, où qu'il soit.",
            [
                "La création d'un commerce de détail n'est soumise à AEC qu'au-delà de "
                f"{french_number(droit_commun)} m² de surface de vente."
            ],
            ["Code de commerce, art. L752-1"],
        )
    ort = dossier.ort
    if ort is None or ort.date_signature is None or ort.date_signature > when:
        return CommerceAnswer(
            "sans_effet",
            "Pas d'ORT signée à cette date : le droit commun s'applique (AEC requise).",
            [f"Projet {kind} de {surface_text}, au-delà de {french_number(droit_commun)} m²."],
            ["Code de commerce, art. L752-1", "CCH, art. L303-2"],
        )
    point = Point(lon, lat)
    inside = [s for s in ort.secteurs if s.geometrie is not None and s.geometrie.shape.covers(point)]
    unknown = [s.nom for s in ort.secteurs if s.geometrie is None]
    if not inside and unknown:
        raise InputError(
            "ort.secteurs",
            [Problem("", f"géométrie manquante pour : {', '.join(unknown)} ; impossible de situer le projet")],
        )
    centre = [s for s in inside if s.centre_ville]
    if centre:
        secteur = centre[0]
        seuil = secteur.seuil_aec_alimentaire_m2 if alimentaire else secteur.seuil_aec_m2
        if seuil is not None and surface_m2 > seuil:
            return CommerceAnswer(
                "aec_requise",
                f"Projet dans le secteur « {secteur.nom} » mais au-delà du seuil fixé par la convention : AEC requise.",
                [
                    f"Surface de vente {surface_text} > seuil {kind} de {french_number(seuil)} m² "
                    "fixé par la convention d'ORT."
                ],
                ["Code de commerce, art. L752-1-1"],
                secteur.nom,
            )
        reason = [
            f"Le secteur d'intervention « {secteur.nom} » comprend un centre-ville "
            f"(ORT signée le {french_date(ort.date_signature)})."
        ]
        if seuil is not None:
            reason.append(
                f"Surface de vente {surface_text} ≤ seuil {kind} de {french_number(seuil)} m² fixé par la convention."
            )
        else:
            reason.append("La convention ne fixe pas de seuil de rétablissement de l'AEC.")
        return CommerceAnswer(
            "exempte",
            "Projet exempté d'autorisation d'exploitation commerciale.",
            reason,
            ["Code de commerce, art. L752-1-1", "CCH, art. L303-2"],
            secteur.nom,
        )
    if inside:
        return CommerceAnswer(
            "droit_commun",
            f"Projet dans le secteur « {inside[0].nom} », qui ne comprend pas de centre-ville : "
            "AEC requise, sans suspension possible.",
            [
                f"Projet {kind} de {surface_text} ; "
                "l'exemption ne vaut que dans les secteurs comprenant un centre-ville."
            ],
            ["Code de commerce, art. L752-1", "Code de commerce, art. L752-1-1"],
            inside[0].nom,
        )
    return CommerceAnswer(
        "suspension_possible",
        "Projet hors des secteurs d'intervention de l'ORT : AEC requise, "
        "et le préfet peut suspendre l'enregistrement et l'examen de la demande.",
        [
            f"Projet {kind} de {surface_text} situé hors de tout secteur d'intervention ; "
            "la suspension est prononcée après avis des collectivités signataires de l'ORT."
        ],
        ["Code de commerce, art. L752-1", "Code de commerce, art. L752-1-2"],
    )
