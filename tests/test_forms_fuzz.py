"""Random, unicode, huge and malformed values thrown at every form: never a 500, and nothing changes that the
user may not touch."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user
from tracker.accounts.models import User
from tracker.actions.models import Action, ProgressUpdate
from tracker.agreements.models import Agreement
from tracker.extensions import db
from tracker.organisations.models import Organisation

NASTY = ["", " ", "0", "-1", "101", "1e309", "NaN", "abc", "2026-02-30", "0000-00-00", "9999-12-31", "2026-11",
         "<script>alert(1)</script>", "' OR 1=1 --", "811218-9876", "é" * 300, "𝕊𝕒𝕞𝕧𝕖𝕣𝕜𝕒", "\u202e", "None",
         "[]", "{}", "9" * 400, "/\\//evil.example", "javascript:alert(1)"]
value = st.one_of(st.sampled_from(NASTY), st.text(max_size=60), st.text(max_size=3).map(lambda s: s * 3000),
                  st.integers(min_value=-2**63, max_value=2**63).map(str))

FORMS = {
    "agreements.new": ["title", "reference_number", "purpose", "theme", "area", "starts_on", "ends_on",
                       "next_review_on", "lead_organisation_id", "party_ids", "steering_group_ids", "once"],
    "agreements.edit": ["title", "purpose", "theme", "starts_on", "ends_on", "lead_organisation_id", "party_ids",
                        "steering_group_ids", "version"],
    "agreements.change_status": ["status", "version"],
    "actions.new": ["title", "description", "owner_organisation_id", "owner_id", "deadline", "status", "progress",
                    "blocked_reason", "once"],
    "actions.edit": ["title", "description", "owner_organisation_id", "owner_id", "deadline", "status", "progress",
                     "blocked_reason", "version"],
    "actions.log_progress": ["text", "status", "progress", "blocked_reason", "version"],
    "reports.index": ["agreement_ids", "month", "language"],
    "auth.change_password": ["current_password", "new_password", "confirm"],
    "auth.forgot_password": ["email"],
    "invitations.new": ["name", "email", "organisation_id", "role", "language"],
    "i18n.set_language": ["language", "next"],
}
ADMIN_FORMS = {
    "organisations.new": ["name", "short_name", "kind", "municipality", "contact_email"],
    "organisations.edit": ["name", "short_name", "kind", "municipality", "contact_email", "version"],
    "accounts.new": ["name", "email", "organisation_id", "role", "language", "first_password", "new_password",
                     "confirm"],
    "accounts.send_invitation": ["version"],
    "accounts.edit": ["name", "email", "organisation_id", "role", "language", "version"],
    "accounts.temporary_password": ["new_password", "confirm", "version"],
}


def snapshot(agreement_id: int) -> tuple:
    """Everything about another organisation's agreement, and every account and organisation."""
    db.session.expire_all()
    agreement = db.session.get(Agreement, agreement_id)
    actions = db.session.scalars(select(Action).where(Action.agreement_id == agreement_id)).all()
    updates = db.session.scalars(select(ProgressUpdate).join(Action).where(Action.agreement_id == agreement_id)).all()
    return (
        (agreement.title, agreement.version, tuple(agreement.party_ids), tuple(agreement.steering_group_ids)),
        tuple((a.title, a.status, a.progress, a.deadline, a.owner_id, a.version) for a in actions),
        len(updates),
        tuple(db.session.execute(select(User.email, User.role, User.is_active, User.password_hash,
                                        User.organisation_id).order_by(User.id))),
        tuple(db.session.execute(select(Organisation.name, Organisation.is_active).order_by(Organisation.id))),
    )


@pytest.fixture
def world(app):
    mine, theirs = make_organisation(name="Mine"), make_organisation(name="Theirs")
    me = make_user(organisation=mine)
    their_user = make_user(organisation=theirs)
    my_agreement = make_agreement(lead_organisation=mine, parties=[mine])
    my_action = make_action(agreement=my_agreement, owner=me, created_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC))
    their_agreement = make_agreement(lead_organisation=theirs, parties=[theirs], steering_group=[their_user])
    make_action(agreement=their_agreement, owner=their_user)
    admin = make_admin(organisation=theirs)
    db.session.commit()
    ids = dict(agreement_id=my_agreement.id, action_id=my_action.id, user_id=their_user.id, organisation_id=theirs.id)
    return me, admin, their_agreement.id, ids


def _url(app, endpoint: str, ids: dict) -> str:
    rule = next(app.url_map.iter_rules(endpoint))
    return rule.build({k: ids[k] for k in rule.arguments})[1]


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])


@pytest.mark.parametrize("endpoint", sorted(FORMS))
@SETTINGS
@given(data=st.data())
def test_coordinator_forms_never_fail_and_never_touch_what_is_not_theirs(app, client, world, endpoint, data):
    me, _admin, their_agreement_id, ids = world
    if client.get("/").status_code != 200:  # signed in once; hypothesis reruns this body many times
        sign_in(client, me)
    before = snapshot(their_agreement_id)
    fields = {name: data.draw(value, label=name) for name in FORMS[endpoint]}
    response = client.post(_url(app, endpoint, ids), data=fields)
    assert response.status_code < 500
    assert response.status_code != 400 or any("\x00" in v for v in fields.values())
    assert snapshot(their_agreement_id)[:3] == before[:3]
    assert snapshot(their_agreement_id)[3:] == before[3:] or endpoint == "auth.change_password"


@pytest.mark.parametrize("endpoint", sorted(ADMIN_FORMS))
@SETTINGS
@given(data=st.data())
def test_admin_forms_never_fail(app, client, world, endpoint, data):
    _me, admin, their_agreement_id, ids = world
    if client.get("/").status_code != 200:
        sign_in(client, admin)
    before = snapshot(their_agreement_id)[:3]
    fields = {name: data.draw(value, label=name) for name in ADMIN_FORMS[endpoint]}
    response = client.post(_url(app, endpoint, ids), data=fields)
    assert response.status_code < 500
    assert snapshot(their_agreement_id)[:3] == before


@pytest.mark.parametrize("progress", ["9" * 400, "-" + "9" * 400, "101", "-1", "1.5"])
def test_out_of_range_progress_is_refused_next_to_the_field(client, world, progress):
    me, _admin, _theirs, ids = world
    sign_in(client, me)
    response = client.post(f"/actions/{ids['action_id']}/progress",
                           data={"text": "Vi har träffats.", "status": "in_progress", "progress": progress,
                                 "version": "1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="progress-error"' in page and "Vi har träffats." in page


def test_nul_byte_is_refused_with_400(client, world):
    me, _admin, _theirs, ids = world
    sign_in(client, me)
    response = client.post(f"/actions/{ids['action_id']}/progress", data={"text": "a\x00b", "status": "planned",
                                                                          "progress": "1", "version": "1"})
    assert response.status_code == 400
    assert client.get("/agreements/?q=a%00b").status_code == 400
