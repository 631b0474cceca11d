from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker import policy
from tracker.editing import save_edit
from tracker.loading import admins_only, load_or_404
from tracker.organisations import queries, services
from tracker.organisations.forms import OrganisationFilterForm, OrganisationForm
from tracker.organisations.models import Organisation
from tracker.pagination import paginate

bp = Blueprint("organisations", __name__, template_folder="templates")
admins_only(bp, policy.can_manage_organisations)
NAME_TAKEN = _l("Another organisation already has this name.")


@bp.get("/")
def index() -> ResponseReturnValue:
    form = OrganisationFilterForm.from_args(request.args)
    page = paginate(queries.search_organisations(form.value("q") or ""), per_page=25)
    return render_template("organisations/index.html", page=page, form=form)


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
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
def edit(organisation_id: int) -> ResponseReturnValue:
    organisation = load_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.update_organisation(organisation, form.data, by=current_user,
                                                                     version=form.version.data),
                          stale=_("Someone else saved this organisation while you were editing. "
                                  "Your input is kept below; check it and save again."), saved=organisation,
                          done=_("Organisation saved."), next_url=url_for("organisations.index"),
                          refusals={services.NameTaken: (form.name, NAME_TAKEN)})
        if saved:
            return saved
    return render_template("organisations/form.html", form=form, organisation=organisation)
