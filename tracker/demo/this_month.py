"""Demo history inside the current month for the Järva agreement, so its report has something to say "since last
month": an action completed this month, one added this month, and a deadline moved this month with a reason.
Days "ago" are kept inside the month (on the 1st they fall on the morning of the seed day)."""
import datetime as dt

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus
from tracker.actions.services import create_action, log_progress, update_action
from tracker.agreements.models import Agreement
from tracker.clock import STOCKHOLM
from tracker.demo.decisions import JARVA, action_fields, back_date, marker
from tracker.extensions import db

COMPLETED = ("Kontaktlista mellan skola, socialtjänst och polis",
             "En gemensam lista med direktnummer till den som tar emot oro för en elev, uppdaterad varje termin.")
NEW = ("Jullovsaktiviteter för unga i Husby",
       "Fryshuset och fältassistenterna håller öppet på kvällarna under jullovet, med extra personal vid nyår.")
MOVED = "Mentorsprogram för elever i årskurs 7–9"
MOVE_REASON = "Matchningen av mentorer väntar på socialtjänstens underlag; starten flyttas till vårterminen."


def in_this_month(today: dt.date, days_ago: int) -> dt.datetime:
    """A morning `days_ago` days before today, but never before the first of today's month."""
    day = today - dt.timedelta(days=min(days_ago, today.day - 1))
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=STOCKHOLM)


def seed_this_month(today: dt.date) -> None:
    people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))}
    jarva = db.session.scalars(select(Agreement).where(Agreement.title == JARVA)).one()
    karin, daniel, maria = people["karin.strom"], people["daniel.okafor"], people["maria.nilsson"]

    done = create_action(jarva, {"title": COMPLETED[0], "description": COMPLETED[1],
                                 "owner_organisation_id": karin.organisation_id, "owner_id": karin.id,
                                 "deadline": today + dt.timedelta(days=10)}, by=maria)
    log_progress(done, text="Listan är utskickad på remiss till rektorerna och socialtjänstens mottagning.",
                 status=ActionStatus.IN_PROGRESS, progress=60, blocked_reason="", by=karin, version=done.version,
                 at=dt.datetime.combine(today - dt.timedelta(days=today.day + 12), dt.time(9, 0), tzinfo=STOCKHOLM))
    log_progress(done, text="Listan är klar och finns på skolans och socialtjänstens intranät.",
                 status=ActionStatus.DONE, progress=100, blocked_reason="", by=karin, version=done.version,
                 at=in_this_month(today, 8))
    done.created_at = dt.datetime.combine(today - dt.timedelta(days=today.day + 40), dt.time(9, 0), tzinfo=STOCKHOLM)

    new = create_action(jarva, {"title": NEW[0], "description": NEW[1], "owner_organisation_id": daniel.organisation_id,
                                "owner_id": daniel.id, "deadline": today + dt.timedelta(days=35)}, by=maria)
    new.created_at = in_this_month(today, 10)

    mentors = db.session.scalars(select(Action).where(Action.agreement_id == jarva.id, Action.title == MOVED)).one()
    assert mentors.deadline is not None
    before = marker()
    update_action(mentors, action_fields(mentors) | {"deadline": mentors.deadline + dt.timedelta(days=60),
                                                     "deadline_reason": MOVE_REASON},
                  by=daniel, version=mentors.version)
    back_date(before, in_this_month(today, 3))
    db.session.flush()
