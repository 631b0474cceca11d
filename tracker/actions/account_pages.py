"""The actions on the account pages: the open actions a person owns are handed over when their account is
deactivated, in the same transaction, so none is left without an owner or the "unassigned" mark.
create_app imports this module: it registers with accounts.panels and adds the handover to the actions blueprint."""
from collections.abc import Sequence

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tracker import policy
from tracker.accounts import panels
from tracker.accounts.models import User
from tracker.accounts.services import LastAdmin, set_user_active
from tracker.actions import conditions, services
from tracker.actions.handover_forms import HandoverForm, handover_form
from tracker.actions.models import Action
from tracker.actions.queries import with_people
from tracker.actions.views import bp
from tracker.clock import request_today
from tracker.editing import StaleEdit
from tracker.extensions import db
from tracker.loading import load_or_404, require


def owned_open_actions(user: User) -> list[Action]:
    """The open actions the person owns, by deadline."""
    query = with_people(select(Action).where(Action.owner_id == user.id, conditions.is_open())
                        .order_by(Action.deadline.is_(None), Action.deadline, Action.id))
    return list(db.session.scalars(query).unique())


def successors(departing: User, actions: Sequence[Action]) -> dict[int, list[User]]:
    """{organisation id: its active people but the departing one} for the actions' owning organisations."""
    ids = {a.owner_organisation_id for a in actions}
    people: Sequence[User] = db.session.scalars(select(User).where(
        User.organisation_id.in_(ids), User.is_active.is_(True), User.id != departing.id).order_by(User.name)
    ).all() if ids else []
    result: dict[int, list[User]] = {i: [] for i in ids}
    for person in people:
        result[person.organisation_id].append(person)
    return result


def _form(user: User, actions: Sequence[Action], **kwargs: object) -> HandoverForm:
    return handover_form(user, actions, successors(user, actions), **kwargs)


@panels.for_deactivation
def open_actions_owned(user: User) -> dict:
    """The open actions the person owns and, when there are some, the form that hands them over."""
    actions = owned_open_actions(user)
    form = _form(user, actions, formdata=None, version=user.version) if actions else None
    return {"open_actions": actions, "handover_form": form}


@panels.refuses_deactivation
def owns_open_actions(user: User) -> str | None:
    if owned_open_actions(user):
        return _("%(name)s owns open actions: choose who takes them over before the account is deactivated.",
                 name=user.name)
    return None


@bp.post("/admin/users/<int:user_id>/handover")
def hand_over_and_deactivate(user_id: int) -> ResponseReturnValue:
    """Deactivate the account and hand its open actions over, all in one transaction, each handover audited."""
    require(policy.can_manage_accounts(current_user))
    user = load_or_404(User, user_id)
    if not user.is_active:
        return redirect(url_for("accounts.edit", user_id=user.id), 303)
    actions = owned_open_actions(user)
    form = _form(user, actions)
    if form.validate_on_submit():
        today = request_today()
        try:
            set_user_active(user, False, by=current_user, version=form.version.data)
            for action in actions:
                services.hand_over(action, form.new_owner(action), by=current_user, today=today)
            db.session.flush()
        except LastAdmin:
            db.session.rollback()
            form.form_errors.append(_("This is the only active administrator; make someone else one first."))
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            form.form_errors.append(_("Someone else changed this account meanwhile. Check it and try again."))
        else:
            db.session.commit()
            flash(ngettext("%(name)s is deactivated; %(num)d open action is handed over.",
                           "%(name)s is deactivated; %(num)d open actions are handed over.", len(actions),
                           name=user.name), "success")
            return redirect(url_for("accounts.edit", user_id=user.id), 303)
        user = load_or_404(User, user_id)
        actions = owned_open_actions(user)
    return render_template("accounts/deactivate.html", user=user, open_actions=actions, handover_form=form)
