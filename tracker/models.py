"""Every model module, imported once so that Alembic and the tests see the whole schema."""
from tracker.accounts.models import AccountLink, User, UserSession  # noqa: F401
from tracker.actions.models import Action, DeadlineChange, ProgressUpdate, Request  # noqa: F401
from tracker.agreements.models import Agreement  # noqa: F401
from tracker.api.models import ApiToken  # noqa: F401
from tracker.audit.models import AuditEvent  # noqa: F401
from tracker.calendars.models import CalendarToken  # noqa: F401
from tracker.mail.models import OutboxMessage  # noqa: F401
from tracker.organisations.models import Organisation  # noqa: F401
from tracker.reports.models import Report, ReportJob  # noqa: F401
from tracker.sheets.models import ImportBatch  # noqa: F401
from tracker.steering.models import Decision, DecisionEffect  # noqa: F401
