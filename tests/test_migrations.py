"""The real Alembic migrations, on an empty database: they build exactly the schema the models declare, and every
revision downgrades cleanly. On SQLite always; on PostgreSQL too when DATABASE_URL is set, in a database of its own."""
import itertools
import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from tracker import MIGRATIONS, create_app
from tracker.extensions import db

SCRIPTS = ScriptDirectory(str(MIGRATIONS))
REVISIONS = [r.revision for r in reversed(list(SCRIPTS.walk_revisions()))]  # base → head


def _postgresql_url() -> sa.URL | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    return sa.make_url("postgresql+psycopg://" + url.split("://", 1)[1])


@pytest.fixture
def sqlite_url(tmp_path):
    yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"


@pytest.fixture
def postgresql_url():
    """A fresh database `<DATABASE_URL's name>_migrations` on the same server, dropped afterwards."""
    server = _postgresql_url()
    if server is None:
        pytest.skip("PostgreSQL only: set DATABASE_URL")
    url = server.set(database=f"{server.database}_migrations")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")  # CREATE DATABASE refuses a transaction
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def migrating_app(request, tmp_path):
    """An app on an empty database of its own, nothing created yet: the migrations do all the work."""
    url = request.getfixturevalue(f"{request.param}_url")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key", "TESTING": True,
                      "WTF_CSRF_ENABLED": False})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def columns() -> set[str]:
    """Every table.column of the schema: a revision may add a column rather than a table."""
    inspector = sa.inspect(db.engine)
    return {f"{t}.{c['name']}" for t in inspector.get_table_names() for c in inspector.get_columns(t)}


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_differences() -> list:
    """What autogenerate would write into a new revision: the migrated schema against the models' metadata.

    compare_type=True as in tracker/__init__.py and migrations/env.py. No type-equivalence hook is needed:
    UTCDateTime is a TypeDecorator over DateTime and Alembic compares the implementation type, which matches the
    plain DateTime the revisions create (env.py renders it that way). Nothing is filtered out of the result.
    """
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        return compare_metadata(context, db.metadata)


def test_there_is_one_line_of_revisions():
    assert len(SCRIPTS.get_heads()) == 1 and SCRIPTS.get_base() == REVISIONS[0]


def test_upgrade_builds_exactly_the_schema_of_the_models(migrating_app):
    assert tables() == set()
    upgrade(directory=str(MIGRATIONS))
    assert current_revision() == SCRIPTS.get_current_head()
    assert tables() == set(db.metadata.tables) | {"alembic_version"}
    assert schema_differences() == []


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(migrating_app):
    upgrade(directory=str(MIGRATIONS))
    downgrade(directory=str(MIGRATIONS), revision="base")
    assert tables() == {"alembic_version"}
    assert current_revision() is None
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            leftovers = connection.execute(sa.text(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public' "
                "UNION ALL SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = 'public' AND t.typtype = 'e'")).scalars().all()
        assert leftovers == []
    upgrade(directory=str(MIGRATIONS))
    assert current_revision() == SCRIPTS.get_current_head()
    assert schema_differences() == []


def columns() -> set[tuple[str, str]]:
    inspector = sa.inspect(db.engine)
    return {(table, column["name"]) for table in inspector.get_table_names() for column in inspector.get_columns(table)}


def indexes() -> set[tuple[str, str, tuple[str, ...]]]:
    inspector = sa.inspect(db.engine)
    return {(table, index["name"], tuple(index["column_names"]))
            for table in inspector.get_table_names() for index in inspector.get_indexes(table)}


def test_every_revision_upgrades_and_downgrades_one_step_at_a_time(migrating_app):
    seen = []
    for revision in REVISIONS:
        upgrade(directory=str(MIGRATIONS), revision=revision)
        assert current_revision() == revision
        seen.append((tables(), columns(), indexes()))
    assert all(before[1:] != after[1:] for before, after in itertools.pairwise(seen)), \
        "each revision changes the schema (its columns or indexes)"
    for revision, expected in zip(reversed(REVISIONS[:-1]), reversed(seen[:-1]), strict=True):
        downgrade(directory=str(MIGRATIONS), revision="-1")
        assert current_revision() == revision
        assert (tables(), columns(), indexes()) == expected
    downgrade(directory=str(MIGRATIONS), revision="-1")
    assert tables() == {"alembic_version"}


def test_the_migrated_database_takes_the_apps_data(migrating_app):
    """Defaults and constraints from the revisions work with the models: a user can be created and signs in."""
    from tests.factories import PASSWORD, make_user

    upgrade(directory=str(MIGRATIONS))
    user = make_user(email="first@example.se")
    db.session.commit()
    assert user.version == 1
    client = migrating_app.test_client()
    assert client.post("/login", data={"email": "first@example.se", "password": PASSWORD}).status_code == 303


