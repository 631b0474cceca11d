"""`flask seed-scale`: a county-scale set of the right size whose rows keep every rule the services keep."""
import datetime as dt
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_agreement, make_organisation
from tracker.accounts.models import Role, User
from tracker.actions.models import Action, ActionStatus, DeadlineChange, ProgressUpdate, Request
from tracker.actions.rules import Stalled, stalled_reasons
from tracker.agreements.models import Agreement, agreement_parties, steering_group_members
from tracker.audit.models import AuditEvent
from tracker.clock import local_date, local_today
from tracker.demo.cli import DEMO_PASSWORD
from tracker.demo.scale import Sizes
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.reports.history import actions_as_of
from tracker.steering.models import Decision, DecisionEffect

FRACTION = 0.005


@pytest.fixture
def seeded(app):
    result = app.test_cli_runner().invoke(args=["seed-scale", "--fraction", str(FRACTION), "--seed", "7"])
    assert result.exit_code == 0, result.output
    return result.output


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_set_has_the_sizes_asked_for_and_says_what_it_made(seeded):
    sizes = Sizes.of(FRACTION)
    assert (count(Organisation), count(User), count(Agreement), count(Action), count(ProgressUpdate)) == (
        sizes.organisations, sizes.users, sizes.agreements, sizes.actions, sizes.updates)
    largest = db.session.execute(select(Action.agreement_id, func.count()).group_by(Action.agreement_id)
                                 .order_by(func.count().desc()).limit(2)).all()
    assert [n for _, n in largest] == [sizes.largest, sizes.second]
    assert count(Request) and count(Decision) and count(DecisionEffect) and count(DeadlineChange)
    assert f"{sizes.actions} actions" in seeded and f"{sizes.updates:,} progress updates".replace(",", " ") in seeded
    assert " s: " in seeded  # how long it took


def test_a_database_with_data_is_refused(seeded, app):
    result = app.test_cli_runner().invoke(args=["seed-scale", "--fraction", "0.01"])
    assert result.exit_code != 0
    assert "goes only into an empty database" in result.output
    assert count(Organisation) == Sizes.of(FRACTION).organisations


def test_updates_chain_and_the_action_keeps_where_they_end(seeded):
    updates = defaultdict(list)
    for update in db.session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.at, ProgressUpdate.id)):
        updates[update.action_id].append(update)
    actions = db.session.scalars(select(Action)).all()
    for action in actions:
        status, progress, blocked_from = ActionStatus.PLANNED, 0, None
        for update in updates[action.id]:
            assert (update.status_from, update.progress_from) == (status, progress), action.id
            assert update.at > action.created_at and update.progress_to >= 0
            if update.status_to is ActionStatus.BLOCKED and status is not ActionStatus.BLOCKED:
                blocked_from = local_date(update.at)
            status, progress = update.status_to, update.progress_to
        assert (action.status, action.progress) == (status, progress)
        assert action.last_progress_at == (updates[action.id][-1].at if updates[action.id] else None)
        assert action.blocked_since == (blocked_from if status is ActionStatus.BLOCKED else None)
        assert bool(action.blocked_reason) is (status is ActionStatus.BLOCKED)
        assert status is not ActionStatus.DONE or progress == 100
    assert {a.status for a in actions} == set(ActionStatus)


def test_the_status_mix_has_stalled_actions_of_every_kind(seeded):
    today = local_today()
    actions = db.session.scalars(select(Action)).all()
    reasons = [stalled_reasons(a, today) for a in actions]
    open_actions = sum(a.status.is_open for a in actions)
    for reason, low, high in [(Stalled.OVERDUE, 0.05, 0.4), (Stalled.BLOCKED, 0.05, 0.35),
                              (Stalled.SILENT, 0.1, 0.6)]:
        share = sum(reason in r for r in reasons) / open_actions
        assert low < share < high, (reason, share)
    assert any(a.owner_id is None and a.owner_lost_on for a in actions)


