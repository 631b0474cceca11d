"""Calendar feeds (RFC 5545): a person's open deadlines and next steps, and an agreement's, behind a secret token
in the address. Each feed is parsed back with icalendar and its events compared with what the person may read."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from icalendar import Calendar

from tests.conftest import sign_in
from tests.factories import (
    make_action,
    make_agreement,
    make_organisation,
    make_request,
    make_update,
    make_user,
    make_viewer,
)
from tests.test_query_counts import statements_for
from tracker.accounts.models import User
from tracker.actions.models import ActionStatus
from tracker.agreements.models import Agreement
from tracker.clock import local_today
from tracker.extensions import db
from tracker.organisations.models import Organisation

PAGE = "/account/calendar"
BASE = "https://samverka.example.se"
FEED = re.compile(r'value="(https://samverka\.example\.se/calendar/[^"]+\.ics)"')


@pytest.fixture
def app(app):
    app.config["BASE_URL"] = BASE
    return app


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def links(client) -> list[str]:
    """Make calendar links on the Kalender page and return the addresses it shows (once)."""
    response = client.post(PAGE)
    assert response.status_code == 303 and response.location.endswith(PAGE)
    found = FEED.findall(client.get(PAGE).get_data(as_text=True))
    assert found, "the page shows the new links"
    return [url.removeprefix(BASE) for url in found]


def personal_feed(client) -> str:
    return links(client)[0]


def agreement_feed(personal: str, agreement_id: int) -> str:
    return personal.removesuffix(".ics") + f"/agreements/{agreement_id}.ics"


def fetch(app, path: str) -> Calendar:
    """The feed, fetched as a calendar app does: no cookies, no sign-in."""
    response = app.test_client().get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict[str, tuple[str, dt.date]]:
    """{uid: (summary, date)} of every event."""
    return {str(e["uid"]): (str(e["summary"]), e["dtstart"].dt) for e in calendar.walk("VEVENT")}


def uid(action, kind: str) -> str:
    return f"action-{action.id}-{kind}@samverka.example.se"


@pytest.fixture
def world(app):
    """me (coordinator at MINE) in agreement `main` with THEIRS; actions of mine, my colleague's, THEIRS', closed ones,
    and one my organisation owns on an agreement I may not read."""
    mine, theirs, outside = (make_organisation(name=n) for n in ("Polisen Järva", "Rinkeby skola", "Annan kommun"))
    me = make_user(organisation=mine, name="Erik Johansson", language="sv")
    colleague = make_user(organisation=mine, name="Kollega")
    partner = make_user(organisation=theirs, name="Partner")
    main = make_agreement(lead_organisation=mine, parties=[mine, theirs], title="Trygg i Järva")
    hidden = make_agreement(lead_organisation=outside, parties=[outside], title="Hemligt avtal")
    a = SimpleNamespace(
        mine=make_action(agreement=main, owner=me, title="Trygghetsvandring", deadline=days(10)),
        colleagues=make_action(agreement=main, owner=colleague, title="Försenad åtgärd", deadline=days(-5)),
        theirs=make_action(agreement=main, owner_organisation=theirs, owner=partner, title="Skolans åtgärd",
                           deadline=days(20)),
        done=make_action(agreement=main, owner=me, title="Klar åtgärd", status=ActionStatus.DONE, progress=100),
        cancelled=make_action(agreement=main, owner=me, title="Avbruten", status=ActionStatus.CANCELLED),
        no_deadline=make_action(agreement=main, owner=me, title="Utan datum", deadline=None),
        unreadable=make_action(agreement=hidden, owner_organisation=mine, owner=me, title="Gömd", deadline=days(3)),
    )
    make_update(a.mine, me, at=dt.datetime(2026, 11, 5, 12, tzinfo=dt.UTC), next_step="Gammalt steg",
                next_step_on=days(1))
    make_update(a.mine, me, at=dt.datetime(2026, 11, 9, 12, tzinfo=dt.UTC), next_step="Ring rektorn",
                next_step_on=days(3))
    make_update(a.mine, me, at=dt.datetime(2026, 11, 12, 12, tzinfo=dt.UTC))  # names no next step
    make_update(a.no_deadline, me, next_step="Boka lokal", next_step_on=days(7))
    make_update(a.theirs, partner, next_step="Skolans steg", next_step_on=days(2))
    make_update(a.done, me, next_step="Steg på klar åtgärd", next_step_on=days(2))
    make_update(a.unreadable, me, next_step="Gömt steg", next_step_on=days(2))
    return SimpleNamespace(me=me, colleague=colleague, partner=partner, main=main, hidden=hidden, a=a,
                           mine=mine, theirs=theirs, outside=outside)


def test_the_personal_feed_holds_exactly_my_and_my_organisations_open_deadlines_and_next_steps(app, client, world):
    a = world.a
    sign_in(client, world.me)
    assert events(fetch(app, personal_feed(client))) == {
        uid(a.mine, "deadline"): ("Tidsgräns: Trygghetsvandring", days(10)),
        uid(a.mine, "next-step"): ("Nästa steg: Ring rektorn (Trygghetsvandring)", days(3)),
        uid(a.colleagues, "deadline"): ("Tidsgräns: Försenad åtgärd", days(-5)),  # overdue: it stays
        uid(a.no_deadline, "next-step"): ("Nästa steg: Boka lokal (Utan datum)", days(7)),
    }


def test_an_agreement_feed_holds_all_its_open_actions_and_nothing_else(app, client, world):
    a = world.a
    sign_in(client, world.me)
    feed = fetch(app, agreement_feed(personal_feed(client), world.main.id))
    assert str(feed["x-wr-calname"]) == "Samverka – Trygg i Järva"
    assert events(feed) == {
        uid(a.mine, "deadline"): ("Tidsgräns: Trygghetsvandring", days(10)),
        uid(a.mine, "next-step"): ("Nästa steg: Ring rektorn (Trygghetsvandring)", days(3)),
        uid(a.colleagues, "deadline"): ("Tidsgräns: Försenad åtgärd", days(-5)),
        uid(a.no_deadline, "next-step"): ("Nästa steg: Boka lokal (Utan datum)", days(7)),
        uid(a.theirs, "deadline"): ("Tidsgräns: Skolans åtgärd", days(20)),
        uid(a.theirs, "next-step"): ("Nästa steg: Skolans steg (Skolans åtgärd)", days(2)),
    }


def test_a_closed_action_leaves_the_feed_and_a_new_next_step_moves_its_event(app, client, world):
    sign_in(client, world.me)
    feed = personal_feed(client)
    before = events(fetch(app, feed))
    world.a.colleagues.status = ActionStatus.DONE
    make_update(world.a.mine, world.me, at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), next_step="Nytt steg",
                next_step_on=days(4))
    after = events(fetch(app, feed))
    assert uid(world.a.colleagues, "deadline") in before and uid(world.a.colleagues, "deadline") not in after
    assert after[uid(world.a.mine, "next-step")] == ("Nästa steg: Nytt steg (Trygghetsvandring)", days(4))


def test_events_are_all_day_with_a_stable_uid_a_stamp_and_the_facts_in_the_description(app, client, world):
    sign_in(client, world.me)
    feed = personal_feed(client)
    first, second = fetch(app, feed), fetch(app, feed)
    assert set(events(first)) == set(events(second))
    assert str(first["x-wr-calname"]) == "Samverka – Erik Johansson"
    [event] = [e for e in first.walk("VEVENT") if str(e["uid"]) == uid(world.a.colleagues, "deadline")]
    assert isinstance(event["dtstamp"].dt, dt.datetime) and event["dtstamp"].dt.tzinfo is not None
    assert type(event["dtstart"].dt) is dt.date and event["dtend"].dt == days(-4)
    assert str(event["url"]) == f"{BASE}/actions/{world.a.colleagues.id}"
    description = str(event["description"]).splitlines()
    assert description[:5] == ["Åtgärd: Försenad åtgärd", "Avtal: Trygg i Järva",
                               "Ansvarig organisation: Polisen Järva", "Ansvarig: Kollega", "Status: Pågår, 10 %"]
    assert description[-1] == f"{BASE}/actions/{world.a.colleagues.id}"
    assert any(line.startswith("Läge: Försenad 5 dagar") for line in description)
    raw = app.test_client().get(feed).data
    assert b"DTSTART;VALUE=DATE:" in raw and b"\r\nDTSTAMP:" in raw


def test_the_next_step_and_the_waiting_party_are_in_the_description(app, client, world):
    make_request(world.a.mine, world.theirs, world.me, asked_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=20))
    sign_in(client, world.me)
    [event] = [e for e in fetch(app, personal_feed(client)).walk("VEVENT")
               if str(e["uid"]) == uid(world.a.mine, "deadline")]
    description = str(event["description"])
    assert "Nästa steg: Ring rektorn (senast " in description
    assert "Har väntat 20 dagar på svar från Rinkeby skola" in description


def test_the_feed_speaks_english_to_an_english_speaker(app, client, world):
    world.me.language = "en"
    sign_in(client, world.me)
    feed = fetch(app, personal_feed(client))
    found = events(feed)
    assert found[uid(world.a.mine, "deadline")][0] == "Deadline: Trygghetsvandring"
    assert found[uid(world.a.mine, "next-step")][0] == "Next step: Ring rektorn (Trygghetsvandring)"
    [event] = [e for e in feed.walk("VEVENT") if str(e["uid"]) == uid(world.a.colleagues, "deadline")]
    assert "Owning organisation: Polisen Järva" in str(event["description"])
    assert "Where it stands: Overdue 5 days" in str(event["description"])


def test_the_feed_is_text_calendar_not_cached_and_sets_no_cookie(app, client, world):
    sign_in(client, world.me)
    response = app.test_client().get(personal_feed(client))
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    assert response.data.startswith(b"BEGIN:VCALENDAR\r\n") and response.data.endswith(b"END:VCALENDAR\r\n")


HOSTILE = ("Rad ett\r\nRad två, med komma; semikolon \\ backslash: kolon \"citat\" <script>alert(1)</script> "
           "Åsa Öberg på Ängsvägen ") + "långt ord " * 20


@pytest.mark.parametrize("where", ["title", "next_step", "agreement", "owner"])
def test_hostile_text_comes_back_intact_after_parsing(app, client, world, where):
    action = world.a.mine
    if where == "title":
        action.title = HOSTILE[:300]
    elif where == "next_step":
        make_update(action, world.me, at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC), next_step=HOSTILE[:500],
                    next_step_on=days(3))
    elif where == "agreement":
        world.main.title = HOSTILE[:300]
    else:
        world.me.name = HOSTILE[:200]
    sign_in(client, world.me)
    raw = app.test_client().get(personal_feed(client)).data
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets"
    raw.decode("utf-8")  # folding never splits a character
    [event] = [e for e in Calendar.from_ical(raw).walk("VEVENT") if str(e["uid"]) == uid(action, where_uid(where))]
    written = {"title": HOSTILE[:300], "next_step": HOSTILE[:500], "agreement": HOSTILE[:300], "owner": HOSTILE[:200]}
    intact = written[where].replace("\r\n", "\n")  # RFC 5545 text has one kind of line break, LF
    assert intact in str(event["summary"]) + "\n" + str(event["description"])


def where_uid(where: str) -> str:
    return "next-step" if where == "next_step" else "deadline"


def test_a_hostile_agreement_title_stays_on_one_line_in_the_calendars_name(app, client, world):
    world.main.title = "Avtal\r\nX-INJECTED:ja; med, tecken \\ och åäö"
    sign_in(client, world.me)
    path = agreement_feed(personal_feed(client), world.main.id)
    raw = app.test_client().get(path).data
    assert b"\r\nX-INJECTED" not in raw
    name = unescaped(str(Calendar.from_ical(raw)["x-wr-calname"]))
    assert name == "Samverka – Avtal X-INJECTED:ja; med, tecken \\ och åäö"


def unescaped(value: str) -> str:
    """RFC 5545 TEXT unescaped (icalendar leaves an X- property as it was written)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_control_characters_that_rfc_5545_cannot_carry_become_spaces(app, client, world):
    world.a.mine.title = "Ett\x0btvå\x1btre\u2028fyra"
    sign_in(client, world.me)
    found = events(fetch(app, personal_feed(client)))
    assert found[uid(world.a.mine, "deadline")][0] == "Tidsgräns: Ett två tre\nfyra"


