"""A county-scale data set (300 organisations, 3,000 people, 2,000 agreements, 60,000 actions, 300,000 progress
updates over three years, with requests, decisions and the audit trail), written with bulk inserts into an empty
database. Rows are made in memory with explicit ids, then inserted table by table in chunks (Core executemany):
the audited services would take hours for this, so the rows carry what those services would have written."""
import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text

from tracker.accounts.models import Role, User
from tracker.accounts.passwords import hash_password
from tracker.actions.models import Action, DeadlineChange, ProgressUpdate, Request
from tracker.agreements.models import (
    Agreement,
    AgreementStatus,
    Theme,
    agreement_parties,
    steering_group_members,
)
from tracker.audit.models import AuditEvent
from tracker.audit.services import plain
from tracker.changes import first_version
from tracker.clock import STOCKHOLM
from tracker.demo.scale_words import (
    AGREEMENT_TITLES,
    COUNTY_ORGANISATIONS,
    FIRST_NAMES,
    MUNICIPALITIES,
    ORGANISATION_PATTERNS,
    SURNAMES,
    ascii_local,
)
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.steering.models import Decision, DecisionEffect

FULL = {"organisations": 300, "users": 3000, "agreements": 2000, "actions": 60_000, "updates": 300_000}
LARGEST, SECOND = 650, 300  # the two big agreements' actions at full scale
YEARS = 3
CHUNK = 5000
LEADS = (OrganisationKind.MUNICIPALITY, OrganisationKind.POLICE, OrganisationKind.SOCIAL_SERVICES,
         OrganisationKind.STATE_AGENCY)


@dataclass(frozen=True)
class Sizes:
    organisations: int
    users: int
    agreements: int
    actions: int
    updates: int
    largest: int
    second: int

    @classmethod
    def of(cls, fraction: float) -> "Sizes":
        """The full county scaled by fraction, never so small that the set loses its shape."""
        n = {name: round(full * fraction) for name, full in FULL.items()}
        return cls(organisations=max(n["organisations"], 12), users=max(n["users"], 60),
                   agreements=max(n["agreements"], 20), actions=max(n["actions"], 300),
                   updates=max(n["updates"], 1500), largest=max(round(LARGEST * fraction), 80),
                   second=max(round(SECOND * fraction), 40))


@dataclass
class World:
    """The rows being made, per table, with the facts the next steps need."""

    rng: random.Random
    today: dt.date
    now: dt.datetime
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    coordinators: dict[int, list[int]] = field(default_factory=dict)  # organisation id → its coordinators
    viewers: dict[int, list[int]] = field(default_factory=dict)
    inactive: set[int] = field(default_factory=set)

    def add(self, table: str, row: dict[str, Any]) -> int:
        """Append a row and give it the next id of its table."""
        rows = self.rows.setdefault(table, [])
        row["id"] = len(rows) + 1
        rows.append(row)
        return row["id"]

    def audit(self, actor_id: int | None, verb: str, object_type: str, object_id: int, changes: dict,
              at: dt.datetime) -> None:
        self.add("audit_events", {"at": at, "actor_id": actor_id, "verb": verb, "object_type": object_type,
                                  "object_id": object_id, "changes": changes})

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        return start + (end - start) * self.rng.random() if end > start else start

    def morning(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(9, 0), tzinfo=STOCKHOLM).astimezone(dt.UTC)


def is_empty() -> bool:
    """No organisations and no accounts: the scale set goes only into an empty database."""
    return not (db.session.scalar(select(func.count(Organisation.id)))
                or db.session.scalar(select(func.count(User.id))))


def seed_scale(fraction: float, seed: int, today: dt.date, now: dt.datetime, password: str) -> dict[str, int]:
    """Make the county-scale set and insert it; returns the rows written per table. The caller commits."""
    from tracker.demo.scale_actions import make_actions, make_decisions

    sizes = Sizes.of(fraction)
    world = World(random.Random(seed), today, now)
    make_organisations(world, sizes.organisations)
    make_people(world, sizes.users, hash_password(password))  # one hash for everyone: a KDF per row takes hours
    agreements = make_agreements(world, sizes)
    make_actions(world, agreements, sizes)
    make_decisions(world, agreements)
    insert(world)
    return {table: len(rows) for table, rows in world.rows.items()}


