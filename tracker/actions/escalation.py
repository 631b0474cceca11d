"""The escalation ladder: how long an action has been stalled, and who must act. Pure: no Flask, no database.

Level 1 (the owner) from the day an action stalls, level 2 (the owning organisation's coordinators) after
escalate_level2_days, level 3 (the steering group's agenda) after escalate_level3_days, or at once when a
coordinator raised it by hand. Days stalled count from when the action became stalled by a reason that still holds.
"""
import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from tracker.actions.rules import ActionLike, Stalled, Thresholds, last_progress_on, stale_requests, stalled_reasons
from tracker.clock import local_date

LEVELS = (1, 2, 3)


class EscalationLike(ActionLike, Protocol):
    """The facts the ladder reads besides the stalled rules' (a live Action and a rebuilt ActionState fit)."""

    @property
    def blocked_since(self) -> dt.date | None: ...
    @property
    def owner_lost_on(self) -> dt.date | None: ...
    @property
    def raised_at(self) -> dt.datetime | None: ...


@dataclass(frozen=True)
class Escalation:
    level: int  # 0 when the action is on track or closed
    days_stalled: int
    reasons: tuple[Stalled, ...]
    raised: bool  # raised to the steering group by hand


def stalled_since(action: EscalationLike, reason: Stalled, thresholds: Thresholds, today: dt.date) -> dt.date:
    """The first day the action counted as stalled for `reason` (which must hold on `today`).

    Blocked and ownerless count from the day recorded when it happened; an action blocked or left without an owner
    before those days were recorded counts from its last progress update (or its creation).
    """
    if reason is Stalled.OVERDUE:
        assert action.deadline is not None  # overdue means a deadline has passed
        return action.deadline + dt.timedelta(days=1)
    if reason is Stalled.SILENT:
        return last_progress_on(action) + dt.timedelta(days=thresholds.stale_after_days)
    if reason is Stalled.BLOCKED:
        return action.blocked_since or last_progress_on(action)
    if reason is Stalled.WAITING:  # since the oldest request still open today went stale
        return min(local_date(r.asked_at) for r in stale_requests(action, today, thresholds.request_stale_days)
                   ) + dt.timedelta(days=thresholds.request_stale_days)
    return action.owner_lost_on or last_progress_on(action)  # Stalled.OWNERLESS


def escalation(action: EscalationLike, today: dt.date, thresholds: Thresholds = Thresholds()) -> Escalation:
    """Where the action stands on the ladder on `today` (thresholds: the agreement's, Thresholds.for_agreement)."""
    reasons = tuple(stalled_reasons(action, today, thresholds.stale_after_days, thresholds.request_stale_days))
    raised = action.status.is_open and action.raised_at is not None
    days = max((max(0, (today - stalled_since(action, r, thresholds, today)).days) for r in reasons), default=0)
    if raised or (reasons and days >= thresholds.escalate_level3_days):
        level = 3
    elif reasons and days >= thresholds.escalate_level2_days:
        level = 2
    else:
        level = 1 if reasons else 0
    return Escalation(level=level, days_stalled=days, reasons=reasons, raised=raised)
