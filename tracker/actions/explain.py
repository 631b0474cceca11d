"""The database's plan for the stalled-actions list as the app builds it (the bench prints it; a test checks that it
uses an index on PostgreSQL)."""
import datetime as dt

from tracker.accounts.models import User
from tracker.actions.queries import ActionFilters, list_actions
from tracker.actions.rules import Thresholds
from tracker.extensions import db

PER_PAGE = 25  # the action list's first page (actions/views.py)


def explain_stalled(user: User, today: dt.date, thresholds: Thresholds = Thresholds(), analyze: bool = False) -> str:
    """EXPLAIN (PostgreSQL; SQLite's EXPLAIN QUERY PLAN elsewhere) of the first page of the user's stalled actions,
    the statement exactly as /actions/?stalled=y sends it; analyze runs it and adds the measured times."""
    query = list_actions(user, ActionFilters(stalled_only=True), today, thresholds).limit(PER_PAGE)
    # The values written into the statement: the plan is the one PostgreSQL makes for these values (psycopg's
    # first executions of a statement are planned for their values too).
    sql = str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN "
    else:
        prefix = "EXPLAIN QUERY PLAN "
    rows = db.session.connection().exec_driver_sql((prefix + sql).replace("%", "%%")).all()
    return "\n".join(" ".join(str(v) for v in row) if len(row) > 1 else str(row[0]) for row in rows)