def make_organisations(world: World, count: int) -> None:
    names: set[str] = set()
    specs = list(COUNTY_ORGANISATIONS)
    round_ = 1
    while len(specs) < count:
        for name, short, kind, domain in ORGANISATION_PATTERNS:
            if round_ > 1 and "{n}" not in name:
                continue
            for municipality, stem in MUNICIPALITIES:
                fill = {"m": municipality, "d": stem, "n": round_}
                specs.append((name.format(**fill), short.format(**fill), kind, domain.format(**fill)))
        round_ += 1
    for name, short, kind, domain in specs[:count]:
        assert name not in names
        names.add(name)
        municipality = next((m for m, _ in MUNICIPALITIES if m in name), "Stockholm")
        created = world.now - dt.timedelta(days=YEARS * 366 + world.rng.randrange(30))
        organisation_id = world.add("organisations", {
            "name": name, "short_name": short[:40], "kind": kind, "municipality": municipality,
            "contact_email": f"samverkan@{domain}", "is_active": True, "created_at": created, "version": 1})
        world.coordinators[organisation_id], world.viewers[organisation_id] = [], []
        world.audit(None, "create", "organisations", organisation_id, {
            "name": [None, name], "short_name": [None, short[:40]], "kind": [None, kind.value],
            "municipality": [None, municipality], "contact_email": [None, f"samverkan@{domain}"]}, created)


def make_people(world: World, count: int, password_hash: str) -> None:
    """Everyone belongs to one organisation: each has a coordinator and (from the second person on) a viewer;
    administrators sit at the county or a municipality; a few accounts are deactivated."""
    organisations = world.rows["organisations"]
    taken: set[str] = set()
    rng = world.rng
    for n in range(count):
        index = n - 1  # after the first administrator: one coordinator per organisation, then one viewer each
        organisation = organisations[0] if n == 0 else organisations[index % len(organisations)] \
            if index < 2 * len(organisations) else rng.choice(organisations)
        first, last = ("Anna", "Lindqvist") if n == 0 else (rng.choice(FIRST_NAMES), rng.choice(SURNAMES))
        domain = organisation["contact_email"].split("@")[1]
        local = ascii_local(f"{first} {last}")
        email, suffix = f"{local}@{domain}", 2
        while email in taken:
            email, suffix = f"{local}{suffix}@{domain}", suffix + 1
        taken.add(email)
        role = _role(n, len(organisations), organisation["kind"], rng)
        active = n <= 2 * len(organisations) or rng.random() > 0.02
        created = world.between(organisation["created_at"], world.now - dt.timedelta(days=400))
        last_login = world.between(world.now - dt.timedelta(days=60), world.now) if active else None
        user_id = world.add("users", {
            "email": email, "name": f"{first} {last}", "organisation_id": organisation["id"], "role": role,
            "is_active": active, "password_hash": password_hash, "must_change_password": False, "language": None,
            "last_login_at": last_login, "created_at": created, "wants_digest": True, "digest_weekday": n % 5,
            "version": 1})
        world.audit(1 if n else None, "create", "users", user_id, {
            "email": [None, email], "name": [None, f"{first} {last}"],
            "organisation_id": [None, organisation["id"]], "role": [None, role.value], "language": [None, None]},
            created)
        if not active:
            world.inactive.add(user_id)
            world.audit(1, "deactivate", "users", user_id, {"is_active": [True, False]},
                        world.between(created, world.now))
        elif last_login is not None:
            world.audit(user_id, "sign_in", "users", user_id, {"address": "192.0.2.10"}, last_login)
        if role is not Role.ADMIN:
            (world.coordinators if role is Role.COORDINATOR else world.viewers)[organisation["id"]].append(user_id)


def _role(n: int, organisations: int, kind: OrganisationKind, rng: random.Random) -> Role:
    if n == 0:
        return Role.ADMIN
    if n <= organisations:
        return Role.COORDINATOR
    if n <= 2 * organisations:
        return Role.VIEWER
    draw = rng.random()
    if draw < 0.03 and kind in (OrganisationKind.STATE_AGENCY, OrganisationKind.MUNICIPALITY):
        return Role.ADMIN
    return Role.VIEWER if draw > 0.62 else Role.COORDINATOR


def make_agreements(world: World, sizes: Sizes) -> list[dict[str, Any]]:
    """Agreements over three years: most active, those past their end ended, a few drafts; the first is the
    largest and the second has about 300 actions (both active, with many parties)."""
    rng, organisations = world.rng, world.rows["organisations"]
    leads = [o for o in organisations if o["kind"] in LEADS]
    by_municipality: dict[str, list[dict]] = {}
    for organisation in organisations:
        by_municipality.setdefault(organisation["municipality"], []).append(organisation)
    for n in range(sizes.agreements):
        lead = leads[n % len(leads)] if n < 2 else rng.choice(leads)
        neighbours = [o for o in by_municipality[lead["municipality"]] if o is not lead]
        wanted = rng.randint(8, 10) if n < 2 else rng.randint(1, 6)
        parties = [lead, *rng.sample(neighbours, min(wanted, len(neighbours)))]
        if len(parties) < wanted + 1 or rng.random() < 0.3:
            parties += rng.sample([o for o in organisations if o not in parties], 1)
        _agreement(world, n, lead, parties)
    return world.rows["agreements"]


