"""The daily job, `flask reminders send`: bad input is refused with a clear message and a non-zero exit; it reads
in a fixed number of queries however many actions and people there are; with REDIS_URL set, the commit queues the
delivery job that a worker runs."""
import datetime as dt

import pytest
from redis import Redis
from sqlalchemy import func, select

from tests.factories import make_action, make_agreement, make_organisation, make_request, make_user, make_viewer
from tests.smtp import smtp_server, text_of  # noqa: F401  (a fixture)
from tests.test_mail_worker import REDIS, redis_queue  # noqa: F401  (a fixture)
from tests.test_query_counts import counting
from tracker.clock import STOCKHOLM
from tracker.extensions import db
from tracker.mail.models import OutboxMessage
from tracker.reminders.services import send_reminders

TODAY = dt.date(2026, 12, 7)  # a Monday, everyone's digest day by default


def at(days: int) -> dt.datetime:
    return dt.datetime.combine(TODAY + dt.timedelta(days=days), dt.time(10), tzinfo=STOCKHOLM)


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["reminders", "send", *args])


def messages() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def build(rows: int) -> None:
    """rows organisations, each with two coordinators and a steering-group member, an agreement (every other one
    with thresholds of its own) and, in it, a level-3 action, a silent one, one waiting on another party, one due
    soon and one without an owner."""
    for n in range(rows):
        organisation, partner = make_organisation(), make_organisation()
        owner, colleague = make_user(organisation=organisation), make_user(organisation=organisation)
        member = make_viewer(organisation=partner)
        agreement = make_agreement(lead_organisation=organisation, parties=[organisation, partner],
                                   steering_group=[member], escalate_level2_days=10 if n % 2 else None)

        def action(agreement=agreement, organisation=organisation, owner=owner, **kw):
            values = dict(owner=owner, deadline=TODAY + dt.timedelta(days=60), last_progress_at=at(-2),
                          created_at=at(-100)) | kw
            return make_action(agreement=agreement, owner_organisation=organisation, **values)

        action(deadline=TODAY - dt.timedelta(days=40))
        action(last_progress_at=at(-45))
        make_request(action(), partner, colleague, asked_at=at(-20))
        action(deadline=TODAY + dt.timedelta(days=3))
        action(owner=None, owner_lost_on=TODAY - dt.timedelta(days=20))


def reading_statements() -> tuple[list[str], list[str]]:
    """The job's statements: those that read, and those that write messages (one insert each, in a savepoint)."""
    db.session.commit()
    db.session.expunge_all()
    with counting() as statements:
        send_reminders(TODAY)
    db.session.commit()
    writes = [s for s in statements if "outbox_messages" in s or s.startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]
    return [s for s in statements if s not in writes], writes


def test_the_job_reads_in_a_fixed_number_of_queries_however_many_actions_and_people(app):
    build(2)
    few, written = reading_statements()
    first = messages()
    build(7)
    many, _ = reading_statements()
    assert len(many) == len(few), "\n\n".join(many)
    assert messages() > first > 0 and written  # the runs really queued digests and notices
    again, rewritten = reading_statements()  # nothing new: nothing written, and the reads are the same
    assert len(again) == len(few)
    assert [s for s in rewritten if not s.startswith("SELECT")] == []


def test_the_cli_reports_what_it_queued_and_a_second_run_queues_nothing(app):
    """Both coordinators get a digest (the owner's own actions, and the one without an owner); the level-3 action
    tells them and the steering-group member, the silent and the ownerless one (level 2) tell both coordinators."""
    build(1)
    first = cli(app, "--today", TODAY.isoformat())
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "2 digests and 7 notices queued for 2026-12-07."
    again = cli(app, "--today", TODAY.isoformat())
    assert again.output.strip() == "0 digests and 0 notices queued for 2026-12-07."
    assert messages() == 9


def test_without_today_the_job_judges_by_today_in_stockholm(app):
    result = cli(app)
    assert result.exit_code == 0 and "0 digests and 0 notices queued for" in result.output


@pytest.mark.parametrize(("value", "message"), [
    ("2026-13-01", "give the date as YYYY-MM-DD"), ("", "give the date as YYYY-MM-DD"),
    ("next monday", "give the date as YYYY-MM-DD"), ("9" * 40, "give the date as YYYY-MM-DD"),
    ("x" * 10_000, "give the date as YYYY-MM-DD"), ("2026-12-07\r\nBcc: x", "give the date as YYYY-MM-DD"),
    ("<script>", "give the date as YYYY-MM-DD"), ("0001-01-01", "give a date from 2000-01-01 to 2100-12-31"),
    ("9999-12-31", "give a date from 2000-01-01 to 2100-12-31")],
    ids=["month-13", "empty", "words", "40-digits", "huge", "crlf", "markup", "year-1", "year-9999"])
def test_a_bad_today_is_refused_with_a_clear_message_and_queues_nothing(app, value, message):
    build(1)
    result = cli(app, "--today", value)
    assert result.exit_code == 2
    assert "Invalid value for '--today'" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert messages() == 0


def test_an_unknown_option_is_refused(app):
    result = cli(app, "--day", "2026-12-07")
    assert result.exit_code == 2 and "No such option" in result.output


def test_with_redis_the_commit_queues_delivery_and_the_worker_sends(app, smtp_server, redis_queue):
    from rq import Queue

    build(1)
    assert cli(app, "--today", TODAY.isoformat()).exit_code == 0
    queue = Queue(redis_queue, connection=Redis.from_url(REDIS))
    assert [job.func_name for job in queue.jobs] == ["tracker.mail.jobs.deliver"]

    result = app.test_cli_runner().invoke(args=["worker", "--burst"])

    assert result.exit_code == 0, result.output
    assert len(smtp_server.inbox.messages) == 9
    assert sum("Weekly summary" in m["Subject"] or "Veckosammanfattning" in m["Subject"]
               for m in smtp_server.inbox.messages) == 2


def test_without_redis_flask_mail_send_delivers_them(app, smtp_server):
    build(1)
    cli(app, "--today", TODAY.isoformat())
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "9 sent" in result.output
    assert all("Samverka" in text_of(m) for m in smtp_server.inbox.messages)
