"""Report jobs run on every core without Redis (`flask reports generate --all`): a pool of processes, each with an
app and database session of its own, built by the same factory and configuration as the app that asks."""
import importlib
import multiprocessing
import pickle
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask

from tracker.extensions import db
from tracker.reports import background

SQLITE_BUSY_SECONDS = 60  # reports are written one transaction at a time; a writer waits for the other's commit
_app: Flask | None = None  # this pool process's app


def run_all(app: Flask, job_ids: Sequence[int], processes: int, done: Callable[[int], None]) -> None:
    """Run the queued jobs, in this process when one process is asked for (or one job), else in a pool; done(job
    id) is called here as each finishes, in the order they finish."""
    if processes <= 1 or len(job_ids) <= 1:
        for job_id in job_ids:
            background.run(job_id)
            done(job_id)
        return
    # spawn, not fork: a forked child would share the parent's database connections and any lock it held.
    context = multiprocessing.get_context("spawn")
    with context.Pool(min(processes, len(job_ids)), initializer=_start, initargs=(app.import_name, _config(app))) \
            as pool:
        for job_id in pool.imap_unordered(_run, job_ids):
            done(job_id)


def _config(app: Flask) -> dict[str, Any]:
    """The parent's configuration, so a child uses the same database and settings (tests' overrides included);
    SQLite waits for a lock instead of failing, since several processes write."""
    config = {}
    for key, value in app.config.items():
        try:
            pickle.dumps(value)
        except Exception:  # a value that cannot cross to the child is one the report does not need
            continue
        config[key] = value
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {**options.get("connect_args", {}), "timeout": SQLITE_BUSY_SECONDS}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    return config


def _start(import_name: str, config: dict[str, Any]) -> None:
    # The app's own factory, found by the app's import name: the child builds the app the parent runs.
    global _app
    _app = importlib.import_module(import_name).create_app(config)


def _run(job_id: int) -> int:
    assert _app is not None, "the pool's initializer builds the app"
    with _app.app_context():
        try:
            background.run(job_id)
        finally:
            db.session.remove()
    return job_id
