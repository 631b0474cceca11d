from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.editing import save_edit
from tracker.loading import require
from tracker.reminders import services
from tracker.reminders.forms import PreferencesForm

bp = Blueprint("reminders", __name__, template_folder="templates")


@bp.route("/account/e-mail", methods=["GET", "POST"])
def preferences() -> ResponseReturnValue:
    person = current_user._get_current_object()  # always one's own: the page names nobody else
    require(policy.can_change_mail_preferences(current_user, person))
    form = PreferencesForm(obj=person)
    if form.validate_on_submit():
        saved = save_edit(form, lambda: services.set_preferences(
                              person, wants_digest=form.wants_digest.data, weekday=form.digest_weekday.data,
                              by=person, version=form.version.data),
                          stale=_("Your settings were changed elsewhere meanwhile. Check them and save again."),
                          saved=person, done=_("Your e-mail settings are saved."),
                          next_url=url_for("reminders.preferences"))
        if saved:
            return saved
    return render_template("reminders/preferences.html", form=form, person=person)
