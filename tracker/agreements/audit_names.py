"""How the audit trail names agreements and their fields (registered when create_app imports this module)."""
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.agreements.models import AGREEMENT_STATUS_LABELS, THEME_LABELS, Agreement
from tracker.audit import naming
from tracker.organisations.models import Organisation

naming.register_object_name("agreements", Agreement.title)
naming.register_object("agreements", _l("Agreement"))
naming.register_fields({
    "title": _l("Title"), "reference_number": _l("Reference number"), "purpose": _l("Purpose"),
    "theme": _l("Theme"), "area": _l("Area"), "starts_on": _l("Start date"), "ends_on": _l("End date"),
    "next_review_on": _l("Next review"),
    "next_meeting_on": _l("Next steering-group meeting"), "lead_organisation_id": _l("Lead organisation"),
    "parties": _l("Parties"), "party_ids": _l("Parties"), "steering_group": _l("Steering group"),
    "steering_group_ids": _l("Steering group"), "status": _l("Status"),
    "escalate_level2_days": _l("Level 2 after (days stalled)"),
    "escalate_level3_days": _l("Level 3 after (days stalled)"),
})
naming.register_values("status", AGREEMENT_STATUS_LABELS)
naming.register_values("theme", THEME_LABELS)
naming.register_id_fields(Organisation, "lead_organisation_id", "parties", "party_ids")
naming.register_id_fields(User, "steering_group", "steering_group_ids")
