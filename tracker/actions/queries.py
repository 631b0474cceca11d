"""Read-only selects for actions. Lists load what they show in a fixed number of queries."""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, func, nulls_last, or_, select, true
from sqlalchemy.orm import joinedload, load_only, selectinload

from tracker import policy
from tracker.accounts.models import User
from tracker.actions import conditions
from tracker.actions.deadline_history import times_moved
from tracker.actions.models import Action, ActionStatus, ProgressUpdate, Request
from tracker.actions.rules import Thresholds
from tracker.agreements.models import Agreement, Theme
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.search import like_pattern


def with_people(query: Select) -> Select:
    """Load each action's owner, organisation and agreement in the same query (and its requests in one more)."""
    return query.options(joinedload(Action.owner), joinedload(Action.owner_organisation),
                         joinedload(Action.agreement), selectinload(Action.requests))


# What a row of a list shows and what its standing and escalation need (rules.py, escalation.py): not the texts
# (description, reasons) that only an action's own page shows, nor its agreement's purpose or its owner's account.
ROW_COLUMNS = (Action.id, Action.agreement_id, Action.title, Action.owner_organisation_id, Action.owner_id,
               Action.deadline, Action.status, Action.progress, Action.blocked_since, Action.owner_lost_on,
               Action.raised_at, Action.last_progress_at, Action.created_at, Action.version)


def for_list(query: Select) -> Select:
    """with_people for list pages: each action's row columns, and only the columns of its owner, organisation and
    agreement that a row shows, in the same query (and its requests in one more)."""
    return query.options(
        load_only(*ROW_COLUMNS),
        joinedload(Action.owner).load_only(User.id, User.name, User.is_active, User.organisation_id),
        joinedload(Action.owner_organisation).load_only(Organisation.id, Organisation.name, Organisation.short_name),
        joinedload(Action.agreement).load_only(Agreement.id, Agreement.title, Agreement.escalate_level2_days,
                                               Agreement.escalate_level3_days),
        selectinload(Action.requests))


@dataclass
class ActionFilters:
    text: str = ""
    status: ActionStatus | None = None
    theme: Theme | None = None
    organisation_id: int | None = None
    owner_id: int | None = None
    agreement_id: int | None = None
    stalled_only: bool = False
    open_only: bool = False
    due_soon: bool = False
    due_before: dt.date | None = None
    level: int | None = None  # at this escalation level or above
    ownerless: bool = False
    sort: str = "deadline"


SORTS = {
    "deadline": (nulls_last(Action.deadline.asc()), Action.id),
    "-deadline": (nulls_last(Action.deadline.desc()), Action.id),
    "title": (Action.title, Action.id),
    "-moves": (times_moved().desc(), nulls_last(Action.deadline.asc()), Action.id),
}


def visible_actions(user: User) -> Select:
    return select(Action).join(Action.agreement).where(policy.visible_agreements(user, Action.agreement_id))


def matches_text(text: str) -> ColumnElement[bool]:
    """Text found in the action's title or description, its owner's name or its organisation's (short) name."""
    pattern = like_pattern(text)
    owners = select(User.id).where(User.name.ilike(pattern, escape="\\"))
    organisations = select(Organisation.id).where(or_(Organisation.name.ilike(pattern, escape="\\"),
                                                      Organisation.short_name.ilike(pattern, escape="\\")))
    return or_(Action.title.ilike(pattern, escape="\\"), Action.description.ilike(pattern, escape="\\"),
               Action.owner_id.in_(owners), Action.owner_organisation_id.in_(organisations))


def search_actions(user: User, f: ActionFilters, today: dt.date, thresholds: Thresholds) -> Select:
    """The actions the user may see that the filters pass, sorted, every column loaded (exports, the API)."""
    return with_people(filtered_actions(user, f, today, thresholds))


def list_actions(user: User, f: ActionFilters, today: dt.date, thresholds: Thresholds) -> Select:
    """search_actions for the list page: the columns its rows show."""
    return for_list(filtered_actions(user, f, today, thresholds))


