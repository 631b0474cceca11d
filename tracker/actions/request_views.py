"""Requests between partners: the full list of open requests to my organisation ("väntar på oss"), and the page
where the addressed organisation answers one. Pages of the actions blueprint; create_app imports this module."""
from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.actions.forms import AnswerForm
from tracker.actions.models import Request
from tracker.actions.partner_requests import AlreadyAnswered, answer_request
from tracker.actions.request_queries import waiting_on
from tracker.actions.today import thresholds
from tracker.actions.views import PER_PAGE, bp
from tracker.clock import request_today
from tracker.editing import save_edit
from tracker.loading import load_or_403
from tracker.pagination import paginate


@bp.get("/requests/")
def waiting_on_us() -> str:
    page = paginate(waiting_on(current_user, current_user.organisation_id), per_page=PER_PAGE)
    return render_template("actions/requests.html", page=page, today=request_today(),
                           stale_days=thresholds().request_stale_days)


@bp.route("/requests/<int:request_id>/answer", methods=["GET", "POST"])
def answer(request_id: int) -> ResponseReturnValue:
    request = load_or_403(Request, request_id, policy.can_answer_request)
    form = AnswerForm()
    if form.validate_on_submit():
        saved = save_edit(form, lambda: answer_request(request, outcome=form.outcome.data, answer=form.answer.data,
                                                       by=current_user),
                          refusals={AlreadyAnswered: (None, _("Someone at your organisation answered this request "
                                                               "first."))},
                          done=_("Answer saved."), next_url=url_for("actions.show", action_id=request.action_id))
        if saved:
            return saved
    return render_template("actions/answer.html", request=request, form=form)
