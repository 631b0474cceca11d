"""What the steering group's agenda and the monthly report read of the escalation ladder: the escalated actions
and those without an owner, for some agreements on a day. Policy-free: callers filter what the user may read.

They read the actions as they stand now, judged on `as_of`. A report for a past month rebuilds the actions as they
stood at the month's end (reports.history.actions_as_of; the ladder's facts are audited fields) and applies
escalation.escalation to those states instead.
"""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.actions import conditions
from tracker.actions.escalation import escalation
from tracker.actions.models import Action
from tracker.actions.queries import threshold_overrides, with_people
from tracker.actions.rules import Stalled, Thresholds
from tracker.extensions import db


@dataclass(frozen=True)
class EscalatedRow:
    action: Action  # owner, owning organisation and agreement loaded
    level: int
    days_stalled: int
    reasons: tuple[Stalled, ...]
    raised_reason: str  # empty unless raised by hand
    raised_by: str | None  # the name of who raised it by hand
    raised_at: dt.datetime | None


@dataclass(frozen=True)
class OwnerlessRow:
    action: Action
    since: dt.date | None  # when it lost its owner (None: before that was recorded)
    days: int | None
    former_owner: str | None  # the deactivated owner still named on it, if any


def escalated(agreement_ids: list[int] | None, as_of: dt.date, level: int = 3,
              thresholds: Thresholds = Thresholds()) -> list[EscalatedRow]:
    """The open actions of the agreements (None: of every agreement) at `level` or above on `as_of`, highest level
    and longest stalled first. thresholds: the configured ones (actions.today.thresholds()); each agreement's own
    escalation days apply."""
    if agreement_ids is not None and not agreement_ids:
        return []
    overrides = threshold_overrides(thresholds)
    query = with_people(select(Action).where(conditions.at_least_level(level, as_of, thresholds, overrides))
                        .options(joinedload(Action.raised_by)))
    if agreement_ids is not None:
        query = query.where(Action.agreement_id.in_(agreement_ids))
    rows = []
    for action in db.session.scalars(query).unique():
        ladder = escalation(action, as_of, overrides.get(action.agreement_id, thresholds))
        rows.append(EscalatedRow(action, ladder.level, ladder.days_stalled, ladder.reasons,
                                 action.raised_reason if ladder.raised else "",
                                 action.raised_by.name if ladder.raised and action.raised_by else None,
                                 action.raised_at if ladder.raised else None))
    return sorted(rows, key=lambda r: (-r.level, -r.days_stalled, r.action.title.lower(), r.action.id))


def ownerless(agreement_ids: list[int], as_of: dt.date) -> list[OwnerlessRow]:
    """The open actions of the agreements with no active owner, longest without one first."""
    if not agreement_ids:
        return []
    query = with_people(select(Action).where(Action.agreement_id.in_(agreement_ids), conditions.is_ownerless()))
    rows = [OwnerlessRow(a, a.owner_lost_on, (as_of - a.owner_lost_on).days if a.owner_lost_on else None,
                         a.owner.name if a.owner else None) for a in db.session.scalars(query).unique()]
    return sorted(rows, key=lambda r: (r.since or dt.date.min, r.action.title.lower(), r.action.id))
