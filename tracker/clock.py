"""The only place that reads the clock. Timestamps are UTC; days are Stockholm days."""
import datetime as dt
from zoneinfo import ZoneInfo

from flask import g, has_app_context

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_today() -> dt.date:
    """Today's date in Stockholm: what "today" means for deadlines and silence."""
    return utcnow().astimezone(STOCKHOLM).date()


def request_today() -> dt.date:
    """local_today(), read once per request: every part of a page judges by the same day, even across midnight."""
    if not has_app_context():
        return local_today()
    if "today" not in g:
        g.today = local_today()
    return g.today


def local_date(moment: dt.datetime) -> dt.date:
    """The Stockholm calendar date of a UTC timestamp."""
    return moment.astimezone(STOCKHOLM).date()


def start_of_local_day(day: dt.date) -> dt.datetime:
    """The UTC moment a Stockholm calendar day begins (the first UTC moment for 1 January of year 1)."""
    try:
        return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM).astimezone(dt.UTC)
    except OverflowError:  # Stockholm's midnight of year 1 falls before the first representable UTC moment
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def end_of_local_day(day: dt.date) -> dt.datetime:
    """The UTC moment the Stockholm day ends (the next day begins; the last UTC moment for 31 December 9999)."""
    if day >= dt.date.max:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    return start_of_local_day(day + dt.timedelta(days=1))
