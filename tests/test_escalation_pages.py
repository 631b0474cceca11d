"""The escalation ladder on the pages: raising an action to the steering group by hand (who may, what is kept),
the level on the action page, the list and the start page, thresholds per agreement, and the integrator's exports."""
import datetime as dt

import pytest

from tests.conftest import sign_in
from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user, make_viewer
from tracker.actions.escalation_queries import escalated, ownerless
from tracker.actions.models import Action, ActionStatus
from tracker.actions.rules import Stalled, Thresholds
from tracker.agreements.models import Agreement
from tracker.audit.models import AuditEvent
from tracker.clock import local_today
from tracker.extensions import db

ENGLISH = {"Accept-Language": "en"}
PERSONNUMMER = "19811218-9876"


@pytest.fixture
def w(app):
    class World:
        pass

    w = World()
    today = local_today()
    w.social, w.school, w.outside = (make_organisation(name=n, short_name=n[:6]) for n in
                                     ("Socialtjänsten", "Husbygårdsskolan", "Fryshuset"))
    w.agreement = make_agreement(lead_organisation=w.social, parties=[w.social, w.school],
                                 starts_on=dt.date(2020, 1, 1), ends_on=None)
    w.social_coordinator = make_user(organisation=w.social, name="Sara Social", language="en")
    w.school_coordinator = make_user(organisation=w.school, name="Stina School", language="en")
    w.outside_coordinator = make_user(organisation=w.outside, language="en")
    w.viewer = make_viewer(organisation=w.social, language="en")
    w.on_track = make_action(agreement=w.agreement, owner_organisation=w.school, title="On track",
                             owner=w.school_coordinator, deadline=today + dt.timedelta(days=60),
                             last_progress_at=dt.datetime.now(dt.UTC))
    w.long_overdue = make_action(agreement=w.agreement, owner_organisation=w.school, title="Long overdue",
                                 owner=w.school_coordinator, deadline=today - dt.timedelta(days=41),
                                 last_progress_at=dt.datetime.now(dt.UTC))
    w.bit_overdue = make_action(agreement=w.agreement, owner_organisation=w.school, title="Bit overdue",
                                owner=w.school_coordinator, deadline=today - dt.timedelta(days=16),
                                last_progress_at=dt.datetime.now(dt.UTC))
    db.session.commit()
    return w


