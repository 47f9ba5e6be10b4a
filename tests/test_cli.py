"""The `acv` command as a user runs it: a real process, exit codes, outputs, errors."""

import json
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES, SHARED_DATA, acv_command


def run(*args, **kw):
    return subprocess.run(acv_command() + list(args), capture_output=True, text=True, timeout=120, **kw)


def test_recevable_sample_exits_0_and_prints_the_verdict_on_top():
    done = run(
        "check", str(SAMPLES / "villebelle"), "--date", "2026-11-26", "--referentiel", str(SAMPLES / "referentiel")
    )
    assert done.returncode == 0, done.stderr
    head = done.stdout.splitlines()[:2]
    assert "Villebelle" in head[0] and "26/11/2026" in head[0] and head[1].startswith("Verdicts : RECEVABLE")
    assert "\033[" not in done.stdout  # no colour when not a terminal


def test_gaps_exit_1_and_come_first_with_rule_entity_source():
    done = run(
        "check", str(SAMPLES / "saint-aubin"), "--date", "2026-11-26", "--referentiel", str(SAMPLES / "referentiel")
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[1].startswith("Verdicts : NON RECEVABLE")
    first_gap = next(line for line in done.stdout.splitlines() if line.startswith("["))
    assert first_gap.startswith("[NON CONFORME · bloquant]") and first_gap.endswith("(PROG-02)") and "Anah" in first_gap
    sources = done.stdout.split("SOURCES DES RÈGLES CITÉES")[1]
    assert "PROG-02 Signataires de la convention (bloquant) — Guide du programme Action Cœur de Ville" in sources


def test_json_report_shape(tmp_path):
    out = tmp_path / "rapport.json"
    done = run("check", str(SAMPLES / "montclair"), "--date", "2026-11-26", "--format", "json", "-o", str(out))
    assert done.returncode == 1 and done.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report) == {"format", "dossier", "evaluated_on", "rulesets", "entities", "notes", "findings", "causes"}
    gaps = [n for n, f in enumerate(report["findings"]) if f["status"] in ("non_conforme", "incomplet", "a_verifier")]
    assert sorted(n for c in report["causes"] for n in c["findings"]) == gaps  # each gap in one cause
    firsts = [c["first"] for c in report["causes"]]
    assert firsts == sorted(firsts, reverse=True) and firsts[0]  # « À traiter en premier » first
    assert report["dossier"] == {
        "id": "montclair-2026",
        "commune": "Montclair-sur-Lys",
        "insee": "99102",
        "fictif": True,
    }
    assert report["evaluated_on"] == "2026-11-26"
    assert report["rulesets"]["PROG"]["verdict"] == "incomplet"
    assert sum(sum(r["counts"].values()) for r in report["rulesets"].values()) == len(report["findings"])
    assert sum(report["rulesets"]["PROG"]["counts"].values()) == sum(
        1 for f in report["findings"] if f["ruleset"] == "PROG"
    )
    keys = {
        "rule",
        "check",
        "ruleset",
        "title",
        "status",
        "severity",
        "entity",
        "message",
        "remedy",
        "source",
        "citation",
        "evidence",
        "parameters",
    }
    for finding in report["findings"]:
        assert set(finding) == keys
        assert set(finding["entity"]) == {"type", "id", "label", "path"}
        assert finding["source"]
    # every rule is traced, conforme and non applicable ones included
    assert {f["rule"] for f in report["findings"] if f["ruleset"] == "PROG"} == {f"PROG-{n:02d}" for n in range(1, 32)}
    statuses = {f["status"] for f in report["findings"]}
    assert {"conforme", "incomplet", "non_applicable", "a_verifier"} <= statuses
    # Montclair's convention-cadre is of 2026: phase 2, judged by the end of phase 2's commitments
    late = next(f for f in report["findings"] if f["rule"] == "PROG-16" and f["entity"]["id"] == "MC-01")
    phase_2 = next(p for p in late["parameters"] if p["name"] == "prog.fin_engagements_phase_2")
    assert phase_2 == {
        "name": "prog.fin_engagements_phase_2",
        "label": "date limite des engagements financiers (phase 2)",
        "value": "31/12/2026",
        "since": "2018-03-27",
        "unit": "date",
        "reference": phase_2["reference"],
    }
    assert late["status"] == "conforme" and "phase 2" in late["message"]


def test_markdown_report():
    done = run("check", str(SAMPLES / "saint-aubin"), "--date", "2026-11-26", "--format", "markdown")
    assert done.returncode == 1
    assert done.stdout.startswith("# Rapport d'instruction — Saint-Aubin-les-Forges")
    first = done.stdout.split("## À traiter en premier")[1].split("## Autres écarts")[0]
    assert first.index("**NON CONFORME · bloquant**") < first.index("**NON CONFORME · majeur**")
    assert "   - Règle PROG-15 (majeur) Cohérence budgétaire — Guide du programme" in first


def test_evaluation_date_changes_the_outcome():
    """Montclair's convention is from March 2026: as of 2027-11-01 the 18 months have passed."""
    early = json.loads(run("check", str(SAMPLES / "montclair"), "--date", "2026-11-26", "--format", "json").stdout)
    late = json.loads(run("check", str(SAMPLES / "montclair"), "--date", "2027-11-01", "--format", "json").stdout)

    def status(report):
        return next(f["status"] for f in report["findings"] if f["rule"] == "PROG-07")

    assert status(early) == "conforme" and status(late) == "non_conforme"


