"""Security headers on every response, error pages in the app's own layout, the upload limit and the session
cookie's flags. (Lockout, idle timeout and the password policy are in test_sign_in_hardening.py.)"""
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_admin, make_user
from tracker.extensions import db
from tracker.organisations.models import Organisation

ENGLISH = {"Accept-Language": "en"}


def directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    parsed = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *values = part.split()
        parsed[name.lower()] = values
    return parsed


FAILED_SIGN_IN = {"email": "x@example.se", "password": "wrong password here"}
REQUESTS = {  # name: (method, path, who is signed in, form data)
    "login-page": ("get", "/login", None, None),
    "redirect-to-login": ("get", "/agreements/", None, None),
    "failed-sign-in": ("post", "/login", None, FAILED_SIGN_IN),
    "start-page": ("get", "/", make_user, None),
    "admin-page": ("get", "/admin/users/", make_admin, None),
    "forbidden": ("get", "/admin/users/", make_user, None),
    "not-found": ("get", "/no/such/page", make_user, None),
    "wrong-method": ("get", "/logout", make_user, None),
    "sign-out": ("post", "/logout", make_user, None),
    "stylesheet": ("get", "/static/css/samverka.css", None, None),
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_every_response_carries_the_security_headers(client, name):
    method, path, maker, data = REQUESTS[name]
    if maker:
        sign_in(client, maker())
    response = client.open(path, method=method.upper(), data=data)
    response.close()  # the stylesheet is streamed from its file
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "*" not in csp["script-src"] and "data:" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin",
                                                   "strict-origin-when-cross-origin"}


def test_signed_in_pages_are_not_kept_in_shared_caches(client):
    sign_in(client, make_user())
    assert "no-store" in client.get("/").headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/login", "/", "/agreements/", "/actions/", "/reports/", "/password",
                                  "/admin/organisations/new", "/admin/users/new", "/admin/audit/"])
def test_pages_need_no_inline_script_or_style_the_policy_would_block(client, path):
    if path != "/login":
        sign_in(client, make_admin())
    page = client.get(path).get_data(as_text=True)
    assert client.get(path).status_code == 200
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline <script> is blocked by script-src 'self'"
    assert not re.search(r"\son[a-z]+\s*=", page), "inline event handlers are blocked by the policy"
    assert not re.search(r"<style|\sstyle\s*=", page), "inline styles are blocked by style-src 'self'"


def assert_in_layout(response, code: int) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert '<header class="site-header">' in page and '<main id="content"' in page
    assert f"Error code: {code}" in page and "<h1>" in page
    assert "Traceback" not in page and "werkzeug" not in page.lower()
    return page


def test_not_found_page_is_in_the_layout(client):
    sign_in(client, make_user(language="en", name="Nils Nilsson"))
    page = assert_in_layout(client.get("/agreements/999999"), 404)
    assert "There is nothing here." in page and "Nils Nilsson" in page


def test_not_found_page_for_a_visitor_is_in_the_layout_and_reveals_nothing(client):
    page = assert_in_layout(client.get("/no/such/page", headers=ENGLISH), 404)
    assert "There is nothing here." in page and "Sign out" not in page


def test_forbidden_page_is_in_the_layout(client):
    sign_in(client, make_user(language="en"))
    page = assert_in_layout(client.get("/admin/organisations/"), 403)
    assert "You do not have permission to see or change this." in page


def test_wrong_method_page_is_in_the_layout(client):
    sign_in(client, make_user(language="en"))
    assert_in_layout(client.get("/logout"), 405)


TOO_LARGE = "x" * (2 * 1024 * 1024 + 1)


def test_too_large_sign_in_is_refused_with_413(client):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "padding": TOO_LARGE},
                           headers=ENGLISH)
    assert_in_layout(response, 413)
    assert client.get("/").status_code == 302


def test_too_large_admin_form_is_refused_with_413_and_saves_nothing(client):
    sign_in(client, make_admin(language="en"))
    before = db.session.scalar(select(func.count(Organisation.id)))
    response = client.post("/admin/organisations/new", data={"name": "Big", "short_name": "B", "kind": "police",
                                                             "municipality": TOO_LARGE})
    page = assert_in_layout(response, 413)
    assert "What you sent is too large." in page
    assert db.session.scalar(select(func.count(Organisation.id))) == before


def test_a_form_just_under_the_limit_is_read(client):
    sign_in(client, make_admin(language="en"))
    response = client.post("/admin/organisations/new", data={"name": "Big", "short_name": "B", "kind": "police",
                                                             "municipality": "x" * (1024 * 1024)})
    assert response.status_code == 200 and 'id="municipality-error"' in response.get_data(as_text=True)


def session_cookie_header(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    return cookies[0]


def test_session_cookie_is_http_only_and_same_site_lax(client):
    user = make_user()
    cookie = session_cookie_header(client.post("/login", data={"email": user.email, "password": PASSWORD}))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in flags
    assert flags["samesite"].lower() == "samesite=lax"
    assert flags["path"] == "Path=/"


def test_session_cookie_is_secure_when_configured(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    user = make_user()
    cookie = session_cookie_header(client.post("/login", data={"email": user.email, "password": PASSWORD},
                                               base_url="https://localhost"))
    assert "Secure" in cookie.split("; ")


def test_sign_in_does_not_set_a_long_lived_remember_cookie(client):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))
