"""What higher packages show on an action's page (the steering group's decisions about it).

Actions sit below the steering group, so they do not import it: a higher package registers here, when create_app
imports it, a function that returns template variables for an action's page.
"""
from collections.abc import Callable

from tracker.actions.models import Action

_PAGE: list[Callable[[Action], dict]] = []


def for_page(provide: Callable[[Action], dict]) -> Callable[[Action], dict]:
    """Register (a decorator) what a higher package adds to one action's page."""
    _PAGE.append(provide)
    return provide


def page_context(action: Action) -> dict:
    """The template variables every registered package adds to an action's page."""
    return {name: value for provide in _PAGE for name, value in provide(action).items()}
