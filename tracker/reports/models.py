import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
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


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def is_over(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED)

    @property
    def label(self) -> str:
        return str(JOB_STATE_LABELS[self])


JOB_STATE_LABELS = {JobState.QUEUED: _l("Waiting in the queue"), JobState.RUNNING: _l("Being made"),
                    JobState.DONE: _l("Ready"), JobState.FAILED: _l("Failed")}


class ReportJob(Model):
    """A report asked for and made in the background (reports/background.py): what was asked, by whom, how far it
    has come, and the archived Report or why there is none. A person's portfolio or agreement report from the web,
    and each agreement of the monthly `flask reports generate --all` (asked by no one)."""

    __tablename__ = "report_jobs"
    __table_args__ = (Index("ix_report_jobs_requester", "requested_by_id", "created_at"),
                      Index("ix_report_jobs_state", "state", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Ids, not a link table: an agreement that disappears before the job runs is a reason it failed, not an error.
    agreement_ids: Mapped[list[int]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(300))  # the agreements' titles when it was asked for, "; " between
    month: Mapped[str] = mapped_column(String(7))
    language: Mapped[str] = mapped_column(String(5))
    as_of: Mapped[dt.date]  # "today" when it was asked: the report describes the month as it stood then
    send_mail: Mapped[bool] = mapped_column(default=False)  # mail it to the steering group (the monthly run)
    state: Mapped[JobState] = mapped_column(default=JobState.QUEUED)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    # Why it failed, as a code the page words in the reader's language (reports/job_reasons.py), and the names it
    # needs; the technical details are in the log.
    failure: Mapped[str | None] = mapped_column(String(40))
    failure_detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]

    requested_by: Mapped[User | None] = relationship()
    report: Mapped[Report | None] = relationship()

    @property
    def is_portfolio(self) -> bool:
        return len(self.agreement_ids) > 1