def filtered_actions(user: User, f: ActionFilters, today: dt.date, thresholds: Thresholds) -> Select:
    query = visible_actions(user)
    if f.text:
        query = query.where(matches_text(f.text))
    for column, value in ((Action.status, f.status), (Agreement.theme, f.theme),
                          (Action.owner_organisation_id, f.organisation_id), (Action.owner_id, f.owner_id),
                          (Action.agreement_id, f.agreement_id)):
        if value is not None:
            query = query.where(column == value)
    if f.stalled_only:
        query = query.where(conditions.is_stalled(today, thresholds))
    if f.open_only:
        query = query.where(conditions.is_open())
    if f.due_soon:
        query = query.where(conditions.is_due_soon(today, thresholds))
    if f.due_before is not None:
        query = query.where(Action.deadline <= f.due_before, conditions.is_open())
    if f.ownerless:
        query = query.where(conditions.is_ownerless())
    if f.level:
        query = query.where(conditions.at_least_level(f.level, today, thresholds, threshold_overrides(thresholds)))
    return query.order_by(*SORTS.get(f.sort, SORTS["deadline"]))


def agreement_actions(agreement_id: int, today: dt.date, thresholds: Thresholds) -> Select:
    """The agreement's actions by owning organisation, each organisation's stalled ones first, then by deadline
    (for a page of them at a time: an agreement may hold hundreds)."""
    stalled_first = case((conditions.is_stalled(today, thresholds), 0), else_=1)
    return for_list(select(Action).join(Action.owner_organisation).where(Action.agreement_id == agreement_id)
                    .order_by(Organisation.name, Organisation.id, stalled_first,
                              nulls_last(Action.deadline.asc()), Action.id))


@dataclass(frozen=True)
class OrganisationCounts:
    organisation_id: int
    name: str
    total: int
    open: int
    stalled: int


def counts_by_organisation(agreement_id: int, today: dt.date, thresholds: Thresholds) -> list[OrganisationCounts]:
    """Per owning organisation of the agreement's actions: how many, open and stalled on `today` (one query), in
    the order agreement_actions lists them."""
    stalled = func.sum(case((conditions.is_stalled(today, thresholds), 1), else_=0))
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, func.count(Action.id),
               func.sum(case((conditions.is_open(), 1), else_=0)), stalled)
        .join(Action.owner_organisation).where(Action.agreement_id == agreement_id)
        .group_by(Organisation.id, Organisation.name).order_by(Organisation.name, Organisation.id))
    return [OrganisationCounts(row[0], row[1], *(int(v or 0) for v in row[2:])) for row in rows]


def updates_of(agreement_ids: list[int] | None = None, *, action_id: int | None = None) -> Select:
    """Progress updates of some agreements or of one action, newest first, with author and action loaded."""
    query = (select(ProgressUpdate).join(ProgressUpdate.action)
             .options(joinedload(ProgressUpdate.author), joinedload(ProgressUpdate.action),
                      selectinload(ProgressUpdate.requests).joinedload(Request.to_organisation))
             .order_by(ProgressUpdate.at.desc(), ProgressUpdate.id.desc()))
    if agreement_ids is not None:
        query = query.where(Action.agreement_id.in_(agreement_ids))
    if action_id is not None:
        query = query.where(ProgressUpdate.action_id == action_id)
    return query


def next_step(action_id: int) -> ProgressUpdate | None:
    """The newest progress update of the action that named a next step (its text and date), if any."""
    query = (select(ProgressUpdate).where(ProgressUpdate.action_id == action_id, ProgressUpdate.next_step != "")
             .order_by(ProgressUpdate.at.desc(), ProgressUpdate.id.desc()).limit(1))
    return db.session.scalar(query)


def newest_update_ids(agreement_ids: list[int], limit: int) -> Select:
    """The ids of the agreements' newest progress updates. On PostgreSQL each action's own newest are read from the
    (action, time) index and merged, so the cost follows the agreements' actions, never the whole table (walking
    every update by time and filtering afterwards reads all of them for an agreement without recent progress)."""
    order = (ProgressUpdate.at.desc(), ProgressUpdate.id.desc())
    if db.session.get_bind().dialect.name != "postgresql":  # SQLite has no LATERAL; the embedded data set is small
        return (select(ProgressUpdate.id).join(ProgressUpdate.action).where(Action.agreement_id.in_(agreement_ids))
                .order_by(*order).limit(limit))
    own = (select(ProgressUpdate.id, ProgressUpdate.at).where(ProgressUpdate.action_id == Action.id)
           .order_by(*order).limit(limit).lateral())
    return (select(own.c.id).select_from(Action).join(own, true()).where(Action.agreement_id.in_(agreement_ids))
            .order_by(own.c.at.desc(), own.c.id.desc()).limit(limit))


