"""The start page's sections: which open actions each one lists, and the action-list filters that list them all."""
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_

from tracker.accounts.models import User
from tracker.actions import conditions
from tracker.actions.models import Action
from tracker.actions.rules import Thresholds

ROWS_SHOWN = 10


@dataclass(frozen=True)
class Section:
    key: str
    condition: ColumnElement[bool]
    list_args: dict  # the query string of the action list that shows every action of the section


def sections_for(user: User, today: dt.date, limits: Thresholds,
                 overrides: Mapping[int, Thresholds] | None = None) -> list[Section]:
    """The sections, each with its SQL condition and its link to the full, filtered action list
    (overrides: the agreements' own escalation thresholds, actions.queries.threshold_overrides)."""
    return [
        Section("steering", conditions.at_least_level(3, today, limits, overrides), {"level": 3}),
        Section("ownerless", and_(conditions.is_ownerless(), Action.owner_organisation_id == user.organisation_id),
                {"organisation": user.organisation_id, "ownerless": "y"}),
        Section("stalled", conditions.is_stalled(today, limits), {"stalled": "y"}),
        Section("due_soon", conditions.is_due_soon(today, limits), {"due_soon": "y"}),
        Section("mine", Action.owner_id == user.id, {"owner": user.id, "open": "y"}),
        Section("organisation", Action.owner_organisation_id == user.organisation_id,
                {"organisation": user.organisation_id, "open": "y"}),
    ]
