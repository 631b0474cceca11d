"""One-click changes that deserve a second look (deactivating an account, ending an agreement with open actions),
and a stale save that shows what the other person changed."""
import pytest

from tests.conftest import sign_in
from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user
from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.extensions import db

ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def admin(client):
    admin = make_admin(language="en")
    sign_in(client, admin)
    return admin


def test_deactivation_asks_first_and_lists_the_open_actions_the_person_owns(client, admin):
    org = make_organisation()
    person = make_user(organisation=org, name="Olle Owner")
    agreement = make_agreement(lead_organisation=org)
    open_one = make_action(agreement=agreement, owner_organisation=org, owner=person, title="Open lamp")
    done_one = make_action(agreement=agreement, owner_organisation=org, owner=person, title="Done bench",
                           status=ActionStatus.DONE)
    db.session.commit()
    edit_page = client.get(f"/admin/users/{person.id}/edit", headers=ENGLISH).get_data(as_text=True)
    assert f'href="/admin/users/{person.id}/deactivate"' in edit_page
    assert f'action="/admin/users/{person.id}/deactivate"' not in edit_page  # no one-click button any more
    page = client.get(f"/admin/users/{person.id}/deactivate", headers=ENGLISH).get_data(as_text=True)
    assert "Deactivate Olle Owner?" in page and "1 open action is owned by this person" in page
    assert f'href="/actions/{open_one.id}"' in page and f'href="/actions/{done_one.id}"' not in page
    assert "Choose who takes them over." in page
    assert f'action="/admin/users/{person.id}/handover"' in page
    assert db.session.get(User, person.id).is_active is True  # looking changes nothing


def test_deactivation_page_says_when_there_is_nothing_to_hand_over(client, admin):
    person = make_user()
    db.session.commit()
    page = client.get(f"/admin/users/{person.id}/deactivate", headers=ENGLISH).get_data(as_text=True)
    assert "This person owns no open actions." in page


def test_deactivation_page_is_for_admins_only(client):
    org = make_organisation()
    person = make_user(organisation=org)
    sign_in(client, make_user(organisation=org))
    assert client.get(f"/admin/users/{person.id}/deactivate").status_code in (403, 404)


def test_the_action_page_marks_a_deactivated_owner(client, as_user):
    org = make_organisation()
    gone = make_user(organisation=org, is_active=False)
    action = make_action(agreement=make_agreement(lead_organisation=org), owner_organisation=org, owner=gone)
    as_user(make_user(organisation=org, language="en"))
    page = client.get(f"/actions/{action.id}", headers=ENGLISH).get_data(as_text=True)
    assert "deactivated account" in page


@pytest.fixture
def lead(as_user):
    org = make_organisation()
    me = make_user(organisation=org, language="en")
    as_user(me)
    return org


def test_ending_with_open_actions_asks_and_says_how_many(client, lead):
    agreement = make_agreement(lead_organisation=lead, status=AgreementStatus.ACTIVE)
    for _n in range(2):
        make_action(agreement=agreement, owner_organisation=lead)
    make_action(agreement=agreement, owner_organisation=lead, status=ActionStatus.DONE)
    db.session.commit()
    response = client.post(f"/agreements/{agreement.id}/status", data={"status": "ended", "version": 1},
                           headers=ENGLISH)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 actions of this agreement are still open." in page
    db.session.expire_all()
    assert db.session.get(Agreement, agreement.id).status is AgreementStatus.ACTIVE
    confirmed = client.post(f"/agreements/{agreement.id}/status",
                            data={"status": "ended", "version": 1, "confirmed": "yes"})
    assert confirmed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Agreement, agreement.id).status is AgreementStatus.ENDED


def test_ending_without_open_actions_needs_no_confirmation(client, lead):
    agreement = make_agreement(lead_organisation=lead, status=AgreementStatus.ACTIVE)
    make_action(agreement=agreement, owner_organisation=lead, status=ActionStatus.CANCELLED)
    db.session.commit()
    assert client.post(f"/agreements/{agreement.id}/status", data={"status": "ended", "version": 1}).status_code == 303


def test_another_organisation_cannot_reach_the_ending_confirmation(client, as_user):
    agreement = make_agreement(lead_organisation=make_organisation(), status=AgreementStatus.ACTIVE)
    make_action(agreement=agreement)
    as_user(make_user())
    assert client.post(f"/agreements/{agreement.id}/status", data={"status": "ended", "version": 1}).status_code == 403


def test_a_stale_save_shows_what_they_changed_and_keeps_mine(app):
    org = make_organisation()
    anna, bo = make_user(organisation=org, language="en"), make_user(organisation=org, language="en")
    action = make_action(agreement=make_agreement(lead_organisation=org), owner_organisation=org, owner=anna,
                         title="First")
    db.session.commit()
    clients = app.test_client(), app.test_client()
    sign_in(clients[0], anna)
    sign_in(clients[1], bo)
    loaded = {"title": action.title, "description": action.description or "", "blocked_reason": "",
              "owner_organisation_id": action.owner_organisation_id, "owner_id": action.owner_id,
              "deadline": action.deadline.isoformat(), "version": action.version}
    assert clients[0].post(f"/actions/{action.id}/edit", data=loaded | {"title": "Annas"}).status_code == 303
    response = clients[1].post(f"/actions/{action.id}/edit", data=loaded | {"title": "Bos"}, headers=ENGLISH)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="Bos"' in page
    table = page.split('class="stale-differences"', 1)[1].split("</table>", 1)[0]
    assert "<th scope=\"row\">Title</th><td>Annas</td><td>Bos</td>" in table
    assert table.count('scope="row"') == 1  # the fields nobody changed are not listed
    again = clients[1].post(f"/actions/{action.id}/edit", data=loaded | {"title": "Bos", "version": 2})
    assert again.status_code == 303  # having seen theirs, saving again is deliberate
    db.session.expire_all()
    assert db.session.get(Action, action.id).title == "Bos"
