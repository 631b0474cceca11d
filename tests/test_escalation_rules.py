"""The ownerless rule and the escalation ladder at their boundaries, and their SQL forms agreeing with Python."""
import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_agreement, make_organisation, make_request, make_user
from tracker.accounts.models import User
from tracker.actions import conditions
from tracker.actions.escalation import escalation
from tracker.actions.models import Action, ActionStatus
from tracker.actions.rules import Stalled, Thresholds, stalled_reasons
from tracker.clock import STOCKHOLM
from tracker.extensions import db

TODAY = dt.date(2026, 11, 25)
LIMITS = Thresholds()


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=STOCKHOLM).astimezone(dt.UTC)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def action(**fields) -> Action:
    """An unsaved open action on track: an active owner, updated yesterday, a far deadline."""
    values = dict(status=ActionStatus.IN_PROGRESS, progress=10, deadline=TODAY + dt.timedelta(days=100),
                  owner=User(name="Owner", is_active=True), created_at=at_noon(ago(200)),
                  last_progress_at=at_noon(ago(1)))
    return Action(**(values | fields))


def test_no_owner_or_a_deactivated_owner_is_ownerless():
    assert Stalled.OWNERLESS in stalled_reasons(action(owner=None), TODAY)
    assert Stalled.OWNERLESS in stalled_reasons(action(owner=User(name="Gone", is_active=False)), TODAY)
    assert stalled_reasons(action(), TODAY) == []
    assert stalled_reasons(action(owner=None, status=ActionStatus.DONE), TODAY) == []


# (days stalled, expected level) at the default thresholds 14 and 30
BOUNDARIES = [(0, 1), (13, 1), (14, 2), (15, 2), (29, 2), (30, 3), (31, 3)]


def each_reason(days: int) -> dict[str, dict]:
    """Fields making an action stalled for exactly `days` days by one reason."""
    return {
        "overdue": {"deadline": ago(days + 1)},
        "silent": {"last_progress_at": at_noon(ago(days + LIMITS.stale_after_days))},
        "blocked": {"status": ActionStatus.BLOCKED, "blocked_since": ago(days)},
        "blocked-before-it-was-recorded": {"status": ActionStatus.BLOCKED, "last_progress_at": at_noon(ago(days))},
        "ownerless": {"owner": None, "owner_lost_on": ago(days)},
    }


@pytest.mark.parametrize(("days", "level"), BOUNDARIES)
@pytest.mark.parametrize("reason", list(each_reason(0)))
def test_each_reason_climbs_the_ladder_at_the_thresholds(reason, days, level):
    result = escalation(action(**each_reason(days)[reason]), TODAY, LIMITS)
    assert (result.level, result.days_stalled) == (level, days)


def test_the_longest_still_holding_reason_counts():
    mixed = action(deadline=ago(4), status=ActionStatus.BLOCKED, blocked_since=ago(31))
    assert escalation(mixed, TODAY).level == 3
    assert escalation(mixed, TODAY).days_stalled == 31
    # Unblocked: only the overdue days remain.
    assert escalation(action(deadline=ago(4)), TODAY).days_stalled == 3


def test_a_raise_by_hand_is_level_three_until_the_action_closes():
    raised = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    assert escalation(action(raised_at=raised), TODAY).level == 3
    assert escalation(action(raised_at=raised, status=ActionStatus.DONE), TODAY).level == 0


def test_an_agreement_sets_its_own_thresholds():
    class Own:
        escalate_level2_days, escalate_level3_days = 7, None

    limits = LIMITS.for_agreement(Own())
    assert (limits.escalate_level2_days, limits.escalate_level3_days) == (7, 30)
    assert escalation(action(deadline=ago(8)), TODAY, limits).level == 2


