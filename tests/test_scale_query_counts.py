"""On a county-scale set, each page a person meets runs the same number of SQL statements for a small agreement as
for the largest, for a person with few actions as for one with many, and never more than a bound.

The set is SAMVERKA_SCALE_FRACTION of the full county (default 0.005, so the suite stays fast); .ci/run runs this
file on PostgreSQL at 1, the full 60,000 actions and 300,000 progress updates.
"""
import difflib
import os
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.conftest import Client, _empty_tables, sign_in
from tests.test_query_counts import statements_for
from tracker import create_app
from tracker.accounts.models import Role, User
from tracker.actions.models import Action, ActionStatus, ProgressUpdate
from tracker.agreements.models import Agreement, AgreementStatus
from tracker.audit.models import AuditEvent
from tracker.demo.cli import DEMO_PASSWORD
from tracker.extensions import db

FRACTION = float(os.environ.get("SAMVERKA_SCALE_FRACTION", "0.005"))
# Statements on one page: today the start page runs the most (19, five sections with their batched loads).
BOUND = 24
AUDIT_PAGE = 50  # events per page of the audit log
PARAMETER = r"(\?|%\(\w+\)s(::[A-Z][A-Z ]*[A-Z])?)"  # SQLite's and psycopg's, with PostgreSQL's casts

LISTS = ["/", "/agreements/", "/agreements/?status=active", "/agreements/?stalled=y",
         "/actions/", "/actions/?stalled=y",
         "/actions/?due_soon=y&open=y", "/actions/?ownerless=y", "/actions/?level=2", "/actions/?sort=-moves",
         "/reports/"]


@pytest.fixture(scope="module")
def county(database_url, tmp_path_factory):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret-key", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost", "RATELIMIT_ENABLED": False,
                      "PAGE_CACHE_SECONDS": 0})  # what making each page costs, the start page's sections included
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    app.test_client_class = Client
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-scale", "--fraction", str(FRACTION)])
        assert result.exit_code == 0, result.output
        yield app, people_and_things()
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


