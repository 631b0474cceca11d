"""The stalled and due-soon rules at their boundaries, and the SQL form agreeing with the Python form."""
import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_agreement
from tracker.accounts.models import User
from tracker.actions import conditions
from tracker.actions.models import Action, ActionStatus
from tracker.actions.rules import Stalled, Thresholds, is_due_soon, stalled_reasons, standing
from tracker.clock import STOCKHOLM
from tracker.extensions import db

TODAY = dt.date(2026, 11, 25)


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=STOCKHOLM).astimezone(dt.UTC)


def action(**fields) -> Action:
    """An unsaved open action with an active owner, updated yesterday, with a far deadline unless told otherwise."""
    values = dict(status=ActionStatus.IN_PROGRESS, progress=10, deadline=TODAY + dt.timedelta(days=100),
                  owner=User(name="Owner", is_active=True),
                  created_at=at_noon(TODAY - dt.timedelta(days=200)),
                  last_progress_at=at_noon(TODAY - dt.timedelta(days=1)))
    return Action(**(values | fields))


@pytest.mark.parametrize(("deadline", "overdue"), [
    (TODAY - dt.timedelta(days=1), True), (TODAY, False), (TODAY + dt.timedelta(days=1), False), (None, False),
], ids=["yesterday", "due-today-is-not-overdue", "tomorrow", "no-deadline"])
def test_overdue_only_after_the_deadline_day(deadline, overdue):
    assert (Stalled.OVERDUE in stalled_reasons(action(deadline=deadline), TODAY)) is overdue


@pytest.mark.parametrize(("days_since_update", "silent"), [(29, False), (30, True), (31, True)],
                         ids=["29-days", "exactly-30", "31-days"])
def test_silent_from_thirty_days(days_since_update, silent):
    subject = action(last_progress_at=at_noon(TODAY - dt.timedelta(days=days_since_update)))
    assert (Stalled.SILENT in stalled_reasons(subject, TODAY)) is silent


@pytest.mark.parametrize(("days_since_creation", "silent"), [(29, False), (30, True)], ids=["29-days", "30-days"])
def test_silence_counts_from_creation_when_there_is_no_update(days_since_creation, silent):
    subject = action(last_progress_at=None, created_at=at_noon(TODAY - dt.timedelta(days=days_since_creation)))
    assert (Stalled.SILENT in stalled_reasons(subject, TODAY)) is silent


def test_silence_is_counted_in_stockholm_days_not_utc_days():
    # 23:30 UTC on 26 October is 00:30 on 27 October in Stockholm (CET, winter time).
    late_evening_utc = dt.datetime(2026, 10, 26, 23, 30, tzinfo=dt.UTC)
    subject = action(last_progress_at=late_evening_utc)
    assert (TODAY - dt.date(2026, 10, 27)).days == 29
    assert Stalled.SILENT not in stalled_reasons(subject, TODAY)


def test_blocked_is_stalled():
    assert stalled_reasons(action(status=ActionStatus.BLOCKED), TODAY) == [Stalled.BLOCKED]


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.CANCELLED])
def test_closed_actions_never_stall(status):
    subject = action(status=status, deadline=TODAY - dt.timedelta(days=90), last_progress_at=None)
    assert stalled_reasons(subject, TODAY) == []
    assert not is_due_soon(subject, TODAY)


def test_all_reasons_are_given_in_a_fixed_order():
    subject = action(status=ActionStatus.BLOCKED, deadline=TODAY - dt.timedelta(days=3),
                     last_progress_at=at_noon(TODAY - dt.timedelta(days=40)))
    assert stalled_reasons(subject, TODAY) == [Stalled.OVERDUE, Stalled.BLOCKED, Stalled.SILENT]
    assessed = standing(subject, TODAY)
    assert (assessed.days_overdue, assessed.days_silent, assessed.is_stalled) == (3, 40, True)


@pytest.mark.parametrize(("days_until_deadline", "due_soon"), [(-1, False), (0, True), (14, True), (15, False)],
                         ids=["overdue-is-not-due-soon", "today", "in-14-days", "in-15-days"])
def test_due_soon_within_fourteen_days(days_until_deadline, due_soon):
    assert is_due_soon(action(deadline=TODAY + dt.timedelta(days=days_until_deadline)), TODAY) is due_soon


def test_thresholds_come_from_configuration():
    subject = action(last_progress_at=at_noon(TODAY - dt.timedelta(days=10)))
    assert stalled_reasons(subject, TODAY, stale_after_days=10) == [Stalled.SILENT]
    assert Thresholds.from_config({"STALE_AFTER_DAYS": "10", "DUE_SOON_DAYS": 3}) == Thresholds(10, 3)


def test_sql_conditions_agree_with_the_python_rules(app):
    """Every combination of status, deadline and last update around the boundaries, through both forms."""
    agreement = make_agreement()
    deadlines = [None, TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=14),
                 TODAY + dt.timedelta(days=15)]
    updates = [None, *(at_noon(TODAY - dt.timedelta(days=d)) for d in (0, 29, 30, 31)),
               dt.datetime(2026, 10, 26, 22, 59, tzinfo=dt.UTC), dt.datetime(2026, 10, 26, 23, 0, tzinfo=dt.UTC)]
    for status in ActionStatus:
        for deadline in deadlines:
            for update in updates:
                make_action(agreement=agreement, status=status, deadline=deadline, last_progress_at=update,
                            created_at=at_noon(TODAY - dt.timedelta(days=30)))
    db.session.commit()
    actions = db.session.scalars(select(Action)).all()
    limits = Thresholds()

    def ids(condition):
        return set(db.session.scalars(select(Action.id).where(condition)))

    assert ids(conditions.is_stalled(TODAY, limits)) == {a.id for a in actions if stalled_reasons(a, TODAY)}
    assert ids(conditions.is_overdue(TODAY)) == {a.id for a in actions if Stalled.OVERDUE in stalled_reasons(a, TODAY)}
    silent = {a.id for a in actions if Stalled.SILENT in stalled_reasons(a, TODAY)}
    assert ids(conditions.is_silent(TODAY, 30)) == silent
    assert ids(conditions.is_due_soon(TODAY, limits)) == {a.id for a in actions if is_due_soon(a, TODAY)}
    assert len(actions) == len(ActionStatus) * len(deadlines) * len(updates)
