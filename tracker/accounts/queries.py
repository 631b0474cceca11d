"""Read-only selects for user accounts."""
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, func, or_, select

from tracker.accounts.models import User
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.search import like_pattern


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(User.email == normalise_email(email))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def search_users(text: str = "", organisation_id: int | None = None, include_inactive: bool = True) -> Select:
    """Users matching text in name or e-mail, by name; organisation joined in the same query."""
    query = select(User).join(User.organisation).order_by(func.lower(User.name), User.id)
    if text:
        pattern = like_pattern(text)
        query = query.where(or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"),
                                Organisation.name.ilike(pattern, escape="\\")))
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    if not include_inactive:
        query = query.where(User.is_active.is_(True))
    return query


def person_label(name: str, organisation: str, is_active: bool) -> str:
    """Name and organisation, and whether the account is deactivated (never only a colour or a style)."""
    if is_active:
        return f"{name} ({organisation})"
    return _("%(name)s (%(org)s, deactivated)", name=name, org=organisation)


def people_choices(condition: ColumnElement[bool]) -> list[tuple[int, str]]:
    """(id, label) of the people matching condition (e.g. policy.visible_people), by name, in one query of the
    columns the labels need (a county has thousands of people)."""
    query = (select(User.id, User.name, Organisation.short_name, User.is_active).join(User.organisation)
             .where(condition).order_by(func.lower(User.name), User.id))
    return [(row.id, person_label(row.name, row.short_name, row.is_active)) for row in db.session.execute(query)]


def awaiting_password(organisation_id: int) -> list[User]:
    """The active accounts of an organisation whose person has not chosen a password yet (invited), by name."""
    return list(db.session.scalars(select(User).where(User.organisation_id == organisation_id,
                                                      User.is_active.is_(True), User.password_hash == "")
                                   .order_by(User.name, User.id)))
