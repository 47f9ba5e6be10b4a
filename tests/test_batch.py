"""acv batch: every dossier at once, in parallel, cached, resumable, on a Dask cluster too."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from instruct.batch import run as batch
from instruct.batch import worker
from instruct.batch.progress import Progress
from instruct.batch.settings import make_settings
from instruct.batch.store import JOURNAL, REPORTS, Cache, unique_slugs
from instruct.batch.tasks import discover
from instruct.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DAY = dt.date(2026, 11, 26)
VOLATILE = ("cache", "duree_s")


@pytest.fixture(scope="module")
def settings():
    return make_settings(DAY, None, SAMPLES / "referentiel")


@pytest.fixture()
def lot(tmp_path):
    """Four towns' dossiers grouped by région, a single-file dossier, one that cannot be read, and noise."""
    root = tmp_path / "lot"
    for region, names in {"occitanie": ["villebelle", "montclair"], "bretagne": ["saint-aubin", "rochebrune"]}.items():
        for name in names:
            shutil.copytree(SAMPLES / name, root / region / name)
    shutil.copy(SAMPLES / "ort-sans-ville-principale.yaml", root / "ort-sans-ville-principale.yaml")
    broken = root / "bretagne" / "cassé"
    broken.mkdir()
    (broken / "dossier.yaml").write_text("id: casse\ncollectivites:\n  ville_centre: [\n", encoding="utf-8")
    (root / "LISEZMOI.md").write_text("pas un dossier", encoding="utf-8")
    (root / ".cache").mkdir()
    (root / ".cache" / "x.yaml").write_text("id: caché", encoding="utf-8")
    return root


def run(
    lot: Path, out: Path, settings, *, workers: int = 1, cache: Path | None = None, resume: bool = False, runner=None
):
    config, _ = settings
    return batch.run_batch(
        [lot],
        out,
        config,
        runner=runner or batch.local_runner(workers),
        cache=Cache(cache) if cache else None,
        resume=resume,
    )


def stable(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in rows]


def reports(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / REPORTS).iterdir())}


def test_every_dossier_is_found_and_one_unreadable_does_not_stop_the_others(lot, tmp_path, settings):
    outcome = run(lot, tmp_path / "out", settings)
    labels = [r["dossier"] for r in outcome.rows]
    assert labels == [
        "bretagne/cassé",
        "bretagne/rochebrune",
        "bretagne/saint-aubin",
        "occitanie/montclair",
        "occitanie/villebelle",
        "ort-sans-ville-principale.yaml",
    ]
    by = {r["dossier"]: r for r in outcome.rows}
    broken = by["bretagne/cassé"]
    assert broken["etat"] == "erreur" and broken["erreur"].startswith("bretagne/cassé/dossier.yaml : ")
    assert "YAML invalide" in broken["erreur"] and "ligne" in broken["erreur"] and str(tmp_path) not in broken["erreur"]
    assert [r["dossier"] for r in outcome.failed] == ["bretagne/cassé"]
    villebelle = by["occitanie/villebelle"]
    assert villebelle["recevable"] is True and set(villebelle["verdicts"].values()) == {"recevable", "sans_objet"}
    assert (villebelle["insee"], villebelle["departement"], villebelle["region"]) == ("99101", "99", None)
    saint_aubin = by["bretagne/saint-aubin"]
    assert saint_aubin["recevable"] is False and saint_aubin["ecarts"]["bloquant"] >= 1
    assert saint_aubin["regles_en_ecart"]["X-05"] in {"non_conforme", "incomplet", "a_verifier"}  # the pieces were read
    first = saint_aubin["premiers_bloquants"]
    assert 1 <= len(first) <= 3 and all(b["regle"] in saint_aubin["regles_en_ecart"] for b in first)
    report = json.loads((tmp_path / "out" / saint_aubin["rapport_json"]).read_text(encoding="utf-8"))
    assert report["dossier"]["commune"] == "Saint-Aubin-les-Forges" and report["evaluated_on"] == DAY.isoformat()
    assert {f["rule"] for f in report["findings"] if f["status"] in {"non_conforme", "incomplet", "a_verifier"}} == set(
        saint_aubin["regles_en_ecart"]
    )
    assert broken["rapport_json"] is None


def test_two_processes_give_the_same_reports_as_one(lot, tmp_path, settings):
    one = run(lot, tmp_path / "one", settings, workers=1)
    two = run(lot, tmp_path / "two", settings, workers=2)
    assert stable(one.rows) == stable(two.rows)
    assert reports(tmp_path / "one") == reports(tmp_path / "two")


