"""The audit log's "Who" filter: a text matched against people's names and e-mail addresses (an exact address finds
only its owner), filtering the page, its older/newer links and the CSV export alike; never one option per person."""
import csv
import html
import io
import re

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from tests.factories import make_admin, make_organisation, make_user
from tracker.accounts.models import User
from tracker.audit.search import AuditFilters, search_events
from tracker.audit.services import record
from tracker.extensions import db

NOBODY = "No person's name or e-mail address contains"


@pytest.fixture
def log(client, as_user):
    """Four people who each changed an organisation once, and an administrator (English) signed in."""
    school = make_organisation(name="Husbygårdsskolan")
    people = [make_user(name="Anna Lind", email="anna@kommun.se", organisation=school),
              make_user(name="Johanna Berg", email="johanna@kommun.se", organisation=school),
              make_user(name="Rabatt 50% Karlsson", email="rabatt@polisen.se", organisation=school),
              make_user(name="Bo Ek", email="bo_ek@kommun.se", organisation=school)]
    for person in people:
        record(person, "update", school, {"name": ["Före", f"Ändrad av {person.name}"]})
    db.session.commit()
    as_user(make_admin(name="Administratören", email="admin@lan.se", language="en"))
    return client


def exported(client, who: str) -> set[str]:
    response = client.get("/admin/audit/export.csv", query_string={"who": who, "object_type": "organisations"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return {row[1] for row in list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:]), delimiter=","))[1:]}


def shown(client, who: str) -> set[str]:
    response = client.get("/admin/audit/", query_string={"who": who, "object_type": "organisations"},
                          follow_redirects=True)
    assert response.status_code == 200
    return set(re.findall(r"→ Ändrad av ([^<]+)<", html.unescape(response.get_data(as_text=True))))


@pytest.mark.parametrize(("who", "expected"), [
    ("lind", {"Anna Lind"}),
    ("LIND", {"Anna Lind"}),
    ("aNNa", {"Anna Lind", "Johanna Berg"}),
    ("@kommun", {"Anna Lind", "Johanna Berg", "Bo Ek"}),
    ("polisen.se", {"Rabatt 50% Karlsson"}),
    ("anna@kommun.se", {"Anna Lind"}),
    ("ANNA@Kommun.SE", {"Anna Lind"}),
    ("  anna@kommun.se ", {"Anna Lind"}),
    ("nna@kommun.se", {"Anna Lind", "Johanna Berg"}),
    ("%", {"Rabatt 50% Karlsson"}),
    ("_", {"Bo Ek"}),
    ("a_l", set()),
    ("n%d", set()),
    ("50%", {"Rabatt 50% Karlsson"}),
    ("\\", set()),
], ids=["name-part", "name-upper-case", "name-mixed-case", "email-part", "email-domain", "exact-email",
        "exact-email-other-case", "exact-email-spaces", "email-part-of-two", "percent-literal", "underscore-literal",
        "underscore-not-a-wildcard", "percent-not-a-wildcard", "percent-in-name", "backslash-literal"])
def test_who_finds_people_by_part_of_name_or_email_on_the_page_and_in_the_export(log, who, expected):
    assert shown(log, who) == expected
    assert exported(log, who) == expected


def test_an_exact_email_leaves_out_a_person_whose_address_contains_it(log):
    page = log.get("/admin/audit/?who=anna%40kommun.se").get_data(as_text=True)
    assert "Anna Lind" in page and "Johanna Berg" not in page


def test_a_search_matching_nobody_says_so_beside_the_empty_list(log):
    page = log.get("/admin/audit/?who=Zlatan").get_data(as_text=True)
    assert f'{NOBODY} “<span lang="sv">Zlatan</span>”.' in page and "No events match." in page


def test_a_person_found_without_matching_events_is_not_called_nobody(log):
    page = log.get("/admin/audit/?who=lind&verb=deactivate").get_data(as_text=True)
    assert "No events match." in page and NOBODY not in page


def test_an_empty_who_filters_nothing(log):
    response = log.get("/admin/audit/?who=&object_type=organisations")
    assert response.status_code == 303 and "who" not in response.location
    assert shown(log, "   ") == {"Anna Lind", "Johanna Berg", "Rabatt 50% Karlsson", "Bo Ek"}


