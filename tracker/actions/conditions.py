"""The stalled rules of actions/rules.py as SQL conditions, for filtering lists in the database."""
import datetime as dt

from sqlalchemy import ColumnElement, and_, func, or_

from tracker.actions.models import OPEN_STATUSES, Action, ActionStatus
from tracker.actions.rules import Thresholds
from tracker.clock import start_of_local_day


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


def is_stalled(today: dt.date, thresholds: Thresholds = Thresholds()) -> ColumnElement[bool]:
    return or_(is_overdue(today), is_blocked(), is_silent(today, thresholds.stale_after_days))


def is_due_soon(today: dt.date, thresholds: Thresholds = Thresholds()) -> ColumnElement[bool]:
    return and_(is_open(), Action.deadline >= today,
                Action.deadline <= today + dt.timedelta(days=thresholds.due_soon_days))
