"""A form in error opens the page with its summary, named in the title; list filters leave clean addresses;
action search looks at owners and organisations too."""
import re

import pytest

from tests.factories import make_action, make_agreement, make_organisation, make_user
from tracker.extensions import db

ENGLISH = {"Accept-Language": "en"}


def main_of(page: str) -> str:
    return page.split('<main id="content" class="wrap" tabindex="-1">', 1)[1].split("</main>", 1)[0]


def test_sign_in_error_opens_main_takes_focus_and_names_the_title(client):
    page = client.post("/login", data={"email": "nobody@example.se", "password": "wrong"},
                       headers=ENGLISH).get_data(as_text=True)
    assert re.search(r"<title>Error: Sign in · Samverka</title>", page)
    assert main_of(page).lstrip().startswith('<div class="error-summary" role="alert" tabindex="-1" autofocus>')
    assert page.count("autofocus") == 1  # the e-mail field no longer competes for focus


def test_sign_in_error_is_tied_to_both_fields(client):
    page = client.post("/login", data={"email": "nobody@example.se", "password": "wrong"},
                       headers=ENGLISH).get_data(as_text=True)
    assert '<li id="form-error-1">' in page
    for name in ("email", "password"):
        tag = re.search(rf'<input[^>]*id="{name}"[^>]*>', page)
        assert tag and 'aria-describedby="form-error-1"' in tag.group(0)


def test_a_sign_in_page_without_errors_points_its_fields_at_nothing(client):
    page = client.get("/login", headers=ENGLISH).get_data(as_text=True)
    assert "aria-describedby" not in page and '"None"' not in page


def test_a_page_without_errors_has_a_plain_title_and_no_summary(client):
    page = client.get("/login", headers=ENGLISH).get_data(as_text=True)
    assert "<title>Sign in · Samverka</title>" in page and "error-summary" not in page
    assert re.search(r'<input[^>]*autofocus[^>]*id="email"|<input[^>]*id="email"[^>]*autofocus', page)


def test_swedish_title_starts_with_fel(client):
    page = client.post("/login", data={"email": "x@example.se", "password": "y"},
                       headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "<title>Fel: " in page


def summary_links_follow_the_page(page: str) -> list[str]:
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    linked = re.findall(r'<a href="#([\w-]+)">', summary)
    in_page = re.findall(r'<(?:input|select|textarea|ul)[^>]*id="([\w-]+)"', page.split("</div>", 1)[1])
    assert len(linked) > 1 and linked == [i for i in in_page if i in linked]
    return linked


@pytest.mark.parametrize(("path", "data"), [
    ("/admin/organisations/new", {"name": "", "short_name": "", "kind": "bogus"}),
    ("/admin/users/new", {"name": "", "email": "", "first_password": "temporary", "new_password": "", "confirm": "x"}),
    ("/agreements/new", {"title": "", "theme": "bogus", "starts_on": ""}),
], ids=["organisation", "new-account-with-password-mixin", "agreement"])
def test_field_errors_are_listed_in_the_order_of_the_page(client, as_user, path, data):
    as_user(make_user(role="admin", language="en"))
    page = client.post(path, data=data, headers=ENGLISH).get_data(as_text=True)
    linked = summary_links_follow_the_page(page)
    if "users" in path:
        assert linked[-1] in ("new_password", "confirm")


@pytest.mark.parametrize(("query", "clean"), [
    ("?q=&status=None&theme=&open=y", "/actions/?open=y"),
    ("?q=+&organisation=None", "/actions/"),
], ids=["some-left", "all-empty"])
def test_empty_filters_are_dropped_from_the_address(client, as_user, query, clean):
    as_user(make_user())
    response = client.get("/actions/" + query)
    assert response.status_code == 303 and response.location == clean


def test_filters_with_values_are_not_redirected(client, as_user):
    as_user(make_user())
    assert client.get("/actions/?open=y&q=walk").status_code == 200


def test_filter_checkbox_sits_next_to_its_label(client, as_user):
    as_user(make_user(language="en"))
    page = client.get("/actions/", headers=ENGLISH).get_data(as_text=True)
    assert re.search(r'<div class="field field-checkbox">\s*<input[^>]*id="open"[^>]*> <label for="open">', page)


@pytest.mark.parametrize("text", ["Svea Owner", "svea", "Ankeborg", "ANKB"],
                         ids=["owner-name", "part-of-owner", "organisation-name", "organisation-short-name"])
def test_action_search_finds_owner_and_organisation_names(client, as_user, text):
    org = make_organisation(name="Ankeborgs kommun", short_name="Ankb")
    other = make_organisation(name="Other org", short_name="Oth")
    me = make_user(organisation=org)
    agreement = make_agreement(lead_organisation=org, parties=[org, other])
    found = make_action(agreement=agreement, title="Street lights", owner_organisation=org,
                        owner=make_user(organisation=org, name="Svea Owner"))
    missed = make_action(agreement=agreement, title="Benches", owner_organisation=other,
                         owner=make_user(organisation=other, name="Per Other"))
    db.session.commit()
    as_user(me)
    page = client.get("/actions/", query_string={"q": text}).get_data(as_text=True)
    assert f'href="/actions/{found.id}"' in page and f'href="/actions/{missed.id}"' not in page
