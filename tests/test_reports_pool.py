"""`flask reports generate --all` without Redis makes its reports in a pool of processes: the same reports as one
process makes, each whole, and a clear account of what failed."""
import datetime as dt
import re

from sqlalchemy import select

from tests.factories import make_action, make_agreement, make_organisation, make_update, make_user
from tests.test_reports import pdf_text
from tracker.actions.models import ActionStatus
from tracker.agreements.models import Agreement
from tracker.extensions import db
from tracker.reports import background, pool
from tracker.reports.models import JobState, Report, ReportJob
from tracker.reports.period import Month

EARLY = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
VERSION = re.compile(r"(version|Version) \d+|\d\d:\d\d(:\d\d)?")  # the number, and the time it was made


def generate(app, *args):
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "generate", "--month", "2026-10", "--all",
                                                "--today", "2026-11-25", "--no-mail", *args])
    db.session.expire_all()
    return result


def three_agreements() -> list[int]:
    police, school = make_organisation(short_name="Polisen"), make_organisation(short_name="Skolan")
    erik = make_user(organisation=police)
    ids = []
    for n in range(3):
        agreement = make_agreement(title=f"Avtal {n}", parties=[police, school])
        for m in range(4):
            action = make_action(agreement=agreement, title=f"Åtgärd {n}.{m}", owner_organisation=police,
                                 created_at=EARLY, deadline=dt.date(2026, 9 + m % 3, 15),
                                 status=ActionStatus.BLOCKED if m == 1 else ActionStatus.IN_PROGRESS)
            make_update(action, erik, at=dt.datetime(2026, 10, 5 + m, 9, tzinfo=dt.UTC), text=f"Steg {m}")
        ids.append(agreement.id)
    return ids


def by_agreement(number: int) -> dict[int, tuple[dict, str]]:
    """{agreement id: (snapshot, PDF text without its version number)} of the reports with this version number."""
    return {r.agreement_id: (r.snapshot, VERSION.sub("version N", pdf_text(r.content)))
            for r in db.session.scalars(select(Report).where(Report.number == number))}


def test_a_pool_of_two_processes_makes_the_same_reports_as_one_process(app):
    ids = three_agreements()
    serial = generate(app, "--processes", "1")
    assert serial.exit_code == 0, serial.output
    assert "(1 process)" in serial.output
    pooled = generate(app, "--processes", "2")
    assert pooled.exit_code == 0, pooled.output
    assert "3 reports archived for 2026-10." in pooled.output and "(2 processes)" in pooled.output
    one, two = by_agreement(1), by_agreement(2)
    assert sorted(one) == sorted(two) == sorted(ids)
    for agreement_id in ids:
        assert one[agreement_id][0] == two[agreement_id][0]  # every action's standing
        assert one[agreement_id][1] == two[agreement_id][1] and "Åtgärd" in two[agreement_id][1]
    assert {j.state for j in db.session.scalars(select(ReportJob))} == {JobState.DONE}


def test_a_job_that_fails_in_a_pool_process_ends_failed_with_its_reason_and_the_others_are_done(app):
    ids = three_agreements()
    gone = make_agreement(title="Strax borta")
    jobs = [background.ask([db.session.get(Agreement, i)], Month(2026, 10), language="sv", by=None,
                           today=dt.date(2026, 11, 25)) for i in [*ids[:2], gone.id]]
    db.session.delete(gone)
    db.session.commit()
    finished = []
    pool.run_all(app, [j.id for j in jobs], 2, finished.append)
    db.session.expire_all()
    assert sorted(finished) == sorted(j.id for j in jobs)
    assert [(j.state, j.failure) for j in jobs] == [(JobState.DONE, None), (JobState.DONE, None),
                                                    (JobState.FAILED, "agreement_gone")]
    assert sorted(db.session.scalars(select(Report.agreement_id))) == sorted(ids[:2])


def test_a_process_count_out_of_range_is_refused(app):
    for wrong in ("0", "-1", "abc", "1000"):
        result = generate(app, "--processes", wrong)
        assert result.exit_code == 2 and "--processes" in result.output
