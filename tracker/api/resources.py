"""What the API answers with: one pydantic model per kind of object, built from the rows the queries loaded.
The OpenAPI document's response schemas are these models' JSON Schemas."""
import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from tracker.actions import models as actions
from tracker.actions.models import ActionStatus, RequestOutcome
from tracker.actions.rules import Stalled
from tracker.actions.rules import Standing as RuleStanding
from tracker.agreements import models as agreements
from tracker.agreements.models import AgreementStatus, Theme
from tracker.api.fields import Resource
from tracker.steering import models as steering
from tracker.steering.models import EffectKind


class Named(Resource):
    """An organisation or a person, by id and name."""
    id: int
    name: str


class Agreement(Resource):
    id: int
    title: str
    reference_number: str = Field(description="The diarienummer.")
    purpose: str
    theme: Theme
    area: str
    starts_on: dt.date
    ends_on: dt.date | None
    next_review_on: dt.date | None
    next_meeting_on: dt.date | None = Field(description="The steering group's next meeting.")
    status: AgreementStatus
    lead_organisation: Named
    parties: list[Named]
    steering_group: list[Named]
    version: int


class Standing(Resource):
    """Where an open action stands today: the same rules the pages, reminders and reports apply."""
    stalled: bool
    reasons: list[Stalled] = Field(description="Why it is stalled; empty when it is on track or closed.")
    due_soon: bool
    days_overdue: int
    days_silent: int = Field(description="Days since its last progress update (or its creation).")
    level: int = Field(ge=0, le=3, description="The escalation ladder: 0 on track, 1 owner, 2 coordinators, "
                                                "3 steering group.")
    days_stalled: int
    waiting_for: list[int] = Field(description="Organisations whose stale requests it waits on, by id.")


class Action(Resource):
    id: int
    agreement_id: int
    title: str
    description: str
    owner_organisation: Named
    owner: Named | None = Field(description="null: no named owner (handed to the organisation's coordinators).")
    deadline: dt.date | None
    status: ActionStatus
    progress: int = Field(ge=0, le=100)
    blocked_reason: str
    last_progress_at: dt.datetime | None
    created_at: dt.datetime
    version: int = Field(description="Send it back when you change the action (optimistic locking).")
    standing: Standing


class ProgressUpdate(Resource):
    id: int
    action_id: int
    author: Named
    at: dt.datetime
    text: str
    status_from: ActionStatus
    status_to: ActionStatus
    progress_from: int
    progress_to: int
    next_step: str
    next_step_on: dt.date | None
    request_ids: list[int] = Field(description="The requests to other parties raised in this update.")


class PartnerRequest(Resource):
    """A request from the action's owning organisation to another party of the agreement."""
    id: int
    action_id: int
    progress_update_id: int
    from_organisation: Named
    to_organisation: Named
    text: str
    asked_at: dt.datetime
    asked_by: Named
    is_open: bool
    answered_at: dt.datetime | None
    answered_by: Named | None
    answer: str
    outcome: RequestOutcome | None


class DecisionEffect(Resource):
    action_id: int
    kind: EffectKind
    new_owner: Named | None
    new_deadline: dt.date | None


class Decision(Resource):
    """A steering-group decision on an agreement, with what it changed on its actions."""
    id: int
    agreement_id: int
    decided_on: dt.date
    meeting: str
    text: str
    recorded_by: Named
    recorded_at: dt.datetime
    effects: list[DecisionEffect]


NEXT = Field(description="The address of the next page, or null on the last page.")


class AgreementPage(Resource):
    items: list[Agreement]
    next: str | None = NEXT


class ActionPage(Resource):
    items: list[Action]
    next: str | None = NEXT


class ProgressUpdatePage(Resource):
    items: list[ProgressUpdate]
    next: str | None = NEXT


class PartnerRequestPage(Resource):
    items: list[PartnerRequest]
    next: str | None = NEXT


class DecisionPage(Resource):
    items: list[Decision]
    next: str | None = NEXT


def named(obj: object) -> Named:
    return Named(id=obj.id, name=obj.name)  # type: ignore[attr-defined]  # an Organisation or a User


def agreement(a: agreements.Agreement) -> Agreement:
    return Agreement(
        id=a.id, title=a.title, reference_number=a.reference_number, purpose=a.purpose, theme=a.theme, area=a.area,
        starts_on=a.starts_on, ends_on=a.ends_on, next_review_on=a.next_review_on, next_meeting_on=a.next_meeting_on,
        status=a.status, lead_organisation=named(a.lead_organisation), parties=[named(o) for o in a.parties],
        steering_group=[named(u) for u in a.steering_group], version=a.version)


def action(a: actions.Action, standing: RuleStanding) -> Action:
    return Action(
        id=a.id, agreement_id=a.agreement_id, title=a.title, description=a.description,
        owner_organisation=named(a.owner_organisation), owner=named(a.owner) if a.owner else None,
        deadline=a.deadline, status=a.status, progress=a.progress, blocked_reason=a.blocked_reason,
        last_progress_at=a.last_progress_at, created_at=a.created_at, version=a.version,
        standing=Standing(stalled=standing.is_stalled, reasons=list(standing.reasons), due_soon=standing.due_soon,
                          days_overdue=standing.days_overdue, days_silent=standing.days_silent,
                          level=standing.level, days_stalled=standing.days_stalled,
                          waiting_for=list(standing.waiting_for)))


def progress_update(u: actions.ProgressUpdate) -> ProgressUpdate:
    return ProgressUpdate(
        id=u.id, action_id=u.action_id, author=named(u.author), at=u.at, text=u.text, status_from=u.status_from,
        status_to=u.status_to, progress_from=u.progress_from, progress_to=u.progress_to, next_step=u.next_step,
        next_step_on=u.next_step_on, request_ids=[r.id for r in u.requests])


def partner_request(r: actions.Request) -> PartnerRequest:
    return PartnerRequest(
        id=r.id, action_id=r.action_id, progress_update_id=r.progress_update_id,
        from_organisation=named(r.from_organisation), to_organisation=named(r.to_organisation), text=r.text,
        asked_at=r.asked_at, asked_by=named(r.asked_by), is_open=r.is_open, answered_at=r.answered_at,
        answered_by=named(r.answered_by) if r.answered_by else None, answer=r.answer, outcome=r.outcome)


def decision(d: steering.Decision) -> Decision:
    return Decision(
        id=d.id, agreement_id=d.agreement_id, decided_on=d.decided_on, meeting=d.meeting, text=d.text,
        recorded_by=named(d.recorded_by), recorded_at=d.recorded_at,
        effects=[DecisionEffect(action_id=e.action_id, kind=e.kind, new_owner=named(e.new_owner) if e.new_owner
                                else None, new_deadline=e.new_deadline) for e in d.effects])


class FieldProblem(BaseModel):
    """What is wrong with one field of the body (pointer, RFC 6901) or one query parameter (parameter)."""
    detail: str
    pointer: str | None = Field(None, description="A JSON Pointer into the body, e.g. #/deadline.")
    parameter: str | None = Field(None, description="The query parameter, e.g. status.")


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (application/problem+json)."""
    model_config = ConfigDict(extra="allow")
    type: str = Field(description="A URI reference to the explanation of this kind of problem.")
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = Field(None, description="For 422 (and a bad cursor): what is wrong with "
                                                                "each field or parameter.")
    current_version: int | None = Field(None, description="For 409: the action's version now.")
