"""Generating monthly reports and keeping them as immutable snapshots. Services flush, never commit."""
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from flask import render_template
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.accounts.models import User
from tracker.actions.models import ActionStatus
from tracker.actions.rules import Stalled, Thresholds
from tracker.agreements.models import Agreement
from tracker.audit.services import record
from tracker.clock import utcnow
from tracker.editing import savepoint
from tracker.extensions import db
from tracker.i18n import babel_locale
from tracker.reports import chart
from tracker.reports.content import ReportContent, Row, build
from tracker.reports.models import Report, report_scope
from tracker.reports.names import AgreementAsOf
from tracker.reports.pdf import html_to_pdf
from tracker.reports.period import Month
from tracker.reports.rules import check_period


class ReportConflict(Exception):
    """Someone else archived a report for the same agreements and month at the same moment."""


def scope_of(agreements: list[Agreement]) -> str:
    return report_scope([a.id for a in agreements])


def report_title(agreements: Sequence[Agreement | AgreementAsOf]) -> str:
    """A report's title: its agreement's title, or "Portfolio of N agreements"."""
    if len(agreements) == 1:
        return agreements[0].title
    return ngettext("Portfolio of %(num)d agreement", "Portfolio of %(num)d agreements", len(agreements))


def render_html(content: ReportContent, *, language: str, generated_at: dt.datetime,
                generated_by: User | None, thresholds: Thresholds, version: int | None = None,
                board_only: bool = False) -> str:
    """The report as a self-contained HTML document in the given language. version: the archive's number (None for
    a report that is not archived); board_only: page 1 and the summary, without the long lists."""
    with force_locale(babel_locale(language)):
        groups = [(org.short_name, Counter(r.state.status for r in rows)) for org, rows in content.by_organisation]
        return render_template(
            "reports/report.html", **page_one(content), language=language, title=report_title(content.agreements),
            coming_up_heading=_coming_up_heading(content),
            progress=content.progress(), version=version, board_only=board_only,
            statuses=list(ActionStatus), generated_at=generated_at,
            generated_by=generated_by, stale_after_days=thresholds.stale_after_days,
            chart=chart.status_by_organisation(groups, _("Actions per owning organisation, by status")))


def page_one(content: ReportContent) -> dict[str, Any]:
    """What the top of page 1 shows (the period, at a glance, "Till styrgruppen"), in the locale in force: the
    PDF's template variables, which the monthly report's e-mail renders too (reports/mailing.py)."""
    return {"c": content, "period_label": format_date(content.month.first_day, "LLLL yyyy").capitalize(),
            "at_a_glance": at_a_glance(content), "compared_with": _compared_with(content),
            "stalled_why": lambda row: short_reasons(row, content)}


def _coming_up_heading(content: ReportContent) -> str:
    """Names exactly the days the coming-up list covers: the next month, or from tomorrow for a month under way."""
    if content.coming_from == content.month.next.first_day:
        return _("Coming up: deadlines in %(month)s", month=format_date(content.coming_from, "LLLL yyyy"))
    return _("Coming up: deadlines from %(start)s to %(end)s", start=format_date(content.coming_from, "d MMMM"),
             end=format_date(content.coming_to, "d MMMM yyyy"))


def change_label(now: int, before: int | None) -> str:
    """A figure's change since last month: "+3", "−2", "unchanged", or "no earlier month"."""
    if before is None:
        return _("no earlier month")
    if now == before:
        return _("unchanged")
    return f"+{now - before}" if now > before else f"\u2212{before - now}"


def at_a_glance(content: ReportContent) -> list[tuple[str, int, int | None, str]]:
    """ "Läget i korthet": (what, now, at the end of last month, change) for stalled, done and updates."""
    p = content.previous
    figures = [(_("Stalled actions"), len(content.stalled), p.stalled if p else None),
               (_("Done actions"), content.done, p.done if p else None),
               (_("Progress updates in the month"), len(content.updates), p.updates if p else None)]
    return [(label, now, before, change_label(now, before)) for label, now, before in figures]


