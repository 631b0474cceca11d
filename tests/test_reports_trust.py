"""Reports one can rely on: months outside an agreement's period are refused everywhere, versions count per
language, a past month shows the names it had, "coming up" lists what its heading names, the archive lists every
readable report (and nothing else), and generating a report is audited."""
import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_agreement, make_organisation, make_user, make_viewer
from tests.test_reports import OCTOBER, TODAY, local, october, pdf_text, render  # noqa: F401  (october: fixture)
from tracker import policy
from tracker.accounts import services as account_services
from tracker.accounts.models import Role
from tracker.actions.rules import Thresholds
from tracker.agreements import services as agreement_services
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.organisations import services as organisation_services
from tracker.reports import services
from tracker.reports.models import Report
from tracker.reports.period import Month, in_period, last_month_with_data, reportable_months
from tracker.reports.rules import OutOfPeriod

JULY = dt.date(2026, 7, 1)


@pytest.fixture
def frozen_today(monkeypatch):
    """The web forms read today from the clock (once per request); these tests fix it at TODAY (25 November 2026)."""
    monkeypatch.setattr("tracker.clock.local_today", lambda: TODAY)


def reports_count() -> int:
    return db.session.scalar(select(func.count(Report.id)))


def generate(agreements, month=OCTOBER, language="sv", by=None):
    report = services.generate(agreements, month, language=language, by=by, today=TODAY, thresholds=Thresholds())
    db.session.commit()
    return report


# 1. The agreement's period: one rule for the service, the forms and the CLI

def test_the_reportable_months_run_from_the_start_month_to_the_end_month_or_this_month():
    assert reportable_months(dt.date(2026, 7, 15), None, TODAY) == (Month(2026, 7), Month(2026, 11))
    assert reportable_months(dt.date(2026, 2, 1), dt.date(2026, 3, 31), TODAY) == (Month(2026, 2), Month(2026, 3))
    assert reportable_months(dt.date(2027, 1, 1), None, TODAY) is None
    assert [in_period(Month(2026, m), dt.date(2026, 7, 15), dt.date(2026, 10, 3), TODAY) for m in range(6, 12)] == [
        False, True, True, True, True, False]
    assert not in_period(Month(2025, 1), JULY, None, TODAY)
    assert not in_period(Month(2026, 12), JULY, None, TODAY)  # not begun
    # What a form proposes: the last whole month in the period, the month under way for a new agreement.
    assert last_month_with_data(JULY, None, TODAY) == Month(2026, 10)
    assert last_month_with_data(dt.date(2026, 11, 3), None, TODAY) == Month(2026, 11)
    assert last_month_with_data(dt.date(2026, 2, 1), dt.date(2026, 3, 31), TODAY) == Month(2026, 3)
    assert last_month_with_data(dt.date(2027, 1, 1), None, TODAY) is None


def test_the_service_refuses_a_month_before_the_start_or_after_the_end(app):
    started_in_july = make_agreement(title="Sommaravtal", starts_on=JULY, ends_on=None)
    ended = make_agreement(title="Vårprojekt", starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 3, 31))
    for agreement, month in ((started_in_july, Month(2025, 1)), (started_in_july, Month(2026, 6)),
                             (ended, Month(2026, 4)), (ended, Month(2026, 1))):
        with pytest.raises(OutOfPeriod):
            services.generate([agreement], month, language="sv", by=None, today=TODAY, thresholds=Thresholds())
    assert reports_count() == 0
    assert generate([started_in_july], Month(2026, 7)).number == 1


