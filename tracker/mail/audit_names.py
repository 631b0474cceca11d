"""How the audit trail names outbox messages (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.audit import naming
from tracker.mail.models import STATE_LABELS, OutboxMessage

naming.register_object_name("outbox_messages", OutboxMessage.subject)
naming.register_object("outbox_messages", _l("E-mail"))
naming.register_fields({"state": _l("State")})
naming.register_values("state", STATE_LABELS)
