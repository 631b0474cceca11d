"""`flask backup` and `flask restore`."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker import changes
from tracker.backups import services
from tracker.clock import utcnow
from tracker.extensions import db


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write. Default: instance/backups/samverka-<time>.sqlite3 (or .dump on PostgreSQL).")
@with_appcontext
def backup(output: Path | None) -> None:
    """Write a consistent copy of the database (SQLite online backup, or pg_dump on PostgreSQL)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    target = output or services.default_target(Path(current_app.instance_path) / "backups", url, utcnow())
    try:
        written = services.backup(url, target)
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Backup written to %(file)s (%(size)d bytes).", file=written, size=written.stat().st_size))


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore(source: Path, yes: bool) -> None:
    """Replace the SQLite database with a backup; a backup of the current state is written first."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        raise click.ClickException(str(services.POSTGRESQL_RESTORE))
    if not yes:
        click.confirm(_("Replace everything in the database with %(file)s?", file=source), abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database open
    try:
        safety = services.backup(url, services.default_target(
            Path(current_app.instance_path) / "backups", url, utcnow()).with_suffix(".before-restore.sqlite3"))
        services.restore_sqlite(url, source)
        changes.forget_everything()  # pages kept by a running app were made from other data
        db.session.commit()
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Restored from %(file)s. The state before the restore is kept in %(safety)s.", file=source,
                 safety=safety))
