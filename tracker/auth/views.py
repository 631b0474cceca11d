from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from tracker import policy
from tracker.accounts import sessions
from tracker.accounts.models import UserSession
from tracker.auth import services, throttle
from tracker.auth.forms import ChangePasswordForm, LoginForm
from tracker.clock import utcnow
from tracker.extensions import db, limiter
from tracker.formfields import ConfirmForm
from tracker.loading import load_or_403, require
from tracker.redirects import local_path, safe_next

bp = Blueprint("auth", __name__, template_folder="templates")

@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(throttle.account_limit, key_func=throttle.submitted_email, methods=["POST"],
               deduct_when=throttle.failed, on_breach=throttle.audit_lockout)
@limiter.limit(throttle.address_limit, methods=["POST"], deduct_when=throttle.failed,
               on_breach=throttle.audit_lockout)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm(next=local_path(request.args.get("next")) or "")
    if form.validate_on_submit():
        address = get_remote_address()
        user = services.authenticate(form.email.data, form.password.data, address=address)
        if user is None:
            db.session.commit()  # the failed attempt stays in the audit trail
            # One message for unknown e-mail, wrong password and deactivated account: no enumeration.
            form.form_errors.append(_("Wrong e-mail or password, or the account is not active."))
        else:
            user.current_session = sessions.start_session(user, user_agent=request.user_agent.string,
                                                          address=address, now=utcnow())
            db.session.commit()
            session.clear()  # a fresh session on sign-in: no fixation
            login_user(user)
            session.permanent = True
            return redirect(safe_next(form.next.data), 303)
    return render_template("auth/login.html", form=form)

@bp.post("/logout")
def logout() -> ResponseReturnValue:
    sessions.sign_out(current_user.current_session, now=utcnow())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"), 303)

@bp.route("/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    form.personal_words = (current_user.name, current_user.email)
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, form.current_password.data, form.new_password.data,
                                         keep=current_user.current_session)
        except services.WrongPassword:
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            db.session.commit()
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for("dashboard.index"), 303)
    return render_template("auth/change_password.html", form=form, button=ConfirmForm(formdata=None),
                           sessions=sessions.live_sessions(current_user, now=utcnow()))


@bp.post("/password/sessions/<int:session_id>/end")
def end_session(session_id: int) -> ResponseReturnValue:
    user_session = load_or_403(UserSession, session_id, policy.can_end_session)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
    elif user_session.id == current_user.current_session.id:
        flash(_("This is the session you are using. To end it, sign out."), "error")
    elif not sessions.is_live(user_session, now=utcnow()):
        flash(_("That session had already ended."), "info")
    else:
        sessions.end_one_session(user_session, by=current_user, now=utcnow())
        db.session.commit()
        flash(_("The session is ended: that browser is signed out."), "success")
    return redirect(url_for("auth.change_password"), 303)


@bp.post("/password/sessions/end-others")
def end_other_sessions() -> ResponseReturnValue:
    require(policy.can_end_sessions(current_user, current_user))
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("auth.change_password"), 303)
    ended = sessions.end_all_sessions(current_user, by=current_user, now=utcnow(),
                                      keep=current_user.current_session)
    db.session.commit()
    flash(ngettext("%(num)d other session is ended.", "%(num)d other sessions are ended.", ended), "success")
    return redirect(url_for("auth.change_password"), 303)
