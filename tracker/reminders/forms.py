from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.validators import ValidationError

from tracker.formfields import VersionedForm, options, to_int_or_none
from tracker.reminders.weekdays import WEEKDAYS


def a_weekday(form: Any, field: Any) -> None:
    if field.data not in WEEKDAYS:
        raise ValidationError(_l("Choose a day of the week."))


class PreferencesForm(VersionedForm):
    wants_digest = BooleanField(_l("Send me the weekly summary"))
    digest_weekday = SelectField(_l("Day of the week"), coerce=to_int_or_none, validate_choice=False,
                                 choices=options(WEEKDAYS.items()), validators=[a_weekday],
                                 description=_l("The summary is sent on this day, when there is something to tell."))
