"""Keyset pages of a list ordered newest first by (time, id): a page starts after or before the row a cursor
names, so page 2,000 costs what page 1 does (an OFFSET reads every row it skips). Cursors are opaque to the
browser and checked on the way back: a cursor that is not one of ours is refused, never a server error."""
import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import current_app, request
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import Select, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from tracker.extensions import db

SALT = "samverka-keyset-cursor"  # signed as the API's cursors are (api/cursors.py), with a salt of its own
MAX_CURSOR_LENGTH = 200


class BadCursor(ValueError):
    """The cursor in the address is not one this app wrote."""


@dataclass(frozen=True)
class Cursor:
    at: dt.datetime
    id: int


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def encode(at: dt.datetime, row_id: int) -> str:
    return _serializer().dumps([at.isoformat(), row_id])


def decode(text: str) -> Cursor:
    """The (time, id) a cursor names; BadCursor when it is not one encode() wrote (altered, cut short, forged)."""
    if not text or len(text) > MAX_CURSOR_LENGTH:
        raise BadCursor(text)
    try:
        at, row_id = _serializer().loads(text)
        cursor = Cursor(dt.datetime.fromisoformat(at), row_id)
    except (BadData, TypeError, ValueError) as error:
        raise BadCursor(text) from error
    # Signed, so ours; still checked as encode() writes them: a UTC time (a naive or shifted one could not be
    # compared, or could overflow) and an id the database's integer holds.
    if type(row_id) is not int or cursor.at.utcoffset() != dt.timedelta(0) or not 1 <= row_id < 2**31:
        raise BadCursor(text)
    return cursor


@dataclass
class KeysetPage:
    items: list[Any]
    newer: str | None = None  # the cursor of the page of newer rows, None on the first page
    older: str | None = None  # the cursor of the page of older rows, None on the last page
    is_first: bool = True  # the page of the newest rows


def _mark(cursor: Cursor, at: InstrumentedAttribute, row_id: InstrumentedAttribute) -> Any:
    """The cursor's row as a (time, id) pair bound with the columns' own types (a time zone-aware time is stored as
    the columns store it)."""
    return tuple_(literal(cursor.at, at.type), literal(cursor.id, row_id.type))


def keyset_page(query: Select, at: InstrumentedAttribute, row_id: InstrumentedAttribute, per_page: int,
                after: str | None = None, before: str | None = None) -> KeysetPage:
    """One page of query (ordered by at desc, id desc): the newest rows, those older than `after`, or those newer
    than `before` (cursors of an earlier page); raises BadCursor for a cursor that is not ours."""
    key, newer_first = tuple_(at, row_id), query
    if before:
        mark = decode(before)
        query = query.where(key > _mark(mark, at, row_id)).order_by(None).order_by(at.asc(), row_id.asc())
    elif after:
        mark = decode(after)
        query = query.where(key < _mark(mark, at, row_id))
    rows = list(db.session.scalars(query.limit(per_page + 1)).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    if before:
        if not rows:  # nothing newer (the rows were deleted): the first page
            return keyset_page(newer_first, at, row_id, per_page)
        rows.reverse()
    has_newer, has_older = (more, True) if before else (bool(after), more)

    def cursor(row: Any) -> str:
        return encode(getattr(row, at.key), getattr(row, row_id.key))

    return KeysetPage(rows, newer=cursor(rows[0]) if rows and has_newer else None,
                      older=cursor(rows[-1]) if rows and has_older else None, is_first=not has_newer)


def cursor_url(name: str | None = None, cursor: str | None = None) -> str:
    """The current address with its filters kept and only the cursor changed (no name: the first page)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("after", "before", "page") and v != ""]
    if name and cursor:
        args.append((name, cursor))
    return request.path + ("?" + urlencode(args) if args else "")
