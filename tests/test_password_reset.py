"""Password reset ("Glömt lösenordet?"): the same answer for every address, a link that really arrives, works once
and expires, and a new password that ends every session."""
import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.account_links import BASE_URL, NEW_PASSWORD, choose, delivered, link_in
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_admin, make_organisation, make_user
from tests.smtp import smtp_server, text_of  # noqa: F401  (a fixture)
from tracker.accounts import services
from tracker.accounts.models import AccountLink, SessionEnd, User, UserSession
from tracker.audit.models import AuditEvent
from tracker.auth import resets
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.mail.models import OutboxMessage

CSRF = re.compile(r'name="csrf_token" type="hidden" value="[^"]*"|name="csrf_token" value="[^"]*"')


@pytest.fixture(autouse=True)
def base_url(app):
    app.config["BASE_URL"] = BASE_URL


def ask(client, email: str):
    """Ask for a reset as a browser does: the server closes the answer once sent, and then does the work."""
    return client.post("/forgot-password", data={"email": email}, buffered=True)


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def events(verb: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.verb == verb).order_by(AuditEvent.id)))


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def reset_link(app, smtp_server, user) -> str:
    assert ask(app.test_client(), user.email).status_code == 303
    return link_in(delivered(smtp_server, user.email), "/reset-password/")


