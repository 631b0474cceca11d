import datetime as dt
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from tracker import policy
from tracker.accounts.models import User
from tracker.api.models import SCOPE_LABELS, TokenScope
from tracker.api.tokens import latest_expiry
from tracker.formfields import BoundedDateField, NoPersonalNumber, OnceForm, OneLine, options, strip, to_int_or_none


def _scope_or_none(value: Any) -> TokenScope | None:  # WTForms hands a coerce function anything
    try:
        return TokenScope(value)
    except ValueError:  # a forged value: "Not a valid choice" next to the field
        return None


class TokenForm(OnceForm):
    name = StringField(_l("Name"), filters=[strip],
                       validators=[DataRequired(), Length(max=100), OneLine(), NoPersonalNumber()],
                       description=_l("What the key is for, e.g. the system that uses it."))
    scope = RadioField(_l("May"), coerce=_scope_or_none, validators=[InputRequired()], default=TokenScope.READ.value,
                       choices=options(SCOPE_LABELS.items()))
    expires_on = BoundedDateField(_l("Works until"), validators=[InputRequired()],
                                  description=_l("At most a year ahead. The key stops working after this day."))

    def __init__(self, *args: Any, today: dt.date, person: User | None = None, **kwargs: Any) -> None:
        """person: whose key it is (None: chosen in the form, the administrators' page)."""
        super().__init__(*args, **kwargs)
        self.today, self.person = today, person
        if self.expires_on.data is None and not self.expires_on.raw_data:  # a new form, not one sent empty
            self.expires_on.data = today + dt.timedelta(days=90)
        if person is not None and not policy.can_hold_write_token(person):
            self.scope.choices = options([(TokenScope.READ, SCOPE_LABELS[TokenScope.READ])])
            self.scope.description = _l("A steering-group member's keys only read.")

    def validate_expires_on(self, field: Field) -> None:
        if field.data and not self.today <= field.data <= latest_expiry(self.today):
            raise ValidationError(_l("Choose a day from today to %(date)s.",
                                     date=format_date(latest_expiry(self.today))))

    def validate_scope(self, field: Field) -> None:
        person = self.person
        if person is not None and field.data is TokenScope.WRITE and not policy.can_hold_write_token(person):
            raise ValidationError(_l("A steering-group member's keys only read."))


class PersonTokenForm(TokenForm):
    """The administrators' form: a key for any active person."""
    person_id = SelectField(_l("Person"), coerce=to_int_or_none, validate_choice=False, validators=[InputRequired()])

    field_order = ("person_id", "name", "scope", "expires_on")

    def validate_person_id(self, field: Field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose an active person."))
