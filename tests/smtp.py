"""A real SMTP server (aiosmtpd) in the test process, on a free port: what Samverka delivers arrives here.

aiosmtpd's Controller cannot bind port 0 itself (it must know the port to check the server is up), so a socket
bound to port 0 finds a free one first.
"""
import email
import socket
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The server's handler: keeps every message it accepts; refuses the addresses in `refuse` with their reply, and
    from the `close_after`-th message on answers 421 (closing) and calls `on_close`."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: dict[str, str] = {}
        self.close_after: int | None = None
        self.on_close = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.close_after is not None and len(self.messages) >= self.close_after:
            if self.on_close:
                self.on_close()
            return "421 Service shutting down"
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]


class SMTPServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.smtputf8 = True  # False: a server that takes only ASCII addresses, as many do
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                      enable_SMTPUTF8=self.smtputf8)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server(app):
    """A running SMTP server, and the app configured to deliver to it (no TLS, no sign-in: a local relay)."""
    server = SMTPServer()
    server.start()
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=server.port, MAIL_SMTP_SECURITY="none",
                      MAIL_FROM="Samverka <samverka@test.example.se>")
    yield server
    server.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
