"""Optimistic locking for services: a stale edit is refused, never silently overwritten."""
import functools

from sqlalchemy.orm.exc import StaleDataError

from tracker.extensions import db


class StaleEdit(Exception):
    """Someone else saved the object after the editor loaded it."""


def check_version(obj, submitted_version: int | None) -> None:
    """Refuse the edit when the form was loaded from an older version of obj."""
    if submitted_version is None or int(submitted_version) != obj.version:
        raise StaleEdit()


def refuses_stale_edits(service):
    """A save that the version column finds stale at any flush inside the service becomes StaleEdit."""
    @functools.wraps(service)
    def guarded(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except StaleDataError as exc:
            db.session.rollback()
            raise StaleEdit() from exc
    return guarded


def flush_or_stale() -> None:
    """Flush now, so a stale save is found inside the service that made it."""
    db.session.flush()
