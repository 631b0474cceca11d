"""What higher packages say on the page that confirms deactivating an account (the open actions the person owns),
what they refuse there (deactivating someone whose open actions nobody has taken over), and the sections they add
to an account's page (the person's calendar links).

Accounts sit below actions, so they do not import them: actions registers here, when create_app imports it, a
function that returns template variables for the confirmation page, and one that says why the plain deactivation
must wait; calendars registers a section template and the function that gives it its variables.
"""
from collections.abc import Callable

from tracker.accounts.models import User

_DEACTIVATION: list[Callable[[User], dict]] = []
_REFUSALS: list[Callable[[User], str | None]] = []
_SECTIONS: list[tuple[str, Callable[[User], dict]]] = []


def for_deactivation(provide: Callable[[User], dict]) -> Callable[[User], dict]:
    """Register (a decorator) what a higher package adds to the page that confirms deactivating an account."""
    _DEACTIVATION.append(provide)
    return provide


def deactivation_context(user: User) -> dict:
    """The template variables every registered package adds to the deactivation confirmation page."""
    return {name: value for provide in _DEACTIVATION for name, value in provide(user).items()}


def refuses_deactivation(check: Callable[[User], str | None]) -> Callable[[User], str | None]:
    """Register (a decorator) a check that returns why the account may not simply be deactivated, or None."""
    _REFUSALS.append(check)
    return check


def deactivation_refusal(user: User) -> str | None:
    """Why deactivating the account alone would leave something behind (the first registered reason), or None."""
    return next((reason for check in _REFUSALS if (reason := check(user)) is not None), None)


def section(template: str) -> Callable[[Callable[[User], dict]], Callable[[User], dict]]:
    """Register (a decorator) a section of an account's page: the template it includes, given the variables the
    decorated function returns for the account."""
    def register(provide: Callable[[User], dict]) -> Callable[[User], dict]:
        _SECTIONS.append((template, provide))
        return provide
    return register


def sections(user: User) -> list[tuple[str, dict]]:
    """(template, its variables) for each section registered for an account's page."""
    return [(template, provide(user)) for template, provide in _SECTIONS]