def people_and_things() -> SimpleNamespace:
    """The coordinators owning the most and the fewest actions, an administrator, the largest and a small active
    agreement, an action with many updates and one with one, and the audit log's last page."""
    owned = select(Action.owner_id, func.count().label("n")).join(User, User.id == Action.owner_id).where(
        User.role == Role.COORDINATOR, User.is_active.is_(True)).group_by(Action.owner_id)
    busy = db.session.execute(owned.order_by(func.count().desc(), Action.owner_id).limit(1)).one()
    quiet = db.session.execute(owned.order_by(func.count(), Action.owner_id).limit(1)).one()
    sizes = select(Action.agreement_id, func.count().label("n")).join(Agreement).where(
        Agreement.status == AgreementStatus.ACTIVE).group_by(Action.agreement_id)
    largest = db.session.execute(sizes.order_by(func.count().desc()).limit(1)).one()
    small = db.session.execute(sizes.order_by(func.count(), Action.agreement_id).limit(1)).one()
    updates = select(ProgressUpdate.action_id, func.count().label("n")).group_by(ProgressUpdate.action_id)
    lively = db.session.execute(updates.order_by(func.count().desc()).limit(1)).one()
    still = db.session.execute(updates.order_by(func.count(), ProgressUpdate.action_id).limit(1)).one()
    admin = db.session.scalar(select(User.id).where(User.role == Role.ADMIN, User.is_active.is_(True)).limit(1))
    events = db.session.scalar(select(func.count(AuditEvent.id)))
    assert busy.n >= 5 * quiet.n and largest.n >= 10 * small.n and lively.n >= 5 * still.n
    return SimpleNamespace(busy=busy.owner_id, quiet=quiet.owner_id, admin=admin, largest=largest.agreement_id,
                           small=small.agreement_id, lively=lively.action_id, still=still.action_id,
                           deep=min(2000, events // AUDIT_PAGE), events=events)


def client_of(app, user_id: int):
    client = app.test_client()
    sign_in(client, db.session.get(User, user_id), DEMO_PASSWORD)
    return client


def counted(client, path: str) -> list[str]:
    statements = statements_for(client, path)
    assert len(statements) <= BOUND, f"{path}: {len(statements)} statements\n\n" + "\n\n".join(statements)
    return statements


def template(statement: str) -> str:
    """The statement without its column list, with IN lists of any length alike, an empty one included (SQLAlchemy
    writes that as `IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1)` on SQLite, `IN (NULL) AND (1 != 1)` on PostgreSQL)."""
    tables_and_conditions = " ".join(statement[statement.find("FROM"):].split())
    listed = re.sub(rf"IN \({PARAMETER}(, {PARAMETER})*\)", "IN (…)", tables_and_conditions)
    listed = re.sub(r"IN \(NULL\) AND \(1 ?!= ?1\)", "IN (…)", listed)
    return re.sub(r"IN \(SELECT [^()]*(\([^()]*\)[^()]*)*WHERE 1 ?!= ?1\)", "IN (…)", listed)


def same_count(few: list[str], many: list[str]) -> None:
    """The page for many rows runs no statement more often than for few, batched loads (WHERE … IN (…)) apart:
    they run once per list that has rows of their kind, so a section empty in the small case skips its own. A query
    per row shows up here as a statement run more often for many rows; growth of any kind is held by BOUND."""
    few_templates, many_templates = Counter(map(template, few)), Counter(map(template, many))
    per_row = {t: (few_templates[t], n) for t, n in many_templates.items()
               if n > few_templates[t] and " IN (…)" not in t}
    assert not per_row, "\n".join(difflib.unified_diff(sorted(few_templates.elements()),
                                                       sorted(many_templates.elements()), "few", "many", lineterm=""))


@pytest.mark.parametrize("path", LISTS)
def test_lists_cost_the_same_for_few_and_many_actions(county, path):
    app, ids = county
    same_count(counted(client_of(app, ids.quiet), path), counted(client_of(app, ids.busy), path))


@pytest.mark.parametrize("path", LISTS)
def test_lists_stay_within_the_bound_for_an_administrator(county, path):
    app, ids = county
    counted(client_of(app, ids.admin), path)


@pytest.mark.parametrize("page", ["/agreements/{id}", "/agreements/{id}/updates", "/agreements/{id}/steering"])
def test_an_agreement_page_costs_the_same_small_or_largest(county, page):
    app, ids = county
    client = client_of(app, ids.admin)
    same_count(counted(client, page.format(id=ids.small)), counted(client, page.format(id=ids.largest)))


@pytest.mark.parametrize("page", ["/actions/{id}", "/actions/{id}/history"])
def test_an_action_page_costs_the_same_with_one_update_or_many(county, page):
    app, ids = county
    client = client_of(app, ids.admin)
    same_count(counted(client, page.format(id=ids.still)), counted(client, page.format(id=ids.lively)))


def test_the_audit_log_costs_the_same_on_a_deep_page(county):
    app, ids = county
    client = client_of(app, ids.admin)
    first = counted(client, "/admin/audit/")
    deep = client.get(f"/admin/audit/?page={ids.deep}").get_data(as_text=True)
    assert "audit" in deep.lower() and ids.deep > 10
    same_count(first, counted(client, f"/admin/audit/?page={ids.deep}"))


def test_the_set_is_as_deep_as_the_county_at_full_scale(county):
    """Guards the tests above: at full scale the largest agreement has ~650 actions and page 2,000 of the audit
    log exists; at a fraction, the same shape smaller."""
    _, ids = county
    assert ids.events > 2000 * AUDIT_PAGE * min(1.0, FRACTION * 4)
    assert db.session.scalar(select(func.count()).where(Action.agreement_id == ids.largest)) >= 80
    assert db.session.scalar(select(func.count()).where(Action.status == ActionStatus.BLOCKED)) > 0
