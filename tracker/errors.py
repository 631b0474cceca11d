"""Error pages in the application's own look, and problem details under /api/; never a stack trace to a user."""
import math
import time

from flask import Flask, Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from tracker.extensions import db, limiter
from tracker.problems import API_PREFIX, problem

MESSAGES = {
    400: _l("The request could not be understood. If you were sending a form, go back, reload the page and try again."),
    403: _l("You do not have permission to see or change this."),
    404: _l("There is nothing here. The address may be mistyped, or the item may not exist."),
    405: _l("That is not something this page can do."),
    413: _l("What you sent is too large. Shorten it and try again."),
    429: _l("Too many attempts. Wait a while and try again."),
    500: _l("Something went wrong on our side. Nothing you sent was saved; please try again."),
}
TITLES = {
    400: _l("The request could not be read"), 403: _l("Not allowed"), 404: _l("Page not found"),
    405: _l("Not possible here"), 413: _l("Too large"), 429: _l("Too many attempts"),
    500: _l("Something went wrong"),
}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | Response:
        if request.path.startswith(API_PREFIX):
            return _problem(error)
        return _render(error.code or 500, wait=_wait_of(error)), error.code or 500

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str, int] | Response:
        db.session.rollback()
        if request.path.startswith(API_PREFIX):
            return problem(500)
        return _render(500), 500


def _wait_of(error: HTTPException) -> str | None:
    """How long to wait after too many attempts, in words (a rate limit's window, rounded up to minutes)."""
    limit = getattr(getattr(error, "limit", None), "limit", None)
    if error.code != 429 or limit is None:
        return None
    minutes = max(1, math.ceil(limit.get_expiry() / 60))
    return ngettext("Try again in %(num)d minute at the latest.", "Try again in %(num)d minutes at the latest.",
                    minutes)


def _problem(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {"Allow": ", ".join(error.valid_methods)} if isinstance(error, MethodNotAllowed) and \
        error.valid_methods else {}
    if status == 429 and limiter.current_limit is not None:
        headers["Retry-After"] = str(max(1, math.ceil(limiter.current_limit.reset_at - time.time())))
    return problem(status, headers=headers)


def _render(code: int, wait: str | None = None) -> str:
    message = MESSAGES.get(code) or MESSAGES[400 if code < 500 else 500]
    title = TITLES.get(code) or TITLES[400 if code < 500 else 500]
    # After a form was refused (too large, too many attempts), the way back is the form's own page.
    back = request.path if request.method == "POST" and code in (413, 429) else None
    return render_template("errors/error.html", code=code, title=title, message=message, wait=wait, back=back)
