"""Sign-in hardening: lockout after repeated failures, no enumeration, auditing, idle timeout, password policy."""
import time

import pytest
from sqlalchemy import select

from tests.conftest import Client
from tests.factories import PASSWORD, make_user
from tests.redis_server import REDIS, redis_or_skip
from tracker import create_app
from tracker.accounts.passwords import password_weakness
from tracker.audit.models import AuditEvent
from tracker.extensions import db


def attempt(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def verbs() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.verb).order_by(AuditEvent.id)))


def test_ten_wrong_passwords_lock_the_account_and_the_right_one_does_not_get_in(client):
    user = make_user()
    for _ in range(10):
        assert attempt(client, user.email, "wrong password here").status_code == 200
    locked = attempt(client, user.email, PASSWORD)
    assert locked.status_code == 429
    assert "För många försök" in locked.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not signed in
    assert verbs().count("sign_in_failed") == 10 and verbs().count("sign_in_locked") == 1


def test_lockout_looks_the_same_for_an_unknown_e_mail(client):
    for _ in range(10):
        attempt(client, "nobody@example.se", "wrong password here")
    assert attempt(client, "nobody@example.se", "wrong password here").status_code == 429


def test_lockout_of_one_account_leaves_the_others_alone(client):
    victim, other = make_user(), make_user()
    for _ in range(10):
        attempt(client, victim.email, "wrong password here")
    assert attempt(client, other.email, PASSWORD).status_code == 303


def test_successful_sign_ins_do_not_count_towards_the_lockout(client):
    user = make_user()
    for _ in range(12):
        assert attempt(client, user.email, PASSWORD).status_code == 303
        client.post("/logout")


def test_many_failures_from_one_address_are_slowed_down(app, client):
    app.config["SIGN_IN_ADDRESS_LIMIT"] = "5 per 15 minutes"
    for n in range(5):
        attempt(client, f"guess{n}@example.se", "wrong password here")
    assert attempt(client, "guess99@example.se", "wrong password here").status_code == 429


def test_sign_in_and_failed_sign_in_are_audited_with_the_address(client):
    user = make_user()
    attempt(client, user.email, "wrong password here")
    attempt(client, user.email, PASSWORD)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.verb for e in events] == ["sign_in_failed", "sign_in"]
    assert events[0].object_id == user.id and events[0].changes["address"] == "127.0.0.1"


def test_redis_storage_is_used_when_configured(database_url, tmp_path):
    connection = redis_or_skip()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": REDIS,
                      "SIGN_IN_ACCOUNT_LIMIT": "3 per 1 minute"})
    app.test_client_class = Client
    email = f"redis-{time.time_ns()}@example.se"
    with app.app_context():
        client = app.test_client()
        for _ in range(3):
            attempt(client, email, "wrong password here")
        assert attempt(client, email, "wrong password here").status_code == 429
        keys = connection.keys("*" + email + "*")
        assert keys
        db.session.rollback()
        db.session.execute(AuditEvent.__table__.delete())
        db.session.commit()
        db.engine.dispose()


def test_idle_session_ends_after_the_lifetime(app, client, as_user):
    app.config["PERMANENT_SESSION_LIFETIME"] = 1
    as_user(make_user())
    assert client.get("/").status_code == 200
    time.sleep(2.1)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(("password", "weakness"), [
    ("short", "short"), ("password1234", "common"), ("Lösenord2026", "common"), ("123456789012", "common"),
    ("aaaaaaaaaaaaaaaa", "repetitive"), ("ababababababab", "repetitive"),
    ("annalindqvist-rules", "personal"), ("correct horse battery staple", None), ("Trygga Husby 2026!", None),
])
def test_password_policy(password, weakness):
    assert password_weakness(password, personal=("Anna", "Lindqvist", "anna.lindqvist@example.se")) == weakness


def test_change_password_refuses_a_common_one_with_a_reason(client, as_user):
    as_user(make_user())
    response = client.post("/password", data={"current_password": PASSWORD, "new_password": "qwertyuiop123",
                                              "confirm": "qwertyuiop123"})
    assert response.status_code == 200
    assert "bland de första som angripare provar" in response.get_data(as_text=True)
