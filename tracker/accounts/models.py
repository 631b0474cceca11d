import datetime as dt
import enum
import re
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.clock import utcnow
from tracker.columns import Versioned
from tracker.extensions import Model
from tracker.organisations.models import Organisation
from tracker.roles import ROLE_LABELS, Role  # noqa: F401  (re-exported: accounts own the roles)

# What a past month's report rebuilds of a person from the audit trail (reports/names.py, and is_active for the
# ownerless rule in reports/history.py).
REBUILT_FIELDS = ("name", "organisation_id", "is_active")


class User(UserMixin, Versioned, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint makes e-mail unique case-insensitively.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[Role] = mapped_column(default=Role.COORDINATOR)
    is_active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    must_change_password: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The weekly digest of one's stalled and due-soon actions: only the person themself changes these.
    wants_digest: Mapped[bool] = mapped_column(default=True, server_default=true())
    digest_weekday: Mapped[int] = mapped_column(default=0, server_default="0")  # 0 Monday … 6 Sunday

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    # The session this request runs in: set at sign-in and by the session loader, never stored on the user.
    if TYPE_CHECKING:  # annotated for the checker only: at run time SQLAlchemy would try to map it
        current_session: "UserSession | None"
    current_session = None

    def get_id(self) -> str | None:
        # Flask-Login keeps this in the signed cookie: the secret token of this sign-in, not the user's id.
        return self.current_session.token if self.current_session else None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __str__(self) -> str:
        return self.name


class LinkPurpose(enum.StrEnum):
    """What a one-time link sent by e-mail lets its holder do."""
    INVITATION = "invitation"  # choose the first password of an invited account
    PASSWORD_RESET = "password_reset"  # choose a new password


class AccountLink(Model):
    """A single-use link sent by e-mail. Only the SHA-256 of its secret token is stored."""
    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[LinkPurpose]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SessionEnd(enum.StrEnum):
    """Why a session ended."""
    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    ENDED_BY_USER = "ended_by_user"
    ENDED_BY_ADMIN = "ended_by_admin"
    PASSWORD_CHANGED = "password_changed"
    TEMPORARY_PASSWORD = "temporary_password"
    ACCOUNT_CHANGED = "account_changed"
    DEACTIVATED = "deactivated"
    ORGANISATION_DEACTIVATED = "organisation_deactivated"


class UserSession(Model):
    """One sign-in. The cookie carries a secret token; only its SHA-256 is stored, so the table opens no session."""
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[SessionEnd | None]

    user: Mapped[User] = relationship()

    # The secret itself, known only while handling the request that carries it (or the sign-in that made it).
    if TYPE_CHECKING:  # annotated for the checker only: at run time SQLAlchemy would try to map it
        token: str | None
    token = None

    @property
    def browser(self) -> str:
        """The browser and system named by the user agent, shortly ("Firefox, Windows"), else its first words."""
        agent = self.user_agent or ""
        browser = next((name for name, pattern in BROWSERS if re.search(pattern, agent)), None)
        system = next((name for name, pattern in SYSTEMS if re.search(pattern, agent)), None)
        if browser or system:
            return ", ".join(part for part in (browser, system) if part)
        return agent if len(agent) <= 40 else agent[:40] + "…"


# First match wins: Edge and Opera also say Chrome, Chrome also says Safari.
BROWSERS = [("Edge", r"Edg(e|A|iOS)?/"), ("Opera", r"OPR/|Opera"), ("Firefox", r"Firefox/|FxiOS/"),
            ("Chromium", r"Chromium/"), ("Chrome", r"Chrome/|CriOS/"), ("Safari", r"Safari/")]
SYSTEMS = [("Android", r"Android"), ("iOS", r"iPhone|iPad|iPod"), ("Windows", r"Windows"),
           ("macOS", r"Mac OS X|Macintosh"), ("ChromeOS", r"CrOS"), ("Linux", r"Linux")]
