"""Words for the audit trail: what a verb, a field and a recorded value mean to a reader."""
from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from tracker.accounts.models import ROLE_LABELS, User
from tracker.actions.models import ACTION_STATUS_LABELS
from tracker.agreements.models import AGREEMENT_STATUS_LABELS, THEME_LABELS
from tracker.extensions import db
from tracker.organisations.models import KIND_LABELS, Organisation

VERBS = {
    "create": _l("created"), "update": _l("changed"), "status": _l("changed the status"),
    "progress": _l("logged progress"), "deactivate": lazy_pgettext("audit verb", "deactivated"),
    "reactivate": _l("reactivated"), "generate": _l("generated"),
    "set_temporary_password": _l("set a temporary password"), "change_password": _l("changed the password"),
    "sign_in": _l("signed in"), "sign_in_failed": _l("failed to sign in"),
    "sign_in_locked": _l("was refused sign-in (too many attempts)"),
    "sign_out": _l("signed out"), "end_session": _l("ended a session"),
    "end_all_sessions": _l("ended all sessions"), "set_language": _l("changed the language"),
}
FIELDS = {
    "title": _l("Title"), "reference_number": _l("Reference number"), "purpose": _l("Purpose"),
    "theme": _l("Theme"), "area": _l("Area"), "starts_on": _l("Start date"), "ends_on": _l("End date"),
    "next_review_on": _l("Next review"), "lead_organisation_id": _l("Lead organisation"),
    "parties": _l("Parties"), "party_ids": _l("Parties"), "steering_group": _l("Steering group"),
    "steering_group_ids": _l("Steering group"), "status": _l("Status"), "description": _l("Description"),
    "owner_organisation_id": _l("Owning organisation"), "owner_id": _l("Owner"), "deadline": _l("Deadline"),
    "progress": _l("Progress (%)"), "blocked_reason": _l("Why blocked"), "name": _l("Name"),
    "short_name": _l("Short name"), "kind": _l("Kind"), "municipality": _l("Municipality"),
    "contact_email": _l("Contact e-mail"), "email": _l("E-mail"), "organisation_id": _l("Organisation"),
    "role": _l("Role"), "language": _l("Language"), "is_active": _l("Active"), "address": _l("Address"),
    "session": _l("Session"), "sessions": _l("Sessions ended"),
    "month": _l("Month"), "number": _l("Version"),
}
ENUM_LABELS = {
    "status": {s.value: label for s, label in (ACTION_STATUS_LABELS | AGREEMENT_STATUS_LABELS).items()},
    "theme": {t.value: label for t, label in THEME_LABELS.items()},
    "role": {r.value: label for r, label in ROLE_LABELS.items()},
    "kind": {k.value: label for k, label in KIND_LABELS.items()},
}
ORGANISATION_FIELDS = {"lead_organisation_id", "owner_organisation_id", "organisation_id", "parties", "party_ids"}
USER_FIELDS = {"owner_id", "steering_group", "steering_group_ids"}


def audit_verb(verb: str) -> str:
    return str(VERBS.get(verb, verb))


def audit_field(field: str) -> str:
    return str(FIELDS.get(field, field))


def audit_value(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(audit_value(field, v) for v in value)
    model = _named_model(field)
    if model is not None:
        names = g.setdefault("audit_names", {})
        if (model, value) not in names:
            obj = db.session.get(model, value) if isinstance(value, int) else None
            names[(model, value)] = obj.name if obj else None
        return names[(model, value)] or f"#{value}"
    if value in ENUM_LABELS.get(field, {}):
        return str(ENUM_LABELS[field][value])
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _named_model(field: str):
    return Organisation if field in ORGANISATION_FIELDS else User if field in USER_FIELDS else None


def load_names(events) -> list:
    """Looks up the organisations and people that the events' changes name, one query per kind, so that showing
    the events costs no query per name. Returns the events."""
    wanted: dict[type, set[int]] = {Organisation: set(), User: set()}
    for event in events:
        for field, change in (event.changes or {}).items():
            model = _named_model(field)
            if model is not None:
                wanted[model].update(_ids(change))
    names = g.setdefault("audit_names", {})
    for model, ids in wanted.items():
        ids = {i for i in ids if (model, i) not in names}
        if ids:
            names.update({(model, i): None for i in ids})
            names.update({(model, i): name for i, name in db.session.execute(
                select(model.id, model.name).where(model.id.in_(ids)))})
    return events


def _ids(change) -> set[int]:
    """The ids in a recorded change: [from, to], each an id, a list of ids or None."""
    values = change if isinstance(change, list) else [change]
    found = set()
    for value in values:
        if isinstance(value, list):
            found |= _ids(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            found.add(value)
    return found


def audit_object(object_type: str) -> str:
    from tracker.audit.forms import OBJECT_TYPES

    return str(dict(OBJECT_TYPES).get(object_type, object_type))
