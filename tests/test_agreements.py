"""Agreements through the app: registering, editing, status, the agreement page, bad input and who is refused."""
import datetime as dt
import re

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from tests.factories import make_action, make_agreement, make_organisation, make_update, make_user, make_viewer
from tracker.actions.models import ActionStatus
from tracker.agreements.models import Agreement, AgreementStatus, Theme
from tracker.audit.models import AuditEvent
from tracker.clock import local_today, utcnow
from tracker.extensions import db


@pytest.fixture
def orgs(app):
    """Three partners; the first is the signed-in coordinator's own."""
    return (make_organisation(name="Polisen Järva"), make_organisation(name="Socialtjänsten Rinkeby"),
            make_organisation(name="Rinkebyskolan"))


@pytest.fixture
def me(orgs):
    return make_user(organisation=orgs[0], name="Anna Lead", language="en")


def once_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)


def agreement_data(lead, parties=(), steering=(), **changes) -> dict:
    values = {"title": "Trygg i Rinkeby", "reference_number": "KS 2026/123", "purpose": "Fewer young people recruited.",
              "theme": Theme.SAFE_LOCAL_ENVIRONMENT.value, "area": "Rinkeby", "starts_on": "2026-02-01",
              "ends_on": "2027-06-30", "next_review_on": "2026-12-15", "lead_organisation_id": lead.id,
              "party_ids": [o.id for o in parties], "steering_group_ids": [u.id for u in steering]}
    return values | changes


def create(client, data: dict):
    return client.post("/agreements/new", data=data | {"once": once_token(client, "/agreements/new")})


def agreement_count() -> int:
    return db.session.scalar(select(func.count(Agreement.id)))


def state(agreement: Agreement) -> tuple:
    db.session.expire_all()
    return (agreement.title, agreement.status, agreement.version, tuple(agreement.party_ids),
            tuple(agreement.steering_group_ids))


def test_coordinator_registers_an_agreement_with_two_other_partners(client, as_user, orgs, me):
    chair, secretary = make_viewer(organisation=orgs[1]), make_user(organisation=orgs[2])
    as_user(me)
    refused = create(client, agreement_data(orgs[0], orgs, [chair, secretary]))
    assert refused.status_code == 200 and agreement_count() == 0  # the new parties' people are not listed yet
    response = create(client, agreement_data(orgs[0], orgs, []))
    assert response.status_code == 303
    agreement = db.session.scalars(select(Agreement)).one()
    edited = client.post(f"/agreements/{agreement.id}/edit",
                         data=agreement_data(orgs[0], orgs, [chair, secretary], version=agreement.version))
    assert edited.status_code == 303
    assert response.location.endswith(f"/agreements/{agreement.id}")
    assert (agreement.title, agreement.reference_number, agreement.theme, agreement.area) == (
        "Trygg i Rinkeby", "KS 2026/123", Theme.SAFE_LOCAL_ENVIRONMENT, "Rinkeby")
    assert (agreement.starts_on, agreement.ends_on, agreement.next_review_on) == (
        dt.date(2026, 2, 1), dt.date(2027, 6, 30), dt.date(2026, 12, 15))
    assert (agreement.status, agreement.lead_organisation_id, agreement.created_by_id) == (
        AgreementStatus.DRAFT, orgs[0].id, me.id)
    assert set(agreement.party_ids) == {o.id for o in orgs}
    assert set(agreement.steering_group_ids) == {chair.id, secretary.id}
    assert db.session.scalar(select(AuditEvent.verb).where(AuditEvent.object_type == "agreements")) == "create"


def test_the_lead_organisation_is_always_a_party(client, as_user, orgs, me):
    as_user(me)
    assert create(client, agreement_data(orgs[0], [orgs[1]])).status_code == 303
    assert set(db.session.scalars(select(Agreement)).one().party_ids) == {orgs[0].id, orgs[1].id}


def test_coordinator_cannot_register_an_agreement_his_organisation_is_not_party_to(client, as_user, orgs, me):
    as_user(me)
    response = create(client, agreement_data(orgs[1], [orgs[1], orgs[2]]))
    assert response.status_code == 200
    assert 'id="party_ids-error"' in response.get_data(as_text=True)
    assert agreement_count() == 0


