"""Where an action stands, in words of the language being written: one line that reminders and exported
spreadsheets share ("Försenad 12 dagar · Tyst 40 dagar · Nivå 2: samordnarna")."""
import datetime as dt
from collections.abc import Sequence

from flask_babel import gettext, ngettext

from tracker.actions.models import Action
from tracker.actions.rules import Stalled, Standing


def standing_words(action: Action, s: Standing, waiting_for: Sequence[str], today: dt.date) -> str:
    """Why the action is stalled, whether it is due soon and its level from 2 up; waiting_for names the parties
    its stale requests wait on (s.waiting_for, in order)."""
    words = []
    for reason in s.reasons:
        if reason is Stalled.OVERDUE:
            words.append(ngettext("Overdue %(num)d day", "Overdue %(num)d days", s.days_overdue))
        elif reason is Stalled.BLOCKED:
            words.append(gettext("Blocked: %(reason)s", reason=action.blocked_reason) if action.blocked_reason
                         else gettext("Blocked"))
        elif reason is Stalled.SILENT:
            words.append(ngettext("Silent %(num)d day", "Silent %(num)d days", s.days_silent))
        elif reason is Stalled.WAITING:
            words.append(ngettext("Waiting %(num)d day for an answer from %(parties)s",
                                  "Waiting %(num)d days for an answer from %(parties)s", s.days_waiting,
                                  parties=", ".join(waiting_for)))
        else:
            words.append(gettext("No active owner"))
    if s.due_soon and action.deadline is not None:
        days = (action.deadline - today).days
        words.append(gettext("Due today") if days == 0 else ngettext("Due in %(num)d day", "Due in %(num)d days", days))
    if s.level >= 2:
        words.append(gettext("Level 3: steering group") if s.level >= 3 else gettext("Level 2: coordinators"))
    return " · ".join(words)
