"""Reading one object's audit trail (the audit log page's search is in audit/search.py)."""
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from tracker.audit.labels import EventLine, describe
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.pagination import paginate


def history_of(obj: Any) -> Select[tuple[AuditEvent]]:
    """Every audit event of one object, newest first, with its actor loaded in the same query."""
    return (select(AuditEvent).where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)
            .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))


def history(obj: Any, limit: int = 50) -> list[EventLine]:
    """The newest audit events of one object, as lines with every name resolved."""
    return describe(db.session.scalars(history_of(obj).limit(limit)).all())


def history_page(obj: Any, per_page: int = 50) -> Pagination:
    """One page (?page=) of an object's whole history, its items lines with every name resolved."""
    page = paginate(history_of(obj), per_page=per_page)
    page.items = describe(page.items)
    return page
