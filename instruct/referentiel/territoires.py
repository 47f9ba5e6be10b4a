"""Département and région of a commune, from its INSEE code (régions of 2016, INSEE codes)."""

from __future__ import annotations

REGIONS = {
    "84": ("Auvergne-Rhône-Alpes", "01 03 07 15 26 38 42 43 63 69 73 74"),
    "27": ("Bourgogne-Franche-Comté", "21 25 39 58 70 71 89 90"),
    "53": ("Bretagne", "22 29 35 56"),
    "24": ("Centre-Val de Loire", "18 28 36 37 41 45"),
    "94": ("Corse", "2A 2B"),
    "44": ("Grand Est", "08 10 51 52 54 55 57 67 68 88"),
    "32": ("Hauts-de-France", "02 59 60 62 80"),
    "11": ("Île-de-France", "75 77 78 91 92 93 94 95"),
    "28": ("Normandie", "14 27 50 61 76"),
    "75": ("Nouvelle-Aquitaine", "16 17 19 23 24 33 40 47 64 79 86 87"),
    "76": ("Occitanie", "09 11 12 30 31 32 34 46 48 65 66 81 82"),
    "52": ("Pays de la Loire", "44 49 53 72 85"),
    "93": ("Provence-Alpes-Côte d'Azur", "04 05 06 13 83 84"),
    "01": ("Guadeloupe", "971"),
    "02": ("Martinique", "972"),
    "03": ("Guyane", "973"),
    "04": ("La Réunion", "974"),
    "06": ("Mayotte", "976"),
}
REGION_OF = {dep: code for code, (_, deps) in REGIONS.items() for dep in deps.split()}


def departement(insee: str | None) -> str | None:
    """ "01053" -> "01" ; "2A004" -> "2A" ; "97411" -> "974" ; fictitious "99101" -> "99"."""
    if not insee:
        return None
    return insee[:3] if insee.startswith("97") else insee[:2]


def region(insee: str | None) -> str | None:
    dep = departement(insee)
    return REGION_OF.get(dep) if dep else None
