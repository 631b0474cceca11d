"""Signing in and out, changing one's own password, temporary passwords and CSRF, through the test client."""
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_admin, make_organisation, make_user
from tracker.accounts.models import User
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.organisations.models import Organisation

ENGLISH = {"Accept-Language": "en"}
GENERIC_ERROR = "Wrong e-mail or password, or the account is not active."
NEW_PASSWORD = "violet tugboat under moonlight"


def log_in(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra}, headers=ENGLISH)


def signed_in(client) -> bool:
    response = client.get("/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def verbs() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.verb).order_by(AuditEvent.id)))


def test_sign_in_redirects_to_the_start_page_and_records_the_time(client):
    user = make_user(language="en")
    response = log_in(client, user.email, PASSWORD)
    assert response.status_code == 303 and response.location == "/"
    assert signed_in(client)
    assert db.session.get(User, user.id).last_login_at is not None


def test_sign_in_ignores_the_case_and_spaces_of_the_e_mail(client):
    make_user(email="anna@x.se")
    assert log_in(client, "  Anna@X.SE ", PASSWORD).status_code == 303
    assert signed_in(client)


def test_sign_out_is_a_post_and_ends_the_session(client):
    sign_in(client, make_user())
    assert client.get("/logout").status_code == 405
    assert signed_in(client)
    response = client.post("/logout")
    assert response.status_code == 303 and response.location == "/login"
    assert not signed_in(client)
    assert client.get("/agreements/").status_code == 302


def same_page(response, email_prefix: str) -> str:
    """The page with the e-mail typed and the time-stamped CSRF token (in the language form) taken out."""
    page = response.get_data(as_text=True).replace(email_prefix, "X@")
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def test_wrong_password_and_unknown_e_mail_look_exactly_the_same(client):
    user = make_user(email="known@example.se")
    wrong = log_in(client, "known@example.se", "not the password at all")
    unknown = log_in(client, "unknown@example.se", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC_ERROR in wrong.get_data(as_text=True)
    assert same_page(wrong, "known@") == same_page(unknown, "unknown@")
    assert not signed_in(client)
    assert db.session.get(User, user.id).last_login_at is None


@pytest.mark.parametrize("inactive", ["user", "organisation"])
def test_deactivated_account_or_organisation_is_refused_with_the_same_message(client, inactive):
    organisation = make_organisation(is_active=inactive != "organisation")
    user = make_user(organisation=organisation, is_active=inactive != "user")
    response = log_in(client, user.email, PASSWORD)
    assert response.status_code == 200 and GENERIC_ERROR in response.get_data(as_text=True)
    assert not signed_in(client)
    assert verbs() == ["sign_in_failed"]


def test_deactivating_an_organisation_ends_its_users_sessions(app, client):
    organisation = make_organisation()
    user = make_user(organisation=organisation)
    admin_client = app.test_client()
    sign_in(admin_client, make_admin())
    sign_in(client, user)
    response = admin_client.post(f"/admin/organisations/{organisation.id}/deactivate",
                                 data={"version": organisation.version})
    assert response.status_code == 303
    assert not db.session.get(Organisation, organisation.id).is_active
    assert not signed_in(client)


@pytest.mark.parametrize(("next_url", "landing"), [
    ("/agreements/?q=x", "/agreements/?q=x"),
    ("//evil.example", "/"),
    ("https://evil.example/phish", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("evil.example", "/"),
], ids=["local-path", "protocol-relative", "absolute", "backslash", "javascript", "relative"])
def test_next_only_leads_to_pages_of_this_site(client, next_url, landing):
    user = make_user()
    response = log_in(client, user.email, PASSWORD, next=next_url)
    assert response.status_code == 303 and response.location == landing


def test_a_page_asked_for_before_sign_in_is_shown_after_it(client):
    user = make_user()
    response = client.get("/actions/?status=blocked")
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    form = client.get(response.location).get_data(as_text=True)
    next_value = re.search(r'id="next" name="next" type="hidden" value="([^"]*)"', form).group(1).replace("&amp;", "&")
    assert next_value == "/actions/?status=blocked"
    assert log_in(client, user.email, PASSWORD, next=next_value).location == "/actions/?status=blocked"


def change_password(client, current, new, confirm=None):
    return client.post("/password", data={"current_password": current, "new_password": new,
                                          "confirm": new if confirm is None else confirm})


def test_wrong_current_password_is_refused_and_nothing_changes(client):
    user = make_user(language="en")
    before = user.password_hash
    sign_in(client, user)
    response = change_password(client, "not my password at all", NEW_PASSWORD)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="current_password-error"' in page and "The current password is wrong." in page
    assert db.session.get(User, user.id).password_hash == before
    assert "change_password" not in verbs()


@pytest.mark.parametrize(("new", "confirm", "error_field"), [
    ("short one", None, "new_password"),
    ("abababababababab", None, "new_password"),
    ("lindqvist-is-my-password", None, "new_password"),
    ("password1234", None, "new_password"),
    (NEW_PASSWORD, NEW_PASSWORD + "!", "confirm"),
    ("", None, "new_password"),
    ("x" * 257, None, "new_password"),
], ids=["short", "repetitive", "personal", "common", "mismatch", "empty", "too-long"])
def test_weak_or_mismatched_new_password_is_refused(client, new, confirm, error_field):
    user = make_user(name="Anna Lindqvist", language="en")
    before = user.password_hash
    sign_in(client, user)
    response = change_password(client, PASSWORD, new, confirm)
    assert response.status_code == 200
    assert f'id="{error_field}-error"' in response.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == before


def test_changed_password_signs_in_and_ends_other_sessions(app, client):
    user = make_user()
    other_device = app.test_client()
    sign_in(other_device, user)
    sign_in(client, user)
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 303 and response.location == "/"
    assert signed_in(client)  # this session follows the new password
    assert not signed_in(other_device)
    client.post("/logout")
    assert log_in(client, user.email, PASSWORD).status_code == 200
    assert log_in(client, user.email, NEW_PASSWORD).status_code == 303
    assert "change_password" in verbs()


@pytest.fixture
def temporary(app, client):
    """A coordinator whose password an admin has just replaced by a temporary one, via the admin page."""
    user = make_user(language="en")
    admin_client = app.test_client()
    sign_in(admin_client, make_admin())
    sign_in(client, user)
    response = admin_client.post(f"/admin/users/{user.id}/password",
                                 data={"new_password": "temporary river lantern", "confirm": "temporary river lantern",
                                       "version": user.version})
    assert response.status_code == 303
    return user


def test_a_temporary_password_ends_the_users_sessions(client, temporary):
    assert not signed_in(client)
    assert log_in(client, temporary.email, PASSWORD).status_code == 200


@pytest.mark.parametrize("path", ["/", "/agreements/", "/actions/", "/reports/", "/admin/users/", "/admin/audit/"])
def test_a_temporary_password_must_be_changed_before_anything_else(client, temporary, path):
    assert log_in(client, temporary.email, "temporary river lantern").status_code == 303
    response = client.get(path)
    assert response.status_code == 302 and response.location == "/password"
    assert client.get("/password").status_code == 200


def test_after_changing_the_temporary_password_the_user_is_free(client, temporary):
    log_in(client, temporary.email, "temporary river lantern")
    assert change_password(client, "temporary river lantern", NEW_PASSWORD).status_code == 303
    assert db.session.get(User, temporary.id).must_change_password is False
    assert client.get("/agreements/").status_code == 200


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def csrf_token(client, path) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_sign_in_without_a_csrf_token_is_refused(csrf_app, client):
    user = make_user()
    assert log_in(client, user.email, PASSWORD).status_code == 400
    assert not signed_in(client)
    assert log_in(client, user.email, PASSWORD, csrf_token="forged").status_code == 400
    assert log_in(client, user.email, PASSWORD, csrf_token=csrf_token(client, "/login")).status_code == 303


def test_admin_changes_without_a_csrf_token_are_refused_and_change_nothing(csrf_app, client):
    admin, victim = make_admin(), make_user()
    token = csrf_token(client, "/login")
    assert log_in(client, admin.email, PASSWORD, csrf_token=token).status_code == 303
    organisations = db.session.scalar(select(func.count(Organisation.id)))
    response = client.post("/admin/organisations/new", data={"name": "Forged", "short_name": "F", "kind": "police"})
    assert response.status_code == 400
    assert client.post(f"/admin/users/{victim.id}/deactivate", data={"version": victim.version}).status_code == 400
    assert client.post(f"/admin/users/{victim.id}/password", data={
        "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "version": victim.version}).status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Organisation.id))) == organisations
    victim = db.session.get(User, victim.id)
    assert victim.is_active and not victim.must_change_password
    assert verbs() == ["sign_in"]
