import datetime as dt

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from tracker import changes, pagecache, policy
from tracker.actions.queries import count_open_actions, open_actions, threshold_overrides
from tracker.actions.request_queries import waiting_on
from tracker.actions.rules import Thresholds
from tracker.actions.today import standings, thresholds
from tracker.clock import request_today
from tracker.dashboard.sections import ROWS_SHOWN, sections_for
from tracker.extensions import db
from tracker.pagination import count

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.get("/")
def index() -> str:
    """The start page. Its sections are kept between requests (tracker/pagecache.py), known by the person, the
    language, the day, the thresholds and the stamp of the agreements the person may read: any change to what they
    show makes a new stamp (tracker/changes.py), or a new key (the person's own name, role or organisation)."""
    today, limits = request_today(), thresholds()
    me, organisation = current_user, current_user.organisation
    # What the sections show of the person and their organisation is in the key as it was read for this request
    # (before the stamp: a rename committed in between is made anew on the next visit).
    person = (me.id, me.name, me.role, me.is_active, organisation.id, organisation.name, organisation.short_name)
    key = ("start", person, str(get_locale()), request.script_root, today, limits,
           changes.stamp(policy.visible_agreements(me)))
    overview = pagecache.kept(key, lambda: _overview(today, limits))  # HTML that Jinja made, escaped
    return render_template("dashboard/index.html", overview=Markup(overview), today=today)


def _overview(today: dt.date, limits: Thresholds) -> str:
    sections = sections_for(current_user, today, limits, threshold_overrides(limits))
    counts = count_open_actions(current_user, {s.key: s.condition for s in sections})
    rows = {s.key: open_actions(current_user, s.condition, limit=ROWS_SHOWN) for s in sections}
    every = {a.id: a for items in rows.values() for a in items}.values()
    waiting = waiting_on(current_user, current_user.organisation_id)
    return render_template("dashboard/_overview.html", rows=rows, counts=counts,
                           waiting=list(db.session.scalars(waiting.limit(ROWS_SHOWN))), waiting_total=count(waiting),
                           request_stale_days=limits.request_stale_days,
                           list_args={s.key: s.list_args for s in sections}, standing=standings(every, today),
                           today=today, due_soon_days=limits.due_soon_days)
