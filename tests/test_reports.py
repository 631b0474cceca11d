"""Monthly reports: content and order read back from the PDF, reproducibility, the archive, permissions, input."""
import datetime as dt
import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.factories import make_action, make_agreement, make_organisation, make_update, make_user, make_viewer
from tracker.accounts.models import Role
from tracker.actions import services as action_services
from tracker.actions.models import ActionStatus
from tracker.actions.rules import Thresholds
from tracker.audit.models import AuditEvent
from tracker.clock import STOCKHOLM
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.models import Report
from tracker.reports.period import BadMonth, Month

TODAY = dt.date(2026, 11, 25)
OCTOBER = Month(2026, 10)
GENERATED_AT = dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC)


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with white space folded, so words wrapped inside a table cell still read as written."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def october(app):
    """An agreement whose state at the end of October 2026 is known: one action overdue, one blocked,
    one silent, one on track, one done in October, one due in November."""
    police = make_organisation(name="Polisen Järva", short_name="Polisen")
    school = make_organisation(name="Husbygårdsskolan", short_name="Skolan")
    erik = make_user(name="Erik Överdue", organisation=police)
    karin = make_user(name="Karin Blockström", organisation=school)
    agreement = make_agreement(title="Tidiga insatser i Järva", parties=[police, school],
                               starts_on=dt.date(2026, 1, 1))
    made = dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)

    def action(title, owner, organisation, text="Arbetet pågår.", **fields):
        """An action whose last progress update is at last_progress_at, as the services would leave it."""
        a = make_action(agreement=agreement, title=title, owner=owner, owner_organisation=organisation,
                        created_at=made, **fields)
        make_update(a, owner, at=a.last_progress_at, text=text)
        return a

    overdue = action("Föräldramöten om sociala medier", erik, police, deadline=dt.date(2026, 10, 20),
                     last_progress_at=local(dt.date(2026, 10, 25)), text="Lokal bokad.")
    blocked = action("Utegym i parken", karin, school, status=ActionStatus.BLOCKED, deadline=dt.date(2027, 3, 1),
                     blocked_reason="Markägaren svarar inte.", last_progress_at=local(dt.date(2026, 10, 28)))
    silent = action("Trygghetsvandring", karin, school, deadline=dt.date(2027, 2, 1),
                    last_progress_at=local(dt.date(2026, 9, 1)))
    on_track = action("Fältassistenter", erik, police, deadline=dt.date(2027, 1, 15),
                      last_progress_at=local(dt.date(2026, 10, 30)))
    done = make_action(agreement=agreement, title="Lovaktiviteter", owner=erik, owner_organisation=police,
                       created_at=made, status=ActionStatus.DONE, progress=100, deadline=dt.date(2026, 10, 1),
                       last_progress_at=local(dt.date(2026, 10, 10)))
    make_update(done, erik, at=local(dt.date(2026, 10, 10)), text="Över 300 deltog.",
                status_from=ActionStatus.IN_PROGRESS, status_to=ActionStatus.DONE)
    due_next_month = action("Mentorsprogram", karin, school, deadline=dt.date(2026, 11, 20),
                            last_progress_at=local(dt.date(2026, 10, 29)))
    db.session.commit()
    return dict(agreement=agreement, erik=erik, karin=karin, police=police, school=school, overdue=overdue,
                blocked=blocked, silent=silent, on_track=on_track, done=done, due_next_month=due_next_month)


def render(agreement, month=OCTOBER, language="en", today=TODAY):
    return services.render_pdf([agreement], month, language=language, today=today, thresholds=Thresholds(),
                               generated_at=GENERATED_AT, generated_by=None)


def test_stalled_commitments_come_before_every_other_list_with_owners_and_reasons(october):
    text = pdf_text(render(october["agreement"]))
    stalled = text.index("Stalled commitments")
    assert stalled < text.index("Progress this month") < text.index("All actions by owning organisation")
    section = text[stalled:text.index("Progress this month")]
    assert "3 open actions have stalled" in section
    # Most overdue first, then blocked, then silent; each with its owner and its reason in days.
    order = [section.index(t) for t in ("Föräldramöten", "Utegym", "Trygghetsvandring")]
    assert order == sorted(order)
    assert "Erik Överdue" in section and "Karin Blockström" in section
    assert "Overdue 11 d" in section  # 20 Oct → 31 Oct
    assert "Blocked" in section and "Markägaren svarar inte." in section
    assert "Silent 60 d" in section  # 1 Sep → 31 Oct
    for not_stalled in ("Fältassistenter", "Lovaktiviteter", "Mentorsprogram"):
        assert not_stalled not in section


