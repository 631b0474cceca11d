"""Every redirect that takes a target from the user (sign-in's `next`, the language switch's `next`) lands on a page
of this site, never elsewhere and never a server error, whatever the target holds."""
import re

import pytest

from tests.factories import PASSWORD, make_user

HOSTILE = {
    "crlf-header": "/\r\nLocation: //evil.example",
    "tab-protocol-relative": "\t//evil.example",
    "tab-inside": "/\t/evil.example",
    "newline-inside": "/\n/evil.example",
    "encoded-crlf": "/%0d%0a",
    "encoded-crlf-header": "/%0d%0aLocation:%20//evil.example",
    "encoded-tab": "/%09/evil.example",
    "protocol-relative": "//evil.example",
    "absolute": "https://evil.example",
    "backslash": "/\\evil.example",
    "encoded-backslash": "/%5cevil.example",
    "nul": "\x00",
    "nul-in-path": "/agreements/\x00",
    "del": "/\x7f",
    "c1-control": "/\x85/evil.example",
    "leading-space": " //evil.example",
    "javascript": "javascript:alert(1)",
    "relative": "evil.example",
    "very-long": "/" + "a" * 5000,
}
LOCAL = "/actions/?status=blocked"


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.mark.parametrize("target", HOSTILE.values(), ids=HOSTILE.keys())
def test_sign_in_with_a_hostile_next_signs_in_and_lands_on_the_start_page(client, target):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": target})
    assert response.status_code == 303 and response.location == "/"
    assert _signed_in(client)


@pytest.mark.parametrize("target", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_sign_in_page_drops_a_hostile_next_from_its_form(client, target):
    response = client.get("/login", query_string={"next": target})
    assert response.status_code == 200
    hidden = re.search(r'id="next" name="next" type="hidden" value="([^"]*)"', response.get_data(as_text=True))
    assert hidden.group(1) == ""


def test_the_sign_in_page_keeps_a_local_next(client):
    user = make_user()
    page = client.get("/login", query_string={"next": LOCAL}).get_data(as_text=True)
    assert 'value="/actions/?status=blocked"' in page
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": LOCAL})
    assert response.location == LOCAL


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
@pytest.mark.parametrize("target", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_language_switch_with_a_hostile_next_switches_and_lands_on_a_page_of_this_site(
        client, as_user, target, signed_in):
    if signed_in:
        as_user(make_user())
    response = client.post("/language", data={"language": "en", "next": target})
    assert response.status_code == 303 and response.location == "/"
    with client.session_transaction() as session:
        assert session["language"] == "en"


def test_the_language_switch_on_a_page_whose_address_holds_controls_is_never_a_server_error(client, as_user):
    as_user(make_user())
    page = client.get("/agreements/%0d%0a/x")
    assert page.status_code == 404
    next_value = re.search(r'name="next" value="([^"]*)"', page.get_data(as_text=True)).group(1)
    assert "\r" not in next_value and "\n" not in next_value
    response = client.post("/language", data={"language": "en", "next": next_value})
    assert response.status_code == 303 and response.location.startswith("/")
