"""Each rule decided in one place: the party rule in policy (form and service ask it), and services that leave the
caller's unit of work to the caller."""
import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user
from tests.test_agreements import agreement_data, once_token
from tracker import policy
from tracker.actions import services as action_services
from tracker.agreements import services as agreement_services
from tracker.agreements.models import Agreement
from tracker.editing import StaleEdit
from tracker.extensions import db
from tracker.organisations.models import Organisation


@pytest.mark.parametrize(("who", "own_is_party", "allowed"), [
    ("coordinator", True, True), ("coordinator", False, False), ("admin", False, True)],
    ids=["own-organisation-a-party", "another-organisation-only", "admin-any-parties"])
def test_can_set_parties(app, who, own_is_party, allowed):
    mine, other = make_organisation(), make_organisation()
    user = make_admin(organisation=mine) if who == "admin" else make_user(organisation=mine)
    parties = [mine.id, other.id] if own_is_party else [other.id]
    assert policy.can_set_parties(user, parties) is allowed


def test_form_refuses_agreement_without_own_organisation_and_keeps_input(client, as_user):
    mine, other = make_organisation(), make_organisation()
    as_user(make_user(organisation=mine, language="en"))
    data = agreement_data(other, parties=[other], title="Utan oss") | {"once": once_token(client, "/agreements/new")}
    page = client.post("/agreements/new", data=data).get_data(as_text=True)
    assert "Your own organisation must be one of the parties." in page
    assert 'value="Utan oss"' in page
    assert db.session.scalar(select(func.count()).select_from(Agreement)) == 0


def test_edit_refuses_dropping_own_organisation(client, as_user):
    mine, other = make_organisation(), make_organisation()
    agreement = make_agreement(parties=[mine, other])
    as_user(make_user(organisation=mine, language="en"))
    data = agreement_data(other, parties=[other]) | {"version": agreement.version, "starts_on": "2026-01-01"}
    page = client.post(f"/agreements/{agreement.id}/edit", data=data).get_data(as_text=True)
    assert "Your own organisation must remain one of the parties." in page
    assert db.session.get(Agreement, agreement.id).lead_organisation_id == mine.id


def test_service_asks_the_same_rule(app):
    mine, other = make_organisation(), make_organisation()
    with pytest.raises(agreement_services.NotAParty):
        agreement_services.create_agreement(agreement_data(other, parties=[other]) | {"starts_on": None},
                                            by=make_user(organisation=mine))


def test_stale_save_inside_a_larger_unit_of_work_keeps_the_callers_changes(app):
    action = make_action()
    user = make_user(organisation=action.owner_organisation)
    db.session.commit()
    pending = make_organisation(name="Pending partner")  # the caller's own, uncommitted work
    data = {f: getattr(action, f) for f in action_services.FIELDS} | {"title": "Changed"}
    with pytest.raises(StaleEdit):
        action_services.update_action(action, data, by=user, version=action.version + 1)
    assert pending in db.session
    db.session.commit()
    assert db.session.scalar(select(Organisation.id).where(Organisation.name == "Pending partner")) == pending.id


def test_a_services_save_is_undone_when_the_caller_rolls_back(app):
    action = make_action(title="Before")
    user = make_user(organisation=action.owner_organisation)
    db.session.commit()
    data = {f: getattr(action, f) for f in action_services.FIELDS} | {"title": "After"}
    action_services.update_action(action, data, by=user, version=action.version)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(type(action), action.id).title == "Before"


def test_owner_choices_rule_is_a_can_function(app):
    lead, party = make_organisation(), make_organisation()
    agreement = make_agreement(parties=[lead, party])
    assert policy.can_assign_actions_to_any_party(make_user(organisation=lead), agreement)
    assert not policy.can_assign_actions_to_any_party(make_user(organisation=party), agreement)


def test_a_page_reads_today_once(client, as_user, monkeypatch):
    import tracker.clock

    action = make_action()
    as_user(make_user(organisation=action.owner_organisation))
    calls = []
    real = tracker.clock.local_today
    monkeypatch.setattr(tracker.clock, "local_today", lambda: calls.append(1) or real())
    for url in ("/", f"/agreements/{action.agreement_id}", "/actions/"):
        calls.clear()
        assert client.get(url).status_code == 200
        assert len(calls) == 1, url


def test_organisation_list_filters_with_the_filter_form(client, as_user):
    as_user(make_admin(language="en"))
    make_organisation(name="Polisen Järva")
    page = client.get("/admin/organisations/?q=" + "x" * 201).get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "Polisen Järva" in page  # refused next to the field, filters nothing
    page = client.get("/admin/organisations/?q=j%C3%A4rva").get_data(as_text=True)
    assert 'value="järva"' in page and "Clear filters" in page