def test_lead_coordinator_edits_and_the_change_is_in_the_history(client, as_user, orgs, me):
    member = make_user(organisation=orgs[1], name="Bo Member")
    agreement = make_agreement(lead_organisation=orgs[0], parties=orgs, title="Old title")
    as_user(me)
    data = agreement_data(orgs[0], orgs[:2], [member], title="New title", version=agreement.version)
    assert client.post(f"/agreements/{agreement.id}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert (agreement.title, agreement.version) == ("New title", 2)
    assert set(agreement.party_ids) == {orgs[0].id, orgs[1].id}
    assert agreement.steering_group_ids == [member.id]
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "Title: Old title → New title" in page
    assert "Steering group: – → Bo Member" in page


def test_status_moves_from_draft_to_active_to_ended(client, as_user, orgs, me):
    agreement = make_agreement(lead_organisation=orgs[0], status=AgreementStatus.DRAFT)
    as_user(me)
    for target in (AgreementStatus.ACTIVE, AgreementStatus.ENDED):
        response = client.post(f"/agreements/{agreement.id}/status",
                               data={"status": target.value, "version": agreement.version})
        assert response.status_code == 303
        db.session.expire_all()
        assert agreement.status is target
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "Status: Active → Ended" in page and "Status: Draft → Active" in page


@pytest.mark.parametrize(("start", "target"), [(AgreementStatus.ACTIVE, AgreementStatus.DRAFT),
                                               (AgreementStatus.ENDED, AgreementStatus.DRAFT),
                                               (AgreementStatus.ACTIVE, "closed")],
                         ids=["active-to-draft", "ended-to-draft", "unknown-status"])
def test_impossible_status_change_is_refused(client, as_user, orgs, me, start, target):
    agreement = make_agreement(lead_organisation=orgs[0], status=start)
    as_user(me)
    response = client.post(f"/agreements/{agreement.id}/status", data={"status": target, "version": 1})
    assert response.status_code == 303
    assert state(agreement)[1:3] == (start, 1)


def test_agreement_page_shows_parties_steering_group_actions_and_progress(client, as_user, orgs, me):
    today = local_today()
    chair = make_viewer(organisation=orgs[1], name="Cilla Chair")
    agreement = make_agreement(lead_organisation=orgs[0], parties=orgs, steering_group=[chair],
                               starts_on=today - dt.timedelta(days=300), ends_on=today + dt.timedelta(days=300))
    social = make_user(organisation=orgs[1], name="Sara Social")
    now = utcnow()
    late = make_action(agreement=agreement, title="Walk the square", owner=me, created_at=now,
                       deadline=today - dt.timedelta(days=3))
    soon = make_action(agreement=agreement, title="Parent evenings", owner_organisation=orgs[1], owner=social,
                       created_at=now, deadline=today + dt.timedelta(days=5), status=ActionStatus.PLANNED)
    calm = make_action(agreement=agreement, title="Summer jobs", owner_organisation=orgs[1], owner=social,
                       created_at=now, deadline=today + dt.timedelta(days=90))
    make_update(soon, social, text="Booked the school hall.", progress_from=0, progress_to=20, at=now)
    as_user(me)
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    page = re.sub(r'<span lang="sv">(.*?)</span>', r"\1", page)  # user text marked Swedish (test_words_dates)
    assert "<dd>Polisen Järva, Rinkebyskolan, Socialtjänsten Rinkeby</dd>" in page
    assert "Cilla Chair (" in page
    heading = r'<h3 id="organisation-\d+">([^<]+?)\s*<span class="count">\(([^)]*)\)</span></h3>(.*?)</table>'
    headed = re.findall(heading, page, re.S)
    assert [(name, counts) for name, counts, _ in headed] == [("Polisen Järva", "1 action, 1 stalled"),
                                                              ("Socialtjänsten Rinkeby", "2 actions")]
    groups = {name: body for name, _, body in headed}
    summary = page[page.index("Actions per owning organisation"):page.index("</table>")]
    assert re.findall(r"#organisation-\d+\">([^<]+)</a>", summary) == ["Polisen Järva", "Socialtjänsten Rinkeby"]
    assert "3 actions, 1 stalled." in page
    assert f'href="/actions/{late.id}">Walk the square<' in groups["Polisen Järva"]
    assert "Anna Lead" in groups["Polisen Järva"]
    assert "Overdue 3 days" in groups["Polisen Järva"] and "In progress" in groups["Polisen Järva"]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", groups["Socialtjänsten Rinkeby"], re.S)[1:]
    assert [re.search(r'/actions/(\d+)"', r).group(1) for r in rows] == [str(soon.id), str(calm.id)]
    assert "Due soon" in rows[0] and "Planned" in rows[0] and "Sara Social" in rows[0]
    assert format_date(soon.deadline, "medium", locale="en_GB") in rows[0]
    assert format_date(calm.deadline, "medium", locale="en_GB") in rows[1]
    assert "Due soon" not in rows[1] and "Overdue" not in rows[1]
    progress = page[page.index("Recent progress"):]
    assert "Booked the school hall." in progress and "Sara Social" in progress and "0 % → 20 %" in progress


TOO_LONG = {"title": "x" * 301, "reference_number": "x" * 61, "area": "x" * 101, "purpose": "x" * 5001}


@pytest.mark.parametrize(("field", "bad"), [
    ("title", ""), ("title", "   "), *TOO_LONG.items(),
    ("ends_on", "2026-01-31"), ("next_review_on", "2026-01-01"), ("starts_on", "2026-02-30"),
    ("party_ids", [999999]), ("lead_organisation_id", 999999), ("theme", "pizza"),
], ids=["empty-title", "blank-title", "long-title", "long-reference", "long-area", "long-purpose",
        "end-before-start", "review-before-start", "impossible-date", "unknown-party", "unknown-lead",
        "unknown-theme"])
def test_bad_input_is_refused_next_to_the_field_and_kept(client, as_user, orgs, me, field, bad):
    as_user(me)
    response = create(client, agreement_data(orgs[0], orgs[:2], **{field: bad}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert "Fewer young people recruited." in page or field == "purpose"
    assert 'value="KS 2026/123"' in page or field == "reference_number"
    assert agreement_count() == 0


def test_bad_edit_saves_nothing(client, as_user, orgs, me):
    agreement = make_agreement(lead_organisation=orgs[0], parties=orgs, title="Kept")
    before = state(agreement)
    as_user(me)
    data = agreement_data(orgs[0], orgs, title="Changed", ends_on="2025-01-01", version=agreement.version)
    response = client.post(f"/agreements/{agreement.id}/edit", data=data)
    assert response.status_code == 200 and 'value="Changed"' in response.get_data(as_text=True)
    assert state(agreement) == before


@pytest.mark.parametrize(("method", "path"), [("get", "/agreements/999999"), ("get", "/agreements/999999/edit"),
                                              ("post", "/agreements/999999/edit"),
                                              ("post", "/agreements/999999/status")])
def test_unknown_agreement_is_404(client, as_user, me, method, path):
    as_user(me)
    assert getattr(client, method)(path).status_code == 404


def test_double_submitted_create_form_creates_one_agreement(client, as_user, orgs, me):
    as_user(me)
    data = agreement_data(orgs[0], orgs) | {"once": once_token(client, "/agreements/new")}
    first, second = client.post("/agreements/new", data=data), client.post("/agreements/new", data=data)
    assert (first.status_code, second.status_code) == (303, 303)
    assert second.location == first.location
    assert agreement_count() == 1


def test_create_form_without_an_issued_token_creates_nothing(client, as_user, orgs, me):
    as_user(me)
    response = client.post("/agreements/new", data=agreement_data(orgs[0], orgs) | {"once": "made-up"})
    assert response.status_code == 303
    assert agreement_count() == 0


def test_coordinator_of_an_organisation_outside_is_refused_and_sees_nothing(client, as_user, orgs, me):
    outsider_org = make_organisation(name="Outside AB")
    outsider = make_user(organisation=outsider_org, language="en")
    theirs = make_agreement(lead_organisation=orgs[0], parties=orgs, title="Secret plan")
    make_agreement(lead_organisation=outsider_org, title="Outside own plan")
    before = state(theirs)
    as_user(outsider)
    assert client.get(f"/agreements/{theirs.id}").status_code == 403
    assert client.get(f"/agreements/{theirs.id}/edit").status_code == 403
    data = agreement_data(outsider_org, [outsider_org], version=theirs.version)
    assert client.post(f"/agreements/{theirs.id}/edit", data=data).status_code == 403
    listing = client.get("/agreements/").get_data(as_text=True)
    assert "Outside own plan" in listing and "Secret plan" not in listing
    assert "Secret plan" not in client.get("/agreements/?q=Secret").get_data(as_text=True)
    assert state(theirs) == before


def test_party_coordinator_who_is_not_lead_may_read_but_not_edit(client, as_user, orgs):
    agreement = make_agreement(lead_organisation=orgs[0], parties=orgs)
    before = state(agreement)
    as_user(make_user(organisation=orgs[1]))
    assert client.get(f"/agreements/{agreement.id}").status_code == 200
    assert client.post(f"/agreements/{agreement.id}/edit",
                       data=agreement_data(orgs[1], orgs, version=1)).status_code == 403
    assert client.post(f"/agreements/{agreement.id}/status", data={"status": "ended", "version": 1}).status_code == 403
    assert state(agreement) == before


def test_viewer_reads_but_changes_nothing(client, as_user, orgs):
    viewer = make_viewer(organisation=orgs[0], language="en")
    agreement = make_agreement(lead_organisation=orgs[0], parties=orgs, steering_group=[viewer],
                               status=AgreementStatus.DRAFT)
    before = state(agreement)
    as_user(viewer)
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "Edit agreement" not in page and "Mark as active" not in page and "Add action" not in page
    assert client.get("/agreements/new").status_code == 403
    assert client.post("/agreements/new", data=agreement_data(orgs[0], orgs)).status_code == 403
    assert client.post(f"/agreements/{agreement.id}/edit",
                       data=agreement_data(orgs[0], orgs, version=1)).status_code == 403
    assert client.post(f"/agreements/{agreement.id}/status", data={"status": "active", "version": 1}).status_code == 403
    assert state(agreement) == before and agreement_count() == 1
