"""Redirect targets: only paths on this site, so a link can never send a user elsewhere."""
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import request, url_for
from werkzeug.urls import iri_to_uri

MAX_TARGET_LENGTH = 2000


def local_path(target: str | None) -> str | None:
    """target when it is a plain path on this site, else None.

    Refused: another site (scheme, host, `//`), backslashes (browsers read them as `/`), and control characters
    (C0, DEL, C1), raw or percent-encoded: browsers drop tabs and newlines, so "/<tab>/evil" would lead away, and a
    CR or LF in a Location header is a response-splitting attempt.
    """
    if not target or len(target) > MAX_TARGET_LENGTH:
        return None
    for text in (target, unquote(target)):
        if not text.startswith("/") or text.startswith("//") or "\\" in text \
                or any(unicodedata.category(c) == "Cc" for c in text):
            return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    return None if parts.scheme or parts.netloc else target


def safe_next(target: str | None, default_endpoint: str = "dashboard.index") -> str:
    """target when it is a local path, else the default page."""
    return local_path(target) or url_for(default_endpoint)


def current_path() -> str:
    """This page's path and query string, percent-encoded: where the language switch comes back to."""
    return iri_to_uri(request.full_path)
