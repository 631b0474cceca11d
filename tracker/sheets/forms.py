from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class UploadForm(FlaskForm):
    file = FileField(_l("Spreadsheet"), validators=[FileRequired(_l("Choose the file to import."))],
                     render_kw={"accept": ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument"
                                          ".spreadsheetml.sheet,text/csv"},
                     description=_l("An Excel workbook (.xlsx, its first sheet) or a CSV file, at most 2 MB and "
                                    "2,000 actions."))


class ConfirmImportForm(FlaskForm):
    """The button that saves a previewed import (CSRF only: the batch is named by the address)."""
