"""How an API endpoint is declared: once, with the models that validate its query and body and the model it
answers with. The same declaration runs the checks (key, scope, parameters, body) and feeds the OpenAPI
document (api/openapi.py), so the document cannot drift from what the code accepts."""
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, g
from flask_babel import gettext as _
from pydantic import BaseModel

from tracker.api import validation
from tracker.api.models import TokenScope
from tracker.problems import fail


@dataclass(frozen=True)
class Operation:
    rule: str  # the Flask rule under the blueprint, e.g. /actions/<int:action_id>
    method: str
    endpoint: str
    tag: str
    summary: str
    description: str
    scope: TokenScope | None  # None: open to anyone (the document itself)
    response: type[BaseModel] | None
    status: int = 200
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    problems: tuple[int, ...] = field(default=())

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"<int:(\w+)>", self.rule)


OPERATIONS: list[Operation] = []


@dataclass(frozen=True)
class Answer:
    """What a view answers: the resource, and headers such as Location."""
    resource: BaseModel
    headers: dict[str, str] = field(default_factory=dict)


def _problems(op: Operation) -> tuple[int, ...]:
    found = set(op.problems)
    if op.scope is not None:
        found |= {401, 403, 429}
    if op.path_parameters:
        found.add(404)
    if op.query is not None:
        found |= {400, 422}
    if op.body is not None:
        found |= {400, 413, 415, 422}
    return tuple(sorted(found))


def operation(bp: Blueprint, rule: str, method: str = "GET", *, tag: str, summary: str,
              response: type[BaseModel] | None, status: int = 200, query: type[BaseModel] | None = None,
              body: type[BaseModel] | None = None, scope: TokenScope | None = TokenScope.READ,
              problems: tuple[int, ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Declare an endpoint of bp; the view receives query= and body= already validated, and returns an Answer."""
    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        op = Operation(rule=rule, method=method, endpoint=f"{bp.name}.{view.__name__}", tag=tag, summary=summary,
                       description=(view.__doc__ or "").strip(), scope=scope, response=response, status=status,
                       query=query, body=body, problems=problems)
        op = Operation(**{**op.__dict__, "problems": _problems(op)})
        OPERATIONS.append(op)

        @functools.wraps(view)
        def run(**path: Any) -> Response:
            if op.scope is not None:
                require_scope(op.scope)
            inputs = {}
            if op.query is not None:
                inputs["query"] = validation.query(op.query)
            if op.body is not None:
                inputs["body"] = validation.body(op.body)
            answer = view(**path, **inputs)
            return json_response(answer.resource, op.status, answer.headers)

        bp.add_url_rule(rule, view.__name__, run, methods=[method])
        return run
    return decorate


def require_scope(scope: TokenScope) -> None:
    """401 without a usable key (api/auth.py signed it in); 403 when a read key tries to change something."""
    token = g.get("api_token")
    if token is None:
        fail(401, headers={"WWW-Authenticate": g.get("api_challenge") or 'Bearer realm="Samverka"'})
    if scope is TokenScope.WRITE and token.scope is not TokenScope.WRITE:
        fail(403, _("This API key may only read. Make a key that may read and change."))


def json_response(resource: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(resource.model_dump_json(), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response
