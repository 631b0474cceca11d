"""Request bodies: one without a Content-Length (chunked) is held to MAX_CONTENT_LENGTH like any other.

Werkzeug 3 refuses a body whose Content-Length is over the limit, but reads a chunked body only up to the limit
and parses what it read, silently cutting the rest. Both `flask run` and gunicorn mark such input as terminated
(`wsgi.input_terminated`). This middleware reads it here first, at most one byte past the limit, and hands the
application a body with a Content-Length, so Werkzeug's own check answers 413 for a chunked body too.
"""
import io
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from flask import Flask
from werkzeug.wsgi import get_content_length

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

READ_SIZE = 64 * 1024
DRAIN_AT_MOST = 16 * 1024 * 1024  # read and dropped past the limit so the client sees the 413; then we give up


class ChunkedBodyLimit:
    def __init__(self, wsgi_app: "WSGIApplication", flask_app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app

    def __call__(self, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        limit = self.flask_app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and environ.get("wsgi.input_terminated") and get_content_length(environ) is None:
            body = _read(environ["wsgi.input"], limit + 1)
            if len(body) > limit:
                _read(environ["wsgi.input"], DRAIN_AT_MOST, keep=False)
            environ["wsgi.input"] = io.BytesIO(body)
            environ.pop("HTTP_TRANSFER_ENCODING", None)  # now a body of known length
            environ["CONTENT_LENGTH"] = str(len(body))  # over the limit: Werkzeug answers 413
        return self.wsgi_app(environ, start_response)


def _read(stream: IO[bytes], at_most: int, keep: bool = True) -> bytes:
    """Up to at_most bytes of the stream (or none kept, only read)."""
    parts, total = [], 0
    while total < at_most:
        data = stream.read(min(READ_SIZE, at_most - total))
        if not data:
            break
        total += len(data)
        if keep:
            parts.append(data)
    return b"".join(parts)


def init_app(app: Flask) -> None:
    # Flask's documented way to add middleware; its stubs type wsgi_app as a method only.
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app)  # type: ignore[method-assign]
