"""Demo steering-group work: deadlines moved with reasons (one this month), and last month's meeting of the Järva
steering group, whose decision moved a deadline, gave an action a new owner, cancelled one and accepted a delay."""
import datetime as dt

from babel.dates import format_date
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from tracker.accounts.models import User
from tracker.actions.models import Action, DeadlineChange, ProgressUpdate
from tracker.actions.services import update_action
from tracker.agreements.models import Agreement
from tracker.audit.models import AuditEvent
from tracker.clock import STOCKHOLM
from tracker.extensions import db
from tracker.reports.period import Month
from tracker.steering.models import Decision, EffectKind
from tracker.steering.services import Effect, record_decision

JARVA = "Tidiga insatser mot nyrekrytering till kriminella gäng i Järva"
# (action title, who moved it, [(days ago, deadline moved from (days from today), reason)], oldest first; the
# last move ends at the action's current deadline.
MOVES = [
    ("Gemensam rutin för orosanmälningar från skolan", "maria.nilsson", [
        (95, -80, "Remissrundan till rektorerna tog sex veckor i stället för tre."),
        (40, -50, "Två skolor vill ha kortare svarstid; rutinen skrivs om innan den antas.")]),
    ("Byta trasig belysning på gångvägen Husby gård–tunnelbanan", "mikael.holm", [
        (70, -60, "Entreprenören saknar armaturer; leveransen är försenad till oktober.")]),
    ("Trygghetsmätning bland boende", "maria.nilsson", [
        (5, -10, "Enkäten skickas efter trygghetsvandringen så att svaren kan jämföras.")]),
]
MEETING_TEXT = ("Styrgruppen gick igenom de åtgärder som stått still. SIP-arbetet får mer tid eftersom BUP byter "
                "journalsystem. Fältassistenterna leds från november av Maria Nilsson. Trygghetsvandringen med "
                "elever ersätts av trygghetsmätningen och avbryts. Förseningen av föräldramötena godtas: "
                "stadsdelen hyr Husby träff från januari.")


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=STOCKHOLM)


def back_date(marks: tuple[int, int, int], when: dt.datetime) -> None:
    """Back-date what the services just wrote (audit events, moves, updates) to when it happened."""
    events, moves, updates = marks
    for model, column, after in ((AuditEvent, AuditEvent.at, events), (DeadlineChange, DeadlineChange.at, moves),
                                 (ProgressUpdate, ProgressUpdate.at, updates)):
        for row in db.session.scalars(select(model).where(model.id > after)):
            setattr(row, column.key, when)
            if isinstance(row, ProgressUpdate):
                row.action.last_progress_at = when


def marker() -> tuple[int, int, int]:
    db.session.flush()
    return tuple(db.session.scalar(select(func.coalesce(func.max(m.id), 0)))  # type: ignore[return-value]
                 for m in (AuditEvent, DeadlineChange, ProgressUpdate))


def seed_moves(people: dict[str, User], today: dt.date) -> None:
    for title, who, moves in MOVES:
        action = db.session.scalars(select(Action).where(Action.title == title)).one()
        current = action.deadline
        _promise_first(action, today + dt.timedelta(days=moves[0][1]))
        targets = [today + dt.timedelta(days=m[1]) for m in moves[1:]] + [current]
        for (days_ago, _from, reason), target in zip(moves, targets, strict=True):
            before = marker()
            update_action(action, action_fields(action) | {"deadline": target, "deadline_reason": reason},
                          by=people[who], version=action.version)
            back_date(before, _at(today - dt.timedelta(days=days_ago)))


def _promise_first(action: Action, first: dt.date | None) -> None:
    """The deadline the action was created with, in the action and in its "create" audit event."""
    action.deadline = first
    created = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "actions", AuditEvent.object_id == action.id, AuditEvent.verb == "create")).one()
    created.changes = created.changes | {"deadline": [None, first.isoformat() if first else None]}
    flag_modified(created, "changes")
    db.session.flush()


def action_fields(action: Action) -> dict:
    return {"title": action.title, "description": action.description, "owner_id": action.owner_id,
            "owner_organisation_id": action.owner_organisation_id}


def seed_decisions(people: dict[str, User], today: dt.date) -> Decision:
    """Last month's meeting (the 14th) of the Järva steering group, recorded the next morning by its secretary."""
    meeting_day = Month.of(today).previous.first_day.replace(day=14)
    agreement = db.session.scalars(select(Agreement).where(Agreement.title == JARVA)).one()
    actions = {a.title: a for a in db.session.scalars(select(Action).where(Action.agreement_id == agreement.id))}
    effects = [
        Effect(actions["Samordnad individuell plan (SIP) inom 14 dagar"], EffectKind.NEW_DEADLINE,
               new_deadline=today + dt.timedelta(days=75)),
        Effect(actions["Fältassistenter i Husby centrum fredag och lördag kväll"], EffectKind.NEW_OWNER,
               new_owner=people["maria.nilsson"]),
        Effect(actions["Trygghetsvandring med elever"], EffectKind.CANCEL),
        Effect(actions["Föräldramöten om rekrytering via sociala medier"], EffectKind.ACCEPTED_DELAY),
    ]
    before = marker()
    decision = record_decision(agreement, decided_on=meeting_day,
                               meeting=f"Styrgruppsmöte {format_date(meeting_day, 'd MMMM', locale='sv')}",
                               text=MEETING_TEXT, effects=effects, by=people["erik.johansson"])
    recorded = _at(meeting_day + dt.timedelta(days=1))
    decision.recorded_at = recorded
    back_date(before, recorded)
    agreement.next_meeting_on = today + dt.timedelta(days=(2 - today.weekday()) % 7 + 14)  # a Wednesday
    return decision


def seed_steering(today: dt.date) -> None:
    """Deadline moves with reasons, and a steering-group decision applied to four actions."""
    people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))}
    seed_moves(people, today)
    seed_decisions(people, today)
    db.session.flush()
