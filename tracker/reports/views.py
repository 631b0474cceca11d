from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.actions.today import thresholds
from tracker.agreements.models import Agreement
from tracker.clock import request_today
from tracker.extensions import db
from tracker.formfields import options
from tracker.loading import load_or_403, require
from tracker.pagination import paginate
from tracker.reports import queries, services
from tracker.reports.forms import PortfolioForm, ReportFilterForm, ReportForm, default_month
from tracker.reports.models import Report
from tracker.reports.rules import OutOfPeriod

bp = Blueprint("reports", __name__, template_folder="templates")


def _generate(form: ReportForm) -> Report | None:
    try:
        report = services.generate(form.chosen(), form.parsed_month, language=form.language.data, by=current_user,
                                   today=request_today(), thresholds=thresholds())
    except (services.ReportConflict, OutOfPeriod) as exc:
        db.session.rollback()
        flash(str(exc) or _("Another report for the same month was archived at the same moment. Please try again."),
              "error")
        return None
    db.session.commit()
    flash(_("The report for %(month)s is archived as version %(number)d.", month=report.month,
            number=report.number), "success")
    return report


@bp.post("/agreements/<int:agreement_id>/reports")
def generate(agreement_id: int) -> ResponseReturnValue:
    agreement = load_or_403(Agreement, agreement_id, policy.can_generate_report)
    form = ReportForm()
    form.covered = [agreement]
    if form.validate_on_submit():
        _generate(form)
    else:
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
        if form.validate_on_submit() and _generate(form):
            return redirect(url_for("reports.index"), 303)
    filters = ReportFilterForm.from_args(request.args, agreement=[(None, _("All")),
                                                                  *queries.readable_agreement_choices(current_user)])
    page = paginate(queries.search_reports(current_user, queries.ReportFilters(
        agreement_id=filters.value("agreement"), month=filters.value("month") or None)), per_page=25)
    return render_template("reports/index.html", form=form, filters=filters, page=page)
