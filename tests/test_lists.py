"""The agreement and action lists: filters, search, sorting and pagination, and bad query strings never fail."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest

from tests.factories import make_action, make_agreement, make_organisation, make_user
from tracker.actions.models import ActionStatus
from tracker.agreements.models import AgreementStatus, Theme
from tracker.clock import local_today, utcnow


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


@pytest.fixture
def w(app):
    mine, partner, elsewhere = (make_organisation(name=n) for n in ("Mine kommun", "Partner polis", "Elsewhere"))
    me = make_user(organisation=mine, name="Maja Me", language="en")
    world = SimpleNamespace(mine=mine, partner=partner, me=me, colleague=make_user(organisation=mine),
                            partner_user=make_user(organisation=partner))
    period = dict(starts_on=days(-300), ends_on=days(300))
    world.alpha = make_agreement(title="Alpha", lead_organisation=mine, status=AgreementStatus.DRAFT, **period)
    world.beta = make_agreement(title="beta", lead_organisation=mine, parties=[mine, partner],
                                theme=Theme.SAFE_LOCAL_ENVIRONMENT, **period)
    world.gamma = make_agreement(title="Gamma", lead_organisation=mine, status=AgreementStatus.ENDED,
                                 theme=Theme.OTHER, reference_number="KS-77", purpose="Bicycle repairs",
                                 area="Tensta", **period)
    world.hidden = make_agreement(title="Hidden", lead_organisation=elsewhere, **period)
    return world


def agreement_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/agreements/(\d+)"', page)]


def action_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/actions/(\d+)"', page)]


def listed(client, path: str, pick) -> list[int]:
    response = client.get(path)
    assert response.status_code == 200
    return pick(response.get_data(as_text=True))


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["alpha", "beta", "gamma"]), ("?status=draft", ["alpha"]), ("?status=active", ["beta"]),
    ("?theme=safe_local_environment", ["beta"]), ("?organisation={partner}", ["beta"]),
    ("?q=KS-77", ["gamma"]), ("?q=bicycle", ["gamma"]), ("?q=TENSTA", ["gamma"]), ("?q=ALP", ["alpha"]),
    ("?q=Hidden", []), ("?q=%25", []), ("?q=_", []), ("?status=ended&q=alpha", []),
], ids=["all-sorted-by-title", "draft", "active", "theme", "party", "reference", "purpose", "area", "title",
        "invisible", "percent-is-literal", "underscore-is-literal", "filters-combine"])
def test_agreement_filters_and_search(client, as_user, w, query, expected):
    as_user(w.me)
    found = listed(client, "/agreements/" + query.format(partner=w.partner.id), agreement_ids)
    assert found == [getattr(w, name).id for name in expected]


@pytest.fixture
def actions(w):
    x = SimpleNamespace()
    on = dict(agreement=w.beta, created_at=utcnow())
    x.one = make_action(title="Alpha walk", owner=w.me, deadline=days(30), status=ActionStatus.PLANNED, **on)
    x.two = make_action(title="Beta club", owner_organisation=w.partner, owner=w.partner_user, deadline=days(5), **on)
    x.three = make_action(title="Gamma fix", agreement=w.alpha, owner=w.colleague, deadline=days(100),
                          status=ActionStatus.BLOCKED, blocked_reason="Waiting.", created_at=utcnow())
    x.four = make_action(title="Delta done", owner=w.me, deadline=days(-5), status=ActionStatus.DONE, **on)
    x.five = make_action(title="Epsilon late", owner_organisation=w.partner, owner=w.partner_user,
                         deadline=days(-3), description="At the library.", **on)
    x.six = make_action(title="Zeta open", deadline=None, **on)
    make_action(title="Hidden action", agreement=w.hidden, deadline=days(2), created_at=utcnow())
    return x


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["four", "five", "two", "one", "three", "six"]),
    ("?sort=deadline", ["four", "five", "two", "one", "three", "six"]),
    ("?sort=-deadline", ["three", "one", "two", "five", "four", "six"]),
    ("?sort=title", ["one", "two", "four", "five", "three", "six"]),
    ("?status=blocked", ["three"]), ("?theme=youth_crime_prevention", ["three"]),
    ("?organisation={partner}", ["five", "two"]), ("?owner={me}", ["four", "one"]),
    ("?stalled=y", ["five", "three"]), ("?due_before={in_ten_days}", ["five", "two"]),
    ("?q=library", ["five"]), ("?q=EPSILON", ["five"]), ("?q=Hidden", []),
    ("?owner={me}&status=done", ["four"]), ("?organisation={partner}&stalled=y&sort=title", ["five"]),
], ids=["default-by-deadline", "deadline", "latest-first", "title", "status", "theme", "organisation", "owner",
        "stalled-only", "due-before-open-only", "search-description", "search-title", "invisible", "owner-and-status",
        "combined"])
def test_action_filters_search_and_sorting(client, as_user, w, actions, query, expected):
    as_user(w.me)
    path = "/actions/" + query.format(partner=w.partner.id, me=w.me.id, in_ten_days=days(10).isoformat())
    found = listed(client, path, action_ids)
    assert found == [getattr(actions, name).id for name in expected]


def test_agreements_are_paginated_twenty_a_page_and_keep_the_search(client, as_user, w):
    bulk = [make_agreement(title=f"Bulk {n:02}", lead_organisation=w.mine).id for n in range(23)]
    as_user(w.me)
    first = client.get("/agreements/?q=bulk").get_data(as_text=True)
    second = listed(client, "/agreements/?q=bulk&page=2", agreement_ids)
    assert agreement_ids(first) + second == bulk and len(second) == 3
    assert "Page 1 of 2" in first and 'href="/agreements/?q=bulk&amp;page=2"' in first
    assert len(listed(client, "/agreements/?q=bulk&per_page=1000", agreement_ids)) == 20
    assert listed(client, "/agreements/?q=bulk&page=3", agreement_ids) == []


def test_actions_are_paginated_twenty_five_a_page_in_deadline_order(client, as_user, w):
    bulk = [make_action(title=f"Bulk {n}", agreement=w.beta, deadline=days(n), created_at=utcnow()).id
            for n in range(30)]
    as_user(w.me)
    first = client.get("/actions/?q=bulk").get_data(as_text=True)
    second = listed(client, "/actions/?q=bulk&page=2", action_ids)
    assert action_ids(first) + second == bulk and len(second) == 5
    assert "Page 1 of 2" in first and "30 matches" in first


INVALID_FILTERS = [("status", "bogus"), ("theme", "pizza"), ("organisation", "abc"), ("organisation", "1.5"),
                   ("organisation", "9" * 30)]


@pytest.mark.parametrize(("name", "value"), INVALID_FILTERS)
def test_invalid_agreement_filter_is_shown_and_ignored(client, as_user, w, name, value):
    as_user(w.me)
    response = client.get("/agreements/", query_string={name: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{name}-error"' in page
    assert agreement_ids(page) == [w.alpha.id, w.beta.id, w.gamma.id]


@pytest.mark.parametrize(("name", "value"), [*INVALID_FILTERS, ("owner", "1e309"), ("owner", "-"),
                                             ("due_before", "2026-13-45"), ("due_before", "tomorrow"),
                                             ("sort", "evil; drop table actions")])
def test_invalid_action_filter_is_shown_and_ignored(client, as_user, w, actions, name, value):
    as_user(w.me)
    response = client.get("/actions/", query_string={name: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{name}-error"' in page
    assert len(action_ids(page)) == 6


def test_too_long_search_is_refused_with_a_message_not_a_failure(client, as_user, w, actions):
    as_user(w.me)
    for path in ("/agreements/", "/actions/"):
        response = client.get(path, query_string={"q": "x" * 1000})
        assert response.status_code == 200 and 'id="q-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/agreements/", "/actions/"])
@pytest.mark.parametrize("page", ["-1", "0", "abc", "1.5", ""], ids=["negative", "zero", "word", "fraction", "empty"])
def test_meaningless_page_number_shows_the_first_page(client, as_user, w, actions, path, page):
    as_user(w.me)
    response = client.get(path, query_string={"page": page}, follow_redirects=True)  # empty: to the clean URL
    assert response.status_code == 200
    first = client.get(path).get_data(as_text=True)
    pick = agreement_ids if path == "/agreements/" else action_ids
    assert pick(response.get_data(as_text=True)) == pick(first)


@pytest.mark.parametrize("path", ["/agreements/", "/actions/"])
@pytest.mark.parametrize("page", ["1000000", "9" * 12], ids=["million", "twelve-digits"])
def test_page_past_the_end_is_empty_not_an_error(client, as_user, w, actions, path, page):
    as_user(w.me)
    response = client.get(path, query_string={"page": page})
    assert response.status_code == 200
    pick = agreement_ids if path == "/agreements/" else action_ids
    assert pick(response.get_data(as_text=True)) == []


@pytest.mark.parametrize("path", ["/agreements/", "/actions/"])
def test_huge_page_number_is_not_a_server_error(client, as_user, w, actions, path):
    as_user(w.me)
    response = client.get(path, query_string={"page": "9" * 30})
    assert response.status_code in (200, 404)


def test_the_agreement_list_filters_to_agreements_with_stalled_commitments(client, as_user, w, actions):
    """alpha has a blocked action, beta an overdue one, gamma none; the hidden agreement's stalled action is not
    the reader's; the filter keeps the other filters, and its export lists the same agreements."""
    make_action(title="Hidden late", agreement=w.hidden, deadline=days(-9), created_at=utcnow())
    as_user(w.me)
    assert listed(client, "/agreements/?stalled=y", agreement_ids) == [w.alpha.id, w.beta.id]
    assert listed(client, "/agreements/?stalled=y&status=active", agreement_ids) == [w.beta.id]
    assert listed(client, "/agreements/?stalled=y&q=gamma", agreement_ids) == []
    page = client.get("/agreements/?stalled=y").get_data(as_text=True)
    assert "checked" in re.search(r'<input[^>]*id="stalled"[^>]*>', page).group(0)
    exported = client.get("/agreements/export.csv?stalled=y").get_data(as_text=True)
    assert "Alpha" in exported and "beta" in exported and "Gamma" not in exported and "Hidden" not in exported


@pytest.mark.parametrize("value", ["", "no", "0", "<script>", "y" * 5000])
def test_a_hostile_stalled_filter_on_agreements_never_fails(client, as_user, w, actions, value):
    as_user(w.me)
    response = client.get("/agreements/", query_string={"stalled": value}, follow_redirects=True)
    assert response.status_code == 200 and "Cooperation agreements" in response.get_data(as_text=True)