def test_report_sections_say_what_happened_this_month_and_what_comes_next(october):
    text = pdf_text(render(october["agreement"]))
    progress = text[text.index("Progress this month"):text.index("Coming up")]
    assert "Lokal bokad." in progress and "Över 300 deltog." in progress
    completed = progress[progress.index("Completed this month"):]
    assert "Lovaktiviteter" in completed
    coming = text[text.index("Coming up: deadlines in November 2026"):text.index("All actions by owning")]
    assert "Mentorsprogram" in coming and "Fältassistenter" not in coming
    summary = text[text.index("Summary"):text.index("Stalled commitments")]
    assert "6" in summary and "17 %" in summary  # 6 actions, 1 of 6 done


def test_every_page_carries_its_number_of_the_total_and_the_agreement_title(october):
    reader = PdfReader(io.BytesIO(render(october["agreement"], language="sv")))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Sida {number} av {pages}" in text
        if number > 1:
            assert "Tidiga insatser i Järva" in text and "Oktober 2026" in text


def test_swedish_report_speaks_swedish_and_renders_swedish_letters(october):
    text = pdf_text(render(october["agreement"], language="sv"))
    assert "Månadsrapport" in text or "MÅNADSRAPPORT" in text
    assert "Erik Överdue" in text and "Föräldramöten" in text


def test_a_past_month_renders_the_same_after_later_changes(october):
    before = pdf_text(render(october["agreement"]))
    # November: progress is logged, the deadline moves, an action is finished and a new one added.
    overdue, erik = october["overdue"], october["erik"]
    action_services.log_progress(overdue, text="Mötet hölls.", status=ActionStatus.DONE, progress=100,
                                 blocked_reason="", by=erik, version=overdue.version, at=local(dt.date(2026, 11, 3)))
    data = {f: getattr(october["silent"], f) for f in action_services.FIELDS} | {"deadline": dt.date(2027, 6, 1),
                                                                                  "title": "Nytt namn",
                                                                                  "deadline_reason": "Senare start"}
    action_services.update_action(october["silent"], data, by=erik, version=october["silent"].version)
    db.session.flush()
    # The audit trail dates those changes to November, as it would have in reality.
    db.session.execute(AuditEvent.__table__.update().values(at=local(dt.date(2026, 11, 3)).astimezone(dt.UTC)))
    make_action(agreement=october["agreement"], title="Ny åtgärd", created_at=local(dt.date(2026, 11, 5)))
    db.session.commit()
    assert pdf_text(render(october["agreement"])) == before


def test_agreement_without_actions_still_reports(app):
    text = pdf_text(render(make_agreement(title="Tomt avtal")))
    assert "No commitments had stalled" in text and "The agreement has no actions yet." in text


def test_hostile_and_huge_text_is_printed_as_text(app):
    agreement = make_agreement(title="Avtal")
    early = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    make_action(agreement=agreement, title="<script>alert(1)</script>", deadline=dt.date(2026, 10, 1),
                description='<img src="file:///etc/passwd">', created_at=early)
    make_action(agreement=agreement, title="Å" * 300, description="Ö" * 2000, deadline=dt.date(2026, 10, 2),
                created_at=early)  # the longest title the form accepts; descriptions are not in the report
    make_update(make_action(agreement=agreement, deadline=dt.date(2026, 11, 20), created_at=early),
                make_user(organisation=agreement.lead_organisation), text="Ä" * 2000,
                at=dt.datetime(2026, 10, 10, tzinfo=dt.UTC))
    text = pdf_text(render(agreement))
    assert "<script>alert(1)</script>" in text
    assert "root:" not in text
    # Long titles are cut in the compact lists (90 characters at most; wrapped lines come back with a space).
    assert "Å" * 89 + "…" in text.replace(" ", "")
    assert text.count("Ä") == 109  # the latest update is cut at 110 characters in print, with …


@pytest.mark.parametrize("text", ["2026-13", "26-11", "november", "", "2026-11-01", "x" * 10_000, "1999-12"])
def test_malformed_months_are_refused(text):
    with pytest.raises(BadMonth):
        Month.parse(text)


def test_a_month_that_has_not_begun_is_refused():
    with pytest.raises(BadMonth):
        Month(2026, 12).as_of(TODAY)
    assert Month(2026, 11).as_of(TODAY) == TODAY  # the month under way reports "so far"


