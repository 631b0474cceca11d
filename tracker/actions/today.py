"""Where actions stand today: the rules applied with the request's date and the configured thresholds."""
import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from flask import current_app

from tracker.actions.escalation import escalation
from tracker.actions.models import Action
from tracker.actions.rules import Standing, Thresholds, standing


def thresholds() -> Thresholds:
    return Thresholds.from_config(current_app.config)


def standings(actions: Iterable[Action], today: dt.date) -> dict[int, Standing]:
    """{action id: its standing on today, with its level on the escalation ladder}, with the configured thresholds
    and each agreement's own escalation thresholds."""
    limits = thresholds()
    result = {}
    for a in actions:
        own = limits.for_agreement(a.agreement)
        ladder = escalation(a, today, own)
        result[a.id] = replace(standing(a, today, own), level=ladder.level, days_stalled=ladder.days_stalled)
    return result
