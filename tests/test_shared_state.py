"""What several processes and instances share: the rate limits' counts are kept in Redis when REDIS_URL is set (unless
RATELIMIT_STORAGE_URI says otherwise), and processes starting together agree on one instance secret key."""
import stat
import threading
import uuid

import pytest

from tests.conftest import Client
from tests.redis_server import REDIS, redis_or_skip
from tracker import create_app
from tracker.audit.models import AuditEvent
from tracker.config import instance_secret_key
from tracker.extensions import db


def app_with(tmp_path, monkeypatch, environ: dict[str, str], **overrides):
    for name in ("REDIS_URL", "SAMVERKA_REDIS_URL", "SAMVERKA_RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "test-secret-key", **overrides})


@pytest.mark.parametrize(("environ", "storage"), [
    ({}, "memory://"),
    ({"REDIS_URL": "redis://cache.example:6379/3"}, "redis://cache.example:6379/3"),
    ({"SAMVERKA_REDIS_URL": "redis://cache.example:6379/4"}, "redis://cache.example:6379/4"),
    ({"REDIS_URL": "redis://cache.example:6379/3", "SAMVERKA_RATELIMIT_STORAGE_URI": "redis://limits.example:6379/5"},
     "redis://limits.example:6379/5"),
], ids=["nothing-set-per-process", "redis-url", "samverka-redis-url", "explicit-storage-wins"])
def test_rate_limits_are_kept_where_the_environment_says(tmp_path, monkeypatch, environ, storage):
    assert app_with(tmp_path, monkeypatch, environ).config["RATELIMIT_STORAGE_URI"] == storage


def test_an_explicit_storage_in_the_overrides_wins_over_redis_url(tmp_path, monkeypatch):
    app = app_with(tmp_path, monkeypatch, {"REDIS_URL": "redis://cache.example:6379/3"},
                   RATELIMIT_STORAGE_URI="memory://")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.fixture
def redis_connection():
    connection = redis_or_skip()
    yield connection
    connection.close()


def test_with_redis_url_alone_failed_sign_ins_are_counted_in_redis(database_url, tmp_path, monkeypatch,
                                                                    redis_connection):
    app = app_with(tmp_path, monkeypatch, {"REDIS_URL": REDIS}, SQLALCHEMY_DATABASE_URI=database_url,
                   TESTING=True, WTF_CSRF_ENABLED=False, SIGN_IN_ACCOUNT_LIMIT="2 per 1 minute")
    app.test_client_class = Client
    email = f"shared-{uuid.uuid4().hex}@example.se"
    try:
        with app.app_context():
            client = app.test_client()
            statuses = [client.post("/login", data={"email": email, "password": "wrong password here"}).status_code
                        for _ in range(3)]
            assert statuses == [200, 200, 429]
            assert redis_connection.keys(f"*{email}*")
    finally:
        for pattern in (f"*{email}*", "*/auth.login/*"):  # the e-mail's count, and the client address's
            for key in redis_connection.scan_iter(pattern):
                redis_connection.delete(key)
        with app.app_context():
            db.session.rollback()
            db.session.execute(AuditEvent.__table__.delete())
            db.session.commit()
            db.engine.dispose()


def test_processes_starting_together_agree_on_one_secret_key(tmp_path):
    instance = tmp_path / "instance"
    start, keys = threading.Barrier(8), []

    def read_key() -> None:
        start.wait()
        keys.append(instance_secret_key(instance))

    threads = [threading.Thread(target=read_key) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64
    assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no draft left behind
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
