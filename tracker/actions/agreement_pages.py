"""The actions on the agreement pages: counts in the list, actions and progress on an agreement's page, and the
page of all its progress (a page of the agreements blueprint). create_app imports this module."""
from itertools import groupby

from flask import render_template, url_for

from tracker import policy
from tracker.actions.queries import action_counts, actions_of, recent_updates, updates_of
from tracker.actions.request_queries import open_requests_of
from tracker.actions.today import standings, thresholds
from tracker.agreements import panels
from tracker.agreements.models import Agreement
from tracker.agreements.views import PER_PAGE, bp
from tracker.clock import request_today
from tracker.loading import load_or_403
from tracker.pagination import count, paginate

UPDATES_SHOWN = 10


@panels.for_list
def counts(agreements: list[Agreement]) -> dict:
    """How many actions each listed agreement has, open, stalled and done today."""
    return {"counts": action_counts([a.id for a in agreements], request_today(), thresholds())}


@panels.for_page
def actions_and_progress(agreement: Agreement) -> dict:
    """The agreement's actions by owning organisation, where each stands, and its latest progress."""
    actions = actions_of(agreement)
    by_organisation = [(org, list(items)) for org, items in groupby(actions, key=lambda a: a.owner_organisation)]
    return {"by_organisation": by_organisation, "standing": standings(actions, request_today()),
            "updates": recent_updates([agreement.id], limit=UPDATES_SHOWN),
            "updates_total": count(updates_of([agreement.id]))}


@panels.for_page
def open_requests(agreement: Agreement) -> dict:
    """The agreement's requests between partners that are still open, oldest first."""
    return {"open_requests": open_requests_of(agreement.id), "today": request_today(),
            "request_stale_days": thresholds().request_stale_days}


@panels.for_ending
def open_actions(agreement: Agreement) -> dict:
    """How many of the agreement's actions are still open (ending it leaves them so)."""
    counts = action_counts([agreement.id], request_today(), thresholds()).get(agreement.id)
    return {"open_actions": counts.open if counts else 0}


@bp.get("/<int:agreement_id>/updates")
def updates(agreement_id: int) -> str:
    agreement = load_or_403(Agreement, agreement_id, policy.can_read_agreement)
    page = paginate(updates_of([agreement.id]), per_page=PER_PAGE)
    return render_template("actions/updates.html", page=page, show_action=True, parent_title=agreement.title,
                           parent_url=url_for("agreements.show", agreement_id=agreement.id))
