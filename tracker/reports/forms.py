from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.validators import DataRequired, Optional, ValidationError

from tracker.agreements.models import Agreement
from tracker.clock import request_today
from tracker.formfields import MultiCheckboxField, options, strip
from tracker.listfilters import FilterForm, optional_int
from tracker.reports.period import BadMonth, Month
from tracker.reports.rules import period_error, suggested_month

LANGUAGES = [("sv", "Svenska"), ("en", "English")]


class ReportForm(FlaskForm):
    month = StringField(_l("Month"), filters=[strip], validators=[DataRequired()],
                        description=_l("As year and month, e.g. 2026-11."), render_kw={"type": "month"})
    language = SelectField(_l("Language"), choices=options(LANGUAGES))
    covered: Sequence[Agreement] = ()  # the view sets the agreement(s) whose period the month must lie in

    def validate_month(self, field: Field) -> None:
        try:
            Month.parse(field.data).as_of(request_today())
        except BadMonth:
            raise ValidationError(_l("Give a month that has begun, as year and month, e.g. 2026-11.")) from None

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        if not super().validate(extra_validators):
            return False
        message = period_error(self.chosen(), self.parsed_month, request_today())
        if message:
            self.month.errors.append(message)
            return False
        return True

    def chosen(self) -> list[Agreement]:
        return list(self.covered)

    @property
    def parsed_month(self) -> Month:
        return Month.parse(self.month.data)


class PortfolioForm(ReportForm):
    agreement_ids = MultiCheckboxField(_l("Agreements"), coerce=int, validators=[DataRequired(
        _l("Choose at least two agreements."))])

    def validate_agreement_ids(self, field: Field) -> None:
        if len(set(field.data or [])) < 2:
            raise ValidationError(_l("Choose at least two agreements."))

    def chosen(self) -> list[Agreement]:
        by_id = {a.id: a for a in self.covered}
        return [by_id[i] for i in sorted(set(self.agreement_ids.data or [])) if i in by_id]


class ReportFilterForm(FilterForm):
    agreement = SelectField(_l("Agreement"), coerce=optional_int, validators=[Optional()], id="filter-agreement")
    month = StringField(_l("Month"), filters=[strip], validators=[Optional()], id="filter-month",
                        description=_l("As year and month, e.g. 2026-11."), render_kw={"type": "month"})

    def validate_month(self, field: Field) -> None:
        try:
            Month.parse(field.data)
        except BadMonth:
            raise ValidationError(_l("Give the month as year and month, e.g. 2026-11.")) from None


def default_month(agreements: list[Agreement]) -> str:
    """The last month with data for the agreements: the report a steering group usually wants."""
    return str(suggested_month(agreements, request_today()))
