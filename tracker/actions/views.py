from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import once, policy
from tracker.accounts.queries import people_choices
from tracker.actions import panels, queries, request_queries, services
from tracker.actions.deadline_history import first_promised, moves_of
from tracker.actions.forms import ActionFilterForm, ActionForm, ProgressForm, RaiseForm
from tracker.actions.models import Action
from tracker.actions.partner_requests import NotAParty, addressable_parties
from tracker.actions.today import standings, thresholds
from tracker.agreements.models import Agreement
from tracker.agreements.queries import party_choices
from tracker.audit.queries import history, history_of, history_page
from tracker.clock import request_today
from tracker.editing import save_edit
from tracker.extensions import db
from tracker.formfields import ConfirmForm, options
from tracker.loading import load_or_403
from tracker.pagination import count, paginate

bp = Blueprint("actions", __name__, template_folder="templates")
UPDATES_SHOWN, HISTORY_SHOWN, PER_PAGE = 20, 20, 50


def list_filters() -> tuple[ActionFilterForm, queries.ActionFilters]:
    """The action list's filter form, read from the query string, and the filters it gives (the list's and its
    export's)."""
    form = ActionFilterForm.from_args(request.args, organisation=[(None, _("All")), *party_choices()],
                                      owner=[(None, _("Anyone")), *people_choices(policy.visible_people(current_user))])
    return form, queries.ActionFilters(
        text=form.value("q") or "", status=form.value("status"), theme=form.value("theme"),
        organisation_id=form.value("organisation"), owner_id=form.value("owner"),
        stalled_only=bool(form.value("stalled")), open_only=bool(form.value("open")),
        due_soon=bool(form.value("due_soon")), due_before=form.value("due_before"), level=form.value("level"),
        ownerless=bool(form.value("ownerless")),
        sort=form.value("sort") or "deadline")


@bp.get("/actions/")
def index() -> str:
    form, filters = list_filters()
    today = request_today()
    page = paginate(queries.list_actions(current_user, filters, today, thresholds()), per_page=25)
    return render_template("actions/index.html", form=form, page=page, standing=standings(page.items, today))


@bp.route("/agreements/<int:agreement_id>/actions/new", methods=["GET", "POST"])
def new(agreement_id: int) -> ResponseReturnValue:
    agreement = load_or_403(Agreement, agreement_id, policy.can_add_action)
    form = ActionForm(agreement=agreement, owners=queries.owner_choices(agreement, current_user))
    if request.method == "GET":
        form.owner_organisation_id.data = current_user.organisation_id
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        repeat = once.refuse_repeat(form.once.data, _("This form was already sent; the action was created once."),
                                    url_for("agreements.show", agreement_id=agreement.id))
        if repeat:
            return repeat
        action = services.create_action(agreement, form.data, by=current_user)
        db.session.commit()
        once.complete(form.once.data, url_for("actions.show", action_id=action.id))
        flash(_("Action added."), "success")
        return redirect(url_for("agreements.show", agreement_id=agreement.id), 303)
    form.once.data = once.issue()
    return render_template("actions/form.html", form=form, agreement=agreement, action=None)


def _progress_form(action: Action, **kwargs: object) -> ProgressForm:
    return ProgressForm(parties=addressable_parties(action), today=request_today(), ends_on=action.agreement.ends_on,
                        **kwargs)


def _render_show(action: Action, progress_form: ProgressForm, raise_form: RaiseForm | None = None) -> str:
    moves = moves_of(action.id)
    return render_template(
        "actions/show.html", action=action, form=progress_form,
        raise_form=raise_form or RaiseForm(formdata=None, version=action.version),
        withdraw_form=ConfirmForm(formdata=None, version=action.version),
        standing=standings([action], request_today())[action.id],
        next_step=queries.next_step(action.id), requests=request_queries.requests_of(action.id),
        updates=queries.recent_updates(action_id=action.id, limit=UPDATES_SHOWN),
        updates_total=count(queries.updates_of(action_id=action.id)),
        events=history(action, limit=HISTORY_SHOWN), events_total=count(history_of(action)),
        moves=moves, first_promised=first_promised(action.deadline, moves), **panels.page_context(action))


@bp.get("/actions/<int:action_id>")
def show(action_id: int) -> str:
    action = load_or_403(Action, action_id, policy.can_read_action)
    form = _progress_form(action, formdata=None, status=action.status, progress=action.progress,
                          blocked_reason=action.blocked_reason, version=action.version)
    return _render_show(action, form)


