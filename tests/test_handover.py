"""Deactivating a person who owns open actions hands them over in the same step: to a new owner at the owning
organisation, or to its coordinators as unassigned. Nothing is left without an owner or the unassigned mark."""
import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user
from tracker.accounts.models import User
from tracker.actions import conditions
from tracker.actions.models import Action, ActionStatus
from tracker.audit.models import AuditEvent
from tracker.clock import local_today
from tracker.extensions import db

ENGLISH = {"Accept-Language": "en"}
PERSONNUMMER = "19811218-9876"


@pytest.fixture
def w(app, client):
    class World:
        pass

    w = World()
    w.school, w.police = make_organisation(name="Husbygårdsskolan"), make_organisation(name="Polisen")
    w.agreement = make_agreement(lead_organisation=w.school, parties=[w.school, w.police])
    w.leaving = make_user(organisation=w.school, name="Lena Leaving")
    w.next = make_user(organisation=w.school, name="Nils Next")
    w.other = make_user(organisation=w.school, name="Olga Other")
    w.gone = make_user(organisation=w.school, name="Gunnar Gone", is_active=False)
    w.cop = make_user(organisation=w.police, name="Per Police")
    w.first = make_action(agreement=w.agreement, owner_organisation=w.school, owner=w.leaving, title="Lamps")
    w.second = make_action(agreement=w.agreement, owner_organisation=w.school, owner=w.leaving, title="Walks")
    w.closed = make_action(agreement=w.agreement, owner_organisation=w.school, owner=w.leaving, title="Done",
                           status=ActionStatus.DONE)
    w.admin = make_admin(language="en")
    db.session.commit()
    sign_in(client, w.admin)
    return w


def post(client, w, **data):
    return client.post(f"/admin/users/{w.leaving.id}/handover", headers=ENGLISH,
                       data={"version": w.leaving.version} | data)


def fresh(model, obj_id):
    db.session.expire_all()
    return db.session.get(model, obj_id)


def none_orphaned():
    """Every open action has an active owner, or no owner and the day it was left unassigned."""
    for action in db.session.scalars(select(Action).where(conditions.is_open())):
        assert (action.owner is not None and action.owner.is_active) or (
            action.owner_id is None and action.owner_lost_on is not None), action.title


def test_all_actions_go_to_one_new_owner_with_the_deactivation(client, w):
    response = post(client, w, everyone_to=str(w.next.id))
    assert response.status_code == 303
    assert fresh(User, w.leaving.id).is_active is False
    assert fresh(Action, w.first.id).owner_id == w.next.id and fresh(Action, w.second.id).owner_id == w.next.id
    assert fresh(Action, w.closed.id).owner_id == w.leaving.id  # history of closed work stays attributed
    handed = db.session.scalars(select(AuditEvent).where(AuditEvent.verb == "hand_over")).all()
    assert sorted(e.object_id for e in handed) == sorted([w.first.id, w.second.id])
    assert all(e.changes["owner_id"] == [w.leaving.id, w.next.id] for e in handed)
    none_orphaned()


def test_one_action_can_go_elsewhere_and_the_rest_to_the_coordinators_unassigned(client, w):
    response = post(client, w, everyone_to="unowned", **{f"action_{w.second.id}": str(w.other.id)})
    assert response.status_code == 303
    first, second = fresh(Action, w.first.id), fresh(Action, w.second.id)
    assert (first.owner_id, first.owner_lost_on) == (None, local_today())
    assert second.owner_id == w.other.id and second.owner_lost_on is None
    none_orphaned()
    page = client.get(f"/actions/{first.id}", headers=ENGLISH).get_data(as_text=True)
    assert "Unassigned" in page and "No active owner" in page


