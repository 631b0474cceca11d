"""Errors as RFC 9457 problem details (application/problem+json): what the JSON API answers, never an HTML page.

Every problem has a type of its own (a URI reference to its explanation on the API documentation page), so its
title may be in the reader's language; `errors` lists what was wrong with each field or parameter.
"""
import json
from collections.abc import Mapping
from typing import Any, NoReturn

from flask import Response, abort
from flask_babel import lazy_gettext as _l

MEDIA_TYPE = "application/problem+json"
DOCUMENTATION = "/api-docs"  # the page that explains each type, at #problem-<slug>
API_PREFIX = "/api/"  # every error under this path is a problem, never an HTML page

# slug -> (status, title); the API documentation page lists them in this order.
TYPES: dict[str, tuple[int, Any]] = {
    "bad-request": (400, _l("Bad request")),
    "malformed-json": (400, _l("The body is not valid JSON")),
    "invalid-cursor": (400, _l("The cursor cannot be used")),
    "unauthorized": (401, _l("An API key is needed")),
    "forbidden": (403, _l("Not allowed")),
    "not-found": (404, _l("Not found")),
    "method-not-allowed": (405, _l("Method not allowed")),
    "stale-version": (409, _l("Changed by someone else")),
    "too-large": (413, _l("The body is too large")),
    "unsupported-media-type": (415, _l("Send JSON")),
    "validation": (422, _l("The request has errors")),
    "rate-limited": (429, _l("Too many requests")),
    "server-error": (500, _l("Something went wrong on our side")),
}
BY_STATUS = {status: slug for slug, (status, _title) in reversed(TYPES.items())}  # the first slug of each status

DETAILS = {
    400: _l("The request could not be understood."),
    401: _l("Send a valid, unexpired API key as \"Authorization: Bearer <key>\"."),
    403: _l("You may not see or change this."),
    404: _l("There is nothing at this address, or nothing with this id."),
    405: _l("This address does not support that method; the Allow header lists those it does."),
    413: _l("What you sent is too large."),
    415: _l("Send the body as JSON, with the header Content-Type: application/json."),
    429: _l("Too many requests with this API key. Wait a while and try again."),
    500: _l("Something went wrong on our side. Nothing you sent was saved; please try again."),
}


# What the documentation page says of the types whose status alone does not explain them.
EXPLANATIONS = {
    "malformed-json": _l("The body could not be read as JSON (UTF-8, without NaN or Infinity)."),
    "invalid-cursor": _l("The cursor was altered, or made for another list, other filters or another person. Start "
                         "again from the first page."),
    "stale-version": _l("Someone saved the action after the version you sent. Read it again and send your change "
                        "with its current version (current_version)."),
    "validation": _l("Parameters or fields are wrong: errors names each one (pointer or parameter) and what is "
                     "wrong with it."),
}


def explanation(slug: str) -> str:
    return str(EXPLANATIONS.get(slug) or DETAILS.get(TYPES[slug][0], TYPES[slug][1]))


def type_uri(slug: str) -> str:
    return f"{DOCUMENTATION}#problem-{slug}"


def problem(status: int, detail: str | None = None, *, slug: str | None = None,
            errors: list[dict[str, str]] | None = None, headers: Mapping[str, str] | None = None,
            **extra: Any) -> Response:
    """The problem details response for status (slug: a more specific type of TYPES than the status's first)."""
    slug = slug or BY_STATUS.get(status) or BY_STATUS[400 if status < 500 else 500]
    body: dict[str, Any] = {"type": type_uri(slug), "title": str(TYPES[slug][1]), "status": status,
                            "detail": str(detail if detail is not None else DETAILS.get(status, TYPES[slug][1]))}
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def fail(status: int, detail: str | None = None, **kwargs: Any) -> NoReturn:
    """Stop the request with a problem details response (see problem)."""
    abort(problem(status, detail, **kwargs))
