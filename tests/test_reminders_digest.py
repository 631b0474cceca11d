"""The weekly digest, delivered to a real SMTP server and read back: what each owner is told, in their language,
with the reason in words and a link to log progress; nothing when there is nothing to say, nothing twice, and
nothing to those who chose another day, opted out or were deactivated."""
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_agreement, make_organisation, make_request, make_user, make_viewer
from tests.smtp import html_of, smtp_server, text_of  # noqa: F401  (a fixture)
from tracker.actions.models import ActionStatus
from tracker.clock import STOCKHOLM
from tracker.extensions import db
from tracker.mail.delivery import deliver_all
from tracker.mail.models import OutboxMessage

TODAY = dt.date(2026, 12, 7)  # a Monday, passed in: the rules judge by it, never by the clock
MONDAY = 0


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=STOCKHOLM)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def w(app):
    """Olle owns one action of each kind at Polisen; the school is another party; Kim coordinates Polisen."""
    police, school = make_organisation(name="Polisen", short_name="Pol"), make_organisation(name="Skolan")
    world = SimpleNamespace(police=police, school=school)
    world.olle = make_user(organisation=police, name="Olle Ägare", email="olle@polisen.example.se", language="sv")
    world.kim = make_user(organisation=police, name="Kim Samordnare", email="kim@polisen.example.se", language="en")
    world.agreement = make_agreement(title="Trygg i Husby", lead_organisation=police, parties=[police, school])

    def action(title, owner=world.olle, **kw):
        values = dict(deadline=days(60), last_progress_at=at(days(-3)), created_at=at(days(-100))) | kw
        return make_action(agreement=world.agreement, owner_organisation=police, owner=owner, title=title, **values)

    world.overdue = action("Belysning i tunneln", deadline=days(-12))
    world.blocked = action("Kameror vid torget", status=ActionStatus.BLOCKED, blocked_reason="Väntar på tillstånd")
    world.silent = action("Nattvandringar", last_progress_at=at(days(-40)))
    world.due = action("Föräldramöte", deadline=days(5))
    world.waiting = action("Fritidsgården")
    make_request(world.waiting, school, world.olle, asked_at=at(days(-20)), text="Skicka schemat.")
    world.fine = action("Läxhjälp på biblioteket")
    world.closed = action("Avslutad", status=ActionStatus.DONE, deadline=days(-30))
    return world


def run(app, today=TODAY):
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def digests():
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")
                                   .order_by(OutboxMessage.id)))


def test_the_owner_is_told_of_each_stalled_and_due_soon_action_with_why_and_a_link(app, w, smtp_server):
    assert "1 digests" in run(app)
    deliver_all()

    [mail] = smtp_server.inbox.to("olle@polisen.example.se")
    assert mail["Subject"] == "Veckosammanfattning: 5 åtgärder behöver uppmärksamhet"
    assert mail["To"] == "Olle Ägare <olle@polisen.example.se>" and mail["Content-Language"] == "sv"
    text = " ".join(text_of(mail).split())
    assert text.startswith("Hej Olle Ägare,")
    assert "Belysning i tunneln Försenad 12 dagar" in text
    assert "Kameror vid torget Blockerad: Väntar på tillstånd" in text
    assert "Nattvandringar Tyst i 40 dagar" in text
    assert "Fritidsgården Har väntat 20 dagar på svar från Skolan" in text
    assert "Föräldramöte Förfaller om 5 dagar" in text
    for absent in ("Läxhjälp", "Avslutad"):
        assert absent not in text
    for action in (w.overdue, w.blocked, w.silent, w.due, w.waiting):
        assert f"Rapportera läge: http://127.0.0.1:5000/actions/{action.id}#log-heading" in text
    assert text.index("Dina avstannade åtgärder (4)") < text.index("Belysning") < text.index(
        "Dina åtgärder som snart ska vara klara (1)") < text.index("Föräldramöte")
    assert "varje måndag" in text and "Ändra vad du får: http://127.0.0.1:5000/account/e-mail" in text

    html = html_of(mail)
    assert '<html lang="sv">' in html and "<img" not in html
    link = f"http://127.0.0.1:5000/actions/{w.overdue.id}#log-heading"
    assert f'<a href="{link}">Rapportera läget för åtgärden</a>' in html
    assert '<a href="http://127.0.0.1:5000/account/e-mail">' in html
    assert "Försenad 12 dagar" in html


def test_an_english_reader_gets_english(app, w, smtp_server):
    w.olle.language = "en"
    run(app)
    deliver_all()
    [mail] = smtp_server.inbox.to("olle@polisen.example.se")
    assert mail["Subject"] == "Weekly summary: 5 actions need attention"
    text = " ".join(text_of(mail).split())
    assert "Overdue 12 days" in text and "Silent 40 days" in text and "Due in 5 days" in text
    assert "Waiting 20 days for an answer from Skolan" in text
    assert "every Monday" in text


