"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump. A copy is whole or absent."""
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import make_url

POSTGRESQL_RESTORE = _l("restore works on SQLite; for PostgreSQL use pg_restore (see README)")


class BackupError(Exception):
    """The backup or restore could not be made; the message says why."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(_("an in-memory SQLite database cannot be backed up"))
    return Path(database)


def default_target(folder: Path, url: str, now: dt.datetime) -> Path:
    suffix = ".sqlite3" if make_url(url).get_backend_name() == "sqlite" else ".dump"
    return folder / f"samverka-{now:%Y%m%d-%H%M%S}{suffix}"


def backup(url: str, target: Path) -> Path:
    """Write a consistent copy of the database at url to target (written aside, then moved into place)."""
    if target.exists():
        raise BackupError(_("%(file)s exists already; choose another file", file=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        if make_url(url).get_backend_name() == "sqlite":
            _backup_sqlite(_sqlite_path(url), partial)
        else:
            _backup_postgres(url, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _backup_sqlite(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(_("there is no database at %(file)s", file=source))
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)  # a consistent snapshot, even while the application writes
        _check(copy, target)


def _check(connection: sqlite3.Connection, path: Path) -> None:
    if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise BackupError(_("%(file)s failed SQLite's integrity check", file=path))


def _backup_postgres(url: str, target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise BackupError(_("pg_dump is not installed (Debian package postgresql-client)"))
    libpq_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", libpq_url],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(_("pg_dump failed: %(reason)s", reason=result.stderr.strip()[:500]))


def restore_sqlite(url: str, source: Path) -> None:
    """Replace the live SQLite database's content with the backup's, after checking the backup."""
    if make_url(url).get_backend_name() != "sqlite":
        raise BackupError(str(POSTGRESQL_RESTORE))
    if not source.is_file():
        raise BackupError(_("there is no file at %(file)s", file=source))
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
            _check(backup_db, source)
            tables = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables or "users" not in tables:
                raise BackupError(_("%(file)s is not a Samverka database", file=source))
            with sqlite3.connect(_sqlite_path(url)) as live:
                backup_db.backup(live)
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("%(file)s is not a readable SQLite database (%(reason)s)", file=source,
                            reason=exc)) from exc
