"""Security headers on every response."""
from flask import Flask, Response, abort, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes():
        # No text in Samverka holds a NUL byte; PostgreSQL cannot store one. Refuse it at the door.
        values = [*request.args.values(), *request.form.values()] if request.method != "GET" else \
            list(request.args.values())
        if any("\x00" in v for v in values) or "\x00" in request.path:
            abort(400)

    @app.after_request
    def set_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if current_user and current_user.is_authenticated:
            # Pages about partners' plans must not linger in shared browser caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response
