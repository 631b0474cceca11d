"""Page 1's "Till styrgruppen": what the steering group must act on, as the month stood at the report's day.

Level-3 actions and ownerless actions come from the report's rows (the rebuilt month-end states); stale requests from
the requests on those states that were open and stale on the report's day; deadline moves and decisions from the
steering group's queries for the month. A fixed number of queries, whatever the number of actions.
"""
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.actions.escalation import escalation
from tracker.actions.rules import Stalled, Thresholds, stale_requests
from tracker.agreements.models import Agreement
from tracker.clock import local_date
from tracker.reports.names import Names, OrganisationAsOf
from tracker.steering.queries import DeadlineMove, DecisionRow, deadline_moves, decisions

if TYPE_CHECKING:
    from tracker.reports.content import Row


ON_PAGE_ONE = 8  # items per list in "Till styrgruppen"; the rest are counted ("and N more")


@dataclass(frozen=True)
class StaleRequest:
    """A request between partners open and stale on the report's day, with the names the parties had then."""

    action_id: int
    action_title: str
    from_organisation: OrganisationAsOf
    to_organisation: OrganisationAsOf
    days: int  # since it was asked
    text: str


@dataclass(frozen=True)
class SteeringItems:
    level_three: list["Row"]  #: raised by hand first, then the longest stalled
    stale_requests: list[StaleRequest]  # the oldest first
    moves: list[DeadlineMove]  # deadline moves made in the month up to the report's day, oldest first
    ownerless: list["Row"]
    decisions: list[DecisionRow]  # decisions taken in the month up to the report's day, oldest first

    @property
    def on_the_agenda(self) -> set[int]:
        """The level-3 actions page 1 names: the stalled list quotes their last update (the others stay compact,
        one or two lines each, so a large agreement's report stays short)."""
        return {r.state.id for r in self.level_three[:ON_PAGE_ONE]}

    @property
    def is_empty(self) -> bool:
        return not (self.level_three or self.stale_requests or self.moves or self.ownerless)


def set_levels(rows: list["Row"], agreements: list[Agreement], as_of: dt.date, thresholds: Thresholds) -> None:
    """Each row's place on the escalation ladder on the report's day, by its agreement's thresholds (pure)."""
    by_agreement = {a.id: thresholds.for_agreement(a) for a in agreements}
    for row in rows:
        row.escalation = escalation(row.state, as_of, by_agreement[row.state.agreement_id])


def steering_items(rows: list["Row"], names: Names, agreement_ids: list[int], first_day: dt.date, as_of: dt.date,
                   thresholds: Thresholds) -> SteeringItems:
    """The lists of "Till styrgruppen" and the month's decisions (rows must have their levels set)."""
    def ladder(row: "Row") -> tuple[bool, int, str]:
        assert row.escalation is not None  # set_levels ran
        return (not row.escalation.raised, -row.escalation.days_stalled, row.state.title.lower())

    level_three = sorted((r for r in rows if r.level == 3), key=ladder)
    waiting: list[StaleRequest] = []
    for row in rows:
        if Stalled.WAITING not in row.standing.reasons:
            continue
        stale = stale_requests(row.state, as_of, thresholds.request_stale_days)
        for request in (r for r in row.state.requests if any(r is s for s in stale)):
            waiting.append(StaleRequest(row.state.id, row.state.title,
                                        names.organisation(request.from_organisation_id),
                                        names.organisation(request.to_organisation_id),
                                        (as_of - local_date(request.asked_at)).days, request.text))
    waiting.sort(key=lambda w: (-w.days, w.action_title.lower()))
    ownerless = sorted((r for r in rows if Stalled.OWNERLESS in r.standing.reasons),
                       key=lambda r: r.state.title.lower())
    return SteeringItems(level_three, waiting, deadline_moves(agreement_ids, first_day, as_of), ownerless,
                         decisions(agreement_ids, first_day, as_of))
