from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from tracker.accounts.forms import NewPasswordFields
from tracker.accounts.passwords import PASSWORD_MAX_LENGTH
from tracker.formfields import EmailAddress, strip


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class ChangePasswordForm(FlaskForm, NewPasswordFields):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                                     render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[DataRequired(), Length(max=254), EmailAddress()],
                       render_kw={"autocomplete": "username"})


class ChoosePasswordForm(FlaskForm, NewPasswordFields):
    """The password chosen through an invitation or reset link."""
