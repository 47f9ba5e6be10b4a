"""Reading dossiers: folder or file, YAML or JSON, limits, and errors that say where."""

import json

import pytest
from conftest import SAMPLES

from instruct.documents.load import load
from instruct.errors import InputError
from instruct.facts import add_months, months_between

MINIMAL = {
    "id": "x",
    "collectivites": {
        "ville_centre": {"nom": "A", "insee": "2A004"},
        "intercommunalite": {"nom": "B", "siren": "999000001"},
    },
}


def problems(path) -> list[str]:
    with pytest.raises(InputError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


def test_folder_yaml_and_json_give_the_same_dossier(tmp_path):
    folder = load(SAMPLES / "villebelle")
    as_json = tmp_path / "villebelle.json"
    as_json.write_text(json.dumps(folder.dossier.model_dump(mode="json")), encoding="utf-8")
    assert load(as_json).dossier == folder.dossier


def test_corsican_insee_and_leading_zero_are_text(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    assert load(path).dossier.collectivites.ville_centre.insee == "2A004"


def test_one_problem_per_error_with_path_and_line(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(
        "id: x\n"
        "collectivites:\n"
        "  ville_centre: {nom: A, insee: 1234}\n"
        "  intercommunalite: {nom: B, siren: '12'}\n"
        "convention:\n"
        "  cadre: {date_signature: 2019-02-30}\n"
        "perimetres:\n"
        "  etude: {type: Polygon, coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}\n"
        "  intervention: {type: Polygon, coordinates: [[[200, 0], [201, 0], [201, 1], [200, 0]]]}\n"
        "fiches_actions:\n"
        "  - {id: A, cout: 10.555, axe: 7}\n"
        "  - {id: A}\n",
        encoding="utf-8",
    )
    found = problems(path)
    joined = "\n".join(found)
    assert "collectivites.ville_centre.insee (ligne 3)" in joined
    assert "collectivites.intercommunalite.siren (ligne 4) : SIREN invalide" in joined
    assert "convention.cadre.date_signature (ligne 6) : date invalide" in joined
    assert "perimetres.etude (ligne 8) : géométrie invalide" in joined
    assert "perimetres.intervention (ligne 9) : coordonnées hors bornes" in joined
    assert "fiches_actions[0].cout (ligne 11) : au plus 2 décimales" in joined
    assert "fiches_actions[0].axe (ligne 11) : doit être inférieur ou égal à 5" in joined
    assert "collectivites.ville_centre.insee (ligne 3) : texte attendu (entre guillemets" in joined


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"fiches_actions": [{"id": "A"}, {"id": "A"}]}, "fiches_actions : identifiant de fiche action en double : A"),
        ({"immeubles": [{"id": "I"}, {"id": "I"}]}, "immeubles : identifiant d'immeuble en double : I"),
        ({"axes": [{"numero": 3}, {"numero": 3}]}, "axes : axe en double : 3"),
        (
            {"convention": {"avenants": [{"numero": 1}, {"numero": 1}]}},
            "convention.avenants : numéro d'avenant en double : 1",
        ),
        (
            {"quartiers": [{"code_qpv": "Q", "nom": "a", "programme": "PNRQAD"}] * 2},
            "quartiers : code QPV en double : Q",
        ),
        (
            {
                "perimetres": {
                    "secteurs_prioritaires": [
                        {
                            "id": "S1",
                            "nom": "a",
                            "geometrie": {
                                "type": "Polygon",
                                "coordinates": [[[2, 46], [2.01, 46], [2.01, 46.01], [2, 46]]],
                            },
                        }
                    ]
                    * 2
                }
            },
            "perimetres.secteurs_prioritaires : identifiant de secteur prioritaire en double : S1",
        ),
        (
            {
                "pieces": [
                    {"id": "P", "type": "autre", "fichier": "a.pdf"},
                    {"id": "P", "type": "autre", "fichier": "b.pdf"},
                ]
            },
            "pieces : identifiant de pièce en double : P",
        ),
    ],
)
def test_duplicate_identifiers_are_refused(tmp_path, extra, expected):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(dict(MINIMAL, **extra)), encoding="utf-8")
    assert problems(path) == [expected]


def test_absurd_values_are_input_errors(tmp_path):
    data = dict(
        MINIMAL,
        fiches_actions=[{"id": "A", "cout": "99999999999"}],
        convention={"cadre": {"date_signature": "1850-01-01"}},
    )
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    joined = "\n".join(problems(path))
    assert "fiches_actions[0].cout" in joined and "valeur absurde" in joined
    assert "convention.cadre.date_signature" in joined and "bornes plausibles" in joined


def test_size_limit_and_folder_without_dossier(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("id: x\n" + "# " + "x" * (6 * 1024 * 1024), encoding="utf-8")
    assert "trop volumineux" in problems(big)[0]
    assert "ni dossier.yaml (ou dossier.json) ni pièce PDF ou DOCX" in problems(tmp_path)[0]
    other = tmp_path / "d.txt"
    other.write_text("id: x", encoding="utf-8")
    assert "format non reconnu" in problems(other)[0]


def test_yaml_aliases_bomb_is_refused_by_depth_or_safe_loading(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    assert "imbrication trop profonde" in problems(deep)[0]
    tagged = tmp_path / "tag.yaml"
    tagged.write_text("id: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    assert "YAML invalide" in problems(tagged)[0]


@pytest.mark.parametrize(
    "start, end, months",
    [
        ("2018-09-28", "2020-03-28", 18),
        ("2018-09-28", "2020-03-29", 19),
        ("2018-09-28", "2018-09-28", 0),
        ("2019-08-31", "2020-02-29", 6),
        ("2019-08-31", "2020-03-01", 7),
    ],
)
def test_months_between_is_the_smallest_n_covering_the_delay(start, end, months):
    import datetime as dt

    s, e = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    assert months_between(s, e) == months
    assert add_months(s, months) >= e


def test_a_perimeter_must_be_a_surface(tmp_path):
    data = dict(
        MINIMAL,
        perimetres={
            "secteurs_prioritaires": [
                {"id": "zac", "nom": "ZAC", "geometrie": {"type": "Point", "coordinates": [2.1, 47.0]}}
            ]
        },
    )
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert any("perimetres.secteurs_prioritaires[0].geometrie.type" in p and "Polygon" in p for p in problems(path))


def test_absurd_immeuble_values_are_input_errors_with_their_path(tmp_path):
    data = dict(
        MINIMAL,
        immeubles=[
            {
                "id": "IMM-01",
                "surface_m2": 0,
                "logements_immeuble": 10000,
                "logements": [{"typologie": "T2", "surface_habitable_m2": -5}],
                "demande_action_logement": {"subvention": "12.345"},
            },
            {"id": "IMM-02", "logements_immeuble": 4, "logements_maitrises": 6},
            {"id": "IMM-02"},
        ],
    )
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    joined = "\n".join(problems(path))
    assert "immeubles[0].surface_m2 : doit être strictement supérieur à 0" in joined
    assert "immeubles[0].logements_immeuble : doit être inférieur ou égal à 2000" in joined
    assert "immeubles[0].logements[0].surface_habitable_m2" in joined
    assert "immeubles[0].demande_action_logement.subvention : au plus 2 décimales" in joined
    assert "immeubles[1] : plus de logements maîtrisés que l'immeuble n'en compte" in joined
