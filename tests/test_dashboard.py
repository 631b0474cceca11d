"""The start page: my actions, my organisation's, stalled commitments and coming deadlines, only where I may look.

"Today" is read from the clock in Europe/Stockholm (tracker.clock.local_today) and the app has no setting to fix
it, so the data is built relative to the real today.
"""
import datetime as dt
import re
from types import SimpleNamespace

import pytest

from tests.factories import make_action, make_agreement, make_organisation, make_update, make_user, make_viewer
from tracker.actions.models import ActionStatus
from tracker.clock import local_today, utcnow

SECTIONS = ("stalled", "due-soon", "mine", "organisation")


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def action(agreement, owner, **overrides):
    """An open action on track: created just now, deadline two months ahead."""
    values = dict(agreement=agreement, owner=owner, owner_organisation=owner.organisation, created_at=utcnow(),
                  deadline=days(60))
    return make_action(**(values | overrides))


@pytest.fixture
def w(app):
    mine, partner, elsewhere = (make_organisation(name=n) for n in ("Mine kommun", "Partner polis", "Elsewhere"))
    me = make_user(organisation=mine, name="Maja Me", language="en")
    colleague, partner_user = make_user(organisation=mine), make_user(organisation=partner)
    stranger = make_user(organisation=elsewhere)
    period = dict(starts_on=days(-300), ends_on=days(300))
    ours = make_agreement(lead_organisation=partner, parties=[partner, mine], **period)
    theirs = make_agreement(lead_organisation=elsewhere, parties=[elsewhere], steering_group=[stranger], **period)
    a = SimpleNamespace(me=me)
    a.mine = action(ours, me)
    a.mine_done = action(ours, me, status=ActionStatus.DONE)
    a.colleagues = action(ours, colleague)
    a.overdue = action(ours, partner_user, deadline=days(-1))
    a.blocked = action(ours, partner_user, status=ActionStatus.BLOCKED, blocked_reason="No room.")
    a.silent = action(ours, partner_user, created_at=utcnow() - dt.timedelta(days=45))
    a.revived = action(ours, partner_user, created_at=utcnow() - dt.timedelta(days=45),
                       last_progress_at=utcnow() - dt.timedelta(days=2))
    make_update(a.revived, partner_user, at=a.revived.last_progress_at)
    a.due_today = action(ours, partner_user, deadline=days(0))
    a.due_in_14 = action(ours, partner_user, deadline=days(14))
    a.due_in_15 = action(ours, partner_user, deadline=days(15))
    a.my_overdue = action(ours, me, deadline=days(-10))
    a.hidden_stalled = action(theirs, stranger, deadline=days(-5))
    a.hidden_due = action(theirs, stranger, deadline=days(3))
    return a


def sections(page: str) -> dict[str, list[int]]:
    """The action ids linked from each section of the start page, in order."""
    found = {}
    for name in SECTIONS:
        body = re.search(rf'<section aria-labelledby="{name}">(.*?)</section>', page, re.S).group(1)
        found[name] = [int(i) for i in re.findall(r'href="/actions/(\d+)"', body)]
    return found


def ids(*actions) -> list[int]:
    return [a.id for a in actions]


@pytest.fixture
def start_page(client, as_user, w):
    as_user(w.me)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_my_actions_are_my_open_actions_by_deadline(w, start_page):
    assert sections(start_page)["mine"] == ids(w.my_overdue, w.mine)


def test_my_organisations_open_actions_include_my_colleagues(w, start_page):
    assert sections(start_page)["organisation"] == ids(w.my_overdue, w.mine, w.colleagues)


def test_stalled_commitments_are_overdue_blocked_or_silent_in_agreements_i_can_see(w, start_page):
    stalled = sections(start_page)["stalled"]
    assert stalled == ids(w.my_overdue, w.overdue, w.blocked, w.silent)
    assert w.hidden_stalled.id not in stalled and w.due_today.id not in stalled and w.revived.id not in stalled


def test_deadlines_in_the_next_fourteen_days_from_today(w, start_page):
    assert sections(start_page)["due-soon"] == ids(w.due_today, w.due_in_14)


