import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.clock import utcnow
from tracker.extensions import Model

if TYPE_CHECKING:  # for the annotation only: at run time the mapper finds "User" by name
    from tracker.accounts.models import User


class AuditEvent(Model):
    """Who changed what, when, from what to what. Append-only."""

    __tablename__ = "audit_events"
    # (at, id): the log's keyset pages (tracker/keyset.py) start at any row from the index.
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),
                      Index("ix_audit_events_at_id", "at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    verb: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped["User | None"] = relationship("User")
