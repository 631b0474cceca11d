import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from tracker.actions import checks
from tracker.actions.models import ACTION_STATUS_LABELS, REQUEST_OUTCOME_LABELS, ActionStatus, RequestOutcome
from tracker.actions.queries import OwnerChoices
from tracker.agreements.models import THEME_LABELS, Agreement, Theme
from tracker.formfields import (
    BoundedDateField,
    IntegerBetween,
    NoPersonalNumber,
    OnceForm,
    OneLine,
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
NEXT_STEP_MAX = 500
REQUEST_MAX = 1000


class ActionForm(VersionedForm, OnceForm):
    """The descriptive fields only: status and progress move through progress updates (ProgressForm)."""

    title = StringField(_l("Title"), filters=[strip],
                        validators=[OneLine(), DataRequired(), Length(max=300), NoPersonalNumber()])
    description = TextAreaField(_l("Description"), filters=[strip],
                                validators=[Optional(), Length(max=TEXT_MAX), NoPersonalNumber()])
    owner_organisation_id = SelectField(_l("Owning organisation"), coerce=to_int_or_none, validate_choice=False,
                                        validators=[InputRequired()])
    owner_id = SelectField(_l("Owner"), coerce=to_int_or_none, validate_choice=False, validators=[InputRequired()],
                           description=_l("A named person at the owning organisation."))
    deadline = BoundedDateField(_l("Deadline"), validators=[InputRequired()])
    deadline_reason = TextAreaField(_l("Why does the deadline move?"), filters=[strip],
                                    validators=[Length(max=REASON_MAX), NoPersonalNumber()],
                                    description=_l("Needed only when you change the deadline: the steering group "
                                                   "sees every move and why."))

    def __init__(self, *args: Any, agreement: Agreement, owners: OwnerChoices,
                 promised: dt.date | None = None, **kwargs: Any) -> None:
        """owners: the OwnerChoices for this agreement and user (see actions.queries.owner_choices); promised: the
        saved deadline of the action being edited (a new one moves nothing)."""
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.promised = promised
        self.owner_organisation_id.choices = options(owners.organisations)
        self.owner_id.choices = grouped_options(owners.people)
        self._owners = owners

    def validate_owner_organisation_id(self, field: Field) -> None:
        _refuse(checks.owning_organisation_refusal(self._owners, field.data))

    def validate_owner_id(self, field: Field) -> None:
        _refuse(checks.owner_refusal(self._owners, self.owner_organisation_id.data, field.data))

    def validate_deadline(self, field: Field) -> None:
        _refuse(checks.deadline_refusal(self.agreement, field.data))

    def validate_deadline_reason(self, field: Field) -> None:
        _refuse(checks.deadline_reason_refusal(self.promised, self.deadline.data, field.data))


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

    next_step = StringField(_l("Next step"), filters=[strip],
                            validators=[OneLine(), Length(max=NEXT_STEP_MAX), NoPersonalNumber()],
                            description=_l("Optional: what happens next, and by when."))
    next_step_on = BoundedDateField(_l("Next step by"), validators=[Optional()])
    request_to = SelectField(_l("Ask another party"), coerce=to_int_or_none, validate_choice=False,
                             description=_l("Optional: an organisation of the agreement whose help the action needs. "
                                            "Its coordinators see the request on their start page."))
    request_text = TextAreaField(_l("What do you need from them?"), filters=[strip],
                                 validators=[Length(max=REQUEST_MAX), NoPersonalNumber()])

    def __init__(self, *args: Any, parties: list[tuple[int, str]], today: dt.date, ends_on: dt.date | None,
                 **kwargs: Any) -> None:
        """parties: the organisations a request may go to (partner_requests.addressable_parties)."""
        super().__init__(*args, **kwargs)
        self.request_to.choices = options([(None, _l("No request")), *parties])
        self._today, self._ends_on = today, ends_on

    def validate_blocked_reason(self, field: Field) -> None:
        _refuse(checks.blocked_reason_refusal(self.status.data, field.data))

    def validate_next_step(self, field: Field) -> None:
        _refuse(checks.next_step_refusal(field.data, any(self.next_step_on.raw_data or [])))

    def validate_next_step_on(self, field: Field) -> None:
        _refuse(checks.next_step_on_refusal(field.data, self._today, self._ends_on))

    def validate_request_to(self, field: Field) -> None:
        parties = {c.value for c in field.choices if c.value is not None}
        _refuse(checks.request_to_refusal(field.data, parties, self.request_text.data))

    def validate_request_text(self, field: Field) -> None:
        _refuse(checks.request_text_refusal(self.request_to.data, field.data))


def _refuse(message: Any) -> None:
    if message:
        raise ValidationError(message)


def _outcome_or_none(value: Any) -> RequestOutcome | None:  # WTForms hands a coerce function anything
    try:
        return RequestOutcome(value)
    except ValueError:  # None, "" or a forged value: "Not a valid choice" next to the field
        return None


class AnswerForm(FlaskForm):
    """The addressed organisation's answer to a request: answered, accepted or declined, always with a text."""

    outcome = SelectField(_l("Outcome"), coerce=_outcome_or_none, validators=[InputRequired()],
                          choices=options(REQUEST_OUTCOME_LABELS.items()))
    answer = TextAreaField(_l("Answer"), filters=[strip],
                           validators=[DataRequired(), Length(max=REQUEST_MAX), NoPersonalNumber()],
                           description=_l("What you answer, what you will do, or why you decline."))


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
                                        ("-deadline", _l("Deadline, latest first")), ("title", _l("Title")),
                                        ("-moves", _l("Deadline moved most often"))]))
