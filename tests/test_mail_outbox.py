"""The outbox and its delivery over real SMTP: nothing lost, nothing sent twice, every refusal kept and shown."""
import datetime as dt

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_admin, make_user
from tests.smtp import html_of, smtp_server, text_of  # noqa: F401  (a fixture)
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.mail import outbox
from tracker.mail.attachments import reference
from tracker.mail.compose import Recipient, recipient
from tracker.mail.delivery import deliver_all
from tracker.mail.models import MessageState, OutboxMessage


def queue_test(to, by=None):
    message = outbox.queue_test_message(to if isinstance(to, Recipient) else recipient(to), by=by or make_admin())
    db.session.commit()
    return message


def messages(state=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    return list(db.session.scalars(query))


def test_a_test_message_reaches_the_server_in_the_recipients_language(app, client, smtp_server):
    admin = make_admin(name="Anna Lindqvist", email="anna@example.se", language="en")
    sign_in(client, admin)
    response = client.post("/admin/outbox/test")
    assert response.status_code == 303
    [queued] = messages()
    assert (queued.state, queued.to_address, queued.language) == (MessageState.QUEUED, "anna@example.se", "en")

    result = deliver_all()

    assert (result.sent, result.failed, result.retrying) == (1, 0, 0)
    [mail] = smtp_server.inbox.messages
    assert mail["Subject"] == "Test message from Samverka"
    assert mail["To"] == "Anna Lindqvist <anna@example.se>"
    assert mail["From"] == "Samverka <samverka@test.example.se>"
    assert mail["Message-ID"] == queued.message_id
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Content-Language"] == "en"
    assert "Hello Anna Lindqvist," in text_of(mail)
    assert "you asked for it on the outbox page" in text_of(mail)
    assert '<html lang="en">' in html_of(mail) and "<img" not in html_of(mail)
    db.session.expire_all()
    assert messages()[0].state is MessageState.SENT and messages()[0].attempts == 1


def test_swedish_is_the_default_language(app, smtp_server):
    queue_test(make_user(language=None))
    deliver_all()
    [mail] = smtp_server.inbox.messages
    assert mail["Subject"] == "Testmeddelande från Samverka"
    assert text_of(mail).startswith("Hej ")


def test_the_same_key_is_queued_once(app):
    to = recipient(make_user())
    first = outbox.queue(to, kind="test", dedup_key="digest:7:2026-W49", template="mail/test_message",
                         subject="S", why="W", asked_by="A", smtp_host="")
    again = outbox.queue(to, kind="test", dedup_key="digest:7:2026-W49", template="mail/test_message",
                         subject="S", why="W", asked_by="A", smtp_host="")
    db.session.commit()
    assert first is not None and again is None
    assert len(messages()) == 1


def test_the_server_stopping_halfway_loses_nothing_and_doubles_nothing(app, smtp_server):
    """The server closes after four of ten messages (421, then it is gone); after its restart every message has
    arrived exactly once."""
    admin = make_admin()
    people = [make_user(email=f"person{n}@example.se") for n in range(10)]
    for person in people:
        queue_test(person, by=admin)
    smtp_server.inbox.close_after = 4

    first = deliver_all()

    assert first.sent == 4 and first.unreachable and "421" in first.unreachable
    smtp_server.stop()
    db.session.expire_all()
    waiting = messages(MessageState.QUEUED)
    assert len(waiting) == 6
    assert all(m.attempts == 0 and "421" in m.last_error for m in waiting[:1])  # the one refused says why
    runner = app.test_cli_runner()
    down = runner.invoke(args=["mail", "send"])
    assert down.exit_code == 1 and "could not be reached" in down.output
    assert len(messages(MessageState.QUEUED)) == 6

    smtp_server.inbox.close_after = None
    smtp_server.start()
    second = runner.invoke(args=["mail", "send"])

    assert second.exit_code == 0, second.output
    assert "6 sent" in second.output
    received = [m["Message-ID"] for m in smtp_server.inbox.messages]
    assert sorted(received) == sorted(m.message_id for m in messages())
    assert len(received) == len(set(received)) == 10
    assert sorted(m["X-Envelope-To"] for m in smtp_server.inbox.messages) == sorted(p.email for p in people)
    db.session.expire_all()
    assert {m.state for m in messages()} == {MessageState.SENT}
    assert runner.invoke(args=["mail", "send"]).output.startswith("0 sent")


def test_a_bounced_address_fails_with_the_reason_and_the_rest_goes_out(app, client, smtp_server):
    smtp_server.inbox.refuse["gone@example.se"] = "550 5.1.1 No such user here"
    admin = make_admin()
    queue_test(make_user(email="gone@example.se"), by=admin)
    queue_test(make_user(email="here@example.se"), by=admin)

    result = deliver_all()

    assert (result.sent, result.failed) == (1, 1)
    failed = messages(MessageState.FAILED)[0]
    assert failed.to_address == "gone@example.se" and "550" in failed.last_error and "No such user" in failed.last_error
    sign_in(client, admin)
    page = client.get("/admin/outbox/?state=failed").get_data(as_text=True)
    assert "gone@example.se" in page and "here@example.se" not in page
    detail = client.get(f"/admin/outbox/{failed.id}").get_data(as_text=True)
    assert "No such user here" in detail

    del smtp_server.inbox.refuse["gone@example.se"]
    assert client.post(f"/admin/outbox/{failed.id}/retry").status_code == 303
    assert deliver_all().sent == 1
    assert len(smtp_server.inbox.to("gone@example.se")) == 1
    assert client.post(f"/admin/outbox/{failed.id}/retry").status_code == 303  # sent: nothing happens
    assert deliver_all().sent == 0


def test_an_address_the_server_cannot_take_fails_alone_and_the_rest_goes_out(app, smtp_server):
    """A server without SMTPUTF8 can never take an address with letters beyond ASCII."""
    smtp_server.stop()
    smtp_server.smtputf8 = False
    smtp_server.start()
    admin = make_admin()
    queue_test(make_user(email="eve@pölisen.example.se"), by=admin)
    queue_test(make_user(email="here@example.se"), by=admin)

    result = deliver_all()

    assert (result.sent, result.failed, result.unreachable) == (1, 1, None)
    [failed] = messages(MessageState.FAILED)
    assert failed.to_address == "eve@pölisen.example.se" and "SMTPUTF8" in failed.last_error
    assert len(smtp_server.inbox.to("here@example.se")) == 1


def test_a_refusal_for_now_is_tried_again_after_a_growing_pause(app, smtp_server):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_AFTER_SECONDS=60)
    smtp_server.inbox.refuse["busy@example.se"] = "451 4.3.0 Try again later"
    queue_test(make_user(email="busy@example.se"))
    now = utcnow()

    assert deliver_all(now=now).retrying == 1
    db.session.expire_all()
    [message] = messages()
    assert message.attempts == 1 and message.state is MessageState.QUEUED
    assert message.next_attempt_at == now + dt.timedelta(seconds=60)
    assert deliver_all(now=now + dt.timedelta(seconds=59)).handled == 0  # not due yet
    assert deliver_all(now=now + dt.timedelta(seconds=60)).retrying == 1
    db.session.expire_all()
    assert messages()[0].next_attempt_at == now + dt.timedelta(seconds=60 + 120)
    assert deliver_all(now=now + dt.timedelta(seconds=180)).failed == 1  # the third refusal is the last
    db.session.expire_all()
    assert messages()[0].state is MessageState.FAILED and "451" in messages()[0].last_error
    assert smtp_server.inbox.messages == []


