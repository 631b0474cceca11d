import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import Field, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.formfields import (
    BoundedDateField,
    NoPersonalNumber,
    OnceForm,
    OneLine,
    VersionedForm,
    grouped_options,
    options,
    strip,
    to_int_or_none,
)
from tracker.listfilters import FilterSelectField, enum_or_none
from tracker.steering.models import EFFECT_KIND_LABELS, EffectKind
from tracker.steering.services import Effect

MEETING_MAX, TEXT_MAX = 200, 2000
EFFECT_ROWS = 5  # actions one decision may change at once; a larger decision is recorded as two


ROWS_MESSAGE = _l("Correct the actions the decision changes (the message stands next to each).")


class EffectForm(Form):
    """One row of the decision form: an action of the agreement and what the decision changes on it."""

    action_id = SelectField(_l("Action"), coerce=to_int_or_none, validate_choice=False)
    kind = FilterSelectField(_l("What changes"), coerce=enum_or_none(EffectKind), validators=[Optional()],
                             choices=options([(None, "–"), *EFFECT_KIND_LABELS.items()]))
    new_owner_id = SelectField(_l("New owner"), coerce=to_int_or_none, validate_choice=False)
    new_deadline = BoundedDateField(_l("New deadline"), validators=[Optional()])

    @property
    def is_empty(self) -> bool:
        return self.action_id.data is None and self.kind.data is None


class DecisionForm(OnceForm):
    decided_on = BoundedDateField(_l("Decided on"), validators=[InputRequired()])
    meeting = StringField(_l("Meeting"), filters=[strip],
                          validators=[OneLine(), DataRequired(), Length(max=MEETING_MAX), NoPersonalNumber()],
                          description=_l("For example: Styrgruppsmöte 14 oktober."))
    text = TextAreaField(_l("Decision"), filters=[strip],
                         validators=[DataRequired(), Length(max=TEXT_MAX), NoPersonalNumber()],
                         description=_l("What the steering group decided, as it will stand in the minutes."))
    effects = FieldList(FormField(EffectForm), min_entries=EFFECT_ROWS, max_entries=EFFECT_ROWS)

    def __init__(self, *args: Any, agreement: Agreement, actions: list[Action], people: list[User],
                 today: dt.date, **kwargs: Any) -> None:
        """actions: the agreement's open actions; people: the active people of its parties."""
        super().__init__(*args, **kwargs)
        self.agreement, self.today = agreement, today
        self.actions = {a.id: a for a in actions}
        self.people = {u.id: u for u in people}
        names = {o.id: o.name for o in agreement.parties}
        groups: dict[str, list[tuple[int, str]]] = {}
        for person in people:
            groups.setdefault(names.get(person.organisation_id, ""), []).append((person.id, person.name))
        for row in self.effects:
            row.action_id.choices = self._action_choices(())
            row.new_owner_id.choices = options([("", "–")]) + grouped_options(groups)

    def _action_choices(self, first: Sequence[int]) -> list[SelectChoice]:
        label = {a.id: f"{a.title} ({a.owner_organisation.short_name})" for a in self.actions.values()}
        chosen = [i for i in dict.fromkeys(first) if i in label]
        rest = [(a_id, text) for a_id, text in label.items() if a_id not in chosen]
        if not chosen:
            return options([("", "–"), *rest])
        return options([("", "–")]) + grouped_options({str(_l("On the agenda")): [(i, label[i]) for i in chosen],
                                                        str(_l("Other open actions")): rest})

    def agenda_first(self, action_ids: Sequence[int]) -> None:
        """Offer the agenda's actions first in every row (those still open), then the other open actions."""
        for row in self.effects:
            row.action_id.choices = self._action_choices(action_ids)

    def preselect(self, action_id: int | None) -> None:
        """Choose the action in the first row (a link from the agenda); an id not among the open actions is
        ignored."""
        if action_id in self.actions:
            self.effects[0].action_id.data = action_id

    def validate_decided_on(self, field: Field) -> None:
        if field.data and field.data > self.today:
            raise ValidationError(_l("A decision is recorded once it is taken: the date cannot be after today."))
        if field.data and field.data < self.agreement.starts_on:
            raise ValidationError(_l("The date cannot be before the agreement starts (%(date)s).",
                                     date=format_date(self.agreement.starts_on)))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        seen: dict[int, list[EffectKind]] = {}
        rows = [entry.form for entry in self.effects]
        for row in rows:
            if not row.is_empty and not any(f.errors for f in row):
                self._check_row(row, seen)
        # Each row's errors stand next to its fields; the summary names the rows as one message.
        self.effects.errors = []
        if any(f.errors for row in rows for f in row):
            self.form_errors.append(str(ROWS_MESSAGE))
            return False
        return valid

    def _check_row(self, row: EffectForm, seen: dict[int, list[EffectKind]]) -> None:
        action = self.actions.get(row.action_id.data or 0)
        kind = row.kind.data
        if action is None:
            row.action_id.errors.append(_l("Choose one of the agreement's open actions."))
            return
        if kind is None:
            row.kind.errors.append(_l("Choose what the decision changes on this action."))
            return
        earlier = seen.setdefault(action.id, [])
        if kind in earlier or EffectKind.CANCEL in earlier or (kind is EffectKind.CANCEL and earlier):
            row.kind.errors.append(_l("This action is already in the decision: each change once, and a "
                                      "cancelled action changes nothing else."))
        earlier.append(kind)
        if kind is EffectKind.NEW_OWNER:
            owner = self.people.get(row.new_owner_id.data or 0)
            if owner is None or owner.organisation_id != action.owner_organisation_id:
                row.new_owner_id.errors.append(_l("Choose an active person at the organisation that owns the "
                                                  "action (%(org)s).", org=action.owner_organisation.name))
        if kind is EffectKind.NEW_DEADLINE:
            self._check_deadline(row.new_deadline)

    def _check_deadline(self, field: Field) -> None:
        agreement = self.agreement
        if field.errors:
            return
        if field.data is None:
            field.errors.append(_l("Give the new deadline."))
        elif field.data < agreement.starts_on or (agreement.ends_on and field.data > agreement.ends_on):
            field.errors.append(_l("The new deadline must fall within the agreement's period (%(period)s).",
                                   period=_period(agreement)))

    def chosen_effects(self) -> list[Effect]:
        """The validated rows as effects, in form order (empty rows left out)."""
        return [Effect(action=self.actions[row.action_id.data], kind=row.kind.data,
                       new_owner=self.people.get(row.new_owner_id.data or 0)
                       if row.kind.data is EffectKind.NEW_OWNER else None,
                       new_deadline=row.new_deadline.data if row.kind.data is EffectKind.NEW_DEADLINE else None)
                for row in (entry.form for entry in self.effects) if not row.is_empty]


def _period(agreement: Agreement) -> str:
    end = format_date(agreement.ends_on) if agreement.ends_on else "…"
    return f"{format_date(agreement.starts_on)} – {end}"


class NextMeetingForm(VersionedForm):
    next_meeting_on = BoundedDateField(_l("Next meeting"), validators=[Optional()])

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_next_meeting_on(self, field: Field) -> None:
        if field.data and field.data < self.today:
            raise ValidationError(_l("The next meeting cannot be in the past."))
