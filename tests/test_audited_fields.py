"""Every audited field of an action is rebuilt, with its type, as it stood on a past day."""
import datetime as dt

from tests.factories import make_action, make_agreement, make_organisation, make_user
from tracker.actions import services
from tracker.actions.models import AUDITED_FIELDS, ActionStatus
from tracker.clock import local_today
from tracker.reports.history import actions_as_of

TITLE = "Before"


def _changed_values(action, other_organisation, other_person) -> dict:
    """A new value for each audited field; a field added to AUDITED_FIELDS must be added here too."""
    return {"title": "After", "description": "Now described", "owner_organisation_id": other_organisation.id,
            "owner_id": other_person.id, "deadline": action.deadline + dt.timedelta(days=7),
            "status": ActionStatus.BLOCKED, "progress": 40, "blocked_reason": "Waiting for the council",
            "blocked_since": local_today(), "owner_lost_on": None, "raised_at": "set when raised",
            "raised_by_id": other_person.id, "raised_reason": "The council must decide"}


def test_every_audited_field_is_rebuilt_as_it_stood(app):
    lead, other = make_organisation(), make_organisation()
    agreement = make_agreement(parties=[lead, other])
    owner, other_person = make_user(organisation=lead), make_user(organisation=other)
    action = make_action(agreement=agreement, title=TITLE, owner=owner, status=ActionStatus.IN_PROGRESS,
                         progress=10, blocked_reason="", owner_lost_on=dt.date(2026, 11, 2))
    before = {f: getattr(action, f) for f in AUDITED_FIELDS}
    changed = _changed_values(action, other, other_person)
    assert set(changed) == set(AUDITED_FIELDS), "give every audited field a new value in this test"

    services.update_action(action, {f: changed[f] for f in services.FIELDS} | {"deadline_reason": "Later start"},
                           by=owner, version=action.version)
    services.log_progress(action, text="Stuck", status=changed["status"], progress=changed["progress"],
                          blocked_reason=changed["blocked_reason"], by=owner, version=action.version)
    services.raise_to_steering_group(action, reason=changed["raised_reason"], by=other_person, version=action.version)
    changed["raised_at"] = action.raised_at
    assert isinstance(action.raised_at, dt.datetime)
    assert {f: getattr(action, f) for f in AUDITED_FIELDS} == changed

    [state] = actions_as_of([agreement.id], local_today() - dt.timedelta(days=1))
    rebuilt = {f: getattr(state, f) for f in AUDITED_FIELDS}
    assert rebuilt == before
    assert {f: type(v) for f, v in rebuilt.items()} == {f: type(v) for f, v in before.items()}