@bp.post("/actions/<int:action_id>/progress")
def log_progress(action_id: int) -> ResponseReturnValue:
    action = load_or_403(Action, action_id, policy.can_log_progress)
    form = _progress_form(action)
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.log_progress(
            action, text=form.text.data, status=form.status.data, progress=form.progress.data,
            blocked_reason=form.blocked_reason.data, by=current_user, version=form.version.data,
            next_step=form.next_step.data, next_step_on=form.next_step_on.data,
            request_to_id=form.request_to.data, request_text=form.request_text.data),
            refusals={NotAParty: (form.request_to, _("A request goes to another party of this agreement."))},
            stale=_("This action changed after you opened the page (perhaps your update was already saved). "
                    "Your text is kept below; check the history and send again."),
            done=_("Progress logged."), next_url=url_for("actions.show", action_id=action.id))
        if saved:
            return saved
        form.version.data = action.version
    return _render_show(action, form)


@bp.post("/actions/<int:action_id>/raise")
def raise_action(action_id: int) -> ResponseReturnValue:
    """Put the action on the steering group's agenda by hand, with a reason."""
    action = load_or_403(Action, action_id, policy.can_raise_action)
    form = RaiseForm()
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.raise_to_steering_group(
            action, reason=form.reason.data, by=current_user, version=form.version.data),
            stale=_("This action changed after you opened the page. Your reason is kept below; send it again."),
            done=_("The action is raised to the steering group."),
            next_url=url_for("actions.show", action_id=action.id))
        if saved:
            return saved
        form.version.data = action.version
    progress = _progress_form(action, formdata=None, status=action.status, progress=action.progress,
                              blocked_reason=action.blocked_reason, version=action.version)
    return _render_show(action, progress, form)


@bp.post("/actions/<int:action_id>/raise/withdraw")
def withdraw_raise(action_id: int) -> ResponseReturnValue:
    action = load_or_403(Action, action_id, policy.can_raise_action)
    form = ConfirmForm()
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.withdraw_raise(action, by=current_user, version=form.version.data),
                          stale=_("This action changed after you opened the page. Check it and try again."),
                          done=_("The raise to the steering group is withdrawn."),
                          next_url=url_for("actions.show", action_id=action.id))
        if saved:
            return saved
        flash(" ".join(str(e) for e in form.form_errors), "error")
    else:
        flash(_("The form had expired. Please try again."), "error")
    return redirect(url_for("actions.show", action_id=action.id), 303)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit(action_id: int) -> ResponseReturnValue:
    action = load_or_403(Action, action_id, policy.can_edit_action)
    form = ActionForm(obj=action, agreement=action.agreement, promised=action.deadline,
                      owners=queries.owner_choices(action.agreement, current_user, keep_owner_id=action.owner_id))
    if action.owner_id is None:  # unassigned: a new owner is chosen on purpose, never the first in the list
        form.owner_id.choices = [*options([("", _("Unassigned: choose a new owner"))]), *form.owner_id.choices]
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.update_action(action, form.data, by=current_user,
                                                               version=form.version.data),
                          stale=_("Someone else saved this action while you were editing. "
                                  "Your input is kept below; check it and save again."), saved=action,
                          refusals={services.ReasonMissing: (form.deadline_reason, _("Say why the deadline moves."))},
                          done=_("Action saved."), next_url=url_for("actions.show", action_id=action.id))
        if saved:
            return saved
    return render_template("actions/form.html", form=form, agreement=action.agreement, action=action)


@bp.get("/actions/<int:action_id>/updates")
def updates(action_id: int) -> str:
    action = load_or_403(Action, action_id, policy.can_read_action)
    page = paginate(queries.updates_of(action_id=action.id), per_page=PER_PAGE)
    return render_template("actions/updates.html", page=page, show_action=False, parent_title=action.title,
                           parent_url=url_for("actions.show", action_id=action.id))


@bp.get("/actions/<int:action_id>/history")
def changes(action_id: int) -> str:
    action = load_or_403(Action, action_id, policy.can_read_action)
    return render_template("history.html", page=history_page(action, PER_PAGE), parent_title=action.title,
                           parent_url=url_for("actions.show", action_id=action.id))