def test_each_item_links_to_its_action_and_reasons_are_shown(client, w, start_page):
    stalled = re.search(r'<section aria-labelledby="stalled">(.*?)</section>', start_page, re.S).group(1)
    assert "Overdue 10 days" in stalled and "Overdue 1 day<" in stalled
    assert "Blocked" in stalled
    assert re.search(r"Silent 4[456] days", stalled)  # 45 days of UTC time; a DST change may add a local day
    for action_id in {i for items in sections(start_page).values() for i in items}:
        assert client.get(f"/actions/{action_id}").status_code == 200


def test_summary_counts_match_the_sections(w, start_page):
    counts = dict(re.findall(r'href="#([a-z-]+)"><strong>(\d+)</strong>', start_page))
    assert {k: int(v) for k, v in counts.items()} == {name: len(items) for name, items in sections(start_page).items()}


def test_a_steering_group_viewer_sees_the_stalled_actions_of_his_agreement(client, as_user, w):
    viewer = make_viewer(organisation=make_organisation(), language="en")
    w.overdue.agreement.steering_group.append(viewer)
    as_user(viewer)
    found = sections(client.get("/").get_data(as_text=True))
    assert set(found["stalled"]) == set(ids(w.my_overdue, w.overdue, w.blocked, w.silent))
    assert found["mine"] == [] and found["organisation"] == []


def test_someone_outside_every_agreement_sees_no_actions(client, as_user, w):
    as_user(make_user(organisation=make_organisation(), language="en"))
    assert sections(client.get("/").get_data(as_text=True)) == {name: [] for name in SECTIONS}


def listed_total(client, url: str) -> tuple[int, list[int]]:
    """The total a filtered action list states, and the action ids over all its pages."""
    found, page = [], 1
    while True:
        text = client.get(f"{url}&page={page}").get_data(as_text=True)
        found += [int(i) for i in re.findall(r'<td[^>]*><a href="/actions/(\d+)"', text)]
        if 'rel="next"' not in text:
            return int(re.search(r"(\d+) match", text).group(1)), found
        page += 1


def show_all_links(page: str) -> dict[str, str]:
    found = {}
    for name in SECTIONS:
        body = re.search(rf'<section aria-labelledby="{name}">(.*?)</section>', page, re.S).group(1)
        link = re.search(r'<a href="(/actions/\?[^"]+)">Show all', body)
        found[name] = link.group(1).replace("&amp;", "&") if link else None
    return found


def test_seventy_one_stalled_actions_are_counted_shown_in_part_and_all_listed(client, as_user, w):
    agreement = w.overdue.agreement
    extra = [action(agreement, w.overdue.owner, deadline=days(-3), title=f"Late {n}") for n in range(60)]
    as_user(w.me)
    page = client.get("/").get_data(as_text=True)
    stalled = ids(w.my_overdue, w.overdue, w.blocked, w.silent, *extra)
    assert len(stalled) == 64 and re.search(r'href="#stalled"><strong>64</strong>', page)
    extra += [action(agreement, w.overdue.owner, deadline=days(-3), title=f"Later {n}") for n in range(7)]
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'href="#stalled"><strong>71</strong>', page)
    assert len(sections(page)["stalled"]) == 10
    link = show_all_links(page)["stalled"]
    assert "Show all 71 stalled commitments" in page and link == "/actions/?stalled=y"
    total, listed = listed_total(client, link)
    assert total == 71 and sorted(listed) == sorted(ids(w.my_overdue, w.overdue, w.blocked, w.silent, *extra))


def test_every_card_count_is_the_total_of_its_linked_list(client, as_user, w):
    agreement = w.overdue.agreement
    for n in range(12):
        action(agreement, w.me, deadline=days(5), title=f"Soon {n}")
    as_user(w.me)
    page = client.get("/").get_data(as_text=True)
    counts = {k: int(v) for k, v in re.findall(r'href="#([a-z-]+)"><strong>(\d+)</strong>', page)}
    links = show_all_links(page)
    assert links["stalled"] is None and len(sections(page)["stalled"]) == counts["stalled"] == 4
    for name in ("due-soon", "mine", "organisation"):
        assert links[name] is not None and len(sections(page)[name]) == 10
        assert listed_total(client, links[name])[0] == counts[name] > 10
