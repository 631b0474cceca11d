"""Security headers on every response."""
from flask import Flask, Response, abort, request
from flask_login import current_user

UNSTORED_FIELDS = {"next"}
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes() -> None:
        # No text in Samverka holds a NUL byte; PostgreSQL cannot store one. Refuse it at the door. A redirect
        # target (`next`) is never stored and tracker.redirects drops a hostile one: a link with a poisoned
        # `next` still lets a person sign in or switch language, landing on a safe page.
        fields = [request.args] if request.method == "GET" else [request.args, request.form]
        values = [v for field in fields for k, v in field.items(multi=True) if k not in UNSTORED_FIELDS]
        if any("\x00" in v for v in values) or "\x00" in request.path:
            abort(400)

    @app.after_request
    def set_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        # Pages about partners' plans must not linger in shared browser caches. A response that says how to cache it
        # (a static file, a health check) keeps that, and asks nothing of the session.
        if "Cache-Control" not in response.headers and current_user and current_user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        return response
