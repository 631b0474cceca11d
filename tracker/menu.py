"""The main menu: the entries of the site's navigation that the signed-in user may use."""
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy


def main_navigation() -> list[tuple[str, str]]:
    """The main menu: only the entries the signed-in user may use."""
    entries = [
        ("dashboard.index", _("My overview"), lambda user: True),
        ("agreements.index", _("Agreements"), lambda user: True),
        ("actions.index", _("Actions"), lambda user: True),
        ("reports.index", _("Reports"), lambda user: True),
        ("organisations.index", _("Organisations"), policy.can_manage_organisations),
        ("accounts.index", _("Users"), policy.can_manage_accounts),
        # Administrators invite from the Users page, to any organisation.
        ("invitations.new", _("Invite"),
         lambda user: policy.can_invite_colleagues(user) and not policy.can_manage_accounts(user)),
        ("audit.index", _("Audit log"), policy.can_read_audit_log),
        ("mail.index", _("Outbox"), policy.can_read_outbox),
    ]
    return [(endpoint, label) for endpoint, label, allowed in entries if allowed(current_user)]
