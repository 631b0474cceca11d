from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import once, policy
from tracker.actions.today import thresholds
from tracker.agreements.models import Agreement
from tracker.clock import request_today
from tracker.editing import save_edit
from tracker.loading import load_or_403
from tracker.steering import queries, services
from tracker.steering.agenda import agenda as agenda_of
from tracker.steering.forms import DecisionForm, NextMeetingForm

bp = Blueprint("steering", __name__, template_folder="templates")


def _decision_form(agreement: Agreement, **kwargs: object) -> DecisionForm:
    return DecisionForm(agreement=agreement, actions=queries.open_actions_of(agreement),
                        people=queries.active_people_of(agreement), today=request_today(), **kwargs)


def _render(agreement: Agreement, decision_form: DecisionForm | None = None,
            meeting_form: NextMeetingForm | None = None) -> str:
    decisions = queries.decisions_of(agreement.id)
    agenda = agenda_of(agreement.id, request_today(), thresholds(),
                       last_meeting=decisions[0].decided_on if decisions else None)
    may_record = policy.can_record_decision(current_user, agreement)
    if may_record and decision_form is None:
        decision_form = _decision_form(agreement, formdata=None, decided_on=request_today())
        decision_form.once.data = once.issue()
        decision_form.preselect(request.args.get("action", type=int))
    if decision_form is not None:
        decision_form.agenda_first(agenda.action_ids)
    if may_record and meeting_form is None:
        meeting_form = NextMeetingForm(formdata=None, today=request_today(), version=agreement.version,
                                       next_meeting_on=agreement.next_meeting_on)
    return render_template("steering/page.html", agreement=agreement, decisions=decisions, agenda=agenda,
                           form=decision_form, meeting_form=meeting_form)


@bp.get("/agreements/<int:agreement_id>/steering")
def page(agreement_id: int) -> str:
    return _render(load_or_403(Agreement, agreement_id, policy.can_read_agreement))


@bp.post("/agreements/<int:agreement_id>/steering/decisions")
def record(agreement_id: int) -> ResponseReturnValue:
    agreement = load_or_403(Agreement, agreement_id, policy.can_record_decision)
    form = _decision_form(agreement)
    here = url_for("steering.page", agreement_id=agreement.id)
    if form.validate_on_submit():
        repeat = once.refuse_repeat(form.once.data, _("This form was already sent; the decision was recorded once."),
                                    here)
        if repeat:
            return repeat
        saved = save_edit(form, lambda: services.record_decision(
            agreement, decided_on=form.decided_on.data, meeting=form.meeting.data, text=form.text.data,
            effects=form.chosen_effects(), by=current_user),
            stale=_("An action changed while you were writing the decision. Nothing was saved; your input is kept "
                    "below, check it and send again."),
            refusals={services.EffectRefused: (None, _("An action changed while you were writing the decision. "
                                                        "Nothing was saved; check the actions and send again."))},
            done=_("Decision recorded and applied to its actions."), next_url=here)
        if saved:
            once.complete(form.once.data, here)
            return saved
        form.once.data = once.issue()  # nothing was saved: the corrected form may be sent again
    return _render(agreement, decision_form=form)


@bp.post("/agreements/<int:agreement_id>/steering/next-meeting")
def next_meeting(agreement_id: int) -> ResponseReturnValue:
    agreement = load_or_403(Agreement, agreement_id, policy.can_record_decision)
    form = NextMeetingForm(today=request_today())
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.set_next_meeting(agreement, form.next_meeting_on.data,
                                                                   by=current_user, version=form.version.data),
                          stale=_("Someone else changed this agreement meanwhile. Check the date and save again."),
                          saved=agreement, done=_("Next meeting saved."),
                          next_url=url_for("steering.page", agreement_id=agreement.id))
        if saved:
            return saved
    return _render(agreement, meeting_form=form)
