"""The audit log in keyset pages: older and newer links walk every event once, keep the filters, and a cursor that
is not one of ours is refused in words."""
import base64
import datetime as dt
import html
import re

import pytest
from flask import current_app
from itsdangerous import URLSafeSerializer

from tests.factories import make_admin, make_organisation
from tracker.audit.services import record
from tracker.extensions import db
from tracker.keyset import SALT, encode

START = dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC)
EVENTS = 123  # two pages of 50 and one of 23; pairs of events share a time, so the id decides between them


@pytest.fixture
def log(client, as_user):
    admin = make_admin(language="en")
    school = make_organisation(name="Husbygårdsskolan")
    for n in range(EVENTS):
        record(admin, "update", school, {"name": [f"Step {n:03} before", f"Step {n:03}"]},
               at=START + dt.timedelta(minutes=n // 2))
    db.session.commit()
    as_user(admin)
    return client


def steps(page: str) -> list[str]:
    return re.findall(r"→ (Step \d{3})<", page)


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


def walk(client, url: str, rel: str) -> list[list[str]]:
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        pages.append(steps(page))
        url = link(page, rel)
    return pages


def test_older_links_walk_every_event_once_newest_first_and_newer_links_walk_back(log):
    expected = [f"Step {n:03}" for n in reversed(range(EVENTS))]
    older = walk(log, "/admin/audit/?object_type=organisations", "next")
    assert [len(p) for p in older] == [50, 50, 23]
    assert [step for p in older for step in p] == expected
    last = log.get("/admin/audit/?object_type=organisations").get_data(as_text=True)
    while link(last, "next"):
        last = log.get(link(last, "next")).get_data(as_text=True)
    newer = walk(log, link(last, "prev"), "prev")
    assert newer == older[-2::-1]


def test_the_links_keep_the_filters(log):
    page = log.get("/admin/audit/?object_type=organisations&verb=update").get_data(as_text=True)
    assert link(page, "prev") is None
    older = log.get(link(page, "next")).get_data(as_text=True)
    for url in (link(page, "next"), link(older, "prev"), link(older, "next")):
        assert "object_type=organisations" in url and "verb=update" in url
    assert 'href="/admin/audit/?object_type=organisations&amp;verb=update">' in older  # back to the newest


def test_a_filter_that_matches_nothing_has_no_pages(log):
    page = log.get("/admin/audit/?object_type=actions").get_data(as_text=True)
    assert "No events match." in page and link(page, "next") is None and link(page, "prev") is None


def signed(payload: object) -> str:
    """A cursor signed as the app signs them, around a payload encode() would never write."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT).dumps(payload)


UTC_TIME = "2026-06-01T08:00:00+00:00"
HOSTILE = {
    "letter": "x", "percent": "%%%", "huge": "A" * 5000, "emoji": "💥", "sql": "' OR 1=1 --",
    "unsigned": base64.urlsafe_b64encode(b'["2026-06-01T08:00:00+00:00", 5]').decode(),
    "cut-short": "CUT", "altered": "ALTERED", "another-salt": "SALT",
    "impossible-date": ["2026-13-45T00:00:00+00:00", 5], "negative-id": [UTC_TIME, -1],
    "zero-id": [UTC_TIME, 0], "id-overflow": [UTC_TIME, 10**20], "id-as-text": [UTC_TIME, "5"],
    "id-as-bool": [UTC_TIME, True], "id-as-float": [UTC_TIME, 5.0], "three-parts": [UTC_TIME, 5, 6],
    "no-id": [UTC_TIME], "not-a-list": {"at": UTC_TIME}, "time-as-number": [12345, 5],
    "naive-time": ["2026-06-01T08:00:00", 5], "year-one-ahead-of-utc": ["0001-01-01T00:00:00+14:00", 5],
    "year-9999-behind-utc": ["9999-12-31T23:59:59-14:00", 5],
}


def hostile(name: str) -> str:
    value = HOSTILE[name]
    good = encode(START, 7)
    if value == "CUT":
        return good[:-3]
    if value == "ALTERED":
        return good[:-1] + ("A" if good[-1] != "A" else "B")
    if value == "SALT":
        return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="samverka-api-cursor").dumps([UTC_TIME, 5])
    return value if isinstance(value, str) else signed(value)


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_hostile_cursor_is_refused_in_words_and_the_newest_page_shown(log, name, direction):
    response = log.get("/admin/audit/", query_string={direction: hostile(name), "object_type": "organisations"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "That link to a page of the log is not valid" in page
    assert steps(page)[0] == f"Step {EVENTS - 1:03}" and len(steps(page)) == 50


def test_a_cursor_past_the_last_event_gives_an_empty_last_page(log):
    page = log.get("/admin/audit/", query_string={"after": encode(START - dt.timedelta(days=1), 1),
                                                  "object_type": "organisations"}).get_data(as_text=True)
    assert steps(page) == [] and link(page, "next") is None and "not valid" not in page
    assert 'href="/admin/audit/?object_type=organisations">' in page  # back to the newest
