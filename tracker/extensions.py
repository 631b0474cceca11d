"""Flask extensions and the typed declarative base every model inherits."""
import datetime as dt
import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase, registry

from tracker.columns import UTCDateTime

# Stable constraint names so Alembic diffs and batch migrations on SQLite can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    # Flask-SQLAlchemy 3.1 needs the type map inside registry(); a class attribute fails at start-up.
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            # Enums are stored by value ("in_progress"), as plain strings: no PostgreSQL ENUM types to migrate.
            enum.Enum: sa.Enum(enum.Enum, native_enum=False, length=30,
                               values_callable=lambda members: [m.value for m in members]),
            dt.datetime: UTCDateTime(),
        },
    )


db = SQLAlchemy(model_class=Base)
# Every model inherits Model. At run time it is db.Model (Base with Flask-SQLAlchemy's additions); a type checker
# cannot use an attribute as a base class, so it sees Base, whose typed mapping is what matters to it.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
babel = Babel()
# Storage from RATELIMIT_STORAGE_URI: memory:// by default (one process), redis://... for several workers.
limiter = Limiter(key_func=get_remote_address)
