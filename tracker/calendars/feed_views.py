"""The calendar feeds: public addresses (no sign-in; the secret token in the address is the key), answered with
text/calendar, never cached, setting no cookie. An unknown, ended, tampered or malformed token, a deactivated
person, and an agreement the person may no longer read all get the same plain 404."""
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import force_locale
from flask_limiter.util import get_remote_address
from sqlalchemy import Select
from werkzeug.exceptions import HTTPException

from tracker import policy
from tracker.accounts.models import User
from tracker.accounts.sessions import hash_token
from tracker.agreements.models import Agreement
from tracker.calendars import ics, queries, tokens
from tracker.calendars.entries import entries
from tracker.clock import request_today, utcnow
from tracker.extensions import limiter
from tracker.i18n import babel_locale
from tracker.loading import load_or_404
from tracker.mail.compose import recipient

P = ParamSpec("P")
R = TypeVar("R")
bp = Blueprint("calendar_feeds", __name__)
HEADERS = {"Cache-Control": "no-store, private", "X-Robots-Tag": "noindex",
           "Content-Disposition": 'inline; filename="samverka.ics"'}


def _per_token() -> str:
    """Each address is limited on its own: one client fetching too often slows down no one else's calendar."""
    return hash_token((request.view_args or {}).get("token", ""))


def _feed_limit() -> str:
    return current_app.config["CALENDAR_FEED_LIMIT"]


def _miss_limit() -> str:
    return current_app.config["CALENDAR_MISS_LIMIT"]


def _missed(response: Response) -> bool:
    return response.status_code == 404


def limited(view: Callable[P, R]) -> Callable[P, R]:
    """Per token, every fetch of any of its feeds counts; per client address, only fetches that open nothing."""
    view = limiter.shared_limit(_miss_limit, scope="calendar-miss", key_func=get_remote_address,
                                deduct_when=_missed)(view)
    return limiter.shared_limit(_feed_limit, scope="calendar-feed", key_func=_per_token)(view)


@bp.get("/calendar/<token>.ics")
@limited
def personal(token: str) -> Response:
    person = _owner_or_404(token)
    return _feed(person, f"Samverka – {person.name}", queries.personal_actions(person))


@bp.get("/calendar/<token>/agreements/<int:agreement_id>.ics")
@limited
def agreement(token: str, agreement_id: int) -> Response:
    person = _owner_or_404(token)
    found = load_or_404(Agreement, agreement_id)
    if not policy.can_read_agreement(person, found):
        abort(404)  # the same answer as for no such agreement: one the person may not (or no longer) read
    return _feed(person, f"Samverka – {found.title}", queries.agreement_actions(found))


@bp.errorhandler(HTTPException)
def refused(error: HTTPException) -> Response:
    """A calendar app gets a plain answer: no page, no session, no cookie."""
    code = error.code or 500
    headers = {**HEADERS, "Content-Type": "text/plain; charset=utf-8"}
    if code == 429:
        headers["Retry-After"] = "600"
    return Response(f"{code} {error.name}\n", code, headers)


def _owner_or_404(token: str) -> User:
    person = tokens.owner_of(token)
    if person is None:
        abort(404)
    return person


def _feed(person: User, name: str, actions: Select) -> Response:
    loaded, steps, today = queries.load(actions), queries.next_steps(actions), request_today()
    with force_locale(babel_locale(recipient(person).language)):
        body = ics.calendar(name, entries(loaded, steps, today=today), now=utcnow())
    return Response(body, 200, {**HEADERS, "Content-Type": "text/calendar; charset=utf-8"})
