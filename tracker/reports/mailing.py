"""The monthly report by e-mail: each steering group's active members get their agreement's archived report for the
month, attached by reference, with page 1's figures at a glance and "Till styrgruppen" in the body, rendered from
the same report content the PDF was made from. Queued in the caller's transaction, once per agreement, month and
person, whatever becomes of the message. Services flush, never commit."""
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker import policy
from tracker.accounts.models import User
from tracker.actions.rules import Thresholds
from tracker.agreements.models import Agreement
from tracker.audit.services import record
from tracker.clock import local_date
from tracker.extensions import db
from tracker.i18n import babel_locale
from tracker.mail import outbox
from tracker.mail.attachments import reference
from tracker.mail.compose import Recipient, recipient
from tracker.mail.links import absolute_url
from tracker.reports.content import ReportContent, build
from tracker.reports.models import Report, report_scope
from tracker.reports.period import Month
from tracker.reports.services import page_one

KIND = "report"
IN_LANGUAGE = {"sv": _l("in Swedish"), "en": _l("in English")}
TITLE_IN_SUBJECT = 80  # characters of the agreement's title; the rest is cut with "…"


@dataclass
class Sending:
    """What sending one agreement's month did: messages queued now, members who had theirs already, members left
    out (deactivated, or who may no longer read the agreement), and which archived versions went to how many."""

    agreement: Agreement
    month: Month
    queued: int = 0
    already_sent: int = 0
    left_out: int = 0
    attached: Counter[Report] = field(default_factory=Counter)
    no_report: bool = False


def dedup_key(agreement: Agreement, month: Month, person: User) -> str:
    return f"report:{agreement.id}:{month}:{person.id}"


def archived_by_language(agreement: Agreement, month: Month) -> dict[str, Report]:
    """The agreement's own report for the month (not a portfolio's) in each language: the newest version of each."""
    newest: dict[str, Report] = {}
    for report in db.session.scalars(select(Report).where(
            Report.scope == report_scope([agreement.id]), Report.month == str(month))
            .order_by(Report.number.desc(), Report.id.desc())):
        newest.setdefault(report.language, report)
    return newest


def choose(archived: dict[str, Report], language: str) -> Report:
    """The report for a reader of `language`: the newest version in it, else the newest in the default language,
    else the newest archived in any language."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    found = archived.get(language) or archived.get(default)
    return found or max(archived.values(), key=lambda r: (r.generated_at, r.id))


def send_month(agreement: Agreement, month: Month, *, thresholds: Thresholds, by: User | None = None) -> Sending:
    """Queue the month's report mail to each active member of the agreement's steering group who may read the
    report and has not had it yet; audited once, with the count, when anything was queued."""
    sending = Sending(agreement, month)
    archived = archived_by_language(agreement, month)
    if not archived:
        sending.no_report = True
        return sending
    contents: dict[int, ReportContent] = {}
    for member in agreement.steering_group:
        to = recipient(member)
        report = choose(archived, to.language)
        if not (member.is_active and policy.can_read_report(member, report)):
            sending.left_out += 1
            continue
        if outbox.is_queued(dedup_key(agreement, month, member)):
            sending.already_sent += 1
            continue
        if report.id not in contents:
            contents[report.id] = content_of(report, agreement, thresholds)
        if _queue(to, member, agreement, report, contents[report.id]):
            sending.queued += 1
            sending.attached[report] += 1
    if sending.queued:
        record(by, "send_report", agreement, {"month": [None, str(month)], "recipients": [None, sending.queued]})
    return sending


def content_of(report: Report, agreement: Agreement, thresholds: Thresholds) -> ReportContent:
    """The content the archived report was rendered from: its month as of the day it describes, compared with the
    previous month's reports archived before it."""
    as_of = (dt.date.fromisoformat(report.snapshot["as_of"]) if report.snapshot
             else local_date(report.generated_at))
    return build([agreement], Month.parse(report.month), as_of, thresholds, archived_before=report.generated_at)


def _queue(to: Recipient, member: User, agreement: Agreement, report: Report, content: ReportContent) -> bool:
    # The subject and the figures' labels are words: made in the recipient's language, as the templates are.
    with force_locale(babel_locale(to.language)):
        title = subject(content)
        message = outbox.queue(to, kind=KIND, dedup_key=dedup_key(agreement, content.month, member),
                               template="reports/mail/monthly", subject=title, subject_text=title,
                               attachments=[reference(KIND, report.id)], **letter(to, agreement, report, content))
    return message is not None


def subject(content: ReportContent) -> str:
    """ "Månadsrapport november 2026: Tidiga insatser … (3 frågor till styrgruppen)", in the locale in force."""
    title = content.agreements[0].title
    if len(title) > TITLE_IN_SUBJECT:
        title = title[:TITLE_IN_SUBJECT - 1].rstrip() + "…"
    month = format_date(content.month.first_day, "LLLL yyyy")
    items = items_for_the_steering_group(content)
    if not items:
        return _("Monthly report %(month)s: %(title)s", month=month, title=title)
    return ngettext("Monthly report %(month)s: %(title)s (%(num)d item for the steering group)",
                    "Monthly report %(month)s: %(title)s (%(num)d items for the steering group)", items,
                    month=month, title=title)


def items_for_the_steering_group(content: ReportContent) -> int:
    """How many actions "Till styrgruppen" names in all (on the agenda, waiting on a stale request, with a moved
    deadline, without an owner), each once however many lists it is in, before page 1 cuts each list short."""
    s = content.steering
    return len({r.state.id for r in s.level_three + s.ownerless}
               | {w.action_id for w in s.stale_requests} | {m.action_id for m in s.moves})


def letter(to: Recipient, agreement: Agreement, report: Report, content: ReportContent) -> dict[str, Any]:
    """The template's variables: page 1's (as the PDF has them), the version attached, the links, and why."""
    other_language = report.language != to.language
    return {**page_one(content), "title": content.agreements[0].title, "report": report,
            "report_language": IN_LANGUAGE.get(report.language, report.language) if other_language else None,
            "wanted_language": IN_LANGUAGE.get(to.language, to.language),
            "agreement_url": absolute_url("agreements.show", agreement_id=agreement.id),
            "report_url": absolute_url("reports.download", report_id=report.id),
            "why": _("You get this message because you sit on the steering group of %(title)s. The agreement's lead "
                     "organisation, %(lead)s, decides who sits on it.", title=agreement.title,
                     lead=agreement.lead_organisation.name)}
