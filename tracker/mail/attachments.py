"""Attachments by reference: a message names what it attaches ({"kind": "report", "id": 12}) and the feature that
owns that kind loads it when the message is delivered (registered when create_app imports the feature)."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    data: bytes


LOADERS: dict[str, Callable[[int], Attachment | None]] = {}


class MissingAttachment(Exception):
    """A message names an attachment that no longer exists or whose kind nobody registered."""


def register_attachment(kind: str, loader: Callable[[int], Attachment | None]) -> None:
    """Say how to load the attachments of a kind by id."""
    LOADERS[kind] = loader


def reference(kind: str, object_id: int) -> dict[str, Any]:
    return {"kind": kind, "id": object_id}


def load(ref: dict[str, Any]) -> Attachment:
    """The attachment a reference names; MissingAttachment when there is none."""
    loader = LOADERS.get(str(ref.get("kind")))
    attachment = loader(int(ref["id"])) if loader is not None else None
    if attachment is None:
        raise MissingAttachment(f"{ref.get('kind')} {ref.get('id')}")
    return attachment
