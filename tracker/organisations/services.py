"""Registering and changing partner organisations. Services flush, never commit.

Deactivating (never deleting) an organisation ends its members' sessions, so it lives in accounts/services.py."""
from typing import TYPE_CHECKING, Any

from tracker.audit.services import apply_changes, plain, record
from tracker.editing import check_version, flush_or_stale, refuses_stale_edits
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.organisations.queries import name_taken

if TYPE_CHECKING:  # for the annotation only: accounts sits above organisations
    from tracker.accounts.models import User

FIELDS = ("name", "short_name", "kind", "municipality", "contact_email")


class NameTaken(Exception):
    """Another organisation already has this name (compared case-insensitively)."""


def create_organisation(data: dict[str, Any], *, by: "User | None") -> Organisation:
    values = {f: data.get(f) or "" for f in FIELDS}
    if name_taken(values["name"]):
        raise NameTaken()
    organisation = Organisation(**values)
    db.session.add(organisation)
    record(by, "create", organisation, {f: [None, plain(v)] for f, v in values.items()})
    return organisation


@refuses_stale_edits
def update_organisation(organisation: Organisation, data: dict[str, Any], *, by: "User",
                        version: int | None) -> dict[str, list[Any]]:
    check_version(organisation, version)
    values = {f: data.get(f) or "" for f in FIELDS}
    if name_taken(values["name"], except_id=organisation.id):
        raise NameTaken()
    changes = apply_changes(organisation, values)
    if changes:
        record(by, "update", organisation, changes)
        flush_or_stale()
    return changes
