"""How the audit trail names user accounts, sessions and their fields (registered when create_app imports this
module)."""
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import ROLE_LABELS, User
from tracker.audit import naming
from tracker.organisations.models import Organisation

naming.register_object_name("users", User.name)
naming.register_object("users", _l("User account"))
naming.register_fields({
    "name": _l("Name"), "email": _l("E-mail"), "organisation_id": _l("Organisation"), "role": _l("Role"),
    "language": _l("Language"), "is_active": _l("Active"), "address": _l("Address"), "session": _l("Session"),
    "sessions": _l("Sessions ended"),
})
naming.register_values("role", ROLE_LABELS)
naming.register_id_fields(Organisation, "organisation_id")
