"""Every API route × every way in: no key, a bad key, a read key on a change, another organisation's objects and a
steering-group member's changes. A route of the api blueprint missing here fails the test."""
import datetime as dt

import pytest

from tests.api_world import bearer, world  # noqa: F401
from tests.conftest import sign_in
from tests.factories import make_api_token
from tracker.accounts.models import Role
from tracker.api.tokens import token_by_secret
from tracker.extensions import db

# endpoint -> (method, path with {names} from the world, body of a change)
ROUTES = {
    "api.agreements": ("GET", "/api/v1/agreements", None),
    "api.agreement": ("GET", "/api/v1/agreements/{agreement}", None),
    "api.actions": ("GET", "/api/v1/actions", None),
    "api.action": ("GET", "/api/v1/actions/{action}", None),
    "api.stalled": ("GET", "/api/v1/stalled", None),
    "api.progress_updates": ("GET", "/api/v1/updates", None),
    "api.progress_update": ("GET", "/api/v1/updates/{update}", None),
    "api.partner_requests": ("GET", "/api/v1/requests", None),
    "api.partner_request": ("GET", "/api/v1/requests/{request}", None),
    "api.decisions": ("GET", "/api/v1/decisions", None),
    "api.decision": ("GET", "/api/v1/decisions/{decision}", None),
    "api.create_action": ("POST", "/api/v1/agreements/{agreement}/actions", "new_action"),
    "api.update_action": ("PATCH", "/api/v1/actions/{action}", "change"),
    "api.log_progress": ("POST", "/api/v1/actions/{action}/updates", "progress"),
}
WRITES = [e for e, (method, _path, _body) in ROUTES.items() if method != "GET"]
SINGLE = [e for e, (_m, path, _b) in ROUTES.items() if "{" in path]


def _ids(world):
    return {"agreement": world.agreement.id, "action": world.action.id, "update": world.update.id,
            "request": world.request.id, "decision": world.decision.id}


def _body(world, kind):
    return {
        None: None,
        "new_action": {"title": "Trygghetsvandring", "owner_organisation_id": world.lead.id,
                       "owner_id": world.coordinator.id, "deadline": (world.today + dt.timedelta(days=30)).isoformat()},
        "change": {"version": world.action.version, "title": "Ny titel"},
        "progress": {"version": world.action.version, "text": "Klart med planeringen.", "status": "in_progress",
                     "progress": 40},
    }[kind]


def call(client, world, endpoint, secret=None, ids=None):
    method, path, body = ROUTES[endpoint]
    headers = bearer(secret) if secret else {}
    return client.open(path.format(**(ids or _ids(world))), method=method, json=_body(world, body), headers=headers)


def test_every_api_route_is_here(app):
    routes = {(r.endpoint, m) for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")
              for m in r.methods - {"HEAD", "OPTIONS"}}
    assert routes - {("api.openapi_document", "GET")} == {(e, m) for e, (m, _p, _b) in ROUTES.items()}


@pytest.mark.parametrize("endpoint", ROUTES)
def test_the_key_s_person_is_let_in(client, world, endpoint):
    response = call(client, world, endpoint, world.keys["write"])
    assert response.status_code in (200, 201), response.get_data(as_text=True)


def _refused_401(response):
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["status"] == 401


@pytest.mark.parametrize("endpoint", ROUTES)
def test_no_key_is_401(client, world, endpoint):
    _refused_401(call(client, world, endpoint))


@pytest.mark.parametrize("endpoint", ROUTES)
def test_a_page_s_session_cookie_is_not_a_key(client, world, endpoint):
    sign_in(client, world.coordinator)
    _refused_401(call(client, world, endpoint))


SPOILS = ["expired", "revoked", "person deactivated", "organisation deactivated", "unknown", "no scheme",
          "basic scheme"]
CASES = [(e, s) for e in ROUTES for s in SPOILS[:2]] + [(e, s) for e in ("api.actions", "api.log_progress")
                                                         for s in SPOILS[2:]]


