"""Reports asked for on the web are made in the background: a job is recorded and the person follows it on its page
(queued, running, done with the download, failed with a reason); the request never renders the PDF."""
import datetime as dt
import re

import pytest
import weasyprint
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user
from tests.test_reports import pdf_text
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.reports import background
from tracker.reports.models import JobState, Report, ReportJob
from tracker.reports.period import Month

TODAY = dt.date(2026, 11, 25)
EARLY = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("tracker.clock.local_today", lambda: TODAY)


@pytest.fixture
def two():
    police = make_organisation(name="Polisen Järva", short_name="Polisen")
    first = make_agreement(title="Trygg skolväg", parties=[police])
    second = make_agreement(title="Trygg närmiljö", parties=[police])
    make_action(agreement=first, title="Föräldramöten", created_at=EARLY)
    make_action(agreement=second, title="Belysning på gångvägen", created_at=EARLY)
    return {"police": police, "first": first, "second": second, "erik": make_user(organisation=police)}


def jobs_count() -> int:
    return db.session.scalar(select(func.count(ReportJob.id)))


def ask(user, agreements, **overrides) -> ReportJob:
    job = background.ask(agreements, Month(2026, 10), language=overrides.pop("language", "sv"), by=user,
                         today=TODAY)
    for name, value in overrides.items():
        setattr(job, name, value)
    db.session.commit()
    return job


def portfolio(two) -> dict:
    return {"month": "2026-10", "language": "en", "agreement_ids": [two["first"].id, two["second"].id]}


# The lifecycle, without Redis: after the response

def test_a_portfolio_is_recorded_as_a_job_and_made_only_after_the_response_is_sent(client, as_user, two):
    as_user(two["erik"])
    response = FlaskClient.open(client, "/reports/", method="POST", data=portfolio(two))  # not closed yet
    assert response.status_code == 303
    job = db.session.scalar(select(ReportJob))
    assert response.location.endswith(f"/reports/jobs/{job.id}")
    assert job.state is JobState.QUEUED and db.session.scalar(select(func.count(Report.id))) == 0

    response.close()  # the server has sent it: now the report is made

    db.session.expire_all()
    assert job.state is JobState.DONE and job.started_at and job.finished_at >= job.started_at
    assert job.report.agreement_ids == sorted([two["first"].id, two["second"].id])
    assert job.report.generated_by_id == two["erik"].id and job.report.language == "en"
    assert "Belysning på gångvägen" in pdf_text(job.report.content)


def test_the_job_page_says_where_the_report_stands_in_a_live_region_in_swedish_and_english(client, as_user, two):
    job = ask(two["erik"], [two["first"], two["second"]])
    as_user(two["erik"])
    page = client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)
    assert 'role="status" aria-live="polite"' in page and "Väntar i kö" in page
    assert f'href="/reports/jobs/{job.id}">Uppdatera</a>' in page
    assert re.search(r"/static/js/report-job\.[0-9a-f]+\.js", page)
    two["erik"].language = "en"
    job.state, job.started_at = JobState.RUNNING, utcnow()
    page = client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)
    assert "Being made" in page and ">Refresh</a>" in page

    background.run(job.id)  # nothing: it is no longer queued
    assert db.session.get(ReportJob, job.id).state is JobState.RUNNING
    job.state = JobState.QUEUED
    db.session.commit()
    background.run(job.id)
    page = client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)
    assert "Ready" in page and f"/reports/{job.report_id}.pdf" in page and "report-job.js" not in page
    status = client.get(f"/reports/jobs/{job.id}.json").get_json()
    assert status["state"] == "done" and status["over"] and f"/reports/{job.report_id}.pdf" in status["html"]


def test_an_agreement_report_from_its_page_is_a_job_too(client, as_user, two):
    as_user(two["erik"])
    response = client.post(f"/agreements/{two['first'].id}/reports", data={"month": "2026-10", "language": "sv"},
                           follow_redirects=True)
    assert response.status_code == 200 and "Klar" in response.get_data(as_text=True)
    job = db.session.scalar(select(ReportJob))
    assert job.agreement_ids == [two["first"].id] and job.report.agreement_id == two["first"].id


def test_the_reports_page_lists_the_persons_own_recent_jobs_only(client, as_user, two):
    own = ask(two["erik"], [two["first"], two["second"]])
    colleague = make_user(organisation=two["police"])
    ask(colleague, [two["first"]], title="Kollegans rapport")
    as_user(two["erik"])
    page = client.get("/reports/").get_data(as_text=True)
    assert f"/reports/jobs/{own.id}" in page and "Kollegans rapport" not in page


# Permissions

def test_only_the_asker_and_administrators_see_a_job(client, as_user, two):
    job = ask(two["erik"], [two["first"]])
    outsider = make_user(organisation=make_organisation())
    as_user(outsider)
    assert client.get(f"/reports/jobs/{job.id}").status_code == 403
    assert client.get(f"/reports/jobs/{job.id}.json").status_code == 403
    colleague = make_user(organisation=two["police"])  # same organisation, but not theirs
    client.post("/logout")
    as_user(colleague)
    assert client.get(f"/reports/jobs/{job.id}").status_code == 403
    client.post("/logout")
    as_user(make_admin())
    assert client.get(f"/reports/jobs/{job.id}").status_code == 200
    assert client.get("/reports/jobs/99999999").status_code == 404
    assert client.get("/reports/jobs/99999999999999999999").status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, two):
    job = ask(two["erik"], [two["first"]])
    response = client.get(f"/reports/jobs/{job.id}")
    assert response.status_code == 302 and "/login" in response.location


