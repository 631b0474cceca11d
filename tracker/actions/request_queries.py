"""Read-only selects for requests between partners, and the rows the steering-group agenda and report read.
Lists load what they show in a fixed number of queries; the exported functions are policy-free (callers filter)."""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from tracker import policy
from tracker.accounts.models import User
from tracker.actions import conditions
from tracker.actions.models import Action, Request
from tracker.actions.rules import REQUEST_STALE_DAYS
from tracker.agreements.models import Agreement
from tracker.clock import local_date
from tracker.extensions import db


def with_names(query: Select) -> Select:
    """Load the request's action and agreement (the columns that name them), its organisations and its people in
    the same query; the agreements' parties and steering groups, which the Answer button's policy reads, in one
    more query each."""
    agreement = (joinedload(Request.action)
                 .load_only(Action.id, Action.title, Action.agreement_id, Action.owner_organisation_id,
                            Action.status, Action.version)
                 .joinedload(Action.agreement).load_only(Agreement.id, Agreement.title, Agreement.version))
    return query.options(agreement.selectinload(Agreement.parties),
                         agreement.selectinload(Agreement.steering_group),
                         joinedload(Request.from_organisation), joinedload(Request.to_organisation),
                         joinedload(Request.asked_by), joinedload(Request.answered_by))


def waiting_on(user: User, organisation_id: int) -> Select:
    """Requests still open to the organisation, on actions the user may see, oldest first ("väntar på oss")."""
    query = (select(Request).join(Request.action).join(Action.agreement)
             .where(policy.visible_agreements(user), Request.to_organisation_id == organisation_id,
                    Request.answered_at.is_(None))
             .order_by(Request.asked_at, Request.id))
    return with_names(query)


def open_requests_of(agreement_id: int) -> list[Request]:
    """The agreement's open requests, oldest first."""
    query = (select(Request).join(Request.action).where(Action.agreement_id == agreement_id,
                                                        Request.answered_at.is_(None))
             .order_by(Request.asked_at, Request.id))
    return list(db.session.scalars(with_names(query)).unique())


def requests_of(action_id: int) -> list[Request]:
    """Every request raised on the action, newest first, answered or not."""
    query = select(Request).where(Request.action_id == action_id).order_by(Request.asked_at.desc(), Request.id.desc())
    return list(db.session.scalars(with_names(query)).unique())


@dataclass(frozen=True)
class RequestRow:
    """A request as the steering-group agenda and the report show it."""

    request_id: int
    action_id: int
    action_title: str
    agreement_id: int
    from_organisation_id: int
    from_organisation: str
    to_organisation_id: int
    to_organisation: str
    asked_on: dt.date
    text: str
    days_open: int


def _rows(query: Select, as_of: dt.date) -> list[RequestRow]:
    rows = db.session.scalars(with_names(query.order_by(Request.asked_at, Request.id))).unique()
    return [RequestRow(r.id, r.action_id, r.action.title, r.action.agreement_id, r.from_organisation_id,
                       r.from_organisation.name, r.to_organisation_id, r.to_organisation.name,
                       local_date(r.asked_at), r.text, (as_of - local_date(r.asked_at)).days) for r in rows]


def stale_requests(agreement_ids: list[int], as_of: dt.date,
                   request_stale_days: int = REQUEST_STALE_DAYS) -> list[RequestRow]:
    """The requests on the agreements' open actions that were open and stale on as_of (the WAITING rule's
    requests), oldest first. One query; names as they are now."""
    query = (select(Request).join(Request.action)
             .where(Action.agreement_id.in_(agreement_ids), conditions.is_open(),
                    conditions.request_is_stale(as_of, request_stale_days)))
    return _rows(query, as_of)


def open_requests_to(organisation_id: int, as_of: dt.date) -> list[RequestRow]:
    """The requests addressed to the organisation that were open on as_of, oldest first (one query)."""
    query = select(Request).where(Request.to_organisation_id == organisation_id,
                                  conditions.request_is_open_on(as_of))
    return _rows(query, as_of)
