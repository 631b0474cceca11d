"""Out-of-range filters, ids and dates: a clear message next to the field, never a server error, on SQLite and
PostgreSQL alike (dates of year 1 or 9999 overflow time-zone arithmetic; ids past 32 or 64 bits overflow the
databases' integers)."""
import datetime as dt
import re
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_update, make_user
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.audit.services import record
from tracker.extensions import db
from tracker.reports.models import Report

HOSTILE = ["0001-01-01", "9999-12-31", "99999999999999999999", "-1", "0", "2147483648", "abc", "1.5",
           "9" * 400, "\r\n", "<script>"]
BLANK = "\r\n"  # only white space: an empty filter, which filters nothing
REFUSED = "refused"  # every hostile value but BLANK is refused next to the field
ACCEPTED = "accepted"  # the value is taken as it is (free text, a page number clamped to the list)
LISTS = ["/agreements/", "/actions/", "/admin/users/", "/admin/organisations/", "/admin/audit/"]
FILTERS = [
    ("/agreements/", "organisation", REFUSED), ("/agreements/", "status", REFUSED),
    ("/agreements/", "theme", REFUSED), ("/agreements/", "q", ACCEPTED),
    ("/actions/", "organisation", REFUSED), ("/actions/", "owner", REFUSED), ("/actions/", "due_before", REFUSED),
    ("/actions/", "status", REFUSED), ("/actions/", "sort", REFUSED), ("/actions/", "q", ACCEPTED),
    ("/admin/users/", "organisation", REFUSED), ("/admin/users/", "q", ACCEPTED),
    ("/admin/organisations/", "q", ACCEPTED),
    ("/admin/audit/", "who", ACCEPTED), ("/admin/audit/", "organisation", REFUSED),
    ("/admin/audit/", "object_id", REFUSED), ("/admin/audit/", "from_day", REFUSED),
    ("/admin/audit/", "to_day", REFUSED), ("/admin/audit/", "verb", REFUSED),
    ("/admin/audit/", "object_type", REFUSED),
    *[(url, "page", ACCEPTED) for url in LISTS],
    ("/reports/", "month", ACCEPTED), ("/", "page", ACCEPTED),
]
SEGMENTS = ["/agreements/{}", "/agreements/{}/edit", "/actions/{}", "/actions/{}/edit",
            "/agreements/{}/actions/new", "/admin/users/{}/edit", "/admin/users/{}/password",
            "/admin/organisations/{}/edit", "/reports/{}.pdf"]


@pytest.fixture
def admin_client(as_user):
    admin = make_admin()
    police = make_organisation(name="Polisen")
    agreement = make_agreement(parties=[police])
    action = make_action(agreement=agreement)
    make_update(action, admin)
    record(admin, "update", police, {"name": ["Polis", "Polisen"]})
    return as_user(admin)


@pytest.mark.parametrize(("url", "name", "kind"), FILTERS, ids=[f"{u}?{n}" for u, n, _k in FILTERS])
def test_every_filter_refuses_hostile_values_with_a_message_never_a_server_error(admin_client, url, name, kind):
    for value in HOSTILE:
        # A blank filter is sent on to the list without it (a 303 to the clean address), then shown.
        response = admin_client.get(f"{url}?{name}={quote(value)}", follow_redirects=True)
        assert response.status_code == 200, (value, response.status_code)
        page = response.get_data(as_text=True)
        if kind == REFUSED and value != BLANK:
            assert re.search(rf'<p class="field-error" id="{name}-error">', page), value


@pytest.mark.parametrize("name", ["organisation", "object_id", "from_day", "to_day", "verb"])
def test_the_audit_export_with_a_refused_filter_leads_back_to_the_log_showing_why(admin_client, name):
    for value in [v for v in HOSTILE if v != BLANK]:
        response = admin_client.get(f"/admin/audit/export.csv?{name}={quote(value)}")
        response.get_data()
        assert response.status_code == 303, (value, response.status_code)
        page = admin_client.get(response.location)
        assert page.status_code == 200 and f'id="{name}-error"' in page.get_data(as_text=True), value


