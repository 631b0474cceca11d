"""`flask reminders send`: the daily job (cron) that queues the weekly digests and the escalation notices."""
import datetime as dt

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from tracker.clock import local_today
from tracker.extensions import db
from tracker.formfields import EARLIEST_DATE, LATEST_DATE
from tracker.reminders.services import send_reminders

reminders = AppGroup("reminders", help="Weekly digests and escalation notices by e-mail.")


def _today(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("give the date as YYYY-MM-DD, e.g. 2026-12-07")) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise click.BadParameter(_("give a date from %(first)s to %(last)s", first=EARLIEST_DATE.isoformat(),
                                   last=LATEST_DATE.isoformat()))
    return day


@reminders.command("send")
@click.option("--today", callback=_today, help="Treat this date (YYYY-MM-DD) as today; default: today in Stockholm.")
def send(today: dt.date | None) -> None:
    """Queue today's weekly digests and the notices of actions that reached escalation level 2 or 3 (run it daily;
    `flask mail send` or the worker delivers them). Running it twice the same day queues nothing twice."""
    today = today or local_today()
    queued = send_reminders(today)
    db.session.commit()
    click.echo(_("%(digests)d digests and %(notices)d notices queued for %(date)s.", digests=queued.digests,
                 notices=queued.notices, date=today.isoformat()))
