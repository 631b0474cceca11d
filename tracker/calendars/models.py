import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.clock import utcnow
from tracker.extensions import Model


class CalendarToken(Model):
    """A person's calendar links: one secret token per person opens their feed and their agreements' feeds. Only
    its SHA-256 is stored, so a copy of the table opens no calendar; a new token replaces the old one at once."""
    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
