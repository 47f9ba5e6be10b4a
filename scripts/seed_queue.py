"""Seed a database with N deposited dossiers for the instruction queue's benchmark (benchmarks/queue.py):

    .venv/bin/python scripts/seed_queue.py --url postgresql+psycopg://acv:…@127.0.0.1:5432/acv --dossiers 10000

Each dossier of a commune spread over a few territories (départements of three régions) gets 1 to 3 versions, each
with a small realistic report (its JSON: verdict and counts per rule set, a few findings citing real rule ids of the
catalogue) and the report's index rows (`rapport_verdicts`, `rapport_ecarts`, `rapport_pistes`, the dossier's
`latest_report_id`), then one instruction track per partner
concerned (the DDT always) in every state, about half of them assigned to an instructeur of that partner and
territory. Accounts: one town (the dossiers' owner), an instructeur per partner and territory (`al-dep38`,
`ddt-reg84`…) and `admin`, all with the password PASSWORD. Bulk inserts (COPY on PostgreSQL, executemany on
SQLite), explicit ids, the sequences set after, ANALYZE at the end. Same seed, same data. Prints what it made and how
long it took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from instruct.referentiel.territoires import departement, region  # noqa: E402
from instruct.rules.catalogue import load_catalogue  # noqa: E402
from instruct.service import accounts  # noqa: E402
from instruct.service.instruction_storage import (  # noqa: E402
    DECIDED,
    TRACK_OF_RULESET_PARTNER,
    Instruction,
    RapportEcart,
    RapportPiste,
    RapportVerdict,
)
from instruct.service.report_index import TRACK_OF_CODE, VERDICT_RANK  # noqa: E402
from instruct.service.storage import Dossier, StoredReport, User, Version, make_engine, upgrade  # noqa: E402

PASSWORD = "mot-de-passe-du-banc"
DEPARTEMENTS = ("01", "26", "38", "69", "73", "13", "83", "84", "29", "35")  # régions 84, 93, 53
SHORT = {"action-logement": "al", "anah": "anah", "anru": "anru", "ddt": "ddt"}
TERRITORIES = ("dep:38", "dep:69", "dep:13", "reg:84", "reg:53")
STATES = (
    ("depose", 30),
    ("en_instruction", 30),
    ("a_completer", 12),
    ("accepte", 14),
    ("refuse", 5),
    ("sans_suite", 4),
    ("retire", 5),
)
FIRST = ("Bel", "Mont", "Roche", "Ville", "Castel", "Beau", "Clair", "Font", "Saint-Aubin", "Pont", "Val", "Lac")
LAST = ("castel", "clair", "brune", "belle", "mont", "fort", "villers", "-sur-Rhône", "-les-Bains", "-en-Isère", "ac")
VERDICT_OF = {0: "recevable", 1: "incomplet", 2: "non_recevable"}


def commune_name(rng: random.Random) -> str:
    return rng.choice(FIRST) + rng.choice(LAST) + ("" if rng.random() < 0.7 else f"-{rng.choice(FIRST).lower()}")


def report_rows(rng: random.Random, catalogue, report_id: int) -> tuple[dict, list[dict], list[dict]]:
    """A small report: a verdict per rule set, a few gaps citing real rule ids; its index rows."""
    rulesets, findings, verdicts, gaps = {}, [], [], {}
    for code, rs in catalogue.rulesets.items():
        applies = rng.random() < (1.0 if code in ("PROG", "ORT", "X") else 0.55)
        bad = rng.choice([0, 0, 0, 1, 2]) if applies else 0
        counts = {
            "conforme": len(rs.rules) - 2 * bad if applies else 0,
            "non_conforme": bad,
            "incomplet": bad,
            "a_verifier": 0,
            "non_applicable": 0 if applies else len(rs.rules),
        }
        verdict = VERDICT_OF[min(bad, 2)] if applies else "recevable"
        rulesets[code] = {"title": rs.title, "verdict": verdict, "counts": counts}
        verdicts.append({"report_id": report_id, "jeu": code, "verdict": verdict})
        for rule in rng.sample(rs.rules, min(2 * bad, len(rs.rules))):
            status = rng.choice(("non_conforme", "incomplet"))
            findings.append(
                {
                    "rule": rule.id,
                    "check": None,
                    "status": status,
                    "severity": "bloquant",
                    "entity": {"type": "dossier", "id": "dossier", "label": "le dossier"},
                    "message": f"{rule.id} : pièce ou valeur manquante",
                }
            )
            gaps[(rule.id, status)] = gaps.get((rule.id, status), 0) + 1
    ecarts = [{"report_id": report_id, "regle": r, "statut": s, "nombre": n} for (r, s), n in gaps.items()]
    return {"rulesets": rulesets, "findings": findings}, verdicts, ecarts


def worst_per_track(dossier: str, verdicts: list[dict]) -> list[dict]:
    """The `rapport_pistes` rows of a dossier's latest report, as report_index writes them."""
    worst: dict[str, dict] = {}
    for v in verdicts:
        track, rank = TRACK_OF_CODE[v["jeu"]], VERDICT_RANK[v["verdict"]]
        if rank >= worst.get(track, {}).get("rang", 0):
            worst[track] = {
                "dossier_id": dossier,
                "report_id": v["report_id"],
                "partenaire": track,
                "verdict": v["verdict"],
                "rang": rank,
            }
    return list(worst.values())


