"""The administrators' audit log: filters, CSV export, and everyone else refused."""
import csv
import datetime as dt
import io

import pytest

from tests.factories import make_admin, make_organisation, make_user, make_viewer
from tracker.audit.services import record
from tracker.extensions import db


@pytest.fixture
def events(app):
    police = make_organisation(name="Polisen Järva")
    school = make_organisation(name="Husbygårdsskolan")
    erik = make_user(name="Erik Polis", organisation=police)
    karin = make_user(name="Karin Skola", organisation=school)
    record(erik, "update", police, {"name": ["Polisen", "Polisen Järva"]},
           at=dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC))
    record(karin, "update", school, {"municipality": ["", "=HYPERLINK(\"http://evil\")"]},
           at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    record(karin, "deactivate", erik, {"is_active": [True, False]}, at=dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC))
    db.session.flush()
    return dict(police=police, school=school, erik=erik, karin=karin)


def rows(client, query=""):
    response = client.get("/admin/audit/export.csv" + query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))[1:]


def test_admin_sees_every_event_newest_first(client, as_user, events):
    as_user(make_admin())
    page = client.get("/admin/audit/").get_data(as_text=True)
    page = page[page.index("<tbody>"):]
    assert page.index("Karin Skola") < page.index("Erik Polis")
    assert "inaktiverade" in page and "Polisen → Polisen Järva" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("?who=erik+polis", 1), ("?organisation={school}", 2), ("?object_type=organisations", 2),
    ("?object_type=organisations&object_id={police}", 1), ("?verb=deactivate", 1),
    ("?from_day=2026-11-01&object_type=organisations", 1), ("?to_day=2026-10-31", 1),
    ("?from_day=2026-11-21&to_day=2026-11-21", 1),
], ids=["by-person", "by-organisation", "by-kind", "by-object", "by-verb", "from", "to", "one-day"])
def test_filters_narrow_the_log_and_the_export_alike(client, as_user, events, query, expected):
    as_user(make_admin())
    query = query.format(erik=events["erik"].id, school=events["school"].id, police=events["police"].id)
    assert len(rows(client, query)) == expected
    assert client.get("/admin/audit/" + query).status_code == 200


@pytest.mark.parametrize("query", ["?who=" + "x" * 201, "?who=a%0Ab", "?from_day=yesterday", "?object_id=-5",
                                   "?object_id=99999999999999", "?verb=<script>",
                                   "?from_day=2026-11-02&to_day=2026-11-01", "?object_type=x" * 500])
def test_bad_filter_values_are_shown_not_crashed_on(client, as_user, events, query):
    as_user(make_admin())
    response = client.get("/admin/audit/" + query)
    assert response.status_code == 200
    assert "field-error" in response.get_data(as_text=True)


def test_csv_export_neutralises_spreadsheet_formulas(client, as_user, events):
    as_user(make_admin())
    changes = [r[8] for r in rows(client, "?verb=update")]
    assert any("HYPERLINK" in c for c in changes)
    for row in rows(client):
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


@pytest.mark.parametrize("maker", [make_user, make_viewer], ids=["coordinator", "viewer"])
def test_non_admins_are_refused(client, as_user, events, maker):
    as_user(maker())
    assert client.get("/admin/audit/").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403


def test_csv_export_streams_every_matching_event_however_many(client, as_user, monkeypatch):
    """Read in batches, never cut at a row limit: 7 events with batches of 2 (and any former limit of 2) all come."""
    from tracker.audit import views

    monkeypatch.setattr(views, "CSV_BATCH", 2, raising=False)
    monkeypatch.setattr(views, "CSV_LIMIT", 2, raising=False)
    admin = make_admin()
    organisation = make_organisation()
    for n in range(7):
        record(admin, "update", organisation, {"name": [str(n), str(n + 1)]})
    as_user(admin)
    exported = rows(client, "?object_type=organisations")
    assert len(exported) == 7
    assert [r[8] for r in exported][-1] == "Namn: 0 → 1"


@pytest.mark.parametrize("extra", ["", "&_scheme=javascript", "&_anchor=x&_external=1"])
def test_csv_export_with_a_refused_filter_goes_back_to_the_log_with_the_same_query(client, as_user, extra):
    as_user(make_admin())
    response = client.get("/admin/audit/export.csv?from_day=2026-13-40&verb=create" + extra)
    assert response.status_code == 303
    assert response.location.startswith("/admin/audit/?")
    assert "from_day=2026-13-40" in response.location and "verb=create" in response.location
