"""Server-side sessions through the test client: every sign-in its own record, and every way a session ends."""
import datetime as dt
import hashlib

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_action, make_admin, make_agreement, make_organisation, make_user
from tracker.accounts.models import Role, SessionEnd, User, UserSession
from tracker.actions.models import ProgressUpdate
from tracker.audit.models import AuditEvent
from tracker.clock import utcnow
from tracker.extensions import db

NEW_PASSWORD = "violet tugboat under moonlight"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0"
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.1 Mobile/15E148 Safari/604.1")


def browser(app, user=None, agent: str | None = None):
    """A client of its own (another browser), signed in as user when given."""
    client = app.test_client()
    if agent:
        client.environ_base["HTTP_USER_AGENT"] = agent
    if user is not None:
        sign_in(client, user)
    return client


def cookie(client) -> str:
    return client.get_cookie("session").value


def copy_of(app, client):
    """Another client carrying a copy of client's session cookie, as someone who took it would."""
    thief = app.test_client()
    thief.set_cookie("session", cookie(client), domain="localhost")
    return thief


def token_in(app, client) -> str:
    return app.session_interface.get_signing_serializer(app).loads(cookie(client))["_user_id"]


def signed_in(client) -> bool:
    response = client.get("/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def sessions_of(user) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)
                                   .order_by(UserSession.id)))


def events(verb: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.verb == verb).order_by(AuditEvent.id)))


def test_a_copied_cookie_stops_working_after_sign_out_for_reading_and_writing(app, client):
    user = make_user()
    action = make_action(agreement=make_agreement(lead_organisation=user.organisation))
    sign_in(client, user)
    thief = copy_of(app, client)
    assert signed_in(thief)  # the copy works while the session lives
    assert client.post("/logout").status_code == 303
    assert thief.get("/agreements/").status_code == 302
    response = thief.post(f"/actions/{action.id}/progress", data={
        "text": "Written with a stolen cookie.", "status": "in_progress", "progress": "50", "blocked_reason": "",
        "version": action.version})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 0
    [ended] = sessions_of(user)
    assert ended.revoked_reason is SessionEnd.SIGNED_OUT and ended.revoked_at is not None
    [event] = events("sign_out")
    assert (event.actor_id, event.object_id, event.changes) == (user.id, user.id, {"session": ended.id})


def test_two_sign_ins_in_the_same_second_get_different_cookies_and_live_apart(app, monkeypatch):
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_795_000_000)
    user = make_user()
    first, second = browser(app, user), browser(app, user)
    assert cookie(first) != cookie(second)
    assert signed_in(first) and signed_in(second)
    first.post("/logout")
    assert not signed_in(first) and signed_in(second)
    assert [s.revoked_reason for s in sessions_of(user)] == [SessionEnd.SIGNED_OUT, None]


def test_the_cookie_carries_a_random_token_and_the_database_only_its_hash(app, client):
    user = make_user()
    sign_in(client, user)
    token = token_in(app, client)
    assert len(token) >= 43  # 32 bytes, URL-safe base64
    [stored] = sessions_of(user)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored.token_hash
    assert str(user.id) != token


def set_last_seen(user_session: UserSession, ago: dt.timedelta) -> None:
    user_session.last_seen_at = utcnow() - ago
    db.session.commit()


def test_an_idle_session_is_signed_out_by_the_server(app, client):
    user = make_user()
    sign_in(client, user)
    [user_session] = sessions_of(user)
    set_last_seen(user_session, dt.timedelta(hours=1, minutes=58))
    assert signed_in(client)
    set_last_seen(user_session, dt.timedelta(hours=2, minutes=1))
    assert not signed_in(client)
    [user_session] = sessions_of(user)
    assert user_session.revoked_reason is SessionEnd.IDLE


