import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.agreements.models import Agreement
from tracker.clock import local_date, utcnow
from tracker.columns import Versioned
from tracker.extensions import Model
from tracker.organisations.models import Organisation


class ActionStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self not in (ActionStatus.DONE, ActionStatus.CANCELLED)

    @property
    def label(self) -> str:
        return str(ACTION_STATUS_LABELS[self])


ACTION_STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.BLOCKED: _l("Blocked"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.CANCELLED: _l("Cancelled"),
}
OPEN_STATUSES = tuple(s for s in ActionStatus if s.is_open)
# Every field whose changes the audit trail records, and so every field a past day's action is rebuilt from
# (reports/history.py): the services audit each of them, and a test rebuilds each of them.
AUDITED_FIELDS = ("title", "description", "owner_organisation_id", "owner_id", "deadline", "status", "progress",
                  "blocked_reason", "blocked_since", "owner_lost_on", "raised_at", "raised_by_id", "raised_reason")


class Action(Versioned, Model):
    __tablename__ = "actions"
    # The lists' filters: an organisation's open actions, and "silent" (no progress since) without a scan.
    __table_args__ = (CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
                      Index("ix_actions_owner_organisation_id_status", "owner_organisation_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    deadline: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(default=ActionStatus.PLANNED, index=True)
    progress: Mapped[int] = mapped_column(default=0)
    blocked_reason: Mapped[str] = mapped_column(String(1000), default="")
    # The escalation ladder's facts: the day the action was blocked (set by log_progress) and the day it lost its
    # owner (handed to the coordinators as "utan ansvarig"); a raise to the steering group by hand, with a reason.
    blocked_since: Mapped[dt.date | None]
    owner_lost_on: Mapped[dt.date | None]
    raised_at: Mapped[dt.datetime | None]
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_reason: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    # Only a progress update moves this; editing fields does not make a silent action look alive.
    last_progress_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    agreement: Mapped[Agreement] = relationship()
    owner_organisation: Mapped[Organisation] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    updates: Mapped[list["ProgressUpdate"]] = relationship(
        back_populates="action", order_by="ProgressUpdate.at.desc(), ProgressUpdate.id.desc()")
    # Every request raised on the action, answered or not: the stalled rule decides which were open on a day.
    requests: Mapped[list["Request"]] = relationship(back_populates="action", order_by="Request.id")

    @property
    def owner_active(self) -> bool:
        """The stalled rules' fact: the action has a named owner whose account is active."""
        return self.owner is not None and self.owner.is_active

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(Model):
    """One entry in an action's history: append-only, the evidence a steering group reads."""

    __tablename__ = "progress_updates"
    # An action's newest updates read from the index alone (and an agreement's, action by action: queries.py).
    __table_args__ = (Index("ix_progress_updates_action_id_at", "action_id", "at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    text: Mapped[str] = mapped_column(Text)
    status_from: Mapped[ActionStatus]
    status_to: Mapped[ActionStatus]
    progress_from: Mapped[int]
    progress_to: Mapped[int]

    # A structured update may name the next step (what and by when) and raise a request to another party.
    next_step: Mapped[str] = mapped_column(String(500), default="", server_default="")
    next_step_on: Mapped[dt.date | None]

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[User] = relationship()
    requests: Mapped[list["Request"]] = relationship(back_populates="update", order_by="Request.id")


class RequestOutcome(enum.StrEnum):
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str(REQUEST_OUTCOME_LABELS[self])


REQUEST_OUTCOME_LABELS = {
    RequestOutcome.ANSWERED: _l("Answered"),
    RequestOutcome.ACCEPTED: _l("Accepted"),
    RequestOutcome.DECLINED: _l("Declined"),
}


class Request(Model):
    """A request from the action's owning organisation to another party, raised in a progress update.
    Append-only besides its answer; open until the addressed organisation answers it."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    progress_update_id: Mapped[int] = mapped_column(ForeignKey("progress_updates.id"), index=True)
    from_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    to_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    text: Mapped[str] = mapped_column(String(1000))
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[str] = mapped_column(String(1000), default="")
    outcome: Mapped[RequestOutcome | None]

    action: Mapped[Action] = relationship(back_populates="requests")
    update: Mapped[ProgressUpdate] = relationship(back_populates="requests")
    from_organisation: Mapped[Organisation] = relationship(foreign_keys=[from_organisation_id])
    to_organisation: Mapped[Organisation] = relationship(foreign_keys=[to_organisation_id])
    asked_by: Mapped[User] = relationship(foreign_keys=[asked_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def asked_on(self) -> dt.date:
        """The Stockholm date it was asked."""
        return local_date(self.asked_at)

    def __str__(self) -> str:
        return self.text


class DeadlineChange(Model):
    """One move of an action's deadline: append-only, so the first promised date is never lost. A move carries a
    reason, or the steering-group decision that made it (decisions live in tracker.steering)."""

    __tablename__ = "deadline_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    moved_from: Mapped[dt.date | None]
    moved_to: Mapped[dt.date | None]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), index=True)

    action: Mapped[Action] = relationship()
    by: Mapped[User | None] = relationship()
