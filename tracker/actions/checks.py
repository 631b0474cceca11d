"""What an action's fields and a progress update must satisfy beyond their types: one copy of each rule, applied by
the action forms and by the JSON API alike. Each check returns the message that says what is wrong, or None."""
import datetime as dt
from collections.abc import Collection
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from tracker.actions.models import ActionStatus
from tracker.actions.queries import OwnerChoices
from tracker.agreements.models import Agreement


def owning_organisation_refusal(owners: OwnerChoices, organisation_id: int | None) -> Any:
    """The owning organisation must be a party the user may give actions to (queries.owner_choices)."""
    if organisation_id not in {pair[0] for pair in owners.organisations}:
        return _l("Choose one of the agreement's parties that you may create actions for.")
    return None


def owner_refusal(owners: OwnerChoices, organisation_id: int | None, owner_id: int | None) -> Any:
    if owner_id not in owners.people_by_organisation.get(organisation_id or 0, set()):
        return _l("The owner must be an active person at the owning organisation.")
    return None


def deadline_refusal(agreement: Agreement, deadline: dt.date | None) -> Any:
    """A deadline falls within the agreement's period."""
    if deadline and deadline < agreement.starts_on:
        return _l("The deadline cannot be before the agreement starts (%(date)s).",
                  date=agreement.starts_on.isoformat())
    if deadline and agreement.ends_on and deadline > agreement.ends_on:
        return _l("The deadline cannot be after the agreement ends (%(date)s). Extend the agreement first if the "
                  "parties have agreed to that.", date=agreement.ends_on.isoformat())
    return None


def deadline_reason_refusal(promised: dt.date | None, deadline: dt.date | None, reason: str | None) -> Any:
    """Moving a saved deadline needs a reason: the steering group sees every move and why."""
    if promised is not None and deadline not in (None, promised) and not reason:
        return _l("Say why the deadline moves from %(date)s.", date=format_date(promised))
    return None


def blocked_reason_refusal(status: ActionStatus | None, reason: str | None) -> Any:
    if status is ActionStatus.BLOCKED and not reason:
        return _l("Say why the action is blocked.")
    return None


def next_step_refusal(next_step: str | None, date_given: bool) -> Any:
    """A next step names what and by when: both or neither."""
    if date_given and not next_step:
        return _l("Say what the next step is, or clear its date.")
    if next_step and not date_given:
        return _l("Give the next step a date too.")
    return None


def next_step_on_refusal(day: dt.date | None, today: dt.date, ends_on: dt.date | None) -> Any:
    if day and day < today:
        return _l("The next step cannot be in the past.")
    if day and ends_on and day > ends_on:
        return _l("The next step cannot be after the agreement ends (%(date)s).", date=ends_on.isoformat())
    return None


def request_to_refusal(request_to: int | None, parties: Collection[int], request_text: str | None) -> Any:
    """A request goes to another party of the agreement (partner_requests.addressable_parties), and says what."""
    if request_to is not None and request_to not in parties:
        return _l("A request goes to another party of this agreement.")
    if request_to is None and request_text:
        return _l("Choose the organisation the request is for.")
    return None


def request_text_refusal(request_to: int | None, request_text: str | None) -> Any:
    if request_to is not None and not request_text:
        return _l("Say what you need from them.")
    return None
