"""Bodies over MAX_CONTENT_LENGTH are refused with 413 whatever their transfer encoding, under both servers.

`flask run` (Werkzeug's server) and gunicorn run as subprocesses on a throw-away SQLite database. A chunked body
carries no Content-Length; Werkzeug 3 reads such a body only up to the limit and parses what it read, so a sign-in
followed by 3 MB of padding would be cut and processed.
"""
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.factories import PASSWORD, make_user
from tracker import create_app
from tracker.extensions import db

pytestmark = pytest.mark.servers
VENV_BIN = Path(sys.executable).parent
LIMIT = 2 * 1024 * 1024
EMAIL = "chunked@example.se"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("servers")
    url = "sqlite:///" + str(folder / "servers.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "servers"})
    with app.app_context():
        db.create_all()
        make_user(email=EMAIL)
        db.session.commit()
        db.engine.dispose()
    return folder, url


SERVERS = {
    "flask-run": lambda port: [str(VENV_BIN / "flask"), "--app", "wsgi", "run", "--port", str(port)],
    "gunicorn": lambda port: [str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
                              "--timeout", "20", "wsgi:app"],
}


@pytest.fixture(scope="module", params=list(SERVERS))
def server(request, server_database):
    _folder, url = server_database
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SAMVERKA_SECRET_KEY": "servers-secret-key-of-enough-length",
           "FLASK_DEBUG": "0"}
    process = subprocess.Popen(SERVERS[request.param](port), cwd=Path(__file__).resolve().parents[1], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{request.param} did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _sign_in_form(port) -> tuple[str, str]:
    """The session cookie and CSRF token of a fresh sign-in page."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return cookie, token


def _post_chunked(port, body: bytes, cookie: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
    connection.request("POST", "/login", body=chunks, encode_chunked=True, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _sign_in_body(token: str, padding: int) -> bytes:
    fields = urlencode({"csrf_token": token, "email": EMAIL, "password": PASSWORD, "next": "/actions/"})
    return (fields + "&padding=" + "x" * padding).encode()


def test_a_chunked_body_under_the_limit_is_processed(server):
    cookie, token = _sign_in_form(server)
    response = _post_chunked(server, _sign_in_body(token, LIMIT - 4096), cookie)
    assert response.status == 303 and response.getheader("Location").endswith("/actions/")


def test_a_chunked_body_over_the_limit_is_refused_not_cut(server):
    cookie, token = _sign_in_form(server)
    response = _post_chunked(server, _sign_in_body(token, LIMIT + 1024 * 1024), cookie)
    assert response.status == 413
