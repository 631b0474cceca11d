"""Words for the audit trail: events turned into lines a reader understands, every name resolved before a template
renders (one query per kind of named object, none while rendering). The words come from audit/naming.py."""
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.audit.naming import FIELDS, NAMED_BY, OBJECT_NAMES, OBJECT_TYPES, VALUES
from tracker.extensions import db

VERBS = {
    "create": _l("created"), "update": _l("changed"), "status": _l("changed the status"),
    "progress": _l("logged progress"), "deactivate": lazy_pgettext("audit verb", "deactivated"),
    "reactivate": _l("reactivated"), "generate": _l("generated"),
    "set_temporary_password": _l("set a temporary password"), "change_password": _l("changed the password"),
    "sign_in": _l("signed in"), "sign_in_failed": _l("failed to sign in"),
    "sign_in_locked": _l("was refused sign-in (too many attempts)"),
    "sign_out": _l("signed out"), "end_session": _l("ended a session"),
    "end_all_sessions": _l("ended all sessions"), "set_language": _l("changed the language"),
    "raise": _l("raised to the steering group"), "withdraw_raise": _l("withdrew the raise to the steering group"),
    "hand_over": _l("handed over"), "import": _l("imported actions from a spreadsheet"),
    "send_report": _l("mailed the monthly report to the steering group"),
    "send_invitation": _l("sent an invitation"), "accept_invitation": _l("accepted the invitation"),
    "request_password_reset": _l("asked for a password reset link"),
    "password_reset_refused": _l("asked for a password reset link (not sent: the account is not active)"),
    "reset_password": _l("chose a new password through a reset link"),
    "send_test": _l("sent a test message"), "retry": _l("queued a failed message again"),
    "create_calendar_token": _l("made calendar links"),
    "regenerate_calendar_token": _l("made new calendar links (the old ones stopped working)"),
    "end_calendar_token": _l("ended the calendar links"),
    "revoke": _l("revoked"),
}

Names = dict[tuple[Any, int], str]  # (model or table name, id) -> the name of that row
SIGN_IN_ATTEMPTS = ("sign_in_failed", "sign_in_locked")  # no one is signed in: the account tried is named


@dataclass(frozen=True)
class Change:
    """One changed field: its label, and the value before and after as text (before is None for a lone value)."""
    field: str
    before: str | None
    after: str


@dataclass(frozen=True)
class EventLine:
    """An audit event as a reader sees it."""
    at: dt.datetime
    verb: str
    verb_label: str
    actor_name: str | None
    actor_organisation: str | None
    object_label: str
    object_id: int | None
    object_name: str | None
    changes: list[Change]

    @property
    def object_text(self) -> str:
        """The object as a reader names it: its kind and its name, or its number when it has no name."""
        if self.object_name:
            return f"{self.object_label} {self.object_name}"
        return f"{self.object_label} {self.object_id}" if self.object_id is not None else self.object_label


def audit_verb(verb: str) -> str:
    return str(VERBS.get(verb, verb))


def audit_field(field: str) -> str:
    return str(FIELDS.get(field, field))


def audit_object(object_type: str) -> str:
    return str(OBJECT_TYPES.get(object_type, object_type))


def describe(events: Sequence[AuditEvent], *, with_organisation: bool = False) -> list[EventLine]:
    """The events as lines with every name, label and value resolved; with_organisation adds the actor's
    organisation (load it with the events)."""
    names = _load_names(events)
    return [EventLine(
        at=e.at, verb=e.verb, verb_label=audit_verb(e.verb), actor_name=_actor_name(e, names),
        actor_organisation=e.actor.organisation.short_name if with_organisation and e.actor else None,
        object_label=audit_object(e.object_type), object_id=e.object_id,
        object_name=names.get((e.object_type, e.object_id)) if e.object_id is not None else None,
        changes=[_change(field, change, names) for field, change in (e.changes or {}).items()]) for e in events]


def _actor_name(event: AuditEvent, names: Names) -> str | None:
    """Who did it; for a refused sign-in (no one signed in) the account tried, else the e-mail typed."""
    if event.actor is not None:
        return event.actor.name
    if event.verb in SIGN_IN_ATTEMPTS:
        typed = (event.changes or {}).get("email")
        return names.get((event.object_type, event.object_id or 0)) or (str(typed) if typed else None)
    return None


def _change(field: str, change: Any, names: Names) -> Change:
    if isinstance(change, list) and len(change) == 2:
        return Change(audit_field(field), audit_value(field, change[0], names), audit_value(field, change[1], names))
    return Change(audit_field(field), None, audit_value(field, change, names))


def audit_value(field: str, value: Any, names: Names) -> str:
    """A recorded value as text: names for ids, labels for enum values, yes/no, a dash for nothing."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(audit_value(field, v, names) for v in value)
    model = NAMED_BY.get(field)
    if model is not None and (number := _as_id(value)) is not None:
        return names.get((model, number)) or f"#{value}"
    if value in VALUES.get(field, {}):
        return str(VALUES[field][value])
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _load_names(events: Iterable[AuditEvent]) -> Names:
    """{(model, id): name} for the objects the events' changes name, one query per kind."""
    wanted: dict[type[Any], set[int]] = {}
    for event in events:
        for field, change in (event.changes or {}).items():
            model = NAMED_BY.get(field)
            if model is not None:
                wanted.setdefault(model, set()).update(_ids(change))
    names: Names = {}
    for model, ids in wanted.items():
        if ids:
            names.update({(model, i): name for i, name in db.session.execute(
                select(model.id, model.name).where(model.id.in_(ids)))})
    return names | _object_names(events)


def _object_names(events: Iterable[AuditEvent]) -> Names:
    """{(table, id): name} for the events' objects whose kind registered a naming column, one query per kind."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.object_id is not None and event.object_type in OBJECT_NAMES:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    names: Names = {}
    for table, ids in wanted.items():
        column = OBJECT_NAMES[table]
        id_column = column.class_.id
        names.update({(table, i): name for i, name in db.session.execute(
            select(id_column, column).where(id_column.in_(ids)))})
    return names


def _as_id(value: Any) -> int | None:
    """An id as recorded: an int, or (in older create events) its digits as text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None


def _ids(change: Any) -> set[int]:
    """The ids in a recorded change: [from, to], each an id, a list of ids or None."""
    values = change if isinstance(change, list) else [change]
    found: set[int] = set()
    for value in values:
        if isinstance(value, list):
            found |= _ids(value)
        elif (number := _as_id(value)) is not None:
            found.add(number)
    return found
