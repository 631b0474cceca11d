"""The daily reminders job and each person's choice of the weekly digest. Services flush, never commit."""
import datetime as dt
from dataclasses import dataclass

from tracker.accounts.models import User
from tracker.actions.escalation_queries import escalated
from tracker.actions.today import standings, thresholds
from tracker.audit.services import apply_changes, record
from tracker.editing import check_version, flush_or_stale, refuses_stale_edits
from tracker.reminders import queries
from tracker.reminders.digests import digests, send_digest
from tracker.reminders.notices import level_notices, send_level_notice


@dataclass(frozen=True)
class Queued:
    """What one run of the job queued (what earlier runs queued is not counted again)."""
    digests: int
    notices: int


def send_reminders(today: dt.date) -> Queued:
    """Queue today's weekly digests and the notices of actions that have reached level 2 or 3 of the escalation
    ladder; what was queued before (the same person, day or stall) is not queued again. Reads in a fixed number of
    queries, however many actions and people; each new message is one insert."""
    limits = thresholds()
    weekday = today.weekday()
    people = queries.digest_people(weekday)
    actions = queries.digest_actions(weekday, today, limits) if people else []
    rows = escalated(None, today, level=2, thresholds=limits)
    standing = standings(list({a.id: a for a in [*actions, *(r.action for r in rows)]}.values()), today)
    names = queries.organisation_names(i for s in standing.values() for i in s.waiting_for)
    due = digests(people, actions, standing, names, today)
    coordinators = queries.coordinators_of(r.action.owner_organisation_id for r in rows)
    members = queries.steering_groups_of(r.action.agreement_id for r in rows if r.level >= 3)
    notices = level_notices(rows, standing, names, coordinators, members, today)
    done = queries.queued_keys([d.key for d in due] + [n.key for n in notices])
    return Queued(digests=sum(send_digest(d) for d in due if d.key not in done),
                  notices=sum(send_level_notice(n, today) for n in notices if n.key not in done))


@refuses_stale_edits
def set_preferences(person: User, *, wants_digest: bool, weekday: int, by: User, version: int | None) -> dict:
    """A person's own choice: the weekly digest or not, and on which weekday (0 Monday … 6 Sunday). Audited."""
    check_version(person, version)
    changes = apply_changes(person, {"wants_digest": wants_digest, "digest_weekday": weekday})
    if changes:
        record(by, "update", person, changes)
        flush_or_stale()
    return changes
