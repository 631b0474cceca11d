"""Recording a steering-group decision and applying it to the actions it concerns, all in one unit of work:
either the decision and every change it makes are saved, or nothing is. Services flush, never commit."""
import datetime as dt
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _

from tracker.accounts.models import User
from tracker.actions import services as actions
from tracker.actions.models import Action, ActionStatus
from tracker.agreements.models import Agreement
from tracker.audit.services import apply_changes, plain, record
from tracker.editing import check_version, flush_or_stale, refuses_stale_edits
from tracker.extensions import db
from tracker.steering.models import Decision, DecisionEffect, EffectKind


@dataclass(frozen=True)
class Effect:
    """What the decision changes on one action (new_owner for NEW_OWNER, new_deadline for NEW_DEADLINE)."""
    action: Action
    kind: EffectKind
    new_owner: User | None = None
    new_deadline: dt.date | None = None


class EffectRefused(Exception):
    """One effect cannot be applied; row is its place in the list, so the form shows the message beside it."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row, self.message = row, message


def refusal(agreement: Agreement, effect: Effect) -> str | None:
    """Why this effect cannot be part of a decision on agreement, or None when it can."""
    action = effect.action
    if action.agreement_id != agreement.id:
        return _("Choose an action of this agreement.")
    if not action.status.is_open:
        return _("The action is already closed.")
    if effect.kind is EffectKind.NEW_OWNER and (
            effect.new_owner is None or not effect.new_owner.is_active
            or effect.new_owner.organisation_id != action.owner_organisation_id):
        return _("The new owner must be an active person at the owning organisation.")
    if effect.kind is EffectKind.NEW_DEADLINE and not _within(agreement, effect.new_deadline):
        return _("The new deadline must fall within the agreement's period.")
    return None


def _within(agreement: Agreement, day: dt.date | None) -> bool:
    return day is not None and agreement.starts_on <= day and (agreement.ends_on is None or day <= agreement.ends_on)


@refuses_stale_edits
def record_decision(agreement: Agreement, *, decided_on: dt.date, meeting: str, text: str, effects: list[Effect],
                    by: User) -> Decision:
    """Append the decision and apply each effect; any refusal (EffectRefused) undoes all of it."""
    for row, effect in enumerate(effects):
        message = refusal(agreement, effect)
        if message:
            raise EffectRefused(row, message)
    decision = Decision(agreement=agreement, decided_on=decided_on, meeting=meeting, text=text, recorded_by_id=by.id)
    db.session.add(decision)
    db.session.flush()
    for effect in effects:
        decision.effects.append(DecisionEffect(action=effect.action, kind=effect.kind, new_owner=effect.new_owner,
                                               new_deadline=effect.new_deadline))
        _apply(decision, effect, by)
    record(by, "create", decision, {
        "decided_on": [None, plain(decided_on)], "meeting": [None, meeting], "text": [None, text],
        "effects": [None, [f"{e.kind.value}:{e.action.id}" for e in effects]]})
    flush_or_stale()
    return decision


def _apply(decision: Decision, effect: Effect, by: User) -> None:
    action = effect.action
    if effect.kind is EffectKind.NEW_DEADLINE and effect.new_deadline is not None:
        actions.decide_deadline(action, effect.new_deadline, decision_id=decision.id, by=by)
    elif effect.kind is EffectKind.NEW_OWNER and effect.new_owner is not None:
        actions.decide_owner(action, effect.new_owner, by=by)
    elif effect.kind is EffectKind.CANCEL:
        actions.log_progress(action, text=_cancel_text(decision), status=ActionStatus.CANCELLED,
                             progress=action.progress, blocked_reason="", by=by, version=action.version)
    # An accepted delay changes nothing on the action: the effect row is the record the action's page shows.


def _cancel_text(decision: Decision) -> str:
    return _("Cancelled by the steering group's decision of %(date)s (%(meeting)s): %(text)s",
             date=format_date(decision.decided_on), meeting=decision.meeting, text=decision.text)


@refuses_stale_edits
def set_next_meeting(agreement: Agreement, day: dt.date | None, *, by: User, version: int | None) -> dict:
    """The steering group's next meeting date (None: not set); audited on the agreement."""
    check_version(agreement, version)
    changes = apply_changes(agreement, {"next_meeting_on": day})
    if changes:
        record(by, "update", agreement, changes)
        flush_or_stale()
    return changes
