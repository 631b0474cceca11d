"""Form pieces every feature shares: input cleaning, the secrecy check and the optimistic-lock version."""
import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, HiddenField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.secrecy import contains_personal_number

# C0 and C1 control characters (CR, LF and tab among them) and the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def none_if_empty(value: object) -> object:
    """An empty choice ("") means none."""
    return value or None


def to_int_or_none(value: Any) -> int | None:  # WTForms hands a coerce function anything
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class NoPersonalNumber:
    """Refuse free text that holds a personnummer or samordningsnummer, and say why."""

    message = _l("Remove the personal identity number: Samverka holds commitments, never information "
                 "about individuals, which is protected by secrecy (OSL).")

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if contains_personal_number(field.data):
            raise ValidationError(self.message)


class OneLine:
    """Text that belongs on one line (a name): no line breaks, tabs or other control characters, which would also
    break the line of an e-mail header the text is put in."""

    message = _l("Write this on one line, without line breaks.")

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data and CONTROL_CHARACTERS.search(field.data):
            raise ValidationError(self.message)


class VersionedForm(FlaskForm):
    """A form that edits an existing row carries the version it was loaded from."""

    version = HiddenField(filters=[to_int_or_none])


class EmailAddress:
    """A plausible single e-mail address (one @, a dot in the domain, no spaces)."""

    message = _l("Enter an e-mail address like name@example.se.")

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not is_plausible_email(field.data or ""):
            raise ValidationError(self.message)


def is_plausible_email(value: str) -> bool:
    local, _sep, domain = value.partition("@")
    return bool(local) and "." in domain.strip(".") and "@" not in domain and not any(c.isspace() for c in value)


class ConfirmForm(VersionedForm):
    """A button that changes state: CSRF and the version the user saw."""


class OnceForm(FlaskForm):
    """A create form carrying a one-time token (see tracker.once), so sending it twice creates one thing."""

    once = HiddenField()


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered in a fieldset by the checkboxes macro) instead of a multi-select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(pairs: Iterable[tuple[object, str]], optgroup: str | None = None) -> list[SelectChoice]:
    """Select choices from (value, label) pairs, the form WTForms 3.3 asks for instead of tuples."""
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def grouped_options(groups: dict[str, list[tuple]]) -> list[SelectChoice]:
    """Select choices in <optgroup>s: {group label: [(value, label)]}."""
    return [choice for group, pairs in groups.items() for choice in options(pairs, optgroup=group)]


class IntegerBetween:
    """A whole number from minimum to maximum. (WTForms' NumberRange raises OverflowError on a huge integer.)"""

    def __init__(self, minimum: int, maximum: int):
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data is not None and not self.minimum <= field.data <= self.maximum:
            raise ValidationError(_l("Give a whole number from %(min)d to %(max)d.", min=self.minimum,
                                     max=self.maximum))


EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


class DateWithin:
    """A date from EARLIEST_DATE to LATEST_DATE: agreements, deadlines and audit searches all fall in this century,
    and a year like 1 or 9999 would overflow the date arithmetic (time zones, "the next day") further on."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data is not None and not EARLIEST_DATE <= field.data <= LATEST_DATE:
            raise ValidationError(_l("Give a date from %(first)s to %(last)s.", first=format_date(EARLIEST_DATE),
                                     last=format_date(LATEST_DATE)))


class BoundedDateField(DateField):
    """A date field held to EARLIEST_DATE..LATEST_DATE, with the same bounds given to the browser's date picker."""

    def __init__(self, label: str | None = None, validators: Iterable[Callable[[Any, Any], None]] | None = None,
                 render_kw: dict[str, Any] | None = None, **kwargs: Any) -> None:
        render_kw = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat(), **(render_kw or {})}
        super().__init__(label, [*(validators or []), DateWithin()], render_kw=render_kw, **kwargs)
