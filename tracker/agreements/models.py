import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.changes import first_version
from tracker.clock import utcnow
from tracker.columns import Versioned
from tracker.extensions import Model, db
from tracker.organisations.models import Organisation


class AgreementStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return str(AGREEMENT_STATUS_LABELS[self])


AGREEMENT_STATUS_LABELS = {
    AgreementStatus.DRAFT: _l("Draft"),
    AgreementStatus.ACTIVE: _l("Active"),
    AgreementStatus.ENDED: _l("Ended"),
}


class Theme(enum.StrEnum):
    YOUTH_CRIME_PREVENTION = "youth_crime_prevention"
    SAFE_LOCAL_ENVIRONMENT = "safe_local_environment"
    VICTIMS_AND_WITNESSES = "victims_and_witnesses"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(THEME_LABELS[self])


THEME_LABELS = {
    Theme.YOUTH_CRIME_PREVENTION: _l("Early interventions against gang recruitment"),
    Theme.SAFE_LOCAL_ENVIRONMENT: _l("A safe local environment"),
    Theme.VICTIMS_AND_WITNESSES: _l("Support for victims and witnesses"),
    Theme.OTHER: _l("Other"),
}

agreement_parties = Table(
    "agreement_parties", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True, index=True),
)

steering_group_members = Table(
    "steering_group_members", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


# What a past month's report rebuilds of an agreement from the audit trail (reports/names.py); the services record
# every one of them when it changes (tests/test_rebuilt_names.py).
REBUILT_FIELDS = ("title", "reference_number", "theme", "starts_on", "ends_on", "lead_organisation_id", "parties",
                  "steering_group")


class Agreement(Versioned, Model):
    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    reference_number: Mapped[str] = mapped_column(String(60), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[Theme]
    area: Mapped[str] = mapped_column(String(100), default="")
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    next_review_on: Mapped[dt.date | None]
    next_meeting_on: Mapped[dt.date | None]  # the steering group's next meeting (set on the steering page)
    status: Mapped[AgreementStatus] = mapped_column(default=AgreementStatus.DRAFT, index=True)
    lead_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Escalation thresholds for this agreement's actions; None uses ESCALATE_LEVEL2_DAYS / ESCALATE_LEVEL3_DAYS.
    escalate_level2_days: Mapped[int | None]
    escalate_level3_days: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Grows with every change to what pages show of the agreement (tracker/changes.py); never edited by hand.
    content_version: Mapped[int] = mapped_column(BigInteger, default=first_version, server_default="0")

    lead_organisation: Mapped[Organisation] = relationship(foreign_keys=[lead_organisation_id])
    parties: Mapped[list[Organisation]] = relationship(secondary=agreement_parties, order_by=Organisation.name)
    steering_group: Mapped[list[User]] = relationship(secondary=steering_group_members, order_by=User.name)

    @property
    def party_ids(self) -> list[int]:
        return [o.id for o in self.parties]

    @property
    def steering_group_ids(self) -> list[int]:
        return [u.id for u in self.steering_group]

    def __str__(self) -> str:
        return self.title
