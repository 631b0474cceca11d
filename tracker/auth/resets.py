"""Asking for a new password by e-mail ("Glömt lösenordet?"). Services flush, never commit.

The answer never tells whether an address belongs to an account: the page is the same for every address, and it is
sent before any work on the address is done (`after_the_answer`), so its timing tells nothing either.
"""
import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from tracker.accounts import links
from tracker.accounts.models import LinkPurpose, User
from tracker.accounts.queries import normalise_email, user_by_email
from tracker.audit.services import record
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.mail.compose import recipient
from tracker.mail.links import absolute_url
from tracker.mail.outbox import queue

TEMPLATE = "auth/mail/password_reset"
SUBJECT = _l("Choose a new password for Samverka")


def hours() -> int:
    return int(current_app.config["PASSWORD_RESET_HOURS"])


def request_reset(email: str, *, address: str | None, now: dt.datetime) -> None:
    """Send a reset link to the active account with this address; nothing for any other address. A reset asked
    for a deactivated account is audited, not sent."""
    user = user_by_email(email)
    if user is not None and user.is_active and user.organisation.is_active:
        _send(user, address=address, now=now)
    elif user is not None:
        record(None, "password_reset_refused", user, {"address": address})


def after_the_answer(email: str, *, address: str | None) -> Callable[[], None]:
    """The reset request as work to run once the answer has been sent (Response.call_on_close), in an app context
    and a transaction of its own; a failure is logged, since nobody is waiting to be told."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app itself, not the proxy
    email = normalise_email(email)

    def work() -> None:
        with app.app_context():
            try:
                request_reset(email, address=address, now=utcnow())
                db.session.commit()
            except SQLAlchemyError:
                db.session.rollback()
                app.logger.exception("could not handle a password reset request")
    return work


def _send(user: User, *, address: str | None, now: dt.datetime) -> None:
    link, token = links.issue(user, LinkPurpose.PASSWORD_RESET, by=None, now=now,
                              valid_for=dt.timedelta(hours=hours()))
    queue(recipient(user), kind="password_reset", dedup_key=f"password-reset:{link.id}", template=TEMPLATE,
          subject=SUBJECT, secret=token, **_context(token, link.expires_at, user.email))
    record(None, "request_password_reset", user, {"address": address})


def _context(token: str, expires_at: dt.datetime, email: str) -> dict[str, Any]:
    return {"link": absolute_url("auth.reset_password", token=token), "expires_at": expires_at, "hours": hours(),
            "email": email, "why": _l("You get this message because someone asked for a new password for this "
                                      "address on Samverka's sign-in page.")}
