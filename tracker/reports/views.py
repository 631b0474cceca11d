from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker import policy
from tracker.actions.today import thresholds
from tracker.agreements.models import Agreement
from tracker.agreements.queries import visible_agreement_ids
from tracker.clock import local_today
from tracker.extensions import db
from tracker.formfields import options
from tracker.loading import load_or_403, require
from tracker.reports import queries, services
from tracker.reports.forms import PortfolioForm, ReportForm, default_month
from tracker.reports.models import Report

bp = Blueprint("reports", __name__, template_folder="templates")


def _generate(agreements: list[Agreement], form: ReportForm) -> Report | None:
    try:
        report = services.generate(agreements, form.parsed_month, language=form.language.data, by=current_user,
                                   today=local_today(), thresholds=thresholds())
    except services.ReportConflict:
        flash(_("Another report for the same month was archived at the same moment. Please try again."), "error")
        return None
    db.session.commit()
    flash(_("The report for %(month)s is archived as version %(number)d.", month=report.month,
            number=report.number), "success")
    return report


@bp.post("/agreements/<int:agreement_id>/reports")
def generate(agreement_id: int):
    agreement = load_or_403(Agreement, agreement_id, policy.can_generate_report)
    form = ReportForm()
    if form.validate_on_submit():
        _generate([agreement], form)
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
    return redirect(url_for("agreements.show", agreement_id=agreement.id, _anchor="reports"), 303)


@bp.get("/reports/<int:report_id>.pdf")
def download(report_id: int):
    report = load_or_403(Report, report_id, policy.can_read_report)
    return Response(report.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{report.filename}"', "X-Checksum-SHA256": report.sha256})


@bp.route("/reports/", methods=["GET", "POST"])
def index():
    visible = {a.id: a for a in db.session.scalars(
        select(Agreement).where(Agreement.id.in_(visible_agreement_ids(current_user))).order_by(Agreement.title))}
    form = PortfolioForm(month=default_month())
    form.agreement_ids.choices = options((a.id, a.title) for a in visible.values())
    if request.method == "POST":
        require(policy.can_generate_portfolio(current_user))
        if form.validate_on_submit():
            chosen = [visible[i] for i in sorted(set(form.agreement_ids.data)) if i in visible]
            if _generate(chosen, form):
                return redirect(url_for("reports.index"), 303)
    reports = queries.readable(queries.portfolio_reports(), current_user, set(visible))
    return render_template("reports/index.html", form=form, reports=reports)
