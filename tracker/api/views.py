"""The API's reading endpoints: agreements, actions, stalled actions, progress updates, requests and decisions,
each list filtered by what the key's person may read (the pages' policy) and paged by cursor."""
from collections.abc import Callable, Sequence
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel
from sqlalchemy import Select

from tracker import policy
from tracker.actions.models import Action, ProgressUpdate, Request
from tracker.actions.today import standings, thresholds
from tracker.agreements.models import Agreement
from tracker.api import auth, cursors, openapi, queries, resources, schemas
from tracker.api.routing import Answer, operation
from tracker.clock import request_today
from tracker.extensions import csrf, db, limiter
from tracker.loading import load_or_403
from tracker.problems import fail
from tracker.steering.models import Decision

PREFIX = "/api/v1"
bp = Blueprint(auth.BLUEPRINT, __name__)
csrf.exempt(bp)  # no cookie signs in here (api/auth.py): there is no session for a forged request to ride on
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=auth.rate_limit_key)(bp)


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 document: open to anyone, like any published interface (it holds no data)."""
    return jsonify(openapi.document(PREFIX))


def listing(query: Select, id_column: Any, q: schemas.Page, page: type[BaseModel],
            convert: Callable[[Sequence[Any]], list[Any]]) -> Answer:
    """One page of query's rows, converted, with the address of the next page (body `next` and Link header)."""
    bound = cursors.fingerprint(request.endpoint or "", q.model_dump(), current_user.id)
    try:
        after = cursors.read(q.cursor, bound) if q.cursor else None
    except cursors.InvalidCursor:
        fail(400, _("This cursor was not made for this query: start again from the first page."),
             slug="invalid-cursor", errors=[{"parameter": "cursor", "detail": _("Not a cursor of this query.")}])
    rows = list(db.session.scalars(queries.page(query, id_column, after, q.limit)).unique())
    following = None
    if len(rows) > q.limit:
        rows = rows[:q.limit]
        args: dict[str, Any] = {**request.args.to_dict(), "cursor": cursors.make(rows[-1].id, bound)}
        following = url_for(request.endpoint or "", **(request.view_args or {}), **args)
    headers = {"Link": f'<{following}>; rel="next"'} if following else {}
    return Answer(page(items=convert(rows), next=following), headers)


def action_resources(rows: Sequence[Action]) -> list[resources.Action]:
    standing = standings(rows, request_today())
    return [resources.action(a, standing[a.id]) for a in rows]


@operation(bp, "/agreements", tag="Agreements", summary="List agreements", response=resources.AgreementPage,
           query=schemas.AgreementQuery)
def agreements(query: schemas.AgreementQuery) -> Answer:
    """The agreements you may read: those your organisation is a party to and those whose steering group you sit
    in (administrators: all)."""
    return listing(queries.agreements(current_user, query), Agreement.id, query, resources.AgreementPage,
                   lambda rows: [resources.agreement(a) for a in rows])


@operation(bp, "/agreements/<int:agreement_id>", tag="Agreements", summary="Read an agreement",
           response=resources.Agreement)
def agreement(agreement_id: int) -> Answer:
    return Answer(resources.agreement(load_or_403(Agreement, agreement_id, policy.can_read_agreement)))


@operation(bp, "/actions", tag="Actions", summary="List actions", response=resources.ActionPage,
           query=schemas.ActionQuery)
def actions(query: schemas.ActionQuery) -> Answer:
    """The actions of the agreements you may read, each with where it stands today."""
    select = queries.actions(current_user, query, request_today(), thresholds())
    return listing(select, Action.id, query, resources.ActionPage, action_resources)


@operation(bp, "/actions/<int:action_id>", tag="Actions", summary="Read an action", response=resources.Action)
def action(action_id: int) -> Answer:
    found = load_or_403(Action, action_id, policy.can_read_action)
    return Answer(action_resources([found])[0])


@operation(bp, "/stalled", tag="Actions", summary="List stalled commitments", response=resources.ActionPage,
           query=schemas.StalledQuery)
def stalled(query: schemas.StalledQuery) -> Answer:
    """The open actions that are stalled today (overdue, blocked, silent, waiting on another party or without an
    owner), with why and how far up the escalation ladder they are."""
    select = queries.stalled(current_user, query, request_today(), thresholds())
    return listing(select, Action.id, query, resources.ActionPage, action_resources)


@operation(bp, "/updates", tag="Progress updates", summary="List progress updates",
           response=resources.ProgressUpdatePage, query=schemas.ProgressUpdateQuery)
def progress_updates(query: schemas.ProgressUpdateQuery) -> Answer:
    """Progress updates are append-only: the history of each commitment."""
    return listing(queries.progress_updates(current_user, query), ProgressUpdate.id, query,
                   resources.ProgressUpdatePage, lambda rows: [resources.progress_update(u) for u in rows])


@operation(bp, "/updates/<int:update_id>", tag="Progress updates", summary="Read a progress update",
           response=resources.ProgressUpdate)
def progress_update(update_id: int) -> Answer:
    update = load_or_403(ProgressUpdate, update_id, lambda user, u: policy.can_read_action(user, u.action))
    return Answer(resources.progress_update(update))


@operation(bp, "/requests", tag="Requests", summary="List requests between parties",
           response=resources.PartnerRequestPage, query=schemas.PartnerRequestQuery)
def partner_requests(query: schemas.PartnerRequestQuery) -> Answer:
    return listing(queries.partner_requests(current_user, query), Request.id, query, resources.PartnerRequestPage,
                   lambda rows: [resources.partner_request(r) for r in rows])


@operation(bp, "/requests/<int:request_id>", tag="Requests", summary="Read a request",
           response=resources.PartnerRequest)
def partner_request(request_id: int) -> Answer:
    found = load_or_403(Request, request_id, lambda user, r: policy.can_read_action(user, r.action))
    return Answer(resources.partner_request(found))


@operation(bp, "/decisions", tag="Decisions", summary="List steering-group decisions",
           response=resources.DecisionPage, query=schemas.DecisionQuery)
def decisions(query: schemas.DecisionQuery) -> Answer:
    return listing(queries.decisions(current_user, query), Decision.id, query, resources.DecisionPage,
                   lambda rows: [resources.decision(d) for d in rows])


@operation(bp, "/decisions/<int:decision_id>", tag="Decisions", summary="Read a decision",
           response=resources.Decision)
def decision(decision_id: int) -> Answer:
    found = load_or_403(Decision, decision_id, lambda user, d: policy.can_read_agreement(user, d.agreement))
    return Answer(resources.decision(found))
