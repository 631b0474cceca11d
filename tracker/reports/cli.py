"""`flask reports generate` and `flask reports send`: the monthly cron jobs."""
import datetime as dt
import os
import time
from collections.abc import Iterable

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import joinedload

from tracker import jobs
from tracker.actions.rules import Thresholds
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.clock import local_today
from tracker.extensions import db
from tracker.loading import LARGEST_ID
from tracker.reports import background, mailing, pool
from tracker.reports.job_words import failure_reason
from tracker.reports.models import JobState, Report, ReportJob
from tracker.reports.period import BadMonth, Month
from tracker.reports.rules import outside_period, period_error, period_label

reports = AppGroup("reports", help="Monthly PDF progress reports.")
WAIT_SECONDS = 1.0  # how often `generate --wait` looks at the workers' progress


def _month(ctx: click.Context, param: click.Parameter, value: str) -> Month:
    try:
        return Month.parse(value)
    except BadMonth:
        raise click.BadParameter(_("give the month as YYYY-MM, e.g. 2026-11")) from None


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise click.BadParameter(_("give the date as YYYY-MM-DD")) from None


def _short(title: str, limit: int = 60) -> str:
    """A title cut at a word for one line of output, with "…" when cut."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(" ,:;–-") + "…"


def _name(agreement: Agreement) -> str:
    return _("agreement %(id)d (%(title)s)", id=agreement.id, title=_short(agreement.title))


def _chosen(month: Month, agreement_id: int | None, every: bool, today: dt.date, *, ended: bool = False,
            also: ColumnElement[bool] | None = None) -> list[Agreement]:
    """The agreements named (--agreement ID) or every active one (--all, and those `also` selects), without those
    that did not run in the month (each named). ended: the month must be over. Clear errors, non-zero exit status,
    for wrong arguments."""
    if (agreement_id is None) == (not every):
        raise click.UsageError(_("give either --agreement ID or --all"))
    try:
        month.as_of(today)
    except BadMonth:
        raise click.BadParameter(_("%(month)s has not begun yet", month=month), param_hint="--month") from None
    if ended and month.last_day >= today:
        raise click.BadParameter(_("%(month)s is not over yet: a month's report is mailed once the month has ended",
                                   month=month), param_hint="--month")
    if every:
        wanted = Agreement.status == AgreementStatus.ACTIVE
        agreements = list(db.session.scalars(select(Agreement).where(wanted if also is None else or_(wanted, also))
                                             .order_by(Agreement.id)))
    else:
        agreement = db.session.get(Agreement, agreement_id) if 1 <= (agreement_id or 0) <= LARGEST_ID else None
        if agreement is None:
            raise click.ClickException(_("there is no agreement with id %(id)d", id=agreement_id))
        agreements = [agreement]
        message = period_error(agreements, month, today)
        if message:
            raise click.BadParameter(message, param_hint="--month")
    skipped = outside_period(agreements, month, today)
    for agreement in skipped:
        click.echo("  " + _("skipped agreement %(id)d (%(title)s): it did not run in %(month)s (%(period)s)",
                            id=agreement.id, title=_short(agreement.title), month=month,
                            period=period_label(agreement)), err=True)
    if skipped:
        click.echo(ngettext("%(num)d agreement skipped: %(month)s is outside its period.",
                            "%(num)d agreements skipped: %(month)s is outside their period.", len(skipped),
                            month=month), err=True)
    return [a for a in agreements if a not in skipped]


@reports.command("generate")
@click.option("--month", required=True, callback=_month, help="The month, YYYY-MM.")
@click.option("--agreement", "agreement_id", type=int, help="One agreement's id.")
@click.option("--all", "all_active", is_flag=True, help="Every active agreement, one report each.")
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--no-mail", is_flag=True, help="Do not mail the reports to the steering groups.")
@click.option("--today", callback=_date, help="Treat this date (YYYY-MM-DD) as today; default: today in Stockholm.")
@click.option("--processes", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="every core",
              help="Without REDIS_URL: how many processes make reports at once.")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="With REDIS_URL: wait for the workers and show their progress.")
def generate(month: Month, agreement_id: int | None, all_active: bool, language: str, no_mail: bool,
             today: dt.date | None, processes: int, wait: bool) -> None:
    """Generate and archive the monthly report of one agreement (--agreement ID) or of every active one (--all),
    and mail it to each steering group (unless --no-mail, or the month is not over), as `reports send` does. With
    REDIS_URL set the workers (`flask worker`) make one report each at a time; without it, a pool of processes."""
    today = today or local_today()
    agreements = _chosen(month, agreement_id, all_active, today)
    mail = not no_mail and month.last_day < today
    if not no_mail and not mail:
        click.echo(_("Not mailed: %(month)s is not over yet. Mail it once it has ended with flask reports send.",
                     month=month), err=True)
    began = time.monotonic()
    queued = jobs.enabled()
    ids = [background.ask([a], month, language=language, by=None, today=today,
                          send_mail=mail and queued and not wait).id for a in agreements]
    db.session.commit()
    if queued:
        background.start(ids)
        if not wait:
            click.echo(ngettext("%(num)d report queued for the workers (flask worker); they mail it when done.",
                                "%(num)d reports queued for the workers (flask worker); they mail them when done.",
                                len(ids)))
            return
    _make_reports(month, ids, processes, queued)
    done, failures = _outcome(month, ids, began, processes, queued)
    if mail:  # the reports that were archived are mailed, whatever became of the others
        _tell(_mail_each(done, month))
    if failures:
        raise click.ClickException(ngettext("%(failed)d of %(num)d report failed; nothing of it was archived:",
                                            "%(failed)d of %(num)d reports failed; nothing of them was archived:",
                                            len(ids), failed=len(failures)) + "\n  " + "\n  ".join(failures))


def _make_reports(month: Month, ids: list[int], processes: int, queued: bool) -> None:
    """Make the jobs' reports (a pool here, or the workers when queued), with a progress bar as each finishes."""
    with click.progressbar(length=len(ids), label=_("Reports for %(month)s", month=month), show_pos=True) as bar:
        if not queued:
            pool.run_all(current_app._get_current_object(), ids, processes,  # type: ignore[attr-defined]
                         lambda job_id: bar.update(1))
            return
        over = 0
        while over < len(ids):
            time.sleep(WAIT_SECONDS)
            db.session.expire_all()
            states = list(db.session.scalars(select(ReportJob).where(ReportJob.id.in_(ids))))
            for job in states:
                background.settle(job)  # a worker that died: its job fails instead of being waited for forever
            db.session.commit()
            now_over = sum(1 for job in states if job.state.is_over)
            bar.update(now_over - over)
            over = now_over