def test_an_unchanged_dossier_is_taken_from_the_cache(lot, tmp_path, settings):
    cache = tmp_path / "cache"
    first = run(lot, tmp_path / "a", settings, cache=cache)
    assert (first.evaluated, first.from_cache) == (6, 0)
    again = run(lot, tmp_path / "b", settings, cache=cache)
    assert (again.evaluated, again.from_cache) == (0, 6)
    assert stable(again.rows) == stable(first.rows) and reports(tmp_path / "a") == reports(tmp_path / "b")
    assert all(r["cache"] for r in again.rows)
    yaml = lot / "occitanie" / "montclair" / "dossier.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("Montclair", "Montclair-sur-Orb", 1), encoding="utf-8")
    changed = run(lot, tmp_path / "c", settings, cache=cache)
    assert changed.evaluated == 1 and [r["dossier"] for r in changed.rows if not r["cache"]] == ["occitanie/montclair"]
    config, _ = settings
    later = make_settings(DAY + dt.timedelta(days=1), None, SAMPLES / "referentiel")
    redone = batch.run_batch([lot], tmp_path / "d", later[0], runner=batch.local_runner(1), cache=Cache(cache))
    assert redone.evaluated == 6  # another date is another judgement
    with_html = make_settings(DAY, None, SAMPLES / "referentiel", html=True)
    html = batch.run_batch([lot], tmp_path / "e", with_html[0], runner=batch.local_runner(1), cache=Cache(cache))
    assert html.evaluated == 5 and all(
        r["rapport_html"] for r in html.rows if r["etat"] == "evalue"
    )  # the unreadable one has none
    html_again = batch.run_batch([lot], tmp_path / "f", with_html[0], runner=batch.local_runner(1), cache=Cache(cache))
    assert html_again.evaluated == 0 and (tmp_path / "f" / "rapports" / "occitanie--villebelle.html").is_file()
    assert (
        run(lot, tmp_path / "g", settings, cache=cache).evaluated == 0
    )  # the HTML joined the entries, the JSON stayed
    (lot / "occitanie" / "villebelle").rename(lot / "occitanie" / "villebelle-2026")
    moved = run(lot, tmp_path / "h", settings, cache=cache)
    assert moved.evaluated == 1 and any(
        r["dossier"] == "occitanie/villebelle-2026" and not r["cache"] for r in moved.rows
    )


def test_an_interrupted_batch_resumes_where_it_stopped(lot, tmp_path, settings):
    out = tmp_path / "out"
    local = batch.local_runner(1)

    def stopped_after_three(tasks, config):
        for n, item in enumerate(local(tasks, config)):
            if n == 3:
                raise KeyboardInterrupt
            yield item

    with pytest.raises(KeyboardInterrupt):
        run(lot, out, settings, runner=stopped_after_three)
    journal = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
    assert len(journal) == 3
    (out / JOURNAL).write_text("\n".join(journal) + '\n{"dossier": "occitanie/vil', encoding="utf-8")  # cut mid-line
    resumed = run(lot, out, settings, resume=True)
    assert (resumed.resumed, resumed.evaluated) == (3, 3)
    assert stable(resumed.rows) == stable(run(lot, tmp_path / "whole", settings).rows)
    assert run(lot, out, settings, resume=True).evaluated == 0
    assert run(lot, out, settings).evaluated == 6  # without --reprendre, a new run


def test_a_fault_on_one_dossier_is_a_row_not_a_crash(lot, tmp_path, settings, monkeypatch):
    real = worker.check_path

    def faulty(path, *args, **kwargs):
        if kwargs["source"] == "occitanie/montclair":
            raise RuntimeError("panne simulée")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(worker, "check_path", faulty)
    cache = tmp_path / "cache"
    outcome = run(lot, tmp_path / "out", settings, cache=cache)
    montclair = next(r for r in outcome.rows if r["dossier"] == "occitanie/montclair")
    assert montclair["erreur"] == "erreur interne (RuntimeError) : panne simulée"
    monkeypatch.setattr(worker, "check_path", real)
    again = run(lot, tmp_path / "again", settings, cache=cache)
    assert [r["dossier"] for r in again.rows if not r["cache"]] == ["occitanie/montclair"]  # a fault is not cached


