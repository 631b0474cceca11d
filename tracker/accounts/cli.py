"""CLI for accounts."""
import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from tracker.accounts.models import Role
from tracker.accounts.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, password_weakness
from tracker.accounts.services import EmailTaken, create_user
from tracker.extensions import db
from tracker.formfields import EmailAddress, is_plausible_email
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.organisations.services import create_organisation


def _valid_email(ctx: click.Context, param: click.Parameter, value: str) -> str:
    value = (value or "").strip()
    if len(value) > 254 or not is_plausible_email(value):
        raise click.BadParameter(str(EmailAddress.message))
    return value


def _valid_password(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if len(value) > PASSWORD_MAX_LENGTH:
        raise click.BadParameter(_("use at most %(n)d characters", n=PASSWORD_MAX_LENGTH))
    weakness = password_weakness(value)
    if weakness == "short":
        raise click.BadParameter(_("use at least %(n)d characters", n=PASSWORD_MIN_LENGTH))
    if weakness:
        raise click.BadParameter(_("that password is too easy to guess (a common or repetitive password)"))
    return value


@click.command("create-admin")
@click.option("--email", prompt=True, callback=_valid_email, help="E-mail address to sign in with.")
@click.option("--name", prompt=True, help="The administrator's full name.")
@click.option("--organisation", "organisation_name", prompt=True, default="Samverka administration",
              show_default=True, help="Organisation name; created when it does not exist.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, callback=_valid_password,
              help="At least 12 characters. Prompted (hidden) when left out.")
@with_appcontext
def create_admin(email: str, name: str, organisation_name: str, password: str) -> None:
    """Create an administrator account (and its organisation if needed)."""
    name, organisation_name = name.strip()[:200], organisation_name.strip()[:200]
    if not name or not organisation_name:
        raise click.UsageError(_("name and organisation must not be empty"))
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == organisation_name))
    if organisation is None:
        organisation = create_organisation({"name": organisation_name, "short_name": organisation_name[:40],
                                            "kind": OrganisationKind.OTHER}, by=None)
    try:
        create_user({"email": email, "name": name, "organisation_id": organisation.id, "role": Role.ADMIN},
                    by=None, password=password, temporary=False)
    except EmailTaken:
        raise click.ClickException(_("an account with the e-mail %(email)s already exists", email=email)) from None
    db.session.commit()
    click.echo(_("Administrator %(email)s created.", email=email))
