"""The OpenAPI 3.1 document, built from the endpoints' declarations (api/routing.py) and the JSON Schemas
(draft 2020-12, OpenAPI 3.1's own dialect) of the very pydantic models that validate the requests and shape the
answers. Nothing in it is written by hand but the prose."""
import functools
import re
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from tracker.api import resources
from tracker.api.routing import OPERATIONS, Operation
from tracker.loading import LARGEST_ID
from tracker.problems import DOCUMENTATION, MEDIA_TYPE

REF = "#/components/schemas/{model}"
PROBLEMS = {
    400: "The request could not be understood: a body that is not JSON, or a cursor not made for this query.",
    401: "No API key, or one that is unknown, expired or revoked, or whose person or organisation is deactivated.",
    403: "The key's person may not read or change this, or the key may only read.",
    404: "Nothing has this id.",
    409: "Someone changed the action since the version you sent.",
    413: "The body is larger than the API accepts.",
    415: "The body is not JSON (Content-Type: application/json).",
    422: "Parameters or fields are wrong: `errors` says which and why.",
    429: "Too many requests with this key: wait the seconds in Retry-After.",
}
INTRO = f"""Samverka's agreements, actions, progress updates, requests between parties and steering-group decisions,
read and written with the rights of the person whose API key is used: the same rules decide as on the pages.

**Authentication.** Send a personal API key as `Authorization: Bearer <key>`. Make keys on the page
"API keys" (a key is shown once). A read key reads; a read-and-change key also creates and changes actions and
logs progress. Session cookies are not accepted here.

**Errors** are RFC 9457 problem details (`application/problem+json`); each `type` is explained at
`{DOCUMENTATION}#problems`. Validation errors list each field (`pointer`) or parameter (`parameter`) in `errors`.
Another organisation's objects answer 403, as on the pages; ids that name nothing answer 404.

**Lists** go by id, oldest first, a page at a time (`limit`, at most 100). The `next` address (also in the Link
header) carries an opaque cursor bound to the same filters; it is null on the last page.

**Changes** carry the `version` of the action as you read it; if someone else saved it since, the change is
refused with 409 and nothing is saved. Status and progress change only through progress updates.

**Free text** never holds a Swedish personnummer or samordningsnummer: Samverka holds commitments, never
information about individuals."""


class _WithoutTitles(GenerateJsonSchema):
    """Field titles derived from names ("Owner Id") say nothing the name does not."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _path(op: Operation, prefix: str) -> str:
    return prefix + re.sub(r"<int:(\w+)>", r"{\1}", op.rule)


def _parameter_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is left out rather than sent as null."""
    schema = {k: v for k, v in schema.items() if not (k == "default" and v is None)}
    options = [s for s in schema.pop("anyOf", []) if s != {"type": "null"}]
    if len(options) == 1:
        schema.update(options[0])
    elif options:
        schema["anyOf"] = options
    return schema


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def _parameters(op: Operation, components: dict[str, Any], refs: dict[type[BaseModel], str]) -> list[dict[str, Any]]:
    found = [{"name": name, "in": "path", "required": True,
              "schema": {"type": "integer", "minimum": 1, "maximum": LARGEST_ID}} for name in op.path_parameters]
    if op.query is not None:
        query = components[_name(refs[op.query])]
        for name, schema in query["properties"].items():
            schema = _parameter_schema(schema)
            description = schema.pop("description", None)
            found.append({"name": name, "in": "query", "required": name in query.get("required", []),
                          "schema": schema, **({"description": description} if description else {})})
    return found


def _responses(op: Operation, refs: dict[type[BaseModel], str]) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "Created." if op.status == 201 else "OK."}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": {"$ref": refs[op.response]}}}
    if op.status == 201:
        success["headers"] = {"Location": {"description": "The address of what was made.",
                                           "schema": {"type": "string"}}}
    elif op.query is not None:
        success["headers"] = {"Link": {"description": 'The next page, as <address>; rel="next".',
                                       "schema": {"type": "string"}}}
    problem = {"content": {MEDIA_TYPE: {"schema": {"$ref": refs[resources.Problem]}}}}
    return {str(op.status): success, **{str(code): {"description": PROBLEMS[code], **problem}
                                        for code in op.problems}}


def _operation(op: Operation, components: dict[str, Any], refs: dict[type[BaseModel], str]) -> dict[str, Any]:
    found: dict[str, Any] = {"operationId": op.endpoint.split(".")[-1], "tags": [op.tag], "summary": op.summary}
    if op.description:
        found["description"] = " ".join(op.description.split())
    if op.scope is not None:
        found["x-scope"] = op.scope.value
        if op.scope.value == "write":
            found["description"] = (found.get("description", "") + " Needs a key that may read and change.").strip()
    parameters = _parameters(op, components, refs)
    if parameters:
        found["parameters"] = parameters
    if op.body is not None:
        found["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"$ref": refs[op.body]}}}}
    found["responses"] = _responses(op, refs)
    return found


@functools.cache
def document(prefix: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every declared endpoint under prefix (built once per process)."""
    inputs = {m for op in OPERATIONS for m in (op.query, op.body) if m is not None}
    outputs = {op.response for op in OPERATIONS if op.response is not None}
    pairs: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [
        (m, "validation") for m in sorted(inputs, key=lambda m: m.__name__)]
    pairs += [(m, "serialization") for m in sorted(outputs, key=lambda m: m.__name__)]
    pairs.append((resources.Problem, "validation"))
    keys, schemas = models_json_schema(pairs, ref_template=REF, schema_generator=_WithoutTitles)
    components: dict[str, Any] = schemas.get("$defs", {})
    refs = {model: keys[(model, mode)]["$ref"] for model, mode in pairs}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(_path(op, prefix), {})[op.method.lower()] = _operation(op, components, refs)
    for op in OPERATIONS:  # a query's fields became parameters; its model is no schema of a body or an answer
        if op.query is not None:
            components.pop(_name(refs[op.query]), None)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Samverka API", "version": "1.0.0", "description": INTRO},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "tags": [{"name": tag} for tag in dict.fromkeys(op.tag for op in OPERATIONS)],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {"bearer": {
            "type": "http", "scheme": "bearer",
            "description": "A personal API key (smv_…), made on the page API keys."}}},
    }
