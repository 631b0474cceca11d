"""One JSON line per request on "samverka.request": request id, method, path, status, duration and the signed-in user;
never a secret token or a query string. Every response carries its X-Request-ID."""
import datetime as dt
import json
import logging

import pytest

from tests.factories import make_agreement, make_user
from tracker.accounts import links
from tracker.accounts.models import LinkPurpose
from tracker.calendars import tokens
from tracker.clock import utcnow
from tracker.requestlog import HIDDEN


@pytest.fixture
def lines(caplog):
    """The request lines logged so far (at INFO and above), parsed."""
    caplog.set_level(logging.DEBUG, logger="samverka.request")

    def parsed(level: int = logging.INFO) -> list[dict]:
        return [json.loads(r.getMessage()) for r in caplog.records
                if r.name == "samverka.request" and r.levelno >= level]

    return parsed


def all_text(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


def test_each_request_is_one_line_with_its_id_method_path_status_and_duration(client, lines):
    response = client.get("/login?next=/agreements/")
    [line] = lines()
    assert set(line) == {"request_id", "method", "path", "status", "duration_ms", "user_id"}
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/login", 200, None)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_a_signed_in_request_names_the_user(client, as_user, lines):
    user = make_user()
    as_user(user)
    client.get("/")
    assert lines()[-1]["user_id"] == user.id and lines()[-1]["status"] == 200


def test_every_response_gets_a_new_id_unless_a_well_formed_one_is_sent(client, lines):
    ids = {client.get("/login").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3
    sent = client.get("/login", headers={"X-Request-ID": "lb-5f1c2a:77/a=b"})
    assert sent.headers["X-Request-ID"] == "lb-5f1c2a:77/a=b" == lines()[-1]["request_id"]


@pytest.mark.parametrize("hostile", ["", " ", "x" * 129, "<script>alert(1)</script>", "a b", "-leading-dash",
                                     "id;rm -rf", "å"], ids=["empty", "space", "too-long", "markup", "inner-space",
                                                             "leading-dash", "semicolon", "non-ascii"])
def test_a_malformed_incoming_id_is_replaced(client, lines, hostile):
    response = client.get("/login", headers={"X-Request-ID": hostile})
    assert response.headers["X-Request-ID"] != hostile
    assert response.headers["X-Request-ID"] == lines()[-1]["request_id"]


def test_query_strings_are_never_logged(client, as_user, lines, caplog):
    as_user(make_user())
    client.get("/actions/?q=hemligt-sokord&owner=1")
    assert lines()[-1]["path"] == "/actions/"
    assert "hemligt-sokord" not in all_text(caplog)


def test_a_calendar_feeds_token_is_never_logged(app, client, lines, caplog):
    person = make_user()
    agreement = make_agreement(parties=[person.organisation])
    token = tokens.issue(person, by=person, now=utcnow())
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    assert client.get(f"/calendar/{token}/agreements/{agreement.id}.ics").status_code == 200
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert [line["path"] for line in lines()] == [
        f"/calendar/{HIDDEN}.ics", f"/calendar/{HIDDEN}/agreements/{agreement.id}.ics", f"/calendar/{HIDDEN}.ics"]
    assert token not in all_text(caplog) and "not-a-real-token" not in all_text(caplog)


def test_a_password_reset_links_token_is_never_logged(client, lines, caplog):
    user = make_user()
    _link, token = links.issue(user, LinkPurpose.PASSWORD_RESET, by=None, now=utcnow(),
                               valid_for=dt.timedelta(hours=2))
    assert client.get(f"/reset-password/{token}").status_code == 200
    assert lines()[-1]["path"] == f"/reset-password/{HIDDEN}"
    assert token not in all_text(caplog)


def test_an_error_is_logged_with_its_status_and_answered_with_its_id(app, client, as_user, lines):
    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/broken-for-the-test", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    as_user(make_user())
    response = client.get("/broken-for-the-test")
    assert response.status_code == 500
    assert lines()[-1]["status"] == 500 and lines()[-1]["request_id"] == response.headers["X-Request-ID"]


def test_health_checks_are_logged_at_debug_only(client, lines):
    response = client.get("/healthz")
    assert response.headers["X-Request-ID"]
    assert lines() == []
    assert [line["path"] for line in lines(logging.DEBUG)] == ["/healthz"]
