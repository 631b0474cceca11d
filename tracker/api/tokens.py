"""Personal API keys: making, finding and revoking them. Services flush, never commit; every change is audited.

The secret is shown once, when the key is made; the database keeps only its SHA-256 (as for sessions), so a copy
of the table opens nothing. A key opens the API while it is unrevoked and unexpired and its person and their
organisation are active: deactivating either stops every key of theirs at once.
"""
import datetime as dt
import secrets

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, joinedload

from tracker import policy
from tracker.accounts.models import User
from tracker.accounts.sessions import hash_token
from tracker.api.models import ApiToken, TokenScope
from tracker.audit.services import plain, record
from tracker.extensions import db
from tracker.organisations.models import Organisation

PREFIX = "smv_"  # recognisable in a leaked file or log, as "Samverka API key"
SHOWN_PREFIX = 8  # characters of the secret after PREFIX kept for the list, so a person tells keys apart
SECRET_BYTES = 32
MAX_DAYS = 365
SEEN_EVERY = dt.timedelta(minutes=1)  # last use is written at most this often
CREATED_FIELDS = ("user_id", "name", "scope", "expires_on")


class NotAllowed(Exception):
    """The scope or the expiry is not one this person may have."""


def latest_expiry(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=MAX_DAYS)


def create_token(person: User, *, name: str, scope: TokenScope, expires_on: dt.date, by: User,
                 today: dt.date) -> tuple[ApiToken, str]:
    """A new key for person and its secret (returned once, never stored). Expires from today up to MAX_DAYS on."""
    if scope is TokenScope.WRITE and not policy.can_hold_write_token(person):
        raise NotAllowed()
    if not today <= expires_on <= latest_expiry(today):
        raise NotAllowed()
    secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(user=person, name=name, scope=scope, token_hash=hash_token(secret),
                     prefix=secret[:len(PREFIX) + SHOWN_PREFIX], created_by_id=by.id, expires_on=expires_on)
    db.session.add(token)
    db.session.flush()
    record(by, "create", token, {f: [None, plain(getattr(token, f))] for f in CREATED_FIELDS})
    return token, secret


def revoke_token(token: ApiToken, *, by: User, now: dt.datetime) -> bool:
    """Revoke the key (it opens nothing from now on); False when it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at, token.revoked_by_id = now, by.id
    db.session.flush()
    record(by, "revoke", token, {"revoked_at": [None, plain(now)]})
    return True


def token_by_secret(secret: str, *, today: dt.date) -> ApiToken | None:
    """The usable key this secret opens, its person and organisation active; the person comes with it."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    return db.session.scalar(
        select(ApiToken).join(ApiToken.user).join(User.organisation)
        .where(ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None),
               ApiToken.expires_on >= today, User.is_active.is_(True), Organisation.is_active.is_(True))
        .options(contains_eager(ApiToken.user).contains_eager(User.organisation)))


def note_used(token: ApiToken, *, now: dt.datetime) -> bool:
    """Record that the key was used; True when that needed a write (at most once a minute)."""
    if token.last_used_at is not None and now - token.last_used_at < SEEN_EVERY:
        return False
    token.last_used_at = now
    db.session.flush()
    return True


def tokens_of(person: User) -> list[ApiToken]:
    """The person's keys, usable or not, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == person.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def every_token() -> Select:
    """Every key of every person, unrevoked first, then newest first (the administrators' list)."""
    return (select(ApiToken).options(joinedload(ApiToken.user).joinedload(User.organisation))
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()))
