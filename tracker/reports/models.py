import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, LargeBinary, String, Table
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.accounts.models import User
from tracker.agreements.models import Agreement
from tracker.clock import utcnow
from tracker.extensions import Model, db

# Every agreement a report covers: a report is readable when each of them is (policy.readable_reports).
report_agreements = Table(
    "report_agreements", db.metadata,
    Column("report_id", ForeignKey("reports.id"), primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True, index=True),
)


def report_scope(agreement_ids: list[int]) -> str:
    """What a report covers, as stored: "agreement:<id>" for one agreement, "portfolio:<sorted ids>" for several."""
    ids = sorted(agreement_ids)
    return f"agreement:{ids[0]}" if len(ids) == 1 else "portfolio:" + ",".join(map(str, ids))


class Report(Model):
    """A generated monthly PDF, kept as an immutable snapshot. Re-generating a month adds a new number, counted
    per month and language."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_scope_month", "scope", "month", "language", "number", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "agreement:<id>" for one agreement; "portfolio:<sorted ids>" for several.
    scope: Mapped[str] = mapped_column(String(200))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"), index=True)
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
    # Each action's standing at the end of the report's day (reports/snapshot.py): what the next month's report
    # compares with, so "since last month" means since the report the steering group read. None before 0009.
    snapshot: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSON))

    agreement: Mapped[Agreement | None] = relationship()
    generated_by: Mapped[User | None] = relationship()
    agreements: Mapped[list[Agreement]] = relationship(secondary=report_agreements, order_by=Agreement.title)

    @property
    def agreement_ids(self) -> list[int]:
        return sorted(a.id for a in self.agreements)

    @property
    def filename(self) -> str:
        stem = f"agreement-{self.agreement_id}" if self.agreement_id else "portfolio"
        return f"samverka-{stem}-{self.month}-v{self.number}-{self.language}.pdf"
