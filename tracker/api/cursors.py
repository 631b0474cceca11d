"""Cursors for paging through a list: opaque, signed with the application's secret, and bound to the query they
came from (endpoint, filters and person), so a cursor that was tampered with or taken from another query is
refused rather than silently starting somewhere else. Lists go by id, oldest first, so a page never shifts."""
import hashlib
import json
from collections.abc import Mapping

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

SALT = "samverka-api-cursor"
PAGING = ("cursor", "limit")


class InvalidCursor(Exception):
    """The cursor was not made by this application for this query."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def fingerprint(endpoint: str, filters: Mapping[str, object], user_id: int) -> str:
    """What a cursor is bound to: the endpoint, the filters as validated (paging left out) and the person."""
    shown = {k: str(v) for k, v in sorted(filters.items()) if k not in PAGING and v not in (None, False)}
    return hashlib.sha256(json.dumps([endpoint, shown, user_id]).encode()).hexdigest()[:24]


def make(after_id: int, query: str) -> str:
    return _serializer().dumps([query, after_id])


def read(cursor: str, query: str) -> int:
    """The id the page starts after; InvalidCursor when the cursor is forged, altered or from another query."""
    try:
        bound, after_id = _serializer().loads(cursor)
    except (BadData, TypeError, ValueError) as exc:
        raise InvalidCursor() from exc
    if bound != query or not isinstance(after_id, int) or isinstance(after_id, bool):
        raise InvalidCursor()
    return after_id
