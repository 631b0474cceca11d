"""Signing in and changing passwords. Services flush, never commit."""
from tracker.accounts.models import User, UserSession
from tracker.accounts.passwords import hash_password, needs_rehash, verify_password
from tracker.accounts.queries import user_by_email
from tracker.accounts.services import set_password
from tracker.audit.services import record, record_event
from tracker.clock import utcnow
from tracker.extensions import db


class WrongPassword(Exception):
    """The current password given does not match."""


def authenticate(email: str, password: str, *, address: str | None = None) -> User | None:
    """The active user with this e-mail and password, else None (and the same cost either way). Audited."""
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active or not user.organisation.is_active:
        _record_attempt("sign_in_failed", email, user, address)
        return None
    record(user, "sign_in", user, {"address": address})
    user.last_login_at = utcnow()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return user


def _record_attempt(verb: str, email: str, user: User | None, address: str | None) -> None:
    changes = {"email": email.strip()[:254], "address": address}
    record_event(None, verb, User.__tablename__, user.id if user else None, changes)


def record_sign_in_refused(email: str, *, address: str | None) -> None:
    """A sign-in attempt refused by the lockout, whatever the password."""
    _record_attempt("sign_in_locked", email, user_by_email(email), address)


def change_own_password(user: User, current: str, new: str, *, keep: UserSession | None) -> None:
    """A person's new password; the session they changed it in stays signed in, every other one ends."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword()
    set_password(user, new, by=user, temporary=False, keep=keep)
