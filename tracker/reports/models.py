import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.accounts.models import User
from tracker.agreements.models import Agreement
from tracker.clock import utcnow
from tracker.extensions import db


class Report(db.Model):
    """A generated monthly PDF, kept as an immutable snapshot. Re-generating a month adds a new number."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_scope_month", "scope", "month", "number", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "agreement:<id>" for one agreement; "portfolio:<sorted ids>" for several.
    scope: Mapped[str] = mapped_column(String(200))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"), index=True)
    agreement_ids: Mapped[list[int]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(300))
    month: Mapped[str] = mapped_column(String(7))
    number: Mapped[int]
    language: Mapped[str] = mapped_column(String(5))
    generated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Kept in the database, in the same transaction as its metadata: a report is whole or absent.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))

    agreement: Mapped[Agreement | None] = relationship()
    generated_by: Mapped[User | None] = relationship()

    @property
    def filename(self) -> str:
        stem = f"agreement-{self.agreement_id}" if self.agreement_id else "portfolio"
        return f"samverka-{stem}-{self.month}-v{self.number}-{self.language}.pdf"
