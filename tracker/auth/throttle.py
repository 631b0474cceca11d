"""Slowing down password guessing and mail flooding: failed sign-ins and password-reset requests are counted per
e-mail (known or not, so a limit reveals nothing) and per client address."""
from flask import Response, current_app, request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address

from tracker.auth import services
from tracker.extensions import db


def submitted_email() -> str:
    return "sign-in:" + (request.form.get("email") or "").strip().lower()[:254]


def reset_email() -> str:
    return "reset:" + (request.form.get("email") or "").strip().lower()[:254]


def reset_account_limit() -> str:
    return current_app.config["PASSWORD_RESET_ACCOUNT_LIMIT"]


def reset_address_limit() -> str:
    return current_app.config["PASSWORD_RESET_ADDRESS_LIMIT"]


def account_limit() -> str:
    return current_app.config["SIGN_IN_ACCOUNT_LIMIT"]


def address_limit() -> str:
    return current_app.config["SIGN_IN_ADDRESS_LIMIT"]


def failed(response: Response) -> bool:
    """Only failures count: a successful sign-in answers with a 303 redirect."""
    return response.status_code != 303


def audit_lockout(limit: RequestLimit) -> None:
    """Each attempt refused by the lockout is audited, with the e-mail tried and the client address."""
    services.record_sign_in_refused(request.form.get("email") or "", address=get_remote_address())
    db.session.commit()
