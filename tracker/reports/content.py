"""What a monthly report says, computed once from the database: the same rules the rest of Samverka uses,
applied to the actions as they stood at the end of the month, with the names they had then."""
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.actions.escalation import Escalation
from tracker.actions.models import Action, ActionStatus, ProgressUpdate
from tracker.actions.rules import Standing, Thresholds, standing
from tracker.agreements.models import Agreement
from tracker.clock import end_of_local_day, start_of_local_day
from tracker.extensions import db
from tracker.reports.history import ActionState, actions_as_of
from tracker.reports.names import AgreementAsOf, Names, OrganisationAsOf, PersonAsOf, names_as_of
from tracker.reports.period import Month
from tracker.reports.snapshot import Changes, Mark, Snapshot, compare, previous_snapshot
from tracker.reports.steering_items import SteeringItems, set_levels, steering_items


@dataclass
class Row:
    state: ActionState
    standing: Standing
    agreement: AgreementAsOf
    organisation: OrganisationAsOf
    owner: PersonAsOf | None
    last_update: ProgressUpdate | None
    # The escalation ladder on the report's day (set_levels); the stalled list quotes the last update's text of
    # the level-3 actions page 1 names (SteeringItems.on_the_agenda). None: not set.
    escalation: Escalation | None = None

    @property
    def level(self) -> int | None:
        return self.escalation.level if self.escalation else None


@dataclass(frozen=True)
class ActionProgress:
    """One action's progress in the month, for the compact list: how many updates, the newest, and the status it
    moved from and to over the month."""

    action_id: int
    updates: int
    latest: ProgressUpdate
    status_from: ActionStatus
    status_to: ActionStatus


@dataclass(frozen=True)
class AgreementSummary:
    """One agreement's line in a portfolio report."""

    agreement: AgreementAsOf
    actions: int
    stalled: int
    share_done: int  # per cent of its actions done
    updates: int  # progress updates this month


@dataclass
class ReportContent:
    agreements: list[AgreementAsOf]
    month: Month
    as_of: dt.date
    rows: list[Row]
    stalled: list[Row]
    previous: Snapshot | None  # the end of the month before; None when no agreement had begun by then
    counts: dict[ActionStatus, int]
    updates: list[ProgressUpdate]
    completed: list[Row]
    coming_up: list[Row]
    by_organisation: list[tuple[OrganisationAsOf, list[Row]]]
    coming_from: dt.date
    coming_to: dt.date
    names: Names
    # "Sedan förra månaden": the lists are in the report's order (stalled ones as in the stalled list).
    newly_stalled: list[Row]
    no_longer_stalled: list[Row]
    newly_completed: list[Row]
    new_actions: list[Row]
    steering: SteeringItems  # "Till styrgruppen" and the month's decisions

    def snapshot(self) -> Snapshot:
        """Each action's standing at the report's day, archived with the report for next month's comparison."""
        return _snapshot_of(self.rows, self.as_of, len(self.updates))

    def progress(self) -> list[ActionProgress]:
        """The actions updated in the month, one entry each, the most recently updated first."""
        by_action: dict[int, list[ProgressUpdate]] = {}
        for update in self.updates:  # oldest first
            by_action.setdefault(update.action_id, []).append(update)
        lines = [ActionProgress(action_id, len(ups), ups[-1], ups[0].status_from, ups[-1].status_to)
                 for action_id, ups in by_action.items()]
        return sorted(lines, key=lambda line: (line.latest.at, line.latest.id), reverse=True)

    @property
    def done(self) -> int:
        return self.counts.get(ActionStatus.DONE, 0)

    @property
    def is_portfolio(self) -> bool:
        return len(self.agreements) > 1

    def action_title(self, action_id: int) -> str:
        """An action's title as it stood at the end of the report's period."""
        if not hasattr(self, "_titles"):
            self._titles = {r.state.id: r.state.title for r in self.rows}
        return self._titles.get(action_id, "")

    def waited_on(self, row: Row) -> list[OrganisationAsOf]:
        """The parties whose stale requests the row's action waits on, named as they were then."""
        return [self.names.organisation(i) for i in row.standing.waiting_for]

    def per_agreement(self) -> list[AgreementSummary]:
        """For a portfolio: each agreement's actions, stalled actions, share done and updates this month."""
        updates = Counter(u.action.agreement_id for u in self.updates)
        result = []
        for agreement in self.agreements:
            rows = [r for r in self.rows if r.agreement.id == agreement.id]
            done = sum(1 for r in rows if r.state.status is ActionStatus.DONE)
            result.append(AgreementSummary(agreement, len(rows), sum(1 for r in rows if r.standing.is_stalled),
                                           round(100 * done / len(rows)) if rows else 0, updates[agreement.id]))
        return result

    @property
    def share_done(self) -> int:
        total = sum(self.counts.values())
        return round(100 * self.counts.get(ActionStatus.DONE, 0) / total) if total else 0


