"""Two app instances behind one imagined load balancer share only the database and Redis: a session signed in on one
works on the other (and signing out on either ends it on both), failed sign-ins spread over both add up to one
lockout, and a job queued through one is done by `flask worker` and its result seen through the other.

Each instance is gunicorn with the repository's gunicorn.conf.py, on a free port, one worker. The database is a
database of its own next to DATABASE_URL's when that is PostgreSQL, else a SQLite file, migrated with the app's
migrations; Redis is SAMVERKA_TEST_REDIS_URL (database 15 on 127.0.0.1 by default) with a queue name and a key prefix
of this run only, removed afterwards. The processes are stopped however the tests end.
"""
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from flask_migrate import upgrade
from redis import Redis
from sqlalchemy import create_engine, make_url, text

from tests.factories import PASSWORD, make_admin, make_user
from tests.redis_server import REDIS, redis_or_skip
from tests.smtp import SMTPServer, text_of
from tracker import MIGRATIONS, create_app
from tracker.extensions import db

pytestmark = pytest.mark.servers
ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SECRET_KEY = "two-instances-" + "k" * 40
LOCKOUT_AFTER = 4
# SAMVERKA_TEST_PORTS=8200-8249 keeps the servers this module starts in that range; else the system picks free ports.
PORTS = os.environ.get("SAMVERKA_TEST_PORTS", "")
CSRF = re.compile(r'name="csrf_token"[^>]* value="([^"]+)"')
START_SECONDS = 30


@dataclass
class People:
    signed_in: str = ""
    locked_out: str = ""
    resetting: str = ""
    admin: str = ""


@dataclass
class Instances:
    a: int
    b: int
    environ: dict[str, str]
    people: People
    smtp: SMTPServer
    logs: dict[int, Path] = field(default_factory=dict)


