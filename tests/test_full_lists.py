"""No list on the action or agreement page is cut silently: each states its true total and links to every row."""
import datetime as dt
import re

import pytest

from tests.factories import make_action, make_agreement, make_organisation, make_update, make_user
from tracker.audit.services import record


@pytest.fixture
def w(app):
    lead = make_organisation(name="Lead")
    me = make_user(organisation=lead, name="Maja Me", language="en")
    agreement = make_agreement(lead_organisation=lead)
    action = make_action(agreement=agreement, owner=me, title="Night walks")
    start = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    for n in range(25):
        make_update(action, me, at=start + dt.timedelta(days=n), text=f"Update number {n:02}.")
        record(me, "update", action, {"title": [f"Old {n:02}", f"New {n:02}"]})
        record(me, "update", agreement, {"title": [f"Was {n:02}", f"Is {n:02}"]})
    return me, agreement, action


def test_the_action_page_states_totals_and_links_to_every_update_and_change(client, as_user, w):
    me, _agreement, action = w
    as_user(me)
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert len(re.findall(r"Update number \d\d\.", page)) == 20 and "Update number 24." in page
    assert "The newest 20 of 25 updates." in page and f'href="/actions/{action.id}/updates"' in page
    assert "Show all 25 progress updates" in page
    assert "25 recorded changes" in page and f'href="/actions/{action.id}/history"' in page
    assert len(re.findall(r"Title: Old \d\d → New \d\d", page)) == 20
    everything = client.get(f"/actions/{action.id}/updates").get_data(as_text=True)
    assert len(re.findall(r"Update number \d\d\.", everything)) == 25 and "25 matches" in everything
    history = client.get(f"/actions/{action.id}/history").get_data(as_text=True)
    assert len(re.findall(r"Title: Old \d\d → New \d\d", history)) == 25


def test_the_agreement_page_says_it_shows_the_newest_ten_and_links_to_the_rest(client, as_user, w):
    me, agreement, _action = w
    as_user(me)
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert len(re.findall(r"Update number \d\d\.", page)) == 10
    assert "The newest 10 of 25 updates." in page and f'href="/agreements/{agreement.id}/updates"' in page
    assert "25 recorded changes" in page and f'href="/agreements/{agreement.id}/history"' in page
    everything = client.get(f"/agreements/{agreement.id}/updates").get_data(as_text=True)
    assert len(re.findall(r"Update number \d\d\.", everything)) == 25
    history = client.get(f"/agreements/{agreement.id}/history?page=1").get_data(as_text=True)
    assert len(re.findall(r"Title: Was \d\d → Is \d\d", history)) == 25


def test_short_lists_have_no_show_all_link(client, as_user, app):
    lead = make_organisation()
    me = make_user(organisation=lead, language="en")
    action = make_action(agreement=make_agreement(lead_organisation=lead), owner=me)
    make_update(action, me)
    as_user(me)
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Show all" not in page and "The newest" not in page


@pytest.mark.parametrize("path", ["/actions/{action}/updates", "/actions/{action}/history",
                                  "/agreements/{agreement}/updates", "/agreements/{agreement}/history"])
def test_another_organisations_user_cannot_read_the_full_lists(client, as_user, w, path):
    _me, agreement, action = w
    as_user(make_user(organisation=make_organisation(name="Elsewhere"), language="en"))
    assert client.get(path.format(action=action.id, agreement=agreement.id)).status_code == 403


@pytest.mark.parametrize("path", ["/actions/999999/updates", "/agreements/999999/history"])
def test_unknown_object_is_404(client, as_user, w, path):
    as_user(w[0])
    assert client.get(path).status_code == 404
