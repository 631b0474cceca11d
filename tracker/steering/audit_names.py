"""How the audit trail names decisions and their fields (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.audit import naming
from tracker.steering.models import Decision

naming.register_object_name("decisions", Decision.meeting)
naming.register_object("decisions", _l("Steering-group decision"))
naming.register_fields({"decided_on": _l("Decided on"), "meeting": _l("Meeting"), "text": _l("Decision"),
                        "effects": _l("Actions changed")})