def test_versions_are_numbered_per_month_and_language_and_keep_the_first(october):
    made = [services.generate([october["agreement"]], OCTOBER, language=language, by=None, today=TODAY,
                              thresholds=Thresholds()) for language in ("sv", "en", "sv")]
    db.session.commit()
    assert [(r.language, r.number) for r in made] == [("sv", 1), ("en", 1), ("sv", 2)]
    for report in made:
        assert hashlib.sha256(report.content).hexdigest() == report.sha256 and report.size == len(report.content)
    assert db.session.scalar(select(func.count(Report.id))) == 3


# Through the web

def test_party_viewer_downloads_the_archived_pdf(client, as_user, october):
    report = services.generate([october["agreement"]], OCTOBER, language="sv", by=None, today=TODAY,
                               thresholds=Thresholds())
    viewer = make_viewer(organisation=october["school"])
    as_user(viewer)
    response = client.get(f"/reports/{report.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data[:4] == b"%PDF" and "attachment" in response.headers["Content-Disposition"]
    page = client.get(f"/agreements/{october['agreement'].id}").get_data(as_text=True)
    assert f"/reports/{report.id}.pdf" in page
    assert f"/agreements/{october['agreement'].id}/reports" not in page  # viewers do not generate


def test_user_of_another_organisation_cannot_download_or_generate(client, as_user, october):
    report = services.generate([october["agreement"]], OCTOBER, language="sv", by=None, today=TODAY,
                               thresholds=Thresholds())
    outsider = make_user(role=Role.COORDINATOR)
    as_user(outsider)
    assert client.get(f"/reports/{report.id}.pdf").status_code == 403
    response = client.post(f"/agreements/{october['agreement'].id}/reports", data={"month": "2026-10",
                                                                                    "language": "sv"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Report.id))) == 1


def test_unknown_report_is_404(client, as_user):
    as_user(make_user())
    assert client.get("/reports/999999.pdf").status_code == 404


def test_coordinator_of_a_party_generates_from_the_agreement_page(client, as_user, october):
    as_user(make_user(organisation=october["school"]))
    response = client.post(f"/agreements/{october['agreement'].id}/reports", data={"month": "2026-10",
                                                                                    "language": "sv"})
    assert response.status_code == 303
    report = db.session.scalar(select(Report))
    assert (report.month, report.number, report.language) == ("2026-10", 1, "sv")


def test_viewer_cannot_generate(client, as_user, october):
    as_user(make_viewer(organisation=october["school"]))
    response = client.post(f"/agreements/{october['agreement'].id}/reports", data={"month": "2026-10",
                                                                                    "language": "sv"})
    assert response.status_code == 403


@pytest.mark.parametrize("month", ["2099-01", "2026-13", "abc", "", "<script>", "9" * 5000],
                         ids=["future", "month-13", "letters", "empty", "markup", "huge"])
def test_bad_month_from_the_page_gives_a_message_and_archives_nothing(client, as_user, october, month):
    as_user(make_user(organisation=october["police"]))
    response = client.post(f"/agreements/{october['agreement'].id}/reports",
                           data={"month": month, "language": "sv"}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "flash-error" in page
    if month:
        assert "Ange en månad som har börjat" in page
    assert db.session.scalar(select(func.count(Report.id))) == 0


def test_unknown_language_is_refused(client, as_user, october):
    as_user(make_user(organisation=october["police"]))
    client.post(f"/agreements/{october['agreement'].id}/reports", data={"month": "2026-10", "language": "xx"})
    assert db.session.scalar(select(func.count(Report.id))) == 0


def test_portfolio_report_covers_several_agreements(client, as_user, october):
    other = make_agreement(title="Trygg närmiljö", parties=[october["police"]])
    make_action(agreement=other, title="Belysning på gångvägen", deadline=dt.date(2026, 9, 1),
                created_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC))
    as_user(make_user(organisation=october["police"]))
    response = client.post("/reports/", data={"month": "2026-10", "language": "en",
                                              "agreement_ids": [october["agreement"].id, other.id]})
    assert response.status_code == 303
    report = db.session.scalar(select(Report))
    assert report.agreement_id is None and sorted(report.agreement_ids) == sorted([october["agreement"].id, other.id])
    text = pdf_text(report.content)
    assert "Belysning på gångvägen" in text and "Föräldramöten" in text
    assert client.get(f"/reports/{report.id}.pdf").status_code == 200


def test_portfolio_of_an_agreement_the_user_cannot_read_is_refused(client, as_user, october):
    hidden = make_agreement(title="Hemligt")
    as_user(make_user(organisation=october["police"]))
    client.post("/reports/", data={"month": "2026-10", "language": "en",
                                   "agreement_ids": [october["agreement"].id, hidden.id]})
    assert db.session.scalar(select(func.count(Report.id))) == 0
