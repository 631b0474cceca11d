"""Read-only selects for user accounts."""
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import aliased

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
        query = query.where(or_(name_or_email_contains(text),
                                Organisation.name.ilike(like_pattern(text), escape="\\")))
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    if not include_inactive:
        query = query.where(User.is_active.is_(True))
    return query


def name_or_email_contains(text: str) -> ColumnElement[bool]:
    """The user's name or e-mail address contains text, case-insensitively, with % and _ taken literally."""
    pattern = like_pattern(text)
    return or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\"))


def matching_people(text: str) -> Select[tuple[int]]:
    """Ids of the people whose name or e-mail address contains text; only the one person's when text is someone's
    whole e-mail address (so "anna@kommun.se" does not also find "johanna@kommun.se"). One select, for use in SQL."""
    email = normalise_email(text)
    other = aliased(User)
    someone_has_it = select(other.id).where(other.email == email).exists()
    return select(User.id).where(or_(User.email == email, and_(~someone_has_it, name_or_email_contains(text))))


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
