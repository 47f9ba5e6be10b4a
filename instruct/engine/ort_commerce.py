"""ORT-07 as a question a DDT asks: is this commerce project exempt from autorisation
d'exploitation commerciale (AEC), may the préfet suspend it, or neither?

Code de commerce: L752-1 (AEC above 1 000 m² of surface de vente), L752-1-1 (no AEC inside an
ORT secteur d'intervention that includes a centre-ville, unless the convention sets a
threshold, at least 5 000 m² or 2 500 m² for food), L752-1-2 (outside the secteurs, the préfet
may suspend the registration and examination of AEC requests).

Since the loi Climat et résilience (n° 2021-1104, art. 215, in force on `ort.loi_climat`), the
exemption of L752-1-1 holds only for projects that do not cause artificialisation des sols (in
the sense of L752-6, V). The answer is dated: a question asked before that date gets the former
rule; after it, whether the project artificialises soils is asked (`artificialise`), and when it
is not known the answer says it cannot conclude and what to provide, never assumes.

`point_warnings` is what both shells (the CLI, the page) say of a point that looks wrong: longitude and
latitude swapped, or a point outside the town's département (its box in referentiel.emprises; for a
fictitious or unknown code, far from the dossier's own secteurs and périmètres). A warning, never a refusal.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from shapely.geometry import Point

from instruct.errors import InputError, Problem
from instruct.french import french_date, french_number
from instruct.model.dossier import Dossier
from instruct.referentiel import emprises
from instruct.referentiel.territoires import departement
from instruct.rules.parameters import Parameter

# Each regime's answer in words, as a title (the page's, a letter's): exact for each, never a machine word.
TITLES = {
    "hors_champ": "Pas d'autorisation d'exploitation commerciale requise : projet sous le seuil",
    "exempte": "Exempté d'autorisation d'exploitation commerciale",
    "indetermine": "Impossible de conclure sans savoir si le projet artificialise les sols",
    "aec_requise": "Autorisation d'exploitation commerciale requise",
    "droit_commun": "Autorisation d'exploitation commerciale requise, sans suspension possible",
    "suspension_possible": "Autorisation d'exploitation commerciale requise ; suspension possible par le préfet",
    "sans_effet": "Pas d'ORT signée à cette date : autorisation d'exploitation commerciale requise (droit commun)",
}


@dataclass
class CommerceAnswer:
    regime: str  # hors_champ | exempte | indetermine | aec_requise | droit_commun | suspension_possible | sans_effet
    conclusion: str
    raisons: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    secteur: str | None = None
    a_fournir: list[str] = field(default_factory=list)  # what is needed to conclude (regime indetermine)

    @property
    def title(self) -> str:
        return TITLES[self.regime]

    def as_dict(self) -> dict:
        return {
            "regime": self.regime,
            "titre": self.title,
            "conclusion": self.conclusion,
            "raisons": self.raisons,
            "articles": self.articles,
            "secteur": self.secteur,
            "a_fournir": self.a_fournir,
        }

    def render(self) -> str:
        lines = [f"Réponse : {self.title}", self.conclusion]
        lines += [f"  - {r}" for r in self.raisons]
        lines += [f"À fournir : {item}" for item in self.a_fournir]
        lines.append("Articles : " + ", ".join(self.articles))
        return "\n".join(lines) + "\n"


FAR_KM = 30  # without a département box: farther than this from the dossier's shapes is a warning


@dataclass(frozen=True)
class PointWarning:
    kind: str  # inverse | hors_departement | loin_du_dossier | hors_france
    message: str


def _degrees(value: float) -> str:
    return f"{value:.6g}".replace(".", ",")


def _dossier_bounds(dossier: Dossier) -> tuple[float, float, float, float] | None:
    """The box around the dossier's ORT secteurs and périmètres (None: none is drawn)."""
    shapes = [s.geometrie.shape for s in (dossier.ort.secteurs if dossier.ort else []) if s.geometrie is not None]
    if dossier.perimetres is not None:
        p = dossier.perimetres
        shapes += [g.shape for g in (p.etude, p.intervention) if g is not None]
        shapes += [s.geometrie.shape for s in p.secteurs_prioritaires]
    if not shapes:
        return None
    bounds = [shape.bounds for shape in shapes]
    return (
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    )


def _km_outside(bounds: tuple[float, float, float, float], lon: float, lat: float) -> float:
    """Roughly how far (km) the point is from the box (0 inside): enough to tell a town from elsewhere."""
    dx = max(bounds[0] - lon, 0.0, lon - bounds[2]) * 111.32 * math.cos(math.radians(min(abs(lat), 89.0)))
    dy = max(bounds[1] - lat, 0.0, lat - bounds[3]) * 110.57
    return math.hypot(dx, dy)


