"""Report page 1: what to decide. At a glance with each figure's change since last month, and "Since last month"
from the previous month's archived snapshot (or that month rebuilt from history when none was archived)."""
import datetime as dt
import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.factories import make_action, make_agreement, make_organisation, make_update, make_user
from tracker.actions import services as action_services
from tracker.actions.models import ActionStatus
from tracker.actions.rules import Thresholds
from tracker.audit.models import AuditEvent
from tracker.clock import STOCKHOLM
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.content import build
from tracker.reports.models import Report
from tracker.reports.period import Month
from tracker.reports.snapshot import Snapshot

TODAY = dt.date(2026, 11, 25)
SEPTEMBER, OCTOBER = Month(2026, 9), Month(2026, 10)
GENERATED_AT = dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC)


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def render(agreement, month=OCTOBER, language="en", **options):
    return services.render_pdf([agreement], month, language=language, today=TODAY, thresholds=Thresholds(),
                               generated_at=GENERATED_AT, generated_by=None, **options)


@pytest.fixture
def two_months(app):
    """September and October 2026. At the end of September only "Gets going again" had stalled (silent since
    5 Aug); in October "Stalls in October" passed its deadline, "Gets going again" had an update, "Finished" was
    completed and "New in October" was added."""
    police = make_organisation(name="Polisen Järva", short_name="Polisen")
    school = make_organisation(name="Husbygårdsskolan", short_name="Skolan")
    erik = make_user(name="Erik Åström", organisation=police)
    agreement = make_agreement(title="Trygg i Järva", parties=[police, school], starts_on=dt.date(2026, 8, 1))
    made = local(dt.date(2026, 8, 1))

    def action(title, *updates, **fields):
        a = make_action(agreement=agreement, title=title, owner=erik, owner_organisation=police, created_at=made,
                        last_progress_at=local(updates[-1]), **fields)
        for day in updates:
            make_update(a, erik, at=local(day), text=f"Lägesrapport {day:%d %b}.")
        return a

    action("Stalls in October", dt.date(2026, 9, 20), deadline=dt.date(2026, 10, 15))
    action("Gets going again", dt.date(2026, 8, 5), dt.date(2026, 10, 20), deadline=dt.date(2027, 6, 1))
    action("Steady work", dt.date(2026, 9, 25), dt.date(2026, 10, 25), deadline=dt.date(2027, 6, 1))
    finished = action("Finished", dt.date(2026, 9, 28), deadline=dt.date(2026, 12, 1))
    db.session.commit()
    action_services.log_progress(finished, text="Klart.", status=ActionStatus.DONE, progress=100, blocked_reason="",
                                 by=erik, version=finished.version, at=local(dt.date(2026, 10, 10)))
    db.session.flush()
    db.session.execute(AuditEvent.__table__.update().where(AuditEvent.object_id == finished.id)
                       .values(at=local(dt.date(2026, 10, 10)).astimezone(dt.UTC)))
    new = make_action(agreement=agreement, title="New in October", owner=erik, owner_organisation=school,
                      created_at=local(dt.date(2026, 10, 5)), last_progress_at=local(dt.date(2026, 10, 5)),
                      deadline=dt.date(2027, 3, 1))
    make_update(new, erik, at=local(dt.date(2026, 10, 5)), text="Start.")
    db.session.commit()
    return dict(agreement=agreement, erik=erik)


def since_section(text: str, heading: str, following: str) -> str:
    return text[text.index(heading):text.index(following)]


def test_page_one_opens_with_the_header_at_a_glance_and_since_last_month_rebuilt_from_history(two_months):
    first = pages(render(two_months["agreement"]))[0]
    assert first.startswith("Monthly progress report · October 2026 Trygg i Järva")
    assert "Parties:" in first and "Skolan" in first and "Generated:" in first
    assert first.index("At a glance") < first.index("Since last month")
    glance = since_section(first, "At a glance", "Since last month")
    # stalled 1 → 1; done 0 → 1; updates: 3 in September (20, 25 and 28 Sep) → 4 in October (5, 10, 20, 25 Oct)
    assert "Stalled actions 1 1 unchanged" in glance
    assert "Done actions 1 0 +1" in glance
    assert "Progress updates in the month 4 3 +1" in glance
    assert "as rebuilt from the history" in glance
    since = first[first.index("Since last month"):]
    assert "Newly stalled (1) Stalls in October · Polisen · Overdue 16 d" in since
    assert "No longer stalled (1) Gets going again" in since
    assert "Completed (1) Finished" in since
    assert "New actions (1) New in October · Skolan" in since
    assert first.index("At a glance") < first.index("For the steering group") < first.index("Since last month")


