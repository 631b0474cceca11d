"""`flask reports generate`: the monthly cron job, its input checks and its behaviour when rendering fails."""
import datetime as dt

import pytest
import weasyprint
from sqlalchemy import func, select

from tests.factories import make_action, make_agreement, make_organisation, make_user
from tracker.agreements.models import AgreementStatus
from tracker.extensions import db
from tracker.reports.models import Report

EARLY = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)


def reports_count() -> int:
    return db.session.scalar(select(func.count(Report.id)))


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        result = runner.invoke(args=["reports", "generate", *args])
        db.session.expire_all()
        return result

    return invoke


def test_all_active_agreements_get_one_report_each(cli):
    for n in range(3):
        make_action(agreement=make_agreement(title=f"Avtal {n}"), created_at=EARLY)
    make_agreement(title="Utkast", status=AgreementStatus.DRAFT)
    result = cli("--month", "2026-10", "--all", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "3 reports archived for 2026-10." in result.output
    assert reports_count() == 3


def test_one_agreement_by_id_in_english(cli):
    agreement = make_agreement()
    result = cli("--month", "2026-10", "--agreement", str(agreement.id), "--language", "en", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Report)).language == "en"


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2026-13", "--all"], "give the month as YYYY-MM"),
    (["--month", "", "--all"], "give the month as YYYY-MM"),
    (["--month", "x" * 5000, "--all"], "give the month as YYYY-MM"),
    (["--month", "2026-12", "--all", "--today", "2026-11-25"], "has not begun yet"),
    (["--month", "2026-10"], "give either --agreement ID or --all"),
    (["--month", "2026-10", "--all", "--agreement", "1"], "give either --agreement ID or --all"),
    (["--month", "2026-10", "--agreement", "987654"], "there is no agreement with id 987654"),
    (["--month", "2026-10", "--agreement", "abc"], "is not a valid integer"),
    (["--month", "2026-10", "--all", "--today", "tomorrow"], "give the date as YYYY-MM-DD"),
    (["--month", "2026-10", "--all", "--language", "de"], "Invalid value for '--language'"),
], ids=["month-13", "empty-month", "huge-month", "future-month", "no-target", "both-targets", "unknown-id",
        "id-not-a-number", "bad-today", "unknown-language"])
def test_bad_input_exits_non_zero_with_a_clear_message_and_archives_nothing(cli, args, message):
    make_agreement()
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert reports_count() == 0


def test_the_reports_archived_are_mailed_even_when_another_failed(cli, monkeypatch):
    police = make_organisation()
    for title in ("Avtal som lyckas", "Avtal som fallerar"):
        make_agreement(title=title, parties=[police], steering_group=[make_user(organisation=police)])

    def failing_second(self, *args, calls=[], **kwargs):  # noqa: B006  (counts the calls)
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_write_pdf(self, *args, **kwargs)

    real_write_pdf = weasyprint.HTML.write_pdf
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", failing_second)
    result = cli("--month", "2026-10", "--all", "--today", "2026-11-25", "--processes", "1")
    assert result.exit_code == 1 and "1 of 2 reports failed" in result.output
    assert "1 new message, 0 queued or sent before." in result.output


def test_a_failure_mid_batch_keeps_the_whole_reports_and_names_the_failed_one(cli, monkeypatch):
    agreements = [make_agreement(title=f"Avtal {n}") for n in range(3)]
    real_write_pdf = weasyprint.HTML.write_pdf
    calls = []

    def failing_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", failing_second)
    result = cli("--month", "2026-10", "--all", "--today", "2026-11-25", "--processes", "1")  # patched here only
    assert result.exit_code == 1
    assert "1 of 3 reports failed" in result.output and "No space left on device" in result.output
    assert f"agreement {agreements[1].id}" in result.output
    archived = db.session.scalars(select(Report).order_by(Report.agreement_id)).all()
    assert [r.agreement_id for r in archived] == [agreements[0].id, agreements[2].id]
    assert all(r.size == len(r.content) > 1000 for r in archived)
