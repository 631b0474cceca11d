"""Recording audit events: every change to agreements, actions, organisations and accounts goes through here."""
import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from tracker.audit.models import AuditEvent
from tracker.clock import utcnow
from tracker.extensions import db

if TYPE_CHECKING:  # for the annotation only: the actor is a User, which the core does not import
    from tracker.accounts.models import User


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the audit trail."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return sorted(plain(v) for v in value)
    if hasattr(value, "id"):
        return value.id
    return str(value)


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set each changed attribute on obj; return {field: [from, to]} for those that changed."""
    changes = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if plain(old) != plain(new):
            setattr(obj, field, new)
            changes[field] = [plain(old), plain(new)]
    return changes


def record(actor: "User | None", verb: str, obj: Any, changes: dict[str, Any] | None = None,
           at: dt.datetime | None = None) -> AuditEvent:
    """Append an audit event for obj (flushed first, so a new object has its id); at: now unless imported."""
    if getattr(obj, "id", None) is None:
        db.session.flush()
    return record_event(actor, verb, obj.__tablename__, obj.id, changes, at)


def record_event(actor: "User | None", verb: str, object_type: str, object_id: int | None,
                 changes: dict[str, Any] | None = None, at: dt.datetime | None = None) -> AuditEvent:
    """Append an audit event about an object named by type and id (None when there is no such object)."""
    event = AuditEvent(actor_id=actor.id if actor is not None else None, verb=verb, object_type=object_type,
                       object_id=object_id, changes=changes or {}, at=at or utcnow())
    db.session.add(event)
    return event
