from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from tracker import policy
from tracker.accounts import invitations, panels, queries, services, sessions
from tracker.accounts.forms import AccountFilterForm, NewUserForm, TemporaryPasswordForm, UserForm
from tracker.accounts.models import User
from tracker.clock import utcnow
from tracker.editing import StaleEdit, save_edit
from tracker.extensions import db
from tracker.formfields import ConfirmForm, options
from tracker.listfilters import id_from_args
from tracker.loading import admins_only, load_or_404, require
from tracker.organisations.queries import organisation_choices
from tracker.pagination import paginate

bp = Blueprint("accounts", __name__, template_folder="templates")
admins_only(bp, policy.can_manage_accounts)
EMAIL_TAKEN = _l("Another account already uses this e-mail address.")
ONLY_ADMIN = _l("This is the only active administrator; make someone else one first.")


@bp.get("/")
def index() -> ResponseReturnValue:
    choices = organisation_choices(id_from_args(request.args, "organisation"))
    form = AccountFilterForm.from_args(request.args, organisation=[(None, _("All organisations")), *choices])
    page = paginate(queries.search_users(form.value("q") or "", form.value("organisation")), per_page=25)
    return render_template("accounts/index.html", page=page, form=form)


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = NewUserForm()
    form.organisation_id.choices = options([("", _("Choose an organisation")), *organisation_choices()])
    if form.validate_on_submit():
        require(not form.invites or policy.can_invite(current_user, form.organisation_id.data, form.role.data))
        saved = save_edit(form, lambda: _create(form), done=_created(form), next_url=url_for("accounts.index"),
                          refusals={services.EmailTaken: (form.email, EMAIL_TAKEN)})
        if saved:
            return saved
    return render_template("accounts/form.html", form=form, user=None)


def _create(form: NewUserForm) -> User:
    if form.invites:
        return invitations.invite(form.data, by=current_user, now=utcnow())
    return services.create_user(form.data, by=current_user, password=form.new_password.data)


def _created(form: NewUserForm) -> str:
    if form.invites:
        return invited_message(form.name.data, form.email.data)
    return _("Account created for %(name)s. Give them the temporary password; they must change it when they first "
             "sign in.", name=form.name.data)


def invited_message(name: str, email: str) -> str:
    hours = current_app.config["INVITATION_HOURS"]
    return ngettext("Account created for %(name)s. An invitation to %(email)s goes out by e-mail; its link works "
                    "for %(num)d hour.", "Account created for %(name)s. An invitation to %(email)s goes out by "
                    "e-mail; its link works for %(num)d hours.", hours, name=name, email=email)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int) -> ResponseReturnValue:
    user = load_or_404(User, user_id)
    form = UserForm(obj=user)
    form.organisation_id.choices = options(organisation_choices(user.organisation_id))
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.update_user(user, form.data, by=current_user,
                                                             version=form.version.data),
                          stale=_("Someone else saved this account while you were editing. "
                                  "Your input is kept below; check it and save again."), saved=user,
                          done=_("Account saved."), next_url=url_for("accounts.index"),
                          refusals={services.EmailTaken: (form.email, EMAIL_TAKEN),
                                    services.LastAdmin: (form.role, ONLY_ADMIN)})
        if saved:
            return saved
    return render_template("accounts/form.html", form=form, user=user,
                           live_sessions=sessions.count_live_sessions(user, now=utcnow()),
                           invitation=invitations.invitation_state(user, now=utcnow()),
                           sections=panels.sections(user))


@bp.post("/<int:user_id>/invitation")
def send_invitation(user_id: int) -> ResponseReturnValue:
    user = load_or_404(User, user_id)
    require(policy.can_send_invitation(current_user, user))
    return resend_invitation(user, back=url_for("accounts.edit", user_id=user.id))


def resend_invitation(user: User, *, back: str) -> ResponseReturnValue:
    """Send a new invitation to user (the caller checked the policy), flash what became of it, and go back."""
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(back, 303)
    try:
        invitations.send_invitation(user, by=current_user, now=utcnow())
    except invitations.AlreadyAccepted:
        flash(_("%(name)s has chosen a password already: there is nothing to invite to.", name=user.name), "info")
    except invitations.Deactivated:
        flash(_("The account or its organisation is deactivated: reactivate it before inviting."), "error")
    else:
        db.session.commit()
        flash(_("A new invitation to %(email)s goes out by e-mail; the link of the earlier one no longer works.",
                email=user.email), "success")
    return redirect(back, 303)


@bp.post("/<int:user_id>/sessions/end")
def end_sessions(user_id: int) -> ResponseReturnValue:
    user = load_or_404(User, user_id)
    require(policy.can_end_sessions(current_user, user))
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("accounts.edit", user_id=user.id), 303)
    ended = sessions.end_all_sessions(user, by=current_user, now=utcnow())
    db.session.commit()
    flash(ngettext("%(num)d session of %(name)s is ended.", "%(num)d sessions of %(name)s are ended.", ended,
                   name=user.name), "success")
    return redirect(url_for("accounts.edit", user_id=user.id), 303)


@bp.get("/<int:user_id>/deactivate")
def confirm_deactivation(user_id: int) -> ResponseReturnValue:
    user = load_or_404(User, user_id)
    if not user.is_active:
        return redirect(url_for("accounts.edit", user_id=user.id), 303)
    return render_template("accounts/deactivate.html", user=user, **panels.deactivation_context(user))


@bp.post("/<int:user_id>/<any(activate, deactivate):change>")
def set_active(user_id: int, change: str) -> ResponseReturnValue:
    user = load_or_404(User, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("accounts.edit", user_id=user.id), 303)
    refusal = panels.deactivation_refusal(user) if change == "deactivate" and user.is_active else None
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("accounts.confirm_deactivation", user_id=user.id), 303)
    try:
        services.set_user_active(user, change == "activate", by=current_user, version=form.version.data)
    except services.LastAdmin:
        flash(str(ONLY_ADMIN), "error")
    except StaleEdit:
        flash(_("Someone else changed this account meanwhile. Check it and try again."), "error")
    else:
        db.session.commit()
        flash(_("%(name)s can sign in again.", name=user.name) if user.is_active
              else _("%(name)s is deactivated and can no longer sign in.", name=user.name), "success")
    return redirect(url_for("accounts.edit", user_id=user.id), 303)


@bp.route("/<int:user_id>/password", methods=["GET", "POST"])
def temporary_password(user_id: int) -> ResponseReturnValue:
    user = load_or_404(User, user_id)
    form = TemporaryPasswordForm(version=user.version)
    form.personal_words = (user.name, user.email)
    if form.validate_on_submit():
        services.set_password(user, form.new_password.data, by=current_user, temporary=True)
        db.session.commit()
        flash(_("A temporary password is set for %(name)s; they must change it at their next sign-in.",
                name=user.name), "success")
        return redirect(url_for("accounts.edit", user_id=user.id), 303)
    return render_template("accounts/password.html", form=form, user=user)
