"""How the audit trail names what features record. Audit knows no feature: each feature registers its words here
when create_app imports its audit_names module (object kinds, field labels, enum value labels, id fields)."""
from typing import Any

OBJECT_TYPES: dict[str, Any] = {}  # table name -> label, in registration order (the audit log's filter)
FIELDS: dict[str, Any] = {}  # field -> label
VALUES: dict[str, dict[str, Any]] = {}  # field -> {stored value: label}
NAMED_BY: dict[str, Any] = {}  # field holding ids -> the model (with .id and .name) whose rows it names
OBJECT_NAMES: dict[str, Any] = {}  # table name -> the column (e.g. Agreement.title) that names its rows


def register_object(table_name: str, label: Any) -> None:
    """Name a kind of object (by its table) for the audit log."""
    OBJECT_TYPES[table_name] = label


def register_fields(labels: dict[str, Any]) -> None:
    """Name the fields a feature records changes of."""
    FIELDS.update(labels)


def register_values(field: str, labels: dict[Any, Any]) -> None:
    """Name the stored values of an enum field ({member: label}); several enums may share one field name."""
    VALUES.setdefault(field, {}).update({getattr(k, "value", k): label for k, label in labels.items()})


def register_id_fields(model: type[Any], *fields: str) -> None:
    """Say which model the ids recorded under these fields name, so the trail shows names, not numbers."""
    NAMED_BY.update(dict.fromkeys(fields, model))


def register_object_name(table_name: str, column: Any) -> None:
    """Say which column names the rows of this kind of object, so the log shows the object's name, not its id."""
    OBJECT_NAMES[table_name] = column
