"""Demo requests between partners and next steps: one stale and unanswered (so an action waits), one answered
after last month's end (so last month's report names the party it waited for), one declined, fresh ones on
socialtjänsten Rinkeby-Kista's start page, and next steps on several updates. Days are relative to the seed day."""
import datetime as dt

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions.models import Action, RequestOutcome
from tracker.actions.partner_requests import answer_request
from tracker.actions.services import log_progress
from tracker.clock import STOCKHOLM
from tracker.extensions import db
from tracker.organisations.models import Organisation

# (action title, who writes (e-mail local part), days ago, update text, progress, next step, next step in days,
#  request to (short name) and text, or None; the answer as (who, days ago, outcome, text), or None)
Answer = tuple[str, int, RequestOutcome, str]
Spec = tuple[str, str, int, str, int, str, int, tuple[str, str] | None, Answer | None]

REQUESTS: list[Spec] = [
    ("Mentorsprogram för elever i årskurs 7–9", "daniel.okafor", 20,
     "Mentorerna är redo men vi vet inte hur många elever som ska matchas i vår.", 45,
     "Matcha mentorer med elever", 14,
     ("Soc Rinkeby-Kista", "Hur många elever per årskurs har socialtjänsten och skolan pekat ut för mentorskap "
                           "till vårterminen? Vi behöver antalet, inga namn, för att planera mentorerna."), None),
    ("Samordnad individuell plan (SIP) inom 14 dagar", "fatima.yilmaz", 50,
     "Kallelserna till SIP-möten fastnar: vi vet inte vem på socialtjänsten som ska ta emot dem.", 30,
     "Första SIP-mötet enligt den nya rutinen", 10,
     ("Soc Rinkeby-Kista", "Utse en kontaktperson på socialtjänsten som tar emot kallelser till SIP-möten."),
     ("maria.nilsson", 10, RequestOutcome.ACCEPTED, "Ali Hassan är kontaktperson från och med nu och svarar "
                                                    "på kallelser inom tre arbetsdagar.")),
    ("Trygghetsvandring med elever", "karin.strom", 8,
     "Eleverna har ritat en karta över platser där de känner sig otrygga.", 20,
     "Trygghetsvandring med årskurs 8", 11,
     ("Polisen Järva", "Kan två poliser från lokalpolisområdet följa med på vandringen?"),
     ("erik.johansson", 3, RequestOutcome.DECLINED, "Vi har ingen personal den veckan. Vi föreslår vecka 50 "
                                                    "i stället; hör av er så bokar vi.")),
    ("Trygghetsmätning bland boende", "maria.nilsson", 16,
     "Enkäten är klar för utskick, men frågorna om belysning behöver veta vad som redan är åtgärdat.", 55,
     "Skicka enkäten till boende", 9,
     ("Trafikkontoret", "Skicka en lista över de gångvägar och platser i Husby som har fått ny belysning i år."),
     None),
    ("Byta trasig belysning på gångvägen Husby gård–tunnelbanan", "mikael.holm", 5,
     "Leverantören har armaturerna; monteringen väntar på vilka sträckor som ska gå först.", 35,
     "Beställ montering av de första armaturerna", 7,
     ("Soc Rinkeby-Kista", "Vilka sträckor längs gångvägen pekar fältassistenterna ut som mörkast på kvällarna?"),
     None),
    ("Direktslussning från polisen till Brottsofferjouren", "erik.johansson", 2,
     "Frågan om kontakt med Brottsofferjouren finns nu i anmälningsmallen.", 65,
     "Genomgång av de första två veckornas slussningar", 12, None, None),
]


def seed_requests(organisations: dict[str, Organisation], today: dt.date) -> int:
    """Log the updates above with their next steps and requests, and the answers; returns how many requests."""
    people = {u.email.split("@")[0]: u for u in db.session.scalars(select(User))}
    actions = {a.title: a for a in db.session.scalars(select(Action))}
    count = 0
    for title, author, days_ago, text, progress, step, step_in, request, answer in REQUESTS:
        action = actions[title]
        update = log_progress(
            action, text=text, status=action.status, progress=max(progress, action.progress),
            blocked_reason=action.blocked_reason,
            by=people[author], version=action.version, at=_afternoon(today, days_ago), next_step=step,
            next_step_on=today + dt.timedelta(days=step_in),
            request_to_id=organisations[request[0]].id if request else None, request_text=request[1] if request else "")
        for raised in update.requests:
            count += 1
            if answer:
                by, answered_ago, outcome, reply = answer
                answer_request(raised, outcome=outcome, answer=reply, by=people[by],
                               at=_afternoon(today, answered_ago))
    return count


def _afternoon(today: dt.date, days_ago: int) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(14, 15), tzinfo=STOCKHOLM)

