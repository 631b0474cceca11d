"""`flask reports generate`: the monthly cron job."""
import datetime as dt

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from tracker.actions.rules import Thresholds
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.clock import local_today
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.period import BadMonth, Month
from tracker.reports.rules import outside_period, period_error, period_label

reports = AppGroup("reports", help="Monthly PDF progress reports.")


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


@reports.command("generate")
@click.option("--month", required=True, callback=_month, help="The month, YYYY-MM.")
@click.option("--agreement", "agreement_id", type=int, help="One agreement's id.")
@click.option("--all", "all_active", is_flag=True, help="Every active agreement, one report each.")
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--today", callback=_date, help="Treat this date (YYYY-MM-DD) as today; default: today in Stockholm.")
def generate(month: Month, agreement_id: int | None, all_active: bool, language: str, today: dt.date | None) -> None:
    """Generate and archive the monthly report of one agreement (--agreement ID) or of every active one (--all)."""
    from flask import current_app

    if (agreement_id is None) == (not all_active):
        raise click.UsageError(_("give either --agreement ID or --all"))
    today = today or local_today()
    try:
        month.as_of(today)
    except BadMonth:
        raise click.BadParameter(_("%(month)s has not begun yet", month=month), param_hint="--month") from None
    if all_active:
        agreements = db.session.scalars(select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE)
                                        .order_by(Agreement.id)).all()
    else:
        agreement = db.session.get(Agreement, agreement_id)
        if agreement is None:
            raise click.ClickException(_("there is no agreement with id %(id)d", id=agreement_id))
        agreements = [agreement]
        message = period_error(agreements, month, today)
        if message:
            raise click.BadParameter(message, param_hint="--month")
    skipped = outside_period(agreements, month, today)
    for agreement in skipped:
        click.echo("  " + _("skipped agreement %(id)d (%(title)s): it did not run in %(month)s (%(period)s)",
                            id=agreement.id, title=agreement.title[:60], month=month,
                            period=period_label(agreement)), err=True)
    agreements = [a for a in agreements if a not in skipped]
    limits = Thresholds.from_config(current_app.config)
    failures = []
    with click.progressbar(agreements, label=_("Reports for %(month)s", month=month), show_pos=True,
                           item_show_func=lambda a: a.title[:40] if a else None) as bar:
        for agreement in bar:
            try:
                report = services.generate([agreement], month, language=language, by=None, today=today,
                                           thresholds=limits)
                db.session.commit()  # each report whole or not at all
            except Exception as exc:
                db.session.rollback()
                failures.append(_("agreement %(id)d (%(title)s)", id=agreement.id, title=agreement.title[:60])
                                + f": {type(exc).__name__}: {exc}")
            else:
                click.echo("  " + _("archived report %(id)d: %(file)s (%(size)d bytes)", id=report.id,
                                    file=report.filename, size=report.size), err=True)
    if failures:
        raise click.ClickException(ngettext("%(failed)d of %(num)d report failed; nothing of it was archived:",
                                              "%(failed)d of %(num)d reports failed; nothing of them was archived:",
                                              len(agreements), failed=len(failures)) + "\n  " + "\n  ".join(failures))
    click.echo(ngettext("%(num)d report archived for %(month)s.", "%(num)d reports archived for %(month)s.",
                        len(agreements), month=month))
    if skipped:
        click.echo(ngettext("%(num)d agreement skipped: %(month)s is outside its period.",
                            "%(num)d agreements skipped: %(month)s is outside their period.", len(skipped),
                            month=month))
