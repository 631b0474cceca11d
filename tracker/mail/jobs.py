"""The mail job a worker runs after a commit that queued messages (tracker.jobs)."""
from flask import current_app

from tracker.mail.delivery import NotConfigured, deliver_all


def deliver() -> str:
    """Deliver everything that is due; what was done, in words, for the job's result."""
    try:
        result = deliver_all()
    except NotConfigured:
        current_app.logger.info("no SMTP server configured: messages wait in the outbox")
        return "no SMTP server configured"
    return f"sent {result.sent}, retrying {result.retrying}, failed {result.failed}" + (
        f", server unreachable: {result.unreachable}" if result.unreachable else "")