def client_for(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def raise_it(client, action, reason="The school needs a decision on funding", **extra):
    return client.post(f"/actions/{action.id}/raise", headers=ENGLISH,
                       data={"reason": reason, "version": action.version} | extra)


def fresh(action):
    db.session.expire_all()
    return db.session.get(Action, action.id)


@pytest.mark.parametrize("who", ["social_coordinator", "school_coordinator"])
def test_a_party_coordinator_raises_an_action_with_a_reason_and_it_is_level_three(app, w, who):
    client = client_for(app, getattr(w, who))
    assert raise_it(client, w.on_track).status_code == 303
    action = fresh(w.on_track)
    assert action.raised_by_id == getattr(w, who).id and action.raised_reason.startswith("The school")
    [event] = db.session.query(AuditEvent).filter_by(verb="raise", object_id=action.id).all()
    assert event.changes["raised_reason"][1].startswith("The school")
    page = client.get(f"/actions/{action.id}", headers=ENGLISH).get_data(as_text=True)
    assert "Level 3: needs a steering-group decision" in page
    assert f"Raised to the steering group by {getattr(w, who).name}" in page and "needs a decision on funding" in page
    [row] = [r for r in escalated([w.agreement.id], local_today()) if r.action.id == action.id]
    assert (row.level, row.raised_by, row.raised_reason) == (3, getattr(w, who).name, action.raised_reason)


@pytest.mark.parametrize("who", ["outside_coordinator", "viewer"])
def test_others_may_not_raise_or_withdraw(app, w, who):
    client = client_for(app, getattr(w, who))
    assert raise_it(client, w.on_track).status_code in (403, 404)
    assert client.post(f"/actions/{w.on_track.id}/raise/withdraw",
                       data={"version": w.on_track.version}).status_code in (403, 404)
    assert fresh(w.on_track).raised_at is None


@pytest.mark.parametrize(("reason", "message"), [
    ("", "Say why the steering group needs to decide."), ("   ", "Say why the steering group needs to decide."),
    ("x" * 1001, "1000"), (f"Gäller {PERSONNUMMER}", "personal identity number"),
])
def test_a_raise_needs_a_proper_reason_kept_on_error(app, w, reason, message):
    client = client_for(app, w.school_coordinator)
    response = raise_it(client, w.on_track, reason=reason)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    if reason.strip():
        assert reason[:200] in page  # what was typed is kept
    assert fresh(w.on_track).raised_at is None


def test_hostile_reason_is_shown_as_text(app, w):
    client = client_for(app, w.school_coordinator)
    raise_it(client, w.on_track, reason="<script>alert(1)</script>")
    page = client.get(f"/actions/{w.on_track.id}", headers=ENGLISH).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_raise_is_withdrawn_by_a_party_coordinator_and_ends_when_the_action_closes(app, w):
    raise_it(client_for(app, w.school_coordinator), w.on_track)
    client = client_for(app, w.social_coordinator)
    action = fresh(w.on_track)
    assert client.post(f"/actions/{action.id}/raise/withdraw", data={"version": action.version}).status_code == 303
    assert fresh(w.on_track).raised_at is None
    assert [r.action.id for r in escalated([w.agreement.id], local_today())] == [w.long_overdue.id]
    school = client_for(app, w.school_coordinator)
    raise_it(school, fresh(w.on_track))
    action = fresh(w.on_track)
    school.post(f"/actions/{action.id}/progress", data={"text": "Done.", "status": "done", "progress": 100,
                                                         "blocked_reason": "", "version": action.version})
    assert fresh(w.on_track).status is ActionStatus.DONE
    assert w.on_track.id not in {r.action.id for r in escalated([w.agreement.id], local_today())}


def test_levels_show_in_the_list_with_a_filter_and_on_the_start_page(app, w):
    client = client_for(app, w.school_coordinator)
    page = client.get("/actions/?level=3", headers=ENGLISH).get_data(as_text=True)
    assert "Long overdue" in page and "Bit overdue" not in page and "On track" not in page
    page = client.get("/actions/?level=2", headers=ENGLISH).get_data(as_text=True)
    assert "Long overdue" in page and "Bit overdue" in page and "Level 2: coordinators" in page
    start = client.get("/", headers=ENGLISH).get_data(as_text=True)
    assert "Needs a steering-group decision" in start and "Long overdue" in start


def test_thresholds_per_agreement_are_edited_in_the_agreement_form(app, w):
    client = client_for(app, w.social_coordinator)
    agreement = w.agreement
    data = {"title": agreement.title, "theme": agreement.theme.value, "starts_on": "2020-01-01",
            "lead_organisation_id": w.social.id, "party_ids": [w.social.id, w.school.id],
            "version": agreement.version, "escalate_level2_days": "5", "escalate_level3_days": "15"}
    assert client.post(f"/agreements/{agreement.id}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert (db.session.get(Agreement, agreement.id).escalate_level2_days,
            db.session.get(Agreement, agreement.id).escalate_level3_days) == (5, 15)
    levels = {r.action.title: r.level for r in escalated([agreement.id], local_today(), level=1)}
    assert levels == {"Long overdue": 3, "Bit overdue": 3}
    for bad, message in (({"escalate_level3_days": "4"}, "Level 3 must come after level 2"),
                         ({"escalate_level2_days": "0"}, "Give a whole number from 1 to 365"),
                         ({"escalate_level2_days": "9" * 40}, "Give a whole number from 1 to 365"),
                         ({"escalate_level3_days": "soon"}, "")):
        agreement = db.session.get(Agreement, agreement.id)
        response = client.post(f"/agreements/{agreement.id}/edit", headers=ENGLISH,
                               data=data | {"version": agreement.version} | bad)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Agreement, agreement.id).escalate_level3_days == 15


def test_ownerless_export_names_the_days_and_the_former_owner(app, w):
    gone = make_user(organisation=w.school, name="Gustav Gone", is_active=False)
    kept = make_action(agreement=w.agreement, owner_organisation=w.school, owner=gone, title="Kept by the gone")
    handed = make_action(agreement=w.agreement, owner_organisation=w.school, owner=None, title="Handed",
                         owner_lost_on=local_today() - dt.timedelta(days=3),
                         deadline=local_today() + dt.timedelta(days=30), last_progress_at=dt.datetime.now(dt.UTC))
    db.session.commit()
    rows = {r.action.id: r for r in ownerless([w.agreement.id], local_today())}
    assert set(rows) == {kept.id, handed.id}
    assert (rows[handed.id].days, rows[handed.id].former_owner) == (3, None)
    assert (rows[kept.id].since, rows[kept.id].former_owner) == (None, "Gustav Gone")
    [row] = [r for r in escalated([w.agreement.id], local_today(), level=1) if r.action.id == handed.id]
    assert Stalled.OWNERLESS in row.reasons and row.level == 1
    assert escalated([], local_today()) == [] and ownerless([], local_today()) == []


def test_escalated_rows_say_why_and_how_long(app, w):
    [row] = escalated([w.agreement.id], local_today(), thresholds=Thresholds())
    assert (row.action.id, row.level, row.days_stalled, row.reasons) == (w.long_overdue.id, 3, 40, (Stalled.OVERDUE,))
    assert row.raised_reason == "" and row.raised_by is None


def test_admins_raise_too(app, w):
    assert raise_it(client_for(app, make_admin()), w.on_track).status_code == 303
