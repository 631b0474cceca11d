"""Generating monthly reports and keeping them as immutable snapshots. Services flush, never commit."""
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence

from flask import render_template
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.accounts.models import User
from tracker.actions.models import ActionStatus
from tracker.actions.rules import Thresholds
from tracker.agreements.models import Agreement
from tracker.audit.services import record
from tracker.clock import utcnow
from tracker.editing import savepoint
from tracker.extensions import db
from tracker.i18n import babel_locale
from tracker.reports import chart
from tracker.reports.content import ReportContent, build
from tracker.reports.models import Report
from tracker.reports.names import AgreementAsOf
from tracker.reports.pdf import html_to_pdf
from tracker.reports.period import Month
from tracker.reports.rules import check_period


class ReportConflict(Exception):
    """Someone else archived a report for the same agreements and month at the same moment."""


def scope_of(agreements: list[Agreement]) -> str:
    ids = sorted(a.id for a in agreements)
    return f"agreement:{ids[0]}" if len(ids) == 1 else "portfolio:" + ",".join(map(str, ids))


def report_title(agreements: Sequence[Agreement | AgreementAsOf]) -> str:
    """A report's title: its agreement's title, or "Portfolio of N agreements"."""
    if len(agreements) == 1:
        return agreements[0].title
    return ngettext("Portfolio of %(num)d agreement", "Portfolio of %(num)d agreements", len(agreements))


def render_html(content: ReportContent, *, language: str, generated_at: dt.datetime,
                generated_by: User | None, thresholds: Thresholds) -> str:
    """The report as a self-contained HTML document in the given language."""
    with force_locale(babel_locale(language)):
        groups = [(org.short_name, Counter(r.state.status for r in rows)) for org, rows in content.by_organisation]
        return render_template(
            "reports/report.html", c=content, language=language, title=report_title(content.agreements),
            period_label=format_date(content.month.first_day, "LLLL yyyy").capitalize(),
            coming_up_heading=_coming_up_heading(content),
            statuses=list(ActionStatus), change_text=_change_text(content), generated_at=generated_at,
            generated_by=generated_by, stale_after_days=thresholds.stale_after_days,
            chart=chart.status_by_organisation(groups, _("Actions per owning organisation, by status")))


def _coming_up_heading(content: ReportContent) -> str:
    """Names exactly the days the coming-up list covers: the next month, or from tomorrow for a month under way."""
    if content.coming_from == content.month.next.first_day:
        return _("Coming up: deadlines in %(month)s", month=format_date(content.coming_from, "LLLL yyyy"))
    return _("Coming up: deadlines from %(start)s to %(end)s", start=format_date(content.coming_from, "d MMMM"),
             end=format_date(content.coming_to, "d MMMM yyyy"))


def _change_text(content: ReportContent) -> str:
    change = len(content.stalled) - content.stalled_before
    month = format_date(content.month.previous.first_day, "LLLL")
    if change == 0:
        return _("as many as at the end of %(month)s", month=month)
    if change > 0:
        return ngettext("%(num)d more than at the end of %(month)s", "%(num)d more than at the end of %(month)s",
                        change, month=month)
    return ngettext("%(num)d fewer than at the end of %(month)s", "%(num)d fewer than at the end of %(month)s",
                    -change, month=month)


def render_pdf(agreements: list[Agreement], month: Month, *, language: str, today: dt.date, thresholds: Thresholds,
               generated_at: dt.datetime, generated_by: User | None) -> bytes:
    """The PDF for these agreements and month; the same inputs give the same text."""
    content = build(agreements, month, today, thresholds)
    html = render_html(content, language=language, generated_at=generated_at, generated_by=generated_by,
                       thresholds=thresholds)
    return html_to_pdf(html)


def generate(agreements: list[Agreement], month: Month, *, language: str, by: User | None, today: dt.date,
             thresholds: Thresholds) -> Report:
    """Render and archive a new report, numbered per month and language, and audit it; an earlier report of the
    same month is never overwritten. Raises OutOfPeriod for a month outside an agreement's period."""
    check_period(agreements, month, today)
    generated_at = utcnow()
    pdf = render_pdf(agreements, month, language=language, today=today, thresholds=thresholds,
                     generated_at=generated_at, generated_by=by)
    scope = scope_of(agreements)
    number = (db.session.scalar(select(func.max(Report.number)).where(
        Report.scope == scope, Report.month == str(month), Report.language == language)) or 0) + 1
    report = Report(scope=scope, agreement_id=agreements[0].id if len(agreements) == 1 else None,
                    agreements=sorted(agreements, key=lambda a: a.id), title=report_title(agreements)[:300],
                    month=str(month), number=number, language=language, generated_at=generated_at,
                    generated_by_id=by.id if by else None, size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
                    content=pdf)
    try:
        with savepoint():  # a conflict undoes this report only; the caller owns the rest
            db.session.add(report)
    except IntegrityError as exc:
        raise ReportConflict() from exc
    record(by, "generate", report, {"month": [None, report.month], "language": [None, language],
                                    "number": [None, number]})
    return report
