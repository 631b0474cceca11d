"""The measuring instruments of bench/web_bench.py: signed-in HTTP timing, wrk runs checked for non-200 answers,
worker memory from /proc, and (run as `python bench/web_tools.py explain USER_ID` inside the app's environment)
EXPLAIN ANALYZE of the stalled-actions list as the app builds it."""
import math
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# wrk counts only 4xx/5xx as errors; a lost session answers 302 to the sign-in page, fast, and would flatter the
# figures. Every answer but 200 is counted here and printed for the caller to check.
WRK_SCRIPT = """
local threads = {}
paths = {%(paths)s}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0; i = 0 end
function request() i = i %% #paths + 1; return wrk.format("GET", paths[i]) end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("NOT200 %%d\\n", total))
end
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


class Browser:
    """One person's signed-in browser: a cookie jar on a kept-alive connection."""

    def __init__(self, base: str) -> None:
        import requests

        self.base, self.session = base, requests.Session()

    def sign_in(self, email: str, password: str) -> float:
        """Sign in as a browser does (the form, its CSRF token, the post); returns the milliseconds it took."""
        self.session.cookies.clear()
        began = time.perf_counter()
        form = self.session.get(self.base + "/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
        if form.status_code != 200 or token is None:
            raise SystemExit(f"the sign-in page answered {form.status_code} without a CSRF token")
        answer = self.session.post(self.base + "/login", allow_redirects=False,
                                   data={"email": email, "password": password, "csrf_token": token.group(1)})
        if answer.status_code != 303 or answer.headers.get("Location", "").endswith("/login"):
            raise SystemExit(f"signing in as {email} failed: {answer.status_code}")
        return (time.perf_counter() - began) * 1000

    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)

    def timings(self, path: str, count: int, warm: int = 3, before: Callable[[], None] | None = None) -> list[float]:
        """Milliseconds of `count` requests for path, one after another, after `warm` unmeasured ones; before(),
        when given, runs (unmeasured) before each request."""
        times = []
        for n in range(warm + count):
            if before:
                before()
            began = time.perf_counter()
            answer = self.session.get(self.base + path, allow_redirects=False)
            elapsed = (time.perf_counter() - began) * 1000
            if answer.status_code != 200:
                raise SystemExit(f"{path} answered {answer.status_code}")
            if n >= warm:
                times.append(elapsed)
        return times

    def ask_for_report(self, agreement: int, month: str) -> float:
        """Ask for the agreement's report on its page as a person does (the form, its CSRF token), then follow its
        job until it is done; the seconds from asking to a PDF to download."""
        page = self.session.get(f"{self.base}/agreements/{agreement}")
        form = re.search(rf'action="/agreements/{agreement}/reports".*?name="csrf_token"[^>]*value="([^"]+)"',
                         page.text, re.S)
        if page.status_code != 200 or form is None:
            raise SystemExit(f"agreement {agreement}'s page answered {page.status_code} without a report form")
        began = time.perf_counter()
        asked = self.session.post(f"{self.base}/agreements/{agreement}/reports", allow_redirects=False,
                                  data={"month": month, "language": "sv", "csrf_token": form.group(1)})
        if asked.status_code != 303 or "/reports/jobs/" not in asked.headers.get("Location", ""):
            raise SystemExit(f"asking for agreement {agreement}'s report answered {asked.status_code}")
        status = self.base + asked.headers["Location"] + ".json"
        while True:
            answer = self.session.get(status).json()
            if answer["over"]:
                break
            time.sleep(0.1)
        if answer["state"] != "done":
            raise SystemExit(f"agreement {agreement}'s report job ended {answer['state']}")
        return time.perf_counter() - began


