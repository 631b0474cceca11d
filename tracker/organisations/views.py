from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.editing import StaleEdit
from tracker.extensions import db
from tracker.loading import load_or_404, require
from tracker.organisations import queries, services
from tracker.organisations.forms import OrganisationForm
from tracker.organisations.models import Organisation
from tracker.pagination import paginate
from tracker.search import clean_search

bp = Blueprint("organisations", __name__, template_folder="templates")


@bp.before_request
def admins_only():
    require(policy.can_manage_organisations(current_user))


@bp.get("/")
def index():
    text = clean_search(request.args.get("q"))
    page = paginate(queries.search_organisations(text), per_page=25)
    return render_template("organisations/index.html", page=page, q=text)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(form.data, by=current_user)
        except services.NameTaken:
            form.name.errors.append(_("Another organisation already has this name."))
        else:
            db.session.commit()
            flash(_("%(name)s is registered.", name=organisation.name), "success")
            return redirect(url_for("organisations.index"), 303)
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit(organisation_id: int):
    organisation = load_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            services.update_organisation(organisation, form.data, by=current_user, version=form.version.data)
        except services.NameTaken:
            form.name.errors.append(_("Another organisation already has this name."))
        except StaleEdit:
            form.form_errors.append(_("Someone else saved this organisation while you were editing. "
                                      "Your input is kept below; check it and save again."))
        else:
            db.session.commit()
            flash(_("Organisation saved."), "success")
            return redirect(url_for("organisations.index"), 303)
    return render_template("organisations/form.html", form=form, organisation=organisation)
