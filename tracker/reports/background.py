"""Reports made in the background: a ReportJob is recorded in the asking request's transaction, then run by an RQ
worker (`flask worker`, when REDIS_URL is set) or, without Redis, in the same process once the response has been
sent (the web) or in a process pool (the CLI). A job ends done with its Report or failed with a reason the person
can act on; the technical details go to the log. A job never raises: whatever goes wrong is its failure reason.
"""
import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import update

from tracker import jobs, policy
from tracker.accounts.models import User
from tracker.actions.rules import Thresholds
from tracker.agreements.models import Agreement
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.i18n import babel_locale
from tracker.reports import mailing, services
from tracker.reports.models import JobState, ReportJob
from tracker.reports.period import Month
from tracker.reports.rules import outside_period

log = logging.getLogger(__name__)
RUN = "tracker.reports.background.run"
INLINE_GRACE_SECONDS = 10


class JobFailed(Exception):
    """A job cannot be done, for a reason the person can act on: a code (job_reasons.py) and the names it needs."""

    def __init__(self, code: str, **detail: Any) -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


def ask(agreements: Sequence[Agreement], month: Month, *, language: str, by: User | None, today: dt.date,
        send_mail: bool = False) -> ReportJob:
    """Record a report job for these agreements and month, queued; flushes. Start it with `start` after the
    commit."""
    job = ReportJob(requested_by_id=by.id if by else None, agreement_ids=sorted(a.id for a in agreements),
                    title="; ".join(a.title for a in agreements)[:300], month=str(month), language=language,
                    as_of=today, send_mail=send_mail, state=JobState.QUEUED)
    db.session.add(job)
    db.session.flush()
    return job


def start(job_ids: Sequence[int]) -> bool:
    """After the commit that recorded the jobs: queue each on RQ (one RQ job per report job). False without Redis:
    the caller runs them (run_after_response, or the CLI's pool). A queue that cannot be reached fails the jobs."""
    if not jobs.enabled():
        return False
    try:
        for job_id in job_ids:
            jobs.enqueue(RUN, job_id, job_timeout=current_app.config["REPORT_JOB_TIMEOUT"],
                         description=f"report job {job_id}")
    except Exception:
        log.exception("could not queue report jobs %s on %s", list(job_ids), current_app.config["REDIS_URL"])
        db.session.rollback()
        for job in db.session.scalars(db.select(ReportJob).where(ReportJob.id.in_(job_ids),
                                                                 ReportJob.state == JobState.QUEUED)):
            _fail(job, JobFailed("queue_unreachable"))
        db.session.commit()
    return True


def run_after_response(app: Flask, job_id: int) -> None:
    """Run the job in a fresh app context and database session of its own (Response.call_on_close: the person
    already has the page that follows it)."""
    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()


def run(job_id: int) -> str:
    """Take the job if it is still queued and do it; its outcome in words (the RQ job's result)."""
    taken = db.session.execute(update(ReportJob).where(ReportJob.id == job_id, ReportJob.state == JobState.QUEUED)
                               .values(state=JobState.RUNNING, started_at=utcnow()))
    db.session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return f"report job {job_id} was not queued"
    job = db.session.get_one(ReportJob, job_id)
    try:
        report_id = _make(job)
    except Exception as exc:
        db.session.rollback()
        if not isinstance(exc, JobFailed):
            log.exception("report job %d failed", job_id)
            # For the log and the operator's CLI; the person's page words it without the technical details.
            exc = JobFailed("error", error=f"{type(exc).__name__}: {exc}"[:500])
        job = db.session.get_one(ReportJob, job_id)
        _fail(job, exc)
        db.session.commit()
        return f"report job {job_id} failed: {exc.code}"
    return f"report job {job_id} done: report {report_id}"


def _make(job: ReportJob) -> int:
    """Generate and archive the job's report (and mail it, for the monthly run without --wait) and mark the job
    done, all in one transaction, committed here."""
    month, limits = Month.parse(job.month), Thresholds.from_config(current_app.config)
    agreements = _agreements(job)
    with force_locale(babel_locale(job.language)):
        try:
            report = services.generate(agreements, month, language=job.language, by=job.requested_by,
                                       today=job.as_of, thresholds=limits)
        except services.ReportConflict:
            raise JobFailed("conflict") from None
    if job.send_mail:
        mailing.send_month(agreements[0], month, thresholds=limits)
    job.state, job.report_id, job.finished_at = JobState.DONE, report.id, utcnow()
    db.session.commit()
    return report.id


def _agreements(job: ReportJob) -> list[Agreement]:
    """The job's agreements as they are now, checked again: they still exist, the person may still make the report,
    and the month lies in each one's period."""
    found = {a.id: a for a in db.session.scalars(db.select(Agreement).where(Agreement.id.in_(job.agreement_ids)))}
    missing = [i for i in job.agreement_ids if i not in found]
    if missing:
        raise JobFailed("agreement_gone", ids=missing)
    agreements = [found[i] for i in job.agreement_ids]
    if job.requested_by_id is not None and not may_make(job.requested_by, agreements):
        raise JobFailed("not_allowed")
    outside = outside_period(agreements, Month.parse(job.month), job.as_of)
    if outside:
        raise JobFailed("out_of_period", month=job.month, titles=[a.title for a in outside])
    return agreements


def may_make(user: User | None, agreements: Sequence[Agreement]) -> bool:
    """The permission the request checked, checked again when the job runs: an agreement's report for whoever may
    generate it, a portfolio for whoever may make one and read every agreement in it."""
    if user is None:
        return False
    if len(agreements) == 1:
        return policy.can_generate_report(user, agreements[0])
    return policy.can_generate_portfolio(user) and all(policy.can_read_agreement(user, a) for a in agreements)


def _fail(job: ReportJob, reason: JobFailed) -> None:
    job.state, job.failure, job.failure_detail = JobState.FAILED, reason.code, reason.detail or None
    job.finished_at = utcnow()


def left_waiting(job: ReportJob, now: dt.datetime | None = None) -> bool:
    """Without Redis, a job still queued INLINE_GRACE_SECONDS after it was asked for: the process that was to run
    it after its response ended first (a restart), so whoever looks at it next runs it."""
    return (not jobs.enabled() and job.state is JobState.QUEUED
            and (now or utcnow()) - job.created_at > dt.timedelta(seconds=INLINE_GRACE_SECONDS))


def settle(job: ReportJob, now: dt.datetime | None = None) -> bool:
    """Fail a job whose worker has died (running past REPORT_JOB_TIMEOUT) or that no worker took (queued past
    REPORT_JOB_QUEUED_LIMIT), so it does not show "running" forever; True when it changed it. Flushes."""
    now = now or utcnow()
    config = current_app.config
    if job.state is JobState.RUNNING and job.started_at is not None and \
            now - job.started_at > dt.timedelta(seconds=config["REPORT_JOB_TIMEOUT"]):
        _fail(job, JobFailed("stopped", minutes=config["REPORT_JOB_TIMEOUT"] // 60))
    elif job.state is JobState.QUEUED and \
            now - job.created_at > dt.timedelta(seconds=config["REPORT_JOB_QUEUED_LIMIT"]):
        _fail(job, JobFailed("never_started", hours=config["REPORT_JOB_QUEUED_LIMIT"] // 3600))
    else:
        return False
    db.session.flush()
    return True