def wrk(base: str, paths: list[str], cookie: str | None, seconds: int, connections: int) -> dict:
    """Requests per second (and latency) of `connections` connections cycling through paths for `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
    # A timeout far above any page's time: a slow answer counts in the latency, not as a lost request.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", "-s", script.name]
    command += ["-H", f"Cookie: {cookie}"] if cookie else []
    output = subprocess.run([*command, base], capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    bad = int(re.search(r"NOT200 (\d+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors: (.*)", output)
    if bad or errors:
        raise SystemExit(f"wrk on {paths}: {bad} answers were not 200 (session lost?), socket errors: "
                         f"{errors.group(1) if errors else 'none'}\n{output}")
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
            "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", output).group(1)),  # type: ignore[union-attr]
            "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", output).group(1))}  # type: ignore[union-attr]


def wrk_in_background(base: str, paths: list[str], cookie: str, connections: int) -> subprocess.Popen:
    """wrk browsing paths until stopped (for measuring something else under load)."""
    script = Path(tempfile.mkdtemp()) / "browse.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
    return subprocess.Popen(["wrk", "-t2", f"-c{connections}", "-d600s", "-s", str(script), "-H",
                             f"Cookie: {cookie}", base], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


class People:
    """`people` signed-in people browsing paths in turn until stopped, each pausing `pause` seconds after a page,
    as people read (wrk asks without pause: a load no 16 people make)."""

    def __init__(self, base: str, paths: list[str], cookie: str, people: int, pause: float) -> None:
        import requests

        self.stopping, self.pages, self.errors = threading.Event(), 0, 0

        def browse(n: int) -> None:
            session = requests.Session()
            session.headers["Cookie"] = cookie
            while not self.stopping.is_set():
                answer = session.get(base + paths[(self.pages + n) % len(paths)], allow_redirects=False)
                self.pages += 1
                self.errors += answer.status_code != 200
                self.stopping.wait(pause)

        self.threads = [threading.Thread(target=browse, args=(n,), daemon=True) for n in range(people)]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        if self.errors:
            raise SystemExit(f"{self.errors} of {self.pages} pages the browsing people asked for were not 200")


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def worker_memory(master: int) -> list[float]:
    """Resident memory (MB) of each gunicorn worker: the master's child processes."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            sizes.append(int(re.search(r"^VmRSS:\s+(\d+)", text, re.M).group(1)) / 1024)  # type: ignore[union-attr]
    return sorted(sizes)


def explain(user_id: int) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of the first page of the stalled list (/actions/?stalled=y) as the view
    builds it for this user (tracker/actions/explain.py), and whether the plan reads actions through an index."""
    sys.path.insert(0, str(ROOT))
    from tracker import create_app
    from tracker.accounts.models import User
    from tracker.actions.explain import explain_stalled
    from tracker.actions.rules import Thresholds
    from tracker.clock import local_today
    from tracker.extensions import db

    app = create_app()
    with app.app_context():
        plan = explain_stalled(db.session.get(User, user_id), local_today(), Thresholds.from_config(app.config),
                               analyze=True).splitlines()
    print("\n".join(plan))
    indexes = sorted({m.group(1) for line in plan for m in [re.search(r"Index (?:Only )?Scan (?:on|using) "
                                                                     r"(ix_actions_\w+)", line)] if m})
    sequential = any(re.search(r"Seq Scan on actions\b", line) for line in plan)
    print("VERDICT " + (f"uses the indexes {', '.join(indexes)}" if indexes else "uses no index of actions")
          + (" and also reads all of actions (Seq Scan)" if sequential else ", no sequential scan of actions"))


def audit_cursor(page: int) -> None:
    """Print the audit log's cursor of page `page` (50 events a page, newest first), signed with the app's secret
    key, as its "Older" links would carry after paging that far."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from tracker import create_app
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db
    from tracker.keyset import encode

    app = create_app()
    with app.app_context():
        last = db.session.execute(select(AuditEvent.at, AuditEvent.id).order_by(AuditEvent.at.desc(),
                                  AuditEvent.id.desc()).offset((page - 1) * 50 - 1).limit(1)).one()
        print(encode(last.at, last.id))


if __name__ == "__main__" and sys.argv[1:2] == ["explain"]:
    explain(int(sys.argv[2]))
elif __name__ == "__main__" and sys.argv[1:2] == ["audit-cursor"]:
    audit_cursor(int(sys.argv[2]))
