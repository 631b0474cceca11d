"""Static files under fingerprinted names: pages link them by a name carrying their content's hash, served with a year's
cache; the plain name still answers with a short one; e-mails build the same addresses."""
import hashlib
import re
from pathlib import Path

from tests.factories import make_user
from tracker.mail.links import absolute_url
from tracker.static_files import FOREVER, PLAIN_MAX_AGE, fingerprinted_name, fingerprints

STATIC = Path(__file__).resolve().parent.parent / "tracker" / "static"
CSS = "css/samverka.css"
LINKED = re.compile(r'href="/static/([^"]+)"')


def expected_name(name: str) -> str:
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    stem, suffix = name.rsplit(".", 1)
    return f"{stem}.{digest}.{suffix}"


def fetch(client, path: str):
    """The response with its body read and its file closed."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def test_pages_link_the_stylesheet_and_icon_by_their_content_hash(client):
    page = client.get("/login").get_data(as_text=True)
    assert set(LINKED.findall(page)) == {expected_name(CSS), expected_name("favicon.svg")}


def test_a_fingerprinted_address_is_the_file_cached_for_a_year(client):
    response = fetch(client, "/static/" + expected_name(CSS))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == FOREVER == "public, max-age=31536000, immutable"
    assert response.data == (STATIC / CSS).read_bytes()
    assert response.mimetype == "text/css"


def test_the_plain_name_still_answers_with_a_short_cache(client):
    response = fetch(client, "/static/" + CSS)
    assert response.status_code == 200 and response.data == (STATIC / CSS).read_bytes()
    assert response.headers["Cache-Control"] == f"public, max-age={PLAIN_MAX_AGE}"
    assert "immutable" not in response.headers["Cache-Control"]


def test_a_fingerprint_of_another_version_gets_the_current_file_briefly_cached(client):
    response = fetch(client, "/static/css/samverka.0123456789ab.css")
    assert response.status_code == 200 and response.data == (STATIC / CSS).read_bytes()
    assert "immutable" not in response.headers["Cache-Control"]


def test_a_missing_file_is_a_404_fingerprinted_or_not(client):
    assert fetch(client, "/static/css/nothing.css").status_code == 404
    assert fetch(client, "/static/css/nothing.0123456789ab.css").status_code == 404
    assert fetch(client, "/static/../config.py").status_code == 404


def test_signed_in_the_static_file_keeps_its_public_cache(client, as_user):
    as_user(make_user())
    response = fetch(client, "/static/" + expected_name(CSS))
    assert response.headers["Cache-Control"] == FOREVER
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in fetch(client, "/favicon.ico").headers


def test_an_address_built_for_an_e_mail_is_fingerprinted_too(app):
    app.config["BASE_URL"] = "https://samverka.example.se"
    assert absolute_url("static", filename=CSS) == "https://samverka.example.se/static/" + expected_name(CSS)


def test_a_changed_file_gets_a_new_name_and_an_unchanged_one_keeps_its_own(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body { color: black }")
    (tmp_path / "logo.svg").write_text("<svg/>")
    before = fingerprints(tmp_path)
    (tmp_path / "css" / "site.css").write_text("body { color: navy }")
    after = fingerprints(tmp_path)
    assert set(before) == {"css/site.css", "logo.svg"}
    assert before["css/site.css"] != after["css/site.css"] and before["logo.svg"] == after["logo.svg"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", after["css/site.css"])


def test_names_without_an_extension_get_the_hash_at_the_end():
    assert fingerprinted_name("LICENSE", b"x") == "LICENSE." + hashlib.sha256(b"x").hexdigest()[:12]
    assert fingerprinted_name(".hidden", b"x") == ".hidden." + hashlib.sha256(b"x").hexdigest()[:12]
