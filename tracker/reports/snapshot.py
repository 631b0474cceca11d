"""Each action's standing at the end of a report's day, kept with every archived report, and what changed since.

"Since last month" compares with the previous month's archived report (the one the steering group read); when no
report of that month was archived, the month is rebuilt from the audit trail (reports/history.py) with the same
rules. The comparison itself is pure.
"""
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select

from tracker.actions.models import Action, ActionStatus, ProgressUpdate
from tracker.actions.rules import Thresholds, standing
from tracker.clock import end_of_local_day, start_of_local_day
from tracker.extensions import db
from tracker.reports.history import actions_as_of
from tracker.reports.models import Report, report_scope
from tracker.reports.period import Month

Source = Literal["archived", "rebuilt"]


@dataclass(frozen=True)
class Mark:
    """One action's standing in a snapshot: its status and whether it had stalled."""

    status: ActionStatus
    stalled: bool


@dataclass(frozen=True)
class Snapshot:
    as_of: dt.date
    actions: dict[int, Mark]
    updates: int  # progress updates logged in the month up to as_of
    source: Source = "archived"
    report_number: int | None = None  # the archived report it came from

    @property
    def stalled(self) -> int:
        return sum(1 for m in self.actions.values() if m.stalled)

    @property
    def done(self) -> int:
        return sum(1 for m in self.actions.values() if m.status is ActionStatus.DONE)

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "updates": self.updates,
                "actions": {str(i): [m.status.value, m.stalled] for i, m in sorted(self.actions.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any], report_number: int | None = None) -> "Snapshot":
        return cls(dt.date.fromisoformat(data["as_of"]),
                   {int(i): Mark(ActionStatus(s), bool(stalled)) for i, (s, stalled) in data["actions"].items()},
                   int(data["updates"]), "archived", report_number)


@dataclass(frozen=True)
class Changes:
    """Action ids, each list in no particular order (the content orders them)."""

    newly_stalled: list[int]
    no_longer_stalled: list[int]
    completed: list[int]
    new: list[int]


def compare(before: Snapshot, now: Snapshot) -> Changes:
    """What changed from one snapshot to the next. An action finished this month counts as completed, not as
    "no longer stalled"; a new action that has already stalled is both new and newly stalled."""
    newly, no_longer, completed, new = [], [], [], []
    for action_id, mark in now.actions.items():
        earlier = before.actions.get(action_id)
        if earlier is None:
            new.append(action_id)
        if mark.stalled and not (earlier and earlier.stalled):
            newly.append(action_id)
        if mark.status is ActionStatus.DONE and (earlier is None or earlier.status is not ActionStatus.DONE):
            completed.append(action_id)
        elif earlier and earlier.stalled and not mark.stalled:
            no_longer.append(action_id)
    return Changes(newly, no_longer, completed, new)


def previous_snapshot(agreement_ids: list[int], month: Month, thresholds: Thresholds, first_month: Month,
                      archived_before: dt.datetime | None = None) -> Snapshot | None:
    """The end of the month before `month`: the newest archived report of that month (either language) that
    describes its last day, else rebuilt from history; None when none of the agreements had begun by then.
    archived_before: only reports archived before then count (what an archived report compared with)."""
    previous = month.previous
    if previous < first_month:
        return None
    query = select(Report.number, Report.snapshot).where(
        Report.scope == report_scope(agreement_ids), Report.month == str(previous), Report.snapshot.is_not(None))
    if archived_before is not None:
        query = query.where(Report.generated_at < archived_before)
    archived = db.session.execute(query.order_by(Report.generated_at.desc(), Report.id.desc())).all()
    for number, data in archived:
        if data and data.get("as_of") == previous.last_day.isoformat():  # not a "so far" report of that month
            return Snapshot.from_json(data, number)
    return rebuild(agreement_ids, previous, thresholds)


def rebuild(agreement_ids: list[int], month: Month, thresholds: Thresholds) -> Snapshot:
    """The month's end as history has it (three queries)."""
    day = month.last_day
    marks = {s.id: Mark(s.status, standing(s, day, thresholds).is_stalled) for s in actions_as_of(agreement_ids, day)}
    return Snapshot(day, marks, count_updates(agreement_ids, month.first_day, day), "rebuilt")


def count_updates(agreement_ids: Iterable[int], first: dt.date, last: dt.date) -> int:
    return db.session.scalar(
        select(func.count(ProgressUpdate.id)).join(ProgressUpdate.action).where(
            Action.agreement_id.in_(list(agreement_ids)), ProgressUpdate.at >= start_of_local_day(first),
            ProgressUpdate.at < end_of_local_day(last))) or 0
