"""Read-only selects for the report archive."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.accounts.models import User
from tracker.agreements.models import Agreement
from tracker.extensions import db
from tracker.reports.models import Report


def reports_of(agreement: Agreement) -> list[Report]:
    """The agreement's archived reports, newest month and number first."""
    return list(db.session.scalars(select(Report).where(Report.agreement_id == agreement.id)
                                   .options(joinedload(Report.generated_by))
                                   .order_by(Report.month.desc(), Report.number.desc())))


def portfolio_reports() -> list[Report]:
    return list(db.session.scalars(select(Report).where(Report.agreement_id.is_(None))
                                   .options(joinedload(Report.generated_by))
                                   .order_by(Report.month.desc(), Report.number.desc()).limit(200)))


def readable(reports: list[Report], user: User, visible_ids: set[int]) -> list[Report]:
    """The reports whose every agreement the user may read (visible_ids: ids of agreements they may read)."""
    return [r for r in reports if user.is_admin or set(r.agreement_ids) <= visible_ids]
