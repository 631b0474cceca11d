"""What the daily reminders job reads, in a fixed number of queries however many actions and people there are: the
people whose digest is due and the actions it tells them of; the people to tell of an action high on the escalation
ladder; which messages were queued before."""
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, or_, select

from tracker.accounts.models import Role, User
from tracker.actions import conditions
from tracker.actions.models import Action
from tracker.actions.queries import with_people
from tracker.actions.rules import Thresholds
from tracker.agreements.models import steering_group_members
from tracker.extensions import db
from tracker.mail.models import OutboxMessage
from tracker.organisations.models import Organisation


def reachable() -> ColumnElement[bool]:
    """An account that gets reminders: active, at an active organisation, and in use (its person has chosen a
    password: an invitation not yet accepted gets the invitation and nothing else, since its links lead nowhere)."""
    return and_(User.is_active.is_(True), User.password_hash != "",
                User.organisation_id.in_(select(Organisation.id).where(Organisation.is_active.is_(True))))


def is_reachable(user: User) -> bool:
    """The same as reachable(), for a loaded user."""
    return user.is_active and bool(user.password_hash) and user.organisation.is_active


def _digest_due(weekday: int) -> ColumnElement[bool]:
    return and_(reachable(), User.wants_digest.is_(True), User.digest_weekday == weekday)


def digest_people(weekday: int) -> list[User]:
    """The reachable people who want the weekly digest on this weekday (0 Monday … 6 Sunday)."""
    return list(db.session.scalars(select(User).where(_digest_due(weekday)).order_by(User.id)))


def digest_actions(weekday: int, today: dt.date, thresholds: Thresholds) -> list[Action]:
    """The open actions the digests of this weekday tell of: those their owners' digests are due, stalled or due
    soon on today, and those without an active owner at an organisation whose coordinators' digests are due."""
    owners = select(User.id).where(_digest_due(weekday))
    coordinated = select(User.organisation_id).where(_digest_due(weekday), User.role == Role.COORDINATOR)
    mine = and_(Action.owner_id.in_(owners),
                or_(conditions.is_stalled(today, thresholds), conditions.is_due_soon(today, thresholds)))
    unowned = and_(conditions.is_ownerless(), Action.owner_organisation_id.in_(coordinated))
    query = with_people(select(Action).where(conditions.is_open(), or_(mine, unowned)).order_by(Action.id))
    return list(db.session.scalars(query).unique())


def organisation_names(organisation_ids: Iterable[int]) -> dict[int, str]:
    """{organisation id: its name} (the parties an action waits on)."""
    ids = set(organisation_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))
    return {row.id: row.name for row in rows}


def coordinators_of(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """{organisation id: its reachable coordinators}, by name."""
    query = (select(User).where(reachable(), User.role == Role.COORDINATOR,
                                User.organisation_id.in_(set(organisation_ids))).order_by(User.name, User.id))
    found: dict[int, list[User]] = defaultdict(list)
    for user in db.session.scalars(query):
        found[user.organisation_id].append(user)
    return found


def steering_groups_of(agreement_ids: Iterable[int]) -> dict[int, list[User]]:
    """{agreement id: the reachable members of its steering group}, by name."""
    members = steering_group_members.c
    query = (select(members.agreement_id, User).join(User, User.id == members.user_id)
             .where(reachable(), members.agreement_id.in_(set(agreement_ids))).order_by(User.name, User.id))
    found: dict[int, list[User]] = defaultdict(list)
    for agreement_id, user in db.session.execute(query):
        found[agreement_id].append(user)
    return found


def queued_keys(keys: Iterable[str]) -> set[str]:
    """Those of the deduplication keys that a message in the outbox already has."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return set()
    return set(db.session.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(wanted))))
