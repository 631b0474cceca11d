"""How the audit trail names a person's e-mail choices (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.audit import naming
from tracker.reminders.weekdays import WEEKDAYS

naming.register_fields({"wants_digest": _l("Weekly summary"), "digest_weekday": _l("Weekly summary's day")})
naming.register_values("digest_weekday", WEEKDAYS)
