"""Where actions stand today: the rules applied with Stockholm's date and the configured thresholds."""
from flask import current_app

from tracker.actions.rules import Standing, Thresholds, standing
from tracker.clock import local_today


def thresholds() -> Thresholds:
    return Thresholds.from_config(current_app.config)


def standings(actions) -> dict[int, Standing]:
    """{action id: its standing today} for the given actions."""
    today, limits = local_today(), thresholds()
    return {a.id: standing(a, today, limits) for a in actions}
