"""The reports on an agreement's page, and the form that generates one. create_app imports this module."""
from tracker.agreements import panels
from tracker.agreements.models import Agreement
from tracker.reports.forms import ReportForm, default_month
from tracker.reports.queries import reports_of


@panels.for_page
def reports(agreement: Agreement) -> dict:
    """The agreement's reports and a report form set to the month most likely wanted."""
    return {"reports": reports_of(agreement),
            "report_form": ReportForm(formdata=None, month=default_month([agreement]))}
