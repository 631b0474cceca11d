"""What the API does with good and bad requests: changes through the pages' services (audit, notices, locking),
and a clear problem for bad JSON, a wrong type, a huge body, unknown or wrong fields, a personnummer, a stale
version, ids and dates out of range, and a cursor that is not this query's."""
import datetime as dt
import hashlib

import pytest

from tests.api_world import bearer, world  # noqa: F401
from tracker.actions.models import Action, ActionStatus, DeadlineChange, ProgressUpdate, Request
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.mail.models import OutboxMessage

PERSONNUMMER = "19121212-1212"


def new_action(world, **overrides):
    return {"title": "Trygghetsvandring i Husby", "description": "Med polisen och skolan.",
            "owner_organisation_id": world.party.id, "owner_id": world.party_coordinator.id,
            "deadline": (world.today + dt.timedelta(days=30)).isoformat(), **overrides}


def post(client, world, path, body, key="write", **kwargs):
    return client.post(path, json=body, headers=bearer(world.keys[key]), **kwargs)


def problem(response, status, slug=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    if slug:
        assert body["type"].endswith(f"#problem-{slug}")
    return body


def test_creating_an_action_goes_through_the_service_audit_and_notice(client, world):
    response = post(client, world, f"/api/v1/agreements/{world.agreement.id}/actions", new_action(world))
    assert response.status_code == 201
    made = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/actions/{made['id']}")
    action = db.session.get(Action, made["id"])
    assert (action.status, action.progress, action.owner_id) == (ActionStatus.PLANNED, 0, world.party_coordinator.id)
    assert made["standing"]["stalled"] is False and made["version"] == action.version
    assert db.session.query(AuditEvent).filter_by(object_type="actions", object_id=action.id, verb="create",
                                                  actor_id=world.coordinator.id).count() == 1
    notices = db.session.query(OutboxMessage).filter_by(to_user_id=world.party_coordinator.id).all()
    assert len(notices) == 1 and action.title in notices[0].text_body


def test_a_personnummer_is_refused_with_the_reason_and_nothing_is_saved(client, world):
    before = db.session.query(Action).count()
    body = problem(post(client, world, f"/api/v1/agreements/{world.agreement.id}/actions",
                        new_action(world, description=f"Gäller {PERSONNUMMER}.")), 422, "validation")
    assert body["errors"] == [{"pointer": "#/description", "detail": body["errors"][0]["detail"]}]
    assert "OSL" in body["errors"][0]["detail"]
    assert db.session.query(Action).count() == before


def test_swedish_problems_for_a_swedish_speaker(client, world):
    world.coordinator.language = "sv"
    db.session.commit()
    body = problem(post(client, world, f"/api/v1/agreements/{world.agreement.id}/actions",
                        new_action(world, title=PERSONNUMMER)), 422)
    assert "personnumret" in body["errors"][0]["detail"] and body["title"] == "Anropet har fel"


@pytest.mark.parametrize(("change", "pointer"), [
    ({"shoe_size": 42}, "#/shoe_size"),
    ({"title": ""}, "#/title"),
    ({"title": "x" * 10_000}, "#/title"),
    ({"title": "Två\nrader"}, "#/title"),
    ({"title": "<script>alert(1)</script>\x00"}, "#/title"),
    ({"owner_id": 2**40}, "#/owner_id"),
    ({"owner_id": "12"}, "#/owner_id"),
    ({"owner_id": 0}, "#/owner_id"),
    ({"deadline": "1999-12-31"}, "#/deadline"),
    ({"deadline": "24/11/2026"}, "#/deadline"),
    ({"deadline": "2026-02-30"}, "#/deadline"),
    ({"deadline": "9999-12-31"}, "#/deadline"),
    ({"owner_id": None}, "#/owner_id"),
], ids=["unknown-field", "empty-title", "huge-title", "line-break", "nul-byte", "huge-id", "id-as-string", "id-zero",
        "date-too-early", "date-not-iso", "no-such-day", "date-too-late", "null-owner"])
def test_wrong_fields_are_named_and_nothing_is_saved(client, world, change, pointer):
    before = db.session.query(Action).count()
    body = problem(post(client, world, f"/api/v1/agreements/{world.agreement.id}/actions",
                        new_action(world, **change)), 422, "validation")
    assert pointer in [e["pointer"] for e in body["errors"]], body
    assert db.session.query(Action).count() == before


def test_domain_rules_are_the_forms_rules(client, world):
    body = problem(post(client, world, f"/api/v1/agreements/{world.agreement.id}/actions",
                        new_action(world, owner_id=world.coordinator.id,
                                   deadline=(world.agreement.ends_on + dt.timedelta(days=1)).isoformat())), 422)
    assert {e["pointer"] for e in body["errors"]} == {"#/owner_id", "#/deadline"}


def test_malformed_json_wrong_type_and_huge_body(client, world):
    path = f"/api/v1/agreements/{world.agreement.id}/actions"
    headers = bearer(world.keys["write"])
    for data in (b'{"title": ', b"\xff\xfe", b'{"progress": NaN}', b"[" * 50_000):
        problem(client.post(path, data=data, headers=headers, content_type="application/json"), 400, "malformed-json")
    problem(client.post(path, data="title=x", headers=headers, content_type="application/x-www-form-urlencoded"),
            415)
    problem(client.post(path, data=b"{}", headers=headers), 415)
    huge = b'{"title": "' + b"x" * 70_000 + b'"}'
    problem(client.post(path, data=huge, headers=headers, content_type="application/json"), 413)
    problem(client.post(path, json=[], headers=headers), 422)


def test_changing_only_what_is_sent_and_a_moved_deadline_needs_a_reason(client, world):
    action = world.action
    path, version = f"/api/v1/actions/{action.id}", action.version
    moved = (action.deadline + dt.timedelta(days=7)).isoformat()
    body = problem(client.patch(path, json={"version": version, "deadline": moved},
                                headers=bearer(world.keys["write"])), 422)
    assert body["errors"][0]["pointer"] == "#/deadline_reason"
    response = client.patch(path, json={"version": version, "deadline": moved, "deadline_reason": "Skolan stängd."},
                            headers=bearer(world.keys["write"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["deadline"] == moved and response.get_json()["title"] == action.title
    assert db.session.query(DeadlineChange).filter_by(action_id=action.id, reason="Skolan stängd.").count() == 1


def test_a_stale_version_is_409_and_changes_nothing(client, world):
    path = f"/api/v1/actions/{world.action.id}"
    first = client.patch(path, json={"version": world.action.version, "title": "Först"},
                         headers=bearer(world.keys["write"]))
    assert first.status_code == 200
    body = problem(client.patch(path, json={"version": world.action.version - 0, "title": "Sen"} | {
        "version": first.get_json()["version"] - 1}, headers=bearer(world.keys["write"])), 409, "stale-version")
    assert body["current_version"] == first.get_json()["version"]
    assert db.session.get(Action, world.action.id).title == "Först"
    stale = problem(post(client, world, f"{path}/updates", {"version": 1, "text": "Sent.", "status": "in_progress",
                                                            "progress": 50}), 409)
    assert stale["current_version"] == first.get_json()["version"]


def test_progress_moves_status_and_raises_a_request(client, world):
    action = world.action
    response = post(client, world, f"/api/v1/actions/{action.id}/updates", {
        "version": action.version, "text": "Väntar på lokal.", "status": "blocked", "progress": 30,
        "blocked_reason": "Ingen lokal.", "next_step": "Boka lokal",
        "next_step_on": (world.today + dt.timedelta(days=5)).isoformat(),
        "request": {"to_organisation_id": world.party.id, "text": "Kan ni låna ut en lokal?"}})
    assert response.status_code == 201, response.get_data(as_text=True)
    update = db.session.get(ProgressUpdate, response.get_json()["id"])
    assert (update.status_to, update.progress_to, action.status, action.blocked_reason) == (
        ActionStatus.BLOCKED, 30, ActionStatus.BLOCKED, "Ingen lokal.")
    assert [r.to_organisation_id for r in update.requests] == [world.party.id]
    assert response.headers["Location"].endswith(f"/api/v1/updates/{update.id}")


def test_progress_rules_are_the_forms_rules(client, world):
    action = world.action
    body = problem(post(client, world, f"/api/v1/actions/{action.id}/updates", {
        "version": action.version, "text": "Stopp.", "status": "blocked", "progress": 30, "next_step": "Något",
        "request": {"to_organisation_id": world.outside.id, "text": "Hjälp?"}}), 422)
    assert {e["pointer"] for e in body["errors"]} == {"#/blocked_reason", "#/next_step",
                                                      "#/request/to_organisation_id"}
    assert db.session.query(Request).filter_by(to_organisation_id=world.outside.id).count() == 0


def test_done_sets_progress_to_100_and_closes_the_action_for_more_updates(client, world):
    action = world.action
    response = post(client, world, f"/api/v1/actions/{action.id}/updates", {
        "version": action.version, "text": "Klart.", "status": "done", "progress": 80})
    assert response.get_json()["progress_to"] == 100
    problem(post(client, world, f"/api/v1/actions/{action.id}/updates", {
        "version": db.session.get(Action, action.id).version, "text": "Igen.", "status": "done", "progress": 100}),
        403)


def test_paging_walks_every_item_once_by_a_next_link(client, world):
    for n in range(5):
        post(client, world, f"/api/v1/agreements/{world.agreement.id}/actions", new_action(world, title=f"Åtgärd {n}"))
    seen, url = [], "/api/v1/actions?limit=2&open=true"
    while url:
        response = client.get(url, headers=bearer(world.keys["write"]))
        page = response.get_json()
        seen += [item["id"] for item in page["items"]]
        assert len(page["items"]) <= 2
        assert (response.headers.get("Link") is None) == (page["next"] is None)
        url = page["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7


def test_a_cursor_from_another_query_or_tampered_is_refused(client, world):
    headers = bearer(world.keys["write"])
    first = client.get("/api/v1/actions?limit=1", headers=headers).get_json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    for url in (f"/api/v1/actions?limit=1&cursor={cursor}&status=blocked", f"/api/v1/agreements?cursor={cursor}",
                f"/api/v1/actions?limit=1&cursor={cursor[:-2]}xy", "/api/v1/actions?cursor=garbage"):
        body = problem(client.get(url, headers=headers), 400, "invalid-cursor")
        assert body["errors"][0]["parameter"] == "cursor"
    other = client.get(f"/api/v1/actions?limit=1&cursor={cursor}", headers=bearer(world.keys["admin"]))
    problem(other, 400, "invalid-cursor")  # another person's cursor


@pytest.mark.parametrize("query", ["status=finished", "limit=0", "limit=101", "agreement=abc",
                                   "agreement=99999999999999999999", "updated_since=yesterday",
                                   "updated_since=2026-11-01T10:00:00", "stalled=maybe", "level=4", "colour=red",
                                   "status=planned&status=done"])
def test_wrong_parameters_are_named(client, world, query):
    body = problem(client.get(f"/api/v1/actions?{query}", headers=bearer(world.keys["write"])), 422, "validation")
    assert body["errors"][0]["parameter"] in query


def test_updated_since_follows_the_audit_trail(client, world):
    moment = "2000-01-01T00:00:00+01:00"
    headers = bearer(world.keys["write"])
    assert client.get(f"/api/v1/actions?updated_since={moment.replace('+', '%2B')}",
                      headers=headers).get_json()["items"] == []  # the factories audit nothing
    made = post(client, world, f"/api/v1/agreements/{world.agreement.id}/actions", new_action(world)).get_json()
    items = client.get(f"/api/v1/actions?updated_since={moment.replace('+', '%2B')}", headers=headers).get_json()
    assert [i["id"] for i in items["items"]] == [made["id"]]
    far = client.get("/api/v1/actions?updated_since=0001-01-01T00:00:00%2B14:00", headers=headers)
    assert far.status_code == 200


def test_rate_limited_per_key_with_retry_after(app, client, world):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        assert client.get("/api/v1/agreements", headers=bearer(world.keys["read"])).status_code == 200
    body = problem(client.get("/api/v1/agreements", headers=bearer(world.keys["read"])), 429, "rate-limited")
    assert body["status"] == 429
    assert int(client.get("/api/v1/agreements", headers=bearer(world.keys["read"])).headers["Retry-After"]) >= 1
    assert client.get("/api/v1/agreements", headers=bearer(world.keys["write"])).status_code == 200  # its own count


def test_a_server_error_is_a_problem_too(app, client, world, monkeypatch):
    from tracker.api import queries

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(queries, "agreements", broken)
    body = problem(client.get("/api/v1/agreements", headers=bearer(world.keys["read"])), 500, "server-error")
    assert "database" not in body["detail"]


def test_keys_are_stored_hashed_and_their_use_is_noted(client, world):
    from tracker.api.models import ApiToken
    secret = world.keys["read"]
    token = db.session.query(ApiToken).filter_by(token_hash=hashlib.sha256(secret.encode()).hexdigest()).one()
    assert secret.startswith("smv_") and token.prefix == secret[:12] and token.last_used_at is None
    assert not any(secret in str(v) for v in vars(token).values())
    client.get("/api/v1/agreements", headers=bearer(secret))
    assert db.session.get(ApiToken, token.id).last_used_at is not None
