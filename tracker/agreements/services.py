"""Creating and changing agreements. Services flush, never commit; every change is audited."""
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from tracker import policy
from tracker.accounts.models import User
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.audit.services import apply_changes, plain, record
from tracker.editing import check_version, flush_or_stale, refuses_stale_edits
from tracker.extensions import db
from tracker.organisations.models import Organisation

FIELDS = ("title", "reference_number", "purpose", "theme", "area", "starts_on", "ends_on", "next_review_on",
          "lead_organisation_id", "escalate_level2_days", "escalate_level3_days")

# Forward through the life of an agreement; an ended one may be reopened.
TRANSITIONS = {
    AgreementStatus.DRAFT: (AgreementStatus.ACTIVE, AgreementStatus.ENDED),
    AgreementStatus.ACTIVE: (AgreementStatus.ENDED,),
    AgreementStatus.ENDED: (AgreementStatus.ACTIVE,),
}


class NotAParty(Exception):
    """The acting coordinator's organisation is not among the parties."""


class BadTransition(Exception):
    """That status does not follow from the agreement's current status."""


def _members(data: dict) -> tuple[list[Organisation], list[User]]:
    party_ids = set(data.get("party_ids") or []) | {data["lead_organisation_id"]}
    parties = list(db.session.scalars(select(Organisation).where(Organisation.id.in_(party_ids))))
    members = list(db.session.scalars(select(User).where(User.id.in_(data.get("steering_group_ids") or []))))
    return parties, members


def create_agreement(data: dict, *, by: User) -> Agreement:
    """A new draft agreement; the lead organisation is always a party."""
    parties, members = _members(data)
    if not policy.can_set_parties(by, [o.id for o in parties]):
        raise NotAParty()
    agreement = Agreement(**{f: data.get(f) for f in FIELDS}, parties=parties, steering_group=members,
                          created_by_id=by.id)
    db.session.add(agreement)
    db.session.flush()
    record(by, "create", agreement, {f: [None, plain(getattr(agreement, f))] for f in
                                     (*FIELDS, "party_ids", "steering_group_ids")})
    return agreement


@refuses_stale_edits
def update_agreement(agreement: Agreement, data: dict, *, by: User, version: int | None) -> dict:
    check_version(agreement, version)
    parties, members = _members(data)
    if not policy.can_set_parties(by, [o.id for o in parties]):
        raise NotAParty()
    changes = apply_changes(agreement, {f: data.get(f) for f in FIELDS})
    changes |= apply_changes(agreement, {"parties": parties, "steering_group": members})
    if changes:
        # A change only to parties or steering group leaves the row as it was; mark it changed so the
        # version still moves and a concurrent edit of the lists is refused like any other.
        flag_modified(agreement, "title")
        record(by, "update", agreement, changes)
        flush_or_stale()
    return changes


@refuses_stale_edits
def change_status(agreement: Agreement, status: AgreementStatus, *, by: User, version: int | None) -> None:
    check_version(agreement, version)
    if status not in TRANSITIONS[agreement.status]:
        raise BadTransition()
    record(by, "status", agreement, apply_changes(agreement, {"status": status}))
    flush_or_stale()

