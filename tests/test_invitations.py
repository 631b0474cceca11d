"""Invitations by e-mail: an administrator (or a coordinator, to their own organisation) invites a person, the mail
really arrives, and its single-use link lets the person choose a password, once, before it expires."""
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from tests.account_links import BASE_URL, NEW_PASSWORD, choose, delivered, link_in
from tests.conftest import sign_in
from tests.factories import make_admin, make_organisation, make_user, make_viewer
from tests.smtp import html_of, smtp_server, text_of  # noqa: F401  (a fixture)
from tracker import policy
from tracker.accounts import invitations, links, services
from tracker.accounts.models import AccountLink, LinkPurpose, Role, User
from tracker.audit.models import AuditEvent
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.mail.models import OutboxMessage


@pytest.fixture(autouse=True)
def base_url(app):
    app.config["BASE_URL"] = BASE_URL


def invitation_form(organisation_id: int, **overrides) -> dict:
    return {"name": "Karin Berg", "email": "Karin.Berg@Example.se", "organisation_id": organisation_id,
            "role": "coordinator", "language": "en", "first_password": "invitation"} | overrides


def user_with(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def verbs(user: User) -> list[str]:
    """The audit trail of changes to the account (signing in is audited too, but is not a change)."""
    return list(db.session.scalars(select(AuditEvent.verb).where(AuditEvent.object_type == "users",
                                                                  AuditEvent.object_id == user.id,
                                                                  AuditEvent.verb.not_like("sign_%"))
                                   .order_by(AuditEvent.id)))


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def invite(user_data: dict, *, by: User, now: dt.datetime | None = None) -> User:
    user = invitations.invite(user_data, by=by, now=now or utcnow())
    db.session.commit()
    return user


def person(organisation, **overrides) -> dict:
    return {"name": "Karin Berg", "email": "karin@example.se", "organisation_id": organisation.id,
            "role": Role.COORDINATOR, "language": "en"} | overrides


@pytest.fixture
def admin(client):
    admin = make_admin(name="Anna Lindqvist", language="en",
                       organisation=make_organisation(name="Länsstyrelsen Stockholm"))
    sign_in(client, admin)
    return admin


def test_the_new_account_form_offers_an_invitation_first(client, admin):
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert re.search(r'<input checked [^>]*value="invitation"', page)
    assert re.search(r'<input id="first_password-1" [^>]*value="temporary"', page)
    assert 'id="new_password" maxlength="256" name="new_password" type="password"' in page  # not "required"


def test_an_administrator_invites_and_the_person_chooses_a_password_through_the_mail(app, client, admin,
                                                                                      smtp_server):
    police = make_organisation(name="Polisen Järva")
    response = client.post("/admin/users/new", data=invitation_form(police.id))
    assert response.status_code == 303
    invited = user_with("karin.berg@example.se")
    assert invited.is_active and not invited.password_hash and not invited.must_change_password
    newcomer = app.test_client()
    assert newcomer.post("/login", data={"email": invited.email, "password": NEW_PASSWORD}).status_code == 200

    mail = delivered(smtp_server, "karin.berg@example.se")
    assert mail["To"] == "Karin Berg <karin.berg@example.se>" and mail["Content-Language"] == "en"
    assert mail["Subject"] == "Anna Lindqvist invites you to Samverka"
    text = text_of(mail)
    assert "Hello Karin Berg," in text
    assert "Anna Lindqvist (Länsstyrelsen Stockholm) has invited you to Samverka" in text
    assert "karin.berg@example.se (Coordinator, Polisen Järva)" in text
    assert "valid for 72 hours" in text
    assert "because Anna Lindqvist (Länsstyrelsen Stockholm) entered this address" in text
    assert "<img" not in html_of(mail)
    path = link_in(mail, "/invitation/")

    page = newcomer.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Välkommen till Samverka" in page.get_data(as_text=True)
    assert choose(newcomer, path).location == "/login"
    sign_in(newcomer, invited, NEW_PASSWORD)
    assert newcomer.get("/").status_code == 200

    again = app.test_client().get(path)
    assert again.status_code == 410 and "har redan använts" in again.get_data(as_text=True)
    assert choose(app.test_client(), path, "another long passphrase here").status_code == 410
    assert verbs(invited) == ["create", "send_invitation", "accept_invitation"]


def test_the_invitation_is_in_the_invited_persons_language_else_swedish(app, client, admin, smtp_server):
    organisation = make_organisation(name="Rinkeby skola")
    client.post("/admin/users/new", data=invitation_form(organisation.id, email="sv@example.se", language=""))
    mail = delivered(smtp_server, "sv@example.se")
    assert mail["Subject"] == "Anna Lindqvist bjuder in dig till Samverka"
    assert mail["Content-Language"] == "sv"
    text = text_of(mail)
    assert text.startswith("Hej Karin Berg,") and "gäller i 72 timmar" in text
    assert "(Samordnare, Rinkeby skola)" in text


def test_administrators_see_the_message_with_the_link_hidden(client, admin):
    client.post("/admin/users/new", data=invitation_form(admin.organisation_id))
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.is_secret and message.kind == "invitation"
    shown = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert f"{BASE_URL}/invitation/…" in shown and "/invitation/" in message.text_body
    assert message.text_body.split("/invitation/")[1].split()[0] not in shown


def test_the_temporary_password_path_still_works_and_sends_nothing(app, client, admin):
    password = "temporary river lantern"
    response = client.post("/admin/users/new", data=invitation_form(
        admin.organisation_id, first_password="temporary", new_password=password, confirm=password))
    assert response.status_code == 303
    user = user_with("karin.berg@example.se")
    assert user.must_change_password and count(OutboxMessage) == 0 and count(AccountLink) == 0


def test_an_invitation_needs_no_password_and_a_temporary_one_does(client, admin):
    refused = client.post("/admin/users/new", data=invitation_form(admin.organisation_id, first_password="temporary"))
    assert refused.status_code == 200 and 'id="new_password-error"' in refused.get_data(as_text=True)
    assert user_with("karin.berg@example.se") is None
    ignored = client.post("/admin/users/new", data=invitation_form(admin.organisation_id, new_password="short"))
    assert ignored.status_code == 303 and not user_with("karin.berg@example.se").password_hash


def test_a_coordinator_invites_a_viewer_to_their_own_organisation(app, client, smtp_server):
    school = make_organisation(name="Husby skola")
    coordinator = make_user(name="Maria Nilsson", organisation=school, language="en")
    sign_in(client, coordinator)
    page = client.get("/invite/").get_data(as_text=True)
    assert f'<option selected value="{school.id}">' in page and 'value="admin"' not in page
    response = client.post("/invite/", data=invitation_form(school.id, role="viewer", email="rektor@example.se"))
    assert response.status_code == 303 and response.location == "/invite/"
    invited = user_with("rektor@example.se")
    assert (invited.organisation_id, invited.role) == (school.id, Role.VIEWER)
    mail = delivered(smtp_server, "rektor@example.se")
    assert mail["Subject"] == "Maria Nilsson invites you to Samverka"
    assert "Maria Nilsson (Husby skola) has invited you" in text_of(mail)
    assert "(Steering-group member (read only), Husby skola)" in text_of(mail)


@pytest.mark.parametrize("change", [{"role": "admin"}, {"organisation_id": "other"}],
                         ids=["admin-role", "other-organisation"])
def test_a_coordinator_cannot_invite_an_administrator_or_to_another_organisation(client, change):
    mine, other = make_organisation(), make_organisation()
    sign_in(client, make_user(organisation=mine))
    data = invitation_form(mine.id) | change
    if data["organisation_id"] == "other":
        data["organisation_id"] = other.id
    response = client.post("/invite/", data=data)
    assert response.status_code == 200
    field = "role" if "role" in change else "organisation_id"
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert user_with("karin.berg@example.se") is None and count(OutboxMessage) == 0
    assert client.post("/admin/users/new", data=invitation_form(other.id)).status_code == 403


def test_a_coordinator_sends_a_new_invitation_to_a_colleague_who_has_not_chosen_a_password(app, client,
                                                                                           smtp_server):
    school = make_organisation(name="Husby skola")
    coordinator = make_user(name="Maria Nilsson", organisation=school, language="en")
    invited = invite(person(school, email="tove@example.se", name="Tove Sjöberg"), by=coordinator)
    first = link_in(delivered(smtp_server, "tove@example.se"), "/invitation/")
    sign_in(client, coordinator)
    page = client.get("/invite/").get_data(as_text=True)
    assert "Invited, no password chosen yet" in page and "Tove Sjöberg" in page and "Invitation pending" in page
    assert f'action="/invite/{invited.id}/again"' in page
    response = client.post(f"/invite/{invited.id}/again", data={"version": invited.version})
    assert response.status_code == 303 and response.location == "/invite/"
    smtp_server.inbox.messages.clear()
    second = link_in(delivered(smtp_server, "tove@example.se"), "/invitation/")
    assert second != first
    fresh = app.test_client()
    assert fresh.get(first).status_code == 410  # the earlier link stopped working
    assert choose(fresh, second).status_code == 303
    assert "Tove Sjöberg" not in client.get("/invite/").get_data(as_text=True)  # she has a password now


@pytest.mark.parametrize("who", ["other-organisation", "viewer"])
def test_only_who_may_invite_to_the_organisation_sends_a_new_invitation(client, who):
    school = make_organisation()
    invited = invite(person(school, email="tove@example.se"), by=make_admin())
    outsider = make_user() if who == "other-organisation" else make_viewer(organisation=school)
    sign_in(client, outsider)
    assert client.post(f"/invite/{invited.id}/again", data={"version": invited.version}).status_code == 403
    assert client.post(f"/admin/users/{invited.id}/invitation", data={"version": invited.version}).status_code == 403
    assert count(AccountLink) == 1
    assert "tove@example.se" not in client.get("/invite/").get_data(as_text=True)


def test_a_coordinator_cannot_send_a_new_invitation_to_an_administrator_of_their_organisation(client):
    school = make_organisation()
    invited = invite(person(school, email="boss@example.se", role=Role.ADMIN), by=make_admin())
    sign_in(client, make_user(organisation=school))
    assert client.post(f"/invite/{invited.id}/again", data={"version": invited.version}).status_code == 403
    assert f'action="/invite/{invited.id}/again"' not in client.get("/invite/").get_data(as_text=True)
    assert count(AccountLink) == 1


def test_a_viewer_invites_no_one(client):
    viewer = make_viewer()
    sign_in(client, viewer)
    assert client.get("/invite/").status_code == 403
    assert client.post("/invite/", data=invitation_form(viewer.organisation_id, role="viewer")).status_code == 403
    assert user_with("karin.berg@example.se") is None
    assert "/invite/" not in client.get("/").get_data(as_text=True)


def test_the_menu_offers_coordinators_the_invitation_page(client):
    sign_in(client, make_user())
    assert 'href="/invite/"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("inviter", "same_organisation", "role", "allowed"), [
    ("admin", False, Role.ADMIN, True),
    ("admin", True, Role.VIEWER, True),
    ("coordinator", True, Role.COORDINATOR, True),
    ("coordinator", True, Role.VIEWER, True),
    ("coordinator", True, Role.ADMIN, False),
    ("coordinator", False, Role.COORDINATOR, False),
    ("coordinator", False, Role.VIEWER, False),
    ("viewer", True, Role.VIEWER, False),
    ("viewer", True, Role.COORDINATOR, False),
    ("deactivated-coordinator", True, Role.VIEWER, False),
])
def test_who_may_invite_whom(app, inviter, same_organisation, role, allowed):
    mine, other = make_organisation(), make_organisation()
    role_of = {"admin": Role.ADMIN, "viewer": Role.VIEWER}.get(inviter, Role.COORDINATOR)
    user = make_user(organisation=mine, role=role_of, is_active=inviter != "deactivated-coordinator")
    assert policy.can_invite(user, (mine if same_organisation else other).id, role) is allowed