def test_the_owning_organisations_coordinators_see_unassigned_actions_and_name_a_new_owner(app, client, w):
    post(client, w, everyone_to="unowned")
    client = app.test_client()
    sign_in(client, w.next)
    start = client.get("/", headers=ENGLISH).get_data(as_text=True)
    assert "Unassigned actions of Husbygårdsskolan" in start and "Lamps" in start
    first = fresh(Action, w.first.id)
    response = client.post(f"/actions/{first.id}/edit", headers=ENGLISH, data={
        "title": first.title, "description": "", "owner_organisation_id": w.school.id, "owner_id": w.next.id,
        "deadline": first.deadline.isoformat(), "version": first.version})
    assert response.status_code == 303
    first = fresh(Action, w.first.id)
    assert first.owner_id == w.next.id and first.owner_lost_on is None
    client = app.test_client()
    sign_in(client, w.cop)  # a party's coordinator of another organisation is not told
    assert "Unassigned actions of" not in client.get("/", headers=ENGLISH).get_data(as_text=True)


@pytest.mark.parametrize("choice", ["cop", "gone", "leaving", "999999", "x" * 5000, PERSONNUMMER, "<script>"])
def test_a_tampered_new_owner_is_refused_next_to_the_field_and_nothing_changes(client, w, choice):
    value = str(getattr(w, choice).id) if hasattr(w, choice) else choice
    response = post(client, w, everyone_to=str(w.next.id), **{f"action_{w.first.id}": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose an active person at Husbygårdsskolan, or leave the action unassigned." in page
    assert "<script>" not in page.split("<main", 1)[1].replace("&lt;script&gt;", "")
    assert fresh(User, w.leaving.id).is_active is True
    assert fresh(Action, w.first.id).owner_id == w.leaving.id and fresh(Action, w.second.id).owner_id == w.leaving.id


def test_a_choice_is_required(client, w):
    response = post(client, w)
    assert "Choose who takes over the actions." in response.get_data(as_text=True)
    assert fresh(User, w.leaving.id).is_active is True


def test_the_plain_deactivation_is_refused_while_the_person_owns_open_actions(client, w):
    response = client.post(f"/admin/users/{w.leaving.id}/deactivate", headers=ENGLISH,
                           data={"version": w.leaving.version}, follow_redirects=True)
    assert "choose who takes them over" in response.get_data(as_text=True)
    assert fresh(User, w.leaving.id).is_active is True
    none_orphaned()


def test_a_stale_account_version_changes_nothing(client, w):
    response = post(client, w, everyone_to=str(w.next.id), version=w.leaving.version - 1)
    assert "Someone else changed this account meanwhile" in response.get_data(as_text=True)
    assert fresh(User, w.leaving.id).is_active is True and fresh(Action, w.first.id).owner_id == w.leaving.id


def test_only_admins_hand_over(app, w):
    client = app.test_client()
    sign_in(client, w.next)
    assert post(client, w, everyone_to=str(w.next.id)).status_code in (403, 404)
    assert fresh(User, w.leaving.id).is_active is True


def test_the_confirmation_page_offers_only_active_people_of_the_organisation(client, w):
    page = client.get(f"/admin/users/{w.leaving.id}/deactivate", headers=ENGLISH).get_data(as_text=True)
    assert "Nils Next" in page and "Olga Other" in page and "Unassigned: to the coordinators" in page
    assert "Gunnar Gone" not in page and "Per Police" not in page
    assert f'<option value="{w.leaving.id}">' not in page


def test_the_edit_form_of_an_unassigned_action_asks_for_an_owner_on_purpose(app, client, w):
    post(client, w, everyone_to="unowned")
    coordinator = app.test_client()
    sign_in(coordinator, w.next)
    first = fresh(Action, w.first.id)
    page = coordinator.get(f"/actions/{first.id}/edit", headers=ENGLISH).get_data(as_text=True)
    assert '<option selected value="">Unassigned: choose a new owner</option>' in page
    response = coordinator.post(f"/actions/{first.id}/edit", headers=ENGLISH, data={
        "title": "Lamps, renamed", "description": "", "owner_organisation_id": w.school.id, "owner_id": "",
        "deadline": first.deadline.isoformat(), "version": first.version})
    assert 'id="owner_id-error"' in response.get_data(as_text=True)  # the message sits next to the field
    assert fresh(Action, w.first.id).title == "Lamps"
