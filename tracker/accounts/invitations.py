"""Inviting a person by e-mail: the account is made without a password, and a single-use link lets its person
choose one. Services flush, never commit; the message is written to the outbox in the same transaction."""
import datetime as dt
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from tracker.accounts import links
from tracker.accounts.models import ROLE_LABELS, AccountLink, LinkPurpose, User
from tracker.accounts.services import create_user
from tracker.audit.services import record
from tracker.mail.compose import recipient
from tracker.mail.links import absolute_url
from tracker.mail.outbox import queue


class AlreadyAccepted(Exception):
    """The account has a password already: there is nothing to invite to."""


class Deactivated(Exception):
    """The account is deactivated (or its organisation is): a link to it would open nothing."""


def valid_for() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["INVITATION_HOURS"])


def invite(data: dict[str, Any], *, by: User, now: dt.datetime) -> User:
    """A new account without a password, and an invitation to it. EmailTaken when the address is in use."""
    user = create_user(data, by=by, password=None)
    send_invitation(user, by=by, now=now)
    return user


def send_invitation(user: User, *, by: User, now: dt.datetime) -> AccountLink:
    """Queue an invitation with a new link; an earlier invitation's link stops working. Audited."""
    if user.password_hash:
        raise AlreadyAccepted()
    if not user.is_active or not user.organisation.is_active:
        raise Deactivated()
    link, token = links.issue(user, LinkPurpose.INVITATION, by=by, now=now, valid_for=valid_for())
    queue(recipient(user), kind="invitation", dedup_key=f"invitation:{link.id}", template="accounts/mail/invitation",
          subject=_l("%(name)s invites you to Samverka", name=by.name), secret=token,
          link=absolute_url("auth.accept_invitation", token=token), expires_at=link.expires_at,
          hours=current_app.config["INVITATION_HOURS"], inviter=by, organisation=user.organisation,
          role=ROLE_LABELS[user.role], email=user.email,
          why=_l("You get this message because %(name)s (%(organisation)s) entered this address when making an "
                 "account for you in Samverka.", name=by.name, organisation=by.organisation.name))
    record(by, "send_invitation", user, {"email": user.email})
    return link


def invitation_state(user: User, *, now: dt.datetime) -> tuple[str, AccountLink] | None:
    """For an account whose person has not chosen a password yet, its newest invitation and whether that is
    "pending", "expired" or "ended" (by a new address or a deactivation); None once they have chosen one, or when
    no invitation was ever sent."""
    link = links.newest_invitation(user) if not user.password_hash else None
    return _state(link, now) if link is not None else None


def invitation_states(people: list[User], *, now: dt.datetime) -> dict[int, tuple[str, AccountLink]]:
    """invitation_state for each of people who has had an invitation, in one query."""
    newest = links.newest_invitations([p.id for p in people if not p.password_hash])
    return {user_id: _state(link, now) for user_id, link in newest.items()}


def _state(link: AccountLink, now: dt.datetime) -> tuple[str, AccountLink]:
    if link.used_at is not None:
        return "ended", link
    return ("pending" if link.expires_at > now else "expired"), link
