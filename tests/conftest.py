"""A fresh app per test on a real database: DATABASE_URL when set (PostgreSQL in CI), else a SQLite file on tmpfs.

Under pytest-xdist each worker has a database of its own: on PostgreSQL `<DATABASE_URL's name>_<worker>`, created on
the same server when the worker starts and dropped when it ends. DATABASE_URL is pointed at it for the worker's whole
session, so the tests that make databases of their own next to it (migrations, browser) get per-worker names too.
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from tests.factories import PASSWORD
from tracker import create_app
from tracker.extensions import db

TMPFS = Path("/dev/shm")
_worker_database: dict[str, str] = {}  # what this xdist worker created on PostgreSQL: {"admin": url, "name": ...}


def _psycopg(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _on_postgresql(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql"))


def pytest_configure(config):
    """Under xdist on PostgreSQL, give this worker `<database>_<worker>` and point DATABASE_URL at it."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("DATABASE_URL", "")
    if not worker or not _on_postgresql(url):
        return
    server = make_url(_psycopg(url))
    name = f"{server.database}_{worker}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")  # CREATE DATABASE refuses a transaction
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    admin.dispose()
    _worker_database.update(admin=url, name=name)
    os.environ["DATABASE_URL"] = make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """Drop the worker's database once its fixtures are torn down, before xdist is told the worker has finished:
    the controller may end the worker process as soon as it hears that, so pytest_unconfigure is too late."""
    if not _worker_database:
        return
    os.environ["DATABASE_URL"] = _worker_database["admin"]
    admin = create_engine(_psycopg(_worker_database["admin"]), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{_worker_database["name"]}" WITH (FORCE)'))
    admin.dispose()
    _worker_database.clear()


@pytest.fixture(scope="session")
def _sqlite_folder(tmp_path_factory):
    """A folder on tmpfs (/dev/shm) when the machine has one, else in pytest's temporary directory."""
    if not TMPFS.is_dir() or not os.access(TMPFS, os.W_OK):
        yield tmp_path_factory.mktemp("db")
        return
    folder = Path(tempfile.mkdtemp(prefix="samverka-tests-", dir=TMPFS))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _database_url(sqlite_folder: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return _psycopg(url)
    return "sqlite:///" + str(sqlite_folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def english_shell(monkeypatch):
    """CLI output follows the shell's locale (tracker.i18n.operator_language); tests read it in English, whatever
    the machine running them is set to. test_translations checks the Swedish side."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


@pytest.fixture(scope="session")
def database_url(_sqlite_folder):
    url = _database_url(_sqlite_folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        db.drop_all()
        db.create_all()  # unit tests only; test_migrations checks the migrations give this same schema
        db.engine.dispose()
    return url


class Client(FlaskClient):
    """Commits what the test built before each request and sees the request's writes afterwards.

    The test's app context is reused by every request it makes, so `g` is emptied first, as a real request
    would find it: otherwise Flask-Login's cached user and Flask-Babel's locale leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        g.__dict__.clear()
        response = super().open(*args, **kwargs)
        # A server closes the response once it is sent; work deferred until then (Response.call_on_close: a report
        # made without Redis) runs before the test reads the database, as it would before the next request.
        response.make_sequence()
        response.close()
        db.session.expire_all()
        return response


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret-key",
                      "TESTING": True, "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost"})
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in(client, user, password: str = PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response


@pytest.fixture
def as_user(client):
    """Sign the test client in as the given user; returns the client."""

    def _sign_in(user):
        sign_in(client, user)
        return client

    return _sign_in
