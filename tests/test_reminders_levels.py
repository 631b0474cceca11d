"""Escalation notices, found by the daily job and delivered to a real SMTP server: level 2 to the owning
organisation's active coordinators, level 3 to the steering group's active members, once per action, level and
person in each stall; a new stall later tells them again."""
import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_agreement, make_organisation, make_user, make_viewer
from tests.smtp import html_of, smtp_server, text_of  # noqa: F401  (a fixture)
from tests.test_reminders_digest import at
from tracker.actions import services
from tracker.actions.models import ActionStatus
from tracker.extensions import db
from tracker.mail.delivery import deliver_all
from tracker.mail.models import OutboxMessage
from tracker.reminders.services import send_reminders

TODAY = dt.date(2026, 12, 8)  # a Tuesday: nobody's digest day (everyone keeps Monday), so only notices go out
BASE = "http://127.0.0.1:5000"


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def w(app):
    """Polisen owns the action "Belysning" in "Trygg i Husby" (led by Skolan); its steering group is Mia (active)
    and Max (deactivated). Polisen's coordinators are Olle (the owner) and Petra; Vera reads."""
    police, school = make_organisation(name="Polisen", short_name="Pol"), make_organisation(name="Skolan")
    world = SimpleNamespace(police=police, school=school)
    world.olle = make_user(organisation=police, name="Olle Ägare", email="olle@polisen.example.se", language="sv")
    world.petra = make_user(organisation=police, name="Petra Polis", email="petra@polisen.example.se", language="en")
    make_user(organisation=police, email="gone@polisen.example.se", is_active=False)
    make_viewer(organisation=police, email="vera@polisen.example.se")
    world.sam = make_user(organisation=school, name="Sam Skola", email="sam@skolan.example.se")
    world.mia = make_viewer(organisation=school, name="Mia Styrgrupp", email="mia@skolan.example.se", language="en")
    world.max = make_viewer(organisation=school, email="max@skolan.example.se", is_active=False)
    world.agreement = make_agreement(title="Trygg i Husby", lead_organisation=school, parties=[school, police],
                                     steering_group=[world.mia, world.max])
    world.action = make_action(agreement=world.agreement, owner_organisation=police, owner=world.olle,
                               title="Belysning", deadline=days(-15), last_progress_at=at(days(-2)),
                               created_at=at(days(-100)))
    return world


def run(today=TODAY):
    queued = send_reminders(today)
    db.session.commit()
    return queued


