"""Signing in to the API: by a personal key in `Authorization: Bearer <key>` only, never by the session cookie, so
a page's cookie (and a forged cross-site request that carries it) opens nothing here.

create_app calls init_app before the rate limiter's, so the limiter counts per key (api/views.py) and a request
that fails here is refused with 401 by the endpoint (routing.require_scope).
"""
from flask import Flask, current_app, g, request
from flask_limiter.util import get_remote_address

from tracker.api import tokens
from tracker.clock import request_today, utcnow
from tracker.extensions import db, login_manager

BLUEPRINT = "api"
SCHEME = "bearer"


def init_app(app: Flask) -> None:
    app.before_request(sign_in_by_key)


def bearer_secret() -> str | None:
    """The key in the Authorization header, if it names the Bearer scheme (RFC 6750)."""
    scheme, _sep, secret = (request.headers.get("Authorization") or "").strip().partition(" ")
    secret = secret.strip()
    return secret if scheme.lower() == SCHEME and secret else None


def sign_in_by_key() -> None:
    """For the API's endpoints: the key's person is the current user, else nobody (whatever cookie is sent)."""
    if request.blueprint != BLUEPRINT:
        return
    # Set before anything reads the body (the NUL-byte check reads forms): a larger body is refused with 413.
    request.max_content_length = current_app.config["API_MAX_CONTENT_LENGTH"]
    g._login_user = login_manager.anonymous_user()  # Flask-Login's current user: the cookie is never read here
    g.api_token = None
    secret = bearer_secret()
    if secret is None:
        return
    token = tokens.token_by_secret(secret, today=request_today())
    if token is None:
        g.api_challenge = 'Bearer realm="Samverka", error="invalid_token"'
        return
    g._login_user, g.api_token = token.user, token
    if tokens.note_used(token, now=utcnow()):
        db.session.commit()  # the first thing the request does: nothing else is pending


def rate_limit_key() -> str:
    """Each key has its own allowance; requests without a usable key share their address's."""
    token = g.get("api_token")
    return f"api-key:{token.id}" if token is not None else f"api-address:{get_remote_address()}"
