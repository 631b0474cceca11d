"""Writing messages to the outbox, in the caller's transaction, and an administrator's retry. Services flush, never
commit: a message exists exactly when the change that caused it was committed."""
import datetime as dt
import uuid
from collections.abc import Iterable
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from tracker import jobs
from tracker.audit.services import record
from tracker.clock import utcnow
from tracker.editing import savepoint
from tracker.extensions import db
from tracker.mail.compose import Recipient, clean_header, is_address, write
from tracker.mail.models import MessageState, OutboxMessage

if TYPE_CHECKING:  # for the annotation only: the actor is a User, which the core does not import
    from tracker.accounts.models import User

HIDDEN = "…"
DELIVER_JOB = "tracker.mail.jobs.deliver"  # run by a worker after the commit, when there are workers


def is_queued(dedup_key: str) -> bool:
    """Whether a message with this key was ever queued (whatever became of it)."""
    return bool(db.session.scalar(select(exists().where(OutboxMessage.dedup_key == dedup_key))))


def queue(to: Recipient, *, kind: str, dedup_key: str, template: str, subject: Any,
          attachments: Iterable[dict[str, Any]] = (), secret: str | None = None,
          **context: Any) -> OutboxMessage | None:
    """Write one message to the outbox in the caller's transaction; None when a message with this key exists, so
    the same digest, notice or report mail is never queued twice. `secret` is a token in the message's link:
    administrators see the message with it hidden, and once sent only that copy is kept. An address that is not a
    plain e-mail address is kept as a failed message, with the reason, for an administrator to see."""
    dedup_key = dedup_key[:200]
    if is_queued(dedup_key):
        return None
    letter = write(to, template, subject, **context)
    message = OutboxMessage(kind=kind, dedup_key=dedup_key, to_user_id=to.user_id, to_address=to.address[:254],
                            to_name=clean_header(to.name, 200), language=to.language, subject=letter.subject,
                            text_body=letter.text, html_body=letter.html, attachments=list(attachments),
                            message_id=_message_id(), created_at=utcnow(), next_attempt_at=utcnow())
    if secret:
        message.is_secret = True
        message.hidden_text = letter.text.replace(secret, HIDDEN)
        message.hidden_html = letter.html.replace(str(escape(secret)), HIDDEN)
    if not is_address(to.address):
        message.state, message.last_error = MessageState.FAILED, "not a valid e-mail address"
    try:
        with savepoint():
            db.session.add(message)
            db.session.flush()
    except IntegrityError:  # queued meanwhile by another process, under the same key
        return None
    jobs.after_commit(DELIVER_JOB)
    return message


def queue_test_message(to: Recipient, *, by: "User") -> OutboxMessage | None:
    """A message an administrator sends themself to check that e-mail gets through. Audited."""
    message = queue(to, kind="test", dedup_key=f"test:{uuid.uuid4().hex}", template="mail/test_message",
                    subject=_l("Test message from Samverka"), asked_by=by.name,
                    smtp_host=current_app.config["MAIL_SMTP_HOST"],
                    why=_l("You get this message because you asked for it on the outbox page."))
    if message is not None:
        record(by, "send_test", message)
    return message


def _message_id() -> str:
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "samverka.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def retry(message: OutboxMessage, *, by: "User", now: dt.datetime | None = None) -> bool:
    """Queue a failed message again, due at once; False when it had not failed. Audited."""
    if message.state is not MessageState.FAILED or not is_address(message.to_address):
        return False
    message.state, message.attempts, message.next_attempt_at = MessageState.QUEUED, 0, now or utcnow()
    record(by, "retry", message, {"state": [MessageState.FAILED.value, MessageState.QUEUED.value]})
    db.session.flush()
    jobs.after_commit(DELIVER_JOB)
    return True