def test_the_audit_export_with_extreme_but_valid_days_exports(admin_client):
    response = admin_client.get("/admin/audit/export.csv?from_day=2000-01-01&to_day=2100-12-31")
    assert response.status_code == 200 and response.get_data(as_text=True).count("\n") >= 2


@pytest.mark.parametrize("segment", SEGMENTS)
def test_ids_in_addresses_beyond_any_row_are_not_found(admin_client, segment):
    for value in ["0", "-1", "2147483648", "9223372036854775808", "99999999999999999999"]:
        assert admin_client.get(segment.format(value)).status_code == 404, value


@pytest.fixture
def lead(app):
    organisation = make_organisation(name="Lead kommun")
    return make_user(organisation=organisation), organisation


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
@pytest.mark.parametrize("field", ["starts_on", "ends_on", "next_review_on"])
def test_agreement_dates_outside_the_century_are_refused_with_a_message(client, as_user, lead, field, day):
    user, organisation = lead
    as_user(user)
    page = client.get("/agreements/new").get_data(as_text=True)
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)
    data = {"title": "Trygg i Rinkeby", "theme": "safe_local_environment", "starts_on": "2026-02-01",
            "lead_organisation_id": organisation.id, "once": once, field: day}
    response = client.post("/agreements/new", data=data)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Agreement.id))) == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_action_deadline_outside_the_century_is_refused_with_a_message(client, as_user, lead, day):
    user, organisation = lead
    agreement = make_agreement(lead_organisation=organisation)
    action = make_action(agreement=agreement, owner=user)
    as_user(user)
    response = client.post(f"/actions/{action.id}/edit", data={
        "title": action.title, "owner_organisation_id": organisation.id, "owner_id": user.id, "deadline": day,
        "status": "in_progress", "progress": "10", "version": action.version})
    assert response.status_code == 200 and 'id="deadline-error"' in response.get_data(as_text=True)
    assert db.session.get(Action, action.id).deadline == dt.date(2026, 12, 31)


def test_pages_and_the_monthly_report_cope_with_dates_at_the_ends_of_the_calendar(client, as_user, lead):
    """Rows written before the bounds (or by other means) with years 1 and 9999 still show and report."""
    user, organisation = lead
    agreement = make_agreement(lead_organisation=organisation, starts_on=dt.date(1, 1, 1),
                               ends_on=dt.date(9999, 12, 31), next_review_on=dt.date(9999, 12, 31))
    make_action(agreement=agreement, owner=user, deadline=dt.date(9999, 12, 31))
    make_action(agreement=agreement, owner=user, deadline=dt.date(1, 1, 1))
    as_user(user)
    for url in ["/", f"/agreements/{agreement.id}", "/agreements/", "/actions/", "/actions/?sort=-deadline",
                "/actions/?due_before=2100-12-31", "/actions/?stalled=y"]:
        assert client.get(url).status_code == 200, url
    response = client.post(f"/agreements/{agreement.id}/reports", data={"month": "2026-10", "language": "en"})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(Report.id))) == 1


def test_local_day_boundaries_hold_at_the_ends_of_the_calendar():
    from tracker.clock import end_of_local_day, start_of_local_day

    assert start_of_local_day(dt.date(1, 1, 1)) == dt.datetime.min.replace(tzinfo=dt.UTC)
    assert end_of_local_day(dt.date(9999, 12, 31)) == dt.datetime.max.replace(tzinfo=dt.UTC)
    assert end_of_local_day(dt.date(2026, 11, 24)) == dt.datetime(2026, 11, 24, 23, tzinfo=dt.UTC)


def test_a_refused_id_filter_says_so_in_plain_words_and_filters_nothing(admin_client):
    page = admin_client.get("/admin/users/?organisation=99999999999999999999").get_data(as_text=True)
    assert "Välj ett av alternativen i listan." in page  # Swedish, the default language
    assert re.search(r'href="/admin/users/\d+/edit"', page)
