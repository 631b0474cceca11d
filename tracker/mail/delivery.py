"""Delivering the outbox over SMTP: each due message is taken (a lease, so two senders never take the same one),
sent in its own SMTP transaction and marked in its own database transaction.

A refusal for this message alone is kept on it: 4xx is tried again later with a growing pause, 5xx (a bounced
address, too large) fails it for an administrator to see. A server that cannot be reached, or that says it is
closing (421), ends the round: the message stays queued, due again, without spending an attempt.
"""
import contextlib
import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from tracker.clock import utcnow
from tracker.extensions import db
from tracker.mail.attachments import MissingAttachment, load
from tracker.mail.compose import clean_header
from tracker.mail.models import MessageState, OutboxMessage

LONGEST_PAUSE = dt.timedelta(hours=6)


class NotConfigured(Exception):
    """No SMTP server is configured (MAIL_SMTP_HOST): messages wait in the outbox."""


class Unreachable(Exception):
    """The server cannot be reached now (refused, timed out, closing, TLS or sign-in failed)."""


class Refused(Exception):
    """The server refused this message: permanent (5xx) or for now (4xx)."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code} {text}")
        self.permanent = 500 <= code < 600


@dataclass
class Round:
    """What one delivery round did."""
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unreachable: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    security: str  # "starttls", "tls" or "none"
    username: str
    password: str
    timeout: float
    sender: str
    max_attempts: int
    retry_after: dt.timedelta
    lease: dt.timedelta
    max_bytes: int
    batch: int

    @classmethod
    def from_config(cls, config: Any) -> "Settings":
        return cls(host=config["MAIL_SMTP_HOST"], port=int(config["MAIL_SMTP_PORT"]),
                   security=str(config["MAIL_SMTP_SECURITY"]).lower(), username=config["MAIL_SMTP_USERNAME"],
                   password=config["MAIL_SMTP_PASSWORD"], timeout=float(config["MAIL_SMTP_TIMEOUT"]),
                   sender=clean_header(config["MAIL_FROM"]), max_attempts=int(config["MAIL_MAX_ATTEMPTS"]),
                   retry_after=dt.timedelta(seconds=int(config["MAIL_RETRY_AFTER_SECONDS"])),
                   lease=dt.timedelta(seconds=int(config["MAIL_LEASE_SECONDS"])),
                   max_bytes=int(config["MAIL_MAX_MESSAGE_BYTES"]), batch=int(config["MAIL_BATCH"]))

    @property
    def envelope_sender(self) -> str:
        return parseaddr(self.sender)[1]


class Connection:
    """One SMTP connection for a round, opened at the first message."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage, recipient: str) -> None:
        smtp = self._open()
        try:
            smtp.send_message(message, from_addr=self.settings.envelope_sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise self._refusal(code, text) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise self._refusal(exc.smtp_code, exc.smtp_error) from exc
        except smtplib.SMTPNotSupportedError as exc:
            # This message needs what the server does not offer (an address with letters beyond ASCII needs
            # SMTPUTF8): it can never go through this server, and the rest of the outbox must not wait behind it.
            raise Refused(553, f"the server does not take this message: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._smtp = None
            raise Unreachable(f"{type(exc).__name__}: {exc}") from exc

    def _refusal(self, code: int, text: bytes | str) -> Exception:
        words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        if code == 421:  # the server is closing the connection: try again later, with everything else
            self._smtp = None
            return Unreachable(f"{code} {words}")
        return Refused(code, words)

    def _open(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.username:
                smtp.login(s.username, s.password)
        except (smtplib.SMTPException, OSError) as exc:
            raise Unreachable(f"{type(exc).__name__}: {exc}") from exc
        self._smtp = smtp
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # closing anyway
                self._smtp.quit()
            self._smtp = None


def deliver_due(*, now: dt.datetime | None = None, limit: int | None = None) -> Round:
    """Send the messages that are due, each committed on its own; raises NotConfigured without an SMTP server."""
    settings = Settings.from_config(current_app.config)
    if not settings.host:
        raise NotConfigured()
    now = now or utcnow()
    result, connection = Round(), Connection(settings)
    try:
        for message_id in _due_ids(now, limit or settings.batch):
            message = _take(message_id, now, settings.lease)
            if message is None:
                continue  # another sender took it
            _deliver(connection, message, settings, now, result)
            db.session.commit()
            if result.unreachable:
                break
    finally:
        connection.close()
    return result


def deliver_all(*, now: dt.datetime | None = None) -> Round:
    """Delivery rounds until nothing more is due now, or the server cannot be reached; the rounds' sum."""
    total = Round()
    while True:
        result = deliver_due(now=now)
        total.sent, total.retrying, total.failed = (total.sent + result.sent, total.retrying + result.retrying,
                                                    total.failed + result.failed)
        total.errors += result.errors
        total.unreachable = result.unreachable
        if result.unreachable or result.handled == 0:
            return total


def _due_ids(now: dt.datetime, limit: int) -> list[int]:
    return list(db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.state == MessageState.QUEUED,
                                       OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))


def _take(message_id: int, now: dt.datetime, lease: dt.timedelta) -> OutboxMessage | None:
    """Move the message's due time ahead by the lease, if it is still queued and due: then it is ours alone."""
    taken = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.state == MessageState.QUEUED,
                                    OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + lease).execution_options(synchronize_session=False))
    db.session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult; the stubs say Result
        return None
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def _deliver(connection: Connection, message: OutboxMessage, settings: Settings, now: dt.datetime,
             result: Round) -> None:
    try:
        email = build(message, settings)
        connection.send(email, message.to_address)
    except Unreachable as exc:
        message.next_attempt_at, message.last_error = now, f"server unreachable: {exc}"[:1000]
        result.unreachable = str(exc)
        return
    except (Refused, TooLarge, MissingAttachment, ValueError) as exc:
        message.attempts += 1
        message.last_error = _describe(exc)[:1000]
        permanent = not isinstance(exc, Refused) or exc.permanent
        if permanent or message.attempts >= settings.max_attempts:
            message.state = MessageState.FAILED
            result.failed += 1
        else:
            message.next_attempt_at = now + min(settings.retry_after * 2 ** (message.attempts - 1), LONGEST_PAUSE)
            result.retrying += 1
        result.errors.append(f"{message.to_address}: {message.last_error}")
        return
    message.attempts += 1
    message.state, message.sent_at, message.last_error = MessageState.SENT, now, None
    if message.is_secret:  # the link has done its work: keep only the copy without it
        message.text_body = message.hidden_text or ""
        message.html_body = message.hidden_html or ""
    result.sent += 1


def _describe(exc: Exception) -> str:
    if isinstance(exc, MissingAttachment):
        return f"attachment no longer exists: {exc}"
    return str(exc)


class TooLarge(Exception):
    """The message with its attachments is larger than MAIL_MAX_MESSAGE_BYTES."""


def build(message: OutboxMessage, settings: Settings) -> EmailMessage:
    """The MIME message: plain text and HTML alternatives, then the attachments."""
    email = EmailMessage(policy=SMTP)
    email["From"] = settings.sender
    email["To"] = Address(display_name=clean_header(message.to_name, 200), addr_spec=message.to_address)
    email["Subject"] = clean_header(message.subject)
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a robot
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    for ref in message.attachments:
        attachment = load(ref)
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    email["Content-Language"] = message.language  # last: adding content drops a message's Content-* headers
    size = len(email.as_bytes())
    if size > settings.max_bytes:
        raise TooLarge(f"message too large: {size} bytes, the limit is {settings.max_bytes}")
    return email
