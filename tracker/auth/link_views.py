"""Pages reached without signing in: asking for a new password ("Glömt lösenordet?"), and choosing a password
through an invitation or reset link from an e-mail. They are on the auth blueprint; create_app imports this module
before it registers the blueprint."""
from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user

from tracker.accounts import links, services
from tracker.accounts.models import AccountLink, LinkPurpose
from tracker.accounts.passwords import PASSWORD_MIN_LENGTH
from tracker.auth import resets, throttle
from tracker.auth.forms import ChoosePasswordForm, ForgotPasswordForm
from tracker.auth.views import bp
from tracker.clock import utcnow
from tracker.extensions import db, limiter


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(throttle.reset_account_limit, key_func=throttle.reset_email, methods=["POST"])
@limiter.limit(throttle.reset_address_limit, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # The same answer for every address, known, unknown or deactivated, sent before any work on the address is
        # done: neither the answer nor the time it takes reveals whether the address has an account.
        answer = redirect(url_for("auth.reset_requested"), 303)
        answer.call_on_close(resets.after_the_answer(form.email.data, address=get_remote_address()))
        return answer
    return render_template("auth/forgot_password.html", form=form, hours=resets.hours())


@bp.get("/forgot-password/sent")
def reset_requested() -> ResponseReturnValue:
    return render_template("auth/reset_requested.html", hours=resets.hours())


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    return _choose_password(token, LinkPurpose.PASSWORD_RESET)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    return _choose_password(token, LinkPurpose.INVITATION)


def _choose_password(token: str, purpose: LinkPurpose) -> ResponseReturnValue:
    now = utcnow()
    try:
        link = links.usable(token, purpose, now=now)
        form = ChoosePasswordForm()
        form.personal_words = (link.user.name, link.user.email)
        if form.validate_on_submit():
            services.choose_password(link, form.new_password.data, now=now)
            db.session.commit()
            return _chosen(link)
    except links.Unusable as refused:
        db.session.rollback()
        return _refused(refused.refusal, purpose)
    return _private(render_template("auth/choose_password.html", form=form, link=link, user=link.user,
                                    invitation=purpose is LinkPurpose.INVITATION, min_length=PASSWORD_MIN_LENGTH), 200)


def _chosen(link: AccountLink) -> ResponseReturnValue:
    if current_user.is_authenticated:  # whoever was signed in on this browser: the person now signs in anew
        logout_user()
    flash(_("Welcome to Samverka! Your password is saved: sign in with it.")
          if link.purpose is LinkPurpose.INVITATION
          else _("Your new password is saved, and you are signed out everywhere. Sign in with it."), "success")
    return redirect(url_for("auth.login"), 303)


def _refused(refusal: links.Refusal, purpose: LinkPurpose) -> ResponseReturnValue:
    hours = current_app.config["INVITATION_HOURS" if purpose is LinkPurpose.INVITATION else "PASSWORD_RESET_HOURS"]
    page = render_template("auth/link_refused.html", refusal=refusal.value, hours=hours,
                           invitation=purpose is LinkPurpose.INVITATION)
    return _private(page, 404 if refusal is links.Refusal.UNKNOWN else 410)


def _private(page: str, status: int) -> ResponseReturnValue:
    """A page reached through a secret link is kept in no cache."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response