def test_an_output_folder_among_the_dossiers_is_not_searched(lot, tmp_path, settings):
    first = run(lot, lot / "sortie", settings, cache=tmp_path / "cache")
    again = run(lot, lot / "sortie", settings, cache=lot / "cache")
    assert (
        len(first.rows) == len(again.rows) == 6
        and (lot / "sortie" / "rapports" / "occitanie--villebelle.json").is_file()
    )


def test_progress_is_reported_in_a_log(lot, tmp_path, settings):
    stream = io.StringIO()
    config, _ = settings
    batch.run_batch(
        [lot],
        tmp_path / "out",
        config,
        runner=batch.local_runner(1),
        cache=None,
        progress=Progress(stream, every=0.0),
    )
    lines = stream.getvalue().splitlines()
    assert len(lines) == 6 and lines[0].split()[1] == "1/6" and " /s · reste ~" in lines[0]
    assert lines[-1].split()[1] == "6/6" and "fini en" in lines[-1]


def test_discovery(tmp_path):
    (tmp_path / "a" / "pieces").mkdir(parents=True)
    (tmp_path / "a" / "pieces" / "convention.pdf").write_bytes(b"%PDF")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "avenant.docx").write_bytes(b"PK")
    (tmp_path / "c" / "d").mkdir(parents=True)
    (tmp_path / "c" / "d" / "x.json").write_text("{}")
    (tmp_path / "c" / "notes.txt").write_text("")
    found = discover([tmp_path])
    assert [label for label, _ in found] == ["a", "b", "c/d/x.json"]
    assert [label for label, _ in discover([tmp_path / "a", tmp_path / "c" / "d" / "x.json"])] == ["a", "x.json"]
    with pytest.raises(InputError, match="introuvable"):
        discover([tmp_path / "absent"])
    assert unique_slugs(["r/a", "r--a", "R--A"]) == {"r/a": "r--a", "r--a": "r--a-2", "R--A": "R--A-3"}


def test_on_a_dask_cluster_the_results_are_the_same(lot, tmp_path, settings):
    distributed = pytest.importorskip("distributed")
    local = run(lot, tmp_path / "local", settings, workers=1)
    config, _ = settings
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = batch.run_batch(
            [lot],
            tmp_path / "dask",
            config,
            runner=batch.dask_runner(cluster.scheduler_address),
            cache=None,
        )
    assert stable(remote.rows) == stable(local.rows)
    assert reports(tmp_path / "dask") == reports(tmp_path / "local")
    with pytest.raises(InputError, match="injoignable"):
        list(batch.dask_runner("tcp://127.0.0.1:9")([], config))