def test_an_agreement_the_person_may_not_read_is_404(app, client, world):
    sign_in(client, world.me)
    personal = personal_feed(client)
    for agreement_id in (world.hidden.id, 999999, 10**40, 0):
        response = app.test_client().get(agreement_feed(personal, agreement_id))
        assert response.status_code == 404, agreement_id
        assert "Set-Cookie" not in response.headers


def test_a_person_who_loses_access_gets_404_at_the_next_fetch(app, client, world):
    viewer = make_viewer(organisation=world.outside)
    world.main.steering_group.append(viewer)
    sign_in(client, viewer)
    path = agreement_feed(personal_feed(client), world.main.id)
    assert app.test_client().get(path).status_code == 200
    db.session.get(Agreement, world.main.id).steering_group.remove(db.session.get(User, viewer.id))
    assert app.test_client().get(path).status_code == 404


def test_a_viewer_of_a_party_sees_the_agreement_and_their_organisations_actions(app, client, world):
    viewer = make_viewer(organisation=world.theirs, language="en")
    sign_in(client, viewer)
    personal = personal_feed(client)
    assert set(events(fetch(app, personal))) == {uid(world.a.theirs, "deadline"), uid(world.a.theirs, "next-step")}
    assert app.test_client().get(agreement_feed(personal, world.main.id)).status_code == 200
    assert app.test_client().get(agreement_feed(personal, world.hidden.id)).status_code == 404


