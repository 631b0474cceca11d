"""What happens to actions that other people must hear of: an action given to a person, a request addressed to an
organisation. The services announce it here, inside the unit of work that makes the change.

Actions sit below the packages that tell people (reminders), so they do not import them: those register a listener
here when create_app imports them, and the listener writes its messages in the same transaction as the change.
"""
import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from tracker.accounts.models import User
from tracker.actions.models import Action, Request


class Assignment(enum.StrEnum):
    """How an action came to its new owner."""
    CREATED = "created"  # created with them as its owner
    EDITED = "edited"  # its owner changed when the action was edited
    DECIDED = "decided"  # a steering-group decision gave it to them
    HANDED_OVER = "handed_over"  # handed over to them when its owner's account was deactivated


AssignedListener = Callable[[Action, Assignment, User], None]
RequestListener = Callable[[Request, User], None]
_ASSIGNED: list[AssignedListener] = []
_REQUESTED: list[RequestListener] = []
# Set while history is written that is no news to anyone (the demo's seed data).
_quiet: ContextVar[bool] = ContextVar("actions_events_quiet", default=False)


def on_assigned(listener: AssignedListener) -> AssignedListener:
    """Register (a decorator) what to do when an action gets a new owner (action.owner), made so by `by`."""
    _ASSIGNED.append(listener)
    return listener


def on_request(listener: RequestListener) -> RequestListener:
    """Register (a decorator) what to do when a request to another party is raised by `by`."""
    _REQUESTED.append(listener)
    return listener


def assigned(action: Action, how: Assignment, *, by: User) -> None:
    """Announce that action (flushed, with its new owner) was given to action.owner."""
    if action.owner_id is not None and not _quiet.get():
        for listener in _ASSIGNED:
            listener(action, how, by)


def requested(request: Request, *, by: User) -> None:
    """Announce a new request (flushed) to another party."""
    if not _quiet.get():
        for listener in _REQUESTED:
            listener(request, by)


@contextmanager
def quiet() -> Iterator[None]:
    """Announce nothing inside the block: for writing past history (seed data), which is no news to anyone."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)
