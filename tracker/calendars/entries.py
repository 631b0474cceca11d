"""The events of a feed, in words of the feed owner's language: each open action's deadline and its next step,
with the action's agreement, owning organisation, owner, status, where it stands and its address."""
import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from tracker.actions.models import Action, ProgressUpdate
from tracker.actions.today import standings
from tracker.calendars.ics import Entry
from tracker.mail.links import absolute_url
from tracker.reminders.letters import line, reasons
from tracker.reminders.queries import organisation_names


def entries(actions: Sequence[Action], steps: dict[int, ProgressUpdate], *, today: dt.date) -> list[Entry]:
    """A deadline event for each action that has a deadline, and a next-step event for each whose newest next step
    has a date (steps: queries.next_steps). Past dates stay: an overdue action is still to be done."""
    standing = standings(actions, today)
    names = organisation_names(i for s in standing.values() for i in s.waiting_for)
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "samverka"
    result = []
    for action in actions:
        url = absolute_url("actions.show", action_id=action.id)
        step = steps.get(action.id)
        about = _description(action, step, reasons(line(action, standing[action.id], names, url), today), url)
        if action.deadline is not None:
            result.append(Entry(uid=f"action-{action.id}-deadline@{host}", on=action.deadline,
                                summary=_("Deadline: %(title)s", title=action.title), description=about, url=url))
        if step is not None and step.next_step_on is not None:
            result.append(Entry(uid=f"action-{action.id}-next-step@{host}", on=step.next_step_on,
                                summary=_("Next step: %(step)s (%(title)s)", step=step.next_step, title=action.title),
                                description=about, url=url))
    return result


def _description(action: Action, step: ProgressUpdate | None, where: str, url: str) -> str:
    lines = [_("Action: %(title)s", title=action.title),
             _("Agreement: %(title)s", title=action.agreement.title),
             _("Owning organisation: %(name)s", name=action.owner_organisation.name),
             _("Owner: %(name)s", name=action.owner.name if action.owner else _("Unassigned")),
             _("Status: %(status)s, %(progress)d %%", status=action.status.label, progress=action.progress)]
    if action.deadline is not None:
        lines.append(_("Deadline: %(date)s", date=format_date(action.deadline)))
    if step is not None and step.next_step_on is not None:
        lines.append(_("Next step: %(step)s (by %(date)s)", step=step.next_step, date=format_date(step.next_step_on)))
    if where:
        lines.append(_("Where it stands: %(words)s", words=where))
    return "\n".join([*lines, "", url])
