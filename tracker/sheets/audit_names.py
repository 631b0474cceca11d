"""How the audit trail names what an import records on its agreement (registered when create_app imports this)."""
from flask_babel import lazy_gettext as _l

from tracker.audit import naming

naming.register_fields({"imported_actions": _l("Actions imported"), "file": _l("File")})
