from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SearchField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.formfields import EmailAddress, OneLine, VersionedForm, options, strip
from tracker.listfilters import FilterForm
from tracker.organisations.models import KIND_LABELS, OrganisationKind
from tracker.search import MAX_SEARCH_LENGTH


class OrganisationForm(VersionedForm):
    name = StringField(_l("Name"), filters=[strip], validators=[OneLine(), DataRequired(), Length(max=200)])
    short_name = StringField(_l("Short name"), filters=[strip], validators=[OneLine(), DataRequired(), Length(max=40)],
                             description=_l("Shown in tables, e.g. “Polisen Järva”."))
    kind = SelectField(_l("Kind"), coerce=OrganisationKind, validators=[InputRequired()],
                       choices=options(KIND_LABELS.items()))
    municipality = StringField(_l("Municipality"), filters=[strip], validators=[OneLine(), Optional(), Length(max=100)])
    contact_email = EmailField(_l("Contact e-mail"), filters=[strip],
                               validators=[Optional(), Length(max=254), EmailAddress()])


class OrganisationFilterForm(FilterForm):
    q = SearchField(_l("Search name, short name or municipality"), filters=[strip],
                    validators=[Optional(), Length(max=MAX_SEARCH_LENGTH)])
