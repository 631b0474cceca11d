"""Registering and changing partner organisations. Deactivated, never deleted. Services flush, never commit."""
from tracker.accounts.models import SessionEnd, User
from tracker.accounts.services import LastAdmin, active_admins_outside
from tracker.accounts.sessions import end_organisation_sessions
from tracker.audit.services import apply_changes, record
from tracker.clock import utcnow
from tracker.editing import check_version, flush_or_stale, refuses_stale_edits
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.organisations.queries import name_taken

FIELDS = ("name", "short_name", "kind", "municipality", "contact_email")


class NameTaken(Exception):
    """Another organisation already has this name (compared case-insensitively)."""


def create_organisation(data: dict, *, by: User | None) -> Organisation:
    values = {f: data.get(f) or "" for f in FIELDS}
    if name_taken(values["name"]):
        raise NameTaken()
    organisation = Organisation(**values)
    db.session.add(organisation)
    record(by, "create", organisation, {f: [None, str(v)] for f, v in values.items()})
    return organisation


@refuses_stale_edits
def update_organisation(organisation: Organisation, data: dict, *, by: User, version: int | None) -> dict:
    check_version(organisation, version)
    values = {f: data.get(f) or "" for f in FIELDS}
    if name_taken(values["name"], except_id=organisation.id):
        raise NameTaken()
    changes = apply_changes(organisation, values)
    if changes:
        record(by, "update", organisation, changes)
        flush_or_stale()
    return changes


@refuses_stale_edits
def set_organisation_active(organisation: Organisation, active: bool, *, by: User, version: int | None) -> None:
    """Deactivating keeps the organisation's agreements, actions and accounts as history, and ends its members'
    sessions."""
    check_version(organisation, version)
    if organisation.is_active == active:
        return
    if not active and active_admins_outside(organisation_id=organisation.id) == 0:
        raise LastAdmin()  # its members could no longer sign in, and no one else could administer
    organisation.is_active = active
    if not active:
        end_organisation_sessions(organisation, SessionEnd.ORGANISATION_DEACTIVATED, now=utcnow())
    record(by, "reactivate" if active else "deactivate", organisation, {"is_active": [not active, active]})
    flush_or_stale()
