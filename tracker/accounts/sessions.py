"""Server-side sessions, one per sign-in: starting, resuming, listing and ending them. Services flush, never commit.

The cookie carries a random secret token; the database keeps only its SHA-256, so a copy of the table opens no
session. A session is live while it is not revoked, its user and organisation are active and it has been used within
the idle limit (PERMANENT_SESSION_LIFETIME).
"""
import datetime as dt
import hashlib
import secrets
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import contains_eager

from tracker.accounts.models import SessionEnd, User, UserSession
from tracker.audit.services import record
from tracker.extensions import db
from tracker.organisations.models import Organisation

TOKEN_BYTES = 32
# Last seen is written at most this often, not on every request: idle expiry is exact to within a minute.
SEEN_EVERY = dt.timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, user_agent: str, address: str | None, now: dt.datetime) -> UserSession:
    """A new session for a sign-in; its secret token is on `.token` for the cookie, only its hash is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user_session = UserSession(user=user, token_hash=hash_token(token), created_at=now, last_seen_at=now,
                               user_agent=(user_agent or "")[:300], address=address[:64] if address else None)
    user_session.token = token
    db.session.add(user_session)
    db.session.flush()
    return user_session


def session_by_token(token: Any) -> UserSession | None:
    """The unrevoked session this token opens, if its user and organisation are active; the user comes with it."""
    if not isinstance(token, str) or not token:
        return None
    user_session = db.session.scalar(
        select(UserSession).join(UserSession.user).join(User.organisation)
        .where(UserSession.token_hash == hash_token(token), UserSession.revoked_at.is_(None),
               User.is_active.is_(True), Organisation.is_active.is_(True))
        .options(contains_eager(UserSession.user).contains_eager(User.organisation)))
    if user_session is not None:
        user_session.token = token
    return user_session


def idle_cutoff(now: dt.datetime) -> dt.datetime:
    """Sessions last used before this have ended through idleness: PERMANENT_SESSION_LIFETIME before now."""
    return now - current_app.permanent_session_lifetime


def note_seen(user_session: UserSession, *, now: dt.datetime) -> bool:
    """Record that the session was used; True when that needed a write (at most once a minute)."""
    if now - user_session.last_seen_at < SEEN_EVERY:
        return False
    user_session.last_seen_at = now
    db.session.flush()
    return True


def end_session(user_session: UserSession, reason: SessionEnd, *, now: dt.datetime) -> None:
    """Revoke one session: its token opens nothing from now on."""
    if user_session.revoked_at is None:
        user_session.revoked_at = now
        user_session.revoked_reason = reason
        db.session.flush()


def end_user_sessions(user: User, reason: SessionEnd, *, now: dt.datetime, keep: UserSession | None = None) -> int:
    """Revoke every session of the user but `keep`; returns how many were still open."""
    query = UserSession.user_id == user.id
    if keep is not None:
        query = query & (UserSession.id != keep.id)
    return _revoke(query, reason, now)


def end_organisation_sessions(organisation: Organisation, reason: SessionEnd, *, now: dt.datetime) -> int:
    """Revoke every session of the organisation's members; returns how many were still open."""
    members = select(User.id).where(User.organisation_id == organisation.id).scalar_subquery()
    return _revoke(UserSession.user_id.in_(members), reason, now)


def sign_out(user_session: UserSession, *, now: dt.datetime) -> None:
    """End the session its user signs out of. Audited."""
    end_session(user_session, SessionEnd.SIGNED_OUT, now=now)
    record(user_session.user, "sign_out", user_session.user, {"session": user_session.id})


def end_one_session(user_session: UserSession, *, by: User, now: dt.datetime) -> None:
    """End one session from elsewhere (the password page). Audited on the session's user."""
    end_session(user_session, SessionEnd.ENDED_BY_USER, now=now)
    record(by, "end_session", user_session.user, {"session": user_session.id})


def end_all_sessions(user: User, *, by: User, now: dt.datetime, keep: UserSession | None = None) -> int:
    """End every session of the user but `keep`, by the user themself or an administrator; returns how many were
    live. Audited with that count."""
    _revoke((UserSession.user_id == user.id) & (UserSession.last_seen_at < idle_cutoff(now)), SessionEnd.IDLE, now)
    reason = SessionEnd.ENDED_BY_USER if by.id == user.id else SessionEnd.ENDED_BY_ADMIN
    ended = end_user_sessions(user, reason, now=now, keep=keep)
    record(by, "end_all_sessions", user, {"sessions": ended})
    return ended


def _revoke(condition: ColumnElement[bool], reason: SessionEnd, now: dt.datetime) -> int:
    result = db.session.execute(
        update(UserSession).where(condition, UserSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason).execution_options(synchronize_session="fetch"))
    return result.rowcount  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult; the stubs say Result


def is_live(user_session: UserSession, *, now: dt.datetime) -> bool:
    """Not revoked and used within the idle limit."""
    return user_session.revoked_at is None and user_session.last_seen_at >= idle_cutoff(now)


def _live(user: User, now: dt.datetime) -> ColumnElement[bool]:
    return ((UserSession.user_id == user.id) & UserSession.revoked_at.is_(None)
            & (UserSession.last_seen_at >= idle_cutoff(now)))


def live_sessions(user: User, *, now: dt.datetime) -> list[UserSession]:
    """The user's open sessions, not idle, the most recently used first."""
    return list(db.session.scalars(select(UserSession).where(_live(user, now))
                                   .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def count_live_sessions(user: User, *, now: dt.datetime) -> int:
    """How many open sessions, not idle, the user has."""
    return db.session.execute(select(func.count(UserSession.id)).where(_live(user, now))).scalar_one()
