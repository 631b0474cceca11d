from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, SearchField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, StopValidation, ValidationError

from tracker.accounts.models import ROLE_LABELS, Role
from tracker.accounts.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, password_weakness
from tracker.formfields import (
    EmailAddress,
    NoPersonalNumber,
    OneLine,
    VersionedForm,
    none_if_empty,
    options,
    strip,
    to_int_or_none,
)
from tracker.listfilters import FilterForm, FilterSelectField, optional_int
from tracker.search import MAX_SEARCH_LENGTH

LANGUAGE_CHOICES = options([("", _l("As the browser prefers")), ("sv", "Svenska"), ("en", "English")])


WEAKNESS_MESSAGES = {
    "short": _l("Use at least %(n)d characters. A few unrelated words make a good password.", n=PASSWORD_MIN_LENGTH),
    "common": _l("That password is among the first ones attackers try. Choose another."),
    "repetitive": _l("That password repeats too few characters. A few unrelated words make a good password."),
    "personal": _l("The password must not contain your name or e-mail address."),
}


def password_policy(form: Any, field: Any) -> None:
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



class UserForm(VersionedForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=200), OneLine(),
                                                                NoPersonalNumber()])
    email = EmailField(_l("E-mail"), filters=[strip], validators=[DataRequired(), Length(max=254), EmailAddress()])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[InputRequired()])
    # A new account is a coordinator unless someone chooses otherwise: administrator is never the default.
    role = SelectField(_l("Role"), coerce=Role, validators=[InputRequired()], default=Role.COORDINATOR,
                       choices=options(ROLE_LABELS.items()))
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, coerce=none_if_empty,
                           description=_l("Samverka's pages and e-mails to this person are in this language, the "
                                          "invitation too. Left to the browser, e-mails are in Swedish."))


INVITATION, TEMPORARY = "invitation", "temporary"


def _only_for_a_temporary_password(form: Any, field: Any) -> None:
    """An invited person chooses their own password: the temporary-password fields are then left alone."""
    if form.first_password.data != TEMPORARY:
        field.errors[:] = []
        raise StopValidation()


FIRST_PASSWORD_CHOICES = options([
    (INVITATION, _l("Send an invitation by e-mail: the person chooses their own password through a link")),
    (TEMPORARY, _l("Set a temporary password below and give it to the person yourself")),
])


class NewUserForm(UserForm, NewPasswordFields):
    # No organisation is chosen in advance: a new account in the wrong organisation would read its agreements.
    organisation_id = SelectField(_l("Organisation"), coerce=to_int_or_none,
                                  validators=[DataRequired(_l("Choose the organisation the person works for."))])
    first_password = RadioField(_l("How the person gets a password"), choices=FIRST_PASSWORD_CHOICES,
                                default=INVITATION, validators=[InputRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # WTForms orders fields by when they were declared: the password mixin's are older than UserForm's, and the
        # organisation field is redeclared here. Put them in the page's order, so the error summary lists errors so.
        for name in ("role", "language", "first_password", "new_password", "confirm"):
            self._fields.move_to_end(name)
        for name in ("new_password", "confirm"):
            self[name].validators = [_only_for_a_temporary_password, *self[name].validators]
            self[name].flags.required = False  # not for an invitation: the page must not say "(required)"

    @property
    def invites(self) -> bool:
        return self.first_password.data == INVITATION


class InvitationForm(UserForm):
    """A coordinator's invitation to their own organisation (the view offers only what policy.can_invite allows)."""

    version = None  # a new account: there is no earlier version to be stale against


class TemporaryPasswordForm(VersionedForm, NewPasswordFields):
    pass


class AccountFilterForm(FilterForm):
    q = SearchField(_l("Search name, e-mail or organisation"), filters=[strip],
                    validators=[Optional(), Length(max=MAX_SEARCH_LENGTH)])
    organisation = FilterSelectField(_l("Organisation"), coerce=optional_int, validators=[Optional()])
