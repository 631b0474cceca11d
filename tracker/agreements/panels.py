"""What higher packages show on the agreement pages (the actions and their counts, progress, reports).

Agreements sit below actions and reports, so they do not import them: each of those packages registers here, when
create_app imports it, a function that returns template variables for the agreement list or an agreement's page.
"""
from collections.abc import Callable

from tracker.agreements.models import Agreement

_LIST: list[Callable[[list[Agreement]], dict]] = []
_PAGE: list[Callable[[Agreement], dict]] = []
_ENDING: list[Callable[[Agreement], dict]] = []


def for_list(provide: Callable[[list[Agreement]], dict]) -> Callable[[list[Agreement]], dict]:
    """Register (a decorator) what a higher package adds to the agreement list, given the agreements shown."""
    _LIST.append(provide)
    return provide


def for_page(provide: Callable[[Agreement], dict]) -> Callable[[Agreement], dict]:
    """Register (a decorator) what a higher package adds to one agreement's page."""
    _PAGE.append(provide)
    return provide


def list_context(agreements: list[Agreement]) -> dict:
    """The template variables every registered package adds to the agreement list."""
    return {name: value for provide in _LIST for name, value in provide(agreements).items()}


def page_context(agreement: Agreement) -> dict:
    """The template variables every registered package adds to an agreement's page."""
    return {name: value for provide in _PAGE for name, value in provide(agreement).items()}


def for_ending(provide: Callable[[Agreement], dict]) -> Callable[[Agreement], dict]:
    """Register (a decorator) what a higher package says about ending an agreement (e.g. its open actions)."""
    _ENDING.append(provide)
    return provide


def ending_context(agreement: Agreement) -> dict:
    """What every registered package says about ending this agreement; empty when nothing stands in the way."""
    return {name: value for provide in _ENDING for name, value in provide(agreement).items() if value}
