from flask import Blueprint, render_template
from flask_login import current_user

from tracker.actions import conditions
from tracker.actions.queries import open_actions
from tracker.actions.today import standings, thresholds
from tracker.clock import local_today

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.get("/")
def index():
    today, limits = local_today(), thresholds()
    sections = {
        "mine": open_actions(current_user, owner_id=current_user.id),
        "stalled": open_actions(current_user, condition=conditions.is_stalled(today, limits)),
        "due_soon": open_actions(current_user, condition=conditions.is_due_soon(today, limits)),
        "organisation": open_actions(current_user, organisation_id=current_user.organisation_id),
    }
    every = {a.id: a for items in sections.values() for a in items}.values()
    return render_template("dashboard/index.html", sections=sections, standing=standings(every),
                           today=today, due_soon_days=limits.due_soon_days)
