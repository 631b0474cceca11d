"""One-time form tokens: a create form sent twice (double click, reload) creates one thing, not two."""
import secrets

from flask import flash, redirect, session
from werkzeug.wrappers import Response

_KEY = "once_tokens"
_KEEP = 30  # tokens of forms still open in other tabs, and of recent submissions


def issue() -> str:
    token = secrets.token_urlsafe(16)
    _save({**_tokens(), token: ""})
    return token


def consume(token: str | None) -> bool:
    """True the first time an issued token is sent; False when it was sent before, or never issued."""
    tokens = _tokens()
    if not token or tokens.get(token) != "":
        return False
    _save({**tokens, token: "sent"})
    return True


def refuse_repeat(token: str | None, message: str, fallback_url: str) -> Response | None:
    """None the first time a form is sent; for a repeat, message is flashed and the browser sent (303) to where
    the first submission led, else to fallback_url."""
    if consume(token):
        return None
    flash(message, "info")
    return redirect(first_result(token) or fallback_url, 303)


def complete(token: str, url: str) -> None:
    """Remember where the first submission led, for a repeat of it."""
    _save({**_tokens(), token: url})


def first_result(token: str | None) -> str | None:
    """Where the first submission of this token led, if it succeeded."""
    url = _tokens().get(token or "")
    return url if url and url != "sent" else None


def _tokens() -> dict[str, str]:
    return dict(session.get(_KEY, {}))


def _save(tokens: dict[str, str]) -> None:
    session[_KEY] = dict(list(tokens.items())[-_KEEP:])
