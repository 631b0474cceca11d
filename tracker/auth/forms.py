from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from tracker.auth.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, password_weakness
from tracker.formfields import strip



class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


WEAKNESS_MESSAGES = {
    "short": _l("Use at least %(n)d characters. A few unrelated words make a good password.", n=PASSWORD_MIN_LENGTH),
    "common": _l("That password is among the first ones attackers try. Choose another."),
    "repetitive": _l("That password repeats too few characters. A few unrelated words make a good password."),
    "personal": _l("The password must not contain your name or e-mail address."),
}


def password_policy(form, field):
    """Long enough to resist guessing, not a common password, not the person's own name or e-mail."""
    named = [getattr(form, name).data for name in ("name", "email") if hasattr(form, name)]
    personal = tuple(word for text in (*getattr(form, "personal_words", ()), *named) for word in (text or "").split())
    weakness = password_weakness(field.data or "", personal=personal)
    if weakness:
        raise ValidationError(WEAKNESS_MESSAGES[weakness])


class NewPasswordFields:
    new_password = PasswordField(_l("New password"),
                                 validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH), password_policy],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The passwords do not match."))],
                            render_kw={"autocomplete": "new-password"})


class ChangePasswordForm(FlaskForm, NewPasswordFields):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                                     render_kw={"autocomplete": "current-password"})
