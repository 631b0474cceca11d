"""What higher packages say on the page that confirms deactivating an account (the open actions the person owns).

Accounts sit below actions, so they do not import them: actions registers here, when create_app imports it, a
function that returns template variables for the confirmation page.
"""
from collections.abc import Callable

from tracker.accounts.models import User

_DEACTIVATION: list[Callable[[User], dict]] = []


def for_deactivation(provide: Callable[[User], dict]) -> Callable[[User], dict]:
    """Register (a decorator) what a higher package adds to the page that confirms deactivating an account."""
    _DEACTIVATION.append(provide)
    return provide


def deactivation_context(user: User) -> dict:
    """The template variables every registered package adds to the deactivation confirmation page."""
    return {name: value for provide in _DEACTIVATION for name, value in provide(user).items()}
