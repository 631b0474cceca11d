"""Redirect targets: only paths on this site, so a link can never send a user elsewhere."""
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import request, url_for
from werkzeug.urls import iri_to_uri

from tracker import policy

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


def main_navigation() -> list[tuple[str, str]]:
    """The main menu: only the entries the signed-in user may use."""
    from flask_babel import gettext as _
    from flask_login import current_user

    entries = [
        ("dashboard.index", _("My overview"), lambda user: True),
        ("agreements.index", _("Agreements"), lambda user: True),
        ("actions.index", _("Actions"), lambda user: True),
        ("reports.index", _("Reports"), lambda user: True),
        ("organisations.index", _("Organisations"), policy.can_manage_organisations),
        ("accounts.index", _("Users"), policy.can_manage_accounts),
        ("audit.index", _("Audit log"), policy.can_read_audit_log),
    ]
    return [(endpoint, label) for endpoint, label, allowed in entries if allowed(current_user)]
