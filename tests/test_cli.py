"""`flask create-admin` and `flask seed-demo`: what they create, and clear refusals with a non-zero exit."""
import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, make_organisation, make_user
from tracker.accounts.models import Role, User
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.audit.models import AuditEvent
from tracker.demo.cli import DEMO_PASSWORD
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind


def run(app, *args, input=None):
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    # A real CLI process ends here and its uncommitted work with it; the test's app context outlives the command.
    db.session.rollback()
    return result


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def admin_args(**overrides) -> list[str]:
    values = {"--email": "Root@Example.se", "--name": "Rut Root", "--organisation": "Länsstyrelsen",
              "--password": PASSWORD} | overrides
    return ["create-admin", *(item for pair in values.items() for item in pair)]


def test_create_admin_with_options_creates_an_admin_and_its_organisation(app, client):
    result = run(app, *admin_args())
    assert result.exit_code == 0, result.output
    assert "Administrator Root@Example.se created." in result.output
    user = db.session.scalar(select(User).where(User.email == "root@example.se"))
    assert (user.name, user.role, user.is_active, user.must_change_password) == ("Rut Root", Role.ADMIN, True, False)
    assert (user.organisation.name, user.organisation.kind) == ("Länsstyrelsen", OrganisationKind.OTHER)
    assert client.post("/login", data={"email": "root@example.se", "password": PASSWORD}).status_code == 303
    assert client.get("/admin/users/").status_code == 200
    assert {e.verb for e in db.session.scalars(select(AuditEvent))} >= {"create", "change_password"}


def test_create_admin_joins_an_existing_organisation(app):
    existing = make_organisation(name="Länsstyrelsen")
    db.session.commit()
    assert run(app, *admin_args()).exit_code == 0
    assert db.session.scalar(select(User.organisation_id).where(User.email == "root@example.se")) == existing.id
    assert count(Organisation) == 1


def test_create_admin_asks_for_what_is_missing_and_hides_the_password(app):
    answers = f"root@example.se\nRut Root\n\n{PASSWORD}\n{PASSWORD}\n"
    result = run(app, "create-admin", input=answers)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    user = db.session.scalar(select(User).where(User.email == "root@example.se"))
    assert user.role is Role.ADMIN and user.organisation.name == "Samverka administration"


def test_create_admin_asks_again_after_a_bad_answer(app):
    answers = "\n".join(["not an e-mail", "root@example.se", "Rut Root", "SOC", "short", "short", PASSWORD, "mismatch",
                         PASSWORD, PASSWORD]) + "\n"
    result = run(app, "create-admin", input=answers)
    assert result.exit_code == 0, result.output
    assert "Enter an e-mail address like name@example.se." in result.output
    assert "at least 12 characters" in result.output
    assert db.session.scalar(select(User.role).where(User.email == "root@example.se")) is Role.ADMIN


@pytest.mark.parametrize(("overrides", "message"), [
    ({"--email": "not-an-e-mail"}, "Enter an e-mail address like name@example.se."),
    ({"--email": "a" * 250 + "@x.se"}, "Enter an e-mail address like name@example.se."),
    ({"--password": "short"}, "use at least 12 characters"),
    ({"--password": "password1234"}, "too easy to guess"),
    ({"--password": "aaaaaaaaaaaaaaaa"}, "too easy to guess"),
    ({"--password": "x" * 257}, "use at most 256 characters"),
    ({"--name": "   "}, "name and organisation must not be empty"),
    ({"--organisation": "   "}, "name and organisation must not be empty"),
], ids=["bad-e-mail", "long-e-mail", "short-password", "common-password", "repetitive-password",
        "long-password", "blank-name", "blank-organisation"])
def test_create_admin_refuses_bad_input_and_creates_nothing(app, overrides, message):
    result = run(app, *admin_args(**overrides))
    assert result.exit_code != 0
    assert message in result.output
    assert count(User) == 0 and count(Organisation) == 0


@pytest.mark.parametrize("email", ["root@example.se", "ROOT@example.SE"])
def test_create_admin_refuses_an_e_mail_already_in_use(app, email):
    make_user(email="root@example.se", role=Role.VIEWER)
    db.session.commit()
    result = run(app, *admin_args(**{"--email": email, "--organisation": "Brand new organisation"}))
    assert result.exit_code == 1
    assert f"an account with the e-mail {email} already exists" in result.output
    assert "Traceback" not in result.output
    assert count(User) == 1 and db.session.scalar(select(User.role)) is Role.VIEWER
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Brand new organisation")) is None


def test_create_admin_help_names_every_option(app):
    result = run(app, "create-admin", "--help")
    assert result.exit_code == 0
    for option in ("--email", "--name", "--organisation", "--password"):
        assert option in result.output


def test_seed_demo_fills_an_empty_database(app, client):
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    assert count(Organisation) >= 12
    assert len(set(db.session.scalars(select(Organisation.kind)))) >= 5
    assert set(db.session.scalars(select(User.role))) == set(Role)
    assert count(User) >= 12 and count(Agreement) >= 3 and count(Action) >= 10
    assert db.session.scalar(select(func.count(User.id)).where(User.must_change_password.is_(True))) == 0
    admin_email = db.session.scalar(select(User.email).where(User.role == Role.ADMIN))
    assert client.post("/login", data={"email": admin_email, "password": DEMO_PASSWORD}).status_code == 303
    assert client.get("/").status_code == 200


def test_seed_demo_goes_only_into_an_empty_database(app):
    assert run(app, "seed-demo").exit_code == 0
    counts = count(Organisation), count(User), count(Agreement), count(Action)
    again = run(app, "seed-demo")
    assert again.exit_code == 1 and "already has users" in again.output
    quietly = run(app, "seed-demo", "--if-empty")
    assert quietly.exit_code == 0 and "demo data not added" in quietly.output
    assert (count(Organisation), count(User), count(Agreement), count(Action)) == counts


def test_seed_demo_leaves_a_database_with_real_users_alone(app):
    make_user()
    db.session.commit()
    assert run(app, "seed-demo", "--if-empty").exit_code == 0
    assert run(app, "seed-demo").exit_code == 1
    assert count(User) == 1 and count(Agreement) == 0
