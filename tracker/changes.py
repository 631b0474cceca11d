"""What changed, counted where a page kept between requests can see it (tracker/pagecache.py).

Every agreement has a content version that grows whenever anything a page shows of it changes: the agreement
itself, its parties and steering group, and every row that belongs to it by `agreement_id` (actions, decisions) or
through one of its actions by `action_id` (progress updates, requests, deadline changes). A change to what every page
shows of people and organisations (a name, an e-mail address, a role, deactivation, an organisation's details) grows
every agreement's version. The counting happens at flush, in the same transaction as the change, for every ORM write
in the app, the CLI and the tests; the app writes those tables in no other way (tests/test_start_page_cache.py).

A page made from a set of agreements is then known by the set's stamp (`stamp`): the same stamp, the same content.
An agreement's first version is random, so a database made anew (or a test's) never repeats another's stamps, and
`forget_everything` moves every version on by a random step after a restore brings back an older state.
"""
import secrets
from collections.abc import Iterable
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import ColumnElement, Table, event, func, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction

from tracker.extensions import db

# The columns of a person that pages show beside what they own; a sign-in (last_login_at) or a password is not one.
SHOWN_PERSON_FIELDS = ("name", "email", "organisation_id", "role", "is_active")


def first_version() -> int:
    return secrets.randbelow(2**30)


def _agreements() -> Table:
    return db.metadata.tables["agreements"]


def _changed(obj: Any, fields: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


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
        if table is None:
            continue
        if table.name == "agreements":
            agreements.add(obj.id)
        elif "agreement_id" in table.c:
            history = inspect(obj).attrs["agreement_id"].history
            agreements.update(i for i in (*history.added, *history.unchanged, *history.deleted) if i is not None)
        elif "action_id" in table.c and obj.action_id is not None:
            actions.add(obj.action_id)
        elif obj not in session.new and _shown_everywhere(table.name, obj, session):
            everything = True
    return agreements, actions, everything


@event.listens_for(Session, "after_flush")
def _count_changes(session: Session, flush_context: UOWTransaction) -> None:
    agreements, actions, everything = _touched(session)
    if not (agreements or actions or everything):
        return
    table = _agreements()
    statement = update(table).values(content_version=table.c.content_version + 1)
    if not everything:
        of_actions = select(db.metadata.tables["actions"].c.agreement_id).where(
            db.metadata.tables["actions"].c.id.in_(actions))
        statement = statement.where(table.c.id.in_(agreements) | table.c.id.in_(of_actions))
    session.connection().execute(statement)


def forget_everything() -> None:
    """Move every agreement's version on by a random step: after a restore, no page kept from before is reused."""
    table = _agreements()
    db.session.execute(update(table).values(content_version=table.c.content_version + 1 + first_version()))


def stamp(condition: ColumnElement[bool]) -> tuple[int, int, int]:
    """(how many, sum of ids, sum of content versions) of the agreements that meet condition: it changes whenever
    the set of agreements or anything a page shows of one of them changes."""
    table = _agreements()
    row = db.session.execute(select(func.count(), func.coalesce(func.sum(table.c.id), 0),
                                    func.coalesce(func.sum(table.c.content_version), 0)).where(condition)).one()
    return int(row[0]), int(row[1]), int(row[2])


@click.command("forget-kept-pages")
@with_appcontext
def forget_kept_pages() -> None:
    """After restoring PostgreSQL from a backup (pg_restore): no page part kept from before the restore is used."""
    forget_everything()
    db.session.commit()
    click.echo("Every kept page part is out of use; pages are made anew from the restored data.")


def init_app(app: Flask) -> None:
    app.cli.add_command(forget_kept_pages)
