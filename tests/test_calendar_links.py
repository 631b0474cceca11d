"""The Kalender page and calendar tokens: links are made and shown once, replaced (the old addresses 404 at once)
or ended, by the person themself or an administrator; only the token's hash is stored; every change is audited."""
import datetime as dt

import pytest
from sqlalchemy import event, insert, select

from tests.conftest import sign_in
from tests.factories import make_admin, make_agreement, make_user, make_viewer
from tests.test_calendar import BASE, FEED, PAGE, agreement_feed, app, personal_feed, world  # noqa: F401
from tracker.accounts.sessions import hash_token
from tracker.audit.models import AuditEvent
from tracker.calendars.models import CalendarToken
from tracker.calendars.tokens import issue
from tracker.calendars.views import FRESH
from tracker.extensions import db


def test_a_new_token_makes_the_old_addresses_404_and_the_new_ones_work(app, client, world):
    sign_in(client, world.me)
    old = personal_feed(client)
    old_agreement = agreement_feed(old, world.main.id)
    new = personal_feed(client)
    assert new != old
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(old_agreement).status_code == 404
    assert app.test_client().get(new).status_code == 200
    assert app.test_client().get(agreement_feed(new, world.main.id)).status_code == 200
    assert db.session.scalar(select(CalendarToken.id).where(CalendarToken.user_id == world.me.id)) is not None
    verbs = db.session.scalars(select(AuditEvent.verb).where(AuditEvent.object_type == "users",
                                                             AuditEvent.object_id == world.me.id)
                               .order_by(AuditEvent.id)).all()
    assert verbs == ["sign_in", "create_calendar_token", "regenerate_calendar_token"]


def test_only_the_hash_of_the_token_is_stored(app, client, world):
    sign_in(client, world.me)
    token = personal_feed(client).removeprefix("/calendar/").removesuffix(".ics")
    stored = db.session.scalar(select(CalendarToken).where(CalendarToken.user_id == world.me.id))
    assert len(token) == 43 and token not in stored.token_hash and len(stored.token_hash) == 64


def test_ending_the_links_makes_them_404_and_is_audited(app, client, world):
    sign_in(client, world.me)
    path = personal_feed(client)
    response = client.post(f"{PAGE}/end")
    assert response.status_code == 303 and response.location.endswith(PAGE)
    assert app.test_client().get(path).status_code == 404
    page = client.get(PAGE).get_data(as_text=True)
    assert "Kalenderlänkarna för Erik Johansson är avslutade" in page and "Du har inga kalenderlänkar." in page
    assert client.post(f"{PAGE}/end").status_code == 303
    assert "Erik Johansson har inga kalenderlänkar." in client.get(PAGE).get_data(as_text=True)
    assert db.session.scalars(select(AuditEvent.verb).where(AuditEvent.verb.like("%calendar%"))
                              .order_by(AuditEvent.id)).all() == ["create_calendar_token", "end_calendar_token"]


def test_an_administrator_ends_another_persons_links_from_the_account_page(app, client, world):
    sign_in(client, world.me)
    path = personal_feed(client)
    client.post("/logout")
    admin = make_admin(language="en")
    sign_in(client, admin)
    account = client.get(f"/admin/users/{world.me.id}/edit").get_data(as_text=True)
    assert "Erik Johansson has calendar links, made" in account
    assert path.removeprefix("/calendar/").removesuffix(".ics") not in account
    response = client.post(f"/admin/users/{world.me.id}/calendar/end")
    assert response.status_code == 303 and response.location.endswith(f"/admin/users/{world.me.id}/edit")
    assert app.test_client().get(path).status_code == 404
    assert "No calendar links." in client.get(f"/admin/users/{world.me.id}/edit").get_data(as_text=True)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.verb == "end_calendar_token")).all()
    assert (event.actor_id, event.object_id) == (admin.id, world.me.id)
    log = client.get("/admin/audit/").get_data(as_text=True)
    assert "ended the calendar links" in log and "made calendar links" in log


@pytest.mark.parametrize("maker", [make_user, make_viewer], ids=["coordinator", "viewer"])
def test_no_one_but_an_administrator_ends_another_persons_links(app, client, world, maker):
    sign_in(client, world.me)
    path = personal_feed(client)
    client.post("/logout")
    for other in (maker(organisation=world.outside), maker(organisation=world.mine)):
        sign_in(client, other)
        assert client.post(f"/admin/users/{world.me.id}/calendar/end").status_code == 403
        assert client.get(f"/admin/users/{world.me.id}/edit").status_code == 403
        client.post("/logout")
    assert app.test_client().get(path).status_code == 200