def _agreement(world: World, n: int, lead: dict, parties: list[dict]) -> None:
    rng, today = world.rng, world.today
    draft = n >= 2 and rng.random() < 0.03
    starts_on = today + dt.timedelta(days=rng.randint(10, 90)) if draft else \
        today - dt.timedelta(days=rng.randint(850, 950) if n < 2 else rng.randint(30, YEARS * 365))
    ends_on = starts_on + dt.timedelta(days=rng.randint(2 * 365, 4 * 365) if n >= 2 else 5 * 365)
    status = AgreementStatus.DRAFT if draft else AgreementStatus.ENDED if ends_on < today else AgreementStatus.ACTIVE
    theme = rng.choice(list(Theme))
    area = lead["municipality"]
    title = rng.choice(AGREEMENT_TITLES[theme]).format(a=area)
    created = min(world.morning(starts_on - dt.timedelta(days=rng.randint(5, 40))), world.now - dt.timedelta(days=1))
    people = [u for p in parties for u in world.viewers[p["id"]] + world.coordinators[p["id"]]
              if u not in world.inactive]
    steering = rng.sample(people, min(len(people), rng.randint(2, 5)))
    creator = world.coordinators[lead["id"]][0]
    values = {
        "title": title, "reference_number": f"{lead['short_name'][:12].upper()} {starts_on.year}-{n + 1:04}",
        "purpose": f"Parterna ska gemensamt och långsiktigt arbeta för ökad trygghet i {area}.", "theme": theme,
        "area": area, "starts_on": starts_on, "ends_on": ends_on,
        "next_review_on": today + dt.timedelta(days=rng.randint(-20, 180)) if status is not AgreementStatus.ENDED
        else None, "lead_organisation_id": lead["id"], "escalate_level2_days": None, "escalate_level3_days": None}
    agreement_id = world.add("agreements", {
        **values, "next_meeting_on": today + dt.timedelta(days=rng.randint(3, 60))
        if status is AgreementStatus.ACTIVE and rng.random() < 0.5 else None,
        "status": status, "created_at": created, "created_by_id": creator, "version": 1,
        "content_version": first_version()})
    agreement = world.rows["agreements"][-1]
    agreement["_parties"] = [p["id"] for p in parties]
    for party in parties:
        world.rows.setdefault("agreement_parties", []).append({"agreement_id": agreement_id,
                                                                "organisation_id": party["id"]})
    for member in steering:
        world.rows.setdefault("steering_group_members", []).append({"agreement_id": agreement_id,
                                                                     "user_id": member})
    world.audit(creator, "create", "agreements", agreement_id,
                {**{f: [None, plain(v)] for f, v in values.items()},
                 "party_ids": [None, sorted(p["id"] for p in parties)], "steering_group_ids": [None, sorted(steering)]},
                created)
    if status is not AgreementStatus.DRAFT:
        world.audit(creator, "status", "agreements", agreement_id, {"status": ["draft", "active"]},
                    min(world.morning(starts_on), world.now))
    if status is AgreementStatus.ENDED:
        world.audit(creator, "status", "agreements", agreement_id, {"status": ["active", "ended"]},
                    world.morning(ends_on))


# Parents first. Every model is imported above, so the metadata knows each table.
TABLES = ["organisations", "users", "agreements", "agreement_parties", "steering_group_members", "actions",
          "progress_updates", "requests", "decisions", "decision_effects", "deadline_changes", "audit_events"]
MODELS = (Organisation, User, Agreement, Action, ProgressUpdate, Request, Decision, DecisionEffect, DeadlineChange,
          AuditEvent, agreement_parties, steering_group_members)


def insert(world: World) -> None:
    """Insert every table's rows in chunks, parents first; on PostgreSQL move each id sequence past the ids given."""
    for name in TABLES:
        table = db.metadata.tables[name]
        rows = world.rows.get(name, [])
        columns = {c.name for c in table.columns}
        for start in range(0, len(rows), CHUNK):
            chunk = [{k: v for k, v in row.items() if k in columns} for row in rows[start:start + CHUNK]]
            db.session.execute(table.insert(), chunk)
    if db.engine.dialect.name == "postgresql":
        for name in TABLES:
            if "id" in db.metadata.tables[name].columns and world.rows.get(name):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), :last)"),
                                   {"last": len(world.rows[name])})


def timed(work: Any) -> tuple[Any, float]:
    began = time.perf_counter()
    result = work()
    return result, time.perf_counter() - began
