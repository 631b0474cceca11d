"""What the API accepts: the query parameters of each list and the bodies of each change, as pydantic models.
They validate the requests, and the OpenAPI document is built from their JSON Schemas (api/openapi.py)."""
from typing import Any

from pydantic import Field

from tracker.actions.forms import NEXT_STEP_MAX, REASON_MAX, REQUEST_MAX, TEXT_MAX, UPDATE_MAX
from tracker.actions.models import ActionStatus
from tracker.agreements.models import AgreementStatus, Theme
from tracker.api.fields import DATE_RANGE, Body, Date, Id, Moment, Query, text

TITLE_MAX = 300
PAGE_SIZE, PAGE_SIZE_MAX = 50, 100


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# A field a change may leave out (and so leave as it is); null is not a value it takes.
UNCHANGED: Any = Field(default=None, json_schema_extra=_no_default)


class Page(Query):
    limit: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX, description="How many items per page.")
    cursor: str | None = Field(None, max_length=500, description="Where the page starts: take it from the `next` "
                                                                "link of the page before. It works only with the "
                                                                "same filters.")


class AgreementQuery(Page):
    organisation: Id | None = Field(None, description="Only agreements this organisation is a party to.")
    status: AgreementStatus | None = None
    theme: Theme | None = None
    updated_since: Moment | None = Field(None, description="Only agreements changed at or after this moment "
                                                           "(RFC 3339, with its offset).")


class ActionQuery(Page):
    agreement: Id | None = Field(None, description="Only actions of this agreement.")
    organisation: Id | None = Field(None, description="Only actions this organisation owns.")
    owner: Id | None = Field(None, description="Only actions this person owns.")
    status: ActionStatus | None = None
    open: bool = Field(False, description="Only open actions (not done, not cancelled).")
    stalled: bool = Field(False, description="Only stalled actions: overdue, blocked, silent, waiting or ownerless.")
    due_soon: bool = Field(False, description="Only open actions whose deadline falls within the next 14 days.")
    level: int | None = Field(None, ge=1, le=3, description="Only actions at this escalation level or above.")
    updated_since: Moment | None = Field(None, description="Only actions changed or given progress at or after "
                                                           "this moment (RFC 3339, with its offset).")


class StalledQuery(Page):
    agreement: Id | None = Field(None, description="Only actions of this agreement.")
    organisation: Id | None = Field(None, description="Only actions this organisation owns.")
    level: int | None = Field(None, ge=1, le=3, description="Only actions at this escalation level or above.")


class ProgressUpdateQuery(Page):
    agreement: Id | None = Field(None, description="Only updates on actions of this agreement.")
    action: Id | None = Field(None, description="Only updates of this action.")
    organisation: Id | None = Field(None, description="Only updates on actions this organisation owns.")
    since: Moment | None = Field(None, description="Only updates logged at or after this moment.")


class PartnerRequestQuery(Page):
    agreement: Id | None = Field(None, description="Only requests on actions of this agreement.")
    action: Id | None = Field(None, description="Only requests on this action.")
    to_organisation: Id | None = Field(None, description="Only requests to this organisation.")
    from_organisation: Id | None = Field(None, description="Only requests from this organisation.")
    open: bool = Field(False, description="Only requests not yet answered.")
    since: Moment | None = Field(None, description="Only requests asked or answered at or after this moment.")


class DecisionQuery(Page):
    agreement: Id | None = Field(None, description="Only decisions on this agreement.")
    action: Id | None = Field(None, description="Only decisions that concern this action.")
    since: Moment | None = Field(None, description="Only decisions recorded at or after this moment.")


class ActionNew(Body):
    """A new action; it starts Planned at 0 %."""
    title: text(TITLE_MAX, required=True, one_line=True)  # type: ignore[valid-type]
    description: text(TEXT_MAX) = ""  # type: ignore[valid-type]
    owner_organisation_id: Id = Field(description="A party of the agreement that you may give actions to.")
    owner_id: Id = Field(description="An active person at the owning organisation.")
    deadline: Date = Field(description=DATE_RANGE + " Within the agreement's period.")


class ActionChange(Body):
    """The descriptive fields of an action; leave out what stays as it is. Status and progress change only through
    progress updates."""
    version: int = Field(ge=1, description="The action's version as you read it. Someone else's save since then "
                                           "refuses the change (409).")
    title: text(TITLE_MAX, required=True, one_line=True) = UNCHANGED  # type: ignore[valid-type]
    description: text(TEXT_MAX) = UNCHANGED  # type: ignore[valid-type]
    owner_organisation_id: Id = UNCHANGED
    owner_id: Id = UNCHANGED
    deadline: Date = UNCHANGED
    deadline_reason: text(REASON_MAX, description="Needed when the deadline moves.") = ""  # type: ignore[valid-type]


class RequestNew(Body):
    """A request to another party of the agreement, raised with the progress update."""
    to_organisation_id: Id
    text: text(REQUEST_MAX, required=True)  # type: ignore[valid-type]


class ProgressNew(Body):
    """A progress update: the only way an action's status and progress change (closing included)."""
    version: int = Field(ge=1, description="The action's version as you read it (optimistic locking).")
    text: text(UPDATE_MAX, required=True, description="What has happened.")  # type: ignore[valid-type]
    status: ActionStatus
    progress: int = Field(ge=0, le=100, description="Per cent done; Done sets 100.")
    blocked_reason: text(REASON_MAX, description="Needed when the status is blocked.") = ""  # type: ignore[valid-type]
    next_step: text(NEXT_STEP_MAX, one_line=True, description="What happens next.") = ""  # type: ignore[valid-type]
    next_step_on: Date | None = Field(None, description="By when; needed with a next step.")
    request: RequestNew | None = None
