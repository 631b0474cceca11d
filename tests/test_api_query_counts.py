"""The API's lists load what they answer in a fixed number of SQL statements: 3 rows or 25, the count is the same."""
from types import SimpleNamespace

import pytest

from tests.api_world import bearer
from tests.factories import make_action, make_agreement, make_api_token, make_organisation, make_request, make_user
from tests.test_query_counts import build, counting, days
from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.audit.services import record
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.steering.models import Decision, DecisionEffect, EffectKind

LISTS = ["/api/v1/agreements", "/api/v1/actions", "/api/v1/actions?stalled=true", "/api/v1/stalled",
         "/api/v1/updates", "/api/v1/requests", "/api/v1/decisions", "/api/v1/actions?updated_since=2000-01-01T00:00Z"]


def build_more(ids: SimpleNamespace, rows: int) -> None:
    """build()'s rows, and for each a request to another party and a decision naming a new owner."""
    build(ids, rows)
    me, main = db.session.get(User, ids.me), db.session.get(Agreement, ids.main)
    newest = db.session.query(Action).filter(Action.agreement_id == main.id).order_by(Action.id.desc()).limit(rows)
    for action in newest:
        other = next(p for p in main.parties if p.id != action.owner_organisation_id)
        make_request(action, other, me)
        record(me, "update", action, {"title": [action.title, action.title]})
        decision = Decision(agreement=main, decided_on=days(0), meeting="Möte", text="Beslut.", recorded_by=me)
        decision.effects.append(DecisionEffect(action=action, kind=EffectKind.NEW_OWNER, new_owner=me))
        db.session.add(decision)
    db.session.flush()


def statements_for(client, path: str, secret: str) -> tuple[list[str], int]:
    assert client.get(path, headers=bearer(secret)).status_code == 200  # warm up
    db.session.commit()
    db.session.expunge_all()
    with counting() as statements:
        response = client.get(f"{path}{'&' if '?' in path else '?'}limit=100", headers=bearer(secret))
    assert response.status_code == 200
    return statements, len(response.get_json()["items"])


@pytest.fixture
def api_world(client):
    organisation = make_organisation(name="Lead kommun")
    me = make_user(organisation=organisation)
    main = make_agreement(lead_organisation=organisation, starts_on=days(-300), ends_on=days(300))
    action = make_action(agreement=main, owner=me, created_at=utcnow(), deadline=days(20))
    _token, secret = make_api_token(me)
    db.session.commit()
    return client, secret, SimpleNamespace(me=me.id, main=main.id, action=action.id)


@pytest.mark.parametrize("path", LISTS)
def test_statement_count_does_not_grow_with_rows(api_world, path):
    client, secret, ids = api_world
    build_more(ids, 3)
    few, few_items = statements_for(client, path, secret)
    build_more(ids, 22)
    many, many_items = statements_for(client, path, secret)
    assert many_items > few_items > 0
    assert len(many) == len(few), "\n\n".join(many)