def _outcome(month: Month, ids: list[int], began: float, processes: int,
             queued: bool) -> tuple[list[Agreement], list[str]]:
    """Say what was archived and how long it took; the agreements whose report is archived, and a line for each
    that failed, with the reason."""
    db.session.expire_all()
    made = list(db.session.scalars(select(ReportJob).where(ReportJob.id.in_(ids)).order_by(ReportJob.id)
                                   .options(joinedload(ReportJob.report))))
    done, failures = [], []
    for job in made:
        agreement = db.session.get(Agreement, job.agreement_ids[0])
        if job.state is JobState.DONE and job.report and agreement:
            done.append(agreement)
            click.echo("  " + _("archived report %(id)d: %(file)s (%(size)d bytes)", id=job.report.id,
                                file=job.report.filename, size=job.report.size), err=True)
            continue
        name = _name(agreement) if agreement else _("agreement %(id)d", id=job.agreement_ids[0])
        error = (job.failure_detail or {}).get("error")  # the technical cause, for the operator
        failures.append(f"{name}: {failure_reason(job)}" + (f" ({error})" if error else ""))
    click.echo(_("Took %(seconds).1f s (%(how)s).", seconds=time.monotonic() - began,
                 how=_("on the workers") if queued else ngettext("%(num)d process", "%(num)d processes",
                                                                 min(processes, len(ids)) or 1)))
    if not failures:
        click.echo(ngettext("%(num)d report archived for %(month)s.", "%(num)d reports archived for %(month)s.",
                            len(ids), month=month))
    return done, failures


@reports.command("send")
@click.option("--month", required=True, callback=_month, help="The month, YYYY-MM.")
@click.option("--agreement", "agreement_id", type=int, help="One agreement's id.")
@click.option("--all", "every", is_flag=True, help="Every active agreement, and any other with a report that month.")
@click.option("--today", callback=_date, help="Treat this date (YYYY-MM-DD) as today; default: today in Stockholm.")
def send(month: Month, agreement_id: int | None, every: bool, today: dt.date | None) -> None:
    """Mail each steering group's active members their agreement's archived report for the month (in their
    language when archived in it), once per agreement, month and person."""
    today = today or local_today()
    own_report = Agreement.id.in_(select(Report.agreement_id).where(Report.month == str(month)))
    agreements = _chosen(month, agreement_id, every, today, ended=True, also=own_report)
    sendings = _mail_each(agreements, month)
    _tell(sendings)
    if agreement_id is not None and sendings[0].no_report:
        raise click.ClickException(_("there is no archived report of %(month)s for this agreement: generate it "
                                     "first (flask reports generate --month %(month)s --agreement %(id)d)",
                                     month=month, id=agreement_id))


def _mail_each(agreements: Iterable[Agreement], month: Month) -> list[mailing.Sending]:
    """Mail each agreement's archived report of the month to its steering group, committing each agreement's
    messages with their audit event; what each sending did."""
    limits = Thresholds.from_config(current_app.config)
    sendings = []
    for agreement in agreements:
        sendings.append(mailing.send_month(agreement, month, thresholds=limits))
        db.session.commit()
    return sendings


def _tell(sendings: list[mailing.Sending]) -> None:
    """What sending did, per agreement on stderr (the versions chosen, who was left out), and in all on stdout."""
    for s in sendings:
        if s.no_report:
            click.echo("  " + _("%(agreement)s: no report archived for %(month)s", agreement=_name(s.agreement),
                                month=s.month), err=True)
            continue
        versions = ", ".join(_("version %(number)d %(language)s to %(num)d", number=r.number, num=n,
                               language=mailing.IN_LANGUAGE.get(r.language, r.language))
                             for r, n in sorted(s.attached.items(), key=lambda item: item[0].id))
        click.echo("  " + _("%(agreement)s: %(new)d new, %(sent)d queued or sent before", agreement=_name(s.agreement),
                            new=s.queued, sent=s.already_sent) + (f"; {versions}" if versions else ""), err=True)
        if s.left_out:
            click.echo("    " + ngettext("%(num)d member left out: deactivated, or may no longer read the agreement",
                                         "%(num)d members left out: deactivated, or may no longer read the agreement",
                                         s.left_out), err=True)
    queued, already = sum(s.queued for s in sendings), sum(s.already_sent for s in sendings)
    click.echo(ngettext("%(num)d new message, %(sent)d queued or sent before.",
                        "%(num)d new messages, %(sent)d queued or sent before.", queued, sent=already))
    if queued:
        click.echo(_("They wait in the outbox until flask mail send (or the worker) delivers them."))
