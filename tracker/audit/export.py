"""The audit log as CSV that opens right in a spreadsheet in the reader's language (tracker.spreadsheets: UTF-8 with
a byte order mark, ';' in Swedish, ',' in English, formulas neutralised), with the same words, names and values as
the log page. Streamed batch by batch, however long the log."""
from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import Select

from tracker.audit.labels import EventLine, describe
from tracker.audit.models import AuditEvent
from tracker.clock import STOCKHOLM
from tracker.spreadsheets import Column, Value, csv_chunks, in_batches


def columns() -> list[Column]:
    return [Column(h) for h in (
        _("Time (Europe/Stockholm)"), _("Who"), _("E-mail"), _("Organisation"), _("What happened"),
        _("Kind of object"), _("Object"), _("Object number"), _("Changes"))]


def changes_text(line: EventLine) -> str:
    """The changes as 'Field: from → to' lines."""
    return "\n".join(f"{c.field}: {c.before} → {c.after}" if c.before is not None else f"{c.field}: {c.after}"
                     for c in line.changes)


def csv_lines(statement: Select[tuple[AuditEvent]], batch: int) -> Iterator[str]:
    """The CSV text, one batch of events at a time (names looked up once per batch). The query runs only after
    the header is sent: the view's session is closed by then, the streamed rest reads in a session of its own."""
    return csv_chunks(columns(), (_rows(chunk) for chunk in in_batches(statement, batch)))


def _rows(events: list[AuditEvent]) -> list[list[Value]]:
    rows: list[list[Value]] = []
    for event, line in zip(events, describe(events), strict=True):
        actor = event.actor
        rows.append([line.at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M:%S"), line.actor_name,
                     actor.email if actor else "", actor.organisation.name if actor else "", line.verb_label,
                     line.object_label, line.object_name, line.object_id, changes_text(line)])
    return rows