def tokens_to_try(token: str) -> list[str]:
    flipped = ("A" if token[0] != "A" else "B") + token[1:]
    return ["", "x", flipped, token + "x", token[:-1], token.upper() if token.upper() != token else token.lower(),
            "x" * 43, "é" * 43, "%00" * 20, "..%2F..%2Fetc%2Fpasswd", "<script>", token * 1000, "9" * 100_000]


def test_a_tampered_huge_or_unknown_token_is_404_never_500(app, client, world):
    sign_in(client, world.me)
    token = personal_feed(client).removeprefix("/calendar/").removesuffix(".ics")
    anonymous = app.test_client()
    for candidate in tokens_to_try(token):
        for path in (f"/calendar/{candidate}.ics", f"/calendar/{candidate}/agreements/{world.main.id}.ics"):
            response = anonymous.get(path)
            assert response.status_code in (400, 404), (path[:80], response.status_code)
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 200


def test_a_deactivated_account_or_organisation_opens_nothing(app, client, world):
    sign_in(client, world.me)
    path = personal_feed(client)
    world.mine.is_active = False
    assert app.test_client().get(path).status_code == 404
    world.mine.is_active = True
    db.session.get(User, world.me.id).is_active = False
    assert app.test_client().get(path).status_code == 404


def test_the_feeds_are_rate_limited_per_token_and_guessing_per_address(app, client, world):
    app.config.update(CALENDAR_FEED_LIMIT="3 per hour", CALENDAR_MISS_LIMIT="2 per hour")
    sign_in(client, world.me)
    path = personal_feed(client)
    anonymous = app.test_client()
    assert [anonymous.get(path).status_code for _ in range(4)] == [200, 200, 200, 429]
    too_many = anonymous.get(agreement_feed(path, world.main.id))
    assert too_many.status_code == 429 and "Set-Cookie" not in too_many.headers
    client.post("/logout")
    sign_in(client, world.colleague)
    assert anonymous.get(personal_feed(client)).status_code == 200  # another person's link is not slowed down
    assert [anonymous.get(f"/calendar/{'x' * 43}{n}.ics").status_code for n in range(3)] == [404, 404, 429]


def build(ids, rows: int) -> None:
    """rows more open actions of my organisation in `main`, each with a next step and a stale request."""
    main, me = db.session.get(Agreement, ids.main), db.session.get(User, ids.me)
    theirs = db.session.get(Organisation, ids.theirs)
    for n in range(rows):
        action = make_action(agreement=main, owner=me, title=f"Rad {n}", deadline=days(n - 5))
        make_update(action, me, next_step=f"Steg {n}", next_step_on=days(n))
        make_request(action, theirs, me, asked_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))


@pytest.mark.parametrize("feed", ["personal", "agreement"])
def test_a_feed_reads_in_a_fixed_number_of_queries(app, client, world, feed):
    sign_in(client, world.me)
    path = personal_feed(client)
    path = path if feed == "personal" else agreement_feed(path, world.main.id)
    ids = SimpleNamespace(main=world.main.id, me=world.me.id, theirs=world.theirs.id)  # they outlive the objects
    build(ids, 3)
    few = statements_for(app.test_client(), path)  # a calendar app: no cookie, no session
    build(ids, 20)
    many = statements_for(app.test_client(), path)
    assert len(many) == len(few), "\n\n".join(many)
    assert len(events(fetch(app, path))) >= 2 * 23  # the rows are really in the feed

