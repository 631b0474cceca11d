"""Filter forms for list pages: read from the query string, no CSRF (they change nothing), invalid values shown."""
import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Self, TypeVar
from urllib.parse import urlencode

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.routing import RequestRedirect
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional, ValidationError

from tracker.formfields import options, strip
from tracker.loading import LARGEST_ID
from tracker.search import MAX_SEARCH_LENGTH

E = TypeVar("E", bound=enum.Enum)
# What an empty filter sends: an empty box, or the "All" option (whose value None renders as "None").
EMPTY_VALUES = ("", "None")


def optional_int(value: str | int | None) -> int | None:
    """An id from a filter: empty means "all"; anything but a whole number an id can be (1 to LARGEST_ID) is
    refused next to the field, before it reaches the database (whose integer it could overflow)."""
    if value is None or value in ("", "None"):
        return None
    number = int(value)
    if not 1 <= number <= LARGEST_ID:
        raise ValueError(value)
    return number


def id_from_args(args: Mapping[str, str], name: str) -> int | None:
    """The id a query-string parameter names, or None when it is missing or names nothing an id can be."""
    try:
        return optional_int(args.get(name))
    except ValueError:
        return None


def enum_or_none(enum_type: type[E]) -> Callable[[str | None], E | None]:
    def coerce(value: str | None) -> E | None:
        if value is None or value in ("", "None"):
            return None
        return enum_type(value)  # ValueError becomes "Not a valid choice" next to the field
    return coerce


class CleanFilterURL(RequestRedirect):
    code = 303


def redirect_to_clean_url(args: Mapping[str, str]) -> None:
    """A form sent without JavaScript names every filter, the empty ones too ("q=&status=None"): send the browser
    on to the same list without them, so the address says only what is filtered (and can be shared as such)."""
    pairs = list(args.items(multi=True)) if isinstance(args, MultiDict) else list(args.items())
    kept = [(name, value) for name, value in pairs if value.strip() not in EMPTY_VALUES]
    if len(kept) != len(pairs):
        raise CleanFilterURL(request.path + ("?" + urlencode(kept) if kept else ""))


CHOOSE_LISTED = _l("Choose one of the options in the list.")


class FilterSelectField(SelectField):
    """A filter's drop-down: a value that is none of its options (a mistyped or out-of-range id, an unknown status)
    is refused with a plain message instead of WTForms' technical one."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(CHOOSE_LISTED) from None

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(CHOOSE_LISTED) from None


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), filters=[strip], validators=[Optional(), Length(max=MAX_SEARCH_LENGTH)])

    @classmethod
    def from_args(cls, args: Mapping[str, str], **choices: Iterable[tuple[object, str]]) -> Self:
        """The bound, validated filter form; a query string with empty filters is first redirected without them."""
        redirect_to_clean_url(args)
        form = cls(formdata=args)
        for name, values in choices.items():
            getattr(form, name).choices = options(values)
        form.validate()
        return form

    def value(self, name: str) -> Any:
        """The field's value when it validated, else None (an invalid filter filters nothing)."""
        field = getattr(self, name)
        return None if field.errors else field.data

