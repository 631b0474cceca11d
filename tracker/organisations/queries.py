"""Read-only selects for partner organisations."""
from sqlalchemy import Select, func, or_, select

from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.search import like_pattern


def search_organisations(text: str = "", include_inactive: bool = True) -> Select:
    query = select(Organisation).order_by(func.lower(Organisation.name), Organisation.id)
    if text:
        pattern = like_pattern(text)
        query = query.where(or_(*(column.ilike(pattern, escape="\\") for column in (
            Organisation.name, Organisation.short_name, Organisation.municipality))))
    if not include_inactive:
        query = query.where(Organisation.is_active.is_(True))
    return query


def name_taken(name: str, except_id: int | None = None) -> bool:
    """Organisation names are unique regardless of case."""
    query = select(Organisation.id).where(func.lower(Organisation.name) == name.strip().lower())
    if except_id is not None:
        query = query.where(Organisation.id != except_id)
    return db.session.scalar(query) is not None


def organisation_choices(keep_id: int | None = None) -> list[tuple[int, str]]:
    """Active organisations for a select, plus the one already chosen even if it has been deactivated."""
    query = search_organisations(include_inactive=False)
    if keep_id is not None:
        query = search_organisations().where(or_(Organisation.is_active.is_(True), Organisation.id == keep_id))
    return [(o.id, o.name) for o in db.session.scalars(query)]
