"""Fields that name something (titles, a next step, a meeting, an organisation's names) hold one line: a line break
or tab is refused next to the field, with what was typed kept and nothing saved. Such text goes into e-mail subjects
and one-line lists, where a line break would split it."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_admin, make_agreement, make_organisation
from tests.test_agreements import once_token
from tracker.actions.models import Action, ProgressUpdate
from tracker.clock import local_today
from tracker.extensions import db

ENGLISH = {"Accept-Language": "en"}
MESSAGE = "Write this on one line, without line breaks."
HOSTILE = ["Rad ett\r\nBcc: victim@example.se", "Rad ett\nRad två", "Rad\tett"]


@pytest.fixture
def w(client, as_user):
    lead = make_organisation(name="Polisen", short_name="Pol")
    admin = make_admin(organisation=lead)
    agreement = make_agreement(lead_organisation=lead, parties=[lead], starts_on=dt.date(2020, 1, 1), ends_on=None)
    action = make_action(agreement=agreement, owner_organisation=lead, deadline=local_today() + dt.timedelta(days=30))
    db.session.commit()
    as_user(admin)
    return agreement, action, lead


def refused(response) -> bool:
    page = response.get_data(as_text=True)
    return response.status_code == 200 and MESSAGE in page


@pytest.mark.parametrize("text", HOSTILE)
def test_an_action_title_on_two_lines_is_refused_and_nothing_is_added(client, w, text):
    agreement, _action, lead = w
    url = f"/agreements/{agreement.id}/actions/new"
    response = client.post(url, headers=ENGLISH, data={
        "title": text, "owner_organisation_id": lead.id, "once": once_token(client, url)})
    assert refused(response) and text.split()[0] in response.get_data(as_text=True)  # kept as typed
    assert db.session.scalar(select(func.count(Action.id))) == 1


@pytest.mark.parametrize("text", HOSTILE)
def test_a_next_step_on_two_lines_is_refused_and_no_update_is_logged(client, w, text):
    _agreement, action, _lead = w
    response = client.post(f"/actions/{action.id}/progress", headers=ENGLISH, data={
        "text": "Mötet hölls.", "status": "in_progress", "progress": 20, "blocked_reason": "", "next_step": text,
        "next_step_on": (local_today() + dt.timedelta(days=7)).isoformat(), "version": action.version})
    assert refused(response) and "Mötet hölls." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 0


@pytest.mark.parametrize("field", ["name", "short_name", "municipality"])
def test_an_organisations_names_on_two_lines_are_refused(client, w, field):
    _agreement, _action, lead = w
    data = {"name": lead.name, "short_name": lead.short_name, "kind": lead.kind.value, "municipality": "",
            "contact_email": "", "version": lead.version} | {field: HOSTILE[0]}
    assert refused(client.post(f"/admin/organisations/{lead.id}/edit", headers=ENGLISH, data=data))
    db.session.expire_all()
    assert (lead.name, lead.short_name) == ("Polisen", "Pol")


@pytest.mark.parametrize("field", ["title", "reference_number", "area"])
def test_an_agreements_names_on_two_lines_are_refused(client, w, field):
    agreement, _action, lead = w
    data = {"title": agreement.title, "theme": agreement.theme.value, "starts_on": "2020-01-01",
            "lead_organisation_id": lead.id, "party_ids": [lead.id], "version": agreement.version,
            field: HOSTILE[0]}
    assert refused(client.post(f"/agreements/{agreement.id}/edit", headers=ENGLISH, data=data))
    db.session.expire_all()
    assert "\n" not in (agreement.title + (agreement.reference_number or "") + (agreement.area or ""))
