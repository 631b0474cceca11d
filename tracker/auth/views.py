from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from tracker.auth import services, throttle
from tracker.auth.forms import ChangePasswordForm, LoginForm
from tracker.extensions import db, limiter
from tracker.navigation import local_path, safe_next

bp = Blueprint("auth", __name__, template_folder="templates")

@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(throttle.account_limit, key_func=throttle.submitted_email, methods=["POST"],
               deduct_when=throttle.failed, on_breach=throttle.audit_lockout)
@limiter.limit(throttle.address_limit, methods=["POST"], deduct_when=throttle.failed,
               on_breach=throttle.audit_lockout)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=local_path(request.args.get("next")) or "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data, address=get_remote_address())
        if user is None:
            db.session.commit()  # the failed attempt stays in the audit trail
            # One message for unknown e-mail, wrong password and deactivated account: no enumeration.
            form.form_errors.append(_("Wrong e-mail or password, or the account is not active."))
        else:
            db.session.commit()
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user)
            session.permanent = True
            return redirect(safe_next(form.next.data), 303)
    return render_template("auth/login.html", form=form)

@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"), 303)

@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    form.personal_words = (current_user.name, current_user.email)
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, form.current_password.data, form.new_password.data)
        except services.WrongPassword:
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # the session follows the new login token
            flash(_("Your password is changed."), "success")
            return redirect(url_for("dashboard.index"), 303)
    return render_template("auth/change_password.html", form=form)
