"""The service's speed work kept correct: what a submission stores is made in the evaluation worker
(Evaluated: the JSON report rendered there, its gaps counted from the findings) and must be what the
server made itself from the Report before; logins stay correct and throttled when many arrive at once."""

import asyncio
import datetime as dt
import json
from collections import Counter

import pytest
from conftest import SAMPLES

from instruct.documents.load import load
from instruct.engine.check import check_dossier
from instruct.model.report import GAPS
from instruct.reports import json as report_json
from instruct.service import accounts, logins
from instruct.service.evaluator import Evaluated, EvaluationSettings, Evaluators
from instruct.service.storage import LoginAttempt, make_engine, sessions, upgrade

pytestmark = pytest.mark.deux_bases  # several processes on one base: SQLite's single write lock, PostgreSQL's rows

AS_OF = dt.date(2026, 11, 26)
PASSWORD = "mot-de-passe-solide-42"


@pytest.mark.parametrize("name", ["villebelle", "montclair", "rochebrune", "saint-aubin", "belcastel"])
def test_what_the_worker_makes_is_what_the_server_stored_before(name, catalogue):
    report = check_dossier(load(SAMPLES / name).dossier, catalogue, AS_OF, engine="python")
    made = Evaluated.of(report)
    rendered = report_json.render(report)
    assert made.report_json == rendered  # byte-identical: the stored report is the CLI's JSON
    counted = Counter(
        (f["rule"], f["status"]) for f in json.loads(rendered)["findings"] if f.get("status") in GAPS
    )  # how report_index counted them, from the stored JSON
    assert made.gaps == dict(counted)
    assert made.bloquants == sum(
        1 for f in report.findings if f.severity == "bloquant" and f.status in {"non_conforme", "incomplet"}
    )
    assert made.summary == {code: r.verdict for code, r in report.rulesets.items()} and made.summary
    assert (made.insee, made.commune, made.evaluated_on, made.recevable) == (
        report.insee,
        report.commune,
        report.evaluated_on,
        report.recevable,
    )


def test_a_submission_is_answered_by_the_worker_as_what_the_server_stores(catalogue):
    evaluators = Evaluators(catalogue, None, EvaluationSettings(engine="python", workers=1))
    try:
        files = {"dossier.yaml": (SAMPLES / "villebelle" / "dossier.yaml").read_bytes()}
        made = evaluators.evaluate_stored(files, AS_OF)
        direct = evaluators.evaluate(files, AS_OF)
    finally:
        evaluators.stop()
    assert made.report_json == report_json.render(direct)
    assert made.insee == "99101" and made.gaps


@pytest.fixture
def login_sessions(database_url, monkeypatch, request):
    """SQLite and PostgreSQL (one database per module): 8 accounts, agent0… under this test's own prefix."""
    monkeypatch.setenv("ACV_ECHECS_ADRESSE", "1000")
    engine = make_engine(database_url)
    upgrade(engine)
    made = sessions(engine)
    prefix = "c" if "counted" in request.node.name else "s"
    with made() as session:
        for i in range(8):
            accounts.create_user(session, f"{prefix}agent{i}", PASSWORD, "collectivite", commune_insee="99101")
        session.commit()
    yield made, prefix
    engine.dispose()


def test_logins_at_the_same_moment_each_get_their_own_session(login_sessions):
    login_sessions, prefix = login_sessions

    async def together():
        return await asyncio.gather(
            *(logins.log_in(login_sessions, f"{prefix}agent{i}", PASSWORD, "127.0.0.1") for i in range(8))
        )

    opened = asyncio.run(together())
    assert all(o is not None and o.role == "collectivite" for o in opened)
    assert len({o.token for o in opened}) == 8
    with login_sessions() as session:  # every success forgiven: no attempt left to count against anyone
        assert session.query(LoginAttempt).filter(LoginAttempt.login.startswith(prefix)).count() == 0
        assert [accounts.user_of(session, o.token).login for o in opened] == [f"{prefix}agent{i}" for i in range(8)]


def test_wrong_guesses_at_the_same_moment_are_all_counted(login_sessions):
    """Each attempt is written before its password is checked: ten parallel guesses at one account cannot
    all be checked; past the limit (5) they are refused without argon2, and then so is the right password."""
    login_sessions, prefix = login_sessions

    async def guesses():
        return await asyncio.gather(
            *(logins.log_in(login_sessions, f"{prefix}agent0", f"devine-{i}", "127.0.0.1") for i in range(10)),
            return_exceptions=True,
        )

    results = asyncio.run(guesses())
    wrong = [r for r in results if r is None]
    throttled = [r for r in results if isinstance(r, logins.Throttled)]
    assert len(wrong) + len(throttled) == 10 and len(wrong) <= 5 and throttled
    with pytest.raises(logins.Throttled):
        asyncio.run(logins.log_in(login_sessions, f"{prefix}agent0", PASSWORD, "127.0.0.1"))
    assert asyncio.run(logins.log_in(login_sessions, f"{prefix}agent1", PASSWORD, "127.0.0.1")) is not None
