"""How the audit trail names organisations and their fields (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.audit import naming
from tracker.organisations.models import KIND_LABELS, Organisation

naming.register_object_name("organisations", Organisation.name)
naming.register_object("organisations", _l("Organisation"))
naming.register_fields({
    "name": _l("Name"), "short_name": _l("Short name"), "kind": _l("Kind"), "municipality": _l("Municipality"),
    "contact_email": _l("Contact e-mail"), "is_active": _l("Active"),
})
naming.register_values("kind", KIND_LABELS)
