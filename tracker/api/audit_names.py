"""How the audit trail names personal API keys and their fields (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.api.models import SCOPE_LABELS, ApiToken
from tracker.audit import naming

naming.register_object_name("api_tokens", ApiToken.name)
naming.register_object("api_tokens", _l("API key"))
naming.register_fields({"user_id": _l("Person"), "scope": _l("May"), "expires_on": _l("Works until"),
                        "revoked_at": _l("Revoked")})
naming.register_values("scope", SCOPE_LABELS)
naming.register_id_fields(User, "user_id")
