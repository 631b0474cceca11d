"""Archived reports as e-mail attachments: a message names {"kind": "report", "id": 12} and the PDF is read from the
archive when the message is delivered, so the outbox keeps no copy (registered when create_app imports this)."""
from tracker.extensions import db
from tracker.mail.attachments import Attachment, register_attachment
from tracker.reports.models import Report


def archived_pdf(report_id: int) -> Attachment | None:
    """The archived PDF exactly as it was stored; None when there is no such report."""
    report = db.session.get(Report, report_id)
    if report is None:
        return None
    return Attachment(filename=report.filename, content_type="application/pdf", data=report.content)


register_attachment("report", archived_pdf)
