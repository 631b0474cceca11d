"""Every route × every kind of user: who gets in and who is refused. A route missing here fails the test.

The world: agreement A led by organisation LEAD, with PARTY as the other party; action X of A owned by LEAD;
a report of A; OUTSIDE is no party. POSTs carry no form data, so an allowed request is answered (200, or a
redirect back) without changing anything, and a refused one is 403/404.
"""
import datetime as dt

import pytest
from flask import url_for

from tests.conftest import sign_in
from tests.factories import (
    make_action,
    make_admin,
    make_agreement,
    make_api_token,
    make_organisation,
    make_request,
    make_user,
    make_viewer,
)
from tracker.accounts.sessions import start_session
from tracker.actions.rules import Thresholds
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.mail import outbox
from tracker.mail.compose import recipient
from tracker.reports import background as report_jobs
from tracker.reports import services as report_services
from tracker.reports.period import Month
from tracker.sheets.services import keep_upload
from tracker.steering.models import Decision

ROLES = ["admin", "lead_coordinator", "party_coordinator", "party_viewer", "outside_coordinator", "outside_viewer"]
EVERYONE = set(ROLES)
ADMIN = {"admin"}
COORDINATORS = {"admin", "lead_coordinator", "party_coordinator", "outside_coordinator"}
READERS = {"admin", "lead_coordinator", "party_coordinator", "party_viewer"}
LEAD = {"admin", "lead_coordinator"}
PARTY_COORDINATORS = {"admin", "lead_coordinator", "party_coordinator"}
PUBLIC = "public"
API = "api"  # signs in by API key only: a page's cookie gets 401 (tests/test_api_authorization.py has its matrix)

