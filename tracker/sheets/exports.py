"""The rows of the exported spreadsheets, in the reader's language, batch by batch: a fixed number of queries per
batch, however many rows. Callers hand in statements already limited to what the user may read."""
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from tracker.actions.models import Action
from tracker.actions.queries import ActionCounts, action_counts, with_people
from tracker.actions.today import standings, thresholds
from tracker.actions.words import standing_words
from tracker.agreements.models import Agreement
from tracker.clock import local_date
from tracker.extensions import db
from tracker.mail.links import absolute_url
from tracker.organisations.models import Organisation
from tracker.spreadsheets import Value, in_batches

if TYPE_CHECKING:
    from tracker.actions.rules import Standing

BATCH = 500
Rows = Iterator[list[list[Value]]]


def agreement_actions(agreement: Agreement) -> Select:
    """The agreement's actions as its page lists them: by owning organisation, then deadline."""
    return with_people(select(Action).join(Action.owner_organisation).where(Action.agreement_id == agreement.id)
                       .order_by(Organisation.name, Action.deadline.asc().nulls_last(), Action.id))


def action_rows(statement: Select, today: dt.date, *, with_agreement: bool) -> Rows:
    """One list of rows per batch of the statement's actions (see columns.ACTION_SPECS)."""
    names: dict[int, str] | None = None
    for actions in in_batches(statement, BATCH):
        if names is None:  # whom stale requests wait on: read once, when there is a first row to write
            names = dict(db.session.execute(select(Organisation.id, Organisation.short_name)).tuples().all())
        where = standings(actions, today)
        yield [_action_row(a, where[a.id], names, today, with_agreement) for a in actions]


def _action_row(a: Action, s: "Standing", names: dict[int, str], today: dt.date,
                with_agreement: bool) -> list[Value]:
    first: list[Value] = [a.agreement.title] if with_agreement else []
    return [
        *first, a.title, a.description, a.owner_organisation.name, a.owner.name if a.owner else "",
        a.owner.email if a.owner else "", a.deadline, a.status.label, a.progress, a.blocked_reason,
        standing_words(a, s, [names.get(i, "?") for i in s.waiting_for], today),
        local_date(a.last_progress_at) if a.last_progress_at else None,
        a.id, absolute_url("actions.show", action_id=a.id)]


def agreement_rows(statement: Select, today: dt.date) -> Rows:
    """One list of rows per batch of the statement's agreements (see columns.AGREEMENT_SPECS)."""
    statement = statement.options(joinedload(Agreement.lead_organisation))
    for agreements in in_batches(statement, BATCH):
        counts = action_counts([a.id for a in agreements], today, thresholds())
        yield [_agreement_row(a, counts.get(a.id, ActionCounts())) for a in agreements]


def _agreement_row(a: Agreement, counts: ActionCounts) -> list[Value]:
    return [a.title, a.reference_number, a.theme.label, a.area, a.lead_organisation.name,
            ", ".join(p.name for p in a.parties), a.starts_on, a.ends_on, a.next_review_on, a.status.label,
            counts.total, counts.open, counts.stalled, counts.done, a.id,
            absolute_url("agreements.show", agreement_id=a.id)]
