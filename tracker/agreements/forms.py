from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from tracker import policy
from tracker.accounts.models import User
from tracker.agreements.models import AGREEMENT_STATUS_LABELS, THEME_LABELS, AgreementStatus, Theme
from tracker.formfields import (
    BoundedDateField,
    IntegerBetween,
    MultiCheckboxField,
    NoPersonalNumber,
    OnceForm,
    OneLine,
    VersionedForm,
    options,
    strip,
)
from tracker.listfilters import FilterForm, FilterSelectField, enum_or_none, optional_int

PURPOSE_MAX = 5000


class AgreementFields(VersionedForm):
    title = StringField(_l("Title"), filters=[strip],
                        validators=[OneLine(), DataRequired(), Length(max=300), NoPersonalNumber()])
    reference_number = StringField(_l("Reference number (diarienummer)"), filters=[strip],
                                   validators=[OneLine(), Optional(), Length(max=60), NoPersonalNumber()])
    purpose = TextAreaField(_l("Purpose"), filters=[strip],
                            validators=[Optional(), Length(max=PURPOSE_MAX), NoPersonalNumber()],
                            description=_l("What the parties want to achieve together, in a few sentences."))
    theme = SelectField(_l("Theme"), coerce=Theme, validators=[InputRequired()], choices=options(THEME_LABELS.items()))
    area = StringField(_l("Area or municipality"), filters=[strip],
                       validators=[OneLine(), Optional(), Length(max=100), NoPersonalNumber()])
    starts_on = BoundedDateField(_l("Start date"), validators=[InputRequired()])
    ends_on = BoundedDateField(_l("End date"), validators=[Optional()])
    next_review_on = BoundedDateField(_l("Next review"), validators=[Optional()],
                               description=_l("When the steering group next follows up the agreement."))
    lead_organisation_id = SelectField(_l("Lead organisation"), coerce=int, validators=[InputRequired()])
    escalate_level2_days = IntegerField(
        _l("Tell the coordinators after (days stalled)"), validators=[Optional(), IntegerBetween(1, 365)],
        render_kw={"min": 1, "max": 365, "inputmode": "numeric"})
    escalate_level3_days = IntegerField(
        _l("Put on the steering group's agenda after (days stalled)"),
        validators=[Optional(), IntegerBetween(1, 365)], render_kw={"min": 1, "max": 365, "inputmode": "numeric"})
    party_ids = MultiCheckboxField(_l("Parties"), coerce=int,
                                   description=_l("The lead organisation is always a party."))
    steering_group_ids = MultiCheckboxField(
        _l("Steering group"), coerce=int,
        description=_l("People of the parties and steering groups of the agreements you follow. "
                       "Save the agreement with a new party first to choose among that party's people."))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        """user: who saves the agreement; unless an admin, their own organisation must stay a party."""
        super().__init__(*args, **kwargs)
        self.user, self.is_new = user, kwargs.get("obj") is None
        config = current_app.config
        self.defaults = (int(config["ESCALATE_LEVEL2_DAYS"]), int(config["ESCALATE_LEVEL3_DAYS"]))
        self.escalate_level2_days.description = _l(
            "Escalation level 2: the owning organisation's coordinators. Empty: %(days)d days.", days=self.defaults[0])
        self.escalate_level3_days.description = _l(
            "Escalation level 3: needs a steering-group decision. Empty: %(days)d days.", days=self.defaults[1])

    def validate_party_ids(self, field: Field) -> None:
        if not policy.can_set_parties(self.user, {*(field.data or []), self.lead_organisation_id.data}):
            raise ValidationError(_l("Your own organisation must be one of the parties.") if self.is_new
                                  else _l("Your own organisation must remain one of the parties."))

    def validate_escalate_level3_days(self, field: Field) -> None:
        level2 = self.escalate_level2_days.data or self.defaults[0]
        if field.data is not None and not self.escalate_level2_days.errors and field.data <= level2:
            raise ValidationError(_l("Level 3 must come after level 2 (%(days)d days).", days=level2))

    def validate_ends_on(self, field: Field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def validate_next_review_on(self, field: Field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The next review cannot be before the start date."))


class AgreementForm(AgreementFields, OnceForm):
    pass


class StatusForm(VersionedForm):
    status = SelectField(coerce=AgreementStatus, choices=options((s, s.value) for s in AgreementStatus),
                         validators=[InputRequired()])
    confirmed = HiddenField()  # "yes" from the confirmation page that ending with open actions asks for


class AgreementFilterForm(FilterForm):
    status = FilterSelectField(_l("Status"), coerce=enum_or_none(AgreementStatus), validators=[Optional()],
                         choices=options([(None, _l("All")), *AGREEMENT_STATUS_LABELS.items()]))
    theme = FilterSelectField(_l("Theme"), coerce=enum_or_none(Theme), validators=[Optional()],
                        choices=options([(None, _l("All")), *THEME_LABELS.items()]))
    organisation = FilterSelectField(_l("Party"), coerce=optional_int, validators=[Optional()])
    stalled = BooleanField(_l("With stalled commitments only"))
