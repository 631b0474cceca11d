"""The audit log names objects instead of numbering them, and its CSV opens right in a spreadsheet."""
import csv
import datetime as dt
import io

import pytest

from tests.factories import make_admin, make_agreement, make_organisation, make_user
from tracker.accounts.services import create_user
from tracker.audit.services import record
from tracker.auth.services import authenticate
from tracker.extensions import db


def export(client):
    response = client.get("/admin/audit/export.csv")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def parsed(text, delimiter):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


@pytest.fixture
def named_events(app):
    school = make_organisation(name="Husbygårdsskolan")
    admin = make_admin(name="Anna Admin")
    agreement = make_agreement(title="Trygg skolväg")
    record(admin, "update", agreement, {"title": ["Trygg väg", "Trygg skolväg"]},
           at=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
    create_user({"name": "Karin Skola", "email": "karin@skola.example.se", "organisation_id": school.id,
                 "role": "coordinator", "language": "sv"}, by=admin, password="a-long-enough-password-1")
    db.session.flush()
    return dict(admin=admin, school=school, agreement=agreement)


def test_the_log_names_objects_and_created_ids(client, as_user, named_events):
    as_user(named_events["admin"])
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert "Samverkansavtal Trygg skolväg" in page or "Avtal Trygg skolväg" in page
    assert "Karin Skola" in page and "– → Husbygårdsskolan" in page
    assert f"– → #{named_events['school'].id}" not in page


def test_an_older_create_event_with_an_id_as_text_is_named(client, as_user, named_events):
    admin = named_events["admin"]
    record(admin, "create", admin, {"organisation_id": [None, str(named_events["school"].id)]})
    as_user(admin)
    assert "#" + str(named_events["school"].id) not in client.get("/admin/audit/").get_data(as_text=True)


def test_a_failed_sign_in_of_a_deactivated_account_names_that_account(client, as_user, app):
    dormant = make_user(name="Sven Sovande", email="sven@example.se", is_active=False)
    assert authenticate("sven@example.se", "wrong") is None
    db.session.flush()
    as_user(make_admin())
    row = client.get("/admin/audit/?verb=sign_in_failed").get_data(as_text=True)
    row = row[row.index("<tbody>"):]
    assert "Sven Sovande" in row and "systemet" not in row
    assert dormant.id


def test_swedish_csv_has_a_bom_semicolons_swedish_headers_and_readable_values(client, as_user, named_events):
    as_user(named_events["admin"])
    rows = parsed(export(client), ";")
    assert rows[0][:2] == ["Tid (Europe/Stockholm)", "Vem"]
    update = next(r for r in rows[1:] if "Trygg skolväg" in r[6])
    assert update[4] == "ändrade" and update[8] == "Rubrik: Trygg väg → Trygg skolväg"
    assert "{" not in update[8] and "agreements" not in update
    created = next(r for r in rows[1:] if r[6] == "Karin Skola" and r[8])
    assert "Organisation: – → Husbygårdsskolan" in created[8]


def test_english_csv_uses_commas_and_english_headers(client, as_user, named_events):
    named_events["admin"].language = "en"
    db.session.flush()
    as_user(named_events["admin"])
    rows = parsed(export(client), ",")
    assert rows[0] == ["Time (Europe/Stockholm)", "Who", "E-mail", "Organisation", "What happened",
                       "Kind of object", "Object", "Object number", "Changes"]
    update = next(r for r in rows[1:] if "Trygg skolväg" in r[6])
    assert update[4] == "changed" and update[5] == "Agreement"
    assert update[8] == "Title: Trygg väg → Trygg skolväg"
