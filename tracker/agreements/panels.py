"""What higher packages show on the agreement pages (the actions and their counts, progress, reports).

Agreements sit below actions and reports, so they do not import them: each of those packages registers here, when
create_app imports it, a function that returns template variables for the agreement list or an agreement's page.
"""
import datetime as dt
from collections.abc import Callable

from sqlalchemy import Select

from tracker.agreements.models import Agreement

_LIST: list[Callable[[list[Agreement]], dict]] = []
_PAGE: list[Callable[[Agreement], dict]] = []
_ENDING: list[Callable[[Agreement], dict]] = []
_STALLED: list[Callable[[dt.date], Select]] = []


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


def for_stalled(select_ids: Callable[[dt.date], Select]) -> Callable[[dt.date], Select]:
    """Register (a decorator) the select of the ids of agreements with a stalled commitment on a day: the actions
    package knows what stalled means, the agreement list filters by it."""
    _STALLED.append(select_ids)
    return select_ids


def stalled_agreement_ids(today: dt.date) -> Select:
    """The ids of the agreements that have a stalled commitment on `today` (the registered select)."""
    if len(_STALLED) != 1:
        raise RuntimeError("exactly one package must say which agreements have stalled commitments")
    return _STALLED[0](today)