def test_since_last_month_compares_with_the_archived_snapshot_when_there_is_one(two_months):
    agreement = two_months["agreement"]
    # September was archived with a stricter silence rule: three actions had stalled in the report then read.
    september = services.generate([agreement], SEPTEMBER, language="sv", by=None, today=TODAY,
                                  thresholds=Thresholds(stale_after_days=3))
    db.session.commit()
    snapshot = Snapshot.from_json(db.session.get(Report, september.id).snapshot or {})
    assert snapshot.as_of == dt.date(2026, 9, 30) and snapshot.stalled == 3 and snapshot.updates == 3
    first = pages(render(agreement))[0]
    assert "Compared with the archived report for 30 September 2026 (version 1)." in first
    assert "Stalled actions 1 3 −2" in first
    assert "Newly stalled (0)" in first  # "Stalls in October" had already stalled in the archived September
    assert "No longer stalled (2) Gets going again · Polisen Steady work · Polisen" in first


def test_a_report_of_the_month_under_way_is_not_taken_for_the_month_end(two_months):
    agreement = two_months["agreement"]
    services.generate([agreement], OCTOBER, language="en", by=None, today=dt.date(2026, 10, 12),
                      thresholds=Thresholds(stale_after_days=3))  # "so far", as of 12 October
    db.session.commit()
    content = build([agreement], Month(2026, 11), TODAY, Thresholds())
    assert content.previous is not None and content.previous.source == "rebuilt"
    assert content.previous.as_of == dt.date(2026, 10, 31)


def test_swedish_page_one_and_an_agreement_that_began_this_month(two_months):
    first = pages(render(two_months["agreement"], language="sv"))[0]
    for heading in ("Läget i korthet", "Sedan förra månaden", "Nyss avstannade (1)", "Inte längre avstannade (1)",
                    "Klara (1)", "Nya åtgärder (1)", "Avstannade åtgärder 1 1 oförändrat", "Försenad 16 d"):
        assert heading in first
    fresh = make_agreement(title="Nytt avtal", starts_on=dt.date(2026, 10, 1))
    make_action(agreement=fresh, title="Första åtgärden", created_at=local(dt.date(2026, 10, 2)))
    db.session.commit()
    first = pages(render(fresh, language="sv"))[0]
    assert "Avstannade åtgärder 0 – ingen tidigare månad" in first
    assert "Avtalet började denna månad: det finns ingen tidigare månad att jämföra med." in first
    assert "Nyss avstannade" not in first


@pytest.fixture
def many(app):
    """60 actions, 30 of them stalled, with updates this month: a multi-page report."""
    agreement = make_agreement(title="Stort avtal i Järva", starts_on=dt.date(2026, 1, 1))
    author = make_user(organisation=agreement.lead_organisation)
    for i in range(60):
        stalled = i % 2 == 0
        last = local(dt.date(2026, 8, 1) if stalled else dt.date(2026, 10, 20))
        a = make_action(agreement=agreement, title=f"Åtgärd {i + 1}: stöd till unga i Rinkeby och Tensta",
                        created_at=local(dt.date(2026, 2, 1)), last_progress_at=last,
                        deadline=dt.date(2026, 10, 1) if stalled else dt.date(2027, 5, 1))
        make_update(a, author, at=last, text="Arbetet går vidare enligt plan. " * 4)
    db.session.commit()
    return agreement


def test_a_longer_report_stays_compact_and_its_board_summary_fits_two_pages(many):
    pdf = render(many)
    if path := os.environ.get("SAMVERKA_KEEP_PDF"):
        Path(path).write_bytes(pdf)
    full = pages(pdf)
    assert 3 <= len(full) <= 6
    assert "30 open actions have stalled" in " ".join(full)
    board = pages(render(many, board_only=True))
    assert len(board) <= 2
    text = " ".join(board)
    assert "At a glance" in text and "Summary" in text and "Stalled commitments" not in text
    assert "and 22 more" in text  # the since-last-month lists stay short on page 1


def test_building_the_report_and_its_comparison_takes_as_many_queries_for_many_actions_as_for_few(two_months):
    from tests.test_query_counts import counting

    agreement = two_months["agreement"]

    def queries() -> int:
        db.session.expire_all()
        with counting() as statements:
            build([agreement], OCTOBER, TODAY, Thresholds())
        return len(statements)

    few = queries()
    erik = two_months["erik"]
    for i in range(12):
        a = make_action(agreement=agreement, title=f"Fler {i}", owner=erik, created_at=local(dt.date(2026, 8, 2)),
                        last_progress_at=local(dt.date(2026, 10, 3)))
        make_update(a, erik, at=local(dt.date(2026, 10, 3)))
    db.session.commit()
    assert queries() == few
