"""Inviting a colleague: the page where a coordinator invites people to their own organisation (administrators
invite from the new-account form, to any organisation)."""
from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker import policy
from tracker.accounts import invitations, queries, services
from tracker.accounts.forms import InvitationForm
from tracker.accounts.models import ROLE_LABELS, Role, User
from tracker.accounts.views import EMAIL_TAKEN, invited_message, resend_invitation
from tracker.clock import utcnow
from tracker.editing import save_edit
from tracker.formfields import options
from tracker.loading import admins_only, load_or_404, require
from tracker.organisations.queries import organisation_choices

bp = Blueprint("invitations", __name__, template_folder="templates")
admins_only(bp, policy.can_invite_colleagues)


@bp.route("/", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = InvitationForm()
    form.organisation_id.choices = options((organisation_id, name) for organisation_id, name in organisation_choices()
                                           if policy.can_invite(current_user, organisation_id, Role.VIEWER))
    form.role.choices = options((role, label) for role, label in ROLE_LABELS.items()
                                if policy.can_invite(current_user, current_user.organisation_id, role))
    if request.method == "GET":
        form.organisation_id.data, form.role.data = current_user.organisation_id, Role.COORDINATOR
    if form.validate_on_submit():
        require(policy.can_invite(current_user, form.organisation_id.data, form.role.data))
        saved = save_edit(form, lambda: invitations.invite(form.data, by=current_user, now=utcnow()),
                          done=invited_message(form.name.data, form.email.data), next_url=url_for("invitations.new"),
                          refusals={services.EmailTaken: (form.email, EMAIL_TAKEN)})
        if saved:
            return saved
    waiting = queries.awaiting_password(current_user.organisation_id)
    return render_template("accounts/invite.html", form=form, waiting=waiting,
                           states=invitations.invitation_states(waiting, now=utcnow()))


@bp.post("/<int:user_id>/again")
def again(user_id: int) -> ResponseReturnValue:
    user = load_or_404(User, user_id)
    require(policy.can_send_invitation(current_user, user))
    return resend_invitation(user, back=url_for("invitations.new"))
