"""The steering group's page: recording a decision applies every change it makes or none; only the lead
organisation's coordinators and admins record; bad input is refused next to the field with nothing saved."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user, make_viewer
from tests.test_query_counts import statements_for
from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus, DeadlineChange, ProgressUpdate
from tracker.agreements.models import Agreement
from tracker.audit.models import AuditEvent
from tracker.clock import local_today
from tracker.extensions import db
from tracker.steering import queries, services
from tracker.steering.models import Decision, DecisionEffect, EffectKind


@pytest.fixture
def w(app):
    """Agreement 2026-01-01..2027-12-31 led by Stadsdelen, with Polisen and Skolan as parties; four open actions."""
    lead, police, school, outside = (make_organisation(name=n, short_name=n[:3]) for n in
                                     ("Stadsdelen", "Polisen", "Skolan", "Utanför"))
    world = SimpleNamespace(lead=lead, police=police, school=school, outside=outside)
    world.secretary = make_user(organisation=lead, name="Sara Sekreterare", language="en")
    world.admin = make_admin(organisation=outside, language="en")
    world.officer = make_user(organisation=police, name="Per Polis", language="en")
    world.colleague = make_user(organisation=police, name="Petra Polis")
    world.gone = make_user(organisation=police, name="Gunnar Gått", is_active=False)
    world.teacher = make_user(organisation=school, name="Tove Lärare")
    world.stranger = make_user(organisation=outside, name="Sven Utanför")
    world.member = make_viewer(organisation=outside, name="Vera Styrgrupp", language="en")
    world.agreement = make_agreement(lead_organisation=lead, parties=[lead, police, school],
                                     steering_group=[world.member],
                                     starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 12, 31))
    world.other_agreement = make_agreement(lead_organisation=lead)
    world.foreign_action = make_action(agreement=world.other_agreement, title="Annat avtal")

    def action(title, **kw):
        return make_action(agreement=world.agreement, owner_organisation=police, owner=world.officer, title=title,
                           deadline=dt.date(2026, 10, 31), **kw)
    world.walks, world.cameras, world.cafe, world.lights = (action(t) for t in
                                                            ("Nattvandringar", "Kameror", "Kafé", "Belysning"))
    return world


def decision_data(w, rows=(), **changes) -> dict:
    data = {"decided_on": (local_today() - dt.timedelta(days=3)).isoformat(), "meeting": "Styrgruppsmöte 14 oktober",
            "text": "Styrgruppen beslutar om åtgärderna.", "once": ""}
    for n, row in enumerate(rows):
        data |= {f"effects-{n}-{name}": value for name, value in row.items()}
    return data | changes


def post_decision(client, w, rows=(), **changes):
    page = client.get(f"/agreements/{w.agreement.id}/steering").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="([^"]*)"', page)
    data = decision_data(w, rows, **changes) | {"once": once.group(1) if once else ""}
    return client.post(f"/agreements/{w.agreement.id}/steering/decisions", data=data)


def four_effects(w) -> list[dict]:
    return [{"action_id": w.walks.id, "kind": "new_deadline", "new_deadline": "2027-03-31"},
            {"action_id": w.cameras.id, "kind": "new_owner", "new_owner_id": w.colleague.id},
            {"action_id": w.cafe.id, "kind": "cancel"},
            {"action_id": w.lights.id, "kind": "accepted_delay"}]


def state(w) -> tuple:
    db.session.expire_all()
    actions = tuple((a.deadline, a.owner_id, a.status, a.version) for a in
                    (db.session.get(Action, x.id) for x in (w.walks, w.cameras, w.cafe, w.lights)))
    counts = tuple(db.session.scalar(select(func.count()).select_from(m))
                   for m in (Decision, DecisionEffect, DeadlineChange, ProgressUpdate))
    return actions, counts


def test_a_decision_applies_each_change_in_one_go(client, as_user, w):
    as_user(w.secretary)
    response = post_decision(client, w, four_effects(w))
    assert response.status_code == 303 and response.location.endswith(f"/agreements/{w.agreement.id}/steering")
    decision = db.session.scalars(select(Decision)).one()
    assert [(e.action_id, e.kind) for e in decision.effects] == [
        (w.walks.id, EffectKind.NEW_DEADLINE), (w.cameras.id, EffectKind.NEW_OWNER), (w.cafe.id, EffectKind.CANCEL),
        (w.lights.id, EffectKind.ACCEPTED_DELAY)]
    db.session.expire_all()
    walks, cameras, cafe, lights = (db.session.get(Action, a.id) for a in (w.walks, w.cameras, w.cafe, w.lights))
    assert walks.deadline == dt.date(2027, 3, 31)
    assert moves(walks) == [(dt.date(2026, 10, 31), dt.date(2027, 3, 31), decision.id, "")]
    assert cameras.owner_id == w.colleague.id
    assert cafe.status is ActionStatus.CANCELLED
    [update] = cafe.updates
    assert "Styrgruppsmöte 14 oktober" in update.text and update.status_to is ActionStatus.CANCELLED
    assert (lights.status, lights.deadline, lights.owner_id) == (ActionStatus.IN_PROGRESS, dt.date(2026, 10, 31),
                                                                 w.officer.id)
    assert db.session.scalar(select(AuditEvent.verb).where(AuditEvent.object_type == "decisions")) == "create"


def moves(action) -> list[tuple]:
    return [(c.moved_from, c.moved_to, c.decision_id, c.reason) for c in
            db.session.scalars(select(DeadlineChange).where(DeadlineChange.action_id == action.id))]


def test_the_decision_shows_on_the_steering_page_and_on_each_action_it_changed(client, as_user, w):
    as_user(w.secretary)
    post_decision(client, w, four_effects(w))
    client.post("/logout")
    as_user(w.member)
    page = client.get(f"/agreements/{w.agreement.id}/steering").get_data(as_text=True)
    assert "Styrgruppen beslutar om åtgärderna." in page and "new owner: Petra Polis" in page
    assert "Record a decision" not in page  # a steering-group member reads, never records
    for action in (w.walks, w.cameras, w.cafe, w.lights):
        shown = client.get(f"/actions/{action.id}").get_data(as_text=True)
        assert "Steering-group decisions" in shown and "Styrgruppsmöte 14 oktober" in shown
    walks = client.get(f"/actions/{w.walks.id}").get_data(as_text=True)
    assert "Decided by the steering group on" in walks and "first promised 31 Oct 2026" in walks
    assert "Steering-group decisions" not in client.get(f"/actions/{w.foreign_action.id}").get_data(as_text=True)


def test_decisions_are_listed_newest_first(client, as_user, w):
    as_user(w.secretary)
    post_decision(client, w, decided_on="2026-09-01", text="Det äldre beslutet.")
    post_decision(client, w, decided_on="2026-10-14", text="Det nyare beslutet.")
    page = client.get(f"/agreements/{w.agreement.id}/steering").get_data(as_text=True)
    assert page.index("Det nyare beslutet.") < page.index("Det äldre beslutet.")


@pytest.mark.parametrize("who", ["officer", "teacher", "stranger", "member"],
                         ids=["coordinator-of-another-party", "coordinator-of-a-third-party",
                              "coordinator-of-a-non-party", "viewer-in-the-steering-group"])
def test_only_the_lead_organisation_and_admins_record_decisions(client, as_user, w, who):
    before = state(w)
    as_user(getattr(w, who))
    response = client.post(f"/agreements/{w.agreement.id}/steering/decisions",
                           data=decision_data(w, four_effects(w)))
    assert response.status_code in (403, 404)
    assert client.post(f"/agreements/{w.agreement.id}/steering/next-meeting",
                       data={"next_meeting_on": "2027-01-20"}).status_code in (403, 404)
    assert state(w) == before


def test_a_stranger_may_not_even_read_the_steering_page(client, as_user, w):
    as_user(w.stranger)
    assert client.get(f"/agreements/{w.agreement.id}/steering").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_saved(client, w):
    before = state(w)
    response = client.post(f"/agreements/{w.agreement.id}/steering/decisions", data=decision_data(w, four_effects(w)))
    assert response.status_code == 302 and "/login" in response.location
    assert state(w) == before


def test_an_admin_records_a_decision(client, as_user, w):
    as_user(w.admin)
    assert post_decision(client, w, [{"action_id": w.lights.id, "kind": "accepted_delay"}]).status_code == 303


BAD = [
    ("foreign-action", "effects-0-action_id", lambda w: [{"action_id": w.foreign_action.id, "kind": "cancel"}], {}),
    ("unknown-action", "effects-0-action_id", lambda w: [{"action_id": "99999999999999", "kind": "cancel"}], {}),
    ("no-kind", "effects-0-kind", lambda w: [{"action_id": w.walks.id}], {}),
    ("tampered-kind", "effects-0-kind", lambda w: [{"action_id": w.walks.id, "kind": "delete_all"}], {}),
    ("deadline-before-start", "effects-0-new_deadline",
     lambda w: [{"action_id": w.walks.id, "kind": "new_deadline", "new_deadline": "2025-12-31"}], {}),
    ("deadline-after-end", "effects-0-new_deadline",
     lambda w: [{"action_id": w.walks.id, "kind": "new_deadline", "new_deadline": "2028-01-01"}], {}),
    ("deadline-missing", "effects-0-new_deadline", lambda w: [{"action_id": w.walks.id, "kind": "new_deadline"}], {}),
    ("deadline-year-9999", "effects-0-new_deadline",
     lambda w: [{"action_id": w.walks.id, "kind": "new_deadline", "new_deadline": "9999-01-01"}], {}),
    ("owner-of-another-organisation", "effects-0-new_owner_id",
     lambda w: [{"action_id": w.walks.id, "kind": "new_owner", "new_owner_id": w.teacher.id}], {}),
    ("deactivated-owner", "effects-0-new_owner_id",
     lambda w: [{"action_id": w.walks.id, "kind": "new_owner", "new_owner_id": w.gone.id}], {}),
    ("cancel-and-more-on-one-action", "effects-1-kind",
     lambda w: [{"action_id": w.walks.id, "kind": "cancel"}, {"action_id": w.walks.id, "kind": "accepted_delay"}], {}),
    ("empty-meeting", "meeting", four_effects, {"meeting": ""}),
    ("huge-meeting", "meeting", four_effects, {"meeting": "M" * 201}),
    ("huge-text", "text", four_effects, {"text": "T" * 2001}),
    ("empty-text", "text", four_effects, {"text": "   "}),
    ("personnummer", "text", four_effects, {"text": "Gäller eleven 19121212-1212."}),
    ("decided-in-the-future", "decided_on", four_effects, {"decided_on": "2099-01-01"}),
    ("decided-before-the-agreement", "decided_on", four_effects, {"decided_on": "2025-06-01"}),
    ("decided-in-year-1", "decided_on", four_effects, {"decided_on": "0001-01-01"}),
    ("no-date", "decided_on", four_effects, {"decided_on": "igår"}),
]


@pytest.mark.parametrize(("error_field", "rows", "changes"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_decisions_are_refused_next_to_the_field_and_save_nothing(client, as_user, w, error_field, rows,
                                                                      changes):
    before = state(w)
    as_user(w.secretary)
    response = post_decision(client, w, rows(w), **changes)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{error_field}-error"' in page
    if "meeting" not in changes:
        assert 'value="Styrgruppsmöte 14 oktober"' in page  # what was typed is kept
    assert state(w) == before


def test_hostile_text_is_kept_as_text(client, as_user, w):
    as_user(w.secretary)
    hostile = '<script>alert("x")</script> & <b>fet</b>'
    assert post_decision(client, w, text=hostile, meeting="<img src=x onerror=alert(1)>").status_code == 303
    page = client.get(f"/agreements/{w.agreement.id}/steering").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<img src=x" not in page


def test_a_refused_effect_undoes_the_effects_applied_before_it(app, w):
    """The service applies effects in order; a refusal of the last undoes the decision and the first changes."""
    before = state(w)
    w.lights.status = ActionStatus.DONE
    db.session.flush()
    before = state(w)
    effects = [services.Effect(w.walks, EffectKind.NEW_DEADLINE, new_deadline=dt.date(2027, 1, 31)),
               services.Effect(w.cameras, EffectKind.NEW_OWNER, new_owner=w.colleague),
               services.Effect(w.lights, EffectKind.CANCEL)]
    with pytest.raises(services.EffectRefused) as refused:
        services.record_decision(w.agreement, decided_on=dt.date(2026, 10, 14), meeting="M", text="T",
                                 effects=effects, by=w.secretary)
    assert refused.value.row == 2
    assert state(w) == before


def test_the_service_refuses_an_action_of_another_agreement(app, w):
    with pytest.raises(services.EffectRefused):
        services.record_decision(w.agreement, decided_on=dt.date(2026, 10, 14), meeting="M", text="T",
                                 effects=[services.Effect(w.foreign_action, EffectKind.CANCEL)], by=w.secretary)


def test_a_decision_sent_twice_is_recorded_once(client, as_user, w):
    as_user(w.secretary)
    page = client.get(f"/agreements/{w.agreement.id}/steering").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="([^"]*)"', page).group(1)
    data = decision_data(w, [{"action_id": w.lights.id, "kind": "accepted_delay"}]) | {"once": once}
    for _ in range(2):
        assert client.post(f"/agreements/{w.agreement.id}/steering/decisions", data=data).status_code == 303
    assert db.session.scalar(select(func.count(Decision.id))) == 1


def test_the_next_meeting_is_set_on_the_steering_page_and_shown_on_the_agreement(client, as_user, w):
    as_user(w.secretary)
    day = local_today() + dt.timedelta(days=20)
    response = client.post(f"/agreements/{w.agreement.id}/steering/next-meeting",
                           data={"next_meeting_on": day.isoformat(), "version": w.agreement.version})
    assert response.status_code == 303
    page = client.get(f"/agreements/{w.agreement.id}").get_data(as_text=True)
    assert "Next steering-group meeting" in page and f'/agreements/{w.agreement.id}/steering"' in page
    db.session.expire_all()
    assert w.agreement.next_meeting_on == day


@pytest.mark.parametrize("bad", ["2020-01-01", "9999-12-31", "nästa vecka"], ids=["past", "far-future", "not-a-date"])
def test_a_bad_next_meeting_date_is_refused(client, as_user, w, bad):
    as_user(w.secretary)
    response = client.post(f"/agreements/{w.agreement.id}/steering/next-meeting",
                           data={"next_meeting_on": bad, "version": w.agreement.version})
    assert response.status_code == 200 and 'id="next_meeting_on-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert w.agreement.next_meeting_on is None


def test_exports_give_moves_and_decisions_within_the_period(client, as_user, w):
    as_user(w.secretary)
    post_decision(client, w, four_effects(w), decided_on="2026-10-14")
    post_decision(client, w, decided_on="2026-09-30", text="Före perioden.")
    today = local_today()
    [move] = queries.deadline_moves([w.agreement.id], today, today)
    assert (move.action_id, move.moved_from, move.moved_to, move.first_promised, move.times_moved,
            move.decision_meeting, move.by_name) == (w.walks.id, dt.date(2026, 10, 31), dt.date(2027, 3, 31),
                                                     dt.date(2026, 10, 31), 1, "Styrgruppsmöte 14 oktober",
                                                     "Sara Sekreterare")
    assert queries.deadline_moves([w.agreement.id], today + dt.timedelta(days=1), today + dt.timedelta(days=9)) == []
    assert queries.deadline_moves([w.other_agreement.id], today, today) == []
    [decision] = queries.decisions([w.agreement.id], dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert decision.decided_on == dt.date(2026, 10, 14)
    assert [(c.action_title, c.kind, c.new_owner_name, c.new_deadline) for c in decision.changed] == [
        ("Nattvandringar", EffectKind.NEW_DEADLINE, None, dt.date(2027, 3, 31)),
        ("Kameror", EffectKind.NEW_OWNER, "Petra Polis", None),
        ("Kafé", EffectKind.CANCEL, None, None), ("Belysning", EffectKind.ACCEPTED_DELAY, None, None)]
    assert [d.text for d in queries.decisions([w.agreement.id], dt.date(2026, 9, 30), dt.date(2026, 9, 30))] == [
        "Före perioden."]


def test_the_demo_has_last_months_decisions_on_the_actions_they_changed_and_a_recent_move(app, client):
    from tests.test_cli import run
    from tracker.demo.cli import DEMO_PASSWORD
    from tracker.reports.period import Month

    assert run(app, "seed-demo").exit_code == 0
    today = local_today()
    last_month = Month.of(today).previous
    [decision] = queries.decisions(list(db.session.scalars(select(Decision.agreement_id))), last_month.first_day,
                                   last_month.last_day)
    assert {c.kind for c in decision.changed} == set(EffectKind)
    recent = queries.deadline_moves(list(db.session.scalars(select(Action.agreement_id).distinct())),
                                    today - dt.timedelta(days=10), today)
    assert any(m.reason and m.decision_id is None for m in recent)
    assert client.post("/login", data={"email": "erik.johansson@polisen.example.se",
                                       "password": DEMO_PASSWORD}).status_code == 303
    for changed in decision.changed:
        assert decision.meeting in client.get(f"/actions/{changed.action_id}").get_data(as_text=True)


def test_the_steering_page_and_an_action_page_load_decisions_in_a_fixed_number_of_statements(client, as_user, w):
    ids = SimpleNamespace(agreement=w.agreement.id, secretary=w.secretary.id, lights=w.lights.id, walks=w.walks.id)

    def decide(n):
        agreement, secretary = db.session.get(Agreement, ids.agreement), db.session.get(User, ids.secretary)
        lights, walks = db.session.get(Action, ids.lights), db.session.get(Action, ids.walks)
        for i in range(n):
            services.record_decision(agreement, decided_on=dt.date(2026, 10, 1 + i % 28), meeting=f"Möte {i}",
                                     text="T", by=secretary, effects=[
                                         services.Effect(lights, EffectKind.ACCEPTED_DELAY),
                                         services.Effect(walks, EffectKind.NEW_DEADLINE,
                                                         new_deadline=dt.date(2027, 1, 1 + i % 28))])
    as_user(w.secretary)
    for path in (f"/agreements/{ids.agreement}/steering", f"/actions/{ids.walks}"):
        decide(2)
        few = statements_for(client, path)
        decide(12)
        many = statements_for(client, path)
        assert len(many) == len(few), "\n\n".join(many)
