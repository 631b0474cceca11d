"""Optimistic locking for services, and the one way a view saves an edit: a stale edit is refused, never silently
overwritten, and the input is kept."""
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, Protocol, TypeVar

from flask import flash, redirect
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response
from wtforms import Field

from tracker.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


class StaleEdit(Exception):
    """Someone else saved the object after the editor loaded it."""


def check_version(obj: Versioned, submitted_version: int | None) -> None:
    """Refuse the edit when the form was loaded from an older version of obj."""
    if submitted_version is None or int(submitted_version) != obj.version:
        raise StaleEdit()


def refuses_stale_edits(service: Callable[P, R]) -> Callable[P, R]:
    """The service runs in a savepoint: a save that the version column finds stale at any flush inside it, or any
    refusal it raises, undoes only the service's own changes (as StaleEdit, or the refusal) and leaves the rest of
    the caller's unit of work to the caller, who owns the commit and the rollback."""
    @functools.wraps(service)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with savepoint():
                return service(*args, **kwargs)
        except StaleDataError as exc:
            raise StaleEdit() from exc
    return guarded


@contextmanager
def savepoint() -> Iterator[None]:
    """Undo only what the block did when it raises; everything else stays the caller's to commit or roll back."""
    _begin_on_sqlite()
    with db.session.begin_nested():
        yield


def _begin_on_sqlite() -> None:
    # pysqlite opens no transaction for a SAVEPOINT, and releasing a savepoint outside one commits it: begin one
    # first, so the service's changes stay the caller's to commit or roll back.
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    # A live Connection always holds its DBAPI connection (None only once it has been invalidated or closed).
    assert dbapi_connection is not None
    if not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def flush_or_stale() -> None:
    """Flush now, so a stale save is found inside the service that made it."""
    db.session.flush()


def save_edit(form: FlaskForm, save: Callable[[], object], *, done: str, next_url: str, stale: str | None = None,
              refusals: dict[type[Exception], tuple[Field | None, str]] | None = None) -> Response | None:
    """Run save(); commit, flash done and redirect (303) to next_url. A stale edit, or a refusal named in refusals
    (exception → the field and message to show), rolls back and puts the message on the form: None, re-render."""
    refusals = dict(refusals or {})
    if stale is not None:
        refusals[StaleEdit] = (None, stale)
    try:
        save()
    except tuple(refusals) as exc:
        db.session.rollback()
        field, message = refusals[type(exc)]
        (field.errors if field is not None else form.form_errors).append(message)
        return None
    db.session.commit()
    flash(done, "success")
    return redirect(next_url, 303)