def test_sql_levels_agree_with_the_python_ladder(app):
    """Every reason at every boundary, alone and mixed, raised or not, closed or open, through both forms; one
    agreement with thresholds of its own."""
    default, own = make_agreement(), make_agreement(escalate_level2_days=7, escalate_level3_days=20)
    active, gone = make_user(), make_user(is_active=False)
    owners = {"active": {"owner": active}, "none": {"owner": None}, "deactivated": {"owner": gone}}
    days_list = [d for d, _level in BOUNDARIES] + [6, 7, 8, 19, 20, 21]
    for agreement in (default, own):
        for days in days_list:
            for reason, fields in each_reason(days).items():
                base = {"owner": active} if reason != "ownerless" else {}
                make_action(agreement=agreement, **({"created_at": at_noon(ago(300)),
                                                     "last_progress_at": at_noon(ago(1)),
                                                     "deadline": ago(-100)} | base | fields))
            # mixed: overdue for `days`, blocked for 14, no owner since 29 days
            make_action(agreement=agreement, deadline=ago(days + 1), status=ActionStatus.BLOCKED,
                        blocked_since=ago(14), owner=None, owner_lost_on=ago(29), created_at=at_noon(ago(300)),
                        last_progress_at=at_noon(ago(1)))
        for owner in owners.values():
            make_action(agreement=agreement, created_at=at_noon(ago(300)), last_progress_at=at_noon(ago(1)),
                        deadline=ago(-100), **owner)  # ownerless since an unknown day: counted from the last update
            for status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED):
                make_action(agreement=agreement, status=status, raised_at=at_noon(ago(2)), raised_by_id=active.id,
                            raised_reason="Needs a decision", deadline=ago(-100), created_at=at_noon(ago(300)),
                            last_progress_at=at_noon(ago(1)), **owner)
    db.session.commit()
    limits = {default.id: LIMITS, own.id: LIMITS.for_agreement(own)}
    overrides = {own.id: limits[own.id]}
    actions = db.session.scalars(select(Action)).all()
    expected = {a.id: escalation(a, TODAY, limits[a.agreement_id]).level for a in actions}
    got = dict(db.session.execute(select(Action.id, conditions.escalation_level(TODAY, LIMITS, overrides))).all())
    assert got == expected
    for level in (1, 2, 3):
        at_least = set(db.session.scalars(select(Action.id).where(
            conditions.at_least_level(level, TODAY, LIMITS, overrides))))
        assert at_least == {i for i, lv in expected.items() if lv >= level}
    ownerless = set(db.session.scalars(select(Action.id).where(conditions.is_ownerless())))
    assert ownerless == {a.id for a in actions if Stalled.OWNERLESS in stalled_reasons(a, TODAY)}
    assert set(expected.values()) == {0, 1, 2, 3}


def test_waiting_climbs_the_ladder_from_the_day_its_request_went_stale(app):
    """Waiting counts from the day the oldest request still open went stale (asked + 14 days); a request answered
    since no longer counts. Python and SQL agree at every boundary."""
    agreement = make_agreement()
    asker, other = make_user(), make_organisation()
    expected_days = {}
    for days, _level in BOUNDARIES:
        subject = make_action(agreement=agreement, owner=asker, deadline=ago(-100), created_at=at_noon(ago(300)))
        make_request(subject, other, asker, asked_at=at_noon(ago(days + LIMITS.request_stale_days)))
        subject.last_progress_at = at_noon(ago(1))  # progress logged since: it stalls only by waiting
        expected_days[subject.id] = days
    # An older request answered yesterday leaves only the newer one, stale for 15 days: level 2, not 3.
    answered = make_action(agreement=agreement, owner=asker, deadline=ago(-100), created_at=at_noon(ago(300)))
    make_request(answered, other, asker, asked_at=at_noon(ago(60)), answered_at=at_noon(ago(1)))
    make_request(answered, other, asker, asked_at=at_noon(ago(15 + LIMITS.request_stale_days)))
    answered.last_progress_at = at_noon(ago(1))
    expected_days[answered.id] = 15
    db.session.commit()
    actions = db.session.scalars(select(Action)).all()
    python = {a.id: escalation(a, TODAY, LIMITS) for a in actions}
    assert {i: (e.days_stalled, Stalled.WAITING in e.reasons) for i, e in python.items()} == {
        i: (d, True) for i, d in expected_days.items()}
    got = dict(db.session.execute(select(Action.id, conditions.escalation_level(TODAY, LIMITS))).all())
    assert got == {i: e.level for i, e in python.items()}
    assert {got[i] for i in expected_days} == {1, 2, 3}
