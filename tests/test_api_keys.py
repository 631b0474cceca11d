"""The pages for API keys: a person makes a key (shown once, stored hashed), names it, chooses what it may and until
when, and revokes it; an administrator sees everyone's keys, makes one for a person and revokes any. Audited."""
import datetime as dt
import hashlib
import re

import pytest

from tests.api_world import bearer
from tests.factories import make_admin, make_api_token, make_user, make_viewer
from tracker.api.models import ApiToken, TokenScope
from tracker.audit.models import AuditEvent
from tracker.clock import local_today
from tracker.extensions import db

SECRET = re.compile(r"smv_[A-Za-z0-9_-]{40,}")


def form(**overrides):
    return {"name": "Kommunens ärendesystem", "scope": "read",
            "expires_on": (local_today() + dt.timedelta(days=30)).isoformat(), **overrides}


def test_a_key_is_shown_once_stored_hashed_and_audited(as_user):
    person = make_user()
    client = as_user(person)
    page = client.get("/account/api-keys").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/account/api-keys", data=form(once=once))
    assert response.status_code == 200
    secret = SECRET.search(response.get_data(as_text=True)).group(0)
    token = db.session.query(ApiToken).one()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest() and token.user_id == person.id
    assert token.scope is TokenScope.READ and token.name == "Kommunens ärendesystem"
    assert secret not in client.get("/account/api-keys").get_data(as_text=True)
    assert token.prefix in client.get("/account/api-keys").get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(object_type="api_tokens", verb="create").count() == 1
    assert client.get("/api/v1/agreements", headers=bearer(secret)).status_code == 200
    again = client.post("/account/api-keys", data=form(once=once))  # sent twice: one key
    assert again.status_code == 303 and db.session.query(ApiToken).count() == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"name": ""}, "This field is required"),
    ({"name": "x" * 10_000}, "Field cannot be longer than 100 characters"),
    ({"name": "Rad\r\nBcc: x@example.se"}, "on one line"),
    ({"name": "Gäller 19121212-1212"}, "OSL"),
    ({"expires_on": ""}, "This field is required"),
    ({"expires_on": "2026-13-45"}, "Not a valid date value"),
    ({"expires_on": (local_today() + dt.timedelta(days=366)).isoformat()}, "Choose a day from today"),
    ({"expires_on": (local_today() - dt.timedelta(days=1)).isoformat()}, "Choose a day from today"),
    ({"scope": "admin"}, "Not a valid choice"),
], ids=["empty-name", "huge-name", "crlf", "personnummer", "no-expiry", "bad-date", "beyond-a-year", "yesterday",
        "forged-scope"])
def test_bad_input_is_refused_beside_the_field_and_kept(as_user, change, message):
    client = as_user(make_user(language="en"))
    page = client.post("/account/api-keys", data=form(**change)).get_data(as_text=True)
    assert message in page
    assert db.session.query(ApiToken).count() == 0
    if change.get("name") and len(change["name"]) < 200:
        assert "Gäller" in page or "Rad" in page


def test_a_viewer_s_keys_only_read(as_user):
    client = as_user(make_viewer(language="en"))
    page = client.get("/account/api-keys").get_data(as_text=True)
    assert 'value="write"' not in page
    assert "Not a valid choice" in client.post("/account/api-keys", data=form(scope="write")).get_data(as_text=True)
    assert db.session.query(ApiToken).count() == 0


def test_revoking_stops_the_key_and_only_its_person_or_an_admin_may(client, as_user):
    owner, other = make_user(), make_user()
    token, secret = make_api_token(owner)
    db.session.commit()
    as_user(other)
    assert client.post(f"/account/api-keys/{token.id}/revoke").status_code == 403
    client.post("/logout")
    as_user(owner)
    assert f'action="/account/api-keys/{token.id}/revoke"' in client.get("/account/api-keys").get_data(as_text=True)
    assert client.post(f"/account/api-keys/{token.id}/revoke").status_code == 303
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert client.get("/api/v1/agreements", headers=bearer(secret)).status_code == 401
    assert db.session.query(AuditEvent).filter_by(object_type="api_tokens", verb="revoke",
                                                  actor_id=owner.id).count() == 1


def test_an_administrator_sees_everyone_s_keys_makes_one_for_a_person_and_revokes(as_user, client):
    admin, person, viewer = make_admin(language="en"), make_user(name="Karin Berg"), make_viewer()
    theirs, _secret = make_api_token(viewer, scope="read")
    db.session.commit()
    as_user(admin)
    page = client.get("/admin/api-keys").get_data(as_text=True)
    assert theirs.name in page and viewer.name in page
    assert f'action="/account/api-keys/{theirs.id}/revoke"' in page  # a button to revoke any working key
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/api-keys", data=form(person_id=person.id, scope="write", once=once))
    secret = SECRET.search(response.get_data(as_text=True)).group(0)
    made = db.session.query(ApiToken).filter_by(user_id=person.id).one()
    assert made.created_by_id == admin.id and made.scope is TokenScope.WRITE
    assert "Karin Berg" in response.get_data(as_text=True)
    assert client.get("/api/v1/agreements", headers=bearer(secret)).status_code == 200
    refused = client.post("/admin/api-keys", data=form(person_id=viewer.id, scope="write",
                                                       once=re.search(r'name="once" type="hidden" value="([^"]+)"',
                                                                      response.get_data(as_text=True)).group(1)))
    assert "only read" in refused.get_data(as_text=True)
    assert client.post(f"/account/api-keys/{theirs.id}/revoke").status_code == 303
    assert db.session.get(ApiToken, theirs.id).revoked_at is not None
    log = client.get("/admin/audit/").get_data(as_text=True)
    assert "revoked" in log and theirs.name in log and "API key" in log


def test_others_may_not_see_everyone_s_keys(as_user, client):
    as_user(make_user())
    assert client.get("/admin/api-keys").status_code == 403
    assert client.post("/admin/api-keys", data=form()).status_code == 403


def test_the_documentation_page_is_open_to_anyone_as_the_problem_links_lead_there(client):
    response = client.get("/api-docs", headers={"Accept-Language": "en"})
    assert response.status_code == 200 and 'id="problem-malformed-json"' in response.get_data(as_text=True)


def test_the_documentation_page_is_built_from_the_document(as_user, client):
    as_user(make_viewer())
    page = client.get("/api-docs").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in page
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "<script" not in page and "cdn" not in page.lower()
    assert 'id="problem-stale-version"' in page
