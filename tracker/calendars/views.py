"""The Kalender page: a person makes their calendar links (shown once), replaces them or ends them."""
from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.accounts.models import User
from tracker.calendars import links, tokens
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.formfields import ConfirmForm
from tracker.loading import require

bp = Blueprint("calendars", __name__, template_folder="templates")
# The new token waits here between the POST that made it and the page that shows it, once.
FRESH = "calendar_token"


@bp.get("/account/calendar")
def page() -> ResponseReturnValue:
    person = _me()
    existing = tokens.token_of(person)
    fresh = session.pop(FRESH, None)
    shown = links.feed_links(person, fresh) if existing and links.opens(existing, fresh) else None
    return render_template("calendars/page.html", person=person, calendar_token=existing, shown=shown,
                           form=ConfirmForm(formdata=None))


@bp.post("/account/calendar")
def issue() -> ResponseReturnValue:
    person = _me()
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("calendars.page"), 303)
    replaced = tokens.token_of(person) is not None
    session[FRESH] = tokens.issue(person, by=person, now=utcnow())
    db.session.commit()
    flash(_("New calendar links are ready and the earlier ones no longer work. Copy the new ones now: they are "
            "shown only this once.") if replaced
          else _("Your calendar links are ready. Copy them now: they are shown only this once."), "success")
    return redirect(url_for("calendars.page"), 303)


@bp.post("/account/calendar/end")
def end() -> ResponseReturnValue:
    return end_links(_me(), back=url_for("calendars.page"))


def end_links(person: User, *, back: str) -> ResponseReturnValue:
    """End the person's calendar links (the policy allows it: themself or an administrator) and go back."""
    require(policy.can_end_calendar(current_user, person))
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
    elif tokens.end(person, by=current_user):
        db.session.commit()
        flash(_("The calendar links of %(name)s are ended: calendars that use them get nothing more.",
                name=person.name), "success")
    else:
        flash(_("%(name)s has no calendar links.", name=person.name), "info")
    return redirect(back, 303)


def _me() -> User:
    person = current_user._get_current_object()  # always one's own: the page names nobody else
    require(policy.can_manage_calendar(current_user, person))
    return person