@pytest.mark.parametrize("length", [201, 10_000])
def test_too_long_a_who_is_refused_in_words_and_the_export_leads_back(log, length):
    page = log.get("/admin/audit/", query_string={"who": "x" * length}).get_data(as_text=True)
    assert 'class="error-summary"' in page and '<p class="field-error" id="who-error">' in page
    assert "200 characters" in page and 'aria-describedby="who-hint who-error"' in page
    response = log.get("/admin/audit/export.csv", query_string={"who": "x" * length})
    assert response.status_code == 303 and response.location.startswith("/admin/audit/?who=xxx")


def test_two_hundred_characters_are_accepted(log):
    page = log.get("/admin/audit/", query_string={"who": "x" * 200}).get_data(as_text=True)
    assert "field-error" not in page and NOBODY in page


@pytest.mark.parametrize("who", ["an\tna", "an\nna", "anna\x1b", "an\u2028na", "an\x7fna"],
                         ids=["tab", "line-feed", "escape", "line-separator", "delete"])
def test_control_characters_are_refused_next_to_the_field(log, who):
    response = log.get("/admin/audit/", query_string={"who": who})
    assert response.status_code == 200
    assert "Write this on one line" in response.get_data(as_text=True)
    assert log.get("/admin/audit/export.csv", query_string={"who": who}).status_code == 303


def test_a_nul_byte_is_refused_at_the_door_not_a_server_error(log):
    assert log.get("/admin/audit/", query_string={"who": "an\x00na"}).status_code == 400
    assert log.get("/admin/audit/export.csv", query_string={"who": "an\x00na"}).status_code == 400


def test_html_in_who_is_shown_as_text(log):
    page = log.get("/admin/audit/", query_string={"who": '<script>alert("x")</script>'}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert f'{NOBODY} “<span lang="sv">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</span>”.' in page
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"' in page


def test_who_is_a_labelled_search_field_with_its_hint(log):
    page = log.get("/admin/audit/").get_data(as_text=True)
    assert '<label for="who">Who</label>' in page
    assert '<p class="hint" id="who-hint">Name or e-mail address, or part of one</p>' in page
    assert re.search(r'<input aria-describedby="who-hint" id="who" maxlength="200" name="who" type="search"', page)
    assert 'name="actor"' not in page


def test_the_page_no_longer_lists_every_person(log):
    organisation = make_organisation(name="Storstadskommunen")
    for n in range(30):
        make_user(name=f"Personen Nummer {n:02}", email=f"nummer{n:02}@example.se", organisation=organisation)
    db.session.commit()
    page = log.get("/admin/audit/").get_data(as_text=True)
    assert "Personen Nummer" not in page and "nummer0" not in page
    assert page.count("<option") < 100  # the organisations and the fixed choices only


def test_older_and_newer_links_keep_who(log):
    anna = db.session.scalars(select(User).filter_by(name="Anna Lind")).one()
    school = make_organisation(name="Rinkebyskolan")
    for n in range(60):
        record(anna, "update", school, {"name": [f"{n}", f"Ändrad av Anna Lind {n}"]})
    db.session.commit()
    page = log.get("/admin/audit/?who=lind").get_data(as_text=True)
    older = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', page).group(1))
    assert "who=lind" in older
    older_page = log.get(older).get_data(as_text=True)
    newer = html.unescape(re.search(r'<a href="([^"]+)" rel="prev">', older_page).group(1))
    assert "who=lind" in newer
    assert "Johanna Berg" not in older_page and "Anna Lind" in older_page
    assert len(re.findall(r"<tr>", older_page)) - 1 == 61 - 50  # Anna's 61 events, 50 on the first page


def test_who_is_one_sql_condition_never_a_list_of_ids():
    sql = str(search_events(AuditFilters(who="anna")).compile(dialect=postgresql.dialect()))
    assert "audit_events.actor_id IN (SELECT users.id" in sql and "EXISTS (SELECT" in sql


def test_non_admins_are_refused_with_who(client, as_user):
    as_user(make_user())
    assert client.get("/admin/audit/?who=anna").status_code == 403
    assert client.get("/admin/audit/export.csv?who=anna").status_code == 403
