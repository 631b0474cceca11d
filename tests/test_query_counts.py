"""Pages load what they show in a fixed number of SQL statements: 3 rows or 25, the count is the same."""
import datetime as dt
import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from tests.factories import (
    make_action,
    make_admin,
    make_agreement,
    make_organisation,
    make_update,
    make_user,
    make_viewer,
)
from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus
from tracker.agreements.models import Agreement
from tracker.audit.services import record
from tracker.clock import local_today, utcnow
from tracker.extensions import db

PAGES = ["/agreements/", "/agreements/?stalled=y",
         "/actions/", "/actions/?stalled=y", "/actions/?due_soon=y&open=y", "/actions/?sort=-moves",
         "/", "/actions/?level=2", "/actions/?ownerless=y",
         "/agreements/{main}", "/agreements/{main}/updates", "/agreements/{main}/steering"]


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def build(ids: SimpleNamespace, rows: int) -> None:
    """rows more partners, each with its own people, an agreement with me, and an action in it and in main;
    every action has an owner and a progress update, and about half of them are stalled."""
    me, main = db.session.get(User, ids.me), db.session.get(Agreement, ids.main)
    first = len(main.parties)
    for n in range(first, first + rows):
        partner = make_organisation(name=f"Partner {n:02}")
        owner, viewer = make_user(organisation=partner), make_viewer(organisation=partner)
        main.parties.append(partner)
        main.steering_group.append(viewer)
        agreement = make_agreement(lead_organisation=me.organisation, parties=[me.organisation, partner],
                                   steering_group=[viewer], starts_on=days(-300), ends_on=days(300))
        for parent in (main, agreement):
            stalled = n % 2 == 1
            action = make_action(agreement=parent, owner_organisation=partner, owner=owner, created_at=utcnow(),
                                 deadline=days(-2 if stalled else 7),
                                 status=ActionStatus.BLOCKED if stalled else ActionStatus.IN_PROGRESS,
                                 blocked_reason="Waiting." if stalled else "")
            make_update(action, owner, at=utcnow(), text=f"Update {n}")
        mine = make_action(agreement=main, owner=make_user(organisation=me.organisation), created_at=utcnow(),
                           deadline=days(3))
        make_update(mine, me, at=utcnow())


def build_history(ids: SimpleNamespace, rows: int) -> None:
    """rows changes of owner on one action, and of the steering group on main: names shown in their histories."""
    me, main, action = (db.session.get(m, i) for m, i in ((User, ids.me), (Agreement, ids.main),
                                                           (Action, ids.action)))
    for _ in range(rows):
        former, new = make_user(organisation=me.organisation), make_user(organisation=me.organisation)
        record(me, "update", action, {"owner_id": [former.id, new.id]})
        record(me, "update", main, {"steering_group": [[former.id], [new.id]]})


@contextmanager
def counting():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def statements_for(client, path: str) -> list[str]:
    """The statements that make the page (the start page's kept sections are made anew: tests/test_start_page_cache.py
    counts what a kept one costs)."""
    client.application.config["PAGE_CACHE_SECONDS"] = 0
    assert client.get(path).status_code == 200  # warm up: connection set-up and first-use queries
    db.session.commit()
    db.session.expunge_all()  # the request starts with an empty session, as in production
    with counting() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements


@pytest.fixture
def world(client, as_user):
    organisation = make_organisation(name="Lead kommun")
    me = make_user(organisation=organisation, language="en")
    main = make_agreement(lead_organisation=organisation, starts_on=days(-300), ends_on=days(300))
    action = make_action(agreement=main, owner=me, created_at=utcnow(), deadline=days(20))
    as_user(me)
    return client, SimpleNamespace(me=me.id, main=main.id, action=action.id)


@pytest.mark.parametrize("path", PAGES)
def test_statement_count_does_not_grow_with_rows(world, path):
    client, ids = world
    path = path.format(main=ids.main)
    build(ids, 3)
    few = statements_for(client, path)
    build(ids, 22)
    many = statements_for(client, path)
    assert len(many) == len(few), "\n\n".join(many)


