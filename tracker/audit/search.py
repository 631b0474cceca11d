"""Searching the whole audit log (the administrators' page): it filters on people and their organisations."""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.accounts.queries import matching_people
from tracker.audit.models import AuditEvent
from tracker.clock import end_of_local_day, start_of_local_day
from tracker.extensions import db


@dataclass
class AuditFilters:
    who: str | None = None
    organisation_id: int | None = None
    object_type: str | None = None
    object_id: int | None = None
    verb: str | None = None
    from_day: dt.date | None = None
    to_day: dt.date | None = None


def search_events(f: AuditFilters) -> Select:
    """Events matching the filters, newest first, with actor and organisation loaded in the same query."""
    query = (select(AuditEvent).outerjoin(AuditEvent.actor)
             .options(joinedload(AuditEvent.actor).joinedload(User.organisation))
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    if f.who:
        query = query.where(AuditEvent.actor_id.in_(matching_people(f.who)))
    for column, value in ((User.organisation_id, f.organisation_id),
                          (AuditEvent.object_type, f.object_type), (AuditEvent.object_id, f.object_id),
                          (AuditEvent.verb, f.verb)):
        if value is not None:
            query = query.where(column == value)
    if f.from_day is not None:
        query = query.where(AuditEvent.at >= start_of_local_day(f.from_day))
    if f.to_day is not None:
        query = query.where(AuditEvent.at < end_of_local_day(f.to_day))
    return query


def anyone_matches(who: str) -> bool:
    """Whether the "Who" text names anybody, so an empty log can say it is the person that was not found."""
    return bool(db.session.scalar(select(matching_people(who).exists())))