def _compared_with(content: ReportContent) -> str:
    """Which end of last month the changes are counted from, in one line."""
    p = content.previous
    if p is None:
        return _("The agreement began this month: there is no earlier month to compare with.")
    day = format_date(p.as_of, "d MMMM yyyy")
    if p.source == "archived":
        return _("Compared with the archived report for %(day)s (version %(number)d).", day=day,
                 number=p.report_number or 0)
    return _("Compared with %(day)s as rebuilt from the history (no report of that month was archived).", day=day)


def short_reasons(row: Row, content: ReportContent) -> str:
    """Why an action has stalled, short, with days: "Overdue 12 d · Silent 45 d · Blocked · Waiting for Soc 20 d"."""
    s = row.standing
    parts = []
    for reason in s.reasons:
        if reason == Stalled.OVERDUE:
            parts.append(_("Overdue %(num)d d", num=s.days_overdue))
        elif reason == Stalled.SILENT:
            parts.append(_("Silent %(num)d d", num=s.days_silent))
        elif reason == Stalled.BLOCKED:
            parts.append(_("Blocked"))
        elif reason == Stalled.OWNERLESS:
            parts.append(_("No active owner"))
        elif reason == Stalled.WAITING:
            parties = ", ".join(o.short_name for o in content.waited_on(row))
            parts.append(_("Waiting for %(parties)s %(num)d d", parties=parties, num=s.days_waiting))
        else:  # a reason added to the rules later still shows, under its code
            parts.append(str(reason))
    return " · ".join(parts)


def render_pdf(agreements: list[Agreement], month: Month, *, language: str, today: dt.date, thresholds: Thresholds,
               generated_at: dt.datetime, generated_by: User | None, version: int | None = None,
               board_only: bool = False) -> bytes:
    """The PDF for these agreements and month; the same inputs give the same text."""
    return _render(build(agreements, month, today, thresholds), language=language, thresholds=thresholds,
                   generated_at=generated_at, generated_by=generated_by, version=version, board_only=board_only)


def _render(content: ReportContent, *, language: str, thresholds: Thresholds, generated_at: dt.datetime,
            generated_by: User | None, version: int | None, board_only: bool = False) -> bytes:
    html = render_html(content, language=language, generated_at=generated_at, generated_by=generated_by,
                       thresholds=thresholds, version=version, board_only=board_only)
    return html_to_pdf(html)


def generate(agreements: list[Agreement], month: Month, *, language: str, by: User | None, today: dt.date,
             thresholds: Thresholds) -> Report:
    """Render and archive a new report, numbered per month and language, and audit it; an earlier report of the
    same month is never overwritten. Raises OutOfPeriod for a month outside an agreement's period."""
    check_period(agreements, month, today)
    generated_at = utcnow()
    scope = scope_of(agreements)
    number = (db.session.scalar(select(func.max(Report.number)).where(
        Report.scope == scope, Report.month == str(month), Report.language == language)) or 0) + 1
    content = build(agreements, month, today, thresholds)
    pdf = _render(content, language=language, thresholds=thresholds, generated_at=generated_at, generated_by=by,
                  version=number)
    report = Report(scope=scope, agreement_id=agreements[0].id if len(agreements) == 1 else None,
                    agreements=sorted(agreements, key=lambda a: a.id), title=report_title(agreements)[:300],
                    month=str(month), number=number, language=language, generated_at=generated_at,
                    generated_by_id=by.id if by else None, size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
                    content=pdf, snapshot=content.snapshot().to_json())
    try:
        with savepoint():  # a conflict undoes this report only; the caller owns the rest
            db.session.add(report)
    except IntegrityError as exc:
        raise ReportConflict() from exc
    record(by, "generate", report, {"month": [None, report.month], "language": [None, language],
                                    "number": [None, number]})
    return report