def test_an_e_mail_already_taken_is_refused_and_the_input_kept(client, admin):
    make_user(email="karin.berg@example.se")
    response = client.post("/admin/users/new", data=invitation_form(admin.organisation_id))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Another account already uses this e-mail address." in page
    assert 'value="Karin Berg"' in page and count(OutboxMessage) == 0 and count(AccountLink) == 0


@pytest.mark.parametrize("name", ["Karin\r\nBcc: victim@example.se", "Karin\nBerg", "Karin\tBerg",
                                  "Karin 811218-9876"], ids=["crlf-header", "lf", "tab", "personnummer"])
def test_a_name_that_would_break_a_header_or_names_a_person_number_is_refused(client, admin, name):
    response = client.post("/admin/users/new", data=invitation_form(admin.organisation_id, name=name))
    assert response.status_code == 200 and 'id="name-error"' in response.get_data(as_text=True)
    assert user_with("karin.berg@example.se") is None and count(OutboxMessage) == 0


def test_a_name_with_markup_is_escaped_in_the_html_mail(client, admin, smtp_server):
    client.post("/admin/users/new", data=invitation_form(admin.organisation_id, name="<script>alert(1)</script>"))
    mail = delivered(smtp_server, "karin.berg@example.se")
    assert "<script>" not in html_of(mail) and "&lt;script&gt;" in html_of(mail)


