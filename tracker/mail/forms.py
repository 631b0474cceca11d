from flask_babel import lazy_gettext as _l
from wtforms import SearchField
from wtforms.validators import Length, Optional

from tracker.formfields import strip
from tracker.listfilters import FilterForm, FilterSelectField, enum_or_none
from tracker.mail.models import STATE_LABELS, MessageState
from tracker.search import MAX_SEARCH_LENGTH

STATE_CHOICES = [(None, _l("All states")), *STATE_LABELS.items()]


class OutboxFilterForm(FilterForm):
    q = SearchField(_l("Search recipient or subject"), filters=[strip],
                    validators=[Optional(), Length(max=MAX_SEARCH_LENGTH)])
    state = FilterSelectField(_l("State"), coerce=enum_or_none(MessageState), validators=[Optional()])
