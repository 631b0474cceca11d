"""The weekly digest: to each person whose chosen weekday it is, the actions they own that have stalled or are due
soon, and to coordinators their organisation's actions without an active owner, each with where it stands in
words and a link to act on it. Nobody gets one when there is nothing to say."""
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import Role, User
from tracker.actions.models import Action
from tracker.actions.rules import Standing
from tracker.mail.links import absolute_url
from tracker.reminders import letters
from tracker.reminders.letters import Line
from tracker.reminders.weekdays import WEEKDAYS


@dataclass(frozen=True)
class Digest:
    person: User
    today: dt.date
    stalled: list[Line]  # the person's own, highest on the ladder and longest stalled first
    due_soon: list[Line]  # the person's own, on track and due soon, soonest first
    ownerless: list[Line]  # their organisation's, without an active owner (coordinators only)

    @property
    def size(self) -> int:
        return len(self.stalled) + len(self.due_soon) + len(self.ownerless)

    @property
    def key(self) -> str:
        """One digest per person and day, however often the job runs."""
        return f"digest:{self.person.id}:{self.today.isoformat()}"


def digests(people: list[User], actions: list[Action], standings: Mapping[int, Standing], names: dict[int, str],
            today: dt.date) -> list[Digest]:
    """The digests with something to say, one per person, from the actions queries.digest_actions found."""
    result = []
    for person in people:
        own = [a for a in actions if a.owner_id == person.id]
        stalled = [a for a in own if standings[a.id].is_stalled]
        due = [a for a in own if standings[a.id].due_soon and not standings[a.id].is_stalled]
        unowned = [a for a in actions if person.role is Role.COORDINATOR and not a.owner_active
                   and a.owner_organisation_id == person.organisation_id]
        stalled.sort(key=lambda a: (-standings[a.id].level, -standings[a.id].days_stalled, a.title.lower(), a.id))
        due.sort(key=lambda a: (a.deadline or today, a.title.lower(), a.id))
        unowned.sort(key=lambda a: (a.owner_lost_on or dt.date.min, a.title.lower(), a.id))
        digest = Digest(person, today, [letters.line(a, standings[a.id], names) for a in stalled],
                        [letters.line(a, standings[a.id], names) for a in due],
                        [letters.line(a, standings[a.id], names, absolute_url("actions.edit", action_id=a.id))
                         for a in unowned])
        if digest.size:
            result.append(digest)
    return result


def send_digest(digest: Digest) -> bool:
    """Queue the digest; False when it was queued before."""
    weekday = WEEKDAYS[digest.person.digest_weekday]
    return letters.send(
        digest.person, kind="digest", key=digest.key, template="digest", today=digest.today,
        subject=LazyString(lambda: ngettext("Weekly summary: %(num)d action needs attention",
                                            "Weekly summary: %(num)d actions need attention", digest.size)),
        why=_l("You get this summary every %(weekday)s because you have actions in Samverka that need attention "
               "and you have chosen to receive the weekly summary.", weekday=weekday),
        digest=digest) is not None
