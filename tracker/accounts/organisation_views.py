"""Deactivating and reactivating an organisation: a page of the organisations blueprint that needs accounts
(members' sessions end; the last administrators must stay), so accounts adds it to that blueprint. create_app
imports this module before it registers the blueprints."""
from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.accounts import services
from tracker.editing import StaleEdit
from tracker.extensions import db
from tracker.formfields import ConfirmForm
from tracker.loading import load_or_404
from tracker.organisations.models import Organisation
from tracker.organisations.views import bp


@bp.post("/<int:organisation_id>/<any(activate, deactivate):change>")
def set_active(organisation_id: int, change: str) -> ResponseReturnValue:
    organisation = load_or_404(Organisation, organisation_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
    else:
        try:
            services.set_organisation_active(organisation, change == "activate", by=current_user,
                                             version=form.version.data)
        except StaleEdit:
            flash(_("Someone else changed this organisation meanwhile. Check it and try again."), "error")
        except services.LastAdmin:
            flash(_("Every administrator who can sign in belongs to this organisation; make someone in another "
                    "organisation an administrator first."), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is active again.", name=organisation.name) if organisation.is_active
                  else _("%(name)s is deactivated; its history is kept.", name=organisation.name), "success")
    return redirect(url_for("organisations.edit", organisation_id=organisation.id), 303)
