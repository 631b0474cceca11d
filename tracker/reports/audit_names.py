"""How the audit trail names reports and their fields (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.audit import naming
from tracker.reports.models import Report

naming.register_object_name("reports", Report.title)
naming.register_object("reports", _l("Report"))
naming.register_fields({"month": _l("Month"), "number": _l("Version"), "recipients": _l("Recipients")})
