"""Agreements, organisations and people as they were named at the end of a day, rebuilt from the audit trail
with the same undoing as the actions (history.undo_later), so a past month's report shows the names it had."""
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from tracker.accounts.models import REBUILT_FIELDS as PERSON_FIELDS
from tracker.accounts.models import User
from tracker.agreements.models import REBUILT_FIELDS as AGREEMENT_FIELDS
from tracker.agreements.models import Agreement, Theme
from tracker.clock import end_of_local_day
from tracker.extensions import db
from tracker.organisations.models import REBUILT_FIELDS as ORGANISATION_FIELDS
from tracker.organisations.models import Organisation
from tracker.reports.history import undo_later


@dataclass(eq=False)
class OrganisationAsOf:
    id: int
    name: str
    short_name: str


@dataclass(eq=False)
class PersonAsOf:
    id: int
    name: str
    organisation_id: int
    is_active: bool
    organisation: OrganisationAsOf | None = None


@dataclass(eq=False)
class AgreementAsOf:
    """An agreement as it stood; parties and steering_group hold ids while rebuilt, then the named objects."""

    id: int
    title: str
    reference_number: str
    theme: Theme
    starts_on: dt.date
    ends_on: dt.date | None
    lead_organisation_id: int
    parties: list[Any]
    steering_group: list[Any]
    lead_organisation: OrganisationAsOf | None = None


@dataclass
class Names:
    agreements: list[AgreementAsOf]
    organisations: dict[int, OrganisationAsOf] = field(default_factory=dict)
    people: dict[int, PersonAsOf] = field(default_factory=dict)

    def organisation(self, organisation_id: int) -> OrganisationAsOf:
        return self.organisations[organisation_id]

    def person(self, person_id: int | None) -> PersonAsOf | None:
        return self.people.get(person_id) if person_id else None


def _from_plain(name: str, value: Any) -> Any:
    if name in ("parties", "steering_group"):
        return list(value or [])
    if name == "is_active":
        return bool(value)
    if value is None:
        return None
    if name in ("starts_on", "ends_on"):
        return dt.date.fromisoformat(value)
    if name == "theme":
        return Theme(value)
    return value


def names_as_of(agreements: list[Agreement], organisation_ids: set[int], person_ids: set[int],
                day: dt.date) -> Names:
    """The agreements (with lead, parties and steering group) and the named organisations and people, each as
    they stood at the end of `day` (three queries of the audit trail, three of the tables)."""
    cutoff = end_of_local_day(day)
    states = {a.id: AgreementAsOf(a.id, a.title, a.reference_number, a.theme, a.starts_on, a.ends_on,
                                  a.lead_organisation_id, list(a.party_ids), list(a.steering_group_ids))
              for a in agreements}
    undo_later(states, Agreement.__tablename__, AGREEMENT_FIELDS, cutoff, _from_plain)
    person_ids = set(person_ids) | {i for s in states.values() for i in s.steering_group}
    people = {u.id: PersonAsOf(u.id, u.name, u.organisation_id, u.is_active)
              for u in db.session.scalars(select(User).where(User.id.in_(person_ids)))}
    undo_later(people, User.__tablename__, PERSON_FIELDS, cutoff, _from_plain)
    organisation_ids = (set(organisation_ids) | {p.organisation_id for p in people.values()}
                        | {s.lead_organisation_id for s in states.values()}
                        | {i for s in states.values() for i in s.parties})
    organisations = {o.id: OrganisationAsOf(o.id, o.name, o.short_name) for o in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(organisation_ids)))}
    undo_later(organisations, Organisation.__tablename__, ORGANISATION_FIELDS, cutoff, _from_plain)
    for person in people.values():
        person.organisation = organisations.get(person.organisation_id)
    for state in states.values():
        state.lead_organisation = organisations.get(state.lead_organisation_id)
        state.parties = sorted((organisations[i] for i in state.parties if i in organisations),
                               key=lambda o: o.name.lower())
        state.steering_group = sorted((people[i] for i in state.steering_group if i in people),
                                      key=lambda p: p.name.lower())
    return Names([states[a.id] for a in agreements], organisations, people)