@pytest.mark.parametrize("path", ["/", "/actions/", "/actions/?stalled=y", "/agreements/{main}"])
def test_lists_of_actions_read_only_the_columns_their_rows_show(world, path):
    """An action's description and an agreement's purpose are long texts only their own pages show (a count's
    subquery names every column, but the database reads none of them for it)."""
    client, ids = world
    build(ids, 3)
    statements = [s for s in statements_for(client, path.format(main=ids.main)) if not s.startswith("SELECT count(*)")]
    assert not [s for s in statements if "actions.description" in s or "agreements_1.purpose" in s]
    assert any("FROM actions" in s for s in statements)


def test_a_later_page_of_an_agreements_actions_does_not_grow_with_rows(world):
    """Page 2 of an agreement's actions, 91 actions (41 on it) or 211 (50 on it, more organisations)."""
    client, ids = world
    build(ids, 30)
    few = statements_for(client, f"/agreements/{ids.main}?page=2")
    build(ids, 40)
    many = statements_for(client, f"/agreements/{ids.main}?page=2")
    assert len(many) == len(few), "\n\n".join(many)


@pytest.mark.parametrize("path", ["/actions/{action}", "/agreements/{main}", "/actions/{action}/history",
                                  "/agreements/{main}/history"])
def test_statement_count_does_not_grow_with_the_history_shown(world, path):
    client, ids = world
    path = path.format(main=ids.main, action=ids.action)
    build_history(ids, 3)
    few = statements_for(client, path)
    build_history(ids, 15)
    many = statements_for(client, path)
    assert len(many) == len(few), "\n\n".join(many)


def test_the_pages_really_list_the_rows(world):
    """Guards the tests above: equal counts mean nothing if the pages were empty."""
    client, ids = world
    build(ids, 25)
    build_history(ids, 18)
    db.session.commit()

    def links(path: str, pattern: str = r'href="/actions/\d+"') -> int:
        return len(re.findall(pattern, client.get(path.format(main=ids.main)).get_data(as_text=True)))

    assert links("/actions/") == 25 and links("/actions/?stalled=y") == 25
    assert links("/agreements/{main}") == 50 + 10  # the first page of main's 51 actions, and the ten latest updates
    assert links("/agreements/{main}?page=2") == 1 + 10
    assert links("/") == 10 + 10 + 1 + 10  # the first ten of each section but mine, which has one
    assert links("/", r'<a href="/actions/\?[^"]+">Show all \d+') == 3
    assert links("/agreements/{main}/updates", r'<p class="meta">') == 50
    assert links("/agreements/", r'<td[^>]*><a href="/agreements/\d+"') == 20
    assert links(f"/actions/{ids.action}", r"<li>Owner: User \d+ → User \d+</li>") == 18
    assert links("/agreements/{main}", r"<li>Steering group: User \d+ → User \d+</li>") == 18


@pytest.mark.parametrize("path", ["/admin/audit/", "/admin/users/", "/admin/organisations/"])
def test_administration_lists_do_not_grow_with_rows(client, as_user, path):
    organisation = make_organisation(name="Länsstyrelsen")
    admin = make_admin(organisation=organisation, language="en")
    main = make_agreement(lead_organisation=organisation, starts_on=days(-300), ends_on=days(300))
    action = make_action(agreement=main, owner=admin, created_at=utcnow(), deadline=days(20))
    as_user(admin)
    ids = SimpleNamespace(me=admin.id, main=main.id, action=action.id)
    build(ids, 3)
    build_history(ids, 3)
    few = statements_for(client, path)
    build(ids, 10)
    build_history(ids, 10)
    many = statements_for(client, path)
    assert len(many) == len(few), "\n\n".join(many)


def test_an_older_page_of_the_audit_log_does_not_grow_with_rows(client, as_user):
    """A keyset page deep in the log: the same statements with 60 or 160 events before and after it."""
    admin = make_admin(organisation=make_organisation(name="Länsstyrelsen"), language="en")
    as_user(admin)
    admin_id, organisation_id = admin.id, admin.organisation_id

    def older_page(events: int) -> list[str]:
        for n in range(events):
            record(make_user(organisation_id=organisation_id), "update", db.session.get(User, admin_id),
                   {"name": [f"A {n}", f"B {n}"]})
        db.session.commit()
        page = client.get("/admin/audit/").get_data(as_text=True)
        older = re.search(r'<a href="([^"]+)" rel="next">', page).group(1).replace("&amp;", "&")
        return statements_for(client, older)

    few = older_page(60)
    many = older_page(100)
    assert len(many) == len(few), "\n\n".join(many)
