"""Reading a request's query parameters and JSON body through their pydantic models, and saying what was wrong
with each field in the problem's `errors` (in the reader's language)."""
import json
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tracker.problems import fail

M = TypeVar("M", bound=BaseModel)
JSON_TYPES = ("application/json",)


def _message(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    messages = {
        "missing": lambda: _("This is required."),
        "extra_forbidden": lambda: _("Unknown name: leave it out."),
        "string_too_short": lambda: _("This cannot be empty."),
        "string_too_long": lambda: _("At most %(n)s characters.", n=ctx.get("max_length")),
        "string_type": lambda: _("Give text."),
        "int_type": lambda: _("Give a whole number."),
        "int_parsing": lambda: _("Give a whole number."),
        "int_from_float": lambda: _("Give a whole number."),
        "greater_than_equal": lambda: _("At least %(n)s.", n=ctx.get("ge")),
        "less_than_equal": lambda: _("At most %(n)s.", n=ctx.get("le")),
        "bool_type": lambda: _("Give true or false."),
        "bool_parsing": lambda: _("Give true or false."),
        "enum": lambda: _("Give one of: %(choices)s.", choices=ctx.get("expected")),
        "model_type": lambda: _("Give an object."),
        "model_attributes_type": lambda: _("Give an object."),
    }
    if kind.startswith("date") and not kind.startswith("datetime") and kind != "date_range":
        return _("Give a date as YYYY-MM-DD.")
    if kind.startswith("datetime") or kind.startswith("timezone"):
        return _("Give a time with its offset, such as 2026-11-24T08:00:00+01:00.")
    return messages[kind]() if kind in messages else error["msg"]


def _refuse(constant: str) -> Any:
    raise ValueError(constant)  # NaN and Infinity are not JSON


def _pointer(location: tuple[int | str, ...]) -> str:
    return "#" + "".join(f"/{str(part).replace('~', '~0').replace('/', '~1')}" for part in location)


def query(model: type[M]) -> M:
    """The query parameters as model; 422 naming each wrong parameter (a repeated one included)."""
    repeated = [name for name, values in request.args.lists() if len(values) > 1]
    if repeated:
        fail(422, _("Give each parameter once."), slug="validation",
             errors=[{"parameter": name, "detail": _("Given more than once.")} for name in repeated])
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        fail(422, _("Some parameters are wrong; see errors."), slug="validation",
             errors=[{"parameter": str(e["loc"][0]) if e["loc"] else "", "detail": _message(e)}
                     for e in exc.errors()])


def body(model: type[M]) -> M:
    """The JSON body as model: 415 for another type, 400 for text that is not JSON, 422 naming each wrong field."""
    if request.mimetype not in JSON_TYPES and not request.mimetype.endswith("+json"):
        fail(415)
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413 from Werkzeug
    try:
        json.loads(raw, parse_constant=_refuse)
        # Parsed as JSON by pydantic: in strict mode a date is a string, but a number is never a string.
        return model.model_validate_json(raw)
    except (ValueError, RecursionError) as exc:  # invalid UTF-8, NaN, nesting too deep; ValidationError too
        if not isinstance(exc, ValidationError) or any(e["type"] == "json_invalid" for e in exc.errors()):
            fail(400, _("The body is not valid JSON."), slug="malformed-json")
        fail(422, _("Some fields are wrong; see errors."), slug="validation",
             errors=[{"pointer": _pointer(tuple(e["loc"])), "detail": _message(e)} for e in exc.errors()])
