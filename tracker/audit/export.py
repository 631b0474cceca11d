"""The audit log as CSV that opens right in a spreadsheet in the reader's language: UTF-8 with a byte order mark,
';' between cells in Swedish (Excel's list separator there, where ',' is the decimal comma), ',' in English, and
the same words, names and values as the log page. Streamed batch by batch, however long the log."""
import csv
import io
from collections.abc import Iterator
from itertools import islice

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Select

from tracker.audit.labels import EventLine, describe
from tracker.audit.models import AuditEvent
from tracker.clock import STOCKHOLM
from tracker.extensions import db

BOM = "\ufeff"


def separator() -> str:
    """The cell separator a spreadsheet expects in the reader's language."""
    locale = get_locale()
    return ";" if locale is not None and locale.language == "sv" else ","


def headers() -> list[str]:
    return [_("Time (Europe/Stockholm)"), _("Who"), _("E-mail"), _("Organisation"), _("What happened"),
            _("Kind of object"), _("Object"), _("Object number"), _("Changes")]


def cell(value: object) -> str:
    """Text for a CSV cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def changes_text(line: EventLine) -> str:
    """The changes as 'Field: from → to' lines."""
    return "\n".join(f"{c.field}: {c.before} → {c.after}" if c.before is not None else f"{c.field}: {c.after}"
                     for c in line.changes)


def csv_lines(statement: Select[tuple[AuditEvent]], batch: int) -> Iterator[str]:
    """The CSV text, one batch of events at a time (names looked up once per batch). The query runs only after
    the header is sent: the view's session is closed by then, the streamed rest reads in a session of its own."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator())
    buffer.write(BOM)
    writer.writerow(headers())
    yield _take(buffer)
    rows = iter(db.session.scalars(statement.execution_options(yield_per=batch)))
    while chunk := list(islice(rows, batch)):
        for event, line in zip(chunk, describe(chunk), strict=True):
            actor = event.actor
            writer.writerow([cell(v) for v in (
                line.at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M:%S"), line.actor_name,
                actor.email if actor else "", actor.organisation.name if actor else "", line.verb_label,
                line.object_label, line.object_name, line.object_id, changes_text(line))])
        yield _take(buffer)
    yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