def _stalled_first(row: Row) -> tuple:
    s = row.standing
    return (-s.days_overdue, "blocked" not in s.reasons, -s.days_silent, row.state.title.lower())


def build(agreements: list[Agreement], month: Month, today: dt.date, thresholds: Thresholds,
          archived_before: dt.datetime | None = None) -> ReportContent:
    """The content of the report on `agreements` for `month`, as of its last day (or today, if under way).
    archived_before: compare with the previous month as the reports archived before then had it (rebuilding
    what an archived report said)."""
    ids = [a.id for a in agreements]
    as_of = month.as_of(today)
    states = actions_as_of(ids, as_of)
    updates = _updates_between(ids, start_of_local_day(month.first_day), end_of_local_day(as_of))
    # The parties an action waits on are named in the stalled table, with the names they had then.
    parties = {o for s in states for r in s.requests for o in (r.to_organisation_id, r.from_organisation_id)}
    names = names_as_of(agreements, {s.owner_organisation_id for s in states} | parties,
                        {s.owner_id for s in states if s.owner_id} | {u.author_id for u in updates}
                        | {s.raised_by_id for s in states if s.raised_by_id}, as_of)
    rows = _rows(states, names, as_of, thresholds)
    set_levels(rows, agreements, as_of, thresholds)
    stalled = sorted((r for r in rows if r.standing.is_stalled), key=_stalled_first)
    previous = previous_snapshot(ids, month, thresholds, min(Month.of(a.starts_on) for a in agreements),
                                 archived_before)
    changes = compare(previous, _snapshot_of(rows, as_of)) if previous else Changes([], [], [], [])
    done_ids = {u.action_id for u in updates if u.status_to is ActionStatus.DONE}
    # Coming up: the day after the report's day to the end of the next month, exactly what the heading names.
    coming_from, coming_to = as_of + dt.timedelta(days=1), month.next.last_day
    coming_up = sorted((r for r in rows if r.state.status.is_open and r.state.deadline
                        and coming_from <= r.state.deadline <= coming_to),
                       key=lambda r: r.state.deadline or dt.date.max)
    ordered = sorted(rows, key=lambda r: (r.organisation.name.lower(), r.state.deadline or dt.date.max, r.state.id))
    return ReportContent(
        agreements=names.agreements, month=month, as_of=as_of, rows=rows, stalled=stalled,
        previous=previous, **_changed_rows(changes, rows, stalled),
        counts=Counter(r.state.status for r in rows), updates=updates,
        completed=[r for r in rows if r.state.id in done_ids and r.state.status is ActionStatus.DONE],
        coming_up=coming_up, coming_from=coming_from, coming_to=coming_to, names=names,
        steering=steering_items(rows, names, ids, month.first_day, as_of, thresholds),
        by_organisation=[(org, list(items)) for org, items in groupby(ordered, key=lambda r: r.organisation)])


def _snapshot_of(rows: list[Row], as_of: dt.date, updates: int = 0) -> Snapshot:
    return Snapshot(as_of, {r.state.id: Mark(r.state.status, r.standing.is_stalled) for r in rows}, updates)


def _changed_rows(changes: Changes, rows: list[Row], stalled: list[Row]) -> dict[str, list[Row]]:
    by_title = sorted(rows, key=lambda r: (r.state.title.lower(), r.state.id))

    def pick(ids: list[int], order: list[Row]) -> list[Row]:
        wanted = set(ids)
        return [r for r in order if r.state.id in wanted]

    return {"newly_stalled": pick(changes.newly_stalled, stalled),
            "no_longer_stalled": pick(changes.no_longer_stalled, by_title),
            "newly_completed": pick(changes.completed, by_title), "new_actions": pick(changes.new, by_title)}


def _rows(states: list[ActionState], names: Names, as_of: dt.date, thresholds: Thresholds) -> list[Row]:
    agreements = {a.id: a for a in names.agreements}
    last = _last_updates([s.id for s in states], end_of_local_day(as_of))
    return [Row(s, standing(s, as_of, thresholds), agreements[s.agreement_id],
                names.organisation(s.owner_organisation_id), names.person(s.owner_id), last.get(s.id))
            for s in states]


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
             .options(joinedload(ProgressUpdate.action))
             .order_by(ProgressUpdate.at, ProgressUpdate.id))
    return list(db.session.scalars(query))