def test_a_line_break_in_a_name_or_subject_adds_no_header_and_no_recipient(app, smtp_server):
    to = Recipient(address="eve@example.se", name="Eve\r\nBcc: victim@example.se", language="en")
    outbox.queue(to, kind="test", dedup_key="hostile", template="mail/test_message",
                 subject="Hello\r\nBcc: victim@example.se\nX-Evil: 1", why="W", asked_by="A\r\nX-Evil: 2",
                 smtp_host="")
    db.session.commit()

    assert deliver_all().sent == 1

    [mail] = smtp_server.inbox.messages
    assert mail["Bcc"] is None and mail["X-Evil"] is None
    assert mail["X-Envelope-To"] == "eve@example.se"
    assert mail["Subject"] == "Hello Bcc: victim@example.se X-Evil: 1"
    assert mail["To"] == '"Eve Bcc: victim@example.se" <eve@example.se>'


def test_a_translated_sentence_naming_user_text_is_escaped_in_the_html(app):
    to = Recipient(address="eve@example.se", name="Eve", language="en")
    why = _l("You get this because %(name)s asked.", name='<img src="x" onerror="alert(1)">')
    message = outbox.queue(to, kind="test", dedup_key="escaped", template="mail/test_message", subject="Hello",
                           why=why, asked_by="<b>A</b>", smtp_host="")
    assert '<img src="x"' not in message.html_body and "<b>A</b>" not in message.html_body
    assert "&lt;img src=&#34;x&#34; onerror=&#34;alert(1)&#34;&gt; asked." in message.html_body
    assert '<img src="x" onerror="alert(1)"> asked.' in message.text_body


@pytest.mark.parametrize("address", ["eve@example.se\r\nRCPT TO:<victim@example.se>", "two@a.se, three@b.se",
                                     "no-at-sign", "", "x" * 300 + "@example.se"],
                         ids=["crlf", "two-addresses", "no-at", "empty", "huge"])
