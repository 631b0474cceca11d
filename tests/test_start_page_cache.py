"""The start page's sections are kept between requests (tracker/pagecache.py) and are never out of date: every change
to what they show, made through the app or straight through the ORM, shows on the next visit (tracker/changes.py).
"""
import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import true

from tests.conftest import Client, sign_in
from tests.factories import make_action, make_agreement, make_organisation, make_request, make_user
from tests.redis_server import REDIS, redis_or_skip
from tests.test_query_counts import counting
from tracker import changes, create_app, pagecache
from tracker.actions.models import ActionStatus
from tracker.clock import local_today, utcnow
from tracker.extensions import db


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


@pytest.fixture
def w(app):
    mine, partner, elsewhere = (make_organisation(name=n, short_name=n.split()[0]) for n in
                                ("Mine kommun", "Partner polis", "Elsewhere region"))
    me = make_user(organisation=mine, name="Maja Me", language="en")
    partner_user = make_user(organisation=partner, name="Pelle Partner", language="en")
    stranger = make_user(organisation=elsewhere, name="Sara Stranger", language="en")
    ours = make_agreement(title="Safer Järva", lead_organisation=partner, parties=[partner, mine])
    theirs = make_agreement(title="Elsewhere only", lead_organisation=elsewhere, parties=[elsewhere])
    a = SimpleNamespace(me=me, partner_user=partner_user, stranger=stranger, mine=mine, partner=partner,
                        elsewhere=elsewhere, ours=ours, theirs=theirs)
    a.my_action = make_action(agreement=ours, owner=me, owner_organisation=mine, title="Fix the lights",
                              created_at=utcnow(), deadline=days(60))
    a.partner_action = make_action(agreement=ours, owner=partner_user, owner_organisation=partner,
                                   title="Walk the square", created_at=utcnow(), deadline=days(1))
    a.their_action = make_action(agreement=theirs, owner=stranger, owner_organisation=elsewhere,
                                 title="Their own work", created_at=utcnow(), deadline=days(30))
    return a


