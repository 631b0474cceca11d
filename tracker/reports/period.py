"""Report months: parsing "YYYY-MM" and the days a month spans. Pure."""
import calendar
import datetime as dt
import re
from dataclasses import dataclass

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class BadMonth(ValueError):
    """Not a month in the form YYYY-MM, or a month that has not begun."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        match = _MONTH.match((text or "").strip())
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise BadMonth(text)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous(self) -> "Month":
        return Month.of(self.first_day - dt.timedelta(days=1))

    @property
    def next(self) -> "Month":
        return Month.of(self.last_day + dt.timedelta(days=1))

    def as_of(self, today: dt.date) -> dt.date:
        """The day the report describes: the month's last day, or today for the month under way."""
        if self.first_day > today:
            raise BadMonth(str(self))
        return min(self.last_day, today)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def reportable_months(starts_on: dt.date, ends_on: dt.date | None, today: dt.date) -> tuple[Month, Month] | None:
    """The months an agreement can be reported on: from its start month to its end month (no end date: to this
    month), never a month that has not begun; None when there is none yet."""
    first, last = Month.of(starts_on), Month.of(today)
    if ends_on is not None:
        last = min(last, Month.of(ends_on))
    return (first, last) if first <= last else None


def in_period(month: Month, starts_on: dt.date, ends_on: dt.date | None, today: dt.date) -> bool:
    """Whether the month is one of the agreement's reportable months."""
    bounds = reportable_months(starts_on, ends_on, today)
    return bounds is not None and bounds[0] <= month <= bounds[1]


def last_month_with_data(starts_on: dt.date, ends_on: dt.date | None, today: dt.date) -> Month | None:
    """The month a form proposes: the last whole month in the period, or the month under way when the agreement
    began this month; None when the agreement has not begun."""
    bounds = reportable_months(starts_on, ends_on, today)
    if bounds is None:
        return None
    first, last = bounds
    if last == Month.of(today) and last.previous >= first:
        return last.previous
    return last
