"""The selects behind the API's lists: the pages' own queries and policy conditions, with the API's filters and
keyset paging by id (a page asks for one row more than it shows, to know whether another page follows)."""
import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select

from tracker import policy
from tracker.accounts.models import User
from tracker.actions import queries as action_queries
from tracker.actions.models import Action, ProgressUpdate, Request
from tracker.actions.request_queries import with_names
from tracker.actions.rules import Thresholds
from tracker.agreements.models import Agreement
from tracker.agreements.queries import AgreementFilters, search_agreements
from tracker.api import schemas
from tracker.audit.models import AuditEvent
from tracker.steering.models import Decision, DecisionEffect
from tracker.steering.queries import with_effects


def page(query: Select, id_column: Any, after: int | None, limit: int) -> Select:
    """The rows after `after` by id, at most limit + 1 of them."""
    if after is not None:
        query = query.where(id_column > after)
    return query.order_by(None).order_by(id_column).limit(limit + 1)


def changed_since(table: str, id_column: Any, since: dt.datetime) -> ColumnElement[bool]:
    """The object has an audit event at or after since: every change to it is audited (its creation included)."""
    return exists(select(AuditEvent.id).where(AuditEvent.object_type == table, AuditEvent.object_id == id_column,
                                              AuditEvent.at >= since))


def agreements(user: User, q: schemas.AgreementQuery) -> Select:
    query = search_agreements(user, AgreementFilters(status=q.status, theme=q.theme, organisation_id=q.organisation))
    if q.updated_since is not None:
        query = query.where(changed_since("agreements", Agreement.id, q.updated_since))
    return query


def actions(user: User, q: schemas.ActionQuery, today: dt.date, thresholds: Thresholds) -> Select:
    filters = action_queries.ActionFilters(
        status=q.status, organisation_id=q.organisation, owner_id=q.owner, agreement_id=q.agreement,
        stalled_only=q.stalled, open_only=q.open, due_soon=q.due_soon, level=q.level)
    query = action_queries.search_actions(user, filters, today, thresholds)
    if q.updated_since is not None:
        query = query.where(changed_since("actions", Action.id, q.updated_since))
    return query


def stalled(user: User, q: schemas.StalledQuery, today: dt.date, thresholds: Thresholds) -> Select:
    filters = action_queries.ActionFilters(organisation_id=q.organisation, agreement_id=q.agreement,
                                           stalled_only=True, level=q.level)
    return action_queries.search_actions(user, filters, today, thresholds)


def progress_updates(user: User, q: schemas.ProgressUpdateQuery) -> Select:
    query = action_queries.updates_of().join(Action.agreement).where(policy.visible_agreements(user))
    for column, value in ((Action.agreement_id, q.agreement), (ProgressUpdate.action_id, q.action),
                          (Action.owner_organisation_id, q.organisation)):
        if value is not None:
            query = query.where(column == value)
    if q.since is not None:
        query = query.where(ProgressUpdate.at >= q.since)
    return query


def partner_requests(user: User, q: schemas.PartnerRequestQuery) -> Select:
    query = with_names(select(Request).join(Request.action).join(Action.agreement)
                       .where(policy.visible_agreements(user)))
    for column, value in ((Action.agreement_id, q.agreement), (Request.action_id, q.action),
                          (Request.to_organisation_id, q.to_organisation),
                          (Request.from_organisation_id, q.from_organisation)):
        if value is not None:
            query = query.where(column == value)
    if q.open:
        query = query.where(Request.answered_at.is_(None))
    if q.since is not None:
        query = query.where(or_(Request.asked_at >= q.since, Request.answered_at >= q.since))
    return query


def decisions(user: User, q: schemas.DecisionQuery) -> Select:
    query = with_effects(select(Decision).join(Decision.agreement).where(policy.visible_agreements(user)))
    if q.agreement is not None:
        query = query.where(Decision.agreement_id == q.agreement)
    if q.action is not None:
        query = query.where(Decision.id.in_(select(DecisionEffect.decision_id)
                                            .where(DecisionEffect.action_id == q.action)))
    if q.since is not None:
        query = query.where(Decision.recorded_at >= q.since)
    return query
