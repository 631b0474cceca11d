"""Helpers for the tests of invitations and password resets: the mail that really arrived, and the link in it."""
import re
from urllib.parse import urlsplit

from tests.smtp import html_of, text_of
from tracker.mail.delivery import deliver_all

BASE_URL = "https://samverka.example.se"
NEW_PASSWORD = "violet tugboat under moonlight"


def delivered(smtp_server, address: str):
    """Deliver the outbox and return the one message that reached address."""
    result = deliver_all()
    assert result.failed == 0 and not result.unreachable, result.errors
    [message] = smtp_server.inbox.to(address)
    return message


def link_in(message, path_start: str) -> str:
    """The path of the one link to path_start in the message: the same in the text and the HTML part, and on
    BASE_URL (never on whatever host a request named)."""
    pattern = re.escape(BASE_URL + path_start) + r"[A-Za-z0-9_-]+"
    in_text, in_html = re.findall(pattern, text_of(message)), re.findall(pattern, html_of(message))
    assert len(set(in_text)) == 1 and set(in_html) == set(in_text), (in_text, in_html)
    return urlsplit(in_text[0]).path


def choose(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"new_password": password, "confirm": password})
