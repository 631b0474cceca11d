"""Report page 1, "Till styrgruppen" and "Decisions taken this month": what the steering group must act on, as the
month stood at its end (level-3 actions, stale requests, deadlines moved in the month, ownerless actions)."""
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests.factories import make_action, make_agreement, make_organisation, make_request, make_update, make_user
from tests.test_query_counts import counting
from tracker.actions.models import DeadlineChange
from tracker.actions.rules import Thresholds
from tracker.clock import STOCKHOLM
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.content import build
from tracker.reports.period import Month
from tracker.steering.models import Decision, DecisionEffect, EffectKind

TODAY = dt.date(2026, 11, 25)
OCTOBER = Month(2026, 10)
GENERATED_AT = dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC)


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


def page_one(agreement, language: str) -> str:
    pdf = services.render_pdf([agreement], OCTOBER, language=language, today=TODAY, thresholds=Thresholds(),
                              generated_at=GENERATED_AT, generated_by=None)
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end)]


@pytest.fixture
def october(app):
    """October 2026, judged at its end (31 Oct) with the default thresholds (level 2 after 14 days stalled,
    level 3 after 30, requests stale after 14 days)."""
    police = make_organisation(name="Polisen Järva", short_name="Polisen")
    school = make_organisation(name="Husbygårdsskolan", short_name="Skolan")
    erik = make_user(name="Erik Åström", organisation=police)
    lena = make_user(name="Lena Berg", organisation=school)
    agreement = make_agreement(title="Trygg i Järva", parties=[police, school], starts_on=dt.date(2026, 8, 1))

    def action(title, **fields):
        fields.setdefault("owner", erik)
        a = make_action(agreement=agreement, title=title, owner_organisation=police,
                        created_at=local(dt.date(2026, 8, 1)),
                        last_progress_at=local(dt.date(2026, 10, 25)), **fields)
        make_update(a, erik, at=local(dt.date(2026, 10, 25)), text=f"Lägesrapport om {title}.")
        return a

    action("Overdue since mid September", deadline=dt.date(2026, 9, 15))  # stalled 45 days (from 16 Sep): level 3
    action("Overdue since October tenth", deadline=dt.date(2026, 10, 10))  # stalled 21 days: level 2
    action("Raised by hand", deadline=dt.date(2027, 3, 1), raised_at=local(dt.date(2026, 10, 20)),
           raised_by_id=lena.id, raised_reason="Oense om vem som ringer upp familjen.")
    answered_in_time = action("Answer came in October", deadline=dt.date(2027, 3, 1))
    make_request(answered_in_time, school, erik, text="Skicka listan över mentorer.",
                 asked_at=local(dt.date(2026, 10, 1)), answered_at=local(dt.date(2026, 10, 20)))
    answered_late = action("Answer came in November", deadline=dt.date(2027, 3, 1))
    make_request(answered_late, school, erik, text="Vem tar emot kallelserna till SIP?",
                 asked_at=local(dt.date(2026, 10, 10)), answered_at=local(dt.date(2026, 11, 5)))
    moved = action("Deadline moved twice", deadline=dt.date(2027, 3, 1))
    db.session.add_all([
        DeadlineChange(action=moved, moved_from=dt.date(2026, 12, 1), moved_to=dt.date(2027, 1, 15), by_id=erik.id,
                       reason="Flyttad i september.", at=local(dt.date(2026, 9, 28))),
        DeadlineChange(action=moved, moved_from=dt.date(2027, 1, 15), moved_to=dt.date(2027, 3, 1), by_id=erik.id,
                       reason="Leverantören är sen.", at=local(dt.date(2026, 10, 12)))])
    action("Left without an owner", owner=None, owner_lost_on=dt.date(2026, 10, 3), deadline=dt.date(2027, 3, 1))
    for day, meeting, text in ((dt.date(2026, 9, 20), "Septembermötet", "Beslut i september."),
                               (dt.date(2026, 10, 14), "Styrgruppsmöte 14 oktober", "Styrgruppen godtar förseningen.")):
        decision = Decision(agreement=agreement, decided_on=day, meeting=meeting, text=text, recorded_by=erik)
        db.session.add(decision)
        db.session.add(DecisionEffect(decision=decision, action=moved, kind=EffectKind.ACCEPTED_DELAY))
    db.session.commit()
    return agreement


