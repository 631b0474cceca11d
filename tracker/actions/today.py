"""Where actions stand today: the rules applied with the request's date and the configured thresholds."""
import datetime as dt
from collections.abc import Iterable

from flask import current_app

from tracker.actions.rules import ActionLike, Standing, Thresholds, standing


def thresholds() -> Thresholds:
    return Thresholds.from_config(current_app.config)


def standings(actions: Iterable[ActionLike], today: dt.date) -> dict[int, Standing]:
    """{action id: its standing on today} for the given actions, with the configured thresholds."""
    limits = thresholds()
    return {a.id: standing(a, today, limits) for a in actions}