def make_accounts(session: Session) -> dict[tuple[str, str], int]:
    """The accounts (created once): instructeurs per (partner, territory), an admin, the owner town."""
    made = {}
    for partner, short in SHORT.items():
        for territory in TERRITORIES:
            login = f"{short}-{territory.replace(':', '')}"
            user = session.scalar(select(User).where(User.login == login)) or accounts.create_user(
                session,
                login,
                PASSWORD,
                "instructeur",
                nom=f"Instructeur {login}",
                partenaire=partner,
                territoire=territory,
            )
            made[(partner, territory)] = user.id
    for login, role, extra in (("admin", "admin", {}), ("commune-banc", "collectivite", {"commune_insee": "38185"})):
        user = session.scalar(select(User).where(User.login == login)) or accounts.create_user(
            session, login, PASSWORD, role, **extra
        )
        made[(role, "")] = user.id
    session.flush()
    return made


def seed(url: str | None, count: int, seed_value: int = 1) -> dict[str, int]:
    rng = random.Random(seed_value)
    catalogue = load_catalogue()
    engine = make_engine(url)
    upgrade(engine)
    today = dt.datetime.now(dt.UTC)
    with Session(engine) as session:
        users = make_accounts(session)
        next_version = (session.scalar(select(func.max(Version.id))) or 0) + 1
        next_report = (session.scalar(select(func.max(StoredReport.id))) or 0) + 1
        next_track = (session.scalar(select(func.max(Instruction.id))) or 0) + 1
        rows: dict[str, list[dict]] = {"dossiers": [], "versions": [], "reports": [], "verdicts": [], "ecarts": []}
        rows["tracks"], rows["pistes"] = [], []
        states, weights = zip(*STATES, strict=True)
        for _ in range(count):
            dep = rng.choice(DEPARTEMENTS)
            insee = f"{dep}{rng.randrange(1, 999):03d}"
            opened = today - dt.timedelta(days=rng.uniform(1, 400))
            ident = f"{rng.getrandbits(96):024x}"
            rows["dossiers"].append(
                {
                    "id": ident,
                    "commune_insee": insee,
                    "commune_nom": commune_name(rng),
                    "departement": departement(insee),
                    "region": region(insee),
                    "owner_id": users[("collectivite", "")],
                    "state": "depose",
                    "created_at": opened - dt.timedelta(days=3),
                    "updated_at": opened,
                }
            )
            report = {}
            for number in range(1, rng.choice((1, 1, 2, 3)) + 1):
                rows["versions"].append(
                    {
                        "id": next_version,
                        "dossier_id": ident,
                        "number": number,
                        "created_at": opened,
                        "created_by": users[("collectivite", "")],
                        "content_hash": hashlib.sha256(f"{ident}{number}".encode()).hexdigest(),
                    }
                )
                report, verdicts, ecarts = report_rows(rng, catalogue, next_report)
                rows["reports"].append(
                    {
                        "id": next_report,
                        "version_id": next_version,
                        "evaluated_on": opened.date(),
                        "rules_hash": catalogue.digest,
                        "created_at": opened,
                        "recevable": all(v["verdict"] == "recevable" for v in verdicts),
                        "bloquants": len(report["findings"]),
                        "summary": {v["jeu"]: v["verdict"] for v in verdicts},
                        "report_json": json.dumps(report, ensure_ascii=False),
                    }
                )
                rows["verdicts"] += verdicts
                latest = worst_per_track(ident, verdicts)  # the last version's replaces the others'
                rows["dossiers"][-1]["latest_report_id"] = next_report
                rows["ecarts"] += ecarts
                next_version, next_report = next_version + 1, next_report + 1
            rows["pistes"] += latest
            concerned = {"ddt"} | {
                TRACK_OF_RULESET_PARTNER[catalogue.rulesets[code].partenaire]
                for code, result in report["rulesets"].items()
                if result["counts"]["non_applicable"] == 0
            }
            for partner in sorted(concerned):
                state = rng.choices(states, weights)[0]
                near = [t for t in TERRITORIES if accounts.in_territory(t, _Place(dep, region(insee)))]
                assignee = users[(partner, rng.choice(near))] if near and rng.random() < 0.5 else None
                rows["tracks"].append(
                    {
                        "id": next_track,
                        "dossier_id": ident,
                        "partenaire": partner,
                        "state": state,
                        "revision": 0,
                        "assigned_to": assignee,
                        "opened_at": opened,
                        "updated_at": opened + dt.timedelta(days=rng.uniform(0, 20)),
                        "decided_at": opened + dt.timedelta(days=rng.uniform(5, 60)) if state in DECIDED else None,
                    }
                )
                next_track += 1
        for table, key in (
            (Dossier, "dossiers"),
            (Version, "versions"),
            (StoredReport, "reports"),
            (RapportVerdict, "verdicts"),
            (RapportPiste, "pistes"),
            (RapportEcart, "ecarts"),
            (Instruction, "tracks"),
        ):
            bulk_insert(session, table, rows[key])
        if engine.dialect.name == "postgresql":  # explicit ids: the sequences follow
            for table in ("versions", "reports", "instructions"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
        session.commit()
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    engine.dispose()
    return {key: len(value) for key, value in rows.items()}


def bulk_insert(session: Session, table, rows: list[dict]) -> None:
    """PostgreSQL: COPY (several times faster than INSERTs); SQLite: executemany by 5 000."""
    if session.get_bind().dialect.name != "postgresql":
        for start in range(0, len(rows), 5000):
            session.execute(insert(table), rows[start : start + 5000])
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.__table__.columns if c.type.__class__.__name__ == "JSON"}
    raw = session.connection().connection.driver_connection
    with raw.cursor().copy(f"COPY {table.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])


class _Place:
    def __init__(self, dep: str, reg: str | None):
        self.departement, self.region = dep, reg


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="base de données (défaut : ACV_DATABASE_URL, sinon SQLite local)")
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    made = seed(args.url, args.dossiers, args.seed)
    print(", ".join(f"{n} {k}" for k, n in made.items()), f"en {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
