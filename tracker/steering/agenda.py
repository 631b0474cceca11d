"""The steering group's agenda for its next meeting: what needs a decision on one agreement, read on one day.

Four sections: the actions on level 3 of the escalation ladder (each agreement's own thresholds), the stale
requests between partners, the deadlines moved since the last meeting, and the actions without an owner. Policy-free
(the page shows it to whoever may read the agreement); a fixed number of queries whatever the number of items.
"""
import datetime as dt
from dataclasses import dataclass

from tracker.actions import escalation_queries, request_queries
from tracker.actions.escalation_queries import EscalatedRow, OwnerlessRow
from tracker.actions.request_queries import RequestRow
from tracker.actions.rules import Thresholds
from tracker.steering import queries
from tracker.steering.queries import DeadlineMove

NO_MEETING_DAYS = 30  # with no decision recorded yet, moved deadlines are those of the last 30 days


@dataclass(frozen=True)
class Agenda:
    escalated: list[EscalatedRow]
    stale_requests: list[RequestRow]
    moves: list[DeadlineMove]
    moves_since: dt.date
    last_meeting: dt.date | None  # the newest decision's date; None: no decision yet (moves of the last 30 days)
    ownerless: list[OwnerlessRow]

    @property
    def action_ids(self) -> list[int]:
        """The actions the agenda names, each once, in the order it names them."""
        ids = [r.action.id for r in self.escalated] + [r.action_id for r in self.stale_requests]
        ids += [m.action_id for m in self.moves] + [r.action.id for r in self.ownerless]
        return list(dict.fromkeys(ids))

    @property
    def total(self) -> int:
        return len(self.escalated) + len(self.stale_requests) + len(self.moves) + len(self.ownerless)


def agenda(agreement_id: int, today: dt.date, thresholds: Thresholds, last_meeting: dt.date | None) -> Agenda:
    """The agenda on `today`. thresholds: the configured ones (each agreement's own escalation days apply);
    last_meeting: the date of the agreement's newest decision, None when it has none.

    Deadlines moved on the day of the last meeting count (the meeting's hour is not known). Moves made by a decision
    do not: every decision was taken at or before the last meeting, by the steering group itself, and the page
    lists them under its decisions."""
    ids = [agreement_id]
    since = last_meeting if last_meeting is not None else today - dt.timedelta(days=NO_MEETING_DAYS)
    moves = [m for m in queries.deadline_moves(ids, since, today) if m.decision_id is None]
    return Agenda(escalated=escalation_queries.escalated(ids, today, level=3, thresholds=thresholds),
                  stale_requests=request_queries.stale_requests(ids, today, thresholds.request_stale_days),
                  moves=moves, moves_since=since, last_meeting=last_meeting,
                  ownerless=escalation_queries.ownerless(ids, today))
