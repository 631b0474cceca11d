"""The stalled and due-soon rules at their boundaries, and the SQL form agreeing with the Python form."""
import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_agreement, make_organisation, make_request, make_user
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


# Waiting: an open request to another party asked REQUEST_STALE_DAYS (14) or more Stockholm days ago, and not
# answered by the end of the day assessed (an answer given later leaves it open on that day).

def _request(asked_days_ago: int, answered_days_ago: int | None = None, to: int = 7) -> SimpleNamespace:
    answered = at_noon(TODAY - dt.timedelta(days=answered_days_ago)) if answered_days_ago is not None else None
    return SimpleNamespace(to_organisation_id=to, asked_at=at_noon(TODAY - dt.timedelta(days=asked_days_ago)),
                           answered_at=answered)


def waiting_action(*requests) -> SimpleNamespace:
    """An open action, updated yesterday, with a far deadline: stalled only if it waits."""
    return SimpleNamespace(id=1, status=ActionStatus.IN_PROGRESS, deadline=TODAY + dt.timedelta(days=100),
                           created_at=at_noon(TODAY - dt.timedelta(days=200)),
                           last_progress_at=at_noon(TODAY - dt.timedelta(days=1)),
                           requests=list(requests), owner_active=True)


@pytest.mark.parametrize(("asked_days_ago", "waiting"), [(13, False), (14, True), (15, True)],
                         ids=["13-days", "exactly-14", "15-days"])
def test_waiting_from_fourteen_days_unanswered(asked_days_ago, waiting):
    assert (Stalled.WAITING in stalled_reasons(waiting_action(_request(asked_days_ago)), TODAY)) is waiting


@pytest.mark.parametrize(("answered_days_ago", "waiting"), [(1, False), (0, False), (-1, True)],
                         ids=["answered-the-day-before", "answered-today", "answered-the-day-after"])
def test_a_request_answered_after_the_day_still_counts_as_open_on_it(answered_days_ago, waiting):
    subject = waiting_action(_request(20, answered_days_ago))
    assert (Stalled.WAITING in stalled_reasons(subject, TODAY)) is waiting


def test_standing_names_the_parties_it_waits_for_and_the_oldest_request():
    subject = waiting_action(_request(20, to=7), _request(15, to=8), _request(16, to=7), _request(3, to=9),
                             _request(30, answered_days_ago=2, to=10))
    assessed = standing(subject, TODAY)
    assert assessed.reasons == (Stalled.WAITING,)
    assert (assessed.waiting_for, assessed.days_waiting) == ((7, 8), 20)


def test_a_closed_action_never_waits():
    subject = waiting_action(_request(40))
    subject.status = ActionStatus.DONE
    assert stalled_reasons(subject, TODAY) == []


def test_request_staleness_comes_from_configuration():
    subject = waiting_action(_request(5))
    assert stalled_reasons(subject, TODAY, request_stale_days=5) == [Stalled.WAITING]
    assert Thresholds.from_config({"REQUEST_STALE_DAYS": "5"}).request_stale_days == 5


def test_sql_waiting_agrees_with_the_python_rule(app):
    """Requests around the boundaries (asked 13/14/15 days ago, answered the day before, on, or after the day
    assessed, two requests, and Stockholm midnight in UTC), on open and closed actions, through both forms."""
    agreement = make_agreement(parties=[make_organisation()])
    other = agreement.parties[-1]
    author = make_user(organisation=agreement.lead_organisation)
    noon = lambda days: at_noon(TODAY - dt.timedelta(days=days))  # noqa: E731
    # Stockholm midnight starting the day 14 days ago is 23:00 UTC the day before (CET).
    midnight = dt.datetime.combine(TODAY - dt.timedelta(days=14), dt.time(0), tzinfo=STOCKHOLM).astimezone(dt.UTC)
    cases = [[], [(noon(13), None)], [(noon(14), None)], [(noon(15), None)],
             [(midnight, None)], [(midnight - dt.timedelta(minutes=1), None)],
             [(midnight + dt.timedelta(days=1), None)], [(midnight + dt.timedelta(days=1, minutes=-1), None)],
             [(noon(20), noon(1))], [(noon(20), noon(0))], [(noon(20), noon(-1))],
             [(noon(20), dt.datetime.combine(TODAY, dt.time(23), tzinfo=dt.UTC))],  # tomorrow in Stockholm
             [(noon(20), dt.datetime.combine(TODAY, dt.time(22, 59), tzinfo=dt.UTC))],  # still today there
             [(noon(13), None), (noon(15), noon(1))], [(noon(13), None), (noon(15), None)],
             [(noon(-1), None)]]
    for status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        for requests in cases:
            subject = make_action(agreement=agreement, status=status, last_progress_at=noon(1))
            for asked, answered in requests:
                make_request(subject, other, author, asked_at=asked, answered_at=answered)
    db.session.commit()
    db.session.expire_all()
    actions = db.session.scalars(select(Action)).all()
    in_python = {a.id for a in actions if Stalled.WAITING in stalled_reasons(a, TODAY)}
    in_sql = set(db.session.scalars(select(Action.id).where(conditions.is_waiting(TODAY, 14))))
    assert in_sql == in_python
    assert set(db.session.scalars(select(Action.id).where(conditions.is_stalled(TODAY, Thresholds())))) == in_python
    assert len(in_python) == 8  # 14, 15 days, the two before-midnight cases, answered after the day (twice), two