def test_coordinators_are_told_of_their_organisations_actions_without_an_owner(app, w, smtp_server):
    gone = make_user(organisation=w.police, name="Gunnar Gått", is_active=False)
    unowned = make_action(agreement=w.agreement, owner_organisation=w.police, owner=None, title="Utan ägare",
                          owner_lost_on=days(-9), last_progress_at=at(days(-3)), deadline=days(60))
    make_action(agreement=w.agreement, owner_organisation=w.police, owner=gone, title="Gunnars kvarlämnade",
                last_progress_at=at(days(-3)), deadline=days(60))
    make_action(agreement=w.agreement, owner_organisation=w.school, owner=None, title="Skolans egen")
    make_viewer(organisation=w.police, email="vera@polisen.example.se")
    run(app)
    deliver_all()

    [mail] = smtp_server.inbox.to("kim@polisen.example.se")
    assert mail["Subject"] == "Weekly summary: 2 actions need attention"
    text = " ".join(text_of(mail).split())
    assert "Without an owner at Polisen (2)" in text
    assert "Utan ägare No active owner" in text and "Gunnars kvarlämnade No active owner" in text
    assert f"Choose a new owner: http://127.0.0.1:5000/actions/{unowned.id}/edit" in text
    assert "Skolans egen" not in text
    assert smtp_server.inbox.to("vera@polisen.example.se") == []  # a viewer coordinates nothing


def test_nothing_is_sent_when_there_is_nothing_to_say(app, w, smtp_server):
    for action in (w.overdue, w.blocked, w.silent, w.due, w.waiting):
        action.status = ActionStatus.DONE
    assert "0 digests" in run(app)
    deliver_all()
    assert smtp_server.inbox.messages == []


def test_running_the_job_twice_sends_nothing_twice(app, w, smtp_server):
    run(app)
    assert "0 digests and 0 notices" in run(app)
    deliver_all()
    assert len(smtp_server.inbox.to("olle@polisen.example.se")) == 1
    assert "0 digests" in run(app)  # after delivery too
    assert deliver_all().sent == 0


def test_the_next_week_brings_a_new_digest(app, w):
    run(app)
    run(app, TODAY + dt.timedelta(days=1))  # Tuesday: not Olle's day
    run(app, TODAY + dt.timedelta(days=7))
    assert [m.dedup_key for m in digests()] == [f"digest:{w.olle.id}:{TODAY}",
                                                f"digest:{w.olle.id}:{TODAY + dt.timedelta(days=7)}"]


@pytest.mark.parametrize(("change", "sent"), [
    ({"digest_weekday": 2}, False), ({"wants_digest": False}, False), ({"is_active": False}, False),
    ({"digest_weekday": MONDAY, "wants_digest": True}, True)],
    ids=["another-weekday", "opted-out", "deactivated", "monday-and-wanted"])
def test_the_weekday_opt_out_and_deactivation_are_respected(app, w, smtp_server, change, sent):
    for name, value in change.items():
        setattr(w.olle, name, value)
    run(app)
    deliver_all()
    assert bool(smtp_server.inbox.to("olle@polisen.example.se")) is sent


def test_the_chosen_weekday_is_the_day_it_comes(app, w, smtp_server):
    w.olle.digest_weekday = 3  # Thursday
    thursday = TODAY + dt.timedelta(days=3)
    run(app)
    assert digests() == []
    run(app, thursday)
    deliver_all()
    [mail] = [m for m in smtp_server.inbox.to("olle@polisen.example.se") if m["Subject"].startswith("Veckosamman")]
    assert "varje torsdag" in text_of(mail)
    assert "Försenad 15 dagar" in text_of(mail)  # judged on the day it runs for


def test_a_deactivated_organisation_gets_nothing(app, w, smtp_server):
    w.police.is_active = False
    run(app)
    deliver_all()
    assert smtp_server.inbox.messages == []


def test_user_text_is_escaped_in_the_html_and_kept_in_the_text(app, w, smtp_server):
    w.overdue.title = "<script>alert(1)</script> & co"
    w.blocked.blocked_reason = "<i>tillstånd</i>"
    w.school.name = "Skolan <b>&</b>"
    run(app)
    deliver_all()
    [mail] = smtp_server.inbox.to("olle@polisen.example.se")
    html = html_of(mail)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<i>" not in html and "Blockerad: &lt;i&gt;tillstånd&lt;/i&gt;" in html
    assert "<b>" not in html and "svar från Skolan &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "<script>alert(1)</script> & co" in text_of(mail) and "från Skolan <b>&</b>" in text_of(mail)


def test_each_link_in_the_digest_opens_a_page_the_owner_may_use(app, w, client, smtp_server):
    from tests.conftest import sign_in

    run(app)
    deliver_all()
    [mail] = smtp_server.inbox.to("olle@polisen.example.se")
    links = set(re.findall(r"http://127\.0\.0\.1:5000(/[^\s#]*)", text_of(mail)))
    sign_in(client, w.olle)
    for path in links:
        assert client.get(path).status_code == 200, path
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
