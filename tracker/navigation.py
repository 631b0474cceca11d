"""Redirect targets: only paths on this site, so a link can never send a user elsewhere."""
from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "dashboard.index") -> str:
    """target when it is a local path, else the default page."""
    if target and len(target) <= 2000:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for(default_endpoint)


def main_navigation() -> list[tuple[str, str]]:
    """The main menu: only the entries the signed-in user may use."""
    from flask_babel import gettext as _
    from flask_login import current_user

    from tracker import policy

    entries = [
        ("dashboard.index", _("My overview"), lambda user: True),
        ("agreements.index", _("Agreements"), lambda user: True),
        ("actions.index", _("Actions"), lambda user: True),
        ("reports.index", _("Reports"), lambda user: True),
        ("organisations.index", _("Organisations"), policy.can_manage_organisations),
        ("accounts.index", _("Users"), policy.can_manage_accounts),
        ("audit.index", _("Audit log"), policy.can_read_audit_log),
    ]
    return [(endpoint, label) for endpoint, label, allowed in entries if allowed(current_user)]
