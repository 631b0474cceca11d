"""Every move of an action's deadline, read back: the moves, how many, and the date first promised."""
import datetime as dt

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import joinedload

from tracker.actions.models import Action, DeadlineChange
from tracker.extensions import db


def moves_of(action_id: int) -> list[DeadlineChange]:
    """The action's deadline moves, oldest first, with who moved it."""
    return list(db.session.scalars(select(DeadlineChange).where(DeadlineChange.action_id == action_id)
                                   .options(joinedload(DeadlineChange.by))
                                   .order_by(DeadlineChange.at, DeadlineChange.id)))


def first_promised(deadline: dt.date | None, moves: list[DeadlineChange]) -> dt.date | None:
    """The deadline first promised: where the oldest move started from, or the current one when it never moved."""
    return moves[0].moved_from if moves else deadline


def times_moved() -> ScalarSelect[int]:
    """How many times each action's deadline has moved, as a column of a select over Action (for sorting)."""
    return (select(func.count(DeadlineChange.id)).where(DeadlineChange.action_id == Action.id)
            .correlate(Action).scalar_subquery())
