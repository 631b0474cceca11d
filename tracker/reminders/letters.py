"""Writing one reminder to the outbox, in the caller's transaction: in the person's language, saying why they get
it, with a link to their e-mail settings; and the words and links every reminder shares. The words are chosen here,
as the message is written, and the templates escape them in the HTML like any text."""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.actions.rules import Standing
from tracker.actions.words import standing_words
from tracker.mail import outbox
from tracker.mail.compose import recipient
from tracker.mail.links import absolute_url
from tracker.mail.models import OutboxMessage

TEMPLATES = "reminders/mail/"
ALWAYS = _l("Notices about your own actions and your organisation's cannot be switched off.")
ALWAYS_FOR_STEERING = _l("Notices to a steering group's members cannot be switched off: they are how stalled work "
                         "reaches those who can decide.")


class Words:
    """Text put in the recipient's language when the message is written, and escaped in its HTML like any text.
    (flask_babel's LazyString says it is safe HTML, which a sentence naming a person or an agreement is not.)"""

    def __init__(self, text: Callable[[], str]) -> None:
        self._text = text

    def __str__(self) -> str:
        return self._text()


@dataclass(frozen=True)
class Line:
    """One action in a reminder: where it stands, whom it waits on (names), and the page to act on it."""
    action: Action
    standing: Standing
    waiting_for: tuple[str, ...]
    url: str


def line(action: Action, standing: Standing, names: dict[int, str], url: str | None = None) -> Line:
    """The action as a reminder shows it; url: its page where progress is logged, unless another is given."""
    return Line(action, standing, tuple(names.get(i, "?") for i in standing.waiting_for),
                url or progress_url(action))


def progress_url(action: Action) -> str:
    """The action's page, at its "log progress" form."""
    return absolute_url("actions.show", action_id=action.id) + "#log-heading"


def reasons(line: Line, today: dt.date) -> str:
    """Where the action stands, in words of the language being written ("Försenad 12 dagar · Nivå 2: samordnarna")."""
    return standing_words(line.action, line.standing, line.waiting_for, today)


def facts(action: Action) -> str:
    """The action's agreement, owning organisation, owner and deadline, in one line."""
    parts = [action.agreement.title, action.owner_organisation.short_name,
             action.owner.name if action.owner else gettext("Unassigned")]
    if action.deadline is not None:
        parts.append(f"{gettext('Deadline')} {format_date(action.deadline)}")
    return " · ".join(parts)


def send(person: User, *, kind: str, key: str, template: str, subject: Any, why: Any, always: Any = False,
         today: dt.date | None = None, **context: Any) -> OutboxMessage | None:
    """Queue one reminder for person (None when its key was queued before). `why` says why they get it (always: a
    notice, which cannot be switched off, and says so, in ALWAYS's words or in those given); the footer links their
    e-mail settings."""
    reason = Words(lambda: f"{why} {ALWAYS if always is True else always}" if always else str(why))
    return outbox.queue(recipient(person), kind=kind, dedup_key=key, template=TEMPLATES + template, subject=subject,
                        why=reason, manage_url=absolute_url("reminders.preferences"), today=today, reasons=reasons,
                        facts=facts, **context)
