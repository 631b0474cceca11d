"""What changed, counted where a page kept between requests can see it (tracker/pagecache.py).

Every agreement has a content version that grows whenever anything a page shows of it changes: the agreement
itself, its parties and steering group, and every row that belongs to it by `agreement_id` (actions, decisions) or
through one of its actions by `action_id` (progress updates, requests, deadline changes). A change to what every page
shows of people and organisations (a name, an e-mail address, a role, deactivation, an organisation's details) grows
every agreement's version. The counting happens at flush, in the same transaction as the change, for every ORM write
in the app, the CLI and the tests; the app writes those tables in no other way (a test reads the code for
bulk statements: tests/test_start_page_cache.py).
A change made outside the app (SQL by hand, a restore) is followed by `flask forget-kept-pages`.

A page made from a set of agreements is then known by the set's stamp (`stamp`), a digest of each agreement's id and
version: the same stamp, the same content. Versions start at a random number and grow by random steps, so two
databases (a test's, a copy on a test system sharing Redis) never reach the same versions with different content,
and `forget_everything` moves every version on by a large random step after a restore brings back an older state.
"""
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import ColumnElement, Table, event, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction

from tracker.extensions import db

# The columns of a person that pages show beside what they own; a sign-in (last_login_at) or a password is not one.
SHOWN_PERSON_FIELDS = ("name", "email", "organisation_id", "role", "is_active")
# Rows that belong to an agreement but that no kept page shows: making them leaves the agreement's pages as they are.
NOT_SHOWN = frozenset({"reports", "report_jobs", "import_batches"})
STEP = 2**20  # a change grows a version by 1 to STEP


def first_version() -> int:
    return secrets.randbelow(2**30)


def _agreements() -> Table:
    return db.metadata.tables["agreements"]


def _changed(obj: Any, fields: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].load_history().has_changes() for name in fields)


def _ids(obj: Any, column: str) -> set[int]:
    """Every value the row's column had in this flush: a row moved from one agreement (or action) to another counts
    for both; values not loaded are loaded."""
    state = inspect(obj)
    key = state.mapper.get_property_by_column(obj.__table__.c[column]).key
    history = state.attrs[key].load_history()
    return {i for i in (*history.added, *history.unchanged, *history.deleted) if i is not None}


def _shown_everywhere(table_name: str, obj: Any, session: Session) -> bool:
    """An organisation changed, or a person's name, address, organisation, role or activity: every page shows them."""
    if table_name == "organisations":
        return True
    return table_name == "users" and (obj in session.deleted or _changed(obj, SHOWN_PERSON_FIELDS))


def _touched(session: Session) -> tuple[set[int], set[int], bool]:
    """(agreement ids, action ids, everything) that this flush changes."""
    agreements: set[int] = set()
    actions: set[int] = set()
    everything = False
    changed = [*session.new, *session.deleted, *(o for o in session.dirty if session.is_modified(o))]
    for obj in changed:
        table = getattr(obj, "__table__", None)
        if table is None or table.name in NOT_SHOWN:
            continue
        if table.name == "agreements":
            agreements.add(obj.id)
        elif "agreement_id" in table.c:
            agreements |= _ids(obj, "agreement_id")
        elif "action_id" in table.c:
            actions |= _ids(obj, "action_id")
        elif obj not in session.new and _shown_everywhere(table.name, obj, session):
            everything = True
    return agreements, actions, everything


@event.listens_for(Session, "after_flush")
def _count_changes(session: Session, flush_context: UOWTransaction) -> None:
    agreements, actions, everything = _touched(session)
    if not (agreements or actions or everything):
        return
    table = _agreements()
    statement = update(table).values(content_version=table.c.content_version + 1 + secrets.randbelow(STEP))
    if not everything:
        of_actions = select(db.metadata.tables["actions"].c.agreement_id).where(
            db.metadata.tables["actions"].c.id.in_(actions))
        statement = statement.where(table.c.id.in_(agreements) | table.c.id.in_(of_actions))
    session.connection().execute(statement)


def forget_everything() -> None:
    """Move every agreement's version on by a random step: after a restore, no page kept from before is reused."""
    table = _agreements()
    db.session.execute(update(table).values(content_version=table.c.content_version + 1 + first_version()))


def stamp(condition: ColumnElement[bool]) -> str:
    """A digest of the id and content version of every agreement that meets condition: it changes whenever the set
    of agreements or anything a page shows of one of them changes."""
    table = _agreements()
    digest = hashlib.blake2b(digest_size=16)
    rows = db.session.execute(select(table.c.id, table.c.content_version).where(condition).order_by(table.c.id))
    for agreement_id, version in rows.tuples():
        digest.update(b"%d:%d;" % (agreement_id, version))
    return digest.hexdigest()


@click.command("forget-kept-pages")
@with_appcontext
def forget_kept_pages() -> None:
    """After restoring PostgreSQL from a backup (pg_restore) or changing data by hand in SQL: no page part kept from
    before is used again."""
    forget_everything()
    db.session.commit()
    click.echo("Every kept page part is out of use; pages are made anew from the data as it is now.")


def init_app(app: Flask) -> None:
    app.cli.add_command(forget_kept_pages)
