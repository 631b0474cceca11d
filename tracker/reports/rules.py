"""Which months a report may cover: one rule for the forms, the CLI and the service (see period.py)."""
import datetime as dt
from collections.abc import Sequence

from flask_babel import format_date
from flask_babel import gettext as _

from tracker.agreements.models import Agreement
from tracker.reports.period import Month, in_period, last_month_with_data


class OutOfPeriod(ValueError):
    """The month lies outside the period of one or more of the agreements; the message names them."""


def outside_period(agreements: Sequence[Agreement], month: Month, today: dt.date) -> list[Agreement]:
    """The agreements that did not run in the month (or whose month has not begun)."""
    return [a for a in agreements if not in_period(month, a.starts_on, a.ends_on, today)]


def period_error(agreements: list[Agreement], month: Month, today: dt.date) -> str | None:
    """Why the month cannot be reported on for these agreements, or None when it can."""
    outside = outside_period(agreements, month, today)
    if not outside:
        return None
    if len(agreements) == 1:
        return _("%(month)s is outside the agreement's period (%(period)s). Choose a month from its start to its "
                 "end, and not after this month.", month=month, period=period_label(agreements[0]))
    return _("These agreements did not run in %(month)s: %(titles)s.", month=month,
             titles="; ".join(f"{a.title} ({period_label(a)})" for a in outside))


def check_period(agreements: list[Agreement], month: Month, today: dt.date) -> None:
    """Raise OutOfPeriod when the month cannot be reported on for these agreements."""
    message = period_error(agreements, month, today)
    if message:
        raise OutOfPeriod(message)


def period_label(agreement: Agreement) -> str:
    """The agreement's period in words, e.g. "July 2026 – until further notice"."""
    end = format_date(agreement.ends_on, "LLLL yyyy") if agreement.ends_on else _("until further notice")
    return f"{format_date(agreement.starts_on, 'LLLL yyyy')} – {end}"


def suggested_month(agreements: list[Agreement], today: dt.date) -> Month:
    """The month a form proposes: the latest month with data among the agreements (last month when none has)."""
    known = [m for m in (last_month_with_data(a.starts_on, a.ends_on, today) for a in agreements) if m is not None]
    return max(known) if known else Month.of(today).previous
