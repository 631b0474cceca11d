"""Each person's e-mail settings: the weekly digest yes or no and its weekday. Only the person themself changes
them; bad input is refused next to the field with nothing saved and nothing lost; every change is audited."""
import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_admin, make_user, make_viewer
from tracker import policy
from tracker.accounts.models import User
from tracker.audit.models import AuditEvent
from tracker.extensions import db

PAGE = "/account/e-mail"
ENGLISH = {"Accept-Language": "en"}


def saved(user) -> tuple[bool, int]:
    db.session.expire_all()
    fresh = db.session.get(User, user.id)
    return fresh.wants_digest, fresh.digest_weekday


def post(client, user, **data):
    values = {"wants_digest": "y", "digest_weekday": "0", "version": str(user.version)} | data
    return client.post(PAGE, data={k: v for k, v in values.items() if v is not None})


def test_the_page_is_linked_from_the_header_and_says_notices_cannot_be_switched_off(client):
    me = make_user(language="en", email="me@example.se")
    sign_in(client, me)
    home = client.get("/").get_data(as_text=True)
    assert f'<a href="{PAGE}">E-mail</a>' in home
    page = client.get(PAGE).get_data(as_text=True)
    assert "Samverka writes to me@example.se." in page
    assert "Only you can change these settings; an administrator cannot." in page
    assert "cannot be switched off, by you or by anyone else" in page
    assert '<input checked id="wants_digest" name="wants_digest" type="checkbox" value="y">' in page
    assert '<option selected value="0">Monday</option>' in page


def test_the_page_in_swedish(client):
    sign_in(client, make_user(language="sv"))
    page = client.get(PAGE).get_data(as_text=True)
    assert "E-post från Samverka" in page and "går inte att stänga av" in page
    assert '<option value="3">torsdag</option>' in page


def test_a_person_chooses_another_weekday_and_it_is_audited(client):
    me = make_user(language="en")
    sign_in(client, me)
    response = post(client, me, digest_weekday="4")
    assert response.status_code == 303 and response.location.endswith(PAGE)
    assert saved(me) == (True, 4)
    assert "Your e-mail settings are saved." in client.get(PAGE).get_data(as_text=True)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.verb == "update",
                                                          AuditEvent.object_type == "users")).all()
    assert event.actor_id == me.id and event.object_id == me.id and event.changes == {"digest_weekday": [0, 4]}
    client.post("/logout")
    sign_in(client, make_admin(language="en"))
    log = client.get("/admin/audit/").get_data(as_text=True)
    assert "Weekly summary&#39;s day: Monday → Friday" in log


def test_a_person_opts_out_and_back_in(client):
    me = make_viewer()
    sign_in(client, me)
    assert post(client, me, wants_digest=None).status_code == 303  # an unticked box is not sent
    assert saved(me) == (False, 0)
    assert post(client, me, version=str(saved_version(me))).status_code == 303
    assert saved(me) == (True, 0)


def saved_version(user) -> int:
    db.session.expire_all()
    return db.session.get(User, user.id).version


def test_saving_what_is_already_saved_changes_and_audits_nothing(client):
    me = make_user()
    sign_in(client, me)
    assert post(client, me).status_code == 303
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.verb == "update")).all() == []


@pytest.mark.parametrize("weekday", ["7", "-1", "abc", "", "9" * 40, "å" * 10_000, "1\r\n2", "<script>",
                                     "19811218-9876"],
                         ids=["eight", "negative", "word", "empty", "40-digits", "huge", "crlf", "markup",
                              "personnummer"])
def test_a_weekday_that_is_none_is_refused_next_to_the_field_and_nothing_is_saved(client, weekday):
    me = make_user(language="en")
    sign_in(client, me)
    response = post(client, me, wants_digest=None, digest_weekday=weekday)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="digest_weekday-error">Choose a day of the week.' in page
    assert '<input id="wants_digest" name="wants_digest" type="checkbox" value="y">' in page  # kept unticked
    assert "<script>" not in page
    assert saved(me) == (True, 0)


def test_a_stale_form_is_refused_with_what_differs_and_the_input_kept(client):
    me = make_user(language="en")
    sign_in(client, me)
    old_version = me.version
    assert post(client, me, digest_weekday="2").status_code == 303
    response = post(client, me, digest_weekday="5", version=str(old_version))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your settings were changed elsewhere meanwhile." in page
    assert '<option selected value="5">Saturday</option>' in page
    assert saved(me) == (True, 2)


def test_nobody_else_can_change_mine(client):
    """The page names no person: whoever signs in sees and changes their own settings, whatever they send."""
    me, admin = make_user(), make_admin(language="en")
    sign_in(client, admin)
    response = post(client, admin, wants_digest=None, user_id=str(me.id), id=str(me.id), email=me.email)
    assert response.status_code == 303
    assert saved(me) == (True, 0) and saved(admin) == (False, 0)
    # The administrator's account form offers no digest settings, and ignores them when sent.
    page = client.get(f"/admin/users/{me.id}/edit").get_data(as_text=True)
    assert "wants_digest" not in page and "digest_weekday" not in page
    client.post(f"/admin/users/{me.id}/edit", data={
        "name": me.name, "email": me.email, "organisation_id": me.organisation_id, "role": "coordinator",
        "language": "", "version": me.version, "wants_digest": "", "digest_weekday": "3"})
    assert saved(me) == (True, 0)


@pytest.mark.parametrize("maker", [make_user, make_viewer, make_admin], ids=["coordinator", "viewer", "admin"])
def test_the_policy_lets_each_person_change_only_their_own(app, maker):
    me, other = maker(), make_user()
    assert policy.can_change_mail_preferences(me, me)
    assert not policy.can_change_mail_preferences(me, other)
    me.is_active = False
    assert not policy.can_change_mail_preferences(me, me)


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client):
    me = make_user()
    response = client.post(PAGE, data={"digest_weekday": "3", "version": me.version})
    assert response.status_code == 302 and "/login" in response.location
    assert client.get(PAGE).status_code == 302
    assert saved(me) == (True, 0)