def start(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def stalled_titles(page: str) -> str:
    section = re.search(r'<section aria-labelledby="stalled">(.*?)</section>', page, re.S)
    assert section
    return section.group(1)


def test_a_kept_start_page_reads_no_actions_and_is_the_same_page(client, as_user, w):
    as_user(w.me)
    first = start(client)
    db.session.expunge_all()
    with counting() as statements:
        second = start(client)
    assert not [s for s in statements if "FROM actions" in s or "FROM requests" in s]
    assert len(statements) <= 6, statements  # the session, the person, readable agreements, their stamp
    strip = re.compile(r'name="csrf_token" value="[^"]*"')
    assert strip.sub("", first) == strip.sub("", second)


def test_without_keeping_every_visit_reads_the_actions(client, as_user, w):
    client.application.config["PAGE_CACHE_SECONDS"] = 0
    as_user(w.me)
    start(client)
    with counting() as statements:
        start(client)
    assert [s for s in statements if "FROM actions" in s]


def test_a_progress_update_by_another_party_shows_at_once(app, client, as_user, w):
    as_user(w.me)
    assert "Walk the square" not in stalled_titles(start(client))
    other = app.test_client()
    sign_in(other, w.partner_user)
    response = other.post(f"/actions/{w.partner_action.id}/progress", data={
        "text": "The council closed the square.", "status": "blocked", "progress": "10",
        "blocked_reason": "The square is closed.", "version": w.partner_action.version})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert "Walk the square" in stalled_titles(start(client))


def _new_action(w):
    make_action(agreement=w.ours, owner=w.me, owner_organisation=w.mine, title="Brand new action",
                created_at=utcnow(), deadline=days(20))
    return "Brand new action"


def _action_renamed(w):
    w.my_action.title = "Fix the lights on Rinkebystråket"
    return "Fix the lights on Rinkebystråket"


def _agreement_renamed(w):
    w.ours.title = "Tryggare Järva 2027"
    return "Tryggare Järva 2027"


def _owner_renamed(w):
    w.partner_user.name = "Petra Partner"
    return "Petra Partner"


def _organisation_renamed(w):
    w.partner.short_name = "Polisen Järva"
    return "Polisen Järva"


def _owner_deactivated(w):
    w.partner_user.is_active = False
    return "deactivated"


def _request_to_us(w):
    make_request(w.partner_action, w.mine, w.partner_user, text="Can you lend us the hall?")
    return "Can you lend us the hall?"


def _action_blocked(w):
    w.partner_action.status, w.partner_action.blocked_since = ActionStatus.BLOCKED, local_today()
    w.partner_action.blocked_reason = "No permit."
    return "⊘ Blocked"


def _deadline_moved_into_the_past(w):
    w.my_action.deadline = days(-3)
    return "Overdue 3 days"


@pytest.mark.parametrize("change", [_new_action, _action_renamed, _agreement_renamed, _owner_renamed,
                                    _organisation_renamed, _owner_deactivated, _request_to_us, _action_blocked,
                                    _deadline_moved_into_the_past])
def test_a_change_made_anywhere_shows_on_the_next_visit(client, as_user, w, change):
    as_user(w.me)
    before = start(client)
    expected = change(w)
    assert expected not in before
    db.session.commit()
    assert expected in start(client)


def test_answering_a_request_takes_it_off_the_page(client, as_user, w):
    request = make_request(w.partner_action, w.mine, w.partner_user, text="Can you lend us the hall?")
    as_user(w.me)
    assert "Can you lend us the hall?" in start(client)
    request.answered_at, request.answered_by_id, request.answer = utcnow(), w.me.id, "Yes."
    db.session.commit()
    assert "Can you lend us the hall?" not in start(client)


def test_leaving_an_agreement_takes_its_actions_off_the_page(client, as_user, w):
    as_user(w.me)
    assert "Walk the square" in start(client)
    w.ours.parties = [w.partner]
    db.session.commit()
    page = start(client)
    # my own action stays mine, yet I no longer read its agreement, so no section lists it
    assert "Walk the square" not in page and "Fix the lights" not in page and "Safer Järva" not in page


def test_a_new_day_is_a_new_page(client, as_user, w, monkeypatch):
    as_user(w.me)
    assert "Walk the square" not in stalled_titles(start(client))
    monkeypatch.setattr("tracker.clock.local_today", lambda: days(3))
    assert "Walk the square" in stalled_titles(start(client))  # its deadline, tomorrow, has passed


def test_each_person_gets_only_their_own_sections(app, client, as_user, w):
    as_user(w.me)
    assert "Their own work" not in start(client)
    stranger = app.test_client()
    sign_in(stranger, w.stranger)
    page = start(stranger)
    assert "Their own work" in page and "Fix the lights" not in page and "Walk the square" not in page


def test_a_sign_in_or_a_change_elsewhere_keeps_a_persons_stamp(app, client, w):
    from tracker import policy

    def stamp_of(user):
        return changes.stamp(policy.visible_agreements(user))

    mine, everyone = stamp_of(w.me), changes.stamp(true())
    sign_in(client, w.stranger)  # a sign-in writes last_login_at: not something pages show
    w.their_action.title = "Their renamed work"
    db.session.commit()
    assert stamp_of(w.me) == mine
    assert changes.stamp(true()) != everyone


def test_forgetting_everything_changes_every_stamp(app, w):
    before = changes.stamp(true())
    changes.forget_everything()
    db.session.commit()
    assert changes.stamp(true()) != before


def test_the_local_store_forgets_the_oldest_and_the_expired():
    store = pagecache.LocalStore(entries=2)
    store.set("a", b"1", 60)
    store.set("b", b"2", 60)
    store.get("a")  # a is used: b is now the oldest
    store.set("c", b"3", 60)
    assert (store.get("a"), store.get("b"), store.get("c")) == (b"1", None, b"3")
    store.set("d", b"4", -1)
    assert store.get("d") is None


@pytest.fixture
def other_app(database_url, tmp_path):
    """Another instance of the app on the test's database, with REDIS_URL url; its connections closed after."""
    made = []

    def make(url):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret-key", "TESTING": True,
                          "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost", "REDIS_URL": url,
                          "RATELIMIT_STORAGE_URI": "memory://"})
        app.instance_path = str(tmp_path / "instance")
        app.test_client_class = Client
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_instances_share_kept_sections_in_redis_and_see_each_others_changes(app, other_app, w):
    redis_or_skip().close()
    one, two = other_app(REDIS), other_app(REDIS)
    db.session.commit()
    first, second = one.test_client(), two.test_client()
    with one.app_context():
        sign_in(first, w.me)
        assert "Walk the square" in start(first)
    with two.app_context():
        sign_in(second, w.me)
        with counting() as statements:
            assert "Walk the square" in start(second)
        assert not [s for s in statements if "FROM actions" in s]  # made by the other instance
    w.partner_action.title = "Walk the square at night"
    db.session.commit()
    with one.app_context():
        assert "Walk the square at night" in start(first)


