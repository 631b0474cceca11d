"""The days of the week a person may get the weekly digest on, as Python numbers them (date.weekday())."""
from flask_babel import lazy_gettext as _l

WEEKDAYS = {0: _l("Monday"), 1: _l("Tuesday"), 2: _l("Wednesday"), 3: _l("Thursday"), 4: _l("Friday"),
            5: _l("Saturday"), 6: _l("Sunday")}
