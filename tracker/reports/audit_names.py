"""How the audit trail names reports and their fields (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.audit import naming

naming.register_object("reports", _l("Report"))
naming.register_fields({"month": _l("Month"), "number": _l("Version")})
