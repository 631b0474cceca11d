"""Calendar tokens: issuing, replacing, ending and looking them up. Services flush, never commit; every change is
audited on the person whose calendar it opens.

The feed's address carries a random secret token; the database keeps only its SHA-256 (as for sessions and
e-mailed links). A person has at most one token: a new one replaces the old, whose addresses stop working at once.
A token opens nothing while its person or their organisation is deactivated.
"""
import datetime as dt
import re
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from tracker.accounts.links import new_token
from tracker.accounts.models import User
from tracker.accounts.sessions import hash_token
from tracker.audit.services import record
from tracker.calendars.models import CalendarToken
from tracker.editing import savepoint
from tracker.extensions import db
from tracker.organisations.models import Organisation

# secrets.token_urlsafe(32) gives 43 characters of A-Z a-z 0-9 - _; anything else names no token and is not
# looked up (a tampered, cut or padded address).
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def token_of(person: User) -> CalendarToken | None:
    """The person's calendar token, if they have one."""
    return db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == person.id))


def issue(person: User, *, by: User, now: dt.datetime) -> str:
    """A new secret token for the person's calendar links, replacing any earlier one (whose addresses stop working
    at once). Returns the token: it is shown once and never stored."""
    token = new_token()
    existing = token_of(person)
    if existing is None:
        try:
            with savepoint():
                db.session.add(CalendarToken(user_id=person.id, token_hash=hash_token(token), created_at=now))
                db.session.flush()
        except IntegrityError:  # the same person's other request created one meanwhile: replace that one
            existing = token_of(person)
            assert existing is not None
    if existing is not None:
        existing.token_hash, existing.created_at = hash_token(token), now
        db.session.flush()
    record(by, "regenerate_calendar_token" if existing else "create_calendar_token", person)
    return token


def end(person: User, *, by: User) -> bool:
    """End the person's calendar token (by themself or an administrator): its addresses stop working at once.
    False when there was none."""
    result = db.session.execute(delete(CalendarToken).where(CalendarToken.user_id == person.id)
                                .execution_options(synchronize_session="fetch"))
    if result.rowcount != 1:  # type: ignore[attr-defined]  # a DELETE gives a CursorResult; the stubs say Result
        return False  # none, or another request ended it first
    record(by, "end_calendar_token", person)
    return True


def owner_of(token: Any) -> User | None:
    """The active person, at an active organisation, whose calendar this token opens; else None."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    return db.session.scalar(
        select(User).join(CalendarToken, CalendarToken.user_id == User.id).join(User.organisation)
        .where(CalendarToken.token_hash == hash_token(token), User.is_active.is_(True),
               Organisation.is_active.is_(True))
        .options(contains_eager(User.organisation)))