@pytest.mark.parametrize(("endpoint", "spoil"), CASES)
def test_a_key_that_no_longer_works_is_401(client, world, endpoint, spoil):
    secret = world.keys["write"]
    token = token_by_secret(secret, today=world.today)
    headers = bearer(secret)
    if spoil == "expired":
        token.expires_on = world.today - dt.timedelta(days=1)
    elif spoil == "revoked":
        token.revoked_at = dt.datetime.now(dt.UTC)
    elif spoil == "person deactivated":
        world.coordinator.is_active = False
    elif spoil == "organisation deactivated":
        world.lead.is_active = False
    elif spoil == "unknown":
        headers = bearer(secret[:-4] + "AAAA")
    elif spoil == "no scheme":
        headers = {"Authorization": secret}
    else:
        headers = {"Authorization": f"Basic {secret}"}
    db.session.commit()
    method, path, body = ROUTES[endpoint]
    response = client.open(path.format(**_ids(world)), method=method, json=_body(world, body), headers=headers)
    _refused_401(response)


def test_a_key_that_expires_today_still_works_today(client, world):
    token = token_by_secret(world.keys["read"], today=world.today)
    token.expires_on = world.today
    db.session.commit()
    assert call(client, world, "api.agreements", world.keys["read"]).status_code == 200


@pytest.mark.parametrize("endpoint", WRITES)
def test_a_read_key_may_not_change_anything(client, world, endpoint):
    response = call(client, world, endpoint, world.keys["read"])
    assert response.status_code == 403
    assert "only read" in response.get_json()["detail"]


@pytest.mark.parametrize("endpoint", WRITES)
def test_a_viewer_changes_nothing_even_with_a_write_key(client, world, endpoint):
    """A coordinator's write key stops writing when the person becomes a steering-group member (viewer)."""
    world.party_coordinator.role = Role.VIEWER
    db.session.commit()
    ids = {**_ids(world), "action": world.theirs.id}
    response = call(client, world, endpoint, world.keys["party"], ids=ids)
    assert response.status_code == 403


@pytest.mark.parametrize("endpoint", SINGLE)
def test_another_organisation_s_objects_are_refused_never_shown(client, world, endpoint):
    response = call(client, world, endpoint, world.keys["outsider"])
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert world.agreement.title not in response.get_data(as_text=True)


def _list_ids(world):
    """endpoint -> (ids of agreement A's objects, ids of the outside agreement's objects)."""
    a_actions, b_actions = {world.action.id, world.theirs.id}, {world.hidden.id}
    return {"api.agreements": ({world.agreement.id}, {world.elsewhere.id}),
            "api.actions": (a_actions, b_actions), "api.stalled": (a_actions, b_actions),
            "api.progress_updates": ({world.update.id, world.request.progress_update_id}, {world.hidden_update.id}),
            "api.partner_requests": ({world.request.id}, set()),
            "api.decisions": ({world.decision.id}, set())}


@pytest.mark.parametrize("endpoint", [e for e in ROUTES if e not in SINGLE and e not in WRITES])
def test_lists_hold_only_what_the_person_may_read(client, world, endpoint):
    ours, theirs = _list_ids(world)[endpoint]
    for key, allowed in (("write", ours), ("outsider", theirs)):
        seen = {item["id"] for item in call(client, world, endpoint, world.keys[key]).get_json()["items"]}
        assert seen <= allowed, (key, seen)
        if endpoint != "api.stalled":  # what is stalled depends on today's date
            assert seen == allowed, (key, seen)


def test_ids_that_name_nothing_are_404(client, world):
    for path in ("/api/v1/actions/999999", "/api/v1/actions/2147483648", "/api/v1/actions/0",
                 "/api/v1/agreements/99999999999999999999999999999999999999", "/api/v1/actions/-1",
                 "/api/v1/actions/abc"):
        response = client.get(path, headers=bearer(world.keys["write"]))
        assert response.status_code == 404, path
        assert response.content_type == "application/problem+json"


def test_a_coordinator_of_another_party_may_not_change_the_lead_s_action(client, world):
    response = call(client, world, "api.log_progress", world.keys["party"])
    assert response.status_code == 403


def test_an_administrator_made_key_works_with_the_person_s_rights(client, world):
    _token, secret = make_api_token(world.outsider, by=world.admin)
    db.session.commit()
    assert call(client, world, "api.action", secret).status_code == 403
