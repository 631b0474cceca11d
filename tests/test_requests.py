"""Structured progress updates (next step, request to another party), answering requests, "väntar på oss", the
waiting rule in a past month's report, and the rows exported for the steering-group agenda."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.factories import (
    make_action,
    make_admin,
    make_agreement,
    make_organisation,
    make_request,
    make_user,
    make_viewer,
)
from tests.test_query_counts import statements_for
from tests.test_reports import pdf_text
from tracker.actions.models import Action, ActionStatus, ProgressUpdate, Request, RequestOutcome
from tracker.actions.request_queries import open_requests_to, stale_requests
from tracker.actions.rules import Stalled, Thresholds
from tracker.agreements.models import Agreement
from tracker.audit.models import AuditEvent
from tracker.clock import STOCKHOLM, local_today
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.reports import services as report_services
from tracker.reports.content import build
from tracker.reports.period import Month

PERSONNUMMER = "19811218-9876"


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=STOCKHOLM).astimezone(dt.UTC)


@pytest.fixture
def w(app):
    """Järva: Polisen owns an action of an agreement led by the city district with socialtjänsten and a school."""
    lead, police, social, school, outside = (make_organisation(name=n, short_name=s) for n, s in (
        ("Rinkeby-Kista stadsdelsförvaltning", "SDF"), ("Polisen Järva", "Polisen"),
        ("Socialtjänsten Rinkeby-Kista", "Soc"), ("Husbygårdsskolan", "Husby"), ("Utanför kommun", "Ute")))
    world = SimpleNamespace(
        lead=lead, police=police, social=social, school=school, outside=outside,
        officer=make_user(organisation=police, name="Erik Polis", language="en"),
        maria=make_user(organisation=social, name="Maria Soc", language="en"),
        social_viewer=make_viewer(organisation=social, name="Vera Soc"),
        teacher=make_user(organisation=school, name="Tove Skola", language="en"),
        stranger=make_user(organisation=outside, name="Sven Ute"),
        admin=make_admin(organisation=outside, name="Anna Admin", language="en"))
    world.agreement = make_agreement(lead_organisation=lead, parties=[lead, police, social, school],
                                     starts_on=days(-300), ends_on=days(60))
    world.action = make_action(agreement=world.agreement, owner_organisation=police, owner=world.officer,
                               title="Trygghetsvandringar", deadline=days(30))
    db.session.commit()
    return world


def progress(client, action, **changes):
    data = {"text": "Vandring genomförd.", "status": "in_progress", "progress": "40", "blocked_reason": "",
            "next_step": "", "next_step_on": "", "request_to": "", "request_text": "", "version": action.version}
    return client.post(f"/actions/{action.id}/progress", data=data | changes)


def saved_rows() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count(ProgressUpdate.id))), db.session.scalar(select(func.count(Request.id))))


def test_an_update_names_its_next_step_and_asks_another_party_in_one_save(client, as_user, w):
    as_user(w.officer)
    response = progress(client, w.action, next_step="Gå igenom listan med skolan", next_step_on=days(7).isoformat(),
                        request_to=str(w.social.id), request_text="Vi behöver era kontaktuppgifter till fältgruppen.")
    assert response.status_code == 303
    db.session.expire_all()
    update = db.session.scalars(select(ProgressUpdate)).one()
    request = db.session.scalars(select(Request)).one()
    assert (update.next_step, update.next_step_on) == ("Gå igenom listan med skolan", days(7))
    assert (request.progress_update_id, request.from_organisation_id, request.to_organisation_id,
            request.asked_by_id, request.asked_at, request.is_open) == (
        update.id, w.police.id, w.social.id, w.officer.id, update.at, True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "requests")).one()
    assert (event.verb, event.actor_id, event.changes["to_organisation_id"]) == ("create", w.officer.id,
                                                                                 [None, w.social.id])
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    facts = page[page.index('class="facts"'):page.index("</dl>")]
    assert "Next step" in facts and "Gå igenom listan med skolan" in facts
    timeline = page[page.index('id="progress-heading"'):]
    assert "Next step:" in timeline and "Request to Soc:" in timeline
    assert "Vi behöver era kontaktuppgifter" in page[page.index('id="requests-heading"'):]


def test_a_plain_update_still_works_and_closing_stays_an_update(client, as_user, w):
    as_user(w.officer)
    assert progress(client, w.action).status_code == 303
    assert progress(client, w.action, status="done", text="Klart.").status_code == 303
    assert saved_rows() == (2, 0)
    assert db.session.get(Action, w.action.id).progress == 100


BAD_UPDATES = [
    ({"request_to": "own", "request_text": "Hjälp oss."}, "request_to", "another party of this agreement"),
    ({"request_to": "outside", "request_text": "Hjälp oss."}, "request_to", "another party of this agreement"),
    ({"request_to": "abc", "request_text": "Hjälp oss."}, "request_to", "Choose the organisation"),
    ({"request_to": "", "request_text": "Hjälp oss."}, "request_to", "Choose the organisation"),
    ({"request_to": "social", "request_text": ""}, "request_text", "Say what you need from them"),
    ({"request_to": "social", "request_text": "x" * 1001}, "request_text", "1000"),
    ({"request_to": "social", "request_text": f"Gäller {PERSONNUMMER}"}, "request_text", "personal identity number"),
    ({"next_step": "Möte", "next_step_on": "yesterday"}, "next_step_on", "cannot be in the past"),
    ({"next_step": "Möte", "next_step_on": "after_end"}, "next_step_on", "after the agreement ends"),
    ({"next_step": "Möte", "next_step_on": "not a date"}, "next_step_on", "Not a valid date"),
    ({"next_step": "Möte", "next_step_on": ""}, "next_step", "Give the next step a date too"),
    ({"next_step": "", "next_step_on": "tomorrow"}, "next_step", "Say what the next step is"),
    ({"next_step": "y" * 501, "next_step_on": "tomorrow"}, "next_step", "500"),
    ({"next_step": PERSONNUMMER, "next_step_on": "tomorrow"}, "next_step", "personal identity number"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_UPDATES,
                         ids=["own-organisation", "not-a-party", "hostile-choice", "text-without-party",
                              "party-without-text", "huge-request", "personnummer-request", "next-step-in-past",
                              "next-step-after-end", "bad-date", "next-step-without-date", "date-without-step",
                              "huge-next-step", "personnummer-next-step"])
def test_bad_structured_updates_are_refused_next_to_the_field_and_save_nothing(client, as_user, w, changes, field,
                                                                               message):
    symbols = {"own": w.police.id, "outside": w.outside.id, "social": w.social.id, "yesterday": days(-1).isoformat(),
               "after_end": days(61).isoformat(), "tomorrow": days(1).isoformat()}
    data = {k: str(symbols.get(v, v)) for k, v in changes.items()}
    as_user(w.officer)
    response = progress(client, w.action, text="Texten jag skrev.", **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'id="{field}-error"[^>]*>(.*?)</', page, re.S)
    assert error and message in error.group(1), page[page.find("error-summary"):][:800]
    assert "Texten jag skrev." in page
    assert saved_rows() == (0, 0)


def test_hostile_request_text_is_saved_as_text_and_shown_escaped(client, as_user, w):
    hostile = '<script>alert("x")</script> & <b>fet</b>'
    as_user(w.officer)
    assert progress(client, w.action, request_to=str(w.social.id), request_text=hostile).status_code == 303
    assert db.session.scalars(select(Request.text)).one() == hostile
    client.post("/logout")
    as_user(w.maria)
    for path in (f"/actions/{w.action.id}", "/", "/requests/", f"/agreements/{w.agreement.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "&lt;script&gt;alert" in page and "<script>alert" not in page, path


def test_a_request_to_a_party_that_left_in_the_meantime_saves_nothing(client, as_user, w):
    as_user(w.officer)
    form_version = w.action.version
    w.agreement.parties.remove(w.school)
    db.session.commit()
    response = progress(client, w.action, request_to=str(w.school.id), request_text="Listan?", version=form_version)
    assert response.status_code == 200 and "another party of this agreement" in response.get_data(as_text=True)
    assert saved_rows() == (0, 0)


# Answering

def answer(client, request, **changes):
    return client.post(f"/requests/{request.id}/answer", data={"outcome": "accepted", "answer": "Vi skickar dem."}
                       | changes)


@pytest.mark.parametrize("who", ["maria", "admin"])
def test_the_addressed_coordinator_or_an_admin_answers_and_the_answer_is_audited(client, as_user, w, who):
    request = make_request(w.action, w.social, w.officer)
    db.session.commit()
    as_user(getattr(w, who))
    assert client.get(f"/requests/{request.id}/answer").status_code == 200
    assert answer(client, request, outcome="declined", answer="Vi har inte de uppgifterna.").status_code == 303
    db.session.expire_all()
    saved = db.session.get(Request, request.id)
    assert (saved.outcome, saved.answer, saved.answered_by_id, saved.is_open) == (
        RequestOutcome.DECLINED, "Vi har inte de uppgifterna.", getattr(w, who).id, False)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.verb == "answer")).one()
    assert event.changes["outcome"] == [None, "declined"]
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    assert "Declined" in page and "Vi har inte de uppgifterna." in page
    assert client.get(f"/requests/{request.id}/answer").status_code == 403  # answered once, then closed


@pytest.mark.parametrize("who", ["teacher", "stranger", "social_viewer", "officer"],
                         ids=["another-partys-coordinator", "outside-coordinator", "addressed-orgs-viewer",
                              "the-asking-organisation"])
def test_everyone_else_is_refused_an_answer_and_nothing_changes(client, as_user, w, who):
    request = make_request(w.action, w.social, w.officer)
    db.session.commit()
    as_user(getattr(w, who))
    assert client.get(f"/requests/{request.id}/answer").status_code == 403
    assert answer(client, request).status_code == 403
    db.session.expire_all()
    assert db.session.get(Request, request.id).is_open
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    assert f"/requests/{request.id}/answer" not in page


@pytest.mark.parametrize(("data", "message"), [
    ({"answer": ""}, "This field is required"),
    ({"answer": "   "}, "This field is required"),
    ({"answer": "z" * 1001}, "1000"),
    ({"answer": f"Se {PERSONNUMMER}"}, "personal identity number"),
    ({"outcome": "maybe"}, "Not a valid choice"),
    ({"outcome": ""}, "This field is required"),
], ids=["empty", "blank", "huge", "personnummer", "hostile-outcome", "no-outcome"])
def test_bad_answers_are_refused_and_keep_the_text(client, as_user, w, data, message):
    request = make_request(w.action, w.social, w.officer)
    db.session.commit()
    as_user(w.maria)
    response = answer(client, request, **data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    if data.get("answer", "").strip():
        assert data["answer"][:50] in page
    db.session.expire_all()
    assert db.session.get(Request, request.id).is_open


def test_an_answer_without_a_csrf_token_is_refused(app, client, as_user, w):
    request = make_request(w.action, w.social, w.officer)
    db.session.commit()
    as_user(w.maria)
    app.config["WTF_CSRF_ENABLED"] = True
    assert answer(client, request).status_code == 400
    db.session.expire_all()
    assert db.session.get(Request, request.id).is_open


# Waiting on us

def test_the_start_page_lists_what_waits_on_my_organisation_with_the_true_count(client, as_user, w):
    for n in range(12):
        make_request(w.action, w.social, w.officer, text=f"Fråga nummer {n:02}", asked_at=noon(days(-20 + n)))
    make_request(w.action, w.school, w.officer, text="Till skolan")
    make_request(w.action, w.social, w.officer, text="Redan besvarad", answered_at=noon(days(-1)),
                 answered_by=w.maria, answer="Ja.", outcome=RequestOutcome.ANSWERED)
    db.session.commit()
    as_user(w.maria)
    page = client.get("/").get_data(as_text=True)
    section = page[page.index('id="waiting-on-us"'):page.index('id="stalled"')]
    assert "(12)" in section and "The first 10 of 12, oldest first." in section
    assert "Fråga nummer 00" in section and "Fråga nummer 10" not in section
    assert "Till skolan" not in section and "Redan besvarad" not in section
    assert "Show all 12 open requests" in section and 'href="/requests/"' in section
    assert len(re.findall(r'href="/requests/\d+/answer"', section)) == 10
    full = client.get("/requests/").get_data(as_text=True)
    assert all(f"Fråga nummer {n:02}" in full for n in range(12))
    client.post("/logout")
    as_user(w.teacher)
    teacher = client.get("/").get_data(as_text=True)
    assert "Till skolan" in teacher and "Fråga nummer" not in teacher


def test_no_waiting_section_when_nothing_waits(client, as_user, w):
    as_user(w.maria)
    assert 'id="waiting-on-us"' not in client.get("/").get_data(as_text=True)
    assert "0 open requests" in client.get("/requests/").get_data(as_text=True)


def test_the_agreement_page_lists_its_open_requests(client, as_user, w):
    make_request(w.action, w.social, w.officer, text="Öppen fråga")
    make_request(w.action, w.school, w.officer, text="Besvarad fråga", answered_at=noon(days(-1)),
                 answered_by=w.teacher, answer="Ja.", outcome=RequestOutcome.ACCEPTED)
    db.session.commit()
    as_user(w.teacher)
    page = client.get(f"/agreements/{w.agreement.id}").get_data(as_text=True)
    section = page[page.index('id="requests-heading"'):page.index('id="progress-heading"')]
    assert "Öppen fråga" in section and "Besvarad fråga" not in section
    assert "/answer" not in section  # the school is not asked: only socialtjänsten answers
    client.post("/logout")
    as_user(w.maria)
    page = client.get(f"/agreements/{w.agreement.id}").get_data(as_text=True)
    assert len(re.findall(r'href="/requests/\d+/answer"', page)) == 1


def test_a_stale_request_makes_the_action_waiting_in_the_lists(client, as_user, w):
    make_request(w.action, w.social, w.officer, asked_at=noon(days(-14)))
    w.action.last_progress_at = noon(days(-1))
    db.session.commit()
    as_user(w.officer)
    page = client.get("/actions/?stalled=y").get_data(as_text=True)
    assert "Trygghetsvandringar" in page and "Waiting for an answer 14 days" in page


def test_the_waiting_pages_take_a_fixed_number_of_statements(client, as_user, w):
    as_user(w.maria)
    agreement_id, action_id, social_id = w.agreement.id, w.action.id, w.social.id

    def add(n):
        agreement = db.session.get(Agreement, agreement_id)
        for _ in range(n):
            other = make_organisation()
            agreement.parties.append(other)
            action = make_action(agreement=agreement, owner_organisation=other, owner=make_user(organisation=other))
            make_request(action, db.session.get(Organisation, social_id), action.owner)
        db.session.commit()

    for path in ("/requests/", "/", f"/agreements/{agreement_id}", f"/actions/{action_id}"):
        add(3)
        few = statements_for(client, path)
        add(20)
        assert len(statements_for(client, path)) == len(few), path


# A past month, and the rows the steering-group agenda reads

def test_a_past_month_counts_a_request_answered_after_its_end_as_open_and_names_the_party(app, w):
    october_end = dt.date(2026, 10, 31)
    w.agreement.starts_on = dt.date(2026, 1, 1)
    w.action.created_at = noon(dt.date(2026, 9, 1))
    w.action.last_progress_at = noon(dt.date(2026, 10, 30))
    make_request(w.action, w.social, w.officer, asked_at=noon(dt.date(2026, 10, 10)),
                 answered_at=noon(dt.date(2026, 11, 2)), answered_by=w.maria, answer="Ja.",
                 outcome=RequestOutcome.ANSWERED)
    db.session.commit()
    content = build([w.agreement], Month(2026, 10), dt.date(2026, 11, 25), Thresholds())
    [row] = content.stalled
    assert (row.standing.reasons, row.standing.days_waiting) == ((Stalled.WAITING,), 21)
    assert [o.name for o in content.waited_on(row)] == ["Socialtjänsten Rinkeby-Kista"]
    pdf = report_services.render_pdf([w.agreement], Month(2026, 10), language="en", today=dt.date(2026, 11, 25),
                                     thresholds=Thresholds(), generated_at=noon(october_end), generated_by=None)
    assert "Waiting for Soc 21 d" in pdf_text(pdf)
    november = build([w.agreement], Month(2026, 11), dt.date(2026, 11, 25), Thresholds())
    assert [r.standing.reasons for r in november.stalled] == [(Stalled.SILENT,)]  # no longer waiting


def test_stale_requests_and_open_requests_to_at_their_boundaries(app, w):
    as_of = dt.date(2026, 11, 25)
    stale = make_request(w.action, w.social, w.officer, asked_at=noon(as_of - dt.timedelta(days=14)), text="14")
    make_request(w.action, w.social, w.officer, asked_at=noon(as_of - dt.timedelta(days=13)), text="13")
    make_request(w.action, w.school, w.officer, asked_at=noon(as_of - dt.timedelta(days=30)), text="answered",
                 answered_at=noon(as_of - dt.timedelta(days=1)), answered_by=w.teacher, answer="Ja",
                 outcome=RequestOutcome.ACCEPTED)
    closed = make_action(agreement=w.agreement, owner_organisation=w.police, status=ActionStatus.DONE)
    make_request(closed, w.social, w.officer, asked_at=noon(as_of - dt.timedelta(days=40)), text="closed action")
    other_agreement = make_agreement(parties=[w.social])
    elsewhere = make_action(agreement=other_agreement)
    make_request(elsewhere, w.social, w.officer, asked_at=noon(as_of - dt.timedelta(days=40)), text="elsewhere")
    db.session.commit()
    [row] = stale_requests([w.agreement.id], as_of)
    assert (row.request_id, row.action_title, row.from_organisation, row.to_organisation, row.asked_on,
            row.days_open) == (stale.id, "Trygghetsvandringar", "Polisen Järva", "Socialtjänsten Rinkeby-Kista",
                               as_of - dt.timedelta(days=14), 14)
    assert [r.text for r in stale_requests([w.agreement.id], as_of - dt.timedelta(days=2))] == ["answered"]
    assert {r.text for r in stale_requests([w.agreement.id], as_of - dt.timedelta(days=2), 10)} == {
        "answered", "14", "13"}
    assert [r.text for r in open_requests_to(w.social.id, as_of)] == ["closed action", "elsewhere", "14", "13"]
    assert [r.text for r in open_requests_to(w.school.id, as_of - dt.timedelta(days=1))] == []
    assert [r.text for r in open_requests_to(w.school.id, as_of - dt.timedelta(days=2))] == ["answered"]
