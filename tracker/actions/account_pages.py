"""The actions on the account pages: the open actions a person owns, listed before their account is deactivated.
create_app imports this module."""
from sqlalchemy import select

from tracker.accounts import panels
from tracker.accounts.models import User
from tracker.actions import conditions
from tracker.actions.models import Action
from tracker.actions.queries import with_people
from tracker.extensions import db


@panels.for_deactivation
def open_actions_owned(user: User) -> dict:
    """The open actions the person owns, by deadline (deactivating them leaves these without an active owner)."""
    query = with_people(select(Action).where(Action.owner_id == user.id, conditions.is_open())
                        .order_by(Action.deadline.is_(None), Action.deadline, Action.id))
    return {"open_actions": list(db.session.scalars(query).unique())}
