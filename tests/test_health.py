"""/healthz says the process answers, reading nothing; /readyz says the database and (when configured) Redis answer.
Both are public, plain text, set no cookie and are never rate-limited; a failed check is a 503 with the reason, and
no error in the log."""
import logging
import socket

import pytest

from tests.conftest import Client
from tests.factories import make_user
from tests.redis_server import REDIS, redis_or_skip
from tracker import create_app
from tracker.extensions import db, limiter


def closed_port() -> int:
    """A port nothing listens on (bound and released: connecting is refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_database_app(tmp_path):
    """An app whose database is a PostgreSQL server that is not there."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/none",
                      "SECRET_KEY": "test-secret-key", "TESTING": True})
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.engine.dispose()


def plain(response) -> str:
    assert response.mimetype == "text/plain" and response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    return response.get_data(as_text=True)


def errors_in(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_healthz_answers_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and plain(response) == "ok\n"


def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and plain(response) == "ready\n"


def test_healthz_needs_no_database(unreachable_database_app, caplog):
    response = unreachable_database_app.test_client().get("/healthz")
    assert response.status_code == 200 and plain(response) == "ok\n"
    assert not errors_in(caplog)


def test_readyz_says_the_database_is_unreachable_without_logging_an_error(unreachable_database_app, caplog):
    response = unreachable_database_app.test_client().get("/readyz")
    assert response.status_code == 503 and plain(response) == "database unreachable\n"
    assert not errors_in(caplog)
    assert [r.getMessage() for r in caplog.records if r.name == "tracker.health"] == [
        "not ready: database unreachable"]


def test_readyz_says_redis_is_unreachable(app, client, caplog):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503 and plain(response) == "redis unreachable\n"
    assert not errors_in(caplog)


def test_readyz_names_both_when_neither_answers(unreachable_database_app):
    unreachable_database_app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port()}/0"
    response = unreachable_database_app.test_client().get("/readyz")
    assert response.status_code == 503 and plain(response) == "database unreachable\nredis unreachable\n"


def test_readyz_answers_when_redis_does(app, client):
    redis_or_skip().close()
    app.config["REDIS_URL"] = REDIS
    response = client.get("/readyz")
    assert response.status_code == 200 and plain(response) == "ready\n"


@pytest.fixture
def limited_app(database_url, tmp_path):
    """An app with a default limit on every page. The limiter is one object for every app of the process, and keeps
    the first default limits it is given: they are taken away again afterwards."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret-key", "TESTING": True,
                      "RATELIMIT_DEFAULT": "2 per minute"})
    app.instance_path = str(tmp_path / "instance")
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        limiter.limit_manager.set_default_limits([])


def test_health_checks_are_never_rate_limited(limited_app):
    client = limited_app.test_client()
    assert [client.get("/login").status_code for _ in range(3)] == [200, 200, 429]  # the limit is on
    assert {client.get(path).status_code for path in ("/healthz", "/readyz") for _ in range(5)} == {200}


def test_a_signed_in_browser_gets_no_cookie_from_them(client, as_user):
    as_user(make_user())
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200 and plain(response)
        assert "Cookie" not in response.headers.get("Vary", "")
