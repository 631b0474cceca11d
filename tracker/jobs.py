"""Background jobs: on RQ workers (`flask worker`) when REDIS_URL is set; without it, nothing is queued here and
the CLI and cron do the same work inline, so the embedded default needs nothing else.

Work that a change makes due (a message to send) is asked for with `after_commit`: the job is queued only once the
change is committed, so a worker never looks for a message that is not there yet.
"""
import logging
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.extensions import db

log = logging.getLogger(__name__)
_PENDING = "jobs_after_commit"


def enabled() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def job_queue() -> Any:
    """The RQ queue of this app (REDIS_URL, RQ_QUEUE)."""
    from redis import Redis
    from rq import Queue

    return Queue(current_app.config["RQ_QUEUE"], connection=Redis.from_url(current_app.config["REDIS_URL"]))


def enqueue(function: str, *args: Any, **kwargs: Any) -> str | None:
    """Queue `function` (a dotted path) for a worker; its job id, or None without Redis."""
    if not enabled():
        return None
    job = job_queue().enqueue(function, *args, **kwargs)
    return str(job.id)


def after_commit(function: str) -> None:
    """Queue `function` (no arguments) for a worker once the current transaction commits; once per commit."""
    db.session.info.setdefault(_PENDING, set()).add(function)


@event.listens_for(Session, "after_commit")
def _queue_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the change is not committed yet
        return
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    try:
        for function in sorted(pending):
            enqueue(function)
    except Exception:  # Redis down: the work is in the database; the next worker job or cron run finds it
        log.warning("could not queue %s on %s", sorted(pending), current_app.config.get("REDIS_URL"), exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    if not session.in_nested_transaction():  # the whole transaction, not a savepoint inside it
        session.info.pop(_PENDING, None)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run background jobs from Redis (REDIS_URL) in this process until stopped."""
    from rq import SimpleWorker

    if not enabled():
        raise click.ClickException("REDIS_URL is not set: there is no job queue (run `flask mail send` from cron)")
    queue = job_queue()

    class AppWorker(SimpleWorker):
        # Jobs run in this process and its app context; each job's database session ends with it.
        def perform_job(self, *args: Any, **kwargs: Any) -> bool:
            try:
                return bool(super().perform_job(*args, **kwargs))
            finally:
                db.session.remove()

    AppWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=False)


def init_app(app: Flask) -> None:
    app.cli.add_command(worker)