def recent_updates(agreement_ids: list[int] | None = None, *, action_id: int | None = None,
                   limit: int = 10) -> list[ProgressUpdate]:
    query = updates_of(action_id=action_id)
    if agreement_ids is not None:
        query = query.where(ProgressUpdate.id.in_(newest_update_ids(agreement_ids, limit)))
    return list(db.session.scalars(query.limit(limit)))


@dataclass
class OwnerChoices:
    organisations: list[tuple[int, str]]
    people: dict[str, list[tuple[int, str]]]
    people_by_organisation: dict[int, set[int]]


def owner_choices(agreement: Agreement, user: User, keep_owner_id: int | None = None) -> OwnerChoices:
    """The parties the user may give an action to, and their active people (plus an existing owner)."""
    parties = [o for o in agreement.parties if o.is_active]
    if not policy.can_assign_actions_to_any_party(user, agreement):
        parties = [o for o in parties if o.id == user.organisation_id]
    ids = [o.id for o in parties]
    people = db.session.scalars(select(User).where(User.organisation_id.in_(ids),
                                                   or_(User.is_active.is_(True), User.id == keep_owner_id))
                                .order_by(User.name)).all()
    grouped = {o.name: [(u.id, u.name) for u in people if u.organisation_id == o.id] for o in parties}
    index = {o.id: {u.id for u in people if u.organisation_id == o.id} for o in parties}
    return OwnerChoices([(o.id, o.name) for o in parties], grouped, index)


def open_actions(user: User, condition: ColumnElement[bool], *, limit: int) -> list[Action]:
    """The first open actions the user may see that meet condition, by deadline."""
    query = visible_actions(user).where(conditions.is_open(), condition)
    query = for_list(query.order_by(*SORTS["deadline"]).limit(limit))
    return list(db.session.scalars(query).unique())


def count_open_actions(user: User, sections: dict[str, ColumnElement[bool]]) -> dict[str, int]:
    """How many open actions the user may see meet each condition: true counts, in one query."""
    columns = [func.coalesce(func.sum(case((condition, 1), else_=0)), 0) for condition in sections.values()]
    query = (select(*columns).select_from(Action).join(Action.agreement)
             .where(policy.visible_agreements(user, Action.agreement_id), conditions.is_open()))
    return dict(zip(sections, (int(n) for n in db.session.execute(query).one()), strict=True))


@dataclass(frozen=True)
class ActionCounts:
    total: int = 0
    open: int = 0
    stalled: int = 0
    done: int = 0


def action_counts(agreement_ids: list[int], today: dt.date, thresholds: Thresholds) -> dict[int, ActionCounts]:
    """Per agreement: how many actions, open, stalled and done on `today` (one query for any number)."""
    if not agreement_ids:
        return {}
    rows = db.session.execute(
        select(Action.agreement_id, func.count(Action.id),
               func.sum(case((conditions.is_open(), 1), else_=0)),
               func.sum(case((conditions.is_stalled(today, thresholds), 1), else_=0)),
               func.sum(case((Action.status == ActionStatus.DONE, 1), else_=0)))
        .where(Action.agreement_id.in_(agreement_ids)).group_by(Action.agreement_id))
    return {row[0]: ActionCounts(*(int(v or 0) for v in row[1:])) for row in rows}


def stalled_agreement_ids(today: dt.date, thresholds: Thresholds) -> Select:
    """The ids of the agreements with an action stalled on `today`."""
    return select(Action.agreement_id).where(conditions.is_stalled(today, thresholds)).distinct()


def threshold_overrides(defaults: Thresholds) -> dict[int, Thresholds]:
    """{agreement id: its thresholds} for the agreements that set their own escalation thresholds (one query)."""
    rows = db.session.execute(select(Agreement.id, Agreement.escalate_level2_days, Agreement.escalate_level3_days)
                              .where(or_(Agreement.escalate_level2_days.is_not(None),
                                         Agreement.escalate_level3_days.is_not(None))))
    return {row.id: defaults.for_agreement(row) for row in rows}
