"""A fresh app per test on a real database: DATABASE_URL when set (PostgreSQL in CI), else a SQLite file."""
import os

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.factories import PASSWORD
from tracker import create_app
from tracker.extensions import db


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def english_shell(monkeypatch):
    """CLI output follows the shell's locale (tracker.i18n.operator_language); tests read it in English, whatever
    the machine running them is set to. test_translations checks the Swedish side."""
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = _database_url(tmp_path_factory)
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
