"""How a report job reads to a person, in the reader's language: what it covers, and why it failed (the job keeps
the agreements' titles, a failure code and the names the sentence needs)."""
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.reports.models import ReportJob


def job_title(job: ReportJob) -> str:
    """The agreement's title, or "Portfolio of N agreements" (as a report's title reads)."""
    count = len(job.agreement_ids)
    if count == 1:
        return job.title
    return ngettext("Portfolio of %(num)d agreement", "Portfolio of %(num)d agreements", count)


def failure_reason(job: ReportJob) -> str:
    """The sentence the job's page shows for its failure code; a code added later still reads as a failure."""
    detail = job.failure_detail or {}
    code = job.failure
    if code == "agreement_gone":
        return _("An agreement in the report no longer exists (id %(ids)s). Choose the agreements again.",
                 ids=", ".join(str(i) for i in detail.get("ids", [])))
    if code == "not_allowed":
        return _("You may no longer make this report: your access to one of its agreements changed after you "
                 "asked for it.")
    if code == "out_of_period":
        return _("These agreements did not run in %(month)s: %(titles)s.", month=detail.get("month", ""),
                 titles="; ".join(detail.get("titles", [])))
    if code == "conflict":
        return _("Another report for the same month was archived at the same moment. Please try again.")
    if code == "stopped":
        return _("The report was not finished: making it stopped after %(minutes)d minutes, probably because the "
                 "server was restarted. Please try again.", minutes=detail.get("minutes", 0))
    if code == "never_started":
        return _("The report was never started: no background worker took it within %(hours)d hours. Please try "
                 "again, and tell the administrator if it happens again.", hours=detail.get("hours", 0))
    if code == "queue_unreachable":
        return _("The report could not be put in the queue for background work. Please try again in a while, "
                 "and tell the administrator if it happens again.")
    return _("The PDF could not be made because of an error on the server (job %(id)d). The administrator finds the "
             "details in the server's log. Please try again, or tell the administrator.", id=job.id)
