from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SearchField
from wtforms.validators import Length, Optional, ValidationError

from tracker.audit.labels import VERBS
from tracker.audit.naming import OBJECT_TYPES
from tracker.formfields import BoundedDateField, IntegerBetween, OneLine, none_if_empty, options, strip
from tracker.listfilters import FilterForm, FilterSelectField, optional_int
from tracker.loading import LARGEST_ID
from tracker.search import MAX_SEARCH_LENGTH


class AuditFilterForm(FilterForm):
    who = SearchField(_l("Who"), filters=[strip], description=_l("Name or e-mail address, or part of one"),
                      validators=[Optional(), OneLine(), Length(max=MAX_SEARCH_LENGTH)])
    organisation = FilterSelectField(_l("Organisation of the person"), coerce=optional_int, validators=[Optional()])
    object_type = FilterSelectField(_l("Kind of object"), filters=[none_if_empty], validators=[Optional()],
                              choices=lambda: options([("", _l("All")), *OBJECT_TYPES.items()]))
    object_id = IntegerField(_l("Object number"), validators=[Optional(), IntegerBetween(1, LARGEST_ID)])
    verb = FilterSelectField(_l("What happened"), filters=[none_if_empty], validators=[Optional()],
                       choices=options([("", _l("All")), *VERBS.items()]))
    from_day = BoundedDateField(_l("From"), validators=[Optional()])
    to_day = BoundedDateField(_l("To"), validators=[Optional()])

    def validate_to_day(self, field: Any) -> None:
        if field.data and self.from_day.data and field.data < self.from_day.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
