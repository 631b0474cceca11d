"""What a monthly report says, computed once from the database: the same rules the rest of Samverka uses,
applied to the actions as they stood at the end of the month."""
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.actions.conditions import end_of_local_day, start_of_local_day
from tracker.actions.models import Action, ActionStatus, ProgressUpdate
from tracker.actions.rules import Standing, Thresholds, standing
from tracker.agreements.models import Agreement
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.reports.history import ActionState, actions_as_of
from tracker.reports.period import Month


@dataclass
class Row:
    state: ActionState
    standing: Standing
    agreement: Agreement
    organisation: Organisation
    owner: User | None
    last_update: ProgressUpdate | None


@dataclass
class ReportContent:
    agreements: list[Agreement]
    month: Month
    as_of: dt.date
    rows: list[Row]
    stalled: list[Row]
    stalled_before: int
    counts: dict[ActionStatus, int]
    updates: list[ProgressUpdate]
    completed: list[Row]
    coming_up: list[Row]
    by_organisation: list[tuple[Organisation, list[Row]]]

    @property
    def is_portfolio(self) -> bool:
        return len(self.agreements) > 1

    def title_of(self, action_id: int) -> str:
        """An action's title as it stood at the end of the report's period."""
        if not hasattr(self, "_titles"):
            self._titles = {r.state.id: r.state.title for r in self.rows}
        return self._titles.get(action_id, "")

    def per_agreement(self) -> list[tuple[Agreement, int, int, int, int]]:
        """For a portfolio: (agreement, actions, stalled, share done %, updates this month) per agreement."""
        updates = Counter(u.action.agreement_id for u in self.updates)
        result = []
        for agreement in self.agreements:
            rows = [r for r in self.rows if r.agreement.id == agreement.id]
            done = sum(1 for r in rows if r.state.status is ActionStatus.DONE)
            result.append((agreement, len(rows), sum(1 for r in rows if r.standing.is_stalled),
                           round(100 * done / len(rows)) if rows else 0, updates[agreement.id]))
        return result

    @property
    def share_done(self) -> int:
        total = sum(self.counts.values())
        return round(100 * self.counts.get(ActionStatus.DONE, 0) / total) if total else 0


def _stalled_first(row: Row) -> tuple:
    s = row.standing
    return (-s.days_overdue, "blocked" not in s.reasons, -s.days_silent, row.state.title.lower())


def build(agreements: list[Agreement], month: Month, today: dt.date, thresholds: Thresholds) -> ReportContent:
    """The content of the report on `agreements` for `month`, as of its last day (or today, if under way)."""
    ids = [a.id for a in agreements]
    as_of = month.as_of(today)
    states = actions_as_of(ids, as_of)
    rows = _rows(states, {a.id: a for a in agreements}, as_of, thresholds)
    stalled = sorted((r for r in rows if r.standing.is_stalled), key=_stalled_first)
    previous = month.previous.last_day
    stalled_before = sum(1 for s in actions_as_of(ids, previous) if standing(s, previous, thresholds).is_stalled)
    updates = _updates_between(ids, start_of_local_day(month.first_day), end_of_local_day(as_of))
    done_ids = {u.action_id for u in updates if u.status_to is ActionStatus.DONE}
    next_month = month.next
    coming_up = sorted((r for r in rows if r.state.status.is_open and r.state.deadline
                        and as_of < r.state.deadline <= next_month.last_day), key=lambda r: r.state.deadline)
    ordered = sorted(rows, key=lambda r: (r.organisation.name.lower(), r.state.deadline or dt.date.max, r.state.id))
    return ReportContent(
        agreements=agreements, month=month, as_of=as_of, rows=rows, stalled=stalled, stalled_before=stalled_before,
        counts=Counter(r.state.status for r in rows), updates=updates,
        completed=[r for r in rows if r.state.id in done_ids and r.state.status is ActionStatus.DONE],
        coming_up=coming_up,
        by_organisation=[(org, list(items)) for org, items in groupby(ordered, key=lambda r: r.organisation)])


def _rows(states: list[ActionState], agreements: dict[int, Agreement], as_of: dt.date,
          thresholds: Thresholds) -> list[Row]:
    organisations = {o.id: o for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_({s.owner_organisation_id for s in states})))}
    people = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({s.owner_id for s in states if s.owner_id})))}
    last = _last_updates([s.id for s in states], end_of_local_day(as_of))
    return [Row(s, standing(s, as_of, thresholds), agreements[s.agreement_id], organisations[s.owner_organisation_id],
                people.get(s.owner_id), last.get(s.id)) for s in states]


def _last_updates(action_ids: list[int], before: dt.datetime) -> dict[int, ProgressUpdate]:
    """Each action's newest update before the cut-off (one query)."""
    latest = {}
    query = (select(ProgressUpdate).where(ProgressUpdate.action_id.in_(action_ids), ProgressUpdate.at < before)
             .order_by(ProgressUpdate.action_id, ProgressUpdate.at, ProgressUpdate.id))
    for update in db.session.scalars(query):
        latest[update.action_id] = update
    return latest


def _updates_between(agreement_ids: list[int], start: dt.datetime, end: dt.datetime) -> list[ProgressUpdate]:
    query = (select(ProgressUpdate).join(ProgressUpdate.action)
             .where(Action.agreement_id.in_(agreement_ids), ProgressUpdate.at >= start, ProgressUpdate.at < end)
             .options(joinedload(ProgressUpdate.author), joinedload(ProgressUpdate.action))
             .order_by(ProgressUpdate.at, ProgressUpdate.id))
    return list(db.session.scalars(query))