def test_the_session_revision_keeps_the_accounts_and_what_refers_to_them(migrating_app):
    """0004 rebuilds `users` on SQLite: rows referred to by other tables survive it, both ways."""
    upgrade(directory=str(MIGRATIONS), revision="0003")
    with db.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO organisations (name, short_name, kind, municipality, contact_email, is_active, created_at, "
            "version) VALUES ('Org', 'O', 'police', '', '', true, '2026-01-01', 1)"))
        connection.execute(sa.text(
            "INSERT INTO users (email, name, organisation_id, role, is_active, password_hash, must_change_password, "
            "created_at, login_token, version) VALUES ('a@x.se', 'A', 1, 'admin', true, '', false, '2026-01-01', "
            "'old-token', 1)"))
        connection.execute(sa.text(
            "INSERT INTO audit_events (at, actor_id, verb, object_type, object_id, changes) "
            "VALUES ('2026-01-01', 1, 'sign_in', 'users', 1, '{}')"))
    upgrade(directory=str(MIGRATIONS))
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT email FROM users")).scalars().all() == ["a@x.se"]
        assert connection.execute(sa.text("SELECT actor_id FROM audit_events")).scalars().all() == [1]
    downgrade(directory=str(MIGRATIONS), revision="0003")
    with db.engine.connect() as connection:
        [token] = connection.execute(sa.text("SELECT login_token FROM users")).scalars().all()
        assert token and token != "old-token"
        assert connection.execute(sa.text("SELECT count(*) FROM audit_events")).scalar() == 1


def _agreements_at_0003(how_many: int) -> list[int]:
    """Agreements inserted as the 0003 schema has them (the models may declare columns later revisions add)."""
    with db.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO organisations (name, short_name, kind, municipality, contact_email, is_active, created_at, "
            "version) VALUES ('Lead', 'L', 'municipality', 'Stockholm', 'l@example.se', TRUE, '2026-01-01', 1)"))
        for n in range(how_many):
            connection.execute(sa.text(
                "INSERT INTO agreements (title, reference_number, purpose, theme, area, starts_on, status, "
                "lead_organisation_id, created_at, version) VALUES (:title, '', '', 'other', '', '2026-01-01', "
                "'active', 1, '2026-01-01', 1)"), {"title": f"Agreement {n}"})
        return list(connection.execute(sa.text("SELECT id FROM agreements ORDER BY id")).scalars())


def test_report_versions_move_to_per_language_and_the_covered_agreements_to_a_table(migrating_app):
    """0005 copies each report's agreement ids into report_agreements; its downgrade copies them back and numbers
    the versions across languages again, since the old index allows one number per month."""
    upgrade(directory=str(MIGRATIONS), revision="0003")
    first, second = _agreements_at_0003(2)
    insert = sa.text("INSERT INTO reports (scope, agreement_id, agreement_ids, title, month, number, language, "
                     "generated_at, size, sha256, content) VALUES (:scope, NULL, :ids, 'P', '2026-10', :number, "
                     ":language, '2026-11-01 07:00:00', 1, :sha, :content)")
    with db.engine.begin() as connection:
        for number, language in ((1, "sv"), (2, "en")):
            connection.execute(insert, {"scope": f"portfolio:{first},{second}", "number": number,
                                        "language": language, "ids": f"[{first}, {second}]", "sha": "0" * 64,
                                        "content": b"%PDF"})
    upgrade(directory=str(MIGRATIONS), revision="0005")
    with db.engine.begin() as connection:
        covered = connection.execute(sa.text("SELECT report_id, agreement_id FROM report_agreements "
                                             "ORDER BY report_id, agreement_id")).all()
        # Numbered per language now: a second English version 1 of another scope is no clash, nor is sv 2 → en 1.
        connection.execute(sa.text("UPDATE reports SET number = 1 WHERE id = 2"))
    assert [tuple(row) for row in covered] == [(1, first), (1, second), (2, first), (2, second)]
    downgrade(directory=str(MIGRATIONS), revision="0003")
    with db.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT number, agreement_ids FROM reports ORDER BY id")).all()
    assert [row[0] for row in rows] == [1, 2]  # numbered again across languages, oldest first
    assert all(sorted(json_list(row[1])) == sorted([first, second]) for row in rows)


def json_list(value) -> list:
    import json

    return value if isinstance(value, list) else json.loads(value)
