from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import once, policy
from tracker.agreements import panels, queries, services
from tracker.agreements.forms import AgreementFilterForm, AgreementForm, StatusForm
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.audit.queries import history, history_of, history_page
from tracker.clock import request_today
from tracker.editing import StaleEdit, save_edit
from tracker.extensions import db
from tracker.formfields import options
from tracker.loading import load_or_403, require
from tracker.pagination import count, paginate

bp = Blueprint("agreements", __name__, template_folder="templates")
HISTORY_SHOWN, PER_PAGE = 20, 50


def list_filters() -> tuple[AgreementFilterForm, queries.AgreementFilters]:
    """The agreement list's filter form, read from the query string, and the filters it gives (the list's and its
    export's)."""
    form = AgreementFilterForm.from_args(request.args, organisation=[(None, _("All")), *queries.party_choices()])
    return form, queries.AgreementFilters(text=form.value("q") or "", status=form.value("status"),
                                          theme=form.value("theme"), organisation_id=form.value("organisation"),
                                          stalled_on=request_today() if form.value("stalled") else None)


@bp.get("/")
def index() -> str:
    form, filters = list_filters()
    page = paginate(queries.search_agreements(current_user, filters), per_page=20)
    return render_template("agreements/index.html", form=form, page=page, **panels.list_context(page.items))


def _form_choices(form: AgreementForm, agreement: Agreement | None = None) -> None:
    parties = queries.party_choices(agreement.party_ids if agreement else [])
    form.lead_organisation_id.choices = options(parties)
    form.party_ids.choices = form.lead_organisation_id.choices
    members = agreement.steering_group_ids if agreement else []
    # The parties as saved, never as just ticked: ticking an organisation must not list its people (no directory).
    saved = agreement.party_ids if agreement else [current_user.organisation_id]
    form.steering_group_ids.choices = options(queries.steering_group_choices(current_user, saved, members))


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    require(policy.can_create_agreement(current_user))
    form = AgreementForm(user=current_user)
    _form_choices(form)
    if request.method == "GET":
        form.lead_organisation_id.data = current_user.organisation_id
        form.party_ids.data = [current_user.organisation_id]
        form.starts_on.data = request_today()
    if form.validate_on_submit():
        repeat = once.refuse_repeat(form.once.data, _("This form was already sent; the agreement was created once."),
                                    url_for("agreements.index"))
        if repeat:
            return repeat
        agreement = services.create_agreement(form.data, by=current_user)
        db.session.commit()
        once.complete(form.once.data, url_for("agreements.show", agreement_id=agreement.id))
        flash(_("The agreement is registered as a draft. Now break it into actions."), "success")
        return redirect(url_for("agreements.show", agreement_id=agreement.id), 303)
    form.once.data = once.issue()
    return render_template("agreements/form.html", form=form, agreement=None)


@bp.get("/<int:agreement_id>")
def show(agreement_id: int) -> str:
    agreement = load_or_403(Agreement, agreement_id, policy.can_read_agreement)
    return render_template(
        "agreements/show.html", agreement=agreement, events=history(agreement, limit=HISTORY_SHOWN),
        events_total=count(history_of(agreement)), status_form=StatusForm(formdata=None, version=agreement.version),
        transitions=services.TRANSITIONS[agreement.status], **panels.page_context(agreement))


@bp.route("/<int:agreement_id>/edit", methods=["GET", "POST"])
def edit(agreement_id: int) -> ResponseReturnValue:
    agreement = load_or_403(Agreement, agreement_id, policy.can_edit_agreement)
    form = AgreementForm(obj=agreement, user=current_user)
    _form_choices(form, agreement)
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.update_agreement(agreement, form.data, by=current_user,
                                                                  version=form.version.data),
                          stale=_("Someone else saved this agreement while you were editing. "
                                  "Your input is kept below; check it and save again."), saved=agreement,
                          done=_("Agreement saved."), next_url=url_for("agreements.show", agreement_id=agreement.id))
        if saved:
            return saved
    return render_template("agreements/form.html", form=form, agreement=agreement)


@bp.post("/<int:agreement_id>/status")
def change_status(agreement_id: int) -> ResponseReturnValue:
    agreement = load_or_403(Agreement, agreement_id, policy.can_edit_agreement)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(_("That status change is not possible."), "error")
        return redirect(url_for("agreements.show", agreement_id=agreement.id), 303)
    ending = panels.ending_context(agreement) if form.status.data is AgreementStatus.ENDED else {}
    if ending and form.confirmed.data != "yes":
        return render_template("agreements/confirm_end.html", agreement=agreement, form=form, **ending)
    try:
        services.change_status(agreement, form.status.data, by=current_user, version=form.version.data)
    except services.BadTransition:
        flash(_("That status change is not possible."), "error")
    except StaleEdit:
        flash(_("Someone else changed this agreement meanwhile. Check it and try again."), "error")
    else:
        db.session.commit()
        flash(_("The agreement is now: %(status)s.", status=agreement.status.label), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id), 303)


@bp.get("/<int:agreement_id>/history")
def changes(agreement_id: int) -> str:
    agreement = load_or_403(Agreement, agreement_id, policy.can_read_agreement)
    return render_template("history.html", page=history_page(agreement, PER_PAGE), parent_title=agreement.title,
                           parent_url=url_for("agreements.show", agreement_id=agreement.id))