def test_the_command_as_a_user_runs_it(lot, tmp_path):
    import csv
    import subprocess

    from conftest import acv_command

    def acv(*args):
        return subprocess.run(
            acv_command() + list(args),
            capture_output=True,
            text=True,
            timeout=300,
            env={**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")},
        )

    out = tmp_path / "sortie"
    done = acv(
        "batch",
        str(lot),
        "-o",
        str(out),
        "--date",
        DAY.isoformat(),
        "--referentiel",
        str(SAMPLES / "referentiel"),
        "--html",
        "--workers",
        "2",
    )
    assert done.returncode == 1, done.stderr  # one dossier could not be read
    assert (
        done.stdout.startswith("6 dossiers : 1 recevable(s), ")
        and " non recevable(s), 1 illisible(s) ; évalués 6" in done.stdout
    )
    assert "illisible : bretagne/cassé — bretagne/cassé/dossier.yaml : " in done.stdout
    assert "6/6 dossiers" in done.stderr and "Traceback" not in done.stderr
    with open(out / "synthese.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert [r["dossier"] for r in rows][:2] == ["bretagne/cassé", "bretagne/rochebrune"] and rows[0]["etat"] == "erreur"
    villebelle = next(r for r in rows if r["dossier"] == "occitanie/villebelle")
    assert villebelle["recevable"] == "oui" and (out / villebelle["rapport_html"]).is_file()
    assert (out / "synthese.xlsx").stat().st_size > 0 and "Villebelle" in (out / "tableau-de-bord.html").read_text(
        encoding="utf-8"
    )
    assert (tmp_path / "xdg" / "acv-instruct" / "lot").is_dir()  # the default cache

    again = acv(
        "batch",
        str(lot),
        "-o",
        str(out),
        "--date",
        DAY.isoformat(),
        "--referentiel",
        str(SAMPLES / "referentiel"),
        "--html",
        "--silencieux",
    )
    assert "évalués 0, repris du cache 6" in again.stdout and again.stderr == ""
    shutil.rmtree(lot / "bretagne" / "cassé")
    assert acv("batch", str(lot), "-o", str(out), "--sans-cache", "--silencieux").returncode == 0
    empty = tmp_path / "vide"
    empty.mkdir()
    refused = acv("batch", str(empty), "-o", str(out))
    assert refused.returncode == 2 and "aucun dossier trouvé" in refused.stderr and "Traceback" not in refused.stderr
    assert acv("batch", str(lot), "-o", str(out), "--partenaire", "inconnu").returncode == 2


def test_generated_towns_through_the_batch(tmp_path):
    """`acv samples generate` then `acv batch`: each town gets the verdict its manifest announces."""
    import csv
    import subprocess

    from conftest import SAMPLES, acv_command

    towns, out = tmp_path / "villes", tmp_path / "lot"
    made = subprocess.run(
        acv_command()
        + ["samples", "generate", "--n", "20", "-o", str(towns), "--sans-pieces", "--modeles", str(SAMPLES)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # away from the repository: the templates come from --modeles
    )
    assert made.returncode == 0 and "20 dossiers synthétiques" in made.stdout, made.stderr
    done = subprocess.run(
        acv_command()
        + ["batch", str(towns), "-o", str(out), "--date", DAY.isoformat(), "--sans-cache", "--silencieux"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    with open(towns / "manifeste.csv", encoding="utf-8-sig", newline="") as f:
        expected = {r["dossier"]: r["attendu"] for r in csv.DictReader(f, delimiter=";")}
    with open(out / "synthese.csv", encoding="utf-8-sig", newline="") as f:
        rows = {r["dossier"]: r for r in csv.DictReader(f, delimiter=";")}
    assert set(rows) == set(expected)
    assert done.returncode == (1 if "illisible" in expected.values() else 0), done.stderr
    for name, attendu in expected.items():
        row = rows[name]
        if attendu == "illisible":
            assert row["etat"] == "erreur" and row["erreur"].startswith(f"{name}/dossier.yaml : ")
        else:
            assert row["etat"] == "evalue" and (row["recevable"] == "oui") == (attendu == "recevable"), (name, attendu)
    refused = subprocess.run(
        acv_command() + ["samples", "generate", "--n", "0", "-o", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and refused.stderr.startswith("Erreur") and "Traceback" not in refused.stderr


def test_the_local_runner_keeps_a_few_tasks_in_flight_not_all(lot, tmp_path, settings, monkeypatch):
    """Bounded submission: the results waiting to be written do not grow with the number of towns."""
    submitted = []

    class Counting(batch.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            submitted.append(args[1].label)
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Counting)
    in_flight = []

    def counting(tasks, config):
        assert len(tasks) > 2 * batch.IN_FLIGHT_PER_WORKER  # more towns than the bound
        for handed, item in enumerate(batch.local_runner(2)(tasks, config)):
            in_flight.append(len(submitted) - handed)
            yield item

    outcome = run(lot, tmp_path / "borne", settings, runner=counting)
    assert outcome.evaluated == len(submitted) == len(in_flight)
    assert max(in_flight) <= 2 * batch.IN_FLIGHT_PER_WORKER
    assert stable(outcome.rows) == stable(run(lot, tmp_path / "un", settings, workers=1).rows)


def test_an_unchanged_rerun_reads_no_file_again_and_a_changed_file_is_seen(lot, tmp_path, settings, monkeypatch):
    """The cache remembers each file's digest with its mtime, ctime, size and inode."""
    from instruct.batch import tasks as batch_tasks

    hashed = []
    real = batch_tasks.hashlib.file_digest

    def counting(f, name):
        hashed.append(f.name)
        return real(f, name)

    monkeypatch.setattr(batch_tasks.hashlib, "file_digest", counting)
    cache = tmp_path / "cache"
    first = run(lot, tmp_path / "a", settings, cache=cache)
    assert hashed and (cache / batch.DIGESTS).is_file()
    hashed.clear()
    again = run(lot, tmp_path / "b", settings, cache=cache)
    assert hashed == [] and again.evaluated == 0 and stable(again.rows) == stable(first.rows)

    changed = lot / "occitanie" / "montclair" / "dossier.yaml"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Montclair", "Montclaire", 1), encoding="utf-8")
    (cache / batch.DIGESTS).write_text("{pas du json", encoding="utf-8")  # a damaged memory costs a rehash only
    hashed.clear()
    third = run(lot, tmp_path / "c", settings, cache=cache)
    assert str(changed) in hashed and third.evaluated == 1
