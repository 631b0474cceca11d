from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker import policy
from tracker.accounts.services import LastAdmin
from tracker.formfields import ConfirmForm
from tracker.editing import StaleEdit, save_edit
from tracker.extensions import db
from tracker.loading import admins_only, load_or_404
from tracker.organisations import queries, services
from tracker.organisations.forms import OrganisationFilterForm, OrganisationForm
from tracker.organisations.models import Organisation
from tracker.pagination import paginate

bp = Blueprint("organisations", __name__, template_folder="templates")
admins_only(bp, policy.can_manage_organisations)
NAME_TAKEN = _l("Another organisation already has this name.")


@bp.get("/")
def index():
    form = OrganisationFilterForm.from_args(request.args)
    page = paginate(queries.search_organisations(form.value("q") or ""), per_page=25)
    return render_template("organisations/index.html", page=page, form=form)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = OrganisationForm()
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.create_organisation(form.data, by=current_user),
                          done=_("%(name)s is registered.", name=form.name.data),
                          next_url=url_for("organisations.index"),
                          refusals={services.NameTaken: (form.name, NAME_TAKEN)})
        if saved:
            return saved
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit(organisation_id: int):
    organisation = load_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.update_organisation(organisation, form.data, by=current_user,
                                                                     version=form.version.data),
                          stale=_("Someone else saved this organisation while you were editing. "
                                  "Your input is kept below; check it and save again."),
                          done=_("Organisation saved."), next_url=url_for("organisations.index"),
                          refusals={services.NameTaken: (form.name, NAME_TAKEN)})
        if saved:
            return saved
    return render_template("organisations/form.html", form=form, organisation=organisation)


@bp.post("/<int:organisation_id>/<any(activate, deactivate):change>")
def set_active(organisation_id: int, change: str):
    organisation = load_or_404(Organisation, organisation_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
    else:
        try:
            services.set_organisation_active(organisation, change == "activate", by=current_user,
                                             version=form.version.data)
        except StaleEdit:
            flash(_("Someone else changed this organisation meanwhile. Check it and try again."), "error")
        except LastAdmin:
            flash(_("Every administrator who can sign in belongs to this organisation; make someone in another "
                    "organisation an administrator first."), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is active again.", name=organisation.name) if organisation.is_active
                  else _("%(name)s is deactivated; its history is kept.", name=organisation.name), "success")
    return redirect(url_for("organisations.edit", organisation_id=organisation.id), 303)