class Browser:
    """Cookies kept across both instances, as a browser keeps them for one host whatever the port; no redirects
    followed, so each answer is seen as it is."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = None
        if form is not None:
            body, sent["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        page = response.read().decode()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _eq, rest = value.partition("=")
            cookie = rest.split(";")[0]
            if "Expires=Thu, 01 Jan 1970" in value or not cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = cookie
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, page

    def get(self, port: int, path: str, **kwargs) -> tuple[int, dict[str, str], str]:
        return self.request(port, "GET", path, **kwargs)

    def post(self, port: int, path: str, form: dict, page_with_form: str) -> tuple[int, dict[str, str], str]:
        """Post form with the CSRF token of the form page at page_with_form (fetched from the same instance)."""
        _status, _headers, page = self.get(port, page_with_form)
        return self.request(port, "POST", path, form={**form, "csrf_token": CSRF.search(page).group(1)})

    def sign_in(self, port: int, email: str, password: str = PASSWORD) -> int:
        return self.post(port, "/login", {"email": email, "password": password}, "/login")[0]


def free_ports(how_many: int) -> list[int]:
    first, _dash, last = PORTS.partition("-")
    candidates = range(int(first), int(last) + 1) if PORTS else [0] * how_many
    ports = []
    for candidate in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            if probe.getsockname()[1] not in ports:
                ports.append(probe.getsockname()[1])
        if len(ports) == how_many:
            return ports
    raise RuntimeError(f"no {how_many} free ports in {PORTS}")


@pytest.fixture(scope="module")
def redis_url():
    connection = redis_or_skip()
    yield REDIS
    connection.close()


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    """The URL of a database migrated with the app's migrations, with the people the tests use; dropped after."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql")):
        server = make_url(given.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg")
        name = f"{server.database}_two_instances"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
        url = server.set(database=name).render_as_string(hide_password=False)
    else:
        admin, name = None, ""
        url = "sqlite:///" + str(tmp_path_factory.mktemp("two-instances") / "shared.sqlite3")
    try:
        yield url, _migrate_and_add_people(url)
    finally:
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _migrate_and_add_people(url: str) -> People:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        people = People(signed_in=make_user().email, locked_out=make_user().email, resetting=make_user().email,
                        admin=make_admin().email)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return people


@pytest.fixture(scope="module")
def instances(shared_database, redis_url, tmp_path_factory):
    url, people = shared_database
    run = uuid.uuid4().hex[:12]
    a, b, smtp_port = free_ports(3)
    smtp = SMTPServer()
    smtp.port = smtp_port
    smtp.start()
    environ = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis_url, "SAMVERKA_SECRET_KEY": SECRET_KEY,
               "SAMVERKA_RQ_QUEUE": f"samverka-two-{run}", "SAMVERKA_RATELIMIT_KEY_PREFIX": f"samverka-two-{run}",
               "SAMVERKA_SIGN_IN_ACCOUNT_LIMIT": f"{LOCKOUT_AFTER} per 15 minutes",
               "SAMVERKA_BASE_URL": f"http://127.0.0.1:{a}", "SAMVERKA_MAIL_SMTP_HOST": "127.0.0.1",
               "SAMVERKA_MAIL_SMTP_PORT": str(smtp.port), "SAMVERKA_MAIL_SMTP_SECURITY": "none",
               "WEB_CONCURRENCY": "1", "FLASK_DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    logs = tmp_path_factory.mktemp("two-instances-logs")
    with ExitStack() as stack:
        stack.callback(smtp.stop)
        stack.callback(_forget_redis_keys, redis_url, run)
        for port in (a, b):
            stack.enter_context(_gunicorn(port, environ, logs / f"{port}.log"))
        for port in (a, b):
            _wait_until_ready(port, logs / f"{port}.log")
        yield Instances(a, b, environ, people, smtp, {a: logs / f"{a}.log", b: logs / f"{b}.log"})


class _gunicorn:
    """gunicorn with gunicorn.conf.py on port, its output in log; stopped (and killed if it lingers) on exit."""

    def __init__(self, port: int, environ: dict[str, str], log: Path) -> None:
        self.port, self.environ, self.log = port, environ, log

    def __enter__(self) -> subprocess.Popen:
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                env={**self.environ, "SAMVERKA_BIND": f"127.0.0.1:{self.port}"}, stdout=output,
                stderr=subprocess.STDOUT)
        return self.process

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _wait_until_ready(port: int, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            if Browser().get(port, "/readyz")[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the instance on port {port} did not become ready:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def _forget_redis_keys(url: str, run: str) -> None:
    """This run's queue, its jobs and their results (named by job id alone), and its rate-limit counts."""
    from rq import Queue

    connection = Redis.from_url(url)
    queue = Queue(f"samverka-two-{run}", connection=connection)
    for registry in (queue.finished_job_registry, queue.failed_job_registry, queue.started_job_registry,
                     queue.deferred_job_registry, queue.scheduled_job_registry, queue.canceled_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
    queue.delete(delete_jobs=True)
    for key in connection.scan_iter(f"*samverka-two-{run}*"):
        connection.delete(key)
    connection.close()


def test_a_session_begun_on_one_instance_works_on_the_other_and_ends_on_both(instances):
    a, b, person = instances.a, instances.b, instances.people.signed_in
    browser = Browser()
    assert browser.sign_in(a, person) == 303
    status, _headers, page = browser.get(b, "/")
    assert status == 200 and 'action="/logout"' in page

    copied = dict(browser.cookies)
    assert browser.post(b, "/logout", {}, "/")[0] == 303
    assert browser.get(a, "/")[0] == 302
    thief = Browser()
    thief.cookies = copied
    status, headers, _page = thief.get(a, "/")
    assert status == 302 and "/login" in headers["location"]


def test_failed_sign_ins_spread_over_both_instances_add_up_to_one_lockout(instances):
    a, b, person = instances.a, instances.b, instances.people.locked_out
    browser = Browser()
    statuses = [browser.sign_in(port, person, "wrong password here") for port in (a, b) * (LOCKOUT_AFTER // 2)]
    assert statuses == [200] * LOCKOUT_AFTER
    assert browser.sign_in(a, person, "wrong password here") == 429
    assert browser.sign_in(b, person) == 429  # the right password too, on the other instance


def test_a_job_queued_through_one_instance_is_done_and_seen_through_the_other(instances, redis_url):
    from rq import Queue

    a, b, people = instances.a, instances.b, instances.people
    queue = Queue(instances.environ["SAMVERKA_RQ_QUEUE"], connection=Redis.from_url(redis_url))
    status, _headers, _page = Browser().post(a, "/forgot-password", {"email": people.resetting}, "/forgot-password")
    assert status == 303
    deadline = time.monotonic() + 10
    while queue.count == 0 and time.monotonic() < deadline:  # the reset is made after the answer is sent
        time.sleep(0.1)
    assert [job.func_name for job in queue.jobs] == ["tracker.mail.jobs.deliver"]

    admin = Browser()
    assert admin.sign_in(b, people.admin) == 303
    assert people.resetting in admin.get(b, "/admin/outbox/?state=queued")[2]
    worker = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", "worker", "--burst"], cwd=ROOT,
                            env=instances.environ, capture_output=True, text=True, timeout=60)
    assert worker.returncode == 0, worker.stdout + worker.stderr
    [job_id] = queue.finished_job_registry.get_job_ids()
    assert queue.fetch_job(job_id).return_value() == "sent 1, retrying 0, failed 0"

    assert people.resetting in admin.get(b, "/admin/outbox/?state=sent")[2]
    assert people.resetting not in admin.get(b, "/admin/outbox/?state=queued")[2]
    [message] = instances.smtp.inbox.to(people.resetting)
    link = urlsplit(re.search(r"http://127\.0\.0\.1:\d+/reset-password/\S+", text_of(message)).group(0)).path
    person = Browser()
    new_password = "a new password for both instances"
    assert person.post(b, link, {"new_password": new_password, "confirm": new_password}, link)[0] == 303
    assert person.sign_in(a, people.resetting, new_password) == 303


def test_each_instance_logs_the_request_id_path_and_duration_of_what_it_served(instances):
    request_id = f"two-instances-{uuid.uuid4().hex}"
    status, headers, _page = Browser().get(instances.b, "/login?next=%2Fagreements%2F",
                                           headers={"X-Request-ID": request_id})
    assert status == 200 and headers["x-request-id"] == request_id
    log, deadline = instances.logs[instances.b], time.monotonic() + 5
    while log.read_text().count(request_id) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [line for line in log.read_text().splitlines() if request_id in line]
    assert len(lines) == 2, lines
    access = next(line for line in lines if not line.startswith("{"))
    assert re.search(rf'"GET /login" 200 \d+ \d+ms id={request_id}$', access), access
    assert f'"request_id": "{request_id}"' in next(line for line in lines if line.startswith("{"))
    assert request_id not in instances.logs[instances.a].read_text()