def test_real_referentiel_from_shared_data_knows_a_real_commune(tmp_path):
    if not (SHARED_DATA / "acv-communes.csv").exists():
        pytest.skip("shared data not present")
    dossier = tmp_path / "lourdes.yaml"
    dossier.write_text(
        'id: lourdes\ncollectivites:\n  ville_centre: {nom: Lourdes, insee: "65286"}\n'
        '  intercommunalite: {nom: CA Tarbes-Lourdes-Pyrénées, siren: "200069300"}\n',
        encoding="utf-8",
    )
    report = json.loads(run("check", str(dossier), "--format", "json", "--referentiel", str(SHARED_DATA)).stdout)
    prog01 = next(f for f in report["findings"] if f["rule"] == "PROG-01")
    assert prog01["status"] == "conforme" and "ACV123" in prog01["message"]


def test_malformed_dossier_exits_2_with_french_paths_and_lines(tmp_path):
    bad = tmp_path / "dossier.yaml"
    bad.write_text(
        "id: x\ncollectivites:\n  ville_centre: {nom: X, insee: '99101'}\n"
        "  intercommunalite: {nom: Y, siren: '999000001'}\n"
        "fiches_actions:\n  - id: A\n    financement:\n      - {financeur: CDC, montant: -5}\n"
        "  - id: B\n    cout: beaucoup\n",
        encoding="utf-8",
    )
    done = run("check", str(tmp_path))
    assert done.returncode == 2 and done.stdout == ""
    assert "fiches_actions[0].financement[0].montant (ligne 8) : doit être supérieur ou égal à 0" in done.stderr
    assert "fiches_actions[1].cout (ligne 10) : montant invalide" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "content, expected",
    [
        ("id: [x\n", "YAML invalide"),
        ("- a\n- b\n", "objet (clé: valeur) à la racine"),
        ("id: x\nid: y\n", "clé en double"),
        (b"\xff\xfe id: x", "UTF-8"),
    ],
)
def test_unreadable_files_exit_2(tmp_path, content, expected):
    bad = tmp_path / "d.yaml"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    done = run("check", str(bad))
    assert done.returncode == 2 and expected in done.stderr and "Traceback" not in done.stderr


def test_missing_path_unknown_partner_and_bad_date_exit_2(tmp_path):
    assert run("check", str(tmp_path / "absent")).returncode == 2
    done = run("check", str(SAMPLES / "villebelle"), "--partenaire", "inconnu")
    assert done.returncode == 2 and "jeu de règles inconnu : inconnu" in done.stderr
    done = run("check", str(SAMPLES / "villebelle"), "--date", "26/11/2026")
    assert done.returncode == 2 and "date invalide" in done.stderr


def test_engines_give_the_same_json():
    outs = [
        run("check", str(SAMPLES / "saint-aubin"), "--date", "2026-11-26", "--format", "json", "--moteur", m).stdout
        for m in ("durable", "python")
    ]
    assert outs[0] == outs[1] and outs[0]


def test_rules_and_schema_commands():
    rules = run("rules", "--format", "json")
    assert rules.returncode == 0
    listed = json.loads(rules.stdout)
    ids = {r["id"] for r in listed}
    assert {f"PROG-{n:02d}" for n in range(1, 32)} <= ids
    assert {f"AL-V-{n:02d}" for n in range(1, 7)} | {f"AL-O-{n:02d}" for n in range(1, 16)} | {"X-01"} <= ids
    assert all(r["source"] for r in listed)
    schema = run("schema")
    data = json.loads(schema.stdout)
    assert data["title"] == "Dossier" and "fiches_actions" in data["properties"]


def test_usage_errors_are_in_french():
    done = run("check", str(SAMPLES / "villebelle"), "--format", "odt")
    assert done.returncode == 2
    assert "Erreur : option --format: choix invalide" in done.stderr and "choix possibles" in done.stderr
    assert "invalid choice" not in done.stderr
    missing = run("ort", "commerce", str(SAMPLES / "villebelle"))
    assert missing.returncode == 2 and "arguments obligatoires manquants: --point, --surface" in missing.stderr


def test_several_dossiers_in_one_process_give_each_its_own_report(tmp_path):
    """A town checks its versions, a delegation its immeubles: one process, the same reports as one by one."""
    names = ["villebelle", "montclair", "ort-sans-ville-principale.yaml"]
    paths = [str(SAMPLES / n) for n in names]
    common = ["--date", "2026-11-26", "--referentiel", str(SAMPLES / "referentiel")]
    together = run("check", *paths, *common, "--format", "json", "-o", str(tmp_path / "rapports"))
    assert together.returncode == 1, together.stderr  # montclair has gaps: the worst status
    written = sorted(p.name for p in (tmp_path / "rapports").iterdir())
    assert written == ["montclair.json", "ort-sans-ville-principale.json", "villebelle.json"]
    for name, path in zip(names, paths):
        alone = run("check", path, *common, "--format", "json").stdout
        assert (tmp_path / "rapports" / f"{Path(name).stem}.json").read_text(encoding="utf-8") == alone

    text = run("check", paths[0], str(tmp_path / "absent"), paths[1], *common)
    assert text.returncode == 2 and "fichier ou dossier introuvable" in text.stderr  # said, and the others checked
    assert [line for line in text.stdout.splitlines() if line.startswith("=== ")] == [
        f"=== {paths[0]}",
        f"=== {paths[1]}",
    ]
    refused = run("check", *paths, *common, "--format", "html")
    assert refused.returncode == 2 and "s'écrivent dans un répertoire" in refused.stderr


def test_several_dossiers_of_the_same_name_never_share_a_report_file(tmp_path):
    from instruct.cli.check import _file_names

    paths = [tmp_path / "a" / "x", tmp_path / "b" / "x", tmp_path / "c" / "x-2"]
    for path in paths:
        path.mkdir(parents=True)
    names = _file_names([str(p) for p in paths], ".txt")
    assert len(set(names.values())) == 3 and names[str(paths[0])] == "x.txt"
