"""Reading the audit trail."""
import datetime as dt
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.clock import end_of_local_day, start_of_local_day
from tracker.audit.labels import load_names
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.pagination import paginate


def history_of(obj) -> Select:
    """Every audit event of one object, newest first, with its actor loaded in the same query."""
    return (select(AuditEvent).where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)
            .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))


def history(obj, limit: int = 50) -> list[AuditEvent]:
    """The newest audit events of one object, with their actors and the names their changes mention."""
    return load_names(list(db.session.scalars(history_of(obj).limit(limit))))


def history_page(obj, per_page: int = 50) -> Pagination:
    """One page (?page=) of an object's whole history, with the names its changes mention."""
    page = paginate(history_of(obj), per_page=per_page)
    load_names(page.items)
    return page


@dataclass
class AuditFilters:
    actor_id: int | None = None
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
    for column, value in ((AuditEvent.actor_id, f.actor_id), (User.organisation_id, f.organisation_id),
                          (AuditEvent.object_type, f.object_type), (AuditEvent.object_id, f.object_id),
                          (AuditEvent.verb, f.verb)):
        if value is not None:
            query = query.where(column == value)
    if f.from_day is not None:
        query = query.where(AuditEvent.at >= start_of_local_day(f.from_day))
    if f.to_day is not None:
        query = query.where(AuditEvent.at < end_of_local_day(f.to_day))
    return query
