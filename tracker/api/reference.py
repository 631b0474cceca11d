"""The OpenAPI document as rows a page can show: each operation with its parameters, body and answers, and each
schema with its fields. Pure: it reads the document only, so the page says exactly what the document says."""
from dataclasses import dataclass
from typing import Any

Segment = tuple[str, str | None]  # text, and the schema it names (a link on the page), if any


@dataclass(frozen=True)
class Row:
    name: str
    type: list[Segment]
    required: bool
    description: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    type: list[Segment]


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    scope: str | None
    parameters: list[Row]
    body: list[Segment]
    answers: list[Answer]


@dataclass(frozen=True)
class Schema:
    name: str
    description: str
    fields: list[Row]
    values: list[str]  # an enumeration's values


def _limits(schema: dict[str, Any]) -> str:
    parts = []
    if "minimum" in schema and "maximum" in schema:
        parts.append(f"{schema['minimum']}–{schema['maximum']}")
    elif "minimum" in schema:
        parts.append(f"≥ {schema['minimum']}")
    elif "maximum" in schema:
        parts.append(f"≤ {schema['maximum']}")
    if schema.get("maxLength") is not None:
        parts.append(f"{schema.get('minLength', 0)}–{schema['maxLength']} characters")
    return f" ({', '.join(parts)})" if parts else ""


def type_of(schema: dict[str, Any]) -> list[Segment]:
    """How a JSON Schema reads: "string (date)", "array of Named", "Action or null"."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return [(name, name)]
    if "anyOf" in schema:
        segments: list[Segment] = []
        for n, option in enumerate(schema["anyOf"]):
            segments += ([(" or ", None)] if n else []) + type_of(option)
        return segments
    kind = schema.get("type", "any")
    if kind == "array":
        return [("array of ", None), *type_of(schema.get("items", {}))]
    if "enum" in schema:
        return [("one of " + ", ".join(str(v) for v in schema["enum"]), None)]
    shown = f"{kind} ({schema['format']})" if "format" in schema else str(kind)
    return [(shown + _limits(schema), None)]


def _rows(schema: dict[str, Any]) -> list[Row]:
    required = set(schema.get("required", []))
    return [Row(name, type_of(field), name in required, field.get("description", ""))
            for name, field in schema.get("properties", {}).items()]


def _content_type(content: dict[str, Any]) -> list[Segment]:
    for media in content.values():
        return type_of(media.get("schema", {}))
    return []


def operations(document: dict[str, Any]) -> dict[str, list[Operation]]:
    """The operations by tag, in the document's order."""
    found: dict[str, list[Operation]] = {tag["name"]: [] for tag in document.get("tags", [])}
    for path, item in document["paths"].items():
        for method, op in item.items():
            parameters = [Row(f"{p['name']} ({p['in']})", type_of(p["schema"]), p.get("required", False),
                              p.get("description", "")) for p in op.get("parameters", [])]
            body = _content_type(op["requestBody"]["content"]) if "requestBody" in op else []
            answers = [Answer(status, answer.get("description", ""), _content_type(answer.get("content", {})))
                       for status, answer in op["responses"].items()]
            found.setdefault(op["tags"][0], []).append(Operation(
                anchor=f"op-{op['operationId']}", method=method.upper(), path=path, summary=op.get("summary", ""),
                description=op.get("description", ""), scope=op.get("x-scope"), parameters=parameters, body=body,
                answers=answers))
    return found


def schemas(document: dict[str, Any]) -> list[Schema]:
    """Every schema of the document's components, by name."""
    return [Schema(name, schema.get("description", ""), _rows(schema), [str(v) for v in schema.get("enum", [])])
            for name, schema in sorted(document["components"]["schemas"].items())]
