"""Two people editing the same thing: the second save is refused with their input kept; nothing half-written."""

import pytest
from sqlalchemy import select, update

from tests.conftest import sign_in
from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user
from tracker.actions import services as action_services
from tracker.actions.models import Action, ActionStatus, ProgressUpdate
from tracker.audit.models import AuditEvent
from tracker.editing import StaleEdit
from tracker.extensions import db


@pytest.fixture
def two_sessions(app):
    """Two signed-in browsers, as two coordinators of the same organisation."""
    organisation = make_organisation()
    first, second = make_user(organisation=organisation), make_user(organisation=organisation)
    clients = app.test_client(), app.test_client()
    sign_in(clients[0], first)
    sign_in(clients[1], second)
    return organisation, clients


def action_form(action: Action, **changes) -> dict:
    values = {"title": action.title, "description": action.description,
              "owner_organisation_id": action.owner_organisation_id, "owner_id": action.owner_id,
              "deadline": action.deadline.isoformat(),
              "blocked_reason": "", "version": action.version}
    return values | changes


def test_second_save_of_an_action_is_refused_and_keeps_its_input(two_sessions):
    organisation, (anna, bo) = two_sessions
    owner = make_user(organisation=organisation)
    action = make_action(agreement=make_agreement(lead_organisation=organisation), owner=owner)
    db.session.commit()
    loaded = action_form(action)  # both open the edit page at version 1
    assert anna.post(f"/actions/{action.id}/edit", data=loaded | {"title": "Annas rubrik"}).status_code == 303
    response = bo.post(f"/actions/{action.id}/edit", data=loaded | {"title": "Bos rubrik", "deadline": "2027-01-01",
                                                            "deadline_reason": "Skolan behöver mer tid"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Någon annan sparade åtgärden medan du redigerade" in page
    assert 'value="Bos rubrik"' in page and 'value="2027-01-01"' in page
    db.session.expire_all()
    assert (db.session.get(Action, action.id).title, db.session.get(Action, action.id).progress) == ("Annas rubrik", 10)


def test_second_save_of_an_agreement_is_refused(two_sessions):
    organisation, (anna, bo) = two_sessions
    agreement = make_agreement(lead_organisation=organisation, title="Original")
    db.session.commit()
    form = {"title": agreement.title, "theme": agreement.theme.value, "starts_on": "2026-01-01",
            "lead_organisation_id": organisation.id, "party_ids": [organisation.id], "version": agreement.version}
    assert anna.post(f"/agreements/{agreement.id}/edit", data=form | {"title": "Annas"}).status_code == 303
    response = bo.post(f"/agreements/{agreement.id}/edit", data=form | {"title": "Bos"})
    assert "Någon annan sparade avtalet" in response.get_data(as_text=True)
    db.session.expire_all()
    assert agreement.title == "Annas"


def test_second_admin_save_of_an_organisation_is_refused(app):
    organisation = make_organisation(name="Före")
    admins = make_admin(), make_admin()
    clients = app.test_client(), app.test_client()
    for client, admin in zip(clients, admins, strict=True):
        sign_in(client, admin)
    form = {"name": "Före", "short_name": "F", "kind": "police", "municipality": "", "contact_email": "",
            "version": organisation.version}
    first = clients[0].post(f"/admin/organisations/{organisation.id}/edit", data=form | {"name": "Första"})
    assert first.status_code == 303
    response = clients[1].post(f"/admin/organisations/{organisation.id}/edit", data=form | {"name": "Andra"})
    page = response.get_data(as_text=True)
    assert "Någon annan sparade organisationen" in page and 'value="Andra"' in page


def test_a_race_between_check_and_write_is_caught_by_the_version_column(app):
    """Both saves pass the form's version check; the database refuses the one that writes second."""
    action = make_action()
    user = make_user(organisation=action.owner_organisation)
    db.session.commit()
    # Another process saves between our read and our write.
    with db.engine.begin() as other:
        other.execute(update(Action).where(Action.id == action.id).values(title="Elsewhere", version=2))
    data = {f: getattr(action, f) for f in action_services.FIELDS} | {"title": "Here"}
    with pytest.raises(StaleEdit):
        action_services.update_action(action, data, by=user, version=1)
    db.session.expire_all()
    assert db.session.get(Action, action.id).title == "Elsewhere"


def test_progress_update_failing_halfway_leaves_nothing_behind(client, as_user, monkeypatch):
    action = make_action(status=ActionStatus.IN_PROGRESS, progress=10)
    user = make_user(organisation=action.owner_organisation)
    db.session.commit()
    as_user(user)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(action_services, "record", broken_audit)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post(f"/actions/{action.id}/progress", data={
        "text": "Klart!", "status": "done", "progress": "100", "version": action.version})
    assert response.status_code == 500
    assert "Inget av det du skickade sparades" in response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(Action, action.id)
    assert (saved.status, saved.progress, saved.last_progress_at) == (ActionStatus.IN_PROGRESS, 10, None)
    assert db.session.scalars(select(ProgressUpdate)).all() == []
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.verb == "progress")).all() == []
