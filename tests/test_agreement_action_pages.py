"""An agreement with hundreds of actions: a page at a time, by owning organisation with each one's stalled actions
first, the true counts of every organisation on every page; its newest progress across all of its actions."""
import datetime as dt
import re

import pytest

from tests.factories import make_action, make_agreement, make_organisation, make_update, make_user
from tracker.actions.models import ActionStatus
from tracker.clock import local_today, utcnow
from tracker.extensions import db


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


@pytest.fixture
def big(client, as_user):
    """Alfa owns 60 actions (5 overdue), Beta 30 (8 blocked): Beta, with more stalled, heads the summary."""
    alfa, beta = make_organisation(name="Alfa polis"), make_organisation(name="Beta skola")
    me = make_user(organisation=alfa, language="en")
    agreement = make_agreement(lead_organisation=alfa, parties=[alfa, beta], starts_on=days(-300), ends_on=days(300))
    titles = {}
    for org, n, stalled in ((alfa, 60, 5), (beta, 30, 8)):
        owner = make_user(organisation=org)
        for i in range(n):
            late = i >= n - stalled  # the stalled ones have the latest deadlines: they still come first
            action = make_action(agreement=agreement, owner_organisation=org, owner=owner, created_at=utcnow(),
                                 title=f"{org.name[:4]} {i:02}{' stalled' if late else ''}",
                                 deadline=days(-1) if late and org is alfa else days(10 + i),
                                 status=ActionStatus.BLOCKED if late and org is beta else ActionStatus.IN_PROGRESS,
                                 blocked_reason="Waiting." if late and org is beta else "")
            titles[action.id] = action.title
    db.session.commit()
    as_user(me)
    return client, agreement, alfa, beta


def get(client, url: str) -> str:
    """The page, user text unmarked (it is marked Swedish on an English page: test_words_dates)."""
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'<span lang="sv">(.*?)</span>', r"\1", response.get_data(as_text=True))


def listed(page: str) -> list[str]:
    return re.findall(r'<a href="/actions/\d+">([^<]+)</a></td>', page)


def headings(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<h3 id="organisation-\d+">([^<]+?)\s*<span class="count">\(([^)]*)\)</span></h3>', page)


def test_a_page_at_a_time_by_organisation_stalled_first_with_true_counts(big):
    client, agreement, *_ = big
    first = get(client, f"/agreements/{agreement.id}")
    assert "90 actions, 13 stalled." in first
    assert headings(first) == [("Alfa polis", "60 actions, 5 stalled")]
    assert listed(first) == [f"Alfa {i:02} stalled" for i in range(55, 60)] + [f"Alfa {i:02}" for i in range(45)]
    assert "50 of them on this page." in first and "Page 1 of 2" in first
    second = get(client, f"/agreements/{agreement.id}?page=2")
    assert headings(second) == [("Alfa polis", "60 actions, 5 stalled"), ("Beta skola", "30 actions, 8 stalled")]
    assert listed(second) == ([f"Alfa {i:02}" for i in range(45, 55)] + [f"Beta {i:02} stalled" for i in range(22, 30)]
                              + [f"Beta {i:02}" for i in range(22)])
    assert "10 of them on this page." in second and "Page 2 of 2: actions 51–90." in second
    assert f'href="/agreements/{agreement.id}?page=1#actions-page" rel="prev"' in second


def test_the_summary_names_the_most_stalled_first_and_links_to_where_each_organisation_starts(big):
    client, agreement, alfa, beta = big
    page = get(client, f"/agreements/{agreement.id}")
    summary = page[page.index("Actions per owning organisation"):]
    summary = summary[:summary.index("</table>")]
    rows = re.findall(r'<a href="([^"]+)">([^<]+)</a></td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>', summary)
    assert rows == [(f"/agreements/{agreement.id}?page=2#organisation-{beta.id}", "Beta skola", "30", "30"),
                    (f"/agreements/{agreement.id}?page=1#organisation-{alfa.id}", "Alfa polis", "60", "60")]
    assert "⚠ 8" in summary and "⚠ 5" in summary
    assert f'id="organisation-{beta.id}"' in get(client, rows[0][0].split("#")[0])


@pytest.mark.parametrize("page", ["999", "abc", "-3", "0", "99999999999999999999"])
def test_a_page_out_of_range_or_not_a_number_is_not_an_error(big, page):
    client, agreement, *_ = big
    response = client.get(f"/agreements/{agreement.id}?page={page}")
    assert response.status_code == 200
    assert "90 actions, 13 stalled." in response.get_data(as_text=True)


def test_a_small_agreement_has_no_summary_and_no_pages(client, as_user):
    lead = make_organisation(name="Enda kommunen")
    me = make_user(organisation=lead, language="en")
    agreement = make_agreement(lead_organisation=lead, starts_on=days(-30), ends_on=days(300))
    make_action(agreement=agreement, owner=me, created_at=utcnow(), deadline=days(5), title="Only one")
    as_user(me)
    page = get(client, f"/agreements/{agreement.id}")
    assert "Actions per owning organisation" not in page and "Page 1 of" not in page
    assert headings(page) == [("Enda kommunen", "1 action")] and listed(page) == ["Only one"]


def test_recent_progress_is_the_newest_across_all_the_actions(client, as_user):
    lead = make_organisation(name="Lead")
    me = make_user(organisation=lead, language="en")
    agreement = make_agreement(lead_organisation=lead, starts_on=days(-300), ends_on=days(300))
    other = make_agreement(lead_organisation=lead, starts_on=days(-300), ends_on=days(300))
    start = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)
    busy = make_action(agreement=agreement, owner=me, created_at=utcnow())
    make_update(make_action(agreement=other, owner=me), me, at=start + dt.timedelta(days=90), text="Elsewhere")
    for n in range(14):  # the busy action's own 14, then one each on 6 more actions, interleaved in time
        make_update(busy, me, at=start + dt.timedelta(days=2 * n), text=f"Busy {n:02}")
    for n in range(6):
        quiet = make_action(agreement=agreement, owner=me, created_at=utcnow())
        make_update(quiet, me, at=start + dt.timedelta(days=2 * n + 21), text=f"Quiet {n:02}")
    db.session.commit()
    as_user(me)
    page = get(client, f"/agreements/{agreement.id}")
    progress = page[page.index("Recent progress"):]
    shown = re.findall(r'<p class="text">((?:Busy|Quiet|Elsewhere) \d*)', progress)
    times = sorted([(2 * n, f"Busy {n:02}") for n in range(14)] + [(2 * n + 21, f"Quiet {n:02}") for n in range(6)])
    assert shown == [text for _, text in reversed(times)][:10]
    assert "The newest 10 of 20 updates." in progress
