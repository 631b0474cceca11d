"""Requests between partners: raised in a progress update, answered once by the addressed organisation.
Services flush, never commit; every change is audited."""
import datetime as dt

from tracker.accounts.models import User
from tracker.actions import events
from tracker.actions.models import Action, ProgressUpdate, Request, RequestOutcome
from tracker.audit.services import plain, record
from tracker.clock import utcnow
from tracker.extensions import db

ASKED_FIELDS = ("action_id", "from_organisation_id", "to_organisation_id", "text")
ANSWER_FIELDS = ("answered_at", "answered_by_id", "answer", "outcome")


class NotAParty(Exception):
    """A request must go to another party organisation of the action's agreement."""


class AlreadyAnswered(Exception):
    """Someone at the addressed organisation answered the request first."""


def addressable_parties(action: Action) -> list[tuple[int, str]]:
    """The organisations a request on this action may go to: the agreement's other active parties, by name."""
    return sorted(((o.id, o.name) for o in action.agreement.parties
                   if o.is_active and o.id != action.owner_organisation_id), key=lambda pair: pair[1].lower())


def raise_request(update: ProgressUpdate, action: Action, *, to_organisation_id: int, text: str, by: User,
                  at: dt.datetime | None = None) -> Request:
    """Add a request from the action's owning organisation to another party, as part of a progress update."""
    if to_organisation_id not in {pair[0] for pair in addressable_parties(action)}:
        raise NotAParty()
    request = Request(action=action, update=update, from_organisation_id=action.owner_organisation_id,
                      to_organisation_id=to_organisation_id, text=text, asked_at=at or utcnow(), asked_by_id=by.id)
    db.session.add(request)
    db.session.flush()
    record(by, "create", request, {f: [None, plain(getattr(request, f))] for f in ASKED_FIELDS}, at=request.asked_at)
    events.requested(request, by=by)
    return request


def answer_request(request: Request, *, outcome: RequestOutcome, answer: str, by: User,
                   at: dt.datetime | None = None) -> Request:
    """Answer, accept or decline an open request (once); the text says what was answered or why."""
    if not request.is_open:
        raise AlreadyAnswered()
    request.answered_at, request.answered_by_id = at or utcnow(), by.id
    request.answer, request.outcome = answer, outcome
    db.session.flush()
    record(by, "answer", request, {f: [None, plain(getattr(request, f))] for f in ANSWER_FIELDS},
           at=request.answered_at)
    return request
