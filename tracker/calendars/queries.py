"""What a calendar feed reads, in a fixed number of queries however many actions it holds: the open actions, with
their people, agreement and requests, and the next step each names."""
from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select

from tracker import policy
from tracker.accounts.models import User
from tracker.actions import conditions
from tracker.actions.models import Action, ProgressUpdate
from tracker.actions.queries import visible_actions, with_people
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.extensions import db


def personal_actions(person: User) -> Select:
    """The open actions the person or their organisation owns, on agreements the person may read."""
    return visible_actions(person).where(
        conditions.is_open(), or_(Action.owner_id == person.id, Action.owner_organisation_id == person.organisation_id))


def agreement_actions(agreement: Agreement) -> Select:
    """The agreement's open actions (the caller has checked that the person may read it)."""
    return select(Action).where(Action.agreement_id == agreement.id, conditions.is_open())


def load(actions: Select) -> list[Action]:
    """The actions, with what a feed shows of them, by id (so a feed reads the same each time)."""
    return list(db.session.scalars(with_people(actions.order_by(Action.id))).unique())


def next_steps(actions: Select) -> dict[int, ProgressUpdate]:
    """{action id: its newest progress update that named a next step} for the actions (queries.next_step, for
    many actions in one query)."""
    ids = actions.with_only_columns(Action.id).order_by(None)
    newest = func.row_number().over(partition_by=ProgressUpdate.action_id,
                                    order_by=(ProgressUpdate.at.desc(), ProgressUpdate.id.desc()))
    ranked = (select(ProgressUpdate.id, newest.label("place"))
              .where(ProgressUpdate.action_id.in_(ids), ProgressUpdate.next_step != "").subquery())
    query = select(ProgressUpdate).join(ranked, ranked.c.id == ProgressUpdate.id).where(ranked.c.place == 1)
    return {update.action_id: update for update in db.session.scalars(query)}


def linkable_agreements(person: User) -> Sequence[Agreement]:
    """The agreements the person may read that have not ended, by title: each gets a calendar link."""
    return db.session.scalars(select(Agreement).where(policy.visible_agreements(person),
                                                      Agreement.status != AgreementStatus.ENDED)
                              .order_by(Agreement.title, Agreement.id)).all()
