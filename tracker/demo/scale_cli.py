"""`flask seed-scale`: the county-scale data set, for measuring pages and reports at a county's size."""
import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.clock import local_today, utcnow
from tracker.demo.cli import DEMO_PASSWORD
from tracker.demo.scale import is_empty, seed_scale, timed
from tracker.extensions import db

SHOWN = (("organisations", _l("organisations")), ("users", _l("accounts")), ("agreements", _l("agreements")),
         ("actions", _l("actions")), ("progress_updates", _l("progress updates")), ("requests", _l("requests")),
         ("decisions", _l("decisions")), ("deadline_changes", _l("deadline changes")),
         ("audit_events", _l("audit events")))


@click.command("seed-scale")
@click.option("--fraction", type=click.FloatRange(0.001, 1.0), default=1.0, show_default=True,
              help="Share of the full county scale (0.01 is a small set of the same shape).")
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed: the same seed, the same set.")
@with_appcontext
def seed_scale_command(fraction: float, seed: int) -> None:
    """Fill an empty database with a county-scale data set (300 organisations, 60,000 actions at full scale)."""
    if not is_empty():
        raise click.ClickException(_("the database already has organisations or accounts; the county-scale set "
                                     "goes only into an empty database"))
    counts, seconds = timed(lambda: seed_scale(fraction, seed, local_today(), utcnow(), DEMO_PASSWORD))
    db.session.commit()
    made = ", ".join(f"{counts.get(table, 0):,} {label}".replace(",", " ") for table, label in SHOWN)
    click.echo(_("County-scale data added in %(seconds).1f s: %(made)s.", seconds=seconds, made=made))
    click.echo(_("Every account has the password %(password)s", password=DEMO_PASSWORD))
