"""The stalled-actions list is served by an index on county-scale data (PostgreSQL's planner, realistic data)."""
import re

import pytest
from sqlalchemy import text

from tests.factories import make_organisation, make_user
from tracker.actions.explain import explain_stalled
from tracker.clock import local_today
from tracker.extensions import db

AGREEMENTS, ACTIONS = 400, 40_000  # 20 of the agreements have the coordinator's organisation as a party

COUNTY = """
INSERT INTO organisations (name, short_name, kind, municipality, contact_email, is_active, created_at, version)
SELECT 'Partner ' || g, 'P' || g, 'municipality', 'Kommun', 'p' || g || '@example.se', true, now(), 1
FROM generate_series(1, 40) g;
INSERT INTO agreements (title, reference_number, purpose, theme, area, starts_on, ends_on, status,
                        lead_organisation_id, created_at, version)
SELECT 'Avtal ' || g, '', '', 'other', '', current_date - 700, current_date + 700, 'active',
       CASE WHEN g % 20 = 0 THEN :mine
            ELSE (SELECT min(id) FROM organisations WHERE name LIKE 'Partner %') + g % 40 END, now(), 1
FROM generate_series(1, :agreements) g;
INSERT INTO agreement_parties (agreement_id, organisation_id) SELECT id, lead_organisation_id FROM agreements;
INSERT INTO actions (agreement_id, title, description, owner_organisation_id, owner_id, deadline, status, progress,
                     blocked_reason, raised_reason, last_progress_at, created_at, version)
SELECT a.id, 'Åtgärd ' || g, '', a.lead_organisation_id, :owner, current_date - 400 + (g * 13) % 900,
       (ARRAY['planned', 'in_progress', 'in_progress', 'blocked', 'done', 'done', 'cancelled'])[1 + g % 7], 0, '', '',
       now() - (g % 120) * interval '1 day', now() - interval '2 years', 1
FROM generate_series(1, :actions) g JOIN agreements a ON a.id = (SELECT min(id) FROM agreements) + g % :agreements;
ANALYZE organisations; ANALYZE agreements; ANALYZE agreement_parties; ANALYZE actions; ANALYZE users;
"""


@pytest.fixture
def county(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner: SQLite is the embedded default for small data sets and plans otherwise")
    me = make_user(organisation=make_organisation(name="Lead kommun"))
    for statement in COUNTY.split(";"):
        if statement.strip():
            db.session.execute(text(statement), {"mine": me.organisation_id, "owner": me.id,
                                                 "agreements": AGREEMENTS, "actions": ACTIONS})
    db.session.commit()
    return me


def test_the_stalled_list_reads_actions_through_an_index(county):
    plan = explain_stalled(county, local_today())
    index_on_actions = r"(Index|Index Only) Scan (Backward )?using \w+ on actions\b|Bitmap Index Scan on ix_actions_"
    assert re.search(index_on_actions, plan), plan
    assert not re.search(r"Seq Scan on actions\b", plan), plan


def test_the_plan_is_measured_when_asked(county):
    plan = explain_stalled(county, local_today(), analyze=True)
    assert "actual time=" in plan and "Execution Time" in plan
