"""Absolute links for e-mails, always to BASE_URL: never to the Host a request happened to name (a forged Host
header must not put an attacker's address in a password-reset link)."""
from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values: Any) -> str:
    """The full address of a page on this site, as BASE_URL names the site."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme or "https")
    current_app.inject_url_defaults(endpoint, values)  # as url_for does: a static file's fingerprinted name
    return adapter.build(endpoint, values, force_external=True)
