"""One JSON line per request on the logger "samverka.request", and an X-Request-ID on every response.

The request id is the caller's X-Request-ID when it is well formed (a load balancer's, so its log and ours join up),
else a new one. The path is logged without its query string and with the secret tokens some addresses carry
(calendar feeds, invitation and password-reset links) replaced: a log is read by more people than the links are meant
for. The same path is left in the WSGI environ as `samverka.path` for gunicorn's access log (gunicorn.conf.py).
"""
import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("samverka.request")
HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}")
# URL variables that are secrets: their values never reach a log.
SECRET_ARGUMENTS = frozenset({"token"})
HIDDEN = "[secret]"
ENVIRON_PATH = "samverka.path"
# Load balancers ask these every few seconds: their lines are logged at DEBUG, out of the way.
QUIET_ENDPOINTS = frozenset({"health.healthz", "health.readyz"})


def request_id() -> str:
    """This request's id (set before any other code of the request runs)."""
    return str(g.get("request_id") or "")


def loggable_path() -> str:
    """The request's path without its query string, each secret URL variable replaced."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_ARGUMENTS and isinstance(value, str) and value:
            path = path.replace(value, HIDDEN)
    return path


def _incoming_id() -> str | None:
    value = request.headers.get(HEADER, "")
    return value if WELL_FORMED.fullmatch(value) else None


def _signed_in_user_id() -> int | None:
    # Only a user this request has already loaded (Flask-Login keeps it in g): logging never loads one, so a static
    # file or a health check costs no database query.
    user = g.get("_login_user")
    return getattr(user, "id", None) if user is not None and user.is_authenticated else None


def init_app(app: Flask) -> None:
    """Call before anything else adds before_request functions: the duration starts with the first of them."""
    _send_lines_somewhere()

    @app.before_request
    def start() -> None:
        g.request_started = time.perf_counter()
        g.request_id = _incoming_id() or uuid.uuid4().hex

    @app.after_request
    def finish(response: Response) -> Response:
        # Registered first, so it runs after every other after_request function and logs the final status.
        started = g.get("request_started")
        rid = g.get("request_id") or uuid.uuid4().hex
        response.headers[HEADER] = rid
        path = loggable_path()
        request.environ[ENVIRON_PATH] = path
        line = {"request_id": rid, "method": request.method, "path": path, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                "user_id": _signed_in_user_id()}
        level = logging.DEBUG if request.endpoint in QUIET_ENDPOINTS else logging.INFO
        log.log(level, json.dumps(line, ensure_ascii=False), extra={"request_line": line})
        return response


def _send_lines_somewhere() -> None:
    """Lines at INFO; to stdout unless logging has been set up (by the server, or by the tests' log capture)."""
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    if not log.hasHandlers():
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
