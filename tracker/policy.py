"""Who may do what. Every permission decision in Samverka is made here.

Agreements: admins see and edit everything. Coordinators create agreements their organisation is party to; the
lead organisation's coordinators edit the agreement and may create actions for any party. Every coordinator
creates, edits and logs progress on the actions their own organisation owns. Everyone reads the agreements their
organisation is party to or whose steering group they sit in; viewers change nothing.

People: a list that names people (a filter, a choice of steering group) offers admins everyone; others see
themselves, the active people of the parties and steering groups of the agreements they may read, and deactivated
people only where they own an action in one of those agreements. The county's directory is not for everyone.
"""
from collections.abc import Iterable
from typing import Any, Protocol

from flask import has_request_context, request
from sqlalchemy import ColumnElement, Table, and_, exists, false, not_, or_, select, true

from tracker.extensions import db
from tracker.roles import Role

# Policy imports no feature module. It reads users, agreements, actions and reports through the attributes below
# (Protocols the models satisfy), and the tables through the shared metadata: the same Column objects the models
# map, so select(Agreement).where(policy.visible_agreements(user)) still works. The tables exist once create_app
# has imported tracker.models.
ENDED = "ended"  # AgreementStatus.ENDED (a StrEnum, equal to its value)


class User(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def organisation_id(self) -> int: ...
    @property
    def role(self) -> Role: ...
    @property
    def is_admin(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...


class Agreement(Protocol):
    @property
    def lead_organisation_id(self) -> int: ...
    @property
    def party_ids(self) -> list[int]: ...
    @property
    def steering_group_ids(self) -> list[int]: ...
    @property
    def status(self) -> str: ...


class Action(Protocol):
    @property
    def owner_organisation_id(self) -> int: ...
    @property
    def agreement(self) -> Agreement: ...
    @property
    def status(self) -> Any: ...  # an ActionStatus: .is_open


class Request(Protocol):
    @property
    def to_organisation_id(self) -> int: ...
    @property
    def action(self) -> Action: ...
    @property
    def is_open(self) -> bool: ...


class UserSession(Protocol):
    @property
    def user_id(self) -> int: ...


class Report(Protocol):
    @property
    def id(self) -> int: ...


class ReportJob(Protocol):
    @property
    def requested_by_id(self) -> int | None: ...


class ApiToken(Protocol):
    @property
    def user_id(self) -> int: ...


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _signed_in(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _is_coordinator(user: User) -> bool:
    return _signed_in(user) and user.role is Role.COORDINATOR


def can_manage_organisations(user: User) -> bool:
    """Only administrators register and deactivate partner organisations."""
    return _signed_in(user) and user.is_admin


def can_manage_accounts(user: User) -> bool:
    """Only administrators create, edit and deactivate user accounts."""
    return _signed_in(user) and user.is_admin


def can_invite(user: User, organisation_id: int, role: Role) -> bool:
    """Admins invite anyone to any organisation, in any role; a coordinator invites people to their own
    organisation only, as coordinators or viewers, never as administrators; viewers invite no one."""
    if _signed_in(user) and user.is_admin:
        return True
    return (_is_coordinator(user) and user.organisation_id == organisation_id
            and role in (Role.COORDINATOR, Role.VIEWER))


def can_send_invitation(user: User, person: User) -> bool:
    """A new invitation to an account whose person has not chosen a password: whoever may invite people to its
    organisation in its role (an administrator; a coordinator of that organisation)."""
    return can_invite(user, person.organisation_id, person.role)


def can_invite_colleagues(user: User) -> bool:
    """Who opens the page that invites people to one's own organisation (what they may choose there: can_invite)."""
    return can_invite(user, user.organisation_id, Role.VIEWER) if _signed_in(user) else False


def can_read_outbox(user: User) -> bool:
    """Only administrators see the e-mail outbox and send a failed message again."""
    return _signed_in(user) and user.is_admin


def can_change_mail_preferences(user: User, person: User) -> bool:
    """Each person chooses their own weekly digest; nobody else, administrators included, changes it."""
    return _signed_in(user) and user.id == person.id


def can_manage_calendar(user: User, person: User) -> bool:
    """A person makes and replaces their own calendar links, and sees them once; nobody else, administrators
    included, makes or sees anyone's."""
    return _signed_in(user) and user.id == person.id


def can_end_calendar(user: User, person: User) -> bool:
    """A person ends their own calendar links; an administrator ends anyone's (a lost phone, a link shared by
    mistake)."""
    return _signed_in(user) and (user.id == person.id or user.is_admin)


def can_end_session(user: User, user_session: UserSession) -> bool:
    """A person ends their own sessions one by one (on the password page); no one else's."""
    return _signed_in(user) and user_session.user_id == user.id


def can_end_sessions(user: User, target: User) -> bool:
    """A person ends all their own other sessions; an administrator ends all of anyone's."""
    return _signed_in(user) and (user.id == target.id or user.is_admin)


# Personal API keys (the API itself decides every call with the rules below, as the pages do)

def can_manage_api_tokens(user: User, person: User) -> bool:
    """A person creates and revokes their own API keys; an administrator, anyone's (for an active person)."""
    if not _signed_in(user):
        return False
    return user.id == person.id or (user.is_admin and person.is_active)


def can_revoke_api_token(user: User, token: ApiToken) -> bool:
    """The key's own person, or an administrator."""
    return _signed_in(user) and (user.id == token.user_id or user.is_admin)


def can_list_api_tokens(user: User) -> bool:
    """Only administrators see every person's API keys."""
    return _signed_in(user) and user.is_admin


def can_hold_write_token(person: User) -> bool:
    """Keys that change things are for those who may change something; a viewer's keys only read."""
    return person.role in (Role.ADMIN, Role.COORDINATOR)


# Agreements

def _is_party(user: User, agreement: Agreement) -> bool:
    return user.organisation_id in agreement.party_ids


def can_read_agreement(user: User, agreement: Agreement) -> bool:
    """Admins; anyone whose organisation is a party; anyone in the steering group."""
    if not _signed_in(user):
        return False
    return user.is_admin or _is_party(user, agreement) or user.id in agreement.steering_group_ids


def visible_agreements(user: User, agreement_id: Any = None) -> ColumnElement[bool]:
    """The SQL form of can_read_agreement, so a list never shows what the page would refuse; on agreement_id (a
    column naming the agreement, e.g. actions.agreement_id) when given, else on the agreements' id."""
    if not _signed_in(user):
        return false()
    if user.is_admin:
        return true()
    agreements, agreement_parties = _table("agreements"), _table("agreement_parties")
    steering_group_members = _table("steering_group_members")
    # The ids as one set, not a test per agreement: the planner then starts from the few agreements a person reads
    # (their organisation's, their steering groups') and reaches their actions through the agreement index, instead
    # of testing every action of the county (60,000) and keeping a few.
    party = select(agreement_parties.c.agreement_id).where(agreement_parties.c.organisation_id == user.organisation_id)
    member = select(steering_group_members.c.agreement_id).where(steering_group_members.c.user_id == user.id)
    column = agreements.c.id if agreement_id is None else agreement_id
    return column.in_(_readable_agreement_ids(user, party.union(member)))


def _readable_agreement_ids(user: User, ids: Any) -> Any:
    """In a web request, the ids themselves, read once per request and person; elsewhere the select. With the ids
    written into a list's statement, PostgreSQL plans it for the person's few hundred actions: given the select, it
    misjudges how many actions a stalled condition keeps and tests every open action of the county (150 ms against
    5 ms for the start page's stalled section at county scale)."""
    if not has_request_context():
        return ids
    known = request.environ.setdefault("samverka.readable_agreement_ids", {})
    if user.id not in known:
        known[user.id] = list(db.session.scalars(ids))
    return known[user.id]


def visible_people(user: User) -> ColumnElement[bool]:
    """The SQL condition on User for every list that offers people by name (see the module docstring)."""
    if not _signed_in(user):
        return false()
    if user.is_admin:
        return true()
    users, actions = _table("users"), _table("actions")
    agreement_parties, steering_group_members = _table("agreement_parties"), _table("steering_group_members")
    readable = select(_table("agreements").c.id).where(visible_agreements(user))
    of_party = users.c.organisation_id.in_(select(agreement_parties.c.organisation_id)
                                        .where(agreement_parties.c.agreement_id.in_(readable)))
    in_group = users.c.id.in_(select(steering_group_members.c.user_id)
                           .where(steering_group_members.c.agreement_id.in_(readable)))
    owns_visible = users.c.id.in_(select(actions.c.owner_id).where(actions.c.agreement_id.in_(readable)))
    return or_(users.c.id == user.id, and_(users.c.is_active.is_(True), or_(of_party, in_group)), owns_visible)


def can_create_agreement(user: User) -> bool:
    """Admins and coordinators (a coordinator's own organisation must be a party: can_set_parties)."""
    return _signed_in(user) and (user.is_admin or user.role is Role.COORDINATOR)


def can_set_parties(user: User, party_ids: Iterable[int]) -> bool:
    """Admins choose any parties; anyone else's own organisation must be among them (the lead included)."""
    return _signed_in(user) and (user.is_admin or user.organisation_id in set(party_ids))


def can_edit_agreement(user: User, agreement: Agreement) -> bool:
    """Admins, and coordinators of the lead organisation."""
    if _signed_in(user) and user.is_admin:
        return True
    return _is_coordinator(user) and user.organisation_id == agreement.lead_organisation_id


def can_add_action(user: User, agreement: Agreement) -> bool:
    """Admins, and coordinators of a party, while the agreement has not ended."""
    if agreement.status == ENDED:
        return False
    if _signed_in(user) and user.is_admin:
        return True
    return _is_coordinator(user) and _is_party(user, agreement)


def can_assign_actions_to_any_party(user: User, agreement: Agreement) -> bool:
    """Admins and the lead organisation's people give actions to any party; others only to their own."""
    return _signed_in(user) and (user.is_admin or user.organisation_id == agreement.lead_organisation_id)


# Actions

def can_read_action(user: User, action: Action) -> bool:
    return can_read_agreement(user, action.agreement)


def can_edit_action(user: User, action: Action) -> bool:
    """Descriptive fields only, never status or progress: admins; the owning or lead organisation's coordinators."""
    if _signed_in(user) and user.is_admin:
        return True
    return _is_coordinator(user) and user.organisation_id in (
        action.owner_organisation_id, action.agreement.lead_organisation_id)


def can_log_progress(user: User, action: Action) -> bool:
    """Admins and coordinators of the owning organisation, while the action is open."""
    return action.status.is_open and can_report_progress_for(user, action.owner_organisation_id)


def can_report_progress_for(user: User, organisation_id: int) -> bool:
    """The status and progress of an organisation's actions (in an update, or in a row imported from a
    spreadsheet) are given by admins and the organisation's own coordinators."""
    if _signed_in(user) and user.is_admin:
        return True
    return _is_coordinator(user) and user.organisation_id == organisation_id


def can_import_actions(user: User, agreement: Agreement) -> bool:
    """Importing actions from a spreadsheet is adding them: whoever may add actions to the agreement (each row then
    as can_assign_actions_to_any_party and can_report_progress_for allow)."""
    return can_add_action(user, agreement)


def can_answer_request(user: User, request: Request) -> bool:
    """An open request to another party is answered by the addressed organisation's coordinators, or an admin."""
    if not request.is_open or not can_read_action(user, request.action):
        return False
    if user.is_admin:
        return True
    return _is_coordinator(user) and user.organisation_id == request.to_organisation_id


# Steering groups

def can_record_decision(user: User, agreement: Agreement) -> bool:
    """The steering group's secretary: admins, and coordinators of the lead organisation. They also set the date of
    the next meeting. Everyone else (other parties, steering-group members, viewers) reads the decisions only."""
    if _signed_in(user) and user.is_admin:
        return True
    return _is_coordinator(user) and user.organisation_id == agreement.lead_organisation_id


def can_raise_action(user: User, action: Action) -> bool:
    """Raising an open action to the steering group by hand, and withdrawing that raise: admins, and coordinators
    of any party of the agreement, while the action is open."""
    if not action.status.is_open:
        return False
    if _signed_in(user) and user.is_admin:
        return True
    return _is_coordinator(user) and _is_party(user, action.agreement)


# Reports

def can_generate_report(user: User, agreement: Agreement) -> bool:
    """Admins and coordinators of a party generate reports; everyone who reads the agreement downloads them."""
    if not can_read_agreement(user, agreement):
        return False
    return user.is_admin or (_is_coordinator(user) and _is_party(user, agreement))


def can_generate_portfolio(user: User) -> bool:
    """Admins, coordinators and viewers. A portfolio only archives a snapshot of what the user already reads and
    changes nothing in the record, so a steering-group member may make one of the agreements they follow."""
    return _signed_in(user) and user.role in (Role.ADMIN, Role.COORDINATOR, Role.VIEWER)


def portfolio_agreements(user: User) -> ColumnElement[bool]:
    """The agreements a user may put in a portfolio report: those they may read."""
    return visible_agreements(user) if can_generate_portfolio(user) else false()


def can_read_report(user: User, report: Report) -> bool:
    """Whoever may read every agreement the report covers (the same rule as readable_reports, in SQL)."""
    if not _signed_in(user):
        return False
    reports = _table("reports")
    return bool(db.session.scalar(select(exists().where(reports.c.id == report.id, readable_reports(user)))))


def readable_reports(user: User) -> ColumnElement[bool]:
    """The SQL form of can_read_report: no agreement the report covers is one the user may not read."""
    if not _signed_in(user):
        return false()
    if user.is_admin:
        return true()
    report_agreements = _table("report_agreements")
    covered = select(report_agreements.c.agreement_id).where(report_agreements.c.report_id == _table("reports").c.id)
    hidden = covered.where(report_agreements.c.agreement_id.not_in(select(_table("agreements").c.id).where(
        visible_agreements(user))))
    return and_(exists(covered), not_(exists(hidden)))


def can_read_report_job(user: User, job: ReportJob) -> bool:
    """A report job (its state, its failure) is the asker's own, and the administrators'; its report is then
    downloaded under can_read_report."""
    return _signed_in(user) and (user.is_admin or job.requested_by_id == user.id)


def can_read_audit_log(user: User) -> bool:
    """The whole audit log is for administrators; others see an object's history on its own page."""
    return _signed_in(user) and user.is_admin