def test_an_expired_invitation_shows_on_the_account_page_and_a_new_one_replaces_it(app, client, admin,
                                                                                   smtp_server):
    invited = invite(person(admin.organisation), by=admin, now=utcnow() - dt.timedelta(hours=73))
    first = link_in(delivered(smtp_server, "karin@example.se"), "/invitation/")
    expired = app.test_client().get(first)
    assert expired.status_code == 410 and "har gått ut" in expired.get_data(as_text=True)
    assert "Invitation expired" in client.get(f"/admin/users/{invited.id}/edit").get_data(as_text=True)
    assert "Invited, no password yet" in client.get("/admin/users/").get_data(as_text=True)

    assert client.post(f"/admin/users/{invited.id}/invitation").status_code == 303
    assert "Invitation pending" in client.get(f"/admin/users/{invited.id}/edit").get_data(as_text=True)
    smtp_server.inbox.messages.clear()
    second = link_in(delivered(smtp_server, "karin@example.se"), "/invitation/")
    assert second != first and app.test_client().get(second).status_code == 200
    assert choose(app.test_client(), second).status_code == 303
    page = client.get(f"/admin/users/{invited.id}/edit").get_data(as_text=True)
    assert "Invitation" not in page and "Send a new invitation" not in page


def test_a_newer_invitation_ends_the_older_link(app, admin, smtp_server):
    invited = invite(person(admin.organisation), by=admin)
    older = link_in(delivered(smtp_server, "karin@example.se"), "/invitation/")
    invitations.send_invitation(invited, by=admin, now=utcnow())
    db.session.commit()
    response = app.test_client().get(older)
    assert response.status_code == 410 and "en nyare länk" in response.get_data(as_text=True)


