import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.clock import utcnow
from tracker.extensions import Model


class MessageState(enum.StrEnum):
    QUEUED = "queued"  # waiting for its first or next attempt
    SENT = "sent"  # the SMTP server accepted it
    FAILED = "failed"  # refused for good (bounced, too large) or out of attempts: an administrator may retry it

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {MessageState.QUEUED: _l("Queued"), MessageState.SENT: _l("Sent"), MessageState.FAILED: _l("Failed")}


class OutboxMessage(Model):
    """One e-mail to one person, written in the same transaction as the change that causes it, then delivered.

    The deduplication key makes queueing idempotent: the same digest, notice or report mail is never queued twice.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # [{"kind": "report", "id": 12}]: loaded when the message is delivered (tracker.mail.attachments).
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # A message carrying a secret link (invitation, password reset) is shown to administrators with the link
    # hidden, and keeps only that hidden copy once it is sent.
    is_secret: Mapped[bool] = mapped_column(default=False)
    hidden_text: Mapped[str | None] = mapped_column(Text)
    hidden_html: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[MessageState] = mapped_column(default=MessageState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    # When the next attempt is due; a sender that takes a message moves it ahead (a lease), so no other takes it.
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    sent_at: Mapped[dt.datetime | None]

    @property
    def shown_text(self) -> str:
        """The text an administrator may read: the secret link hidden."""
        return self.hidden_text if self.is_secret and self.hidden_text is not None else self.text_body
