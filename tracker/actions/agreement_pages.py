"""The actions on the agreement pages: counts in the list, actions and progress on an agreement's page, and the
page of all its progress (a page of the agreements blueprint). create_app imports this module."""
import datetime as dt
from itertools import groupby

from flask import render_template, url_for
from sqlalchemy import Select

from tracker import policy
from tracker.actions.queries import (
    OrganisationCounts,
    action_counts,
    agreement_actions,
    counts_by_organisation,
    recent_updates,
    stalled_agreement_ids,
    updates_of,
)
from tracker.actions.request_queries import open_requests_of
from tracker.actions.today import standings, thresholds
from tracker.agreements import panels
from tracker.agreements.models import Agreement
from tracker.agreements.views import PER_PAGE, bp
from tracker.clock import request_today
from tracker.loading import load_or_403
from tracker.pagination import count, paginate

UPDATES_SHOWN, ACTIONS_PER_PAGE = 10, 50


@panels.for_list
def counts(agreements: list[Agreement]) -> dict:
    """How many actions each listed agreement has, open, stalled and done today."""
    return {"counts": action_counts([a.id for a in agreements], request_today(), thresholds())}


@panels.for_stalled
def agreements_with_stalled(today: dt.date) -> Select:
    """The agreement list's "stalled" filter: agreements with an action stalled on `today`."""
    return stalled_agreement_ids(today, thresholds())


@panels.for_page
def actions_and_progress(agreement: Agreement) -> dict:
    """A page of the agreement's actions by owning organisation (stalled first), every organisation's true counts,
    where each action shown stands, and the latest progress."""
    today, limits = request_today(), thresholds()
    page = paginate(agreement_actions(agreement.id, today, limits), per_page=ACTIONS_PER_PAGE)
    by_organisation = [(org, list(items)) for org, items in groupby(page.items, key=lambda a: a.owner_organisation)]
    summary = counts_by_organisation(agreement.id, today, limits)
    return {"actions_page": page, "by_organisation": by_organisation, "standing": standings(page.items, today),
            "organisation_counts": sorted(summary, key=lambda c: -c.stalled),
            "counts_of": {c.organisation_id: c for c in summary}, "first_pages": first_pages(summary, ACTIONS_PER_PAGE),
            "updates": recent_updates([agreement.id], limit=UPDATES_SHOWN),
            "updates_total": count(updates_of([agreement.id]))}


def first_pages(summary: list[OrganisationCounts], per_page: int) -> dict[int, int]:
    """{organisation id: the page its first action is on}; summary in the order the pages list the organisations."""
    pages, before = {}, 0
    for c in summary:
        pages[c.organisation_id] = before // per_page + 1
        before += c.total
    return pages


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