def sent_to(kind=None) -> list[str]:
    query = select(OutboxMessage).order_by(OutboxMessage.to_address, OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return [m.to_address for m in db.session.scalars(query)]


def test_level_two_tells_the_owning_organisations_active_coordinators(app, w, smtp_server):
    assert run().notices == 2
    deliver_all()

    assert sorted(m["X-Envelope-To"] for m in smtp_server.inbox.messages) == ["olle@polisen.example.se",
                                                                              "petra@polisen.example.se"]
    [petra] = smtp_server.inbox.to("petra@polisen.example.se")
    text = " ".join(text_of(petra).split())
    assert petra["Subject"] == "Stalled, now with the coordinators: Belysning"
    assert "An action of Polisen has been stalled long enough to need its coordinators: * Belysning" in text
    assert "Overdue 15 days · Level 2: coordinators" in text
    assert "Trygg i Husby · Pol · Olle Ägare" in text
    assert f"The action: {BASE}/actions/{w.action.id}#log-heading" in text
    assert "because you are a coordinator at Polisen, which owns this action" in text
    assert "cannot be switched off" in text and f"{BASE}/account/e-mail" in text
    assert "steering" not in text.split("--")[0].lower()
    [olle] = smtp_server.inbox.to("olle@polisen.example.se")
    assert olle["Subject"] == "Avstannad, nu hos samordnarna: Belysning"
    assert "Försenad 15 dagar · Nivå 2: samordnarna" in text_of(olle)


def test_a_coordinator_who_has_not_accepted_the_invitation_is_not_told_yet(app, w):
    make_user(organisation=w.police, email="invited@polisen.example.se", password_hash="")  # invited, no password
    assert run().notices == 2
    assert "invited@polisen.example.se" not in sent_to()


def test_one_day_short_of_level_two_tells_nobody(app, w):
    w.action.deadline = days(-14)  # stalled 13 days
    assert run().notices == 0


def test_level_three_tells_the_steering_groups_active_members(app, w, smtp_server):
    w.action.deadline = days(-31)  # stalled 30 days
    run()
    deliver_all()

    assert sent_to("notice_level3") == ["mia@skolan.example.se"]
    assert sent_to("notice_level2") == ["olle@polisen.example.se", "petra@polisen.example.se"]
    [mia] = smtp_server.inbox.to("mia@skolan.example.se")
    text = " ".join(text_of(mia).split())
    assert mia["Subject"] == "For the steering group: Belysning"
    assert "An action in Trygg i Husby has reached the steering group: * Belysning" in text
    assert "Overdue 31 days · Level 3: steering group" in text
    assert f"The steering group's page: {BASE}/agreements/{w.agreement.id}/steering" in text
    assert "because you are a member of the steering group of Trygg i Husby" in text
    assert f'<a href="{BASE}/agreements/{w.agreement.id}/steering">' in html_of(mia)


def test_coordinators_told_of_an_action_already_at_level_three_hear_where_it_is(app, w, smtp_server):
    w.action.deadline = days(-31)  # stalled 30 days when the job first sees it
    run()
    deliver_all()

    [petra] = smtp_server.inbox.to("petra@polisen.example.se")
    text = " ".join(text_of(petra).split())
    assert petra["Subject"] == "Stalled, now with the steering group: Belysning"
    assert "An action in Trygg i Husby has reached the steering group: * Belysning" in text
    assert "Level 3: steering group" in text and "Level 2" not in text
    assert "it has been stalled long enough to reach the steering group (level 3" in text
    assert "Notices about your own actions and your organisation's cannot be switched off." in text
    [mia] = smtp_server.inbox.to("mia@skolan.example.se")
    footer = " ".join(text_of(mia).split("--")[-1].split())
    assert "Notices to a steering group's members cannot be switched off" in footer
    assert "your organisation's" not in footer


def test_each_level_is_told_once_per_action_as_it_climbs(app, w):
    assert run().notices == 2
    assert run().notices == 0  # the same day again
    assert run(days(1)).notices == 0  # still level 2 the next day
    assert run(days(16)).notices == 1  # level 3: the steering group; the coordinators knew already
    assert run(days(17)).notices == 0
    assert sent_to() == ["mia@skolan.example.se", "olle@polisen.example.se", "petra@polisen.example.se"]


def test_a_new_stall_later_tells_them_again(app, w):
    run()
    services.update_action(w.action, {"title": "Belysning", "description": "", "deadline": days(60),
                                      "owner_organisation_id": w.police.id, "owner_id": w.olle.id,
                                      "deadline_reason": "Styrgruppen gav mer tid."}, by=w.petra,
                           version=w.action.version)
    w.action.last_progress_at = at(days(55))  # and progress logged meanwhile
    assert run(days(1)).notices == 0  # on track again
    assert run(days(60 + 15)).notices == 2  # overdue again, 14 days later: a new stall
    assert sent_to("notice_level2") == ["olle@polisen.example.se"] * 2 + ["petra@polisen.example.se"] * 2


def test_a_raise_by_hand_tells_the_steering_group_with_the_reason(app, w, smtp_server):
    w.action.deadline = days(30)  # on track: only the raise puts it on level 3
    db.session.flush()
    services.raise_to_steering_group(w.action, reason="Oenighet om ansvaret.", by=w.petra, version=w.action.version)
    w.action.raised_at = at(days(-1))
    run()
    deliver_all()

    assert [m["X-Envelope-To"] for m in smtp_server.inbox.messages] == ["mia@skolan.example.se"]
    text = " ".join(text_of(smtp_server.inbox.messages[0]).split())
    assert "Raised to the steering group by Petra Polis: Oenighet om ansvaret." in text
    assert "Level 3: steering group" in text
    assert run(days(1)).notices == 0


def test_an_agreements_own_thresholds_apply(app, w):
    w.agreement.escalate_level2_days = 3
    w.action.deadline = days(-4)  # stalled 3 days
    assert run().notices == 2


def test_closed_and_blocked_actions(app, w):
    w.action.status = ActionStatus.DONE
    assert run().notices == 0
    w.action.status, w.action.deadline = ActionStatus.BLOCKED, days(30)
    w.action.blocked_since = days(-14)
    assert run().notices == 2


def test_a_coordinator_in_the_steering_group_gets_the_level_three_notice_alone(app, w):
    w.agreement.steering_group.append(w.petra)
    w.action.deadline = days(-31)
    run()
    run(days(1))
    assert sent_to("notice_level3") == ["mia@skolan.example.se", "petra@polisen.example.se"]
    assert sent_to("notice_level2") == ["olle@polisen.example.se"]
