"""`flask seed-demo`: realistic demo data, once, into an empty database."""
import datetime as dt

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.accounts.models import User
from tracker.accounts.services import create_user
from tracker.actions import events
from tracker.actions.models import Action
from tracker.actions.services import create_action, log_progress
from tracker.actions.today import thresholds
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.agreements.services import change_status, create_agreement
from tracker.clock import STOCKHOLM, local_today
from tracker.demo.agreements import AGREEMENTS
from tracker.demo.decisions import seed_steering
from tracker.demo.escalation import seed_escalation
from tracker.demo.organisations import ORGANISATIONS, PEOPLE
from tracker.demo.requests import seed_requests
from tracker.demo.this_month import seed_this_month
from tracker.extensions import db
from tracker.organisations.services import create_organisation
from tracker.reminders.services import Queued, send_reminders
from tracker.reports import services as reports
from tracker.reports.period import Month
from tracker.reports.rules import outside_period

DEMO_PASSWORD = "samverka-demo-2026"


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database already has users.")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Fill an empty database with demo organisations, accounts, agreements and actions."""
    if db.session.scalar(select(func.count(User.id))):
        if if_empty:
            click.echo(_("The database already has data; demo data not added."))
            return
        raise click.ClickException(_("the database already has users; demo data goes only into an empty database"))
    organisations = {}
    for name, short, kind, municipality, domain in ORGANISATIONS:
        organisations[short] = create_organisation(
            {"name": name, "short_name": short, "kind": kind, "municipality": municipality,
             "contact_email": f"samverkan@{domain}"}, by=None)
    db.session.flush()
    domains = {short: domain for _n, short, _k, _m, domain in ORGANISATIONS}
    for short, name, local, role in PEOPLE:
        create_user({"email": f"{local}@{domains[short]}", "name": name,
                     "organisation_id": organisations[short].id, "role": role},
                    by=None, password=DEMO_PASSWORD, temporary=False)
    db.session.flush()
    today = local_today()
    with events.quiet():  # months of history written at once are no news: the reminders job below tells what is
        seed_agreements(organisations, today)
        seed_steering(today)
        seed_escalation(today, DEMO_PASSWORD)
        db.session.flush()
        seed_requests(organisations, today)
        seed_this_month(today)
    archived = seed_reports(today)
    queued = seed_reminders(today)
    db.session.commit()
    click.echo(_("Demo data added: %(organisations)d organisations, %(accounts)d accounts, %(agreements)d agreements "
                 "with %(actions)d actions, %(reports)d archived monthly reports.", organisations=len(ORGANISATIONS),
                 accounts=db.session.scalar(select(func.count(User.id))), agreements=len(AGREEMENTS),
                 actions=db.session.scalar(select(func.count(Action.id))), reports=archived))
    click.echo(_("Every demo account has the password %(password)s", password=DEMO_PASSWORD))
    click.echo(_("The outbox holds %(digests)d weekly summaries and %(notices)d notices (flask mail send delivers "
                 "them once an SMTP server is configured).", digests=queued.digests, notices=queued.notices))


def _morning(today: dt.date, days_ago: int) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(9, 30), tzinfo=STOCKHOLM)


def seed_agreements(organisations: dict, today: dt.date) -> int:
    """The demo agreements, their actions and progress history; returns how many actions."""
    people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))}
    count = 0
    for spec in AGREEMENTS:
        lead = organisations[spec["lead"]]
        lead_person = next(u for u in people.values() if u.organisation_id == lead.id)
        agreement = create_agreement({
            "title": spec["title"], "reference_number": spec["reference_number"], "purpose": spec["purpose"],
            "theme": spec["theme"], "area": spec["area"], "lead_organisation_id": lead.id,
            "starts_on": today + dt.timedelta(days=spec["starts_in"]),
            "ends_on": today + dt.timedelta(days=spec["ends_in"]),
            "next_review_on": today + dt.timedelta(days=spec["review_in"]),
            "party_ids": [organisations[p].id for p in spec["parties"]],
            "steering_group_ids": [people[p].id for p in spec["steering"]]}, by=lead_person)
        if spec["status"] is not AgreementStatus.DRAFT:
            change_status(agreement, spec["status"], by=lead_person, version=agreement.version)
        # Back-dated after the audited changes: each service checks the version its caller read.
        agreement.created_at = _morning(today, -spec["starts_in"])
        for title, description, owner_org, owner, deadline_in, created_ago, updates in spec["actions"]:
            owner_user = people[owner]
            action = create_action(agreement, {
                "title": title, "description": description, "owner_organisation_id": organisations[owner_org].id,
                "owner_id": owner_user.id, "deadline": today + dt.timedelta(days=deadline_in)}, by=lead_person)
            for days_ago, text, status, progress, *reason in updates:
                log_progress(action, text=text, status=status, progress=progress,
                             blocked_reason=reason[0] if reason else "", by=owner_user, version=action.version,
                             at=_morning(today, days_ago))
            action.created_at = _morning(today, created_ago)
            count += 1
    return count


def seed_reports(today: dt.date) -> int:
    """What the monthly cron job would have archived: last month's and this month's report of each active
    agreement, so a steering-group member has something to download on day one."""
    count = 0
    agreements = db.session.scalars(select(Agreement).where(Agreement.status == AgreementStatus.ACTIVE)
                                    .order_by(Agreement.id)).all()
    for agreement in agreements:
        for month in (Month.of(today).previous, Month.of(today)):
            if outside_period([agreement], month, today):
                continue
            reports.generate([agreement], month, language="sv", by=None, today=today, thresholds=thresholds())
            count += 1
    return count


def seed_reminders(today: dt.date) -> Queued:
    """The daily reminders job, run for the seed day: every demo person gets the weekly summary on the seed day's
    weekday, so the administrator's outbox shows the demo's summaries (and its escalation notices) whatever day
    the demo is seeded."""
    for user in db.session.scalars(select(User)):
        user.digest_weekday = today.weekday()  # seed data, as if each had chosen it
    db.session.flush()
    return send_reminders(today)
