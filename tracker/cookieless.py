"""Responses that are the same for everyone (static files, the favicon, health checks) neither set, refresh nor vary by
the session cookie: a shared cache may keep them for everyone, and must never keep someone's session with them."""
from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

ENDPOINTS = frozenset({"static", "favicon", "health.healthz", "health.readyz"})


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session (the cookie holds the server-side session's token), left alone by ENDPOINTS."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if request.endpoint in ENDPOINTS and not session.modified:
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
