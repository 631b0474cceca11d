"""Optimistic locking for services, and the one way a view saves an edit: a stale edit is refused, never silently
overwritten, and the input is kept."""
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ParamSpec, Protocol, TypeVar

from flask import flash, redirect
from flask_babel import format_date
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


@dataclass(frozen=True)
class Difference:
    """One field where what is saved now (theirs) differs from what the editor sent (yours), as shown."""
    label: str
    theirs: str
    yours: str


def differences(form: FlaskForm, saved: object) -> list[Difference]:
    """The form's fields, in form order, whose submitted value differs from the same attribute of saved."""
    return [Difference(str(field.label.text), _shown(field, getattr(saved, field.name)), _shown(field, field.data))
            for field in form if field.name != "version" and hasattr(saved, field.name)
            and _same(getattr(saved, field.name)) != _same(field.data)]


def _same(value: object) -> object:
    return "" if value is None else value


def _shown(field: Field, value: object) -> str:
    if value is None or value == "":
        return "–"
    for choice in getattr(field, "choices", None) or []:
        if isinstance(choice, tuple) and choice[0] == value:
            return str(choice[1])
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def save_edit(form: FlaskForm, save: Callable[[], object], *, done: str, next_url: str, stale: str | None = None,
              refusals: dict[type[Exception], tuple[Field | None, str]] | None = None,
              saved: Versioned | None = None) -> Response | None:
    """Run save(); commit, flash done and redirect (303) to next_url. A stale edit, or a refusal named in refusals
    (exception → the field and message to show), rolls back and puts the message on the form: None, re-render.
    Given the object being edited (saved), a stale edit also lists what differs from what is saved now, and the
    form takes the current version, so saving again after that look is deliberate."""
    refusals = dict(refusals or {})
    if stale is not None:
        refusals[StaleEdit] = (None, stale)
    try:
        save()
    except tuple(refusals) as exc:
        db.session.rollback()
        field, message = refusals[type(exc)]
        (field.errors if field is not None else form.form_errors).append(message)
        if isinstance(exc, StaleEdit) and saved is not None:
            form.stale_differences = differences(form, saved)
            form.version.data = saved.version
        return None
    db.session.commit()
    flash(done, "success")
    return redirect(next_url, 303)
