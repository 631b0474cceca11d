"""Column types and mixins shared by all models."""
import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware, on SQLite and PostgreSQL alike."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Versioned:
    """Optimistic locking: a row saved by someone else since it was read is refused at flush."""

    version: Mapped[int] = mapped_column(default=1, server_default="1")
    if TYPE_CHECKING:  # every model that mixes this in is mapped to a table
        __table__: ClassVar[sa.FromClause]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}
