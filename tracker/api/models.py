import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.clock import utcnow
from tracker.extensions import Model


class TokenScope(enum.StrEnum):
    """What a personal API key may do: every key reads; a write key also changes (within the person's rights)."""
    READ = "read"
    WRITE = "write"

    @property
    def label(self) -> str:
        return str(SCOPE_LABELS[self])

    @property
    def scopes(self) -> list[str]:
        return ["read", "write"] if self is TokenScope.WRITE else ["read"]


SCOPE_LABELS = {
    TokenScope.READ: _l("Read"),
    TokenScope.WRITE: _l("Read and change"),
}


class ApiToken(Model):
    """A personal API key. Only the SHA-256 of its secret is stored; `prefix` is the start of the secret, shown so
    the person recognises the key. It works until it expires (the end of expires_on, Stockholm) or is revoked, and
    only while its person and their organisation are active."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[TokenScope]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_on: Mapped[dt.date]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def is_usable(self, today: dt.date) -> bool:
        """Neither revoked nor expired on `today` (the person's and organisation's state is checked apart)."""
        return self.revoked_at is None and today <= self.expires_on

    def __str__(self) -> str:
        return self.name
