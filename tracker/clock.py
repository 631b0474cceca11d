"""The only place that reads the clock. Timestamps are UTC; days are Stockholm days."""
import datetime as dt
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_today() -> dt.date:
    """Today's date in Stockholm: what "today" means for deadlines and silence."""
    return utcnow().astimezone(STOCKHOLM).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The Stockholm calendar date of a UTC timestamp."""
    return moment.astimezone(STOCKHOLM).date()
