"""Read-only selects for agreements, always filtered by what the user may read."""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker import policy
from tracker.accounts.models import User
from tracker.accounts.queries import people_choices
from tracker.actions import conditions
from tracker.actions.models import Action, ActionStatus
from tracker.actions.rules import Thresholds
from tracker.agreements.models import Agreement, AgreementStatus, Theme, agreement_parties
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.search import like_pattern


@dataclass
class AgreementFilters:
    text: str = ""
    status: AgreementStatus | None = None
    theme: Theme | None = None
    organisation_id: int | None = None


def search_agreements(user: User, f: AgreementFilters) -> Select:
    query = (select(Agreement).where(policy.visible_agreements(user))
             .options(joinedload(Agreement.lead_organisation), selectinload(Agreement.parties),
                      selectinload(Agreement.steering_group))
             .order_by(func.lower(Agreement.title), Agreement.id))
    if f.text:
        pattern = like_pattern(f.text)
        query = query.where(or_(*(c.ilike(pattern, escape="\\") for c in (
            Agreement.title, Agreement.reference_number, Agreement.purpose, Agreement.area))))
    if f.status is not None:
        query = query.where(Agreement.status == f.status)
    if f.theme is not None:
        query = query.where(Agreement.theme == f.theme)
    if f.organisation_id is not None:
        query = query.where(Agreement.id.in_(select(agreement_parties.c.agreement_id).where(
            agreement_parties.c.organisation_id == f.organisation_id)))
    return query


@dataclass(frozen=True)
class ActionCounts:
    total: int = 0
    open: int = 0
    stalled: int = 0
    done: int = 0


def action_counts(agreement_ids: list[int], today: dt.date, thresholds: Thresholds) -> dict[int, ActionCounts]:
    """Per agreement: how many actions, open, stalled and done on `today` (one query for any number)."""
    if not agreement_ids:
        return {}
    rows = db.session.execute(
        select(Action.agreement_id, func.count(Action.id),
               func.sum(case((conditions.is_open(), 1), else_=0)),
               func.sum(case((conditions.is_stalled(today, thresholds), 1), else_=0)),
               func.sum(case((Action.status == ActionStatus.DONE, 1), else_=0)))
        .where(Action.agreement_id.in_(agreement_ids)).group_by(Action.agreement_id))
    return {row[0]: ActionCounts(*(int(v or 0) for v in row[1:])) for row in rows}


def visible_agreement_ids(user: User) -> Select:
    return select(Agreement.id).where(policy.visible_agreements(user))


def party_choices(keep_ids: list[int] = ()) -> list[tuple[int, str]]:
    query = select(Organisation).where(or_(Organisation.is_active.is_(True), Organisation.id.in_(keep_ids)))
    return [(o.id, o.name) for o in db.session.scalars(query.order_by(func.lower(Organisation.name)))]


def steering_group_choices(user: User, party_ids: list[int], keep_ids: list[int] = ()) -> list[tuple[int, str]]:
    """Active people of the chosen parties or whom the user may see (policy.visible_people); current members."""
    chosen_or_visible = or_(User.organisation_id.in_(party_ids), policy.visible_people(user))
    return people_choices(or_(and_(User.is_active.is_(True), chosen_or_visible), User.id.in_(keep_ids)))
