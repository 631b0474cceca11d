from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import Field
from wtforms.validators import ValidationError

from tracker.formfields import CONTROL_CHARACTERS, NoPersonalNumber
from tracker.secrecy import contains_personal_number


class UploadForm(FlaskForm):
    file = FileField(_l("Spreadsheet"), validators=[FileRequired(_l("Choose the file to import."))],
                     render_kw={"accept": ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument"
                                          ".spreadsheetml.sheet,text/csv"},
                     description=_l("An Excel workbook (.xlsx, its first sheet) or a CSV file, at most 2 MB and "
                                    "2,000 actions."))

    @property
    def filename(self) -> str:
        """The file's own name (without a path, which old browsers sent), cleaned: it is shown and audited."""
        name = CONTROL_CHARACTERS.sub("", (self.file.data.filename or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
        return name[:200] or "?"

    def validate_file(self, field: Field) -> None:
        if contains_personal_number(field.data.filename or ""):
            raise ValidationError(NoPersonalNumber.message)


class ConfirmImportForm(FlaskForm):
    """The button that saves a previewed import (CSRF only: the batch is named by the address)."""
