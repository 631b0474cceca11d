"""The stalled rules of actions/rules.py as SQL conditions, for filtering lists in the database."""
import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select

from tracker.accounts.models import User
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


def is_ownerless() -> ColumnElement[bool]:
    """Open, and no named owner or one whose account is deactivated."""
    deactivated = select(User.id).where(User.is_active.is_(False))
    return and_(is_open(), or_(Action.owner_id.is_(None), Action.owner_id.in_(deactivated)))


def is_stalled(today: dt.date, thresholds: Thresholds = Thresholds()) -> ColumnElement[bool]:
    return or_(is_overdue(today), is_blocked(), is_silent(today, thresholds.stale_after_days),
               is_waiting(today, thresholds.request_stale_days), is_ownerless())


# The escalation ladder (actions/escalation.py). "Stalled for at least N days" is "stalled by a reason that still
# holds, as of today - N": each reason's start day is on or before today - N.

def _since_on_or_before(recorded: Any, day: dt.date) -> ColumnElement[bool]:
    """The recorded day is on or before `day`; unrecorded (older data), the last progress's local date is."""
    last = func.coalesce(Action.last_progress_at, Action.created_at)
    return or_(recorded <= day, and_(recorded.is_(None), last < start_of_local_day(day + dt.timedelta(days=1))))


def stalled_for_at_least(days: int, today: dt.date, thresholds: Thresholds = Thresholds()) -> ColumnElement[bool]:
    day = today - dt.timedelta(days=days)
    return or_(is_overdue(day), is_silent(day, thresholds.stale_after_days),
               _waiting_since(day, today, thresholds.request_stale_days),
               and_(is_open(), is_blocked(), _since_on_or_before(Action.blocked_since, day)),
               and_(is_ownerless(), _since_on_or_before(Action.owner_lost_on, day)))


def _waiting_since(day: dt.date, today: dt.date, request_stale_days: int) -> ColumnElement[bool]:
    """Waits on a request that was already stale on `day` and is still open today."""
    stale = exists().where(Request.action_id == Action.id, request_is_stale(day, request_stale_days),
                           request_is_open_on(today))
    return and_(is_open(), stale)


def is_raised() -> ColumnElement[bool]:
    """Raised to the steering group by hand, and still open."""
    return and_(is_open(), Action.raised_at.is_not(None))


def at_least_level(level: int, today: dt.date, thresholds: Thresholds = Thresholds(),
                   overrides: Mapping[int, Thresholds] | None = None) -> ColumnElement[bool]:
    """On the escalation ladder at `level` (1-3) or above; overrides: {agreement id: its own thresholds}."""
    def reached(limits: Thresholds) -> ColumnElement[bool]:
        if level <= 1:
            return or_(is_raised(), is_stalled(today, limits))
        days = limits.escalate_level3_days if level >= 3 else limits.escalate_level2_days
        return or_(is_raised(), stalled_for_at_least(days, today, limits))  # a raised action is at level 3

    overrides = overrides or {}
    groups: dict[Thresholds, list[int]] = {}
    for agreement_id, limits in overrides.items():
        groups.setdefault(limits, []).append(agreement_id)
    parts = [and_(Action.agreement_id.not_in(list(overrides)) if overrides else literal(True), reached(thresholds))]
    parts += [and_(Action.agreement_id.in_(ids), reached(limits)) for limits, ids in groups.items()]
    return or_(*parts)


def escalation_level(today: dt.date, thresholds: Thresholds = Thresholds(),
                     overrides: Mapping[int, Thresholds] | None = None) -> ColumnElement[int]:
    """The escalation level (0-3) as a SQL expression, the twin of escalation.escalation(...).level."""
    return case((at_least_level(3, today, thresholds, overrides), 3),
                (at_least_level(2, today, thresholds, overrides), 2),
                (at_least_level(1, today, thresholds, overrides), 1), else_=0)


def is_due_soon(today: dt.date, thresholds: Thresholds = Thresholds()) -> ColumnElement[bool]:
    return and_(is_open(), Action.deadline >= today,
                Action.deadline <= today + dt.timedelta(days=thresholds.due_soon_days))
