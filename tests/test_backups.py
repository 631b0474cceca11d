"""`flask backup` and `flask restore`: a consistent copy, and getting it back, refusing anything else."""
import os
import sqlite3

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, true

from tests.factories import make_agreement, make_organisation
from tracker import MIGRATIONS, changes, create_app
from tracker.extensions import db
from tracker.organisations.models import Organisation


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on a SQLite file of its own, built by the migrations, as in production."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite3'}", "SECRET_KEY": "t",
                      "TESTING": True})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        yield app
        db.session.remove()
        db.engine.dispose()


def organisations() -> list[str]:
    db.session.remove()
    return sorted(db.session.scalars(select(Organisation.name)))


def test_backup_then_restore_brings_back_what_was_there(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    make_agreement(lead_organisation=make_organisation(name="Polisen Järva"))
    db.session.commit()
    result = runner.invoke(args=["backup", "--output", str(tmp_path / "copy.sqlite3")])
    assert result.exit_code == 0, result.output
    backed_up = changes.stamp(true())
    make_organisation(name="Added after the backup")
    db.session.commit()
    db.session.remove()
    result = runner.invoke(args=["restore", str(tmp_path / "copy.sqlite3"), "--yes"])
    assert result.exit_code == 0, result.output
    assert organisations() == ["Polisen Järva"]
    # pages a running app kept were made from other data: the restored agreements have new stamps
    assert changes.stamp(true()) != backed_up
    safety = [p for p in (tmp_path / "instance" / "backups").iterdir() if "before-restore" in p.name]
    assert len(safety) == 1
    with sqlite3.connect(safety[0]) as copy:
        assert copy.execute("SELECT count(*) FROM organisations").fetchone()[0] == 2


def test_backup_goes_to_the_instance_folder_by_default_and_never_overwrites(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "instance" / "backups").iterdir())
    assert len(written) == 1 and written[0].suffix == ".sqlite3"
    again = runner.invoke(args=["backup", "--output", str(written[0])])
    assert again.exit_code != 0 and "exists already" in again.output


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, None],
                         ids=["empty-file", "garbage", "other-sqlite-database"])
def test_restore_refuses_what_is_not_a_samverka_backup_and_changes_nothing(sqlite_app, tmp_path, content):
    make_organisation(name="Kept")
    db.session.commit()
    source = tmp_path / "source.sqlite3"
    if content is None:
        with sqlite3.connect(source) as other:
            other.execute("CREATE TABLE notes (text TEXT)")
    else:
        source.write_bytes(content)
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(source), "--yes"])
    assert result.exit_code != 0
    assert "not a Samverka database" in result.output or "not a readable SQLite database" in result.output
    assert organisations() == ["Kept"]


def test_restore_of_a_missing_file_says_so(sqlite_app, tmp_path):
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(tmp_path / "nope.sqlite3"), "--yes"])
    assert result.exit_code != 0 and "there is no file at" in result.output


def test_restore_asks_before_replacing(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    runner.invoke(args=["backup", "--output", str(tmp_path / "copy.sqlite3")])
    result = runner.invoke(args=["restore", str(tmp_path / "copy.sqlite3")], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only")
def test_postgresql_backup_is_a_pg_dump_archive(app, tmp_path):
    make_organisation(name="Polisen Järva")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path / "copy.dump")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "copy.dump").read_bytes()[:5] == b"PGDMP"
    refused = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "copy.dump"), "--yes"])
    assert refused.exit_code != 0 and "pg_restore" in refused.output
