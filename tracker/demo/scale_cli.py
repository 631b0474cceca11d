"""`flask seed-scale`: the county-scale data set, for measuring pages and reports at a county's size."""
import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker.clock import local_today, utcnow
from tracker.demo.cli import DEMO_PASSWORD
from tracker.demo.scale import TABLES, is_empty, seed_scale, timed
from tracker.extensions import db


@click.command("seed-scale")
@click.option("--fraction", type=click.FloatRange(0.001, 1.0), default=1.0, show_default=True,
              help="Share of the full county scale (0.01 is a small set of the same shape).")
@click.option("--seed", type=int, default=2026, show_default=True,
              help="Random seed: the same seed on the same day makes the same set.")
@with_appcontext
def seed_scale_command(fraction: float, seed: int) -> None:
    """Fill an empty database with a county-scale data set (300 organisations, 60,000 actions at full scale)."""
    if not is_empty():
        raise click.ClickException(_("the database already has organisations or accounts; the county-scale set "
                                     "goes only into an empty database"))
    counts, seconds = timed(lambda: _seed_and_commit(fraction, seed))
    n = {table: f"{rows:,}".replace(",", " ") for table, rows in counts.items()}
    click.echo(_("County-scale data added in %(seconds).1f s: %(organisations)s organisations, %(users)s accounts, "
                 "%(agreements)s agreements, %(actions)s actions, %(progress_updates)s progress updates, "
                 "%(requests)s requests between partners, %(decisions)s steering-group decisions, "
                 "%(deadline_changes)s deadline changes, %(audit_events)s audit events.", seconds=seconds,
                 **{table: n.get(table, "0") for table in TABLES}))
    click.echo(_("Every account has the password %(password)s", password=DEMO_PASSWORD))


def _seed_and_commit(fraction: float, seed: int) -> dict[str, int]:
    counts = seed_scale(fraction, seed, local_today(), utcnow(), DEMO_PASSWORD)
    db.session.commit()
    # The planner's statistics, as autovacuum would gather them in a while: without them PostgreSQL guesses that a
    # condition on 38,000 open actions keeps a handful, and plans every list for that.
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return counts
