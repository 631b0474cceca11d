"""Language: the user's preference, else the one chosen in this session, else the browser's, else Swedish."""
from flask import Blueprint, current_app, has_request_context, redirect, request, session
from flask_babel import lazy_gettext
from flask_login import current_user

from tracker.extensions import db
from tracker.navigation import safe_next

bp = Blueprint("i18n", __name__)
lazy = lazy_gettext


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.post("/language")
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")), 303)