def test_the_expiry_follows_the_configured_hours_to_the_second(app, admin):
    app.config["INVITATION_HOURS"] = 1
    now = utcnow()
    invited = invite(person(admin.organisation), by=admin, now=now)
    [link] = db.session.scalars(select(AccountLink).where(AccountLink.user_id == invited.id)).all()
    assert link.expires_at == now + dt.timedelta(hours=1)
    link, token = links.issue(invited, LinkPurpose.INVITATION, by=admin, now=now, valid_for=dt.timedelta(hours=1))
    assert links.usable(token, LinkPurpose.INVITATION, now=now + dt.timedelta(minutes=59, seconds=59)) == link
    with pytest.raises(links.Unusable) as refused:
        links.usable(token, LinkPurpose.INVITATION, now=now + dt.timedelta(hours=1))
    assert refused.value.refusal is links.Refusal.EXPIRED


def test_an_invitation_link_is_not_a_reset_link(app, admin):
    invited = invite(person(admin.organisation), by=admin)
    _link, token = links.issue(invited, LinkPurpose.INVITATION, by=admin, now=utcnow(),
                               valid_for=dt.timedelta(hours=1))
    db.session.commit()
    assert app.test_client().get(f"/reset-password/{token}").status_code == 404
    assert app.test_client().get(f"/invitation/{token}").status_code == 200


