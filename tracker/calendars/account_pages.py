"""Calendar links on an administrator's page of an account: whether the person has them, and ending them.
create_app imports this module: it registers the section with accounts.panels and adds the route to the calendars
blueprint."""
from flask import url_for
from flask.typing import ResponseReturnValue

from tracker.accounts import panels
from tracker.accounts.models import User
from tracker.calendars import tokens
from tracker.calendars.views import bp, end_links
from tracker.loading import load_or_404


@panels.section("calendars/_account_section.html")
def calendar_links(user: User) -> dict:
    return {"calendar_token": tokens.token_of(user)}


@bp.post("/admin/users/<int:user_id>/calendar/end")
def end_for(user_id: int) -> ResponseReturnValue:
    person = load_or_404(User, user_id)
    return end_links(person, back=url_for("accounts.edit", user_id=person.id))
