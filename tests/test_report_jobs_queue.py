"""With REDIS_URL set, report jobs go to RQ after the commit that records them and `flask worker` makes them: one RQ
job per report, from the web and from the monthly `reports generate --all`."""
import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select

from tests.factories import make_action, make_agreement, make_organisation, make_user
from tests.redis_server import REDIS, redis_or_skip
from tracker.extensions import db
from tracker.mail.models import OutboxMessage
from tracker.reports.models import JobState, Report, ReportJob

EARLY = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_queue(app, monkeypatch):
    connection = redis_or_skip()
    monkeypatch.setattr("tracker.clock.local_today", lambda: dt.date(2026, 11, 25))
    name = f"samverka-test-reports-{uuid.uuid4().hex}"
    app.config.update(REDIS_URL=REDIS, RQ_QUEUE=name)
    yield name
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def queued_rq_jobs(name: str) -> list:
    from rq import Queue

    return Queue(name, connection=Redis.from_url(REDIS)).jobs


def agreements_with_a_steering_group(count: int) -> list:
    police = make_organisation()
    made = []
    for n in range(count):
        member = make_user(organisation=police)
        agreement = make_agreement(title=f"Avtal {n}", parties=[police], steering_group=[member])
        make_action(agreement=agreement, title=f"Åtgärd {n}", created_at=EARLY)
        made.append(agreement)
    return made


def test_a_portfolio_from_the_web_is_queued_after_the_commit_and_made_by_the_worker(app, client, as_user,
                                                                                  redis_queue):
    first, second = agreements_with_a_steering_group(2)
    asker = make_user(organisation=first.parties[0])
    as_user(asker)
    response = client.post("/reports/", data={"month": "2026-10", "language": "sv",
                                              "agreement_ids": [first.id, second.id]})
    assert response.status_code == 303
    job_id = db.session.scalar(select(ReportJob.id))
    rq_jobs = queued_rq_jobs(redis_queue)
    assert [(j.func_name, j.args, j.timeout) for j in rq_jobs] == [("tracker.reports.background.run", (job_id,),
                                                                     3600)]
    assert db.session.get(ReportJob, job_id).state is JobState.QUEUED  # not made in this process

    result = app.test_cli_runner().invoke(args=["worker", "--burst"])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    job = db.session.get(ReportJob, job_id)
    assert job.state is JobState.DONE and job.report.agreement_id is None
    assert client.get(f"/reports/jobs/{job_id}.json").get_json()["state"] == "done"


def test_the_monthly_run_queues_one_job_per_agreement_and_the_workers_mail_them(app, redis_queue):
    ids = sorted(a.id for a in agreements_with_a_steering_group(3))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "generate", "--month", "2026-10", "--all",
                                                "--today", "2026-11-25", "--no-wait"])
    assert result.exit_code == 0, result.output
    assert "3 reports queued for the workers" in result.output
    assert len(queued_rq_jobs(redis_queue)) == 3 and db.session.scalar(select(func.count(Report.id))) == 0

    assert app.test_cli_runner().invoke(args=["worker", "--burst"]).exit_code == 0

    db.session.expire_all()
    assert sorted(db.session.scalars(select(Report.agreement_id))) == ids
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 3  # each steering group's one member


def test_generate_waits_for_a_real_worker_and_says_how_long_it_took(app, redis_queue):
    agreements_with_a_steering_group(2)
    db.session.commit()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": REDIS,
           "SAMVERKA_RQ_QUEUE": redis_queue, "SAMVERKA_SECRET_KEY": "test-secret-key-" + "x" * 32}
    worker = subprocess.Popen([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "worker"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        began = time.monotonic()
        result = app.test_cli_runner().invoke(args=["reports", "generate", "--month", "2026-10", "--all",
                                                    "--today", "2026-11-25"])
    finally:
        worker.terminate()
        _, log = worker.communicate(timeout=30)
    assert result.exit_code == 0, result.output + log.decode()
    assert "2 reports archived for 2026-10." in result.output and "(on the workers)" in result.output
    assert "2 new messages" in result.output  # mailed by the command once the workers were done, as before
    assert time.monotonic() - began < 120
