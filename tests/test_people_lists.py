"""Lists that name people offer only the people the user may see (policy.visible_people), never the county's
directory: the owner filter of the action list and the steering-group choices of the agreement form."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user, make_viewer
from tracker import policy
from tracker.accounts.models import User
from tracker.extensions import db


@pytest.fixture
def w(app):
    """Lead and Partner share an agreement with a steering-group member from Län; Hidden has its own with Secret."""
    lead, partner, county, hidden = (make_organisation(name=n) for n in ("Lead", "Partner", "Län", "Hidden"))
    world = SimpleNamespace(lead=lead, partner=partner, hidden=hidden,
                            me=make_user(organisation=lead, name="Maja Me", language="en"),
                            partner_user=make_user(organisation=partner, name="Pia Partner"),
                            chair=make_viewer(organisation=county, name="Cecilia Chair"),
                            county_other=make_user(organisation=county, name="Karl County"),
                            gone=make_user(organisation=partner, name="Gustav Gone", is_active=False),
                            gone_idle=make_user(organisation=partner, name="Ivar Idle", is_active=False),
                            secret=make_user(organisation=hidden, name="Sara Secret"),
                            hidden_chair=make_viewer(organisation=county, name="Hugo Hidden-Chair"))
    world.shared = make_agreement(lead_organisation=lead, parties=[lead, partner], steering_group=[world.chair])
    world.other = make_agreement(lead_organisation=hidden, steering_group=[world.hidden_chair])
    make_action(agreement=world.shared, owner_organisation=partner, owner=world.gone)
    world.secret_action = make_action(agreement=world.other, owner=world.secret)
    return world


def owner_options(page: str) -> dict[str, str]:
    select_html = page[page.index('name="owner"'):]
    select_html = select_html[:select_html.index("</select>")]
    return dict(re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>', select_html))


def test_owner_filter_offers_the_people_of_agreements_the_user_reads(client, as_user, w):
    as_user(w.me)
    offered = owner_options(client.get("/actions/").get_data(as_text=True))
    assert set(offered) == {str(u.id) for u in (w.me, w.partner_user, w.chair, w.gone)}
    assert offered[str(w.gone.id)] == f"Gustav Gone ({w.partner.short_name}, deactivated)"


def test_coordinator_of_another_organisation_cannot_see_or_filter_by_hidden_people(client, as_user, w):
    as_user(w.me)
    response = client.get(f"/actions/?owner={w.secret.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="owner-error"' in page
    assert "Sara Secret" not in page and "Hugo Hidden-Chair" not in page and "Karl County" not in page
    assert f'href="/actions/{w.secret_action.id}"' not in page


def test_admin_is_offered_everyone(client, as_user, w):
    as_user(make_admin(organisation=w.lead))
    offered = owner_options(client.get("/actions/").get_data(as_text=True))
    assert {str(w.secret.id), str(w.gone_idle.id), str(w.county_other.id)} <= set(offered)


def test_the_sql_rule_sees_oneself_even_without_any_agreement(app, w):
    loner = make_user(organisation=make_organisation(name="Alone"))
    assert db.session.scalars(select(User.id).where(policy.visible_people(loner))).all() == [loner.id]


def steering_options(page: str) -> set[str]:
    return set(re.findall(r'name="steering_group_ids"[^>]*value="(\d+)"', page))


def test_steering_group_choices_are_visible_people_and_chosen_parties(client, as_user, w):
    as_user(w.me)
    offered = steering_options(client.get("/agreements/new").get_data(as_text=True))
    assert offered == {str(u.id) for u in (w.me, w.partner_user, w.chair)}  # active only: Gustav Gone is not
    page = client.get(f"/agreements/{w.shared.id}/edit").get_data(as_text=True)
    assert steering_options(page) == offered


def test_ticking_an_organisation_as_a_party_does_not_list_its_people(client, as_user, w):
    as_user(w.me)
    page = client.get("/agreements/new").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/agreements/new", data={
        "title": "", "theme": "other", "starts_on": "2026-01-01", "lead_organisation_id": w.lead.id,
        "party_ids": [w.lead.id, w.hidden.id], "once": once})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="title-error"' in page
    assert steering_options(page) == {str(u.id) for u in (w.me, w.partner_user, w.chair)}
    assert "Sara Secret" not in page


def test_a_hidden_person_cannot_be_put_in_a_steering_group(client, as_user, w):
    as_user(w.me)
    page = client.get("/agreements/new").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/agreements/new", data={
        "title": "Ny", "theme": "other", "starts_on": "2026-01-01", "lead_organisation_id": w.lead.id,
        "party_ids": [w.lead.id], "steering_group_ids": [w.secret.id], "once": once})
    assert response.status_code == 200
    assert 'id="steering_group_ids-error"' in response.get_data(as_text=True)
    assert "Sara Secret" not in response.get_data(as_text=True)


def test_current_members_stay_choosable_even_when_deactivated(client, as_user, w):
    w.chair.is_active = False
    as_user(w.me)
    page = client.get(f"/agreements/{w.shared.id}/edit").get_data(as_text=True)
    assert str(w.chair.id) in steering_options(page) and "Cecilia Chair" in page and "deactivated" in page
