from functools import partial

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tracker import policy
from tracker.agreements.models import Agreement
from tracker.clock import request_today
from tracker.extensions import db
from tracker.formfields import options
from tracker.loading import load_or_403, require
from tracker.pagination import paginate
from tracker.reports import background, queries
from tracker.reports.forms import PortfolioForm, ReportFilterForm, ReportForm, default_month
from tracker.reports.job_words import failure_reason, job_title
from tracker.reports.models import Report, ReportJob

bp = Blueprint("reports", __name__, template_folder="templates")


def _ask(form: ReportForm) -> ResponseReturnValue:
    """Record the report as a job and send the person to its page; the PDF is made after this response (a worker,
    or this process once the response is sent), never inside the request."""
    job = background.ask(form.chosen(), form.parsed_month, language=form.language.data, by=current_user,
                         today=request_today())
    db.session.commit()
    response = redirect(url_for("reports.job", job_id=job.id), 303)
    if not background.start([job.id]):
        _run_after(response, job.id)
    return response


def _run_after(response: BaseResponse, job_id: int) -> BaseResponse:
    """Without Redis: run the job in this process once the response has been sent."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app, not its proxy: the request ends
    response.call_on_close(partial(background.run_after_response, app, job_id))
    return response


@bp.post("/agreements/<int:agreement_id>/reports")
def generate(agreement_id: int) -> ResponseReturnValue:
    agreement = load_or_403(Agreement, agreement_id, policy.can_generate_report)
    form = ReportForm()
    form.covered = [agreement]
    if form.validate_on_submit():
        return _ask(form)
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")
    return redirect(url_for("agreements.show", agreement_id=agreement.id, _anchor="reports"), 303)


@bp.get("/reports/<int:report_id>.pdf")
def download(report_id: int) -> Response:
    report = load_or_403(Report, report_id, policy.can_read_report)
    return Response(report.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{report.filename}"', "X-Checksum-SHA256": report.sha256})


@bp.route("/reports/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    choosable = queries.portfolio_choices(current_user)
    form = PortfolioForm(month=default_month(choosable))
    form.covered, form.agreement_ids.choices = choosable, options((a.id, a.title) for a in choosable)
    if request.method == "POST":
        require(policy.can_generate_portfolio(current_user))
        if form.validate_on_submit():
            return _ask(form)
    filters = ReportFilterForm.from_args(request.args, agreement=[(None, _("All")),
                                                                  *queries.readable_agreement_choices(current_user)])
    page = paginate(queries.search_reports(current_user, queries.ReportFilters(
        agreement_id=filters.value("agreement"), month=filters.value("month") or None)), per_page=25)
    return render_template("reports/index.html", form=form, filters=filters, page=page,
                           jobs=queries.recent_jobs(current_user), job_title=job_title)


def _job(job_id: int) -> ReportJob:
    job = load_or_403(ReportJob, job_id, policy.can_read_report_job)
    if background.settle(job):
        db.session.commit()
    return job


def _kicked(response: BaseResponse, job: ReportJob) -> BaseResponse:
    # Without Redis a job runs after the response that asked for it; if that process ended first (a restart), the
    # next look at the job runs it (taking a job is atomic, so it never runs twice).
    if background.left_waiting(job):
        _run_after(response, job.id)
    return response


@bp.get("/reports/jobs/<int:job_id>")
def job(job_id: int) -> ResponseReturnValue:
    job = _job(job_id)
    return _kicked(Response(render_template("reports/job.html", job=job, failure_reason=failure_reason,
                                            job_title=job_title)), job)


@bp.get("/reports/jobs/<int:job_id>.json")
def job_status(job_id: int) -> ResponseReturnValue:
    job = _job(job_id)
    return _kicked(jsonify(state=str(job.state), over=job.state.is_over, html=render_template(
        "reports/_job_status.html", job=job, failure_reason=failure_reason, job_title=job_title)), job)