def test_the_page_shows_only_ones_own_links_and_an_administrator_cannot_make_anyones(app, client, world):
    sign_in(client, world.me)
    token = personal_feed(client).removeprefix("/calendar/").removesuffix(".ics")
    client.post("/logout")
    admin = make_admin()
    sign_in(client, admin)
    page = client.get(PAGE, query_string={"user": world.me.id, "user_id": world.me.id}).get_data(as_text=True)
    assert token not in page and "Du har inga kalenderlänkar." in page  # the admin's own page, nothing else
    client.post(PAGE, data={"user_id": str(world.me.id)})
    assert db.session.scalar(select(CalendarToken.user_id).where(CalendarToken.user_id == admin.id)) == admin.id
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 200  # the person's own link still works


def test_the_links_are_shown_once(app, client, world):
    sign_in(client, world.me)
    path = personal_feed(client)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    page = client.get(PAGE).get_data(as_text=True)
    assert token not in page and "Du har kalenderlänkar, skapade" in page and "visas de bara en gång" in page
    with client.session_transaction() as session:
        session[FRESH] = token + "x"  # a token that is not the current one is never shown
    assert token not in client.get(PAGE).get_data(as_text=True)


def test_the_fresh_page_lists_the_agreements_the_person_may_read(app, client, world):
    ended = make_agreement(lead_organisation=world.mine, title="Avslutat avtal", status="ended")
    sign_in(client, world.me)
    client.post(PAGE)
    page = client.get(PAGE).get_data(as_text=True)
    assert f"/agreements/{world.main.id}.ics" in page and "Trygg i Järva" in page
    assert f"/agreements/{world.hidden.id}.ics" not in page and f"/agreements/{ended.id}.ics" not in page
    assert 'href="webcal://samverka.example.se/calendar/' in page


def test_the_page_is_in_the_header_and_in_english(app, client, world):
    world.me.language = "en"
    sign_in(client, world.me)
    assert f'<a href="{PAGE}">Calendar</a>' in client.get("/").get_data(as_text=True)
    page = client.get(PAGE).get_data(as_text=True)
    assert "You have no calendar links." in page and "Make calendar links" in page
    client.post(PAGE)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Copy the links now: they are shown only this once." in page


def test_the_page_in_swedish(app, client, world):
    sign_in(client, world.me)
    assert f'<a href="{PAGE}">Kalender</a>' in client.get("/").get_data(as_text=True)
    page = client.get(PAGE).get_data(as_text=True)
    assert "<h1>Kalender</h1>" in page and "Skapa kalenderlänkar" in page


@pytest.mark.parametrize("data", [{"version": "9" * 10_000}, {"junk": "<script>\r\n" * 1000},
                                  {"csrf_token": "\r\nSet-Cookie: x=y"}, {"version": "19850101-1234"}])
def test_bad_input_on_the_page_is_harmless(app, client, world, data):
    sign_in(client, world.me)
    response = client.post(PAGE, data=data)
    assert response.status_code == 303
    assert FEED.search(client.get(PAGE).get_data(as_text=True))
    assert client.post(f"{PAGE}/end", data=data).status_code == 303


def test_a_forged_or_expired_form_changes_nothing(app, client, world):
    sign_in(client, world.me)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(PAGE, data={"csrf_token": "forged"}).status_code == 400
    assert client.post(f"{PAGE}/end").status_code == 400
    assert db.session.scalar(select(CalendarToken)) is None


@pytest.mark.parametrize("user_id", ["999999", "0", "1" + "0" * 40, "-1", "abc"])
def test_an_administrator_ending_links_of_no_one_gets_404(app, client, user_id):
    sign_in(client, make_admin())
    assert client.post(f"/admin/users/{user_id}/calendar/end").status_code == 404


def test_two_requests_making_links_at_once_leave_one_token(app, world):
    """The other request's token is written between this one's look and its insert: this one replaces it."""
    me = world.me
    db.session.commit()
    raced = []

    @event.listens_for(db.session, "before_flush")
    def other_request_first(session, context, instances):
        if not raced and any(isinstance(o, CalendarToken) for o in session.new):
            raced.append(True)
            with db.engine.begin() as other:
                other.execute(insert(CalendarToken).values(user_id=me.id, token_hash="0" * 64,
                                                           created_at=dt.datetime.now(dt.UTC)))

    try:
        token = issue(me, by=me, now=dt.datetime.now(dt.UTC))
        db.session.commit()
    finally:
        event.remove(db.session, "before_flush", other_request_first)
    assert raced
    [stored] = db.session.scalars(select(CalendarToken)).all()
    assert stored.token_hash == hash_token(token)
    assert db.session.scalars(select(AuditEvent.verb)).all() == ["regenerate_calendar_token"]
