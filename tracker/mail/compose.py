"""Writing a message: in the recipient's language, plain text and HTML from one pair of templates, every header
value cleaned of line breaks and control characters (no header injection through a name or a title)."""
import re
from dataclasses import dataclass
from typing import Any, Protocol

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from tracker.i18n import babel_locale

# CR, LF, tab, NUL and every other C0/C1 control character, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# One @, no spaces, no control characters, no angle brackets, quotes or commas: an address that is a single addr-spec.
_ADDRESS = re.compile(r"^[^\s@<>\"(),;:\\\[\]\x00-\x1f\x7f]{1,64}@[^\s@<>\"(),;:\\\[\]\x00-\x1f\x7f]{1,253}$")
HEADER_MAX = 300


class Person(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def language(self) -> str | None: ...


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str
    language: str
    user_id: int | None = None


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    html: str


def recipient(person: Person) -> Recipient:
    """A person as a recipient, in their chosen language, else the default."""
    languages = current_app.config["LANGUAGES"]
    language = str(person.language if person.language in languages else current_app.config["BABEL_DEFAULT_LOCALE"])
    return Recipient(address=person.email, name=person.name, language=language, user_id=person.id)


def clean_header(value: str, limit: int = HEADER_MAX) -> str:
    """A value safe in one header line: control characters become a space, and it is cut to limit characters."""
    cleaned = " ".join(_CONTROL.sub(" ", value or "").split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def is_address(value: str) -> bool:
    """A plain e-mail address (local@domain) with nothing that could add a header or a second recipient."""
    return bool(_ADDRESS.match(value or ""))


def write(to: Recipient, template: str, subject: Any, **context: Any) -> Letter:
    """Render `<template>.txt` and `<template>.html` and the subject in the recipient's language. The templates
    extend mail/_layout.*, which greets the recipient and ends with `why` (why they get it) and `manage_url`."""
    with force_locale(babel_locale(to.language)):
        # A lazy translation says it is safe HTML, but one that names a person or an agreement is not: made into
        # plain text here, in the recipient's language, the HTML template escapes it like any other text.
        values = {"recipient": to, **{k: str(v) if isinstance(v, LazyString) else v for k, v in context.items()}}
        return Letter(subject=clean_header(str(subject)),
                      text=render_template(f"{template}.txt", **values),
                      html=render_template(f"{template}.html", **values))
