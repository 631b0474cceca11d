"""Writing an iCalendar feed (RFC 5545) of all-day events. The icalendar library escapes and folds every value;
this module only cleans text of what RFC 5545 TEXT cannot carry."""
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event, vDuration, vText

from tracker.mail.compose import clean_header

PRODID = "-//Samverka//Samverka calendar feed//SV"
# What a calendar client is asked to wait between fetches (clients choose for themselves; many honour one of these).
REFRESH = dt.timedelta(hours=1)
NAME_MAX = 200
# RFC 5545 TEXT has one kind of line break (escaped as \n): CR LF, a lone CR and Unicode's separators become it.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x85\u2028\u2029]")
# TEXT may not hold other control characters (a tab is allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Entry:
    """One all-day event: uid stays the same from fetch to fetch, so a calendar updates the event in place."""
    uid: str
    on: dt.date
    summary: str
    description: str
    url: str


def text(value: str) -> str:
    """Text as RFC 5545 can carry it: every line break as LF, other control characters as spaces."""
    return _CONTROL.sub(" ", _LINE_BREAKS.sub("\n", value))


def calendar(name: str, entries: Iterable[Entry], *, now: dt.datetime) -> bytes:
    """The feed: a calendar called name (on one line) holding the entries, stamped now."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    # An X- property is not known to be TEXT: vText makes the library escape it like one.
    feed.add("x-wr-calname", vText(clean_header(name, NAME_MAX)))
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    for entry in entries:
        feed.add_component(_event(entry, stamp))
    return feed.to_ical()


def _event(entry: Entry, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.on)  # a date: DTSTART;VALUE=DATE, an all-day event
    if entry.on < dt.date.max:
        event.add("dtend", entry.on + dt.timedelta(days=1))
    event.add("summary", text(entry.summary))
    event.add("description", text(entry.description))
    event.add("url", entry.url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event
