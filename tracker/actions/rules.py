"""When an action counts as stalled or due soon. Pure: no Flask, no database, today passed in."""
import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from tracker.actions.models import ActionStatus
from tracker.clock import local_date

STALE_AFTER_DAYS = 30
DUE_SOON_DAYS = 14
REQUEST_STALE_DAYS = 14
ESCALATE_LEVEL2_DAYS = 14
ESCALATE_LEVEL3_DAYS = 30


class Stalled(enum.StrEnum):
    OVERDUE = "overdue"
    BLOCKED = "blocked"
    SILENT = "silent"
    WAITING = "waiting"
    OWNERLESS = "ownerless"


class RequestLike(Protocol):
    """What the rules read of a request to another party (a Request row, or one rebuilt for a past day)."""

    @property
    def to_organisation_id(self) -> int: ...
    @property
    def asked_at(self) -> dt.datetime: ...
    @property
    def answered_at(self) -> dt.datetime | None: ...


class ActionLike(Protocol):
    """What the rules read of an action: a live Action and a rebuilt ActionState (reports/history.py) both fit."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> ActionStatus: ...
    @property
    def deadline(self) -> dt.date | None: ...
    @property
    def last_progress_at(self) -> dt.datetime | None: ...
    @property
    def created_at(self) -> dt.datetime: ...
    @property
    def requests(self) -> Sequence[RequestLike]: ...
    @property
    def owner_active(self) -> bool: ...  # it has a named owner whose account is (was, for a past day) active


@dataclass(frozen=True)
class Thresholds:
    stale_after_days: int = STALE_AFTER_DAYS
    due_soon_days: int = DUE_SOON_DAYS
    request_stale_days: int = REQUEST_STALE_DAYS
    escalate_level2_days: int = ESCALATE_LEVEL2_DAYS
    escalate_level3_days: int = ESCALATE_LEVEL3_DAYS

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Thresholds":
        return cls(stale_after_days=int(config.get("STALE_AFTER_DAYS", STALE_AFTER_DAYS)),
                   due_soon_days=int(config.get("DUE_SOON_DAYS", DUE_SOON_DAYS)),
                   request_stale_days=int(config.get("REQUEST_STALE_DAYS", REQUEST_STALE_DAYS)),
                   escalate_level2_days=int(config.get("ESCALATE_LEVEL2_DAYS", ESCALATE_LEVEL2_DAYS)),
                   escalate_level3_days=int(config.get("ESCALATE_LEVEL3_DAYS", ESCALATE_LEVEL3_DAYS)))

    def for_agreement(self, agreement: "AgreementThresholds") -> "Thresholds":
        """These thresholds with the agreement's own escalation thresholds where it sets them."""
        return replace(self, escalate_level2_days=_or(agreement.escalate_level2_days, self.escalate_level2_days),
                       escalate_level3_days=_or(agreement.escalate_level3_days, self.escalate_level3_days))


class AgreementThresholds(Protocol):
    @property
    def escalate_level2_days(self) -> int | None: ...
    @property
    def escalate_level3_days(self) -> int | None: ...


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


@dataclass(frozen=True)
class Standing:
    """Where an action stands on a given day: the reasons it has stalled, and the numbers behind them."""

    reasons: tuple[Stalled, ...]
    days_overdue: int
    days_silent: int
    due_soon: bool
    waiting_for: tuple[int, ...] = ()  # the organisations whose stale requests it waits on, by id
    days_waiting: int = 0  # days since its oldest stale request was asked
    # The escalation ladder (actions/escalation.py), filled in where the level is shown (actions/today.py).
    level: int = 0
    days_stalled: int = 0

    @property
    def is_stalled(self) -> bool:
        return bool(self.reasons)


def last_progress_on(action: ActionLike) -> dt.date:
    """The Stockholm date of the last progress update, or of the action's creation when it has none."""
    return local_date(action.last_progress_at or action.created_at)


def is_open_on(request: RequestLike, today: dt.date) -> bool:
    """Asked by the end of `today` and not answered by then (a later answer leaves it open on a past day)."""
    return (local_date(request.asked_at) <= today
            and (request.answered_at is None or local_date(request.answered_at) > today))


def stale_requests(action: ActionLike, today: dt.date,
                   request_stale_days: int = REQUEST_STALE_DAYS) -> list[RequestLike]:
    """The action's requests open on `today` that were asked `request_stale_days` or more (Stockholm) days ago."""
    return [r for r in action.requests
            if is_open_on(r, today) and (today - local_date(r.asked_at)).days >= request_stale_days]


def stalled_reasons(action: ActionLike, today: dt.date, stale_after_days: int = STALE_AFTER_DAYS,
                    request_stale_days: int = REQUEST_STALE_DAYS) -> list[Stalled]:
    """Why an open action is stalled on `today`; empty when it is on track or closed."""
    if not action.status.is_open:
        return []
    reasons = []
    if action.deadline is not None and action.deadline < today:
        reasons.append(Stalled.OVERDUE)
    if action.status is ActionStatus.BLOCKED:
        reasons.append(Stalled.BLOCKED)
    if (today - last_progress_on(action)).days >= stale_after_days:
        reasons.append(Stalled.SILENT)
    if stale_requests(action, today, request_stale_days):
        reasons.append(Stalled.WAITING)
    if not action.owner_active:
        reasons.append(Stalled.OWNERLESS)
    return reasons


def is_due_soon(action: ActionLike, today: dt.date, due_soon_days: int = DUE_SOON_DAYS) -> bool:
    """An open action whose deadline falls from today up to and including today + due_soon_days."""
    return (action.status.is_open and action.deadline is not None
            and today <= action.deadline <= today + dt.timedelta(days=due_soon_days))


def standing(action: ActionLike, today: dt.date, thresholds: Thresholds = Thresholds()) -> Standing:
    """The one assessment every page, list, report and reminder shows for an action."""
    reasons = tuple(stalled_reasons(action, today, thresholds.stale_after_days, thresholds.request_stale_days))
    overdue = (today - action.deadline).days if action.deadline and Stalled.OVERDUE in reasons else 0
    waiting = stale_requests(action, today, thresholds.request_stale_days) if Stalled.WAITING in reasons else []
    return Standing(reasons=reasons, days_overdue=overdue,
                    days_silent=max(0, (today - last_progress_on(action)).days),
                    due_soon=is_due_soon(action, today, thresholds.due_soon_days),
                    waiting_for=tuple(dict.fromkeys(r.to_organisation_id for r in waiting)),
                    days_waiting=max((today - local_date(r.asked_at)).days for r in waiting) if waiting else 0)
