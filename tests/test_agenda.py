"""The steering group's agenda on the steering page: each of its four sections lists exactly the items due at its
boundaries, with a true count, in both languages; the decision form offers the agenda's actions first and a link
preselects one; everyone who reads the agreement sees it, no one else; the page's query count stays constant."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest

from tests.conftest import sign_in
from tests.factories import make_action, make_agreement, make_organisation, make_request, make_user, make_viewer
from tests.test_query_counts import statements_for
from tracker.actions.models import ActionStatus, DeadlineChange
from tracker.clock import local_today, start_of_local_day, utcnow
from tracker.extensions import db
from tracker.steering.models import Decision

TODAY = local_today()


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def noon(n: int) -> dt.datetime:
    """Noon (Stockholm) n days from today."""
    return start_of_local_day(day(n)) + dt.timedelta(hours=12)


@pytest.fixture
def w(app):
    """Agreement led by Stadsdelen with Polisen and Skolan; its actions are owned by Polisen and all on track."""
    world = SimpleNamespace()
    world.lead, world.police, world.school, world.outside = (
        make_organisation(name=n, short_name=n[:3]) for n in ("Stadsdelen", "Polisen", "Skolan", "Utanför"))
    world.secretary = make_user(organisation=world.lead, name="Sara Sekreterare", language="en")
    world.officer = make_user(organisation=world.police, name="Per Polis", language="en")
    world.teacher = make_user(organisation=world.school, name="Tove Lärare", language="sv")
    world.member = make_viewer(organisation=world.outside, name="Vera Styrgrupp", language="en")
    world.stranger = make_user(organisation=world.outside, name="Sven Utanför", language="en")
    world.agreement = make_agreement(lead_organisation=world.lead, parties=[world.lead, world.police, world.school],
                                     steering_group=[world.member], starts_on=dt.date(2020, 1, 1), ends_on=None)
    world.other = make_agreement(lead_organisation=world.lead, starts_on=dt.date(2020, 1, 1), ends_on=None)
    db.session.commit()
    return world


def action(w, title: str, **kw):
    values = dict(agreement=w.agreement, owner_organisation=w.police, owner=w.officer, title=title,
                  deadline=day(60), created_at=utcnow(), last_progress_at=utcnow())
    return make_action(**(values | kw))


def move(w, act, at: dt.datetime, moved_from: dt.date, moved_to: dt.date, reason: str = "", decision=None):
    db.session.add(DeadlineChange(action=act, moved_from=moved_from, moved_to=moved_to, by=w.officer, at=at,
                                  reason=reason, decision_id=decision.id if decision else None))
    act.deadline = moved_to
    db.session.commit()


def meeting(w, n: int) -> Decision:
    decision = Decision(agreement=w.agreement, decided_on=day(n), meeting=f"Möte {n}", text="Beslut.",
                        recorded_by_id=w.secretary.id)
    db.session.add(decision)
    db.session.commit()
    return decision


def page(client, w, query: str = "", headers=None) -> str:
    response = client.get(f"/agreements/{w.agreement.id}/steering{query}", headers=headers or {})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shown(d: dt.date) -> str:
    """A date as the English pages show it."""
    return f"{d.day} {d:%b} {d.year}"


def section(html: str, name: str) -> str:
    found = re.search(rf'<section class="agenda-section" aria-labelledby="agenda-{name}">(.*?)</section>', html,
                      re.S)
    assert found, name
    return found.group(1)


def items(html: str, name: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
            for li in re.findall(r"<li>(.*?)</li>", section(html, name), re.S)]


def test_level_three_actions_need_a_decision_and_level_two_do_not(client, w):
    action(w, "Trettio dagar", deadline=day(-31))  # overdue from day -30: stalled 30 days, the level-3 threshold
    action(w, "Tjugonio dagar", deadline=day(-30))  # stalled 29 days: level 2
    raised = action(w, "Lyft för hand", raised_at=noon(-2), raised_by=w.secretary,
                    raised_reason="Budgeten räcker inte.")
    action(w, "I tid")
    sign_in(client, w.member)
    html = page(client, w)
    decide = items(html, "decide")
    assert len(decide) == 2 and "(2)" in section(html, "decide").split("</h3>")[0]
    assert decide[0].startswith("Trettio dagar") and "stalled 30 days: overdue" in decide[0]
    assert decide[1].startswith("Lyft för hand") and "raised by hand by Sara Sekreterare" in decide[1]
    assert "Reason: Budgeten räcker inte." in decide[1] and "stalled" not in decide[1]
    assert f'href="/actions/{raised.id}"' in section(html, "decide")
    assert "Tjugonio dagar" not in html and "I tid" not in html
    assert "2 actions need a decision" in html


def test_the_agreements_own_level_three_threshold_applies(client, w):
    w.agreement.escalate_level3_days = 20
    action(w, "Tjugo dagar", deadline=day(-21))
    action(w, "Nitton dagar", deadline=day(-20))
    sign_in(client, w.member)
    decide = items(page(client, w), "decide")
    assert len(decide) == 1 and decide[0].startswith("Tjugo dagar")


def test_stale_requests_between_partners(client, w):
    waiting = action(w, "Väntar på skolan")
    make_request(waiting, w.school, w.officer, asked_at=noon(-14), text="Skicka listan med datum.")
    make_request(waiting, w.school, w.officer, asked_at=noon(-13), text="För ny för att vara gammal.")
    make_request(waiting, w.school, w.officer, asked_at=noon(-40), answered_at=noon(-1), answered_by=w.teacher,
                 text="Besvarad i går.")
    closed = action(w, "Avslutad", status=ActionStatus.DONE, progress=100)
    make_request(closed, w.school, w.officer, asked_at=noon(-30), text="På en avslutad åtgärd.")
    sign_in(client, w.member)
    html = page(client, w)
    listed = items(html, "requests")
    assert listed == [f"Polisen → Skolan · Väntar på skolan ⇄ asked on {shown(day(-14))} · open 14 days "
                      "Skicka listan med datum."]
    assert "För ny" not in html and "Besvarad i går" not in html and "På en avslutad" not in html


def test_deadlines_moved_since_the_last_meeting(client, w):
    meeting(w, -20)
    last = meeting(w, -10)
    moved = action(w, "Flyttad", deadline=day(10))
    move(w, moved, noon(-30), day(10), day(20), reason="Första flytten.")
    move(w, moved, noon(-11), day(20), day(30), reason="Dagen före mötet.")
    move(w, moved, noon(-10), day(30), day(40), reason="Samma dag som mötet.")
    move(w, moved, noon(-3), day(40), day(50), reason="Leverantören är sen.")
    decided = action(w, "Beslutad")
    move(w, decided, noon(-9), day(60), day(90), decision=last)
    sign_in(client, w.member)
    html = page(client, w)
    heading = section(html, "moves").split("</h3>")[0]
    assert "since the last meeting" in heading and str(day(-10).year) in heading and "(2)" in heading
    listed = items(html, "moves")
    assert [m.split(":")[0] for m in listed] == ["Flyttad", "Flyttad"]
    assert "Reason: Samma dag som mötet." in listed[0] and "moved 3 times" in listed[0]
    assert "Reason: Leverantören är sen." in listed[1] and "moved 4 times" in listed[1]
    assert f"first promised {shown(day(10))}" in listed[1]
    assert "Dagen före mötet" not in html and "Första flytten" not in html and "Beslutad:" not in section(html,
                                                                                                          "moves")


def test_without_a_meeting_the_last_thirty_days(client, w):
    moved = action(w, "Flyttad", deadline=day(10))
    move(w, moved, noon(-31), day(10), day(20), reason="För länge sedan.")
    move(w, moved, noon(-30), day(20), day(30), reason="För trettio dagar sedan.")
    sign_in(client, w.member)
    html = page(client, w)
    assert "Deadlines moved in the last 30 days (no meeting recorded yet)" in html
    listed = items(html, "moves")
    assert len(listed) == 1 and "För trettio dagar sedan." in listed[0] and "moved 2 times" in listed[0]


def test_ownerless_actions(client, w):
    gone = make_user(organisation=w.police, name="Gunnar Gått", is_active=False)
    action(w, "Utan ägare", owner=gone, owner_lost_on=day(-7))
    action(w, "Aldrig tilldelad", owner=None)
    sign_in(client, w.member)
    listed = items(page(client, w), "ownerless")
    assert listed[0].startswith("Aldrig tilldelad") and "since before that was recorded" in listed[0]
    assert "no former owner named" in listed[0]
    assert listed[1].startswith("Utan ägare") and "former owner: Gunnar Gått" in listed[1] and "(7 days)" in listed[1]
    assert len(listed) == 2


def test_empty_sections_say_so_with_no_items(client, w):
    action(w, "I tid")
    sign_in(client, w.member)
    html = page(client, w)
    assert "0 items: 0 actions need a decision, 0 stale requests, 0 moved deadlines, 0 actions without an owner." \
        in html
    for name, empty in (("decide", "No action needs a decision."),
                        ("requests", "No request has been left unanswered too long."),
                        ("moves", "No deadline was moved."), ("ownerless", "Every open action has an active owner.")):
        assert empty in section(html, name) and "(0)" in section(html, name) and not items(html, name)


def test_the_agenda_in_swedish(client, w):
    action(w, "Trettio dagar", deadline=day(-31))
    make_request(action(w, "Väntar"), w.school, w.officer, asked_at=noon(-20))
    sign_in(client, w.teacher)
    html = page(client, w)
    for words in ("Dagordning för nästa möte", "Behöver beslut i styrgruppen", "avstannad 30 dagar: försenad",
                  "Obesvarade begäranden mellan parterna", "öppen 20 dagar",
                  "Tidsgränser flyttade de senaste 30 dagarna", "Åtgärder utan ansvarig",
                  "Alla öppna åtgärder har en aktiv ansvarig."):
        assert words in html, words


def test_the_decision_form_offers_the_agendas_actions_first_and_a_link_preselects_one(client, w):
    urgent = action(w, "Öööö brådskande", deadline=day(-40))
    calm = action(w, "Aaaa i tid")
    foreign = make_action(agreement=w.other, title="Annat avtal")
    sign_in(client, w.secretary)
    html = page(client, w)
    select = re.search(r'<select[^>]*name="effects-0-action_id".*?</select>', html, re.S).group(0)
    assert select.index(f'value="{urgent.id}"') < select.index(f'value="{calm.id}"')
    assert 'label="On the agenda"' in select and 'label="Other open actions"' in select
    link = f"/agreements/{w.agreement.id}/steering?action={urgent.id}#record-heading"
    assert f'href="{link}"' in section(html, "decide")
    chosen = page(client, w, f"?action={urgent.id}")
    assert re.search(rf'name="effects-0-action_id".*?<option selected value="{urgent.id}"', chosen, re.S)
    assert not re.search(r'name="effects-1-action_id"[^<]*(<optgroup[^>]*>|<option[^>]*>[^<]*</option>)*'
                         r'<option selected value="\d', chosen)
    for hostile in (str(foreign.id), "abc", "9" * 40, "-1", "<script>", ""):
        html = page(client, w, f"?action={hostile}")
        assert re.search(r"<option selected value=\"\d", html) is None, hostile


def test_readers_see_the_agenda_without_decision_links_and_strangers_are_refused(client, w):
    urgent = action(w, "Brådskande", deadline=day(-40))
    sign_in(client, w.member)
    html = page(client, w)
    assert "Brådskande" in section(html, "decide") and f"?action={urgent.id}" not in html
    stranger = client.application.test_client()
    sign_in(stranger, w.stranger)
    assert stranger.get(f"/agreements/{w.agreement.id}/steering").status_code == 403


def build(refs: dict, n: int) -> None:
    """n more items in every section of the agenda, each on its own action and owner (refs: {name: (model, id)},
    as the session is emptied between requests)."""
    w = SimpleNamespace(**{name: db.session.get(model, id_) for name, (model, id_) in refs.items()})
    last = w.last
    for k in range(n):
        owner = make_user(organisation=w.police)
        action(w, f"Sen {k}", owner=owner, deadline=day(-40))
        raiser = make_user(organisation=w.lead)
        action(w, f"Lyft {k}", owner=owner, raised_at=noon(-1), raised_by=raiser, raised_reason="Skäl.")
        make_request(action(w, f"Väntar {k}", owner=owner), w.school, make_user(organisation=w.police),
                     asked_at=noon(-20))
        moved = action(w, f"Flyttad {k}", owner=owner)
        move(w, moved, noon(-2), day(60), day(70), reason="Skäl.")
        move(w, action(w, f"Beslutad {k}", owner=owner), noon(-2), day(60), day(80), decision=last)
        action(w, f"Utan ägare {k}", owner=make_user(organisation=w.police, is_active=False), owner_lost_on=day(-3))
    db.session.commit()


def test_the_query_count_stays_constant_with_agenda_items(client, w):
    refs = {name: (type(v), v.id) for name, v in vars(w).items()} | {"last": (Decision, meeting(w, -5).id)}
    path = f"/agreements/{w.agreement.id}/steering"
    for user in ("secretary", "member"):
        client = client.application.test_client()
        sign_in(client, db.session.get(*refs[user]))
        build(refs, 1)
        few = statements_for(client, path)
        build(refs, 6)
        many = statements_for(client, path)
        assert len(many) == len(few), "\n\n".join(many)
    html = client.get(path).get_data(as_text=True)
    assert "28 actions need a decision" in html and "14 stale requests" in html and "14 moved deadlines" in html
    assert "14 actions without an owner" in html
