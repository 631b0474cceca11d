"""The stalled rules of actions/rules.py as SQL conditions, for filtering lists in the database."""
import datetime as dt

from sqlalchemy import ColumnElement, and_, exists, func, or_

from tracker.actions.models import OPEN_STATUSES, Action, ActionStatus, Request
from tracker.actions.rules import Thresholds
from tracker.clock import end_of_local_day, start_of_local_day


def is_open() -> ColumnElement[bool]:
    return Action.status.in_(OPEN_STATUSES)


def is_overdue(today: dt.date) -> ColumnElement[bool]:
    return and_(is_open(), Action.deadline < today)


def is_blocked() -> ColumnElement[bool]:
    return Action.status == ActionStatus.BLOCKED


def is_silent(today: dt.date, stale_after_days: int) -> ColumnElement[bool]:
    # Silent when the local date of the last progress is on or before today - N, that is: the timestamp
    # falls before the Stockholm midnight that starts day (today - N + 1).
    limit = start_of_local_day(today - dt.timedelta(days=stale_after_days - 1))
    return and_(is_open(), func.coalesce(Action.last_progress_at, Action.created_at) < limit)


def request_is_open_on(today: dt.date) -> ColumnElement[bool]:
    """rules.is_open_on: asked before the Stockholm midnight that ends today, not answered before it."""
    end = end_of_local_day(today)
    return and_(Request.asked_at < end, or_(Request.answered_at.is_(None), Request.answered_at >= end))


def request_is_stale(today: dt.date, request_stale_days: int) -> ColumnElement[bool]:
    """A request open on today and asked on or before today - N (Stockholm dates), as rules.stale_requests."""
    limit = start_of_local_day(today - dt.timedelta(days=request_stale_days - 1))
    return and_(request_is_open_on(today), Request.asked_at < limit)


def is_waiting(today: dt.date, request_stale_days: int) -> ColumnElement[bool]:
    stale = exists().where(Request.action_id == Action.id, request_is_stale(today, request_stale_days))
    return and_(is_open(), stale)


def is_stalled(today: dt.date, thresholds: Thresholds = Thresholds()) -> ColumnElement[bool]:
    return or_(is_overdue(today), is_blocked(), is_silent(today, thresholds.stale_after_days),
               is_waiting(today, thresholds.request_stale_days))


def is_due_soon(today: dt.date, thresholds: Thresholds = Thresholds()) -> ColumnElement[bool]:
    return and_(is_open(), Action.deadline >= today,
                Action.deadline <= today + dt.timedelta(days=thresholds.due_soon_days))