def test_each_list_for_the_steering_group_keeps_to_the_month_end(october):
    first = page_one(october, "en")
    assert first.index("At a glance") < first.index("For the steering group") < first.index("Since last month")
    items = section(first, "For the steering group", "Since last month")
    agenda = section(items, "Actions on the steering group's agenda (2)", "Unanswered requests")
    assert agenda.index("Raised by hand") < agenda.index("Overdue since mid September")  # by hand first
    assert "Raised by Lena Berg: Oense om vem som ringer upp familjen." in agenda
    assert "Overdue since mid September · Polisen · stalled 45 days: Overdue 46 d" in agenda
    assert "October tenth" not in items  # level 2: the owning organisation's matter, not the steering group's
    requests = section(items, "Unanswered requests between partners (1)", "Deadlines moved this month")
    # asked 10 Oct, answered 5 Nov: still open at the end of October; the one answered 20 Oct is not listed
    assert "Polisen → Skolan, 21 days: Vem tar emot kallelserna till SIP?" in requests
    assert "mentorer" not in items
    moves = section(items, "Deadlines moved this month (1)", "Actions without an active owner")
    assert "Deadline moved twice" in moves and "moved 2 times" in moves and "Leverantören är sen." in moves
    assert "Flyttad i september." not in items
    assert "Actions without an active owner (1) Left without an owner · Polisen · since" in items
    rest = text_of(services.render_html(build([october], OCTOBER, TODAY, Thresholds()), language="en",
                                        generated_at=GENERATED_AT, generated_by=None, thresholds=Thresholds()))
    assert "Decisions taken this month" in rest and "Styrgruppsmöte 14 oktober" in rest
    assert "Styrgruppen godtar förseningen." in rest and "Deadline moved twice: Delay accepted" in rest
    assert "Septembermötet" not in rest


def test_the_lists_in_swedish(october):
    first = page_one(october, "sv")
    items = section(first, "Till styrgruppen", "Sedan förra månaden")
    assert "Åtgärder på styrgruppens dagordning (2)" in items and "Lyft av Lena Berg" in items
    assert "avstannad 45 dagar: Försenad 46 d" in items
    assert "Obesvarade förfrågningar mellan parterna (1) Polisen → Skolan, 21 dagar" in items
    assert "Flyttade tidsgränser den här månaden (1)" in items and "flyttad 2 gånger" in items
    assert "Åtgärder utan aktiv ansvarig (1) Left without an owner" in items


def test_a_quiet_month_says_so_in_one_line_each(app):
    agreement = make_agreement(title="Lugnt avtal", starts_on=dt.date(2026, 8, 1))
    a = make_action(agreement=agreement, title="On track", created_at=local(dt.date(2026, 8, 1)),
                    last_progress_at=local(dt.date(2026, 10, 20)), deadline=dt.date(2027, 3, 1))
    make_update(a, a.owner, at=local(dt.date(2026, 10, 20)))
    db.session.commit()
    first = page_one(agreement, "en")
    assert "For the steering group Nothing for the steering group to decide this month." in first
    html = services.render_html(build([agreement], OCTOBER, TODAY, Thresholds()), language="sv",
                                generated_at=GENERATED_AT, generated_by=None, thresholds=Thresholds())
    assert "Inga beslut den här månaden." in html and "Inget för styrgruppen att besluta om" in html


def test_the_stalled_sentence_names_waiting_and_ownerless(october):
    html = services.render_html(build([october], OCTOBER, TODAY, Thresholds()), language="en",
                                generated_at=GENERATED_AT, generated_by=None, thresholds=Thresholds())
    assert "overdue, blocked, waiting on another party, without an active owner, or have had no progress" in html


def test_building_the_items_takes_the_same_number_of_queries_for_more_actions(october):
    def statements() -> int:
        db.session.expire_all()
        with counting() as seen:
            build([october], OCTOBER, TODAY, Thresholds())
        return len(seen)

    before = statements()
    police = october.lead_organisation
    for n in range(6):
        a = make_action(agreement=october, title=f"More {n}", owner_organisation=police, owner=None,
                        owner_lost_on=dt.date(2026, 10, 1), created_at=local(dt.date(2026, 8, 1)),
                        deadline=dt.date(2026, 9, 1))
        make_request(a, make_organisation(), make_user(organisation=police), asked_at=local(dt.date(2026, 9, 1)))
        db.session.add(DeadlineChange(action=a, moved_from=dt.date(2026, 8, 1), moved_to=dt.date(2026, 9, 1),
                                      reason="Mer tid.", at=local(dt.date(2026, 10, 2))))
    db.session.commit()
    content = build([october], OCTOBER, TODAY, Thresholds())
    assert len(content.steering.ownerless) == 7 and len(content.steering.moves) == 7
    assert statements() == before


def test_the_stalled_list_quotes_the_last_update_of_the_actions_on_the_agenda_only(october):
    html = text_of(services.render_html(build([october], OCTOBER, TODAY, Thresholds()), language="en",
                                        generated_at=GENERATED_AT, generated_by=None, thresholds=Thresholds()))
    stalled = html[html.index("Stalled commitments"):html.index("Progress this month")]
    assert "Lägesrapport om Overdue since mid September." in stalled  # level 3, on page 1's agenda
    assert "Overdue since October tenth" in stalled  # level 2: listed, compact, without its update's text
    assert "Lägesrapport om Overdue since October tenth." not in stalled