def test_the_agreement_page_refuses_a_month_outside_the_period_and_proposes_the_last_with_data(
        client, as_user, frozen_today):
    police = make_organisation()
    agreement = make_agreement(title="Sommaravtal", parties=[police], starts_on=JULY, ends_on=None)
    as_user(make_user(organisation=police))
    response = client.post(f"/agreements/{agreement.id}/reports", data={"month": "2025-01", "language": "sv"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "flash-error" in page
    assert "2025-01 ligger utanför avtalets period (juli 2026 – tills vidare)" in page
    assert reports_count() == 0
    assert 'value="2026-10"' in client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    new = make_agreement(parties=[police], starts_on=dt.date(2026, 11, 3))
    assert 'value="2026-11"' in client.get(f"/agreements/{new.id}").get_data(as_text=True)
    old = make_agreement(parties=[police], starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 3, 31))
    assert 'value="2026-03"' in client.get(f"/agreements/{old.id}").get_data(as_text=True)


def test_a_portfolio_refuses_agreements_that_did_not_run_in_the_month_naming_them(client, as_user, frozen_today):
    police = make_organisation()
    running = make_agreement(title="Löpande avtal", parties=[police])
    late = make_agreement(title="Sent startat avtal", parties=[police], starts_on=dt.date(2026, 11, 2))
    as_user(make_user(organisation=police))
    response = client.post("/reports/", data={"month": "2026-10", "language": "sv",
                                              "agreement_ids": [running.id, late.id]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dessa avtal pågick inte under 2026-10: Sent startat avtal (november 2026" in page
    assert "Löpande avtal (" not in page
    assert reports_count() == 0


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        result = runner.invoke(args=["reports", "generate", *args, "--today", "2026-11-25"])
        db.session.expire_all()
        return result

    return invoke


def test_the_cli_refuses_one_agreement_outside_its_period(cli):
    agreement = make_agreement(title="Sommaravtal", starts_on=JULY, ends_on=None)
    result = cli("--month", "2025-01", "--agreement", str(agreement.id))
    assert result.exit_code != 0
    assert "2025-01 is outside the agreement's period (July 2026 – until further notice)" in result.output
    assert reports_count() == 0


def test_the_cli_skips_agreements_outside_their_period_with_all_and_says_so(cli):
    running = make_agreement(title="Löpande avtal")
    late = make_agreement(title="Sommaravtal", starts_on=JULY)
    result = cli("--month", "2026-03", "--all")
    assert result.exit_code == 0, result.output
    assert f"skipped agreement {late.id} (Sommaravtal): it did not run in 2026-03" in result.output
    assert "1 report archived for 2026-03." in result.output
    assert "1 agreement skipped" in result.output
    assert [r.agreement_id for r in db.session.scalars(select(Report))] == [running.id]


# 2. Versions per month and language (also tests/test_reports.py)

def test_a_swedish_and_an_english_report_of_a_month_are_each_version_one(client, as_user, october, frozen_today):
    as_user(make_user(organisation=october["police"]))
    for language in ("sv", "en", "en"):
        client.post(f"/agreements/{october['agreement'].id}/reports", data={"month": "2026-10",
                                                                             "language": language})
    versions = db.session.execute(select(Report.language, Report.number).order_by(Report.id)).all()
    assert [tuple(v) for v in versions] == [("sv", 1), ("en", 1), ("en", 2)]


# 3. A past month as it stood, names included

def _rename_everything_in_november(october):
    admin = make_user(role=Role.ADMIN, organisation=october["police"])
    agreement, police, erik = october["agreement"], october["police"], october["erik"]
    sara = make_user(name="Sara Styrgrupp", organisation=october["school"])
    data = {f: getattr(agreement, f) for f in agreement_services.FIELDS} | {
        "title": "Järvaavtalet 2.0", "party_ids": agreement.party_ids, "steering_group_ids": [sara.id]}
    agreement_services.update_agreement(agreement, data, by=admin, version=agreement.version)
    organisation_services.update_organisation(police, {"name": "Polismyndigheten Nordväst", "short_name": "Polis NV",
                                                       "kind": police.kind, "municipality": police.municipality,
                                                       "contact_email": police.contact_email},
                                              by=admin, version=police.version)
    account_services.update_user(erik, {"email": erik.email, "name": "Erik Omdöpt", "role": erik.role,
                                        "organisation_id": erik.organisation_id, "language": erik.language},
                                 by=admin, version=erik.version)
    db.session.flush()
    november = local(dt.date(2026, 11, 3)).astimezone(dt.UTC)
    db.session.execute(AuditEvent.__table__.update().where(AuditEvent.verb == "update").values(at=november))
    db.session.commit()


def test_a_past_month_shows_the_names_it_had_and_this_month_the_new_ones(october):
    before = pdf_text(render(october["agreement"]))
    _rename_everything_in_november(october)
    text = pdf_text(render(october["agreement"]))
    assert text == before
    for old in ("Tidiga insatser i Järva", "Polisen Järva", "Erik Överdue"):
        assert old in text
    for new in ("Järvaavtalet", "Polismyndigheten", "Polis NV", "Erik Omdöpt", "Sara Styrgrupp"):
        assert new not in text
    now = pdf_text(render(october["agreement"], month=Month(2026, 11)))
    for new in ("Järvaavtalet 2.0", "Polismyndigheten Nordväst", "Polis NV", "Erik Omdöpt", "Sara Styrgrupp"):
        assert new in now
    for old in ("Tidiga insatser i Järva", "Polisen Järva", "Erik Överdue"):
        assert old not in now


# 4. Coming up lists exactly the period its heading names

def test_coming_up_in_the_month_under_way_names_the_days_it_covers(app):
    agreement = make_agreement(title="Avtal")
    made = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    for title, deadline in (("Senare denna månad", dt.date(2026, 11, 28)), ("Nästa månad", dt.date(2026, 12, 10)),
                            ("Om två månader", dt.date(2027, 1, 5)), ("Förfallen", dt.date(2026, 11, 20))):
        make_action(agreement=agreement, title=title, deadline=deadline, created_at=made)
    db.session.commit()
    text = pdf_text(render(agreement, month=Month(2026, 11)))
    start = text.index("Coming up: deadlines from 26 November to 31 December 2026")
    coming = text[start:text.index("All actions by owning")]
    assert "Senare denna månad" in coming and "Nästa månad" in coming
    assert "Om två månader" not in coming and "Förfallen" not in coming
    past = pdf_text(render(agreement, month=OCTOBER))
    coming = past[past.index("Coming up: deadlines in November 2026"):past.index("All actions by owning")]
    assert "Senare denna månad" in coming and "Förfallen" in coming and "Nästa månad" not in coming


# 5. The archive lists every report the user may read, and only those

@pytest.fixture
def archive(app):
    police, school, other = make_organisation(name="Polisen"), make_organisation(name="Skolan"), make_organisation()
    gunnar = make_viewer(name="Gunnar Styr", organisation=make_organisation(name="Länsstyrelsen"))
    first = make_agreement(title="Första avtalet", parties=[police], steering_group=[gunnar])
    second = make_agreement(title="Andra avtalet", parties=[police, school], steering_group=[gunnar])
    hidden = make_agreement(title="Annat avtal", parties=[other])
    reports = {
        "first": generate([first]), "first_en": generate([first], language="en"),
        "second": generate([second], month=Month(2026, 9)), "hidden": generate([hidden]),
        "portfolio": generate([first, second]), "mixed": generate([second, hidden]),
    }
    return dict(police=police, school=school, other=other, gunnar=gunnar, first=first, second=second,
                hidden=hidden, reports=reports)


def listed(client, query="") -> list[int]:
    import re

    page = client.get("/reports/" + query)
    assert page.status_code == 200
    return [int(i) for i in re.findall(r"/reports/(\d+)\.pdf", page.get_data(as_text=True))]


def test_a_steering_group_member_sees_every_report_of_their_agreements_newest_first(client, as_user, archive):
    r = archive["reports"]
    as_user(archive["gunnar"])
    assert listed(client) == [r["portfolio"].id, r["first_en"].id, r["first"].id, r["second"].id]


def test_a_user_of_another_organisation_neither_sees_nor_downloads_them(client, as_user, archive):
    r = archive["reports"]
    as_user(make_user(organisation=archive["other"]))
    assert listed(client) == [r["hidden"].id]
    for name in ("first", "portfolio", "mixed"):
        assert client.get(f"/reports/{r[name].id}.pdf").status_code == 403
    client.post("/logout")
    as_user(make_user(organisation=make_organisation()))
    assert listed(client) == []
    assert "Inga rapporter arkiverade ännu." in client.get("/reports/").get_data(as_text=True)


def test_the_list_and_the_download_follow_one_rule(client, as_user, archive):
    users = [archive["gunnar"], make_user(organisation=archive["police"]), make_viewer(organisation=archive["school"]),
             make_user(organisation=archive["other"]), make_user(role=Role.ADMIN)]
    db.session.commit()
    for user in users:
        sql = set(db.session.scalars(select(Report.id).where(policy.readable_reports(user))))
        assert sql == {r.id for r in archive["reports"].values() if policy.can_read_report(user, r)}


def test_filters_by_agreement_and_month(client, as_user, archive):
    r = archive["reports"]
    as_user(make_user(organisation=archive["police"]))
    assert listed(client, f"?agreement={archive['second'].id}") == [r["portfolio"].id, r["second"].id]
    assert listed(client, "?month=2026-09") == [r["second"].id]
    assert listed(client, f"?agreement={archive['first'].id}&month=2026-09") == []


@pytest.mark.parametrize("query", ["?month=2025-13", "?month=0001-01", "?month=" + "9" * 5000, "?month=<script>",
                                   "?agreement=abc", "?agreement=" + "9" * 40, "?agreement=-1", "?month=",
                                   "?page=99999999999", "?page=x"])
def test_hostile_filters_give_a_message_never_a_500(client, as_user, archive, query):
    as_user(make_user(organisation=archive["police"]))
    response = client.get("/reports/" + query, follow_redirects=True)  # an empty filter is dropped by a redirect
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>" not in page
    if query.startswith("?month=") and query != "?month=":
        assert "Ange månaden som år och månad" in page


def test_another_organisations_agreement_in_the_filter_shows_nothing_of_it(client, as_user, archive):
    as_user(make_user(organisation=archive["police"]))
    response = client.get(f"/reports/?agreement={archive['hidden'].id}")
    assert response.status_code == 200 and "Annat avtal" not in response.get_data(as_text=True)
    assert listed(client, f"?agreement={archive['hidden'].id}") != [archive["reports"]["hidden"].id]


def test_the_archive_is_paginated(client, as_user, app):
    police = make_organisation()
    agreement = make_agreement(parties=[police])
    made = [generate([agreement]) for _ in range(27)]
    as_user(make_user(organisation=police))
    first, second = listed(client), listed(client, "?page=2")
    assert first + second == [r.id for r in reversed(made)] and len(second) == 2


@pytest.mark.parametrize("month", ["", "2025-13", "0001-01", "9" * 5000, "2099-01"])
def test_hostile_months_in_the_portfolio_form_keep_the_choice_and_archive_nothing(client, as_user, archive,
                                                                                  frozen_today, month):
    as_user(make_user(organisation=archive["police"]))
    response = client.post("/reports/", data={"month": month, "language": "sv",
                                              "agreement_ids": [archive["first"].id, archive["second"].id]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "has-error" in page and "checked" in page  # the message by the field, the choice kept
    assert reports_count() == len(archive["reports"])


def test_a_steering_group_viewer_makes_a_portfolio_of_their_agreements_but_not_of_others(
        client, as_user, archive, frozen_today):
    as_user(archive["gunnar"])
    ids = [archive["first"].id, archive["second"].id]
    assert client.post("/reports/", data={"month": "2026-10", "language": "en", "agreement_ids": ids}).status_code \
        == 303
    report = db.session.scalars(select(Report).order_by(Report.id.desc())).first()
    assert report.agreement_ids == sorted(ids) and report.generated_by_id == archive["gunnar"].id
    count = reports_count()
    client.post("/reports/", data={"month": "2026-10", "language": "en",
                                   "agreement_ids": [archive["first"].id, archive["hidden"].id]})
    assert reports_count() == count


# 6. Generating a report is audited

def test_generating_records_an_event_the_audit_log_finds_under_reports(client, as_user, october, frozen_today):
    coordinator = make_user(organisation=october["police"])
    as_user(coordinator)
    client.post(f"/agreements/{october['agreement'].id}/reports", data={"month": "2026-10", "language": "en"})
    report = db.session.scalar(select(Report))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "reports"))
    assert (event.verb, event.object_id, event.actor_id) == ("generate", report.id, coordinator.id)
    assert event.changes == {"month": [None, "2026-10"], "language": [None, "en"], "number": [None, 1]}
    client.post("/logout")
    as_user(make_user(role=Role.ADMIN))
    export = client.get("/admin/audit/export.csv?object_type=reports").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(export.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 2 and "Månad: – → 2026-10" in rows[1][8]
    page = client.get("/admin/audit/?object_type=reports&verb=generate").get_data(as_text=True)
    assert "genererade" in page
