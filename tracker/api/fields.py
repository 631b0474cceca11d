"""The pydantic types the API's schemas are built from: ids, dates and free text held to the same limits as the
forms, with the secrecy check on every text. Messages are translated where they are raised."""
import datetime as dt
import re
from typing import Annotated

from flask_babel import gettext as _
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from tracker.formfields import EARLIEST_DATE, LATEST_DATE
from tracker.loading import LARGEST_ID
from tracker.secrecy import contains_personal_number

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # line breaks and tabs are text; the rest is not
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")


class Body(BaseModel):
    """A request body: unknown fields are refused, and a JSON string is never taken for a number or a boolean."""
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class Query(BaseModel):
    """Query parameters: unknown ones are refused (a mistyped filter must not silently list everything)."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Resource(BaseModel):
    """What the API answers with."""
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


def _no_personal_number(value: str) -> str:
    if contains_personal_number(value):
        raise PydanticCustomError("personal_number", _(
            "Remove the personal identity number: Samverka holds commitments, never information about individuals, "
            "which is protected by secrecy (OSL)."))
    return value


def _no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", _("Remove the control characters from the text."))
    return value


def _one_line(value: str) -> str:
    if _LINE_BREAK.search(value):
        raise PydanticCustomError("one_line", _("Write this on one line, without line breaks."))
    return value


def text(max_length: int, *, required: bool = False, one_line: bool = False, description: str = "") -> object:
    """Free text of at most max_length characters (after trimming), never holding a personnummer."""
    checks = [AfterValidator(_no_control_characters), AfterValidator(_no_personal_number)]
    if one_line:
        checks.insert(0, AfterValidator(_one_line))
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1 if required else 0,
                                            max_length=max_length), *checks, Field(description=description or None)]


def _within_dates(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError("date_range", _("Give a date from %(first)s to %(last)s.",
                                                  first=EARLIEST_DATE.isoformat(), last=LATEST_DATE.isoformat()))
    return value


def _utc(value: dt.datetime) -> dt.datetime:
    """The moment in UTC. A filter's moment before 1900 or after 9998 means the same as those years (Samverka holds
    nothing so old or so new), and converting it could overflow the date arithmetic."""
    if value.year < 1900:
        return dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    if value.year > 9998:
        return dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


DATE_RANGE = f"A date (YYYY-MM-DD) from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}."
Id = Annotated[int, Field(ge=1, le=LARGEST_ID)]
Date = Annotated[dt.date, AfterValidator(_within_dates)]
# A moment with its offset (RFC 3339, e.g. 2026-11-24T08:00:00+01:00): a time without one would be ambiguous.
Moment = Annotated[AwareDatetime, AfterValidator(_utc)]
