"""The API's changing endpoints: create an action, change its descriptive fields, log progress. Each goes through
the same policy, checks (actions/checks.py) and services as the pages, so rules, audit and notices stay one."""
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.actions import checks, services
from tracker.actions.models import Action
from tracker.actions.partner_requests import NotAParty, addressable_parties
from tracker.actions.queries import owner_choices
from tracker.agreements.models import Agreement
from tracker.api import resources, schemas
from tracker.api.models import TokenScope
from tracker.api.routing import Answer, operation
from tracker.api.views import action_resources, bp
from tracker.clock import request_today
from tracker.editing import StaleEdit
from tracker.extensions import db
from tracker.loading import load_or_403
from tracker.problems import fail

WRITE = TokenScope.WRITE


def refuse(messages: dict[str, Any]) -> None:
    """422 naming each field whose check failed ({JSON pointer: message or None})."""
    errors = [{"pointer": pointer, "detail": str(message)} for pointer, message in messages.items() if message]
    if errors:
        db.session.rollback()
        fail(422, _("Some fields are wrong; see errors."), slug="validation", errors=errors)


def stale(action: Action) -> None:
    db.session.rollback()
    fail(409, _("The action changed after you read it. Read it again and send your change with its current "
                "version."), slug="stale-version", current_version=action.version)


@operation(bp, "/agreements/<int:agreement_id>/actions", "POST", tag="Actions", summary="Create an action",
           response=resources.Action, status=201, body=schemas.ActionNew, scope=WRITE)
def create_action(agreement_id: int, body: schemas.ActionNew) -> Answer:
    """Admins and coordinators of a party, while the agreement has not ended. The lead organisation gives actions
    to any party; others to their own organisation."""
    agreement = load_or_403(Agreement, agreement_id, policy.can_add_action)
    owners = owner_choices(agreement, current_user)
    refuse({"#/owner_organisation_id": checks.owning_organisation_refusal(owners, body.owner_organisation_id),
            "#/owner_id": checks.owner_refusal(owners, body.owner_organisation_id, body.owner_id),
            "#/deadline": checks.deadline_refusal(agreement, body.deadline)})
    action = services.create_action(agreement, body.model_dump(), by=current_user)
    db.session.commit()
    return Answer(action_resources([action])[0], {"Location": url_for("api.action", action_id=action.id)})


@operation(bp, "/actions/<int:action_id>", "PATCH", tag="Actions", summary="Change an action's descriptive fields",
           response=resources.Action, body=schemas.ActionChange, scope=WRITE, problems=(409,))
def update_action(action_id: int, body: schemas.ActionChange) -> Answer:
    """Admins, and coordinators of the owning or the lead organisation. A moved deadline needs a reason and is
    kept in the action's deadline history."""
    action = load_or_403(Action, action_id, policy.can_edit_action)
    sent = {name: getattr(body, name) for name in body.model_fields_set if name in services.FIELDS}
    data = {name: getattr(action, name) for name in services.FIELDS} | sent
    owners = owner_choices(action.agreement, current_user, keep_owner_id=action.owner_id)
    refuse({"#/owner_organisation_id": checks.owning_organisation_refusal(owners, data["owner_organisation_id"]),
            "#/owner_id": checks.owner_refusal(owners, data["owner_organisation_id"], data["owner_id"]),
            "#/deadline": checks.deadline_refusal(action.agreement, data["deadline"]),
            "#/deadline_reason": checks.deadline_reason_refusal(action.deadline, data["deadline"],
                                                                body.deadline_reason)})
    try:
        services.update_action(action, {**data, "deadline_reason": body.deadline_reason}, by=current_user,
                               version=body.version)
    except StaleEdit:
        stale(action)
    db.session.commit()
    return Answer(action_resources([action])[0])


@operation(bp, "/actions/<int:action_id>/updates", "POST", tag="Progress updates", summary="Log progress",
           response=resources.ProgressUpdate, status=201, body=schemas.ProgressNew, scope=WRITE, problems=(409,))
def log_progress(action_id: int, body: schemas.ProgressNew) -> Answer:
    """Admins and coordinators of the owning organisation, while the action is open. The only way status and
    progress change; the update may name the next step and ask another party of the agreement for something."""
    action = load_or_403(Action, action_id, policy.can_log_progress)
    ask = body.request
    parties = {pair[0] for pair in addressable_parties(action)}
    refuse({"#/blocked_reason": checks.blocked_reason_refusal(body.status, body.blocked_reason),
            "#/next_step": checks.next_step_refusal(body.next_step, body.next_step_on is not None),
            "#/next_step_on": checks.next_step_on_refusal(body.next_step_on, request_today(),
                                                          action.agreement.ends_on),
            "#/request/to_organisation_id": checks.request_to_refusal(ask.to_organisation_id if ask else None,
                                                                      parties, ask.text if ask else None)})
    try:
        update = services.log_progress(
            action, text=body.text, status=body.status, progress=body.progress, blocked_reason=body.blocked_reason,
            by=current_user, version=body.version, next_step=body.next_step, next_step_on=body.next_step_on,
            request_to_id=ask.to_organisation_id if ask else None, request_text=ask.text if ask else "")
    except StaleEdit:
        stale(action)
    except NotAParty:
        refuse({"#/request/to_organisation_id": _("A request goes to another party of this agreement.")})
    db.session.commit()
    return Answer(resources.progress_update(update), {"Location": url_for("api.progress_update", update_id=update.id)})