def point_warnings(dossier: Dossier, lon: float, lat: float) -> list[PointWarning]:
    """What looks wrong with a project's point, in French, for the town's département: the numbers
    swapped (the point outside, the swapped one inside), or the point outside. Empty when it looks right."""
    ville = dossier.collectivites.ville_centre if dossier.collectivites else None
    code = departement(ville.insee if ville else None)
    box = emprises.box(code)
    own = _dossier_bounds(dossier) if box is None else None
    near: Callable[[float, float], bool]
    if box is not None:  # what the point is checked against: the département, else the dossier's shapes, else France
        near = lambda x, y: emprises.in_box(box, x, y)  # noqa: E731
        where = f" pour le département de la commune, {emprises.name(code)} ({code})"
    elif own is not None:
        near = lambda x, y: _km_outside(own, x, y) <= FAR_KM  # noqa: E731
        where = " près des secteurs et périmètres du dossier"
    else:
        near, where = emprises.maybe_in_france, " en France"
    if near(lon, lat):
        return []
    typed = f"longitude {_degrees(lon)}, latitude {_degrees(lat)}"
    in_france = emprises.maybe_in_france
    # swapped, the département aside (the swapped point still outside it, but in France): said swapped first
    swapped_in_france = not near(lat, lon) and not in_france(lon, lat) and in_france(lat, lon)
    if near(lat, lon) or swapped_in_france or (box is None and own is None and in_france(lat, lon)):
        where = " en France" if swapped_in_france else where
        return [
            PointWarning(
                "inverse",
                f"Les coordonnées semblent inversées ({typed}) : {_degrees(lon)} ressemble à une latitude et "
                f"{_degrees(lat)} à une longitude{where}. L'ordre attendu est la longitude d'abord, puis la "
                f"latitude : ici sans doute longitude {_degrees(lat)}, latitude {_degrees(lon)}.",
            )
        ]
    if box is not None:
        return [
            PointWarning(
                "hors_departement",
                f"Le point ({typed}) est hors du département de la commune, {emprises.name(code)} ({code}) : "
                "vérifiez les coordonnées.",
            )
        ]
    if own is not None:
        km = _km_outside(own, lon, lat)
        distance = f"environ {french_number(Decimal(round(km)))}" if km < 500 else "plus de 500"
        return [
            PointWarning(
                "loin_du_dossier",
                f"Le point ({typed}) est à {distance} km des secteurs et périmètres du dossier : il est "
                "sans doute hors du département de la commune ; vérifiez les coordonnées.",
            )
        ]
    return [PointWarning("hors_france", f"Le point ({typed}) n'est dans aucun département français : vérifiez-le.")]


ARTIFICIALISATION = (
    "si le projet artificialise les sols, c'est-à-dire s'il augmente la surface artificialisée des parcelles "
    "où il prend place"
)
CLIMAT = "Loi n° 2021-1104 du 22 août 2021 (Climat et résilience), art. 215"


def _climate_law_applies(parameters: dict[str, Parameter], when: dt.date) -> bool:
    """True when the question is asked on or after the loi Climat et résilience took effect."""
    dated = parameters["ort.loi_climat"].at(when)
    return dated is not None and dated.value is not None and when >= dated.value


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
    artificialise: bool | None = None,
) -> CommerceAnswer:
    """`artificialise`: whether the project causes artificialisation des sols (None: not known)."""
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
        articles = ["Code de commerce, art. L752-1-1", "CCH, art. L303-2"]
        if not _climate_law_applies(parameters, when):
            reason.append(
                f"Question posée au {french_date(when)}, avant la loi Climat et résilience : "
                "l'exemption ne dépend pas de l'artificialisation des sols."
            )
            return CommerceAnswer(
                "exempte", "Projet exempté d'autorisation d'exploitation commerciale.", reason, articles, secteur.nom
            )
        articles += ["Code de commerce, art. L752-6", CLIMAT]
        rule = (
            "Depuis la loi Climat et résilience, l'exemption ne vaut que pour un projet qui n'artificialise pas "
            "les sols."
        )
        if artificialise is None:
            return CommerceAnswer(
                "indetermine",
                f"Projet dans le secteur « {secteur.nom} » : exempté d'autorisation d'exploitation commerciale s'il "
                "n'artificialise pas les sols, soumis à autorisation sinon ; impossible de conclure sans le savoir.",
                [*reason, rule],
                articles,
                secteur.nom,
                [f"Indiquer {ARTIFICIALISATION}."],
            )
        if artificialise:
            return CommerceAnswer(
                "aec_requise",
                f"Projet dans le secteur « {secteur.nom} » mais qui artificialise les sols : AEC requise.",
                [
                    *reason,
                    rule,
                    "L'autorisation ne peut être délivrée pour un projet qui artificialise les sols que par dérogation "
                    "(code de commerce, art. L752-6, V).",
                ],
                articles,
                secteur.nom,
            )
        return CommerceAnswer(
            "exempte",
            "Projet exempté d'autorisation d'exploitation commerciale.",
            [*reason, rule + " Le projet n'artificialise pas les sols."],
            articles,
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
