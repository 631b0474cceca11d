"""`flask mail send`: deliver what is due in the outbox (cron, or after a failure; workers do it when REDIS_URL is
set)."""
import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.mail.delivery import NotConfigured, deliver_all
from tracker.mail.models import MessageState, OutboxMessage

mail = AppGroup("mail", help="The e-mail outbox.")


@mail.command("send")
def send() -> None:
    """Deliver the messages that are due; exit status 1 when the SMTP server cannot be reached."""
    try:
        result = deliver_all()
    except NotConfigured:
        waiting = db.session.scalar(select(func.count(OutboxMessage.id))
                                    .where(OutboxMessage.state == MessageState.QUEUED))
        click.echo(_("No SMTP server is configured (SAMVERKA_MAIL_SMTP_HOST): %(num)d messages wait in the outbox.",
                     num=waiting))
        return
    for error in result.errors:
        click.echo("  " + error, err=True)
    click.echo(_("%(sent)d sent, %(retrying)d to be tried again later, %(failed)d failed.",
                 sent=result.sent, retrying=result.retrying, failed=result.failed))
    if result.unreachable:
        raise click.ClickException(_("the SMTP server could not be reached (%(error)s); the messages stay queued",
                                     error=result.unreachable))