def test_everyone_acts_within_their_organisation(seeded):
    people = {u.id: u for u in db.session.scalars(select(User))}
    parties = defaultdict(set)
    for agreement_id, organisation_id in db.session.execute(select(agreement_parties)):
        parties[agreement_id].add(organisation_id)
    for agreement in db.session.scalars(select(Agreement)):
        assert agreement.lead_organisation_id in parties[agreement.id] and len(parties[agreement.id]) >= 2
        assert agreement.starts_on < agreement.ends_on
    for agreement_id, user_id in db.session.execute(select(steering_group_members)):
        assert people[user_id].organisation_id in parties[agreement_id]
    actions = {a.id: a for a in db.session.scalars(select(Action))}
    for action in actions.values():
        assert action.owner_organisation_id in parties[action.agreement_id]
        if action.owner_id is not None:
            assert people[action.owner_id].organisation_id == action.owner_organisation_id
            assert people[action.owner_id].role is Role.COORDINATOR
    for update in db.session.scalars(select(ProgressUpdate)):
        assert people[update.author_id].organisation_id == actions[update.action_id].owner_organisation_id
    for request in db.session.scalars(select(Request)):
        action = actions[request.action_id]
        assert request.from_organisation_id == action.owner_organisation_id != request.to_organisation_id
        assert request.to_organisation_id in parties[action.agreement_id]
        assert request.update.author_id == request.asked_by_id and request.update.at == request.asked_at
        assert request.answered_by_id is None or people[request.answered_by_id].organisation_id == \
            request.to_organisation_id
    assert sum(u.role is Role.ADMIN for u in people.values()) >= 1
    assert {u.role for u in people.values()} == set(Role)


def test_decisions_concern_their_agreement_and_moves_cite_them(seeded):
    for effect in db.session.scalars(select(DecisionEffect)):
        assert effect.action.agreement_id == effect.decision.agreement_id
        assert effect.action.created_at < effect.decision.recorded_at
    for move in db.session.scalars(select(DeadlineChange)):
        assert move.decision_id is not None and move.moved_to == move.action.deadline != move.moved_from


def test_the_audit_trail_rebuilds_the_past(seeded):
    """A past day's actions, rebuilt from the audit trail as reports do, stand where their updates left them."""
    assert count(AuditEvent) > count(ProgressUpdate) + count(Action)
    day = local_today() - dt.timedelta(days=200)
    agreement_ids = list(db.session.scalars(select(Agreement.id)))
    rebuilt = {s.id: s for s in actions_as_of(agreement_ids, day)}
    assert len(rebuilt) > 50
    moves = {m.action_id: m for m in db.session.scalars(select(DeadlineChange))}
    for action in db.session.scalars(select(Action).where(Action.id.in_(list(rebuilt)))):
        before = [u for u in action.updates if local_date(u.at) <= day]  # newest first
        state = rebuilt[action.id]
        assert (state.status, state.progress) == ((before[0].status_to, before[0].progress_to) if before
                                                  else (ActionStatus.PLANNED, 0))
        move = moves.get(action.id)
        assert state.deadline == (move.moved_from if move and local_date(move.at) > day else action.deadline)


def test_the_pages_open_on_the_set_and_new_rows_get_fresh_ids(seeded, client):
    coordinator = db.session.scalar(select(User).join(Agreement, Agreement.lead_organisation_id ==
                                                      User.organisation_id)
                                    .where(Agreement.id == 1, User.role == Role.COORDINATOR).limit(1))
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).limit(1))
    action = db.session.scalar(select(Action.id).where(Action.agreement_id == 1).limit(1))
    for person in (coordinator, admin):
        sign_in(client, person, DEMO_PASSWORD)
        for path in ["/", "/agreements/", "/actions/?stalled=y", "/agreements/1", f"/actions/{action}",
                     "/reports/"] + (["/admin/audit/", "/admin/audit/?page=20"] if person.is_admin else []):
            assert client.get(path).status_code == 200, (person.role, path)
        client.post("/logout")
    organisation = make_organisation()  # ids continue after the bulk insert's (PostgreSQL's sequences moved)
    assert make_agreement(lead_organisation=organisation).id == count(Agreement)
