"""Loading the object a URL names: 404 when it does not exist, 403 when the user may not use it."""
from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort
from flask_login import current_user

from tracker.extensions import db

T = TypeVar("T")
LARGEST_ID = 2**31 - 1  # PostgreSQL's integer; a larger number in a URL names nothing


def load_or_404(model: type[T], object_id: int) -> T:
    if not 1 <= object_id <= LARGEST_ID:
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def load_or_403(model: type[T], object_id: int, rule: Callable[..., bool]) -> T:
    """The object, if it exists and rule(current_user, obj) allows it."""
    obj = load_or_404(model, object_id)
    if not rule(current_user, obj):
        abort(403)
    return obj


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def admins_only(bp: Blueprint, rule: Callable[..., bool]) -> None:
    """Every view of bp answers 403 unless rule(current_user) allows it (the admin pages' policy rule)."""
    bp.before_request(lambda: require(rule(current_user)))
