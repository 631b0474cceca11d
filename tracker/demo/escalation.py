"""Demo data for the escalation ladder and handover: an action raised to the steering group by hand, a person who
left and whose actions went to their organisation's coordinators unassigned ("utan ansvarig"), and thresholds of
its own on one agreement. Actions of the other demo agreements climb the ladder by their dates alone."""
import datetime as dt

from sqlalchemy import select

from tracker.accounts.models import Role, User
from tracker.accounts.services import create_user, set_user_active
from tracker.actions.models import Action, ActionStatus
from tracker.actions.services import create_action, hand_over, log_progress, raise_to_steering_group
from tracker.agreements.models import Agreement
from tracker.clock import STOCKHOLM
from tracker.demo.decisions import back_date, marker
from tracker.demo.this_month import in_this_month
from tracker.extensions import db

JARVA = "Tidiga insatser mot nyrekrytering till kriminella gäng i Järva"
RAISED_TITLE = "Skolkuratorns återkoppling efter orosanmälan"
RAISE_REASON = ("Skolan och socialtjänsten är oense om vem som ska ringa upp och sekretessfrågan är olöst. "
                "Styrgruppen behöver besluta om ansvarsfördelningen innan rutinen kan införas.")


def seed_escalation(today: dt.date, password: str) -> None:
    """Add the escalation and handover examples to the seeded demo agreements (needs seed_agreements first)."""
    people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))}
    jarva = db.session.scalars(select(Agreement).where(Agreement.title == JARVA)).one()
    maria, karin = people["maria.nilsson"], people["karin.strom"]
    _raise_by_hand(jarva, maria, karin, today)
    _leaver_hands_over(jarva, people, today, password)


def _raise_by_hand(jarva: Agreement, maria: User, karin: User, today: dt.date) -> None:
    action = create_action(jarva, {
        "title": RAISED_TITLE, "owner_organisation_id": karin.organisation_id, "owner_id": karin.id,
        "description": "Socialtjänsten återkopplar till skolkuratorn inom två veckor efter en orosanmälan, "
                       "så att skolan vet om eleven får stöd.",
        "deadline": today + dt.timedelta(days=25)}, by=maria)
    log_progress(action, text="Första mötet hållet; utkast skickat till rektor och enhetschef.",
                 status=ActionStatus.IN_PROGRESS, progress=20, blocked_reason="", by=karin, version=action.version,
                 at=_morning(today, 20))
    raise_to_steering_group(action, reason=RAISE_REASON, by=maria, version=action.version)
    # Back-dated after the audited changes: each service checks the version its caller read.
    action.created_at, action.raised_at = _morning(today, 120), _morning(today, 6)


def _leaver_hands_over(jarva: Agreement, people: dict[str, User], today: dt.date, password: str) -> None:
    """Jonas at the social services left this month (16 days ago, or on the 1st when the month is younger): his two
    open actions went to the coordinators unassigned. One had been silent since before the month began, so only the
    other is newly stalled in this month's report, whatever day the demo is seeded."""
    maria = people["maria.nilsson"]
    jonas = create_user({"email": "jonas.pettersson@rinkebykista.example.se", "name": "Jonas Pettersson",
                         "organisation_id": maria.organisation_id, "role": Role.COORDINATOR, "language": "sv"},
                        by=None, password=password, temporary=False)
    specs = [("Föräldraträffar om nätrekrytering på tre fritidsgårdar", 40, 100, 30),
             ("Kartläggning av stöd till syskon till gängkriminella", 75, 120, today.day + 35)]
    actions: list[Action] = []
    for title, deadline_in, created_ago, updated_ago in specs:
        action = create_action(jarva, {"title": title, "owner_organisation_id": maria.organisation_id,
                                       "owner_id": jonas.id, "deadline": today + dt.timedelta(days=deadline_in),
                                       "description": ""}, by=maria)
        log_progress(action, text="Planering pågår tillsammans med fritidsgårdarna.", status=ActionStatus.IN_PROGRESS,
                     progress=15, blocked_reason="", by=jonas, version=action.version,
                     at=_morning(today, updated_ago))
        action.created_at = _morning(today, created_ago)
        actions.append(action)
    admin = people["anna.lindqvist"]
    left = in_this_month(today, 16)
    before = marker()
    set_user_active(jonas, False, by=admin, version=jonas.version)
    for action in actions:
        hand_over(action, None, by=admin, today=left.date())
    back_date(before, left)


def _morning(today: dt.date, days_ago: int) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(9, 30), tzinfo=STOCKHOLM)