def test_an_address_that_is_not_one_plain_address_is_kept_as_failed(app, smtp_server, address):
    to = Recipient(address=address, name="Someone", language="sv")
    message = outbox.queue(to, kind="test", dedup_key="bad-address", template="mail/test_message",
                           subject="S", why="W", asked_by="A", smtp_host="")
    db.session.commit()
    assert message.state is MessageState.FAILED and message.last_error == "not a valid e-mail address"
    assert deliver_all().handled == 0
    assert smtp_server.inbox.messages == []


def test_a_message_over_the_size_limit_fails_with_the_reason(app, smtp_server):
    app.config["MAIL_MAX_MESSAGE_BYTES"] = 500
    queue_test(make_user())
    assert deliver_all().failed == 1
    assert "too large" in messages()[0].last_error
    assert smtp_server.inbox.messages == []


def test_an_attachment_that_no_longer_exists_fails_the_message(app, smtp_server):
    to = recipient(make_user())
    outbox.queue(to, kind="test", dedup_key="gone", template="mail/test_message", subject="S",
                 attachments=[reference("report", 999_999)], why="W", asked_by="A", smtp_host="")
    db.session.commit()
    assert deliver_all().failed == 1
    assert "attachment" in messages()[0].last_error


def test_a_secret_link_is_hidden_from_administrators_and_dropped_once_sent(app, client, smtp_server):
    admin = make_admin()
    to = recipient(make_user())
    secret = "s3cr3t-t0ken-value"
    message = outbox.queue(to, kind="test", dedup_key="secret", template="mail/test_message", subject="S",
                           secret=secret, why="W", asked_by=f"https://samverka.example.se/x/{secret}", smtp_host="")
    db.session.commit()
    sign_in(client, admin)
    assert secret not in client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)

    deliver_all()

    assert secret in text_of(smtp_server.inbox.messages[0]) and secret in html_of(smtp_server.inbox.messages[0])
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert secret not in stored.text_body and secret not in stored.html_body
    assert "https://samverka.example.se/x/…" in stored.text_body


def test_without_an_smtp_server_messages_wait_and_the_outbox_shows_them(app, client):
    admin = make_admin(language="en")
    queue_test(make_user(email="waiting@example.se"), by=admin)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0
    assert "No SMTP server is configured" in result.output and "1 messages wait" in result.output
    sign_in(client, admin)
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "No SMTP server is configured" in page and "waiting@example.se" in page and "Queued: 1" in page


def test_a_message_taken_by_one_sender_is_not_taken_by_another(app):
    from tracker.mail.delivery import _take

    queue_test(make_user())
    [message] = messages()
    now = utcnow()
    assert _take(message.id, now, dt.timedelta(minutes=5)) is not None
    assert _take(message.id, now, dt.timedelta(minutes=5)) is None
    assert _take(message.id, now + dt.timedelta(minutes=5), dt.timedelta(minutes=5)) is not None  # lease ran out


def test_the_outbox_is_for_administrators_only(app, client):
    admin = make_admin()
    message = queue_test(make_user(), by=admin)
    sign_in(client, make_user())
    assert client.get("/admin/outbox/").status_code == 403
    assert client.get(f"/admin/outbox/{message.id}").status_code == 403
    assert client.post(f"/admin/outbox/{message.id}/retry").status_code == 403
    assert client.post("/admin/outbox/test").status_code == 403


@pytest.mark.parametrize(("query", "status"), [
    ("state=bogus", 200), ("state=" + "x" * 5000, 200), ("q=" + "å" * 5000, 200), ("page=99999999999999999999", 200),
    ("state=sent&q=<script>", 200), ("q=%00%0d%0a", 400)],  # NUL in a query string: 400, as on every list
    ids=["unknown-state", "huge-state", "huge-search", "huge-page", "markup", "control"])
def test_hostile_outbox_filters_get_a_page_not_a_500(app, client, query, status):
    sign_in(client, make_admin())
    response = client.get("/admin/outbox/?" + query)
    assert response.status_code == status
    assert "<script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("message_id", ["0", "99999999999999999999999", "-1", "abc"])
def test_an_outbox_id_that_names_nothing_is_404(app, client, message_id):
    sign_in(client, make_admin())
    assert client.get(f"/admin/outbox/{message_id}").status_code == 404
    assert client.post(f"/admin/outbox/{message_id}/retry").status_code in (404, 405)


def test_retrying_and_test_messages_are_audited(app, client, smtp_server):
    from tracker.audit.models import AuditEvent

    admin = make_admin()
    smtp_server.inbox.refuse["gone@example.se"] = "550 No such user"
    message = queue_test(make_user(email="gone@example.se"), by=admin)
    deliver_all()
    sign_in(client, admin)
    client.post(f"/admin/outbox/{message.id}/retry")
    verbs = [e.verb for e in db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "outbox_messages"))]
    assert verbs == ["send_test", "retry"]
