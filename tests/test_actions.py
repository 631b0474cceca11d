"""Actions and progress updates through the app: the rules of the form, the history, and who is refused."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_action, make_agreement, make_organisation, make_user, make_viewer
from tracker.actions.models import Action, ActionStatus, ProgressUpdate
from tracker.audit.models import AuditEvent
from tracker.clock import utcnow
from tracker.extensions import db


@pytest.fixture
def w(app):
    """Agreement 2026-01-01..2027-12-31 led by Lead kommun, with Polisen and Skolan; one action owned by Polisen."""
    lead, police, school = (make_organisation(name=n) for n in ("Lead kommun", "Polisen", "Skolan"))
    outside = make_organisation(name="Utanför")
    world = SimpleNamespace(
        lead=lead, police=police, school=school, outside=outside,
        me=make_user(organisation=lead, name="Lena Lead", language="en"),
        officer=make_user(organisation=police, name="Per Police", language="en"),
        colleague=make_user(organisation=police, name="Petra Colleague"),
        teacher=make_user(organisation=school, name="Tove Teacher"),
        stranger=make_user(organisation=outside, name="Sven Stranger"),
        viewer=make_viewer(organisation=police, name="Vera Viewer"))
    world.agreement = make_agreement(lead_organisation=lead, parties=[lead, police, school],
                                     starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 12, 31))
    world.action = make_action(agreement=world.agreement, owner_organisation=police, owner=world.officer,
                               title="Night walks", deadline=dt.date(2026, 12, 31), progress=10)
    return world


def resolve(w, value):
    """Symbolic values in the parameter tables name objects of the world, which exist only inside a test."""
    return {"outside_org": lambda: w.outside.id, "school_org": lambda: w.school.id, "lead_user": lambda: w.me.id,
            "stranger": lambda: w.stranger.id}.get(value, lambda: value)()


def action_data(w, **changes) -> dict:
    values = {"title": "Homework club", "description": "Every Friday at the library.",
              "owner_organisation_id": w.police.id, "owner_id": w.colleague.id, "deadline": "2027-03-01"}
    return values | {k: resolve(w, v) for k, v in changes.items()}


def new_form(client, w, **changes) -> dict:
    """The new-action form as the browser would send it, with the one-time token the page issued."""
    page = client.get(f"/agreements/{w.agreement.id}/actions/new").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)
    return action_data(w, **changes) | {"once": once}


def create(client, w, **changes):
    return client.post(f"/agreements/{w.agreement.id}/actions/new", data=new_form(client, w, **changes))


def edit(client, w, **changes):
    return client.post(f"/actions/{w.action.id}/edit",
                       data=action_data(w, **({"title": "Edited title", "deadline_reason": "The school asked for it."}
                                              | changes)) | {"version": w.action.version})


def progress(client, action, **changes):
    data = {"text": "Met the school.", "status": "in_progress", "progress": "40", "blocked_reason": "",
            "version": action.version}
    return client.post(f"/actions/{action.id}/progress", data=data | changes)


def snapshot(action) -> tuple:
    db.session.expire_all()
    saved = db.session.get(Action, action.id)
    updates = db.session.scalar(select(func.count(ProgressUpdate.id)).where(ProgressUpdate.action_id == action.id))
    return (saved.title, saved.status, saved.progress, saved.deadline, saved.owner_id, saved.owner_organisation_id,
            saved.last_progress_at, saved.version, updates)


def action_count() -> int:
    return db.session.scalar(select(func.count(Action.id)))


def test_lead_coordinator_creates_an_action_for_another_party(client, as_user, w):
    as_user(w.me)
    response = create(client, w)
    assert response.status_code == 303 and response.location.endswith(f"/agreements/{w.agreement.id}")
    action = db.session.scalars(select(Action).where(Action.title == "Homework club")).one()
    assert (action.owner_organisation_id, action.owner_id, action.deadline, action.status, action.progress) == (
        w.police.id, w.colleague.id, dt.date(2027, 3, 1), ActionStatus.PLANNED, 0)
    assert (action.created_by_id, action.last_progress_at) == (w.me.id, None)
    assert db.session.scalar(select(AuditEvent.verb).where(AuditEvent.object_type == "actions",
                                                           AuditEvent.object_id == action.id)) == "create"


@pytest.mark.parametrize("deadline", ["2026-01-01", "2027-12-31"], ids=["first-day", "last-day"])
def test_deadline_on_the_agreements_first_or_last_day_is_accepted(client, as_user, w, deadline):
    as_user(w.me)
    assert create(client, w, deadline=deadline).status_code == 303
    assert action_count() == 2


BAD_ACTION = [
    ("owner_organisation_id", "owner_organisation_id", "outside_org"),
    ("owner_id", "owner_id", "stranger"),
    ("owner_id", "owner_id", "lead_user"),
    ("deadline", "deadline", "2025-12-31"),
    ("deadline", "deadline", "2028-01-01"),
    ("deadline", "deadline", ""),
    ("title", "title", ""),
]
BAD_ACTION_IDS = ["organisation-not-a-party", "owner-of-no-party", "owner-of-another-party", "deadline-before-start",
                  "deadline-after-end", "no-deadline", "empty-title"]


@pytest.mark.parametrize(("field", "error_field", "bad"), BAD_ACTION, ids=BAD_ACTION_IDS)
def test_bad_new_action_is_refused_next_to_the_field_and_saves_nothing(client, as_user, w, field, error_field, bad):
    as_user(w.me)
    response = create(client, w, **{field: bad})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{error_field}-error"' in page
    assert "Every Friday at the library." in page
    assert 'value="Homework club"' in page or field == "title"
    assert action_count() == 1


@pytest.mark.parametrize(("field", "error_field", "bad"), BAD_ACTION, ids=BAD_ACTION_IDS)
def test_bad_edit_is_refused_next_to_the_field_and_saves_nothing(client, as_user, w, field, error_field, bad):
    before = snapshot(w.action)
    as_user(w.me)
    response = edit(client, w, **{field: bad})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{error_field}-error"' in page
    assert "Every Friday at the library." in page
    assert 'value="Edited title"' in page or field == "title"
    assert snapshot(w.action) == before


def test_party_coordinator_may_create_actions_only_for_his_own_organisation(client, as_user, w):
    as_user(w.officer)
    response = create(client, w, owner_organisation_id="school_org", owner_id=w.teacher.id)
    assert 'id="owner_organisation_id-error"' in response.get_data(as_text=True)
    assert action_count() == 1
    assert create(client, w).status_code == 303
    assert action_count() == 2


def test_double_submitted_new_action_form_creates_one_action(client, as_user, w):
    as_user(w.me)
    data = new_form(client, w)
    first = client.post(f"/agreements/{w.agreement.id}/actions/new", data=data)
    second = client.post(f"/agreements/{w.agreement.id}/actions/new", data=data)
    assert (first.status_code, second.status_code) == (303, 303)
    assert action_count() == 2


def test_editing_an_action_does_not_move_last_progress_at(client, as_user, w):
    earlier = dt.datetime(2026, 10, 1, 8, tzinfo=dt.UTC)
    w.action.last_progress_at = earlier
    as_user(w.officer)
    loaded_version = w.action.version
    assert edit(client, w, deadline="2027-05-01").status_code == 303
    title, status, percent, deadline, *_, last_progress_at, version, updates = snapshot(w.action)
    assert (title, status, percent, deadline) == ("Edited title", ActionStatus.IN_PROGRESS, 10, dt.date(2027, 5, 1))
    assert (last_progress_at, version, updates) == (earlier, loaded_version + 1, 0)


@pytest.mark.parametrize("who", ["officer", "me"], ids=["owning-coordinator", "lead-coordinator"])
def test_status_and_progress_posted_to_the_edit_form_change_nothing_of_them(client, as_user, w, who):
    w.action.blocked_reason = ""
    as_user(getattr(w, who))
    assert edit(client, w, status="done", progress="100", blocked_reason="Closed by edit.").status_code == 303
    title, status, percent, *_ , updates = snapshot(w.action)
    assert (title, status, percent, updates) == ("Edited title", ActionStatus.IN_PROGRESS, 10, 0)
    assert db.session.get(Action, w.action.id).blocked_reason == ""
    assert "Closed by edit." not in str(db.session.scalars(select(AuditEvent.changes)).all())


def test_the_edit_form_offers_no_status_or_progress(client, as_user, w):
    as_user(w.officer)
    page = client.get(f"/actions/{w.action.id}/edit").get_data(as_text=True)
    assert 'name="status"' not in page and 'name="progress"' not in page and 'name="blocked_reason"' not in page


def test_a_new_action_starts_planned_at_nought_whatever_is_posted(client, as_user, w):
    as_user(w.me)
    assert create(client, w, status="done", progress="100", blocked_reason="x").status_code == 303
    action = db.session.scalars(select(Action).where(Action.title == "Homework club")).one()
    assert (action.status, action.progress, action.blocked_reason, action.last_progress_at) == (
        ActionStatus.PLANNED, 0, "", None)


def test_lead_coordinator_cannot_close_another_partys_action_by_any_route(client, as_user, w):
    before = snapshot(w.action)
    as_user(w.me)
    assert edit(client, w, title="Night walks", status="done", progress="100").status_code == 303
    assert progress(client, w.action, status="done", progress="100", text="Closing it.").status_code == 403
    assert progress(client, w.action, status="cancelled", text="Cancelling it.").status_code == 403
    assert snapshot(w.action)[1:3] == before[1:3] == (ActionStatus.IN_PROGRESS, 10)
    assert snapshot(w.action)[-1] == 0
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    assert f'action="/actions/{w.action.id}/progress"' not in page


def test_logging_progress_appends_to_the_history_and_moves_last_progress_at(client, as_user, w):
    as_user(w.officer)
    before = utcnow()
    assert progress(client, w.action).status_code == 303
    db.session.expire_all()
    update = db.session.scalars(select(ProgressUpdate)).one()
    assert (update.author_id, update.text, update.status_from, update.status_to, update.progress_from,
            update.progress_to) == (w.officer.id, "Met the school.", ActionStatus.IN_PROGRESS,
                                    ActionStatus.IN_PROGRESS, 10, 40)
    assert before <= update.at <= utcnow()
    assert (w.action.last_progress_at, w.action.progress, w.action.version) == (update.at, 40, 2)
    response = progress(client, w.action, text="The hall is closed.", status="blocked",
                        blocked_reason="Waiting for the caretaker.")
    assert response.status_code == 303
    assert snapshot(w.action)[1:3] == (ActionStatus.BLOCKED, 40) and snapshot(w.action)[-1] == 2
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    assert page.index("The hall is closed.") < page.index("Met the school.")
    assert "10 % → 40 %" in page and "In progress → Blocked" in page and "Waiting for the caretaker." in page
    assert page.count("Per Police") >= 3  # owner, and the author of both updates


def test_done_means_a_hundred_percent(client, as_user, w):
    as_user(w.officer)
    assert progress(client, w.action, status="done", progress="70").status_code == 303
    assert snapshot(w.action)[1:3] == (ActionStatus.DONE, 100)
    assert db.session.scalars(select(ProgressUpdate.progress_to)).one() == 100


def test_double_submitted_progress_is_refused_the_second_time(client, as_user, w):
    as_user(w.officer)
    data = {"text": "Met the school.", "status": "in_progress", "progress": "40", "version": w.action.version}
    first = client.post(f"/actions/{w.action.id}/progress", data=data)
    second = client.post(f"/actions/{w.action.id}/progress", data=data)
    assert (first.status_code, second.status_code) == (303, 200)
    page = second.get_data(as_text=True)
    assert "This action changed after you opened the page" in page and "Met the school." in page
    assert snapshot(w.action)[-1] == 1


@pytest.mark.parametrize(("changes", "error_field"), [
    ({"status": "blocked", "blocked_reason": ""}, "blocked_reason"),
    ({"text": "   "}, "text"),
    ({"progress": "101"}, "progress"),
    ({"status": "finished"}, "status"),
], ids=["blocked-without-reason", "no-text", "progress-101", "unknown-status"])
def test_bad_progress_is_refused_next_to_the_field_and_saves_nothing(client, as_user, w, changes, error_field):
    before = snapshot(w.action)
    as_user(w.officer)
    response = progress(client, w.action, **({"text": "Kept text."} | changes))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{error_field}-error"' in page
    assert "Kept text." in page or error_field == "text"
    assert snapshot(w.action) == before


@pytest.mark.parametrize("who", ["me", "teacher", "stranger", "viewer"])
def test_others_cannot_log_progress_on_an_action_of_another_organisation(client, as_user, w, who):
    before = snapshot(w.action)
    as_user(getattr(w, who))
    assert progress(client, w.action).status_code == 403
    assert snapshot(w.action) == before


@pytest.mark.parametrize("who", ["teacher", "stranger", "viewer"])
def test_others_cannot_edit_an_action_of_another_organisation(client, as_user, w, who):
    before = snapshot(w.action)
    as_user(getattr(w, who))
    assert client.get(f"/actions/{w.action.id}/edit").status_code == 403
    assert edit(client, w).status_code == 403
    assert snapshot(w.action) == before


def test_viewer_cannot_add_actions(client, as_user, w):
    as_user(w.viewer)
    assert client.get(f"/actions/{w.action.id}").status_code == 200
    assert client.get(f"/agreements/{w.agreement.id}/actions/new").status_code == 403
    assert client.post(f"/agreements/{w.agreement.id}/actions/new", data=action_data(w)).status_code == 403
    assert action_count() == 1


def test_no_progress_on_a_closed_action(client, as_user, w):
    done = make_action(agreement=w.agreement, owner_organisation=w.police, owner=w.officer, status=ActionStatus.DONE)
    before = snapshot(done)
    as_user(w.officer)
    assert progress(client, done).status_code == 403
    assert snapshot(done) == before


@pytest.mark.parametrize("path", ["/actions/999999", "/actions/999999/edit", "/agreements/999999/actions/new"])
def test_unknown_action_or_agreement_is_404(client, as_user, w, path):
    as_user(w.me)
    assert client.get(path).status_code == 404


def test_changes_to_an_action_are_shown_in_its_history(app, client, as_user, w):
    as_user(w.me)
    assert edit(client, w, deadline="2027-03-01", owner_id=w.colleague.id).status_code == 303
    officer = app.test_client()
    sign_in(officer, w.officer)
    assert progress(officer, w.action, progress="50").status_code == 303
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    history = re.sub(r'<span lang="sv">(.*?)</span>', r"\1", page[page.index("Changes to the action"):])
    assert "Title: Night walks → Edited title" in history
    assert "Deadline: 2026-12-31 → 2027-03-01" in history
    assert "Owner: Per Police → Petra Colleague" in history
    assert "Lena Lead · changed" in history


def test_closing_through_a_progress_update_is_recorded_and_reported_as_completed(client, as_user, w):
    from tracker.actions.today import thresholds
    from tracker.clock import local_today
    from tracker.reports.content import build
    from tracker.reports.period import Month

    w.agreement.starts_on = local_today().replace(day=1) - dt.timedelta(days=40)
    w.agreement.ends_on = None
    as_user(w.officer)
    before = utcnow()
    assert progress(client, w.action, status="done", progress="100", text="All walks held.").status_code == 303
    update = db.session.scalars(select(ProgressUpdate)).one()
    assert (update.author_id, update.text, update.status_from, update.status_to) == (
        w.officer.id, "All walks held.", ActionStatus.IN_PROGRESS, ActionStatus.DONE)
    assert before <= update.at <= utcnow()
    content = build([w.agreement], Month.of(local_today()), local_today(), thresholds())
    assert [row.state.id for row in content.completed] == [w.action.id]
