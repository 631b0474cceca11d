"""Creating and changing user accounts. Accounts are deactivated, never deleted. Services flush, never commit."""
import datetime as dt
from typing import Any

from sqlalchemy import func, select

from tracker.accounts import links
from tracker.accounts.models import AccountLink, LinkPurpose, Role, SessionEnd, User, UserSession
from tracker.accounts.passwords import hash_password
from tracker.accounts.queries import email_taken, normalise_email
from tracker.accounts.sessions import end_organisation_sessions, end_user_sessions
from tracker.audit.services import apply_changes, plain, record
from tracker.clock import utcnow
from tracker.editing import check_version, flush_or_stale, refuses_stale_edits
from tracker.extensions import db
from tracker.organisations.models import Organisation

FIELDS = ("email", "name", "organisation_id", "role", "language")


class EmailTaken(Exception):
    """Another account already uses this e-mail address (compared case-insensitively)."""


class LastAdmin(Exception):
    """The change would leave no active administrator."""


def create_user(data: dict[str, Any], *, by: User | None, password: str | None, temporary: bool = True) -> User:
    """A new active account; its first password is temporary unless said otherwise. Without a password (an
    invitation) no one can sign in to it until its person chooses one through the invitation's link."""
    values: dict[str, Any] = {f: data.get(f) for f in FIELDS}
    values["email"] = normalise_email(values["email"])
    if email_taken(values["email"]):
        raise EmailTaken()
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    record(by, "create", user, {f: [None, plain(v)] for f, v in values.items()})
    if password is not None:
        set_password(user, password, by=by or user, temporary=temporary)
    return user


@refuses_stale_edits
def update_user(user: User, data: dict[str, Any], *, by: User, version: int | None) -> dict[str, list[Any]]:
    """Apply the form's changes; refuse a stale edit. A role or organisation change ends the user's sessions."""
    check_version(user, version)
    values: dict[str, Any] = {f: data.get(f) for f in FIELDS}
    values["email"] = normalise_email(values["email"])
    if email_taken(values["email"], except_id=user.id):
        raise EmailTaken()
    if values["role"] is not Role.ADMIN and is_last_active_admin(user):
        raise LastAdmin()
    changes = apply_changes(user, values)
    if changes:
        if "role" in changes or "organisation_id" in changes:
            end_user_sessions(user, SessionEnd.ACCOUNT_CHANGED, now=utcnow())
        if "email" in changes:  # a link sent to the old address must not open the account any more
            links.end_links(user, now=utcnow())
        record(by, "update", user, changes)
        flush_or_stale()
    return changes


@refuses_stale_edits
def set_user_active(user: User, active: bool, *, by: User, version: int | None) -> None:
    """Deactivate (ending every session) or reactivate an account; its history stays attributed."""
    check_version(user, version)
    if user.is_active == active:
        return
    if not active and is_last_active_admin(user):
        raise LastAdmin()
    user.is_active = active
    if not active:
        end_user_sessions(user, SessionEnd.DEACTIVATED, now=utcnow())
        links.end_links(user, now=utcnow())
    record(by, "reactivate" if active else "deactivate", user, {"is_active": [not active, active]})
    flush_or_stale()


def is_last_active_admin(user: User) -> bool:
    """True for the only administrator who can sign in: taking that role or account away would lock everyone out."""
    return user.role is Role.ADMIN and active_admins_outside(user_id=user.id) == 0


def active_admins_outside(*, user_id: int | None = None, organisation_id: int | None = None) -> int:
    """How many administrators who can sign in (active, in an active organisation) there are, not counting
    the given user or the given organisation's members."""
    query = select(func.count(User.id)).join(User.organisation).where(
        User.role == Role.ADMIN, User.is_active.is_(True), Organisation.is_active.is_(True))
    if user_id is not None:
        query = query.where(User.id != user_id)
    if organisation_id is not None:
        query = query.where(User.organisation_id != organisation_id)
    return db.session.execute(query).scalar_one()


def set_password(user: User, password: str, *, by: User, temporary: bool, keep: UserSession | None = None,
                 verb: str | None = None) -> None:
    """Store a new password, end every session of the user but `keep` (the one that changed its own password) and
    every link sent by e-mail. A temporary password must be changed at the next sign-in. Audited (as `verb`)."""
    user.password_hash = hash_password(password)
    user.must_change_password = temporary
    now = utcnow()
    end_user_sessions(user, SessionEnd.TEMPORARY_PASSWORD if temporary else SessionEnd.PASSWORD_CHANGED,
                      now=now, keep=keep)
    links.end_links(user, now=now)
    record(by, verb or ("set_temporary_password" if temporary else "change_password"), user)
    db.session.flush()


def choose_password(link: AccountLink, password: str, *, now: dt.datetime) -> User:
    """The person behind an invitation or reset link chooses their password: the link is used up, every session
    of theirs ends (a reset is often because someone else got in) and a temporary password no longer applies."""
    links.claim(link, now=now)
    user = link.user
    verb = "accept_invitation" if link.purpose is LinkPurpose.INVITATION else "reset_password"
    set_password(user, password, by=user, temporary=False, verb=verb)
    return user


@refuses_stale_edits
def set_organisation_active(organisation: Organisation, active: bool, *, by: User, version: int | None) -> None:
    """Deactivating keeps the organisation's agreements, actions and accounts as history, and ends its members'
    sessions."""
    check_version(organisation, version)
    if organisation.is_active == active:
        return
    if not active and active_admins_outside(organisation_id=organisation.id) == 0:
        raise LastAdmin()  # its members could no longer sign in, and no one else could administer
    organisation.is_active = active
    if not active:
        end_organisation_sessions(organisation, SessionEnd.ORGANISATION_DEACTIVATED, now=utcnow())
    record(by, "reactivate" if active else "deactivate", organisation, {"is_active": [not active, active]})
    flush_or_stale()
