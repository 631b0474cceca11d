"""Actions as they stood at the end of a day, rebuilt from the audit trail, so a past month's report is exact.

Every change to an action (and to agreements, organisations and accounts) goes through the audited services;
undoing the changes recorded after the cut-off, newest first, gives each field's value at the cut-off.
"""
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.actions.models import AUDITED_FIELDS, Action, ActionStatus, ProgressUpdate, Request
from tracker.audit.models import AuditEvent
from tracker.clock import end_of_local_day
from tracker.extensions import Model, db


@dataclass
class ActionState:
    """An action's fields at a moment; it is an ActionLike, so the stalled rules read it like an Action."""

    id: int
    agreement_id: int
    created_at: dt.datetime
    title: str
    description: str
    owner_organisation_id: int
    owner_id: int | None
    deadline: dt.date | None
    status: ActionStatus
    progress: int
    blocked_reason: str
    blocked_since: dt.date | None
    owner_lost_on: dt.date | None
    raised_at: dt.datetime | None
    raised_by_id: int | None
    raised_reason: str
    last_progress_at: dt.datetime | None = None
    owner_active: bool = True  # the owner's account was active at the moment (set by actions_as_of)
    extra: dict = field(default_factory=dict)
    # Requests asked by the cut-off; the rules read an answer given after it as not yet given (rules.is_open_on).
    requests: list[Request] = field(default_factory=list)


def column_value(model: type[Model], name: str, value: Any) -> Any:
    """The audit trail's plain (JSON) form of a column's value turned back into the column's Python type."""
    if value is None:
        return None
    kind = model.__table__.c[name].type.python_type
    if issubclass(kind, dt.datetime):
        return dt.datetime.fromisoformat(value)
    if issubclass(kind, dt.date):
        return dt.date.fromisoformat(value)
    return kind(value)


def actions_as_of(agreement_ids: list[int], day: dt.date) -> list[ActionState]:
    """The agreements' actions that existed at the end of `day`, each as it stood then."""
    cutoff = end_of_local_day(day)
    actions = db.session.scalars(select(Action).where(Action.agreement_id.in_(agreement_ids),
                                                      Action.created_at < cutoff)).all()
    if not actions:
        return []
    ids = [a.id for a in actions]
    states = {a.id: ActionState(a.id, a.agreement_id, a.created_at, **{f: getattr(a, f) for f in AUDITED_FIELDS})
              for a in actions}
    undo_later(states, Action.__tablename__, AUDITED_FIELDS, cutoff,
               lambda name, value: column_value(Action, name, value))
    last = db.session.execute(select(ProgressUpdate.action_id, func.max(ProgressUpdate.at))
                              .where(ProgressUpdate.action_id.in_(ids), ProgressUpdate.at < cutoff)
                              .group_by(ProgressUpdate.action_id))
    for action_id, at in last:
        # func.max loses the column type on some backends; normalise to an aware UTC datetime.
        states[action_id].last_progress_at = at if getattr(at, "tzinfo", None) else _as_utc(at)
    for request in db.session.scalars(select(Request).where(Request.action_id.in_(ids), Request.asked_at < cutoff)
                                      .order_by(Request.id)):
        states[request.action_id].requests.append(request)
    _set_owner_active(states, cutoff)
    return list(states.values())


@dataclass
class _Active:
    is_active: bool


def _set_owner_active(states: dict[int, ActionState], cutoff: dt.datetime) -> None:
    """Whether each action's owner (as rebuilt) had an active account at the cut-off (the ownerless rule's fact)."""
    owner_ids = {s.owner_id for s in states.values() if s.owner_id is not None}
    people = {user_id: _Active(active) for user_id, active in db.session.execute(
        select(User.id, User.is_active).where(User.id.in_(owner_ids)))} if owner_ids else {}
    undo_later(people, User.__tablename__, ("is_active",), cutoff, lambda _name, value: bool(value))
    for state in states.values():
        state.owner_active = state.owner_id is not None and people[state.owner_id].is_active


def undo_later(states: dict[int, Any], object_type: str, fields: Iterable[str], cutoff: dt.datetime,
               from_plain: Callable[[str, Any], Any]) -> None:
    """Set the states' fields back to their values at the cut-off by undoing, newest first, the changes the audit
    trail recorded at or after it (states: object id → an object whose attributes are the fields)."""
    if not states:
        return
    fields = set(fields)
    later = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id.in_(list(states)), AuditEvent.at >= cutoff,
        AuditEvent.verb != "create").order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    for event in later:
        if event.object_id is None:  # not possible: the query asks for the states' ids
            continue
        state = states[event.object_id]
        for name, change in (event.changes or {}).items():
            if name in fields and isinstance(change, list) and len(change) == 2:
                setattr(state, name, from_plain(name, change[0]))


def _as_utc(value: str | dt.datetime) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC)
