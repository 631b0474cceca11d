"""How the audit trail names actions and their fields (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.actions.models import ACTION_STATUS_LABELS, REQUEST_OUTCOME_LABELS, Action, Request
from tracker.audit import naming
from tracker.organisations.models import Organisation

naming.register_object_name("actions", Action.title)
naming.register_object("actions", _l("Action"))
naming.register_fields({
    "title": _l("Title"), "status": _l("Status"), "description": _l("Description"),
    "owner_organisation_id": _l("Owning organisation"), "owner_id": _l("Owner"), "deadline": _l("Deadline"),
    "progress": _l("Progress (%)"), "blocked_reason": _l("Why blocked"), "blocked_since": _l("Blocked since"),
    "owner_lost_on": _l("Without an owner since"), "raised_at": _l("Raised to the steering group"),
    "raised_by_id": _l("Raised by"), "raised_reason": _l("Why raised"),
})
naming.register_values("status", ACTION_STATUS_LABELS)
naming.register_id_fields(Organisation, "owner_organisation_id")

naming.register_object_name("requests", Request.text)
naming.register_object("requests", _l("Request to another party"))
naming.register_fields({
    "action_id": _l("Action"), "from_organisation_id": _l("From"), "to_organisation_id": _l("To"),
    "text": _l("Request"), "answered_at": _l("Answered at"), "answered_by_id": _l("Answered by"),
    "answer": _l("Answer"), "outcome": _l("Outcome"),
})
naming.register_values("outcome", REQUEST_OUTCOME_LABELS)
naming.register_id_fields(Organisation, "from_organisation_id", "to_organisation_id")
naming.register_id_fields(User, "answered_by_id")
naming.register_id_fields(User, "owner_id", "raised_by_id")
