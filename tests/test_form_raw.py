"""The form's values <-> a dossier: French amounts and dates, errors beside their field and the
offending value left out (a partial dossier always validates), « non renseigné » and « aucun »
kept apart, list actions, and the round trip of every sample dossier and example case."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLES

from instruct.form import (
    AUCUN,
    COUNT,
    ActionError,
    apply,
    build,
    merge_step,
    raw_from_form,
    to_raw,
    unknown_fields,
    validated,
)
from instruct.model.dossier import Dossier
from instruct.yamlio import parse, read_text

CASES = Path(__file__).resolve().parent / "cases"
BASE = {
    "id": "cas",
    "fictif": True,
    "collectivites": {
        "ville_centre": {"nom": "Villebelle", "insee": "99101"},
        "intercommunalite": {"nom": "CA du Val de Belle", "siren": "999000001"},
    },
}
SAMPLE_FILES = sorted(SAMPLES.glob("*/dossier.yaml")) + sorted(SAMPLES.glob("*.yaml"))
TOWN = {"collectivites.ville_centre.nom": "Villebelle", "id": "villebelle-2019"}


def _merge(base, fragment):
    if isinstance(base, dict) and isinstance(fragment, dict):
        out = dict(base)
        for key, value in fragment.items():
            out[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(fragment)


def case_dossiers() -> list:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in parse(read_text(path), str(path)) or []:
            out.append(pytest.param(_merge(BASE, case.get("dossier") or {}), id=f"{path.stem}:{case['name'][:60]}"))
    return out


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_every_sample_comes_back_from_the_form_unchanged(path):
    data = parse(read_text(path), str(path))
    raw = to_raw(data)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items())
    dossier, errors = validated(raw)
    assert errors == {}
    assert dossier == Dossier.model_validate(data)
    assert to_raw(dossier) == raw  # and the form shows it again the same


def _without_empty_groups(data):
    """`contenu: {}` tells nothing more than no `contenu`: the form has no way to say it (and needs none)."""
    if isinstance(data, dict):
        return {k: _without_empty_groups(v) for k, v in data.items() if v != {}}
    if isinstance(data, list):
        return [_without_empty_groups(v) for v in data]
    return data


@pytest.mark.parametrize("data", case_dossiers())
def test_every_example_case_comes_back_from_the_form_unchanged(data):
    try:
        expected = Dossier.model_validate(_without_empty_groups(data))
    except ValueError:
        pytest.skip("le cas montre un dossier invalide")
    dossier, errors = validated(to_raw(data))
    assert errors == {}
    assert dossier == expected


def test_values_are_shown_the_french_way():
    data = parse(read_text(SAMPLES / "villebelle" / "dossier.yaml"), "villebelle")
    raw = to_raw(data)
    assert raw["convention.cadre.date_signature"] == "28/09/2018"
    assert raw["convention.avenants.0.budget.total"] == "1 430 000"
    assert raw["fictif"] == "oui"
    assert raw["convention.cadre.signataires.__nombre"] == "6"
    assert raw["gouvernance.partenaires_locaux"].splitlines() == [
        "Chambre de commerce et d'industrie",
        "Office HLM Val de Belle Habitat",
    ]
    assert raw["perimetres.etude"].startswith('{"type":"Polygon"')


def test_amounts_dates_and_numbers_are_read_the_french_way():
    raw = TOWN | {
        "fiches_actions.0.id": "FA-01",
        "fiches_actions.0.cout": "1 234 567,50",
        "fiches_actions.0.financement.0.financeur": "Banque des Territoires",
        "fiches_actions.0.financement.0.montant": "4 180 000 €",
        "fiches_actions.0.financement.0.role": "cdc",
        "fiches_actions.0.calendrier.debut": "15/06/2019",
        "fiches_actions.0.calendrier.fin": "2020-12-31",
        "fiches_actions.0.axe": "2",
        "indicateurs.0.nom": "Vacance",
        "indicateurs.0.type": "resultats",
        "indicateurs.0.valeur_cible": "12,5 %",
        "convention.phase": "2",
        "convention.cadre.duree_annees": " 8 ",
    }
    dossier, errors = validated(raw)
    assert errors == {}
    fiche = dossier.fiches_actions[0]
    assert fiche.cout == Decimal("1234567.50")
    assert fiche.financement[0].montant == Decimal("4180000")
    assert fiche.calendrier.debut == dt.date(2019, 6, 15) and fiche.calendrier.fin == dt.date(2020, 12, 31)
    assert fiche.axe == 2 and dossier.convention.phase == 2 and dossier.convention.cadre.duree_annees == 8
    assert dossier.indicateurs[0].valeur_cible == Decimal("12.5")


def test_a_value_that_does_not_read_gets_a_french_error_beside_it_and_is_left_out():
    raw = TOWN | {
        "convention.cadre.date_signature": "31/02/2018",
        "convention.cadre.duree_annees": "huit",
        "fiches_actions.0.id": "FA-01",
        "fiches_actions.0.cout": "12 abc",
        "fiches_actions.0.date_signature": "2019/06/15",
        "fiches_actions.0.intitule": "Réhabilitation des halles",
    }
    dossier, errors = validated(raw)
    assert errors["convention.cadre.date_signature"] == "date invalide « 31/02/2018 » : ce jour n'existe pas"
    assert "nombre entier attendu" in errors["convention.cadre.duree_annees"]
    assert errors["fiches_actions.0.cout"].startswith("montant invalide « 12 abc » : attendu par exemple 1 234 567,50")
    assert "JJ/MM/AAAA" in errors["fiches_actions.0.date_signature"]
    assert dossier.convention is None  # nothing readable was left in it
    assert dossier.fiches_actions[0].cout is None and dossier.fiches_actions[0].intitule == "Réhabilitation des halles"
    # the page shows the value as typed, with its error
    (group,) = build("fiches", raw, errors)
    cout = next(c for c in group.items[0].children if c.name == "fiches_actions.0.cout")
    assert (cout.value, cout.error, cout.kind, cout.label) == (
        "12 abc",
        errors["fiches_actions.0.cout"],
        "montant",
        "Coût",
    )


def test_the_model_s_refusals_go_to_their_field_and_the_dossier_still_validates():
    polygon_crossing = '{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}'
    raw = TOWN | {
        "fiches_actions.0.id": "FA-01",
        "fiches_actions.1.intitule": "Sans identifiant",
        "fiches_actions.2.id": "FA 3",
        "fiches_actions.3.id": "FA-01",
        "fiches_actions.4.id": "FA-05",
        "fiches_actions.4.lancee": "non",
        "fiches_actions.4.date_lancement": "01/01/2020",
        "fiches_actions.5.id": "FA-06",
        "fiches_actions.5.calendrier.debut": "01/01/2020",
        "fiches_actions.6.id": "FA-07",
        "fiches_actions.6.cout": "99 999 999 999",
        "perimetres.etude": polygon_crossing,
        "perimetres.intervention": "pas du GeoJSON",
        "immeubles.0.id": "halles",
        "immeubles.0.logements_immeuble": "3",
        "immeubles.0.logements_maitrises": "5",
        "convention.cadre.signataires.__nombre": "1",
    }
    dossier, errors = validated(raw)
    assert errors == {
        "fiches_actions.1.id": "à renseigner : cette information est obligatoire",
        "fiches_actions.2.id": "format invalide : lettres, chiffres, « - », « _ » ou « . » seulement",
        "fiches_actions.3.id": "identifiant de fiche action en double : FA-01",
        "fiches_actions.4.date_lancement": "une date de lancement est donnée pour une action déclarée non lancée",
        "fiches_actions.5.calendrier.fin": "à renseigner : cette information est obligatoire",
        "fiches_actions.6.cout": "doit être inférieur ou égal à 10000000000 (valeur absurde ?)",
        "perimetres.etude": errors["perimetres.etude"],
        "perimetres.intervention": errors["perimetres.intervention"],
        "immeubles.0.logements_maitrises": "plus de logements maîtrisés que l'immeuble n'en compte",
    }
    assert "se recoupe" in errors["perimetres.etude"] and "GeoJSON" in errors["perimetres.intervention"]
    assert [f.id for f in dossier.fiches_actions] == ["FA-01", "FA-05", "FA-06", "FA-07"]
    assert dossier.fiches_actions[1].lancee is False and dossier.fiches_actions[1].date_lancement is None
    assert dossier.fiches_actions[2].calendrier is None and dossier.fiches_actions[3].cout is None
    assert dossier.perimetres is None
    assert dossier.immeubles[0].logements_immeuble == 3 and dossier.immeubles[0].logements_maitrises is None
    # a signataire added and left empty is no signataire, and does not make the list « aucun signataire »
    assert dossier.convention is None


def test_an_item_added_and_left_empty_is_left_out_without_an_error():
    raw = TOWN | {
        "fiches_actions.__nombre": "3",
        "fiches_actions.0.maturite": "a_venir",  # a select sends its default
        "fiches_actions.0.financement.0.role": "autre",
        "fiches_actions.1.intitule": "Halles",
        "fiches_actions.2.id": "FA 3",
        "id": "mon dossier",
    }
    dossier, errors = validated(raw)
    assert errors == {
        "id": "format invalide : lettres, chiffres, « - », « _ » ou « . » seulement",
        "fiches_actions.1.id": "à renseigner : cette information est obligatoire",
        "fiches_actions.2.id": "format invalide : lettres, chiffres, « - », « _ » ou « . » seulement",
    }
    assert dossier.fiches_actions == [] and dossier.id == f"villebelle-{dt.date.today().year}"


def test_non_renseigne_and_aucun_are_different_answers():
    blank, _ = validated(TOWN)
    assert blank.gouvernance is None and blank.quartiers is None
    raw = TOWN | {
        "gouvernance.partenaires_locaux.__aucun": "on",
        "gouvernance.comite_projet.membres.__aucun": "on",
        "quartiers.__aucun": "on",
        "immeubles.0.id": "halles",
        "immeubles.0.travaux.parties_communes.__aucun": "on",
        "immeubles.0.travaux.parties_privatives": "Réfection des logements",
        "immeubles.0.plans": "situation\nniveaux_projet",
        "gouvernance.equipe_projet.operationnelle": "non",
    }
    dossier, errors = validated(raw)
    assert errors == {}
    assert dossier.gouvernance.partenaires_locaux == [] and dossier.gouvernance.comite_projet.membres == []
    assert dossier.quartiers == []
    assert dossier.immeubles[0].travaux.parties_communes is False
    assert dossier.immeubles[0].travaux.parties_privatives == "Réfection des logements"
    assert dossier.immeubles[0].plans == ["situation", "niveaux_projet"]
    assert dossier.gouvernance.equipe_projet.operationnelle is False
    assert dossier.gouvernance.directeur_projet is None
    back = to_raw(dossier)
    for key in ("gouvernance.partenaires_locaux", "quartiers", "immeubles.0.travaux.parties_communes"):
        assert back[f"{key}.{AUCUN}"] == "on"
    assert "gouvernance.directeur_projet.nom" not in back


def test_the_dossier_id_is_derived_when_absent():
    dossier, _ = validated({"collectivites.ville_centre.nom": "Saint-Étienne-du-Rouvray"})
    assert dossier.id == f"saint-etienne-du-rouvray-{dt.date.today().year}"
    dossier, _ = validated(
        {"collectivites.ville_centre.nom": "Villebelle", "convention.cadre.date_signature": "28/09/2018"}
    )
    assert dossier.id == "villebelle-2018"
    assert validated({})[0].id.startswith("dossier-")


def test_list_actions_renumber_and_lose_nothing():
    raw = {
        "fiches_actions.0.id": "A",
        "fiches_actions.1.id": "B",
        "fiches_actions.1.financement.0.montant": "3",
        "fiches_actions.1.financement.__nombre": "1",
        "fiches_actions.2.id": "C",
        "fiches_actions.__nombre": "3",
        "pieces.0.id": "p",
    }
    removed = apply(raw, "supprimer:fiches_actions.1")
    assert removed == {
        "fiches_actions.0.id": "A",
        "fiches_actions.1.id": "C",
        "fiches_actions.__nombre": "2",
        "pieces.0.id": "p",
    }
    up = apply(raw, "monter:fiches_actions.1")
    assert (up["fiches_actions.0.id"], up["fiches_actions.0.financement.0.montant"], up["fiches_actions.1.id"]) == (
        "B",
        "3",
        "A",
    )
    down = apply(raw, "descendre:fiches_actions.1")
    assert (down["fiches_actions.2.id"], down["fiches_actions.2.financement.0.montant"]) == ("B", "3")
    assert apply(raw, "descendre:fiches_actions.2") == raw and apply(raw, "monter:fiches_actions.0") == raw
    added = apply(raw, "ajouter:fiches_actions.1.financement")
    assert added["fiches_actions.1.financement.__nombre"] == "2"
    (group,) = build("fiches", added, {})
    assert [i.label for i in group.items] == ["Fiche action n° 1", "Fiche action n° 2", "Fiche action n° 3"]
    financement = next(c for c in group.items[1].children if c.name == "fiches_actions.1.financement")
    assert [i.label for i in financement.items] == ["Financement n° 1", "Financement n° 2"]
    assert financement.items[1].remove_action == "supprimer:fiches_actions.1.financement.1"
    # a new item of a list declared empty: the list is no longer « aucun »
    assert apply({"quartiers.__aucun": "on"}, "ajouter:quartiers") == {"quartiers.__nombre": "1"}
    for forged in ("effacer:pieces", "ajouter:collectivites.ville_centre", "supprimer:fiches_actions.7", "monter:id"):
        with pytest.raises(ActionError):
            apply(raw, forged)


def test_a_step_s_tree():
    raw = TOWN | {"convention.cadre.signataires.__nombre": "1"}
    (convention,) = build("convention", raw, {"convention.cadre.signataires.0.role": "à renseigner"})
    assert convention.label == "Convention" and convention.kind == "groupe"
    phase, cadre, avenants = convention.children
    assert phase.kind == "choix" and phase.choices[0] == ("", "Non renseigné")
    assert avenants.kind == "liste" and avenants.add_label == "Ajouter un avenant"
    assert avenants.add_action == "ajouter:convention.avenants" and avenants.count == 0
    signataires = next(c for c in cadre.children if c.name == "convention.cadre.signataires")
    assert signataires.aucun == "Aucun (déclaré)" and signataires.aucun_name == f"convention.cadre.signataires.{AUCUN}"
    assert signataires.count_name == f"convention.cadre.signataires.{COUNT}"
    (item,) = signataires.items
    assert item.label == "Signataire n° 1" and item.up_action is None and item.down_action is None
    role = item.children[0]
    assert (role.label, role.required, role.error, role.id) == (
        "Rôle",
        True,
        "à renseigner",
        "champ-convention-cadre-signataires-0-role",
    )
    assert ("cdc", "Caisse des Dépôts (Banque des Territoires)") in role.choices
    contenu = next(c for c in cadre.children if c.name == "convention.cadre.contenu")
    date = next(c for c in cadre.children if c.name == "convention.cadre.date_signature")
    assert (date.kind, date.hint, date.iso) == ("date", "Format attendu : JJ/MM/AAAA, par exemple 15/06/2019", None)
    tri = contenu.children[0]
    assert tri.kind == "booleen" and tri.choices == [("oui", "Oui"), ("non", "Non"), ("", "Non renseigné")]


def test_a_step_s_post_replaces_its_own_values_only():
    raw = TOWN | {"fiches_actions.0.id": "A", "fiches_actions.0.lancee": "oui"}
    posted = raw_from_form(
        [("fiches_actions.0.id", "A"), ("immeubles.0.id", "x"), ("fiches_actions.0.intitule", "Halles")]
    )
    merged = merge_step(raw, "fiches", posted)
    assert merged == TOWN | {"fiches_actions.0.id": "A", "fiches_actions.0.intitule": "Halles"}
    assert raw_from_form([("immeubles.0.plans", "situation"), ("immeubles.0.plans", "niveaux_projet")]) == {
        "immeubles.0.plans": "situation\nniveaux_projet"
    }


def test_a_dossier_that_does_not_validate_is_shown_as_it_is_for_the_town_to_correct():
    data = {
        "id": "x",
        "collectivites": {"ville_centre": {"nom": "Villebelle", "maire": "Claire Martin"}},
        "fiches_actions": [{"id": "FA-1", "etat": "ok", "date_signature": "2019-02-30", "cout": 1234.5}],
        "remarque": "à lire",
    }
    assert unknown_fields(data) == [
        "Collectivités — ville-centre : « maire » n'est pas une information du dossier ; ignorée",
        "Fiche action n° 1 : « etat » n'est pas une information du dossier ; ignorée",
        "Dossier : « remarque » n'est pas une information du dossier ; ignorée",
    ]
    raw = to_raw(data)
    assert raw["fiches_actions.0.date_signature"] == "2019-02-30" and raw["fiches_actions.0.cout"] == "1 234,50"
    dossier, errors = validated(raw)
    assert errors == {"fiches_actions.0.date_signature": "date invalide « 2019-02-30 » : ce jour n'existe pas"}
    assert dossier.fiches_actions[0].cout == Decimal("1234.5")
    (fiches,) = build("fiches", raw, errors)
    assert fiches.items[0].summary == "FA-1"


def test_the_fields_naming_a_piece_suggest_the_dossier_s_pieces():
    raw = TOWN | {"pieces.0.id": "cc", "pieces.0.titre": "Convention-cadre signée", "pieces.1.id": "av1"}
    (convention,) = build("convention", raw, {})
    piece = next(c for c in convention.children[1].children if c.name == "convention.cadre.piece")
    assert piece.suggestions == [("cc", "Convention-cadre signée"), ("av1", "av1")]


def test_a_field_required_by_an_optional_group_says_so():
    (fiches,) = build("fiches", {"fiches_actions.0.id": "FA-01"}, {})
    identifiant = fiches.items[0].children[0]
    assert (identifiant.label, identifiant.required, identifiant.required_with) == (
        "Identifiant de la fiche",
        True,
        None,
    )
    calendrier = next(c for c in fiches.items[0].children if c.name == "fiches_actions.0.calendrier")
    debut = calendrier.children[0]
    assert (debut.required, debut.required_with) == (False, "Calendrier")
    assert debut.help == "Obligatoire si « calendrier » est renseigné."