def test_last_seen_is_written_at_most_once_a_minute(app, client):
    user = make_user()
    sign_in(client, user)
    [user_session] = sessions_of(user)
    set_last_seen(user_session, dt.timedelta(seconds=30))
    before = sessions_of(user)[0].last_seen_at
    client.get("/")
    assert sessions_of(user)[0].last_seen_at == before
    set_last_seen(sessions_of(user)[0], dt.timedelta(minutes=5))
    client.get("/")
    assert utcnow() - sessions_of(user)[0].last_seen_at < dt.timedelta(seconds=30)


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, client):
    user = make_user()
    other = browser(app, user)
    sign_in(client, user)
    response = client.post("/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert signed_in(client) and not signed_in(other)
    assert [s.revoked_reason for s in sessions_of(user)] == [SessionEnd.PASSWORD_CHANGED, None]


def admin_change(app, admin_client, user, change: str):
    if change == "temporary_password":
        return admin_client.post(f"/admin/users/{user.id}/password", data={
            "new_password": "temporary river lantern", "confirm": "temporary river lantern", "version": user.version})
    if change == "deactivate":
        return admin_client.post(f"/admin/users/{user.id}/deactivate", data={"version": user.version})
    if change == "deactivate_organisation":
        return admin_client.post(f"/admin/organisations/{user.organisation_id}/deactivate",
                                 data={"version": user.organisation.version})
    data = {"name": user.name, "email": user.email, "organisation_id": user.organisation_id, "role": user.role.value,
            "language": "", "version": user.version}
    if change == "role":
        data["role"] = Role.VIEWER.value
    else:
        data["organisation_id"] = make_organisation().id
    return admin_client.post(f"/admin/users/{user.id}/edit", data=data)


@pytest.mark.parametrize(("change", "reason"), [
    ("temporary_password", SessionEnd.TEMPORARY_PASSWORD), ("role", SessionEnd.ACCOUNT_CHANGED),
    ("organisation", SessionEnd.ACCOUNT_CHANGED), ("deactivate", SessionEnd.DEACTIVATED),
    ("deactivate_organisation", SessionEnd.ORGANISATION_DEACTIVATED),
])
def test_administrators_changes_end_every_session_of_the_user(app, client, change, reason):
    user, bystander = make_user(), make_user()
    phone, laptop, theirs = browser(app, user), browser(app, user), browser(app, bystander)
    sign_in(client, make_admin())
    assert admin_change(app, client, user, change).status_code == 303
    assert not signed_in(phone) and not signed_in(laptop)
    assert signed_in(theirs) and signed_in(client)
    assert [s.revoked_reason for s in sessions_of(user)] == [reason, reason]


def test_reactivating_an_organisation_brings_no_old_session_back(app, client):
    user = make_user()
    theirs = browser(app, user)
    sign_in(client, make_admin())
    organisation = user.organisation
    client.post(f"/admin/organisations/{organisation.id}/deactivate", data={"version": organisation.version})
    client.post(f"/admin/organisations/{organisation.id}/activate", data={"version": organisation.version})
    assert db.session.get(User, user.id).organisation.is_active
    assert not signed_in(theirs)


def test_the_password_page_lists_ones_own_sessions_and_marks_this_one(app):
    user, stranger = make_user(language="en"), make_user()
    browser(app, user, agent=FIREFOX)
    browser(app, stranger, agent=SAFARI)
    page = browser(app, user, agent=SAFARI.replace("iPhone", "iPad")).get("/password").get_data(as_text=True)
    assert "Firefox, Windows" in page and "Safari, iOS" in page
    assert page.count("This session") == 1 and page.count("/end\"") == 1
    assert page.count("<tr>") == 1 + 2  # the heading row and my two sessions, not the stranger's


def test_a_person_ends_one_other_session_and_then_all_the_others(app, client):
    user = make_user(language="en")
    phone, tablet = browser(app, user), browser(app, user)
    sign_in(client, user)
    phone_session = sessions_of(user)[0]
    response = client.post(f"/password/sessions/{phone_session.id}/end", follow_redirects=True)
    assert "The session is ended" in response.get_data(as_text=True)
    assert not signed_in(phone) and signed_in(tablet) and signed_in(client)
    [event] = events("end_session")
    assert (event.actor_id, event.object_id, event.changes) == (user.id, user.id, {"session": phone_session.id})
    response = client.post("/password/sessions/end-others", follow_redirects=True)
    assert "1 other session is ended." in response.get_data(as_text=True)
    assert not signed_in(tablet) and signed_in(client)
    [event] = events("end_all_sessions")
    assert event.changes == {"sessions": 1}
    response = client.post(f"/password/sessions/{phone_session.id}/end", follow_redirects=True)
    assert "That session had already ended." in response.get_data(as_text=True)


def test_the_session_in_use_is_not_ended_from_the_list(app, client):
    user = make_user(language="en")
    sign_in(client, user)
    [mine] = sessions_of(user)
    response = client.post(f"/password/sessions/{mine.id}/end", follow_redirects=True)
    assert "To end it, sign out." in response.get_data(as_text=True)
    assert signed_in(client)


@pytest.mark.parametrize("whose", ["same_organisation", "other_organisation", "admin"])
def test_ending_someone_elses_session_by_its_id_is_refused(app, client, whose):
    me = make_admin() if whose == "admin" else make_user()
    victim = make_user(organisation=me.organisation if whose == "same_organisation" else make_organisation())
    theirs = browser(app, victim)
    sign_in(client, me)
    [their_session] = sessions_of(victim)
    assert client.post(f"/password/sessions/{their_session.id}/end").status_code == 403
    assert signed_in(theirs) and sessions_of(victim)[0].revoked_at is None


def test_an_administrator_sees_and_ends_all_sessions_of_an_account(app, client):
    user = make_user()
    phone, laptop = browser(app, user), browser(app, user)
    admin = make_admin(language="en")
    sign_in(client, admin)
    page = client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert "2 active sessions" in page and "End all sessions" in page
    response = client.post(f"/admin/users/{user.id}/sessions/end", data={"version": user.version},
                           follow_redirects=True)
    assert "2 sessions of" in response.get_data(as_text=True)
    assert not signed_in(phone) and not signed_in(laptop) and signed_in(client)
    assert [s.revoked_reason for s in sessions_of(user)] == [SessionEnd.ENDED_BY_ADMIN] * 2
    [event] = events("end_all_sessions")
    assert (event.actor_id, event.object_id, event.changes) == (admin.id, user.id, {"sessions": 2})
    assert "No active sessions" in client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)


