"""Synthetic dossiers (`acv samples generate`): each profile gives, on the real path (loader +
check_dossier), the outcome it is built for; same seed, same bytes; real communes stay marked."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from conftest import EVALUATION_DATE, SAMPLES, SHARED_DATA

from instruct.documents.load import load
from instruct.engine.check import check_dossier
from instruct.errors import InputError
from instruct.referentiel.registry import load_referentiel
from instruct.referentiel.territoires import departement, region
from instruct.samples import synthetic, synthetic_profiles

HEADER = "insee_com,lib_com,id_acv,population,insee_dep,insee_reg,lib_reg,siren_epci,date_signature,lon,lat\n"
COMMUNES = HEADER + (
    "2A004,Ajaccio,ACV004,73822,2A,94,Corse,242010056,12/07/2018,8.7021,41.9351\n"
    "01053,Bourg-en-Bresse,ACV035,41525,01,84,Auvergne-Rhône-Alpes,200071751,30/09/2018,5.2456,46.205\n"
    "15012,Arpajon-sur-Cère,ACV017,6315,15,84,Auvergne-Rhône-Alpes,241500230,20/09/2018,2.4643,44.8767\n"
    "15014,Aurillac,ACV017,25815,15,84,Auvergne-Rhône-Alpes,241500230,20/09/2018,2.4415,44.9243\n"
    "31483,Saint-Gaudens,ACV227,11613,31,76,Occitanie,200072643,,0.7267,43.1199\n"
    "97411,Saint-Denis,ACV200,153810,974,04,La Réunion,249740119,28/09/2018,55.4481,-20.8823\n"
)


def manifest(out: Path) -> list[dict]:
    with open(out / synthetic_profiles.MANIFEST, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def evaluate(out: Path, catalogue, referentiel=None) -> list[tuple[dict, object]]:
    """(manifest row, report or the InputError raised by load) for every dossier."""
    results = []
    for row in manifest(out):
        try:
            loaded = load(out / row["dossier"])
        except InputError as exc:
            results.append((row, exc))
            continue
        report = check_dossier(
            loaded.dossier,
            catalogue,
            EVALUATION_DATE,
            referentiel=referentiel,
            documents=loaded.documents,
            source=loaded.source,
        )
        results.append((row, report))
    return results


def outcome_problems(results) -> list[str]:
    """What does not behave as its profile says (empty when every dossier does)."""
    problems = []
    for row, report in results:
        profile = synthetic_profiles.PROFILE_BY_NAME[row["profil"]]
        where = f"{row['dossier']} ({profile.name})"
        if profile.group == "illisible":
            if not isinstance(report, InputError):
                problems.append(f"{where}: lisible")
            continue
        if isinstance(report, InputError):
            problems.append(f"{where}: illisible : {report}")
            continue
        verdicts = {code: r.verdict for code, r in report.rulesets.items()}
        gaps = {f.rule for f in report.findings if f.status == "non_conforme"}
        if profile.group == "recevable" and not report.recevable:
            problems.append(f"{where}: {verdicts}")
        if profile.group == "incomplet" and (
            "non_recevable" in verdicts.values() or any(verdicts[code] != "incomplet" for code in profile.rules)
        ):
            problems.append(f"{where}: {verdicts}")
        if profile.group == "non_conforme" and (report.recevable or not set(profile.rules) <= gaps):
            problems.append(f"{where}: manque {set(profile.rules) - gaps}, {verdicts}")
    return problems


@pytest.fixture(scope="module")
def with_documents(tmp_path_factory, catalogue):
    out = tmp_path_factory.mktemp("synthetique") / "lot"
    folders = synthetic.generate(40, out, templates=SAMPLES)
    return out, folders, evaluate(out, catalogue)


@pytest.fixture(scope="module")
def without_documents(tmp_path_factory, catalogue):
    out = tmp_path_factory.mktemp("synthetique") / "sans-pieces"
    folders = synthetic.generate(120, out, seed=7, documents=False, templates=SAMPLES)
    return out, folders, evaluate(out, catalogue)


def test_every_profile_gives_its_outcome_with_documents(with_documents):
    out, folders, results = with_documents
    assert [f.name for f in folders] == [row["dossier"] for row in manifest(out)]
    assert all((f / "dossier.yaml").is_file() for f in folders)
    assert outcome_problems(results) == []
    groups = Counter(synthetic_profiles.PROFILE_BY_NAME[row["profil"]].group for row, _ in results)
    assert (
        groups["recevable"] >= 10
        and groups["incomplet"] >= 12
        and groups["non_conforme"] >= 10
        and groups["illisible"] >= 1
    )
    kinds = {row["profil"] for row, _ in results}
    assert {"complet_immeubles", "piece_corrompue", "cumul_saint_aubin", "cumul_belcastel"} <= kinds


def test_expected_outcome_and_targeted_rules_in_the_manifest(with_documents):
    out, _, results = with_documents
    for row, report in results:
        profile = synthetic_profiles.PROFILE_BY_NAME[row["profil"]]
        assert row["attendu"] == synthetic_profiles.EXPECTED[profile.group]
        if profile.group == "non_conforme":
            assert row["regles_visees"].split() == list(profile.rules)
            gaps = {f.rule for f in report.findings if f.status == "non_conforme"}
            assert set(row["regles_visees"].split()) <= gaps
    attendus = Counter(row["attendu"] for row, _ in results)
    assert set(attendus) == {"recevable", "incomplet", "non recevable, à corriger ou incomplet", "illisible"}


def test_unreadable_dossiers_raise_an_input_error_with_the_line(with_documents):
    _, _, results = with_documents
    unreadable = [(row, r) for row, r in results if row["attendu"] == "illisible"]
    assert unreadable
    for row, error in unreadable:
        assert isinstance(error, InputError)
        assert error.source.endswith(f"{row['dossier']}/dossier.yaml")
        assert any(p.line for p in error.problems), error.render()


def test_pieces_are_rendered_and_read(with_documents):
    out, folders, results = with_documents
    with_pieces = [(row, r) for row, r in results if int(row["pieces"]) > 0]
    assert len(with_pieces) >= 15
    for row, report in with_pieces:
        files = sorted(p.name for p in (out / row["dossier"] / "pieces").iterdir())
        assert len(files) == int(row["pieces"])
        if isinstance(report, InputError):
            continue
        note = next(n for n in report.notes if n.startswith("Pièces examinées"))
        assert note.startswith(f"Pièces examinées : {len(files)} (")
        assert all(name in note for name in files)
    # the convention DOCX and the avenant PDF agree with the dossier (X-05 conforme) when they are there
    complete = [
        r
        for row, r in with_pieces
        if row["profil"] in {"complet", "complet_immeubles"}
        and (out / row["dossier"] / "pieces" / "avenant-1.pdf").exists()
    ]
    assert complete
    for report in complete:
        concordances = [f for f in report.findings if f.rule == "X-05"]
        assert concordances and all(f.status == "conforme" for f in concordances)
    corrupt = next(r for row, r in results if row["profil"] == "piece_corrompue")
    assert any(
        f.rule == "X-06" and f.status == "non_conforme" and f.entity.id == "plan-situation.pdf"
        for f in corrupt.findings
    )


def test_fictitious_towns(with_documents):
    out, _, results = with_documents
    rows = manifest(out)
    assert len({row["insee"] for row in rows}) == len(rows)
    assert len({row["commune"] for row in rows}) == len(rows)
    assert all(
        row["insee"].startswith("99") and row["insee"] not in {"99101", "99102", "99103", "99104", "99150"}
        for row in rows
    )
    for row, report in results:
        text = (out / row["dossier"] / "dossier.yaml").read_text(encoding="utf-8")
        assert text.startswith("# VILLE FICTIVE — dossier SYNTHÉTIQUE")
        if not isinstance(report, InputError):
            assert report.fictif and report.dossier_id.startswith("synthetique-")
            assert (report.commune, report.insee) == (row["commune"], row["insee"])


def test_every_profile_without_documents_and_no_piece_at_all(without_documents):
    out, _, results = without_documents
    assert outcome_problems(results) == []
    kinds = {row["profil"] for row, _ in results}
    assert kinds == {p.name for p in synthetic_profiles._PROFILES if not p.documents_only}
    assert all(row["pieces"] == "0" for row, _ in results)
    assert not [p for p in out.rglob("*") if p.suffix in {".pdf", ".docx"} or p.name == "pieces"]
    # a declared piece without its file is the one thing that makes incomplet_pieces incomplete
    for row, report in results:
        if row["profil"] == "incomplet_pieces":
            assert {f.rule for f in report.findings if f.status == "incomplet" and f.ruleset == "X"} == {"X-06"}


def test_same_seed_same_bytes_other_seed_other_dossiers(tmp_path):
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    synthetic.generate(14, tmp_path / "a", templates=SAMPLES)
    synthetic.generate(14, tmp_path / "b", templates=SAMPLES)
    synthetic.generate(14, tmp_path / "c", seed=2027, templates=SAMPLES)
    a, b, c = (files(tmp_path / name) for name in ("a", "b", "c"))
    assert a == b
    assert any(name.endswith((".pdf", ".docx")) for name in a)
    assert a["manifeste.csv"] != c["manifeste.csv"]
    assert set(a) != set(c)


def test_real_communes_from_a_list(tmp_path, catalogue):
    communes = tmp_path / "ref" / "acv-communes.csv"
    communes.parent.mkdir()
    communes.write_text(COMMUNES, encoding="utf-8")
    out = tmp_path / "lot"
    folders = synthetic.generate(6, out, communes=communes, documents=False, templates=SAMPLES)
    rows = manifest(out)
    assert [(r["commune"], r["insee"]) for r in rows] == [
        ("Ajaccio", "2A004"),
        ("Bourg-en-Bresse", "01053"),
        ("Arpajon-sur-Cère", "15012"),
        ("Aurillac", "15014"),
        ("Saint-Gaudens", "31483"),
        ("Saint-Denis", "97411"),
    ]
    points = {"2A004": (8.7021, 41.9351), "01053": (5.2456, 46.205), "97411": (55.4481, -20.8823)}
    placed = 0
    for folder, row in zip(folders, rows):
        text = (folder / "dossier.yaml").read_text(encoding="utf-8")
        assert text.splitlines()[0] == synthetic_profiles.HEADER_REAL
        if row["attendu"] == "illisible":
            continue
        dossier = load(folder).dossier
        assert dossier.fictif and dossier.id.startswith("synthetique-")
        assert (dossier.collectivites.ville_centre.nom, dossier.collectivites.ville_centre.insee) == (
            row["commune"],
            row["insee"],
        )
        if row["insee"] in points and dossier.ort is not None and dossier.ort.secteurs:
            centre = dossier.ort.secteurs[0].geometrie.shape.centroid
            lon, lat = points[row["insee"]]
            assert abs(centre.x - lon) < 0.02 and abs(centre.y - lat) < 0.02
            assert dossier.ort.secteurs[0].commune_insee == row["insee"]
            placed += 1
    assert placed >= 2  # the ORT secteur (template geometry) is moved to the town's point
    assert (departement("2A004"), region("2A004")) == ("2A", "94")
    assert (departement("01053"), region("01053")) == ("01", "84")
    first = load(folders[0]).dossier
    assert first.collectivites.intercommunalite.siren == "242010056"
    aurillac = load(folders[3]).dossier
    assert [(c.nom, c.insee) for c in aurillac.collectivites.autres_communes] == [("Arpajon-sur-Cère", "15012")]
    # judged with that list as referentiel: the towns belong to the programme, the complete ones are recevable
    results = evaluate(out, catalogue, load_referentiel(communes.parent))
    assert outcome_problems(results) == []
    for _, report in results:
        if not isinstance(report, InputError):
            assert {f.status for f in report.findings if f.rule == "PROG-01"} == {"conforme"}


def test_the_programme_list(tmp_path):
    path = SHARED_DATA / "acv-communes.csv"
    if not path.is_file():
        pytest.skip(f"{path} absent (données partagées du projet)")
    with open(path, encoding="utf-8-sig", newline="") as f:
        first = [(row["lib_com"], row["insee_com"]) for row, _ in zip(csv.DictReader(f), range(5))]
    folders = synthetic.generate(5, tmp_path / "lot", communes=path, templates=SAMPLES)
    rows = manifest(tmp_path / "lot")
    assert [(r["commune"], r["insee"]) for r in rows] == first
    for folder in folders:
        text = (folder / "dossier.yaml").read_text(encoding="utf-8")
        assert text.startswith(synthetic_profiles.HEADER_REAL + "\n")
        assert "\nfictif: true\n" in text and "\nid: synthetique-" in text


@pytest.mark.parametrize(
    "content, line, words",
    [
        (
            HEADER
            + "2A004,Ajaccio,ACV004,1,2A,94,Corse,242010056,,8.7,41.9\n1053X,Bourg,ACV035,1,01,84,ARA,,,5.2,46.2\n",
            3,
            "code INSEE invalide",
        ),
        (HEADER + "2A004,Ajaccio,ACV004,1,2A,94,Corse,242010056,,huit,41.9\n", 2, "nombre entre -180 et 180"),
        (HEADER + "2A004,,ACV004,1,2A,94,Corse,242010056,,8.7,41.9\n", 2, "nom de la commune vide"),
        ("insee,nom\n2A004,Ajaccio\n", 1, "colonnes manquantes"),
    ],
)
def test_a_bad_communes_list_names_file_and_line(tmp_path, content, line, words):
    path = tmp_path / "communes.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        synthetic.generate(1, tmp_path / "lot", communes=path, templates=SAMPLES)
    message = str(caught.value)
    assert str(path) in message and f"(ligne {line})" in message and words in message
    assert not (tmp_path / "lot").exists()


def test_more_dossiers_than_communes_or_no_list(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text(COMMUNES, encoding="utf-8")
    with pytest.raises(InputError, match="ne compte que 6 communes"):
        synthetic.generate(7, tmp_path / "lot", communes=path, templates=SAMPLES)
    with pytest.raises(InputError, match="introuvable"):
        synthetic.generate(2, tmp_path / "lot", communes=tmp_path / "absent.csv", templates=SAMPLES)
    assert not (tmp_path / "lot").exists()


def test_never_overwrites_and_bounds_n(tmp_path):
    out = tmp_path / "lot"
    out.mkdir()
    (out / "rapport.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(InputError, match="n'est pas vide"):
        synthetic.generate(2, out, templates=SAMPLES)
    assert [p.name for p in out.iterdir()] == ["rapport.txt"]
    with pytest.raises(InputError, match="n'est pas un répertoire"):
        synthetic.generate(2, out / "rapport.txt", templates=SAMPLES)
    for n in (0, -1, 5001):
        with pytest.raises(InputError, match="entre 1 et 5000"):
            synthetic.generate(n, tmp_path / "autre", templates=SAMPLES)
    empty = tmp_path / "vide"
    empty.mkdir()
    assert len(synthetic.generate(2, empty, documents=False, templates=SAMPLES)) == 2
    assert sorted(p.name for p in empty.iterdir())[-1] == "manifeste.csv"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no work folder left behind


def test_the_templates_come_from_the_folder_given(tmp_path):
    """The generator reads its four templates from the folder it is given, not from beside the code."""
    partial = tmp_path / "modeles"
    for name in ("villebelle", "montclair", "saint-aubin"):
        (partial / name).mkdir(parents=True)
        (partial / name / "dossier.yaml").write_bytes((SAMPLES / name / "dossier.yaml").read_bytes())
    with pytest.raises(InputError, match="belcastel/dossier.yaml") as raised:
        synthetic.generate(3, tmp_path / "lot", templates=partial)
    assert raised.value.source == str(partial)
    assert not (tmp_path / "lot").exists()
    (partial / "belcastel").mkdir()
    (partial / "belcastel" / "dossier.yaml").write_bytes((SAMPLES / "belcastel" / "dossier.yaml").read_bytes())
    made = synthetic.generate(3, tmp_path / "lot", templates=partial, documents=False)
    same = synthetic.generate(3, tmp_path / "lot-samples", templates=SAMPLES, documents=False)
    for a, b in zip(made, same):
        assert (a / "dossier.yaml").read_bytes() == (b / "dossier.yaml").read_bytes()