def test_the_sign_in_page_links_to_the_reset_in_swedish(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<a href="/forgot-password">Glömt lösenordet?</a>' in page
    assert client.get("/forgot-password").status_code == 200


def test_a_reset_link_arrives_works_once_and_ends_every_session(app, client, smtp_server):
    user = make_user(name="Erik Johansson", email="erik@polisen.example.se", must_change_password=True)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    copied = app.test_client()
    copied.set_cookie("session", laptop.get_cookie("session").value, domain="localhost")
    assert copied.get("/password").status_code == 200  # the copied cookie works while the session lives

    response = ask(client, "Erik@Polisen.example.se ")
    assert response.status_code == 303 and response.location == "/forgot-password/sent"
    mail = delivered(smtp_server, "erik@polisen.example.se")
    assert mail["Subject"] == "Välj ett nytt lösenord för Samverka" and mail["Content-Language"] == "sv"
    text = text_of(mail)
    assert text.startswith("Hej Erik Johansson,") and "erik@polisen.example.se" in text
    assert "gäller i 2 timmar" in text and "Om det inte var du" in text
    path = link_in(mail, "/reset-password/")

    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    done = choose(client, path)
    assert done.status_code == 303 and done.location == "/login"

    for other in (laptop, phone, copied):
        assert other.get("/password").status_code == 302  # every session ended, the copied cookie's too
    db.session.expire_all()
    ended = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert {s.revoked_reason for s in ended} == {SessionEnd.PASSWORD_CHANGED}
    assert not db.session.get(User, user.id).must_change_password
    assert app.test_client().post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    fresh = app.test_client()
    sign_in(fresh, user, NEW_PASSWORD)
    assert signed_in(fresh)  # the temporary-password flag is gone

    again = app.test_client().get(path)
    assert again.status_code == 410 and "har redan använts" in again.get_data(as_text=True)
    assert choose(app.test_client(), path, "another long passphrase here").status_code == 410
    [asked] = events("request_password_reset")
    assert (asked.actor_id, asked.object_id, asked.changes) == (None, user.id, {"address": "127.0.0.1"})
    [reset] = events("reset_password")
    assert (reset.actor_id, reset.object_id) == (user.id, user.id)


def test_the_mail_is_in_the_persons_language(app, smtp_server):
    user = make_user(language="en")
    path = reset_link(app, smtp_server, user)
    [mail] = smtp_server.inbox.messages
    assert mail["Subject"] == "Choose a new password for Samverka"
    assert "valid for 2 hours" in text_of(mail) and "ignore this message" in text_of(mail)
    assert path.startswith("/reset-password/")


def answer(app, email: str) -> tuple:
    """Everything a visitor sees after asking for a reset for email: the answer and the page it leads to."""
    client = app.test_client()
    posted = ask(client, email)
    page = client.get(posted.location)
    return (posted.status_code, headers(posted), posted.get_data(as_text=True), page.status_code, headers(page),
            CSRF.sub("", page.get_data(as_text=True)))


def headers(response) -> list[tuple[str, str]]:
    """The response's headers; of a cookie (it carries the CSRF token) and the request id (new for every request)
    only that they are set."""
    return sorted((k, "(set)" if k in ("Set-Cookie", "X-Request-ID") else v) for k, v in response.headers.items())


def test_the_answer_is_the_same_for_a_known_an_unknown_and_a_deactivated_address(app):
    make_user(email="known@example.se")
    make_user(email="gone@example.se", is_active=False)
    make_user(email="closed@example.se", organisation=make_organisation(is_active=False))
    known = answer(app, "known@example.se")
    assert known[0] == 303 and known[3] == 200
    assert "Titta i din e-post" in known[5]  # Swedish by default
    for other in ("unknown@example.se", "gone@example.se", "closed@example.se"):
        assert answer(app, other) == known
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == ["known@example.se"]
    assert count(AccountLink) == 1


def test_the_answer_is_sent_before_any_work_on_the_address_is_done(app):
    """So the time it takes is the same for every address: the link and the message come after it is sent."""
    make_user(email="known@example.se")
    db.session.commit()
    # FlaskClient's own open: the suite's client closes each response at once, as a server does when it is sent.
    answer = FlaskClient.open(app.test_client(), "/forgot-password", method="POST", data={"email": "known@example.se"})
    assert answer.status_code == 303
    assert (count(AccountLink), count(OutboxMessage)) == (0, 0)
    answer.close()  # what the server does once the answer is sent
    assert (count(AccountLink), count(OutboxMessage)) == (1, 1)


def test_a_reset_asked_for_a_deactivated_account_is_audited_and_sends_nothing(app, smtp_server):
    user = make_user(is_active=False)
    ask(app.test_client(), user.email)
    assert count(OutboxMessage) == 0 and count(AccountLink) == 0
    [event] = events("password_reset_refused")
    assert (event.actor_id, event.object_id) == (None, user.id)
    assert events("request_password_reset") == []


def test_a_link_for_an_account_deactivated_since_does_not_work(app, smtp_server):
    user = make_user()
    path = reset_link(app, smtp_server, user)
    user.is_active = False
    db.session.commit()
    response = choose(app.test_client(), path)
    assert response.status_code == 404 and "inte giltig" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == make_user().password_hash  # unchanged


def test_a_newer_link_ends_the_older_one(app, smtp_server):
    user = make_user()
    older = reset_link(app, smtp_server, user)
    smtp_server.inbox.messages.clear()
    newer = reset_link(app, smtp_server, user)
    assert older != newer
    response = app.test_client().get(older)
    assert response.status_code == 410 and "en nyare länk" in response.get_data(as_text=True)
    assert choose(app.test_client(), newer).status_code == 303


@pytest.mark.parametrize("how", ["own-change", "temporary-by-admin"])
def test_any_password_change_ends_an_open_reset_link(app, client, smtp_server, how):
    user = make_user()
    path = reset_link(app, smtp_server, user)
    if how == "own-change":
        sign_in(client, user)
        client.post("/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD})
    else:
        services.set_password(user, "temporary river lantern", by=make_admin(), temporary=True)
        db.session.commit()
    assert app.test_client().get(path).status_code == 410


def test_an_expired_link_is_refused_with_the_reason(app, smtp_server):
    user = make_user()
    resets.request_reset(user.email, address=None, now=utcnow() - dt.timedelta(hours=2, seconds=1))
    db.session.commit()
    path = link_in(delivered(smtp_server, user.email), "/reset-password/")
    response = app.test_client().get(path)
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "Länken har gått ut" in page and 'href="/forgot-password"' in page
    assert choose(app.test_client(), path).status_code == 410


def test_the_link_is_valid_for_the_configured_hours(app, smtp_server):
    app.config["PASSWORD_RESET_HOURS"] = 1
    user = make_user(language="en")
    resets.request_reset(user.email, address=None, now=utcnow() - dt.timedelta(minutes=59))
    db.session.commit()
    mail = delivered(smtp_server, user.email)
    assert "valid for 1 hour," in text_of(mail)
    assert app.test_client().get(link_in(mail, "/reset-password/")).status_code == 200
    [link] = db.session.scalars(select(AccountLink)).all()
    assert link.expires_at - link.created_at == dt.timedelta(hours=1)


def test_changing_the_address_ends_a_reset_link(app, client, smtp_server):
    user = make_user()
    path = reset_link(app, smtp_server, user)
    services.update_user(user, {"email": "new@example.se", "name": user.name, "role": user.role,
                                "organisation_id": user.organisation_id, "language": None},
                         by=make_admin(), version=user.version)
    db.session.commit()
    assert app.test_client().get(path).status_code == 410


def test_a_browser_signed_in_as_someone_else_is_signed_out_by_the_reset(app, client, smtp_server):
    user, other = make_user(), make_user()
    path = reset_link(app, smtp_server, user)
    sign_in(client, other)
    assert choose(client, path).status_code == 303
    assert not signed_in(client) and "Ditt nya lösenord är sparat" in client.get("/login").get_data(as_text=True)


def test_requests_are_limited_per_address_asked_for_known_or_not(app):
    make_user(email="known@example.se")
    app.config["PASSWORD_RESET_ACCOUNT_LIMIT"] = "3 per hour"
    for email in ("known@example.se", "unknown@example.se"):
        client = app.test_client()
        assert [ask(client, email).status_code for _ in range(4)] == [303, 303, 303, 429]
        refused = ask(client, email.upper())  # the same address, however written
        assert refused.status_code == 429
        page = refused.get_data(as_text=True)
        assert "<h1>För många försök</h1>" in page and "Försök igen om högst 60 minuter." in page
        assert '<a href="/forgot-password">Tillbaka till formuläret</a>' in page
    assert count(OutboxMessage) == 3
    assert ask(app.test_client(), "third@example.se").status_code == 303


def test_requests_are_limited_per_client_address(app):
    app.config["PASSWORD_RESET_ADDRESS_LIMIT"] = "4 per hour"
    client = app.test_client()
    assert [ask(client, f"guess{n}@example.se").status_code for n in range(5)] == [303, 303, 303, 303, 429]
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert ask(other, "guess9@example.se").status_code == 303


@pytest.mark.parametrize("email", ["", "   ", "not-an-e-mail", "a" * 10_000 + "@x.se", "x@y.se\r\nBcc: z@w.se",
                                   "two@x.se, three@x.se", "x@y\u2028.se"],
                         ids=["empty", "blank", "no-at", "huge", "crlf", "two-addresses", "line-separator"])
def test_bad_input_gets_a_message_next_to_the_field_and_sends_nothing(client, email):
    make_user(email="x@y.se")
    response = ask(client, email)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page and "<script>alert" not in page
    assert count(OutboxMessage) == 0 and count(AccountLink) == 0


@pytest.mark.parametrize("token", ["x" * 10_000, "A" * 43, "<script>alert(1)</script>", "9" * 40, "-" * 43],
                         ids=["huge", "unknown", "markup", "digits", "dashes"])
def test_a_tampered_or_huge_token_is_simply_not_valid(client, token):
    for method in ("get", "post"):
        response = getattr(client, method)(f"/reset-password/{token}",
                                           data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "<script>alert" not in page
        assert 'href="/forgot-password"' in page or "/" in token  # a slash leads to no page at all


def test_markup_in_a_plausible_address_gets_the_usual_answer_and_nothing_more(client):
    response = ask(client, "<script>alert(1)</script>@x.se")
    assert response.status_code == 303 and count(OutboxMessage) == 0
    assert "<script>" not in client.get(response.location).get_data(as_text=True)


def test_the_forgot_password_pages_need_no_sign_in_and_keep_the_address_typed(client):
    response = client.post("/forgot-password", data={"email": "not-an-e-mail"})
    assert 'value="not-an-e-mail"' in response.get_data(as_text=True)
    assert client.get("/forgot-password/sent").status_code == 200