def test_a_coordinator_cannot_end_someone_elses_sessions_as_an_administrator_would(app, client):
    user = make_user()
    theirs = browser(app, user)
    sign_in(client, make_user(organisation=user.organisation))
    assert client.post(f"/admin/users/{user.id}/sessions/end").status_code == 403
    assert signed_in(theirs)
    assert events("end_all_sessions") == []


@pytest.mark.parametrize(("method", "url", "status"), [
    ("post", "/password/sessions/999999/end", 404), ("post", "/password/sessions/2147483648/end", 404),
    ("post", "/password/sessions/99999999999999999999/end", 404), ("post", "/password/sessions/abc/end", 404),
    ("post", "/password/sessions/-1/end", 404), ("post", "/password/sessions/0/end", 404),
    ("get", "/password/sessions/1/end", 405), ("get", "/password/sessions/end-others", 405),
    ("post", "/admin/users/999999/sessions/end", 404), ("post", "/admin/users/abc/sessions/end", 404),
    ("post", "/admin/users/2147483648/sessions/end", 404), ("get", "/admin/users/1/sessions/end", 405),
])
def test_hostile_session_urls_get_a_clear_answer(client, method, url, status):
    sign_in(client, make_admin())
    assert getattr(client, method)(url).status_code == status


def test_ending_sessions_without_a_csrf_token_is_refused(app, client):
    user = make_user()
    other = browser(app, user)
    sign_in(client, user)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/password/sessions/end-others").status_code == 400
    assert signed_in(other)


def test_changing_ones_language_is_audited(client):
    user = make_user(language="sv")
    client.post("/language", data={"language": "en"})  # not signed in: nothing to record
    sign_in(client, user)
    client.post("/language", data={"language": "en"})
    client.post("/language", data={"language": "en"})  # no change, no event
    [event] = events("set_language")
    assert (event.actor_id, event.object_id, event.changes) == (user.id, user.id, {"language": ["sv", "en"]})
    assert db.session.get(User, user.id).language == "en"
