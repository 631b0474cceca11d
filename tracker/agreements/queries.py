"""Read-only selects for agreements, always filtered by what the user may read."""
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker import policy
from tracker.accounts.models import User
from tracker.accounts.queries import people_choices
from tracker.agreements import panels
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
    stalled_on: dt.date | None = None  # only agreements with a stalled commitment on this day


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
    if f.stalled_on is not None:
        query = query.where(Agreement.id.in_(panels.stalled_agreement_ids(f.stalled_on)))
    return query


def visible_agreement_ids(user: User) -> Select:
    return select(Agreement.id).where(policy.visible_agreements(user))


def party_choices(keep_ids: Sequence[int] = ()) -> list[tuple[int, str]]:
    query = select(Organisation).where(or_(Organisation.is_active.is_(True), Organisation.id.in_(keep_ids)))
    return [(o.id, o.name) for o in db.session.scalars(query.order_by(func.lower(Organisation.name)))]


def steering_group_choices(user: User, party_ids: list[int], keep_ids: Sequence[int] = ()) -> list[tuple[int, str]]:
    """Active people of the saved parties (on a new agreement: the user's organisation) or whom the user may see
    (policy.visible_people), and the current members."""
    chosen_or_visible = or_(User.organisation_id.in_(party_ids), policy.visible_people(user))
    return people_choices(or_(and_(User.is_active.is_(True), chosen_or_visible), User.id.in_(keep_ids)))
