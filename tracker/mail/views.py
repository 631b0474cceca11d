from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.extensions import db
from tracker.formfields import ConfirmForm
from tracker.loading import admins_only, load_or_404
from tracker.mail import outbox, queries
from tracker.mail.compose import recipient
from tracker.mail.forms import STATE_CHOICES, OutboxFilterForm
from tracker.mail.models import OutboxMessage
from tracker.pagination import paginate

bp = Blueprint("mail", __name__, template_folder="templates")
admins_only(bp, policy.can_read_outbox)


@bp.get("/")
def index() -> ResponseReturnValue:
    form = OutboxFilterForm.from_args(request.args, state=STATE_CHOICES)
    page = paginate(queries.search_messages(form.value("q") or "", form.value("state")), per_page=25)
    return render_template("mail/outbox.html", page=page, form=form, counts=queries.counts_by_state(),
                           smtp_host=current_app.config["MAIL_SMTP_HOST"], button=ConfirmForm(formdata=None))


@bp.post("/test")
def send_test() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
    else:
        outbox.queue_test_message(recipient(current_user), by=current_user)
        db.session.commit()
        flash(_("A test message to %(address)s is in the outbox.", address=current_user.email), "success")
    return redirect(url_for("mail.index"), 303)


@bp.get("/<int:message_id>")
def show(message_id: int) -> ResponseReturnValue:
    message = load_or_404(OutboxMessage, message_id)
    return render_template("mail/message.html", message=message, button=ConfirmForm(formdata=None))


@bp.post("/<int:message_id>/retry")
def retry(message_id: int) -> ResponseReturnValue:
    message = load_or_404(OutboxMessage, message_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
    elif outbox.retry(message, by=current_user):
        db.session.commit()
        flash(_("The message is queued again and goes out with the next delivery."), "success")
    else:
        flash(_("Only a failed message can be sent again."), "info")
    return redirect(url_for("mail.show", message_id=message.id), 303)
