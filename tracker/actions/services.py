"""Creating and changing actions, and logging progress. Services flush, never commit; changes are audited."""
import datetime as dt

from tracker.accounts.models import User
from tracker.actions import events
from tracker.actions.events import Assignment
from tracker.actions.models import AUDITED_FIELDS, Action, ActionStatus, DeadlineChange, ProgressUpdate
from tracker.actions.partner_requests import raise_request
from tracker.agreements.models import Agreement
from tracker.audit.services import apply_changes, plain, record
from tracker.clock import local_date, utcnow
from tracker.editing import check_version, flush_or_stale, refuses_stale_edits
from tracker.extensions import db

# What a form may set. Status, progress and the blocked reason change only through log_progress, so every
# completion, cancellation and blocking has a date, an author and a text.
STARTING_STATE = {"status": ActionStatus.PLANNED, "progress": 0, "blocked_reason": "", "blocked_since": None,
                  "owner_lost_on": None, "raised_at": None, "raised_by_id": None, "raised_reason": ""}
FIELDS = tuple(f for f in AUDITED_FIELDS if f not in STARTING_STATE)


class ReasonMissing(Exception):
    """A deadline was moved without a reason or a decision behind it."""


class NotAnOwner(Exception):
    """The new owner is not an active person of the action's owning organisation."""


def _values(data: dict) -> dict:
    values = {f: data.get(f) for f in FIELDS}
    values["description"] = values["description"] or ""
    return values


def create_action(agreement: Agreement, data: dict, *, by: User) -> Action:
    """A new action starts Planned at 0 %, whatever data says about its status or progress."""
    action = Action(agreement=agreement, created_by_id=by.id, **_values(data), **STARTING_STATE)
    db.session.add(action)
    db.session.flush()
    record(by, "create", action, {f: [None, plain(getattr(action, f))] for f in AUDITED_FIELDS})
    events.assigned(action, Assignment.CREATED, by=by)
    return action


@refuses_stale_edits
def update_action(action: Action, data: dict, *, by: User, version: int | None) -> dict:
    """Apply the descriptive fields; status and progress are left alone. Editing does not reset "silent".
    A moved deadline needs data["deadline_reason"] (ReasonMissing otherwise) and is kept as a DeadlineChange."""
    check_version(action, version)
    moved_from = action.deadline
    values = _values(data)
    if values["owner_id"] is not None:  # a named owner again: no longer "utan ansvarig"
        values["owner_lost_on"] = None
    changes = apply_changes(action, values)
    if "deadline" in changes:
        note_deadline_move(action, moved_from, by=by, reason=data.get("deadline_reason") or "")
    if changes:
        record(by, "update", action, changes)
        flush_or_stale()
        if "owner_id" in changes:
            events.assigned(action, Assignment.EDITED, by=by)
    return changes


@refuses_stale_edits
def log_progress(action: Action, *, text: str, status: ActionStatus, progress: int, blocked_reason: str,
                 by: User, version: int | None, at: dt.datetime | None = None, next_step: str = "",
                 next_step_on: dt.date | None = None, request_to_id: int | None = None,
                 request_text: str = "") -> ProgressUpdate:
    """Append a progress update and move the action's status and progress with it (at: now, unless imported).
    The update may name the next step and raise a request to another party; both are saved with it or not at all
    (a request to an organisation that is not another party raises partner_requests.NotAParty)."""
    check_version(action, version)
    if status is ActionStatus.DONE:
        progress = 100
    update = ProgressUpdate(action=action, author_id=by.id, at=at or utcnow(), text=text,
                            status_from=action.status, status_to=status,
                            progress_from=action.progress, progress_to=progress,
                            next_step=next_step, next_step_on=next_step_on if next_step else None)
    db.session.add(update)
    if request_to_id is not None:
        raise_request(update, action, to_organisation_id=request_to_id, text=request_text, by=by, at=update.at)
    blocked = status is ActionStatus.BLOCKED
    blocked_since = (action.blocked_since if action.status is ActionStatus.BLOCKED else local_date(update.at)) \
        if blocked else None
    changes = apply_changes(action, {"status": status, "progress": progress,
                                     "blocked_reason": blocked_reason if blocked else "",
                                     "blocked_since": blocked_since})
    action.last_progress_at = update.at
    record(by, "progress", action, changes, at=update.at)
    flush_or_stale()
    return update


def note_deadline_move(action: Action, moved_from: dt.date | None, *, by: User, reason: str = "",
                       decision_id: int | None = None) -> DeadlineChange | None:
    """Keep the move of action's deadline from moved_from to its current one, with its reason or decision.
    Setting the first deadline is no move (None)."""
    if moved_from is None or moved_from == action.deadline:
        return None
    if not reason.strip() and decision_id is None:
        raise ReasonMissing()
    change = DeadlineChange(action=action, moved_from=moved_from, moved_to=action.deadline, by_id=by.id,
                            reason=reason.strip(), decision_id=decision_id)
    db.session.add(change)
    return change


@refuses_stale_edits
def decide_deadline(action: Action, deadline: dt.date, *, decision_id: int, by: User) -> dict:
    """A steering-group decision moves the deadline: audited, and kept as a move citing the decision."""
    moved_from = action.deadline
    changes = apply_changes(action, {"deadline": deadline})
    if changes:
        note_deadline_move(action, moved_from, by=by, decision_id=decision_id)
        record(by, "update", action, changes)
        flush_or_stale()
    return changes


@refuses_stale_edits
def decide_owner(action: Action, owner: User, *, by: User) -> dict:
    """A steering-group decision gives the action a new owner: an active person of the owning organisation."""
    if not owner.is_active or owner.organisation_id != action.owner_organisation_id:
        raise NotAnOwner()
    changes = apply_changes(action, {"owner_id": owner.id, "owner_lost_on": None})
    if changes:
        record(by, "update", action, changes)
        flush_or_stale()
        if "owner_id" in changes:
            events.assigned(action, Assignment.DECIDED, by=by)
    return changes


@refuses_stale_edits
def raise_to_steering_group(action: Action, *, reason: str, by: User, version: int | None) -> None:
    """Put the action on the steering group's agenda (level 3) by hand, until it closes or the raise is withdrawn."""
    check_version(action, version)
    changes = apply_changes(action, {"raised_at": utcnow(), "raised_by_id": by.id, "raised_reason": reason})
    record(by, "raise", action, changes)
    flush_or_stale()


@refuses_stale_edits
def withdraw_raise(action: Action, *, by: User, version: int | None) -> None:
    """Take a raise back: the action is on the ladder by its days stalled again."""
    check_version(action, version)
    changes = apply_changes(action, {"raised_at": None, "raised_by_id": None, "raised_reason": ""})
    if changes:
        record(by, "withdraw_raise", action, changes)
        flush_or_stale()


def hand_over(action: Action, new_owner: User | None, *, by: User, today: dt.date) -> None:
    """Give an open action to a new owner, or to its organisation's coordinators as "utan ansvarig" (no owner,
    ownerless from today). The caller checked that the new owner is an active person of the owning organisation."""
    values: dict = ({"owner_id": new_owner.id, "owner_lost_on": None} if new_owner is not None
                    else {"owner_id": None, "owner_lost_on": today})
    changes = apply_changes(action, values)
    record(by, "hand_over", action, changes)
    if new_owner is not None and "owner_id" in changes:
        db.session.flush()  # the notice names the version the handover made
        events.assigned(action, Assignment.HANDED_OVER, by=by)
