from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from tracker.actions.models import ACTION_STATUS_LABELS, ActionStatus
from tracker.actions.queries import OwnerChoices
from tracker.agreements.models import THEME_LABELS, Agreement, Theme
from tracker.formfields import (
    BoundedDateField,
    IntegerBetween,
    NoPersonalNumber,
    OnceForm,
    VersionedForm,
    grouped_options,
    options,
    strip,
    to_int_or_none,
)
from tracker.listfilters import FilterForm, FilterSelectField, enum_or_none, optional_int

TEXT_MAX = 5000
UPDATE_MAX = 2000
REASON_MAX = 1000


class ActionForm(VersionedForm, OnceForm):
    """The descriptive fields only: status and progress move through progress updates (ProgressForm)."""

    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=300), NoPersonalNumber()])
    description = TextAreaField(_l("Description"), filters=[strip],
                                validators=[Optional(), Length(max=TEXT_MAX), NoPersonalNumber()])
    owner_organisation_id = SelectField(_l("Owning organisation"), coerce=to_int_or_none, validate_choice=False,
                                        validators=[InputRequired()])
    owner_id = SelectField(_l("Owner"), coerce=to_int_or_none, validate_choice=False, validators=[InputRequired()],
                           description=_l("A named person at the owning organisation."))
    deadline = BoundedDateField(_l("Deadline"), validators=[InputRequired()])

    def __init__(self, *args: Any, agreement: Agreement, owners: OwnerChoices, **kwargs: Any) -> None:
        """owners: the OwnerChoices for this agreement and user (see actions.queries.owner_choices)."""
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.owner_organisation_id.choices = options(owners.organisations)
        self.owner_id.choices = grouped_options(owners.people)
        self._people_by_org = owners.people_by_organisation

    def validate_owner_organisation_id(self, field: Field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose one of the agreement's parties that you may create actions for."))

    def validate_owner_id(self, field: Field) -> None:
        if field.data not in self._people_by_org.get(self.owner_organisation_id.data, set()):
            raise ValidationError(_l("The owner must be an active person at the owning organisation."))

    def validate_deadline(self, field: Field) -> None:
        agreement = self.agreement
        if field.data and field.data < agreement.starts_on:
            raise ValidationError(_l("The deadline cannot be before the agreement starts (%(date)s).",
                                     date=agreement.starts_on.isoformat()))
        if field.data and agreement.ends_on and field.data > agreement.ends_on:
            raise ValidationError(_l("The deadline cannot be after the agreement ends (%(date)s). Extend the "
                                     "agreement first if the parties have agreed to that.",
                                     date=agreement.ends_on.isoformat()))


class ProgressForm(VersionedForm):
    """A progress update: the only way an action's status and progress change (closing included)."""

    text = TextAreaField(_l("What has happened?"), filters=[strip],
                         validators=[DataRequired(), Length(max=UPDATE_MAX), NoPersonalNumber()],
                         description=_l("What was done, what was decided, what comes next."))
    status = SelectField(_l("Status"), coerce=ActionStatus, validators=[InputRequired()],
                         choices=options(ACTION_STATUS_LABELS.items()))
    progress = IntegerField(_l("Progress (%)"), validators=[InputRequired(), IntegerBetween(0, 100)],
                            render_kw={"min": 0, "max": 100, "inputmode": "numeric"})
    blocked_reason = TextAreaField(_l("Why is it blocked?"), filters=[strip],
                                   validators=[Length(max=REASON_MAX), NoPersonalNumber()],
                                   description=_l("Needed when the status is Blocked: what stands in the way, "
                                                  "and who could unblock it."))

    def validate_blocked_reason(self, field: Field) -> None:
        if self.status.data is ActionStatus.BLOCKED and not field.data:
            raise ValidationError(_l("Say why the action is blocked."))


class RaiseForm(VersionedForm):
    """Raise an action to the steering group's agenda by hand: the reason is what the steering group reads."""

    reason = TextAreaField(_l("Why does the steering group need to decide?"), filters=[strip],
                           validators=[DataRequired(message=_l("Say why the steering group needs to decide.")),
                                       Length(max=REASON_MAX), NoPersonalNumber()],
                           description=_l("What is stuck, and what decision you ask for."))


class ActionFilterForm(FilterForm):
    status = FilterSelectField(_l("Status"), coerce=enum_or_none(ActionStatus), validators=[Optional()],
                         choices=options([(None, _l("All")), *ACTION_STATUS_LABELS.items()]))
    theme = FilterSelectField(_l("Theme"), coerce=enum_or_none(Theme), validators=[Optional()],
                        choices=options([(None, _l("All")), *THEME_LABELS.items()]))
    organisation = FilterSelectField(_l("Owning organisation"), coerce=optional_int, validators=[Optional()])
    owner = FilterSelectField(_l("Owner"), coerce=optional_int, validators=[Optional()])
    stalled = BooleanField(_l("Stalled only"))
    open = BooleanField(_l("Open only"))
    due_soon = BooleanField(_l("Due soon only"))
    ownerless = BooleanField(_l("Unassigned only"))
    due_before = BoundedDateField(_l("Due on or before"), validators=[Optional()])
    level = FilterSelectField(_l("Escalation level"), coerce=optional_int, validators=[Optional()],
                              choices=options([(None, _l("Any")), (1, _l("Level 1 or higher: stalled")),
                                               (2, _l("Level 2 or higher: coordinators")),
                                               (3, _l("Level 3: needs a steering-group decision"))]))
    sort = FilterSelectField(_l("Sort by"), validators=[Optional()],
                       choices=options([("deadline", _l("Deadline, earliest first")),
                                        ("-deadline", _l("Deadline, latest first")), ("title", _l("Title"))]))