# Failures end as "failed" with a reason, never a 500

def test_an_agreement_gone_before_the_job_runs_fails_it_with_a_reason(client, as_user, two):
    lonely = make_agreement(title="Strax borta", parties=[two["police"]])
    job = ask(two["erik"], [two["first"], lonely])
    db.session.delete(lonely)
    db.session.commit()
    background.run(job.id)
    as_user(two["erik"])
    page = client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)
    assert "Misslyckades" in page and f"Ett avtal i rapporten finns inte längre (id {lonely.id})" in page


def test_access_lost_before_the_job_runs_fails_it(client, as_user, two):
    job = ask(two["erik"], [two["first"], two["second"]])
    two["second"].parties.remove(two["police"])
    two["second"].parties.append(make_organisation())
    db.session.commit()
    background.run(job.id)
    assert db.session.get(ReportJob, job.id).failure == "not_allowed"
    assert db.session.scalar(select(func.count(Report.id))) == 0
    as_user(two["erik"])
    assert "Du får inte längre göra den här rapporten" in client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)


def test_a_pdf_that_cannot_be_made_fails_the_job_with_a_sentence_and_the_cause_in_the_log(
        client, as_user, two, monkeypatch, caplog):
    def broken(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    as_user(two["erik"])
    response = client.post("/reports/", data=portfolio(two), follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    job = db.session.scalar(select(ReportJob))
    assert job.state is JobState.FAILED and job.failure == "error"
    assert f"PDF-filen kunde inte göras på grund av ett fel på servern (jobb {job.id})" in page
    assert "No space left" not in page  # the person gets the sentence; the cause is in the log
    assert "No space left on device" in caplog.text and db.session.scalar(select(func.count(Report.id))) == 0


@pytest.mark.parametrize(("state", "age", "reason"), [
    (JobState.RUNNING, dt.timedelta(minutes=61), "stoppades efter 60 minuter"),
    (JobState.QUEUED, dt.timedelta(hours=7), "ingen bakgrundsprocess tog den inom 6 timmar"),
], ids=["worker-died", "never-taken"])
def test_a_job_stuck_past_its_limit_is_failed_when_looked_at(client, as_user, two, state, age, reason):
    long_ago = utcnow() - age
    job = ask(two["erik"], [two["first"]], state=state, started_at=long_ago, created_at=long_ago)
    as_user(two["erik"])
    page = client.get(f"/reports/jobs/{job.id}").get_data(as_text=True)
    assert reason in page and db.session.get(ReportJob, job.id).state is JobState.FAILED


def test_without_redis_a_job_its_process_never_ran_is_run_by_the_next_look_at_it(client, as_user, two):
    fresh = ask(two["erik"], [two["first"]])
    left = ask(two["erik"], [two["second"]], created_at=utcnow() - dt.timedelta(seconds=11))
    as_user(two["erik"])
    assert client.get(f"/reports/jobs/{fresh.id}.json").get_json()["state"] == "queued"  # its own process runs it
    assert client.get(f"/reports/jobs/{left.id}.json").get_json()["state"] == "queued"  # this answer, then run
    db.session.expire_all()
    assert db.session.get(ReportJob, left.id).state is JobState.DONE
    assert db.session.get(ReportJob, fresh.id).state is JobState.QUEUED


def test_a_running_job_within_its_limit_stays_running(client, as_user, two):
    job = ask(two["erik"], [two["first"]], state=JobState.RUNNING, started_at=utcnow() - dt.timedelta(minutes=59))
    as_user(two["erik"])
    assert client.get(f"/reports/jobs/{job.id}.json").get_json()["state"] == "running"


def test_a_queue_that_cannot_be_reached_fails_the_job_and_says_so(app, client, as_user, two):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/3", RQ_QUEUE="samverka-test-unreachable")
    as_user(two["erik"])
    response = client.post("/reports/", data=portfolio(two), follow_redirects=True)
    assert response.status_code == 200
    assert "kunde inte läggas i kön" in response.get_data(as_text=True)
    assert db.session.scalar(select(ReportJob)).failure == "queue_unreachable"


# Bad input: a clear message, no job

@pytest.mark.parametrize("ids", [
    [], ["1"], ["99999"], ["abc", "def"], ["<script>", "1"], ["-1", "0"], [str(2**40), str(2**40 + 1)],
    [str(n) for n in range(1, 5001)],
], ids=["empty", "one", "unknown", "letters", "markup", "negative", "huge-number", "huge-list"])
def test_a_bad_selection_gives_a_message_and_records_no_job(client, as_user, two, ids):
    as_user(two["erik"])
    response = client.post("/reports/", data={"month": "2026-10", "language": "sv", "agreement_ids": ids})
    assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)
    assert jobs_count() == 0


def test_an_agreement_the_person_may_not_read_cannot_be_put_in_a_portfolio(client, as_user, two):
    hidden = make_agreement(title="Hemligt")
    as_user(two["erik"])
    response = client.post("/reports/", data={"month": "2026-10", "language": "sv",
                                              "agreement_ids": [two["first"].id, hidden.id]})
    assert response.status_code == 200 and "Hemligt" not in response.get_data(as_text=True)
    assert jobs_count() == 0