# (endpoint, method) -> who may use it. Every rule in app.url_map must be here.
MATRIX = {
    ("static", "GET"): PUBLIC,
    ("favicon", "GET"): PUBLIC,
    ("health.healthz", "GET"): PUBLIC,
    ("health.readyz", "GET"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.forgot_password", "GET"): PUBLIC,
    ("auth.forgot_password", "POST"): PUBLIC,
    ("auth.reset_requested", "GET"): PUBLIC,
    ("auth.reset_password", "GET"): PUBLIC,
    ("auth.reset_password", "POST"): PUBLIC,
    ("auth.accept_invitation", "GET"): PUBLIC,
    ("auth.accept_invitation", "POST"): PUBLIC,
    ("i18n.set_language", "POST"): PUBLIC,
    ("auth.logout", "POST"): EVERYONE,
    ("auth.change_password", "GET"): EVERYONE,
    ("auth.change_password", "POST"): EVERYONE,
    ("auth.end_session", "POST"): set(),  # the world's session is another user's: only its owner may end it
    ("auth.end_other_sessions", "POST"): EVERYONE,
    # One's own e-mail settings: the page names no other person, so everyone reaches only their own.
    ("reminders.preferences", "GET"): EVERYONE,
    ("reminders.preferences", "POST"): EVERYONE,
    # One's own calendar links: the page names no other person; an administrator also ends anyone's. The feeds
    # open with the secret token in their address (tests/test_calendar.py), never with a session.
    ("calendars.page", "GET"): EVERYONE,
    ("calendars.issue", "POST"): EVERYONE,
    ("calendars.end", "POST"): EVERYONE,
    ("calendars.end_for", "POST"): ADMIN,
    ("calendar_feeds.personal", "GET"): PUBLIC,
    ("calendar_feeds.agreement", "GET"): PUBLIC,
    ("dashboard.index", "GET"): EVERYONE,
    ("agreements.index", "GET"): EVERYONE,
    ("agreements.new", "GET"): COORDINATORS,
    ("agreements.new", "POST"): COORDINATORS,
    ("agreements.show", "GET"): READERS,
    ("agreements.updates", "GET"): READERS,
    ("agreements.changes", "GET"): READERS,
    ("agreements.edit", "GET"): LEAD,
    ("agreements.edit", "POST"): LEAD,
    ("agreements.change_status", "POST"): LEAD,
    ("actions.index", "GET"): EVERYONE,
    ("actions.new", "GET"): PARTY_COORDINATORS,
    ("actions.new", "POST"): PARTY_COORDINATORS,
    ("actions.show", "GET"): READERS,
    ("actions.updates", "GET"): READERS,
    ("actions.changes", "GET"): READERS,
    ("actions.edit", "GET"): LEAD,
    ("actions.edit", "POST"): LEAD,
    ("actions.raise_action", "POST"): PARTY_COORDINATORS,
    ("actions.withdraw_raise", "POST"): PARTY_COORDINATORS,
    ("actions.hand_over_and_deactivate", "POST"): ADMIN,
    ("actions.log_progress", "POST"): LEAD,
    ("actions.waiting_on_us", "GET"): EVERYONE,
    # The world's request goes from LEAD to PARTY: PARTY's coordinators (and admins) answer it; the asking
    # organisation, viewers and outsiders are refused.
    ("actions.answer", "GET"): {"admin", "party_coordinator"},
    ("actions.answer", "POST"): {"admin", "party_coordinator"},
    ("steering.page", "GET"): READERS,
    ("steering.record", "POST"): LEAD,
    ("steering.next_meeting", "POST"): LEAD,
    ("reports.generate", "POST"): PARTY_COORDINATORS,
    ("reports.download", "GET"): READERS,
    ("reports.index", "GET"): EVERYONE,
    ("reports.index", "POST"): EVERYONE,  # a portfolio of what one reads; viewers too (it changes nothing)
    # The world's report job was asked for by the lead coordinator: only they and administrators follow it.
    ("reports.job", "GET"): {"admin", "lead_coordinator"},
    ("reports.job_status", "GET"): {"admin", "lead_coordinator"},
    ("organisations.index", "GET"): ADMIN,
    ("organisations.new", "GET"): ADMIN,
    ("organisations.new", "POST"): ADMIN,
    ("organisations.edit", "GET"): ADMIN,
    ("organisations.edit", "POST"): ADMIN,
    ("organisations.set_active", "POST"): ADMIN,
    ("accounts.index", "GET"): ADMIN,
    ("accounts.new", "GET"): ADMIN,
    ("accounts.new", "POST"): ADMIN,
    ("accounts.edit", "GET"): ADMIN,
    ("accounts.edit", "POST"): ADMIN,
    ("accounts.set_active", "POST"): ADMIN,
    ("accounts.confirm_deactivation", "GET"): ADMIN,
    ("accounts.temporary_password", "GET"): ADMIN,
    ("accounts.temporary_password", "POST"): ADMIN,
    ("accounts.end_sessions", "POST"): ADMIN,
    ("accounts.send_invitation", "POST"): ADMIN,
    # A coordinator invites to their own organisation (as coordinator or viewer: policy.can_invite); viewers never.
    ("invitations.new", "GET"): COORDINATORS,
    ("invitations.new", "POST"): COORDINATORS,
    # A new invitation to the target (a coordinator at PARTY): whoever may invite to PARTY in that role.
    ("invitations.again", "POST"): {"admin", "party_coordinator"},
    ("audit.index", "GET"): ADMIN,
    ("audit.export", "GET"): ADMIN,
    ("mail.index", "GET"): ADMIN,
    ("mail.show", "GET"): ADMIN,
    ("mail.send_test", "POST"): ADMIN,
    ("mail.retry", "POST"): ADMIN,
    # One's own API keys; revoking the world's key (LEAD coordinator's) is for its person and administrators.
    ("api_pages.own_tokens", "GET"): EVERYONE,
    ("api_pages.own_tokens", "POST"): EVERYONE,
    ("api_pages.revoke", "POST"): {"admin", "lead_coordinator"},
    ("api_pages.every_token", "GET"): ADMIN,
    ("api_pages.every_token", "POST"): ADMIN,
    ("api_pages.documentation", "GET"): PUBLIC,
    ("api.openapi_document", "GET"): PUBLIC,
    **dict.fromkeys((
        ("api.agreements", "GET"), ("api.agreement", "GET"), ("api.actions", "GET"), ("api.action", "GET"),
        ("api.stalled", "GET"), ("api.progress_updates", "GET"), ("api.progress_update", "GET"),
        ("api.partner_requests", "GET"), ("api.partner_request", "GET"), ("api.decisions", "GET"),
        ("api.decision", "GET"), ("api.create_action", "POST"), ("api.update_action", "PATCH"),
        ("api.log_progress", "POST")), API),
    # Spreadsheets: exports of what one reads; imports by whoever adds actions. The world's import batch is the lead
    # coordinator's own: nobody else, administrators included, previews or confirms another person's upload.
    ("sheets.agreement_actions", "GET"): READERS,
    ("sheets.actions", "GET"): EVERYONE,
    ("sheets.agreements", "GET"): EVERYONE,
    ("sheets.upload", "GET"): PARTY_COORDINATORS,
    ("sheets.upload", "POST"): PARTY_COORDINATORS,
    ("sheets.preview", "GET"): {"lead_coordinator"},
    ("sheets.confirm", "POST"): {"lead_coordinator"},
}


@pytest.fixture
def world(app):
    lead, party, outside = (make_organisation(name=n) for n in ("Lead org", "Party org", "Outside org"))
    users = {
        "admin": make_admin(organisation=outside),
        "lead_coordinator": make_user(organisation=lead),
        "party_coordinator": make_user(organisation=party),
        "party_viewer": make_viewer(organisation=lead),
        "outside_coordinator": make_user(organisation=outside),
        "outside_viewer": make_viewer(organisation=outside),
    }
    agreement = make_agreement(lead_organisation=lead, parties=[lead, party])
    action = make_action(agreement=agreement, owner=users["lead_coordinator"],
                         created_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC))
    report = report_services.generate([agreement], Month(2026, 10), language="sv", by=None,
                                      today=dt.date(2026, 11, 25), thresholds=Thresholds())
    request = make_request(action, party, users["lead_coordinator"])
    target = make_user(organisation=party)
    target_session = start_session(target, user_agent="", address=None, now=utcnow())
    message = outbox.queue_test_message(recipient(target), by=users["admin"])
    token, _secret = make_api_token(users["lead_coordinator"])
    decision = Decision(agreement=agreement, decided_on=dt.date(2026, 11, 20), meeting="Möte", text="Beslut.",
                        recorded_by=users["lead_coordinator"])
    db.session.add(decision)
    batch = keep_upload(agreement, "a.csv", ["title"], [], [], by=users["lead_coordinator"], now=utcnow())
    job = report_jobs.ask([agreement], Month(2026, 10), language="sv", by=users["lead_coordinator"],
                          today=dt.date(2026, 11, 25))
    db.session.commit()
    values = {"agreement_id": agreement.id, "action_id": action.id, "report_id": report.id, "user_id": target.id,
              "organisation_id": party.id, "change": "deactivate", "filename": "css/samverka.css",
              "session_id": target_session.id, "request_id": request.id,
              "message_id": message.id, "token": "x" * 43, "token_id": token.id,
              "update_id": request.progress_update_id, "decision_id": decision.id, "batch_id": batch.id,
              "kind": "xlsx", "job_id": job.id}
    return users, values


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def url(rule, values) -> str:
    return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def test_every_route_is_in_the_matrix(app):
    missing = [(r.endpoint, m) for r, m in routes(app) if (r.endpoint, m) not in MATRIX]
    assert not missing, f"routes without a permission rule in the matrix: {missing}"


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_let_in_or_refused_as_the_matrix_says(app, client, world, role):
    users, values = world
    sign_in(client, users[role])
    wrong = []
    # Sign-out last, since it ends the session the rest of the requests use.
    for rule, method in sorted(routes(app), key=lambda rm: rm[0].endpoint == "auth.logout"):
        allowed = MATRIX[(rule.endpoint, method)]
        if allowed == PUBLIC:
            continue
        response = client.open(url(rule, values), method=method, data={})
        if allowed == API:
            if response.status_code != 401:
                wrong.append(f"{method} {rule.endpoint}: {role}'s cookie let in ({response.status_code})")
            continue
        refused = response.status_code in (403, 404)
        if role in allowed and (refused or _is_login_redirect(response) or response.status_code >= 500):
            wrong.append(f"{method} {rule.endpoint}: {role} refused ({response.status_code})")
        if role not in allowed and not refused:
            wrong.append(f"{method} {rule.endpoint}: {role} let in ({response.status_code})")
    assert not wrong, "\n".join(wrong)


def test_anonymous_requests_go_to_sign_in(app, client, world):
    _users, values = world
    wrong = []
    for rule, method in routes(app):
        if MATRIX[(rule.endpoint, method)] == PUBLIC:
            continue
        response = client.open(url(rule, values), method=method, data={})
        if MATRIX[(rule.endpoint, method)] == API and response.status_code == 401:
            continue
        if not _is_login_redirect(response):
            wrong.append(f"{method} {rule.endpoint}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
