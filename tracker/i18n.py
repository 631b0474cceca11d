"""Language: the user's preference, else the one chosen in this session, else the browser's, else Swedish.

Outside a request (the CLI) the operator's locale settings decide: LC_ALL, LC_MESSAGES or LANG naming English or
Swedish (`LANG=en_GB.UTF-8 flask ...`); anything else (C, POSIX, unset) gives Swedish.
"""
import os
from collections.abc import Sequence

from flask import Blueprint, current_app, has_request_context, redirect, request, session
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext
from flask_login import current_user

from tracker.audit.services import record
from tracker.extensions import db
from tracker.redirects import safe_next

bp = Blueprint("i18n", __name__)
lazy = lazy_gettext
# English dates are British (25 Nov 2026, 25/11/2026), never US; the catalogue stays "en" (gettext finds it for en_GB).
FORMAT_LOCALES = {"en": "en_GB"}


def babel_locale(language: str) -> str:
    """The Babel locale that formats dates and numbers for a language of the interface."""
    return FORMAT_LOCALES.get(language, language)


def select_locale() -> str:
    return babel_locale(select_language())


def select_language() -> str:
    """The interface language: the user's, the session's, the browser's or the operator's, else the default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return operator_language(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def operator_language(languages: Sequence[str]) -> str | None:
    """The language of the shell's locale, as POSIX picks it: the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    setting = next((os.environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(k)), "")
    language = setting.split("_")[0].split(".")[0].lower()
    return language if language in languages else None


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated and current_user.language != language:
            record(current_user, "set_language", current_user, {"language": [current_user.language, language]})
            current_user.language = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")), 303)
