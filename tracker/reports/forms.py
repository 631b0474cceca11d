from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, ValidationError

from tracker.clock import local_today
from tracker.formfields import MultiCheckboxField, options, strip
from tracker.reports.period import BadMonth, Month

LANGUAGES = [("sv", "Svenska"), ("en", "English")]


class ReportForm(FlaskForm):
    month = StringField(_l("Month"), filters=[strip], validators=[DataRequired()],
                        description=_l("As year and month, e.g. 2026-11."), render_kw={"type": "month"})
    language = SelectField(_l("Language"), choices=options(LANGUAGES))

    def validate_month(self, field):
        try:
            Month.parse(field.data).as_of(local_today())
        except BadMonth:
            raise ValidationError(_l("Give a month that has begun, as year and month, e.g. 2026-11.")) from None

    @property
    def parsed_month(self) -> Month:
        return Month.parse(self.month.data)


class PortfolioForm(ReportForm):
    agreement_ids = MultiCheckboxField(_l("Agreements"), coerce=int, validators=[DataRequired(
        _l("Choose at least two agreements."))])

    def validate_agreement_ids(self, field):
        if len(set(field.data or [])) < 2:
            raise ValidationError(_l("Choose at least two agreements."))


def default_month() -> str:
    """Last month: the report a steering group usually wants."""
    return str(Month.of(local_today()).previous)
