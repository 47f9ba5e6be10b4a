"""The départements' bounding boxes (longitude and latitude, WGS 84): whether a point can be in a
département, never whether it is (a box holds some of its neighbours too). Only a point outside its box is
said outside the département.

Computed offline from the outlines of « france-geojson » (github.com/gregoiredavid/france-geojson, commit
5d34ee6, file departements-avec-outre-mer.geojson: IGN Admin Express COG 2018 and INSEE codes, Licence
ouverte), each box rounded outward to 0.01° (about 1 km). A fictitious or unknown code has no box.
"""

from __future__ import annotations

# code: (nom, (lon_min, lat_min, lon_max, lat_max))
BOXES: dict[str, tuple[str, tuple[float, float, float, float]]] = {
    "01": ("Ain", (4.72, 45.61, 6.18, 46.52)),
    "02": ("Aisne", (2.95, 48.83, 4.26, 50.07)),
    "03": ("Allier", (2.27, 45.93, 4.01, 46.81)),
    "04": ("Alpes-de-Haute-Provence", (5.49, 43.66, 6.97, 44.66)),
    "05": ("Hautes-Alpes", (5.41, 44.18, 7.08, 45.13)),
    "06": ("Alpes-Maritimes", (6.63, 43.48, 7.72, 44.37)),
    "07": ("Ardèche", (3.86, 44.26, 4.89, 45.37)),
    "08": ("Ardennes", (4.02, 49.22, 5.4, 50.17)),
    "09": ("Ariège", (0.82, 42.57, 2.18, 43.32)),
    "10": ("Aube", (3.38, 47.92, 4.87, 48.72)),
    "11": ("Aude", (1.68, 42.64, 3.25, 43.47)),
    "12": ("Aveyron", (1.83, 43.69, 3.46, 44.95)),
    "13": ("Bouches-du-Rhône", (4.23, 43.15, 5.82, 43.93)),
    "14": ("Calvados", (-1.16, 48.75, 0.45, 49.43)),
    "15": ("Cantal", (2.06, 44.61, 3.38, 45.49)),
    "16": ("Charente", (-0.47, 45.19, 0.95, 46.15)),
    "17": ("Charente-Maritime", (-1.57, 45.08, 0.01, 46.38)),
    "18": ("Cher", (1.77, 46.42, 3.08, 47.63)),
    "19": ("Corrèze", (1.22, 44.92, 2.53, 45.77)),
    "21": ("Côte-d'Or", (4.06, 46.9, 5.52, 48.04)),
    "22": ("Côtes-d'Armor", (-3.67, 48.03, -1.9, 48.91)),
    "23": ("Creuse", (1.37, 45.66, 2.62, 46.46)),
    "24": ("Dordogne", (-0.05, 44.57, 1.45, 45.72)),
    "25": ("Doubs", (5.69, 46.55, 7.07, 47.58)),
    "26": ("Drôme", (4.64, 44.11, 5.84, 45.35)),
    "27": ("Eure", (0.29, 48.66, 1.81, 49.49)),
    "28": ("Eure-et-Loir", (0.75, 47.95, 2.0, 48.95)),
    "29": ("Finistère", (-5.15, 47.7, -3.38, 48.76)),
    "2A": ("Corse-du-Sud", (8.53, 41.33, 9.41, 42.39)),
    "2B": ("Haute-Corse", (8.57, 41.83, 9.56, 43.03)),
    "30": ("Gard", (3.26, 43.46, 4.85, 44.46)),
    "31": ("Haute-Garonne", (0.44, 42.68, 2.05, 43.93)),
    "32": ("Gers", (-0.29, 43.31, 1.21, 44.08)),
    "33": ("Gironde", (-1.27, 44.19, 0.32, 45.58)),
    "34": ("Hérault", (2.54, 43.21, 4.2, 43.98)),
    "35": ("Ille-et-Vilaine", (-2.29, 47.63, -1.01, 48.72)),
    "36": ("Indre", (0.86, 46.34, 2.21, 47.28)),
    "37": ("Indre-et-Loire", (0.05, 46.73, 1.37, 47.71)),
    "38": ("Isère", (4.74, 44.69, 6.36, 45.89)),
    "39": ("Jura", (5.25, 46.26, 6.21, 47.31)),
    "40": ("Landes", (-1.53, 43.48, 0.14, 44.54)),
    "41": ("Loir-et-Cher", (0.58, 47.18, 2.25, 48.14)),
    "42": ("Loire", (3.68, 45.23, 4.77, 46.28)),
    "43": ("Haute-Loire", (3.08, 44.74, 4.5, 45.43)),
    "44": ("Loire-Atlantique", (-2.63, 46.86, -0.94, 47.84)),
    "45": ("Loiret", (1.51, 47.48, 3.13, 48.35)),
    "46": ("Lot", (0.98, 44.2, 2.22, 45.05)),
    "47": ("Lot-et-Garonne", (-0.15, 43.97, 1.08, 44.77)),
    "48": ("Lozère", (2.98, 44.1, 4.0, 44.98)),
    "49": ("Maine-et-Loire", (-1.36, 46.96, 0.24, 47.82)),
    "50": ("Manche", (-1.95, 48.45, -0.73, 49.73)),
    "51": ("Marne", (3.39, 48.51, 5.04, 49.41)),
    "52": ("Haute-Marne", (4.62, 47.57, 5.9, 48.69)),
    "53": ("Mayenne", (-1.24, 47.73, -0.04, 48.57)),
    "54": ("Meurthe-et-Moselle", (5.42, 48.34, 7.13, 49.57)),
    "55": ("Meuse", (4.88, 48.4, 5.86, 49.62)),
    "56": ("Morbihan", (-3.74, 47.27, -2.03, 48.22)),
    "57": ("Moselle", (5.89, 48.52, 7.65, 49.52)),
    "58": ("Nièvre", (2.84, 46.65, 4.24, 47.59)),
    "59": ("Nord", (2.06, 49.96, 4.24, 51.09)),
    "60": ("Oise", (1.68, 49.06, 3.17, 49.77)),
    "61": ("Orne", (-0.87, 48.17, 0.98, 48.98)),
    "62": ("Pas-de-Calais", (1.55, 50.01, 3.19, 51.01)),
    "63": ("Puy-de-Dôme", (2.38, 45.28, 3.99, 46.26)),
    "64": ("Pyrénées-Atlantiques", (-1.8, 42.77, 0.03, 43.6)),
    "65": ("Hautes-Pyrénées", (-0.33, 42.67, 0.65, 43.62)),
    "66": ("Pyrénées-Orientales", (1.72, 42.33, 3.18, 42.92)),
    "67": ("Bas-Rhin", (6.94, 48.12, 8.24, 49.08)),
    "68": ("Haut-Rhin", (6.84, 47.42, 7.63, 48.32)),
    "69": ("Rhône", (4.24, 45.45, 5.17, 46.31)),
    "70": ("Haute-Saône", (5.36, 47.25, 6.83, 48.03)),
    "71": ("Saône-et-Loire", (3.62, 46.15, 5.47, 47.16)),
    "72": ("Sarthe", (-0.45, 47.56, 0.92, 48.49)),
    "73": ("Savoie", (5.62, 45.05, 7.19, 45.94)),
    "74": ("Haute-Savoie", (5.8, 45.68, 7.05, 46.41)),
    "75": ("Paris", (2.22, 48.81, 2.47, 48.91)),
    "76": ("Seine-Maritime", (0.06, 49.25, 1.8, 50.08)),
    "77": ("Seine-et-Marne", (2.39, 48.12, 3.56, 49.12)),
    "78": ("Yvelines", (1.44, 48.43, 2.23, 49.09)),
    "79": ("Deux-Sèvres", (-0.91, 45.96, 0.23, 47.11)),
    "80": ("Somme", (1.38, 49.57, 3.21, 50.37)),
    "81": ("Tarn", (1.53, 43.38, 2.94, 44.21)),
    "82": ("Tarn-et-Garonne", (0.73, 43.76, 2.01, 44.4)),
    "83": ("Var", (5.65, 42.98, 6.94, 43.81)),
    "84": ("Vaucluse", (4.64, 43.65, 5.76, 44.44)),
    "85": ("Vendée", (-2.41, 46.26, -0.53, 47.09)),
    "86": ("Vienne", (-0.11, 46.04, 1.22, 47.18)),
    "87": ("Haute-Vienne", (0.62, 45.43, 1.92, 46.41)),
    "88": ("Vosges", (5.39, 47.81, 7.2, 48.52)),
    "89": ("Yonne", (2.84, 47.31, 4.35, 48.4)),
    "90": ("Territoire de Belfort", (6.75, 47.43, 7.15, 47.83)),
    "91": ("Essonne", (1.91, 48.28, 2.59, 48.78)),
    "92": ("Hauts-de-Seine", (2.14, 48.72, 2.34, 48.96)),
    "93": ("Seine-Saint-Denis", (2.28, 48.8, 2.61, 49.02)),
    "94": ("Val-de-Marne", (2.3, 48.68, 2.62, 48.87)),
    "95": ("Val-d'Oise", (1.6, 48.9, 2.6, 49.25)),
    "971": ("Guadeloupe", (-61.81, 15.83, -61.0, 16.52)),
    "972": ("Martinique", (-61.23, 14.38, -60.8, 14.88)),
    "973": ("Guyane", (-54.61, 2.11, -51.61, 5.75)),
    "974": ("La Réunion", (55.21, -21.39, 55.84, -20.87)),
    "976": ("Mayotte", (45.01, -13.01, 45.3, -12.63)),
}


def box(code: str | None) -> tuple[float, float, float, float] | None:
    """The box of a département code ("18", "2A", "974"); None for a fictitious or unknown one."""
    entry = BOXES.get(code or "")
    return entry[1] if entry else None


def name(code: str | None) -> str | None:
    entry = BOXES.get(code or "")
    return entry[0] if entry else None


def in_box(bounds: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    return bounds[0] <= lon <= bounds[2] and bounds[1] <= lat <= bounds[3]


def maybe_in_france(lon: float, lat: float) -> bool:
    """Whether the point is in the box of at least one département (metropolitan or overseas)."""
    return any(in_box(bounds, lon, lat) for _, bounds in BOXES.values())
