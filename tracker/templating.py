"""Jinja filters and globals: dates in Stockholm time and the user's locale, and the policy for templates."""
import datetime as dt
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from markupsafe import Markup, escape

from tracker import policy
from tracker.clock import STOCKHOLM
from tracker.formfields import ConfirmForm
from tracker.keyset import cursor_url
from tracker.menu import main_navigation
from tracker.redirects import current_path


def local_datetime(value: dt.datetime | None, fmt: str = "medium") -> str:
    return "" if value is None else format_datetime(value.astimezone(STOCKHOLM), fmt)


def local_date(value: dt.date | None, fmt: str = "medium") -> str:
    return "" if value is None else format_date(value, fmt)


def current_language() -> str:
    """The interface language ("sv", "en"), without the region that only picks the date style."""
    locale = get_locale()
    return locale.language if locale else "sv"


# Text that users write (titles, names, updates, purposes) is Swedish for now: agreements carry no "language of
# their texts" yet. When they do, pass that language here instead of the constant.
USER_TEXT_LANGUAGE = "sv"


def user_text(value: object) -> Markup:
    """User-written text, marked lang="sv" when the interface speaks another language, so screen readers (and
    the PDF's hyphenation) read it as Swedish."""
    if value is None or value == "":
        return Markup("")
    if current_language() == USER_TEXT_LANGUAGE:
        return escape(value)
    return Markup('<span lang="{}">{}</span>').format(USER_TEXT_LANGUAGE, value)


def page_url(page: int) -> str:
    """The current URL with its query string kept (empty filters left out) and only the page changed."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "page" and v != ""]
    return request.path + "?" + urlencode([*args, ("page", str(page))])


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(datetime=local_datetime, date=local_date, number=format_decimal,
                                 user_text=user_text)
    app.jinja_env.globals.update(policy=policy, page_url=page_url, cursor_url=cursor_url,
                                 main_navigation=main_navigation, current_path=current_path,
                                 confirm_form=lambda obj: ConfirmForm(formdata=None, version=obj.version),
                                 current_language=current_language)
