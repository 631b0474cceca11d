"""make_<model>(**overrides): valid defaults, added and flushed, never committed."""
import itertools

from tracker.accounts.models import Role, User
from tracker.accounts.passwords import hash_password
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)
_password_hash: dict[str, str] = {}


def _saved(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def make_organisation(**overrides) -> Organisation:
    n = next(_numbers)
    values = dict(name=f"Organisation {n}", short_name=f"Org {n}", kind=OrganisationKind.MUNICIPALITY,
                  municipality="Stockholm", contact_email=f"org{n}@example.se")
    return _saved(Organisation(**(values | overrides)))


def make_user(**overrides) -> User:
    n = next(_numbers)
    if "organisation" not in overrides and "organisation_id" not in overrides:
        overrides["organisation"] = make_organisation()
    if PASSWORD not in _password_hash:
        _password_hash[PASSWORD] = hash_password(PASSWORD)
    values = dict(email=f"user{n}@example.se", name=f"User {n}", role=Role.COORDINATOR,
                  password_hash=_password_hash[PASSWORD])
    return _saved(User(**(values | overrides)))


def make_admin(**overrides) -> User:
    return make_user(role=Role.ADMIN, **overrides)


def make_viewer(**overrides) -> User:
    return make_user(role=Role.VIEWER, **overrides)


def make_agreement(*, parties=(), steering_group=(), **overrides):
    """An active agreement; its lead organisation is always among its parties."""
    import datetime as dt

    from tracker.agreements.models import Agreement, AgreementStatus, Theme

    n = next(_numbers)
    lead = overrides.pop("lead_organisation", None) or (parties[0] if parties else make_organisation())
    values = dict(title=f"Agreement {n}", theme=Theme.YOUTH_CRIME_PREVENTION, area="Järva",
                  starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 12, 31), status=AgreementStatus.ACTIVE,
                  lead_organisation=lead)
    all_parties = [lead, *[p for p in parties if p is not lead]]
    return _saved(Agreement(**(values | overrides), parties=all_parties, steering_group=list(steering_group)))


def make_action(**overrides):
    """An open action owned by the agreement's lead organisation and by a new active person there (unless an owner
    is given; owner=None makes it unassigned), created at noon on 2026-11-01 UTC."""
    import datetime as dt

    from tracker.actions.models import Action, ActionStatus

    n = next(_numbers)
    agreement = overrides.pop("agreement", None) or make_agreement()
    organisation = overrides.pop("owner_organisation", None) or agreement.lead_organisation
    if "owner" not in overrides and "owner_id" not in overrides:
        overrides["owner"] = make_user(organisation=organisation)
    values = dict(title=f"Action {n}", description="", status=ActionStatus.IN_PROGRESS, progress=10,
                  deadline=dt.date(2026, 12, 31),
                  created_at=dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC))
    return _saved(Action(agreement=agreement, owner_organisation=organisation, **(values | overrides)))


def make_update(action, author, **overrides):
    """A progress update on action (does not move the action's fields; use the service for that)."""
    import datetime as dt

    from tracker.actions.models import ProgressUpdate

    values = dict(at=dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC), text="Progress.", status_from=action.status,
                  status_to=action.status, progress_from=action.progress, progress_to=action.progress)
    return _saved(ProgressUpdate(action=action, author=author, **(values | overrides)))


def make_request(action, to_organisation, asked_by, **overrides):
    """An open request from the action's owning organisation to another party, in its own progress update,
    asked at noon on 2026-11-10 UTC unless told otherwise."""
    import datetime as dt

    from tracker.actions.models import Request

    values = dict(text="Could you send us the list of dates?", asked_at=dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC))
    values |= overrides
    update = make_update(action, asked_by, at=values["asked_at"])
    return _saved(Request(action=action, update=update, from_organisation_id=action.owner_organisation_id,
                          to_organisation=to_organisation, asked_by=asked_by, **values))


def make_api_token(user, *, scope="write", expires_on=None, by=None):
    """A personal API key of user (scope "read" or "write"), made by the service; returns (token, secret)."""
    import datetime as dt

    from tracker.api.models import TokenScope
    from tracker.api.tokens import create_token
    from tracker.clock import local_today

    today = local_today()
    return create_token(user, name=f"Key {next(_numbers)}", scope=TokenScope(scope),
                        expires_on=expires_on or today + dt.timedelta(days=30), by=by or user, today=today)