def test_a_redis_that_does_not_answer_only_costs_making_the_page(app, client, other_app, w, caplog):
    down = other_app("redis://127.0.0.1:1/0")
    # Signed in where Redis answers (signing in where it is refused leaves a pooled connection that this test's
    # teardown does not close); sessions are rows, so the other instance serves the signed-in start page.
    sign_in(client, w.me)
    name = app.config["SESSION_COOKIE_NAME"]
    signed_in, client = client.get_cookie(name), down.test_client()
    client.set_cookie(name, signed_in.value, domain=signed_in.domain)
    with down.app_context():
        assert "Walk the square" in start(client)
        assert "Walk the square" in start(client)
    assert "the page cache did not answer" in caplog.text


def test_forget_kept_pages_after_a_restore(app, w):
    before = changes.stamp(true())
    result = app.test_cli_runner().invoke(args=["forget-kept-pages"])
    assert result.exit_code == 0 and "made anew" in result.output
    assert changes.stamp(true()) != before
    wrong = app.test_cli_runner().invoke(args=["forget-kept-pages", "--all", "x" * 10_000])
    assert wrong.exit_code == 2 and "No such option" in wrong.output



def test_a_person_who_reads_no_agreement_sees_their_organisation_renamed(app, client, as_user):
    newcomer = make_user(organisation=make_organisation(name="Nya föreningen", short_name="Nya"), language="en")
    as_user(newcomer)
    assert "Nya föreningen" in start(client)
    newcomer.organisation.name = "Föreningen Trygg Järva"
    db.session.commit()
    assert "Föreningen Trygg Järva" in start(client)


def test_sets_of_agreements_with_equal_sums_have_different_stamps(app):
    from sqlalchemy import update

    from tracker.agreements.models import Agreement

    agreements = [make_agreement() for _ in range(4)]
    db.session.commit()
    db.session.execute(update(Agreement).values(content_version=7))
    ids = sorted(a.id for a in agreements)
    first_and_last, middle = [ids[0], ids[3]], [ids[1], ids[2]]  # equal in number and in the sum of their ids
    assert changes.stamp(Agreement.id.in_(first_and_last)) != changes.stamp(Agreement.id.in_(middle))


def test_an_action_moved_to_another_agreement_changes_both(app, w):
    from tracker.agreements.models import Agreement

    before = {a: changes.stamp(Agreement.id == a.id) for a in (w.ours, w.theirs)}
    w.my_action.agreement = w.theirs
    db.session.commit()
    assert all(changes.stamp(Agreement.id == a.id) != stamp for a, stamp in before.items())


def test_an_entry_that_is_not_one_of_ours_is_made_anew(app, caplog):
    app.config["PAGE_CACHE_SECONDS"] = 60
    key = ("test", 1)
    app.extensions["samverka.pagecache"].set(pagecache.name_of(key), b"not zlib at all", 60)
    assert pagecache.kept(key, lambda: "<p>made</p>") == "<p>made</p>"
    assert pagecache.kept(key, lambda: "<p>again</p>") == "<p>made</p>"  # kept now
    assert "the page cache did not answer" in caplog.text


def test_the_app_writes_what_pages_show_only_through_the_orm(app):
    """tracker/changes.py counts changes at flush; a bulk update(), insert() or delete() would pass it by. Every one in
    the app names a model, and none is a model whose rows a kept page shows (the county-scale seed fills an empty
    database and sets the versions itself; changes.py's own statements grow them)."""
    import ast
    from pathlib import Path

    import tracker

    tables = {m.class_.__name__: m.local_table for m in db.Model.registry.mappers}
    shown_everywhere = {"agreements", "users", "organisations", "agreement_parties", "steering_group_members"}
    package = Path(tracker.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.parent.name == "demo" or path.name == "changes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                    "update", "insert", "delete") and node.args:
                target = node.args[0]
                assert isinstance(target, ast.Name) and target.id in tables, \
                    f"{path}:{node.lineno}: {node.func.id}() of something that is not a model"
                table = tables[target.id]
                shown = table.name not in changes.NOT_SHOWN and (
                    table.name in shown_everywhere or "agreement_id" in table.c or "action_id" in table.c)
                assert not shown, f"{path}:{node.lineno}: {node.func.id}({target.id}) passes tracker/changes.py by"
                found.append(target.id)
    assert {"OutboxMessage", "UserSession", "ImportBatch"} <= set(found)  # the scan sees the app's bulk statements