def test_a_link_is_claimed_once_even_when_two_requests_race(app, admin):
    invited = invite(person(admin.organisation), by=admin)
    link, _token = links.issue(invited, LinkPurpose.INVITATION, by=admin, now=utcnow(),
                               valid_for=dt.timedelta(hours=1))
    links.claim(link, now=utcnow())
    with pytest.raises(links.Unusable):
        links.claim(link, now=utcnow())


def test_a_deactivated_account_cannot_use_its_invitation_or_get_a_new_one(app, client, admin, smtp_server):
    invited = invite(person(admin.organisation), by=admin)
    path = link_in(delivered(smtp_server, "karin@example.se"), "/invitation/")
    services.set_user_active(invited, False, by=admin, version=invited.version)
    db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 404 and "inte giltig" in response.get_data(as_text=True)
    assert choose(app.test_client(), path).status_code == 404
    client.post(f"/admin/users/{invited.id}/invitation")
    assert count(OutboxMessage) == 1 and not user_with("karin@example.se").password_hash
    services.set_user_active(invited, True, by=admin, version=invited.version)
    db.session.commit()
    assert app.test_client().get(path).status_code == 410  # reactivated: the old link stays ended


def test_no_new_invitation_once_a_password_is_chosen(app, client, admin):
    member = make_user()
    assert client.post(f"/admin/users/{member.id}/invitation").status_code == 303
    assert count(OutboxMessage) == 0
    assert "nothing to invite to" in client.get(f"/admin/users/{member.id}/edit").get_data(as_text=True)


def test_changing_the_address_ends_the_link_sent_to_the_old_one(app, client, admin, smtp_server):
    invited = invite(person(admin.organisation), by=admin)
    path = link_in(delivered(smtp_server, "karin@example.se"), "/invitation/")
    client.post(f"/admin/users/{invited.id}/edit", data={
        "name": invited.name, "email": "karin.new@example.se", "organisation_id": invited.organisation_id,
        "role": "coordinator", "language": "en", "version": invited.version})
    assert user_with("karin.new@example.se") is not None
    assert app.test_client().get(path).status_code == 410
    assert "Invitation no longer valid" in client.get(f"/admin/users/{invited.id}/edit").get_data(as_text=True)


@pytest.mark.parametrize("token", ["x" * 10_000, "A" * 43, "<script>alert(1)</script>", "%E2%80%AE" * 20,
                                   "9" * 40, "..%2F..%2Fetc"], ids=["huge", "unknown", "markup", "rtl", "digits",
                                                                     "dots"])
def test_a_tampered_or_huge_token_is_simply_not_valid(app, client, token):
    for method in ("get", "post"):
        response = getattr(client, method)(f"/invitation/{token}", data={"new_password": NEW_PASSWORD,
                                                                          "confirm": NEW_PASSWORD})
        assert response.status_code == 404
        assert "<script>alert" not in response.get_data(as_text=True)


def test_one_character_changed_in_a_real_token_opens_nothing(app, admin, smtp_server):
    invite(person(admin.organisation), by=admin)
    path = link_in(delivered(smtp_server, "karin@example.se"), "/invitation/")
    tampered = path[:-1] + ("A" if path[-1] != "A" else "B")
    assert app.test_client().get(tampered).status_code == 404
    assert app.test_client().get(path).status_code == 200


def test_a_weak_password_is_refused_and_the_link_keeps_working(app, admin, smtp_server):
    invite(person(admin.organisation), by=admin)
    path = link_in(delivered(smtp_server, "karin@example.se"), "/invitation/")
    newcomer = app.test_client()
    for password, words in [("short", "at least 12 characters"), ("karinberg-forever", "your name"),
                            ("x" * 300, "")]:
        response = choose(newcomer, path, password)
        assert response.status_code == 200 and 'id="new_password-error"' in response.get_data(as_text=True), words
    mismatch = newcomer.post(path, data={"new_password": NEW_PASSWORD, "confirm": "something else entirely"})
    assert 'id="confirm-error"' in mismatch.get_data(as_text=True)
    assert choose(newcomer, path).status_code == 303
