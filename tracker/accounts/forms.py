from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SearchField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.accounts.models import ROLE_LABELS, Role
from tracker.auth.forms import NewPasswordFields
from tracker.listfilters import FilterForm, FilterSelectField, optional_int
from tracker.formfields import EmailAddress, VersionedForm, options, strip
from tracker.search import MAX_SEARCH_LENGTH

LANGUAGE_CHOICES = options([("", _l("As the browser prefers")), ("sv", "Svenska"), ("en", "English")])


def none_if_empty(value):
    return value or None


class UserForm(VersionedForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), filters=[strip], validators=[DataRequired(), Length(max=254), EmailAddress()])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[InputRequired()])
    role = SelectField(_l("Role"), coerce=Role, validators=[InputRequired()],
                       choices=options(ROLE_LABELS.items()))
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, coerce=none_if_empty)


class NewUserForm(UserForm, NewPasswordFields):
    pass


class TemporaryPasswordForm(VersionedForm, NewPasswordFields):
    pass


class AccountFilterForm(FilterForm):
    q = SearchField(_l("Search name, e-mail or organisation"), filters=[strip],
                    validators=[Optional(), Length(max=MAX_SEARCH_LENGTH)])
    organisation = FilterSelectField(_l("Organisation"), coerce=optional_int, validators=[Optional()])
