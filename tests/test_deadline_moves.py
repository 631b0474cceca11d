"""Deadline honesty: every move of an action's deadline is kept with who, when and why; the first promised date is
never lost; a move without a reason is refused; the action list sorts by how often a deadline moved."""
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from tests.factories import make_action
from tests.test_actions import action_data, create, snapshot, w  # noqa: F401  (w is the shared world fixture)
from tracker.actions.models import Action, DeadlineChange
from tracker.extensions import db


def move(client, action, deadline: str, reason: str = "Skolan behöver mer tid.", **changes):
    data = {"title": action.title, "description": action.description,
            "owner_organisation_id": action.owner_organisation_id, "owner_id": action.owner_id,
            "deadline": deadline, "deadline_reason": reason, "version": action.version}
    return client.post(f"/actions/{action.id}/edit", data=data | changes)


def moves_of(action) -> list[tuple]:
    return [(c.moved_from, c.moved_to, c.by_id, c.reason, c.decision_id) for c in db.session.scalars(
        select(DeadlineChange).where(DeadlineChange.action_id == action.id).order_by(DeadlineChange.id))]


def test_a_moved_deadline_is_kept_with_who_and_why(client, as_user, w):
    as_user(w.me)
    assert move(client, w.action, "2027-02-01").status_code == 303
    assert moves_of(w.action) == [(dt.date(2026, 12, 31), dt.date(2027, 2, 1), w.me.id, "Skolan behöver mer tid.",
                                   None)]
    db.session.expire_all()
    assert db.session.get(Action, w.action.id).deadline == dt.date(2027, 2, 1)


@pytest.mark.parametrize(("reason", "message"), [
    ("", "Say why the deadline moves"),
    ("   ", "Say why the deadline moves"),
    ("x" * 1001, "1000"),
    ("Eleven 19121212-1212 fick vänta", "personal identity number"),
], ids=["empty", "blank", "too-long", "personnummer"])
def test_a_move_without_a_good_reason_is_refused_next_to_the_field_and_saves_nothing(client, as_user, w, reason,
                                                                                      message):
    before = snapshot(w.action)
    as_user(w.me)
    response = move(client, w.action, "2027-02-01", reason=reason, title="Kept title")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="deadline_reason-error"' in page and message in page
    assert 'value="Kept title"' in page and 'value="2027-02-01"' in page
    assert snapshot(w.action) == before and moves_of(w.action) == []


def test_an_edit_that_keeps_the_deadline_needs_no_reason_and_is_no_move(client, as_user, w):
    as_user(w.me)
    assert move(client, w.action, "2026-12-31", reason="", title="Renamed").status_code == 303
    assert moves_of(w.action) == []


def test_setting_the_first_deadline_at_creation_is_no_move(client, as_user, w):
    as_user(w.me)
    assert create(client, w).status_code == 303
    assert db.session.scalar(select(func.count(DeadlineChange.id))) == 0


def test_the_action_page_says_how_often_it_moved_and_what_was_first_promised(client, as_user, w):
    as_user(w.me)
    assert move(client, w.action, "2027-02-01", reason="Första flytten").status_code == 303
    db.session.expire_all()
    action = db.session.get(Action, w.action.id)
    assert move(client, action, "2027-03-15", reason="Andra flytten").status_code == 303
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    assert "Moved 2 times, first promised 31 Dec 2026" in page
    assert page.index("Andra flytten") < page.index("Första flytten")  # newest first


def test_an_action_that_never_moved_shows_no_moves(client, as_user, w):
    as_user(w.me)
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    assert "first promised" not in page and "Deadline moves" not in page


def test_swedish_page_counts_moves_in_swedish(client, as_user, w):
    w.me.language = "sv"
    as_user(w.me)
    assert move(client, w.action, "2027-02-01").status_code == 303
    page = client.get(f"/actions/{w.action.id}").get_data(as_text=True)
    assert "Flyttad 1 gång, först utlovad 31 dec. 2026" in page


def test_the_action_list_sorts_by_how_often_the_deadline_moved(client, as_user, w):
    twice = make_action(agreement=w.agreement, owner_organisation=w.police, owner=w.officer, title="Twice moved",
                        deadline=dt.date(2027, 1, 1))
    once = make_action(agreement=w.agreement, owner_organisation=w.police, owner=w.officer, title="Once moved",
                       deadline=dt.date(2026, 6, 1))
    for action, n in ((twice, 2), (once, 1)):
        for i in range(n):
            db.session.add(DeadlineChange(action=action, moved_from=dt.date(2026, 5, 1 + i),
                                          moved_to=dt.date(2026, 5, 2 + i), by_id=w.me.id, reason="r"))
    as_user(w.me)
    page = client.get("/actions/?sort=-moves").get_data(as_text=True)
    titles = re.findall(r'href="/actions/\d+">(?:<span lang="sv">)?([^<]+)', page)
    assert titles[:3] == ["Twice moved", "Once moved", "Night walks"]
