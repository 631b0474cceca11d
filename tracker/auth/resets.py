"""Asking for a new password by e-mail ("Glömt lösenordet?"). Services flush, never commit.

The answer never tells whether an address belongs to an account: the page is the same, and so is the work behind it
(the message is written either way; it is queued, with a new link, only for an active account).
"""
import datetime as dt
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from tracker.accounts import links
from tracker.accounts.models import LinkPurpose, User
from tracker.accounts.queries import normalise_email, user_by_email
from tracker.audit.services import record
from tracker.mail.compose import Recipient, recipient, write
from tracker.mail.links import absolute_url
from tracker.mail.outbox import queue

TEMPLATE = "auth/mail/password_reset"
SUBJECT = _l("Choose a new password for Samverka")


def hours() -> int:
    return int(current_app.config["PASSWORD_RESET_HOURS"])


def request_reset(email: str, *, address: str | None, now: dt.datetime) -> None:
    """Send a reset link to the active account with this address; for any other address, do the same work and send
    nothing. A reset asked for a deactivated account is audited, not sent."""
    user = user_by_email(email)
    if user is not None and user.is_active and user.organisation.is_active:
        _send(user, address=address, now=now)
        return
    nobody = Recipient(address=normalise_email(email), name="", language=current_app.config["BABEL_DEFAULT_LOCALE"])
    write(nobody, TEMPLATE, SUBJECT, **_context(links.new_token(), now + dt.timedelta(hours=hours()), nobody.address))
    if user is not None:
        record(None, "password_reset_refused", user, {"address": address})


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
