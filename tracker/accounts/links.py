"""Single-use links sent by e-mail (an invitation, a password reset): issuing, checking and claiming them. Services
flush, never commit.

The link carries a random secret token; the database keeps only its SHA-256 (as for sessions), so a copy of the
table opens nothing. A link works once, until it expires, while its account and organisation are active, and only
while it is the newest of its kind: a newer link, a used one, a new password, a changed e-mail address or a
deactivation ends every older one.
"""
import datetime as dt
import enum
import re
import secrets

from sqlalchemy import ColumnElement, select, update

from tracker.accounts.models import AccountLink, LinkPurpose, User
from tracker.accounts.sessions import TOKEN_BYTES, hash_token
from tracker.extensions import db

# secrets.token_urlsafe(32) gives 43 characters of A-Z a-z 0-9 - _; anything else names no link and is not looked up.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class Refusal(enum.StrEnum):
    """Why a link cannot be used (the page says it in words)."""
    UNKNOWN = "unknown"  # no such link: mistyped, cut short, tampered with, or for an account that cannot sign in
    EXPIRED = "expired"
    USED = "used"  # used, or ended by a newer link or a new password


class Unusable(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def issue(user: User, purpose: LinkPurpose, *, by: User | None, now: dt.datetime,
          valid_for: dt.timedelta) -> tuple[AccountLink, str]:
    """A new link for the user, and its token (for the e-mail only, never stored); older unused links of the same
    purpose stop working."""
    _end(_unused_of(user) & (AccountLink.purpose == purpose), now)
    token = new_token()
    link = AccountLink(user=user, purpose=purpose, token_hash=hash_token(token), created_at=now,
                       created_by_id=by.id if by is not None else None, expires_at=now + valid_for)
    db.session.add(link)
    db.session.flush()
    return link, token


def usable(token: str, purpose: LinkPurpose, *, now: dt.datetime) -> AccountLink:
    """The link this token opens, if it may be used now; else Unusable says why."""
    link = None
    if _TOKEN.match(token or ""):
        link = db.session.scalar(select(AccountLink).where(AccountLink.token_hash == hash_token(token),
                                                           AccountLink.purpose == purpose))
    if link is None or not link.user.is_active or not link.user.organisation.is_active:
        raise Unusable(Refusal.UNKNOWN)
    if link.used_at is not None:
        raise Unusable(Refusal.USED)
    if link.expires_at <= now:
        raise Unusable(Refusal.EXPIRED)
    return link


def claim(link: AccountLink, *, now: dt.datetime) -> None:
    """Mark the link used, once: of two requests sending the same link at the same time, only one gets it."""
    result = db.session.execute(
        update(AccountLink).where(AccountLink.id == link.id, AccountLink.used_at.is_(None),
                                  AccountLink.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session="fetch"))
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult; the stubs say Result
        raise Unusable(Refusal.USED)


def end_links(user: User, *, now: dt.datetime) -> None:
    """Every unused link of the user stops working (a new password, a new address, a deactivation)."""
    _end(_unused_of(user), now)


def newest_invitation(user: User) -> AccountLink | None:
    """The latest invitation sent to the user, used or not."""
    return db.session.scalar(select(AccountLink).where(AccountLink.user_id == user.id,
                                                       AccountLink.purpose == LinkPurpose.INVITATION)
                             .order_by(AccountLink.created_at.desc(), AccountLink.id.desc()).limit(1))


def newest_invitations(user_ids: list[int]) -> dict[int, AccountLink]:
    """{user id: the latest invitation sent to them} for those of user_ids who had one, in one query."""
    if not user_ids:
        return {}
    found: dict[int, AccountLink] = {}
    for link in db.session.scalars(select(AccountLink).where(AccountLink.user_id.in_(user_ids),
                                                             AccountLink.purpose == LinkPurpose.INVITATION)
                                   .order_by(AccountLink.created_at.desc(), AccountLink.id.desc())):
        found.setdefault(link.user_id, link)
    return found


def _unused_of(user: User) -> ColumnElement[bool]:
    return (AccountLink.user_id == user.id) & AccountLink.used_at.is_(None)


def _end(condition: ColumnElement[bool], now: dt.datetime) -> None:
    db.session.execute(update(AccountLink).where(condition).values(used_at=now)
                       .execution_options(synchronize_session="fetch"))
