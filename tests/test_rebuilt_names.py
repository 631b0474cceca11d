"""Every field a past month's report rebuilds of an agreement, an organisation or a person (REBUILT_FIELDS, beside
each model) is recorded by the services when it changes and read back as it stood: a field added to a list without
an audit record, or that the rebuild cannot read back, fails here."""
import datetime as dt

from tests.factories import make_admin, make_agreement, make_organisation, make_user, make_viewer
from tracker.accounts import services as accounts
from tracker.accounts.models import REBUILT_FIELDS as PERSON_FIELDS
from tracker.agreements import services as agreements
from tracker.agreements.models import REBUILT_FIELDS as AGREEMENT_FIELDS
from tracker.agreements.models import Theme
from tracker.clock import local_today
from tracker.organisations import services as organisations
from tracker.organisations.models import REBUILT_FIELDS as ORGANISATION_FIELDS
from tracker.reports.names import names_as_of

YESTERDAY = local_today() - dt.timedelta(days=1)


def _agreement_data(agreement, **changes) -> dict:
    data = {f: getattr(agreement, f) for f in agreements.FIELDS}
    return data | {"party_ids": agreement.party_ids, "steering_group_ids": agreement.steering_group_ids} | changes


def test_every_rebuilt_field_of_an_agreement_reads_back_as_it_stood(app):
    lead, partner, newcomer = make_organisation(), make_organisation(), make_organisation()
    admin, member, new_member = make_admin(organisation=lead), make_viewer(organisation=lead), make_viewer()
    agreement = make_agreement(lead_organisation=lead, parties=[lead, partner], steering_group=[member],
                               title="Before", reference_number="KS 1", theme=Theme.OTHER,
                               starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2027, 12, 31))
    changed = {"title": "After", "reference_number": "KS 2", "theme": Theme.SAFE_LOCAL_ENVIRONMENT,
               "starts_on": dt.date(2025, 2, 1), "ends_on": dt.date(2028, 6, 30), "lead_organisation_id": newcomer.id,
               "parties": [newcomer.id, partner.id], "steering_group": [new_member.id]}
    assert set(changed) == set(AGREEMENT_FIELDS), "give every rebuilt field a new value in this test"

    agreements.update_agreement(agreement, _agreement_data(
        agreement, **{f: v for f, v in changed.items() if f in agreements.FIELDS},
        party_ids=changed["parties"], steering_group_ids=changed["steering_group"]), by=admin,
        version=agreement.version)
    [now] = names_as_of([agreement], set(), set(), local_today()).agreements
    [then] = names_as_of([agreement], set(), set(), YESTERDAY).agreements

    def ids(state):
        return {f: sorted(o.id for o in getattr(state, f)) if f in ("parties", "steering_group") else getattr(state, f)
                for f in AGREEMENT_FIELDS}

    assert ids(now) == {f: sorted(v) if isinstance(v, list) else v for f, v in changed.items()}
    assert ids(then) == {"title": "Before", "reference_number": "KS 1", "theme": Theme.OTHER,
                         "starts_on": dt.date(2025, 1, 1), "ends_on": dt.date(2027, 12, 31),
                         "lead_organisation_id": lead.id, "parties": sorted([lead.id, partner.id]),
                         "steering_group": [member.id]}


def test_every_rebuilt_field_of_an_organisation_and_a_person_reads_back_as_it_stood(app):
    before_org, after_org = make_organisation(name="Gamla namnet", short_name="Gamla"), make_organisation()
    admin = make_admin(organisation=after_org)
    person = make_user(organisation=before_org, name="Anna Före")
    organisation_changes = {"name": "Nya namnet", "short_name": "Nya"}
    person_changes = {"name": "Anna Efter", "organisation_id": after_org.id, "is_active": False}
    assert set(organisation_changes) == set(ORGANISATION_FIELDS), "give every rebuilt field a new value here"
    assert set(person_changes) == set(PERSON_FIELDS), "give every rebuilt field a new value here"

    organisations.update_organisation(
        before_org, {f: getattr(before_org, f) for f in organisations.FIELDS} | organisation_changes, by=admin,
        version=before_org.version)
    accounts.update_user(person, {f: getattr(person, f) for f in accounts.FIELDS} | {
        "name": person_changes["name"], "organisation_id": person_changes["organisation_id"]}, by=admin,
        version=person.version)
    accounts.set_user_active(person, person_changes["is_active"], by=admin, version=person.version)

    now = names_as_of([], {before_org.id}, {person.id}, local_today())
    then = names_as_of([], {before_org.id}, {person.id}, YESTERDAY)
    assert {f: getattr(now.organisation(before_org.id), f) for f in ORGANISATION_FIELDS} == organisation_changes
    assert {f: getattr(then.organisation(before_org.id), f) for f in ORGANISATION_FIELDS} == {
        "name": "Gamla namnet", "short_name": "Gamla"}
    assert {f: getattr(now.person(person.id), f) for f in PERSON_FIELDS} == person_changes
    assert {f: getattr(then.person(person.id), f) for f in PERSON_FIELDS} == {
        "name": "Anna Före", "organisation_id": before_org.id, "is_active": True}
