"""Notices, which nobody can switch off: an action given to a person, a request addressed to an organisation (its
coordinators), and an action climbing the escalation ladder (level 2: the owning organisation's coordinators;
level 3: the steering group's members).

Notices of events are queued by the service that makes the change, in its transaction (actions.events calls the
listeners below); nobody is told of their own doing. Level notices are found by the daily job, since a level comes
from days passing, not from an event: once per action, level and person in each stall (a new stall later tells
them again), where a stall is known by the day it began as the ladder counts it (for a raise by hand, the day of
the raise if that is earlier).
"""
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.actions import events
from tracker.actions.escalation_queries import EscalatedRow
from tracker.actions.events import Assignment
from tracker.actions.models import Action, Request
from tracker.actions.rules import Standing
from tracker.actions.today import thresholds
from tracker.clock import local_date
from tracker.extensions import db
from tracker.mail.links import absolute_url
from tracker.reminders import letters
from tracker.reminders.letters import Line
from tracker.reminders.queries import coordinators_of, is_reachable

ASSIGNED_WHY = {
    Assignment.CREATED: lambda name: _l("You get this notice because %(name)s created this action with you as its "
                                        "owner.", name=name),
    Assignment.EDITED: lambda name: _l("You get this notice because %(name)s made you the owner of this action.",
                                       name=name),
    Assignment.DECIDED: lambda name: _l("You get this notice because a steering-group decision, recorded by "
                                        "%(name)s, made you the owner of this action.", name=name),
    Assignment.HANDED_OVER: lambda name: _l("You get this notice because %(name)s handed this action over to you "
                                            "when its owner's account was deactivated.", name=name),
}


@events.on_assigned
def tell_new_owner(action: Action, how: Assignment, by: User) -> None:
    """The new owner hears of it, unless they gave it to themself."""
    db.session.expire(action, ["owner"])  # a loaded owner may still be the one before the change
    owner = action.owner
    if owner is None or owner.id == by.id or not is_reachable(owner):
        return
    letters.send(owner, kind="notice_assigned", key=f"assigned:{action.id}:{action.version}:{owner.id}",
                 template="assigned", subject=_l("An action for you: %(title)s", title=action.title),
                 why=ASSIGNED_WHY[how](by.name), always=True, action=action, by=by,
                 stale_after_days=thresholds().stale_after_days,
                 action_url=letters.progress_url(action))


@events.on_request
def tell_addressed_organisation(request: Request, by: User) -> None:
    """The addressed organisation's coordinators hear of a request to it."""
    for coordinator in coordinators_of([request.to_organisation_id]).get(request.to_organisation_id, []):
        if coordinator.id == by.id:
            continue
        letters.send(coordinator, kind="notice_request", key=f"request:{request.id}:{coordinator.id}",
                     template="request", subject=_l("A request to %(organisation)s: %(title)s",
                                                    organisation=request.to_organisation.name,
                                                    title=request.action.title),
                     why=_l("You get this notice because you are a coordinator at %(organisation)s, which the "
                            "request is addressed to.", organisation=request.to_organisation.name),
                     always=True, request=request, action=request.action, by=by,
                     answer_url=absolute_url("actions.answer", request_id=request.id))


@dataclass(frozen=True)
class LevelNotice:
    person: User
    level: int  # 2: told as a coordinator of the owning organisation; 3: as a member of the steering group
    row: EscalatedRow
    line: Line
    began_on: dt.date  # the day the stall (or the raise) began

    @property
    def key(self) -> str:
        return f"level{self.level}:{self.row.action.id}:{self.began_on.isoformat()}:{self.person.id}"


def level_notices(rows: list[EscalatedRow], standings: Mapping[int, Standing], names: dict[int, str],
                  coordinators: Mapping[int, list[User]], members: Mapping[int, list[User]],
                  today: dt.date) -> list[LevelNotice]:
    """Who to tell of each action at level 2 or 3: its organisation's coordinators while it is stalled, and at
    level 3 its steering group too."""
    notices = []
    for row in rows:
        action = row.action
        stall = today - dt.timedelta(days=row.days_stalled) if row.reasons else None
        raise_ = local_date(row.raised_at) if row.raised_at is not None else None
        shown = letters.line(action, standings[action.id], names)
        group = members.get(action.agreement_id, []) if row.level >= 3 else []
        told = {p.id for p in group}  # a member of the steering group told at level 3 needs no level-2 notice too
        if stall is not None:
            notices += [LevelNotice(p, 2, row, shown, stall)
                        for p in coordinators.get(action.owner_organisation_id, []) if p.id not in told]
        if group:
            began = min(day for day in (stall, raise_) if day is not None)
            notices += [LevelNotice(p, 3, row, shown, began) for p in group]
    return notices


def send_level_notice(notice: LevelNotice, today: dt.date) -> bool:
    """Queue the notice; False when it was queued before."""
    action = notice.row.action
    if notice.level == 2 and notice.row.level >= 3:  # a coordinator told of an action already at the top
        subject = _l("Stalled, now with the steering group: %(title)s", title=action.title)
        why = _l("You get this notice because you are a coordinator at %(organisation)s, which owns this action, and "
                 "it has been stalled long enough to reach the steering group (level 3 of the escalation ladder).",
                 organisation=action.owner_organisation.name)
    elif notice.level == 2:
        subject = _l("Stalled, now with the coordinators: %(title)s", title=action.title)
        why = _l("You get this notice because you are a coordinator at %(organisation)s, which owns this action, and "
                 "it has been stalled long enough to reach its coordinators (level 2 of the escalation ladder).",
                 organisation=action.owner_organisation.name)
    else:
        subject = _l("For the steering group: %(title)s", title=action.title)
        why = _l("You get this notice because you are a member of the steering group of %(agreement)s and this "
                 "action has reached the steering group (level 3 of the escalation ladder).",
                 agreement=action.agreement.title)
    return letters.send(notice.person, kind=f"notice_level{notice.level}", key=notice.key, template="escalated",
                        subject=subject, why=why, notice=notice, line=notice.line,
                        always=True if notice.level == 2 else letters.ALWAYS_FOR_STEERING,
                        today=today,
                        steering_url=absolute_url("steering.page", agreement_id=action.agreement_id)) is not None
