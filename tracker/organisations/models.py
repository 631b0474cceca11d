import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.clock import utcnow
from tracker.columns import Versioned
from tracker.extensions import Model


class OrganisationKind(enum.StrEnum):
    POLICE = "police"
    SOCIAL_SERVICES = "social_services"
    SCHOOL = "school"
    MUNICIPALITY = "municipality"
    REGION = "region"
    STATE_AGENCY = "state_agency"
    NGO = "ngo"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    OrganisationKind.POLICE: _l("Police"),
    OrganisationKind.SOCIAL_SERVICES: _l("Social services"),
    OrganisationKind.SCHOOL: _l("School"),
    OrganisationKind.MUNICIPALITY: _l("Municipality"),
    OrganisationKind.REGION: _l("Region"),
    OrganisationKind.STATE_AGENCY: _l("State agency"),
    OrganisationKind.NGO: _l("Civil-society organisation"),
    OrganisationKind.OTHER: _l("Other"),
}


# What a past month's report rebuilds of an organisation from the audit trail (reports/names.py).
REBUILT_FIELDS = ("name", "short_name")


class Organisation(Versioned, Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[OrganisationKind]
    municipality: Mapped[str] = mapped_column(String(100), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __str__(self) -> str:
        return self.name
