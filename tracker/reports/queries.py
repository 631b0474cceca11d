"""Read-only selects for the report archive, always filtered by what the user may read."""
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from tracker import policy
from tracker.accounts.models import User
from tracker.agreements.models import Agreement
from tracker.extensions import db
from tracker.reports.models import Report, ReportJob, report_agreements


def reports_of(agreement: Agreement) -> list[Report]:
    """The agreement's archived reports, newest month and number first."""
    return list(db.session.scalars(select(Report).where(Report.agreement_id == agreement.id)
                                   .options(joinedload(Report.generated_by))
                                   .order_by(Report.month.desc(), Report.language, Report.number.desc())))


@dataclass
class ReportFilters:
    agreement_id: int | None = None
    month: str | None = None


def search_reports(user: User, f: ReportFilters) -> Select:
    """The agreement and portfolio reports the user may read, newest first."""
    query = (select(Report).where(policy.readable_reports(user))
             .options(joinedload(Report.generated_by), selectinload(Report.agreements))
             .order_by(Report.month.desc(), Report.generated_at.desc(), Report.id.desc()))
    if f.agreement_id is not None:
        query = query.where(Report.id.in_(select(report_agreements.c.report_id).where(
            report_agreements.c.agreement_id == f.agreement_id)))
    if f.month:
        query = query.where(Report.month == f.month)
    return query


def portfolio_choices(user: User) -> list[Agreement]:
    """The agreements the user may put in a portfolio report, by title."""
    return list(db.session.scalars(select(Agreement).where(policy.portfolio_agreements(user))
                                   .order_by(Agreement.title, Agreement.id)))


def readable_agreement_choices(user: User) -> list[tuple[int, str]]:
    """The agreements the user may read, for the archive's filter."""
    return [(a.id, a.title) for a in db.session.scalars(
        select(Agreement).where(policy.visible_agreements(user)).order_by(Agreement.title, Agreement.id))]


def recent_jobs(user: User, limit: int = 10) -> list[ReportJob]:
    """The reports the user asked for most recently, newest first, with their archived report."""
    return list(db.session.scalars(select(ReportJob).where(ReportJob.requested_by_id == user.id)
                                   .options(joinedload(ReportJob.report))
                                   .order_by(ReportJob.created_at.desc(), ReportJob.id.desc()).limit(limit)))
