"""Read-only selects for the steering group: its decisions, and the rows the agenda and the monthly report read.
Each loads what it returns in a fixed number of queries; none filters by who may see it (callers do)."""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.accounts.models import User
from tracker.actions.deadline_history import first_promised
from tracker.actions.models import OPEN_STATUSES, Action, DeadlineChange
from tracker.agreements.models import Agreement
from tracker.clock import end_of_local_day, start_of_local_day
from tracker.extensions import db
from tracker.steering.models import Decision, DecisionEffect, EffectKind


def with_effects(query: Select) -> Select:
    """Load who recorded each decision and what it changed, in a fixed number of queries."""
    return query.options(joinedload(Decision.recorded_by),
                         selectinload(Decision.effects).options(joinedload(DecisionEffect.action),
                                                                joinedload(DecisionEffect.new_owner)))


def decisions_of(agreement_id: int) -> list[Decision]:
    """The agreement's decisions, newest first, each with the actions it changed."""
    query = (select(Decision).where(Decision.agreement_id == agreement_id)
             .order_by(Decision.decided_on.desc(), Decision.id.desc()))
    return list(db.session.scalars(with_effects(query)).unique())


def decisions_about(action_id: int) -> list[Decision]:
    """The decisions that concern an action, newest first."""
    concerned = select(DecisionEffect.decision_id).where(DecisionEffect.action_id == action_id)
    query = (select(Decision).where(Decision.id.in_(concerned))
             .order_by(Decision.decided_on.desc(), Decision.id.desc()))
    return list(db.session.scalars(with_effects(query)).unique())


def open_actions_of(agreement: Agreement) -> list[Action]:
    """The agreement's open actions, by title, with their owning organisation: what a decision may change."""
    return list(db.session.scalars(select(Action).where(Action.agreement_id == agreement.id,
                                                        Action.status.in_(OPEN_STATUSES))
                                   .options(joinedload(Action.owner_organisation)).order_by(Action.title, Action.id)))


def active_people_of(agreement: Agreement) -> list[User]:
    """The active people of the agreement's parties: who a decision may name as a new owner."""
    return list(db.session.scalars(select(User).where(User.organisation_id.in_(agreement.party_ids),
                                                      User.is_active.is_(True)).order_by(User.name)))


# For the steering-group agenda and the monthly report (wired by the integrator).

@dataclass(frozen=True)
class DeadlineMove:
    """One move of a deadline: the action, from and to, the first promised date and how many moves (up to until),
    who moved it and when, and why: a reason, or the decision that moved it."""
    action_id: int
    action_title: str
    agreement_id: int
    moved_from: dt.date | None
    moved_to: dt.date | None
    first_promised: dt.date | None
    times_moved: int
    by_name: str | None
    at: dt.datetime
    reason: str
    decision_id: int | None
    decision_meeting: str | None
    decision_on: dt.date | None


def deadline_moves(agreement_ids: list[int], since: dt.date, until: dt.date) -> list[DeadlineMove]:
    """The deadline moves made from since to until (Stockholm days, both included), oldest first. Two queries."""
    if not agreement_ids:
        return []
    moves = list(db.session.scalars(
        select(DeadlineChange).join(DeadlineChange.action).where(
            Action.agreement_id.in_(agreement_ids), DeadlineChange.at < end_of_local_day(until))
        .options(joinedload(DeadlineChange.action), joinedload(DeadlineChange.by))
        .order_by(DeadlineChange.at, DeadlineChange.id)))
    decisions = {d.id: d for d in db.session.scalars(select(Decision).where(
        Decision.id.in_({m.decision_id for m in moves if m.decision_id is not None})))}
    by_action: dict[int, list[DeadlineChange]] = {}
    rows = []
    for move in moves:
        earlier = by_action.setdefault(move.action_id, [])
        earlier.append(move)
        if move.at < start_of_local_day(since):
            continue
        decision = decisions.get(move.decision_id) if move.decision_id is not None else None
        rows.append(DeadlineMove(
            action_id=move.action_id, action_title=move.action.title, agreement_id=move.action.agreement_id,
            moved_from=move.moved_from, moved_to=move.moved_to, first_promised=first_promised(None, earlier),
            times_moved=len(earlier), by_name=move.by.name if move.by else None, at=move.at, reason=move.reason,
            decision_id=move.decision_id, decision_meeting=decision.meeting if decision else None,
            decision_on=decision.decided_on if decision else None))
    return rows


@dataclass(frozen=True)
class ChangedAction:
    action_id: int
    action_title: str
    kind: EffectKind
    new_owner_name: str | None
    new_deadline: dt.date | None


@dataclass(frozen=True)
class DecisionRow:
    """A decision and the actions it changed."""
    decision_id: int
    agreement_id: int
    decided_on: dt.date
    meeting: str
    text: str
    recorded_by_name: str
    changed: tuple[ChangedAction, ...]


def decisions(agreement_ids: list[int], since: dt.date, until: dt.date) -> list[DecisionRow]:
    """The decisions taken from since to until (both included), oldest first, with what each changed."""
    if not agreement_ids:
        return []
    query = (select(Decision).where(Decision.agreement_id.in_(agreement_ids), Decision.decided_on >= since,
                                    Decision.decided_on <= until).order_by(Decision.decided_on, Decision.id))
    return [DecisionRow(
        decision_id=d.id, agreement_id=d.agreement_id, decided_on=d.decided_on, meeting=d.meeting, text=d.text,
        recorded_by_name=d.recorded_by.name,
        changed=tuple(ChangedAction(e.action_id, e.action.title, e.kind, e.new_owner.name if e.new_owner else None,
                                    e.new_deadline) for e in d.effects))
        for d in db.session.scalars(with_effects(query)).unique()]
