"""Alembic environment: the schema is the application's metadata; SQLite ALTERs go through batch mode."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from tracker.columns import UTCDateTime

config = context.config
if config.config_file_name and not getattr(config, "attributes", {}).get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
engine = db.engine
config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))


def render_item(type_, obj, autogen_context):
    # Revisions stay free of application imports: UTCDateTime is a plain DateTime in the database.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


OPTIONS = dict(target_metadata=db.metadata, render_as_batch=True, compare_type=True, render_item=render_item)


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def process_revision_directives(context_, revision, directives):
    # `flask db migrate` with no model changes writes no empty revision.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online() -> None:
    with engine.connect() as connection:
        context.configure(connection=connection, process_revision_directives=process_revision_directives,
                          **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
