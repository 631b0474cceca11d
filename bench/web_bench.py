"""Web benchmark at county scale: `python bench/web_bench.py [--keep] [--reuse] [--port 8100] [--workers N]
[--config gunicorn.conf.py]`.

In one run, on a fresh machine: sets the project up (`make setup`, then runs itself again with .venv/bin/python),
installs Debian's wrk when it is missing, creates a throw-away PostgreSQL database, migrates it (`flask db upgrade`),
seeds the full county scale (`flask seed-scale`: 300 organisations, 60,000 actions, 300,000 progress updates) and
serves it with gunicorn and the repository's gunicorn.conf.py (`-w 2` without one). Then it measures:
  - single requests, one after another, signed in with real requests (the form's CSRF token): p50/p95 of sign-in,
    the start page (coordinator and administrator; its sections are kept between requests, so also "made anew":
    each request after a change to an agreement the person reads), the stalled-actions list, the agreements with stalled
    commitments, the largest agreement's page, an action page and the audit log (page 1 and page 2,000, reached
    by the keyset cursor its "Older" links carry);
  - throughput with wrk (16 connections, 10 s, the session's cookie) of the start page and the stalled list, of the
    start page with nothing kept (a second gunicorn with SAMVERKA_PAGE_CACHE_SECONDS=0), and of a minimal Flask
    "hello" (bench/hello.py) behind the same gunicorn settings, each page as a share of hello;
  - each gunicorn worker's resident memory after the load;
  - EXPLAIN (ANALYZE, BUFFERS) of the stalled list's query as the app builds it, and whether it uses an index;
  - `flask reports generate` for the agreement of about 300 actions: alone, while 16 people browse (each a page,
    then a second's reading) and while wrk's 16 connections browse without pause; and the same report asked for on
    the agreement's page as a person does, from the click to the PDF ready (its job), alone and while 16 people browse.
The database is dropped at the end unless --keep; --reuse keeps an existing seeded database instead of seeding.
Environment: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/samverka_bench).
"""
import argparse
import os
import secrets
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/samverka_bench"
PASSWORD = "samverka-demo-2026"  # every seeded account's (tracker/demo/cli.py)
# The figures before this work (2-core machine, 2 workers, same data): p95 in ms, throughput in requests/s.
BASELINE = {"start (coordinator)": "75 ms of SQL; 30-36 req/s (0.6 % of hello)",
            "largest agreement": "p95 170-200 ms", "agreement of": "p50 415-575 ms, p95 up to 680 ms",
            "audit log, page 1": "p95 112-130 ms", "audit log, page 2": "0.65 s of SQL", "action page": "18-27 ms",
            "hello": "~5,500 req/s"}


def ensure_venv() -> None:
    """Run from the project's virtualenv, setting it up first if need be."""
    if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve():
        return
    print("==> Not running from the project's .venv: make setup, then again with .venv/bin/python", flush=True)
    subprocess.run(["make", "setup"], cwd=ROOT, check=True)
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("==> wrk is missing: installing Debian's wrk with apt-get", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"]).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-q"], check=True)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True)


def flask(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def prepare_database(url: str, reuse: bool) -> str:
    """Create, migrate and seed the database (or keep it, with --reuse, when it exists); says what it did."""
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    admin = create_engine(target.set(drivername="postgresql+psycopg", database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
        if exists and reuse:
            admin.dispose()
            return f"reused database {target.database}"
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    began = time.perf_counter()
    flask(url, "db", "upgrade")
    migrated = time.perf_counter() - began
    seeded = flask(url, "seed-scale").strip().splitlines()[0]
    return f"database {target.database}: migrated in {migrated:.1f} s; {seeded}"


def drop_database(url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    admin = create_engine(target.set(drivername="postgresql+psycopg", database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def cast(url: str) -> dict:
    """Who and what to measure: the busiest coordinator of the largest agreement's parties, an administrator, the
    largest agreement and the one of about 300 actions, an action of the largest."""
    from sqlalchemy import create_engine, make_url, text

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with engine.connect() as c:
        sizes = c.execute(text("SELECT agreement_id, count(*) FROM actions GROUP BY agreement_id "
                               "ORDER BY count(*) DESC LIMIT 2")).all()
        largest, second = sizes[0][0], sizes[1][0]
        coordinator = c.execute(text(
            "SELECT u.id, u.email FROM users u JOIN agreement_parties p ON p.organisation_id = u.organisation_id "
            "LEFT JOIN actions a ON a.owner_id = u.id WHERE p.agreement_id = :a AND u.role = 'coordinator' "
            "AND u.is_active GROUP BY u.id, u.email ORDER BY count(a.id) DESC, u.id LIMIT 1"), {"a": largest}).one()
        admin = c.execute(text("SELECT email FROM users WHERE role = 'admin' AND is_active ORDER BY id LIMIT 1")).one()
        action = c.execute(text("SELECT a.id FROM actions a JOIN progress_updates u ON u.action_id = a.id "
                                "WHERE a.agreement_id = :a GROUP BY a.id ORDER BY count(*) DESC LIMIT 1"),
                           {"a": largest}).scalar()
        events = c.execute(text("SELECT count(*) FROM audit_events")).scalar()
        scope = c.execute(text(
            "SELECT (SELECT count(*) FROM agreement_parties p WHERE p.organisation_id = u.organisation_id), "
            "(SELECT count(*) FROM actions a JOIN agreement_parties p ON p.agreement_id = a.agreement_id "
            "WHERE p.organisation_id = u.organisation_id), (SELECT count(*) FROM actions a WHERE a.owner_id = u.id) "
            "FROM users u WHERE u.id = :u"), {"u": coordinator.id}).one()
    engine.dispose()
    return {"largest": largest, "largest_n": sizes[0][1], "second": second, "second_n": sizes[1][1],
            "coordinator_id": coordinator.id, "coordinator": coordinator.email, "admin": admin.email,
            "action": action, "deep": min(2000, events // 50), "scope": tuple(scope)}


def deep_cursor(url: str, env: dict, who: dict) -> str:
    """The audit log's keyset cursor of the deep page, signed with the served app's secret key."""
    return subprocess.run([sys.executable, str(ROOT / "bench/web_tools.py"), "audit-cursor", str(who["deep"])],
                          cwd=ROOT, env={**env, "DATABASE_URL": url}, capture_output=True, text=True,
                          check=True).stdout.strip()


@contextmanager
def gunicorn(app: str, port: int, env: dict, workers: int | None, log: Path, config: Path):
    """gunicorn serving app on 127.0.0.1:port with the repository's settings; yields the master's pid."""
    command = [str(ROOT / ".venv/bin/gunicorn"), "--bind", f"127.0.0.1:{port}"]
    command += ["--config", str(config)] if config.exists() else ["-w", "2"]
    command += ["-w", str(workers)] if workers else []
    with log.open("w") as out:
        server = subprocess.Popen([*command, app], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, server)
        yield server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(port: int, server: subprocess.Popen) -> None:
    import socket

    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up (exit {server.returncode}); see its log")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"gunicorn did not listen on port {port}")


def report_seconds(url: str, agreement: int) -> float:
    from datetime import date

    began = time.perf_counter()
    flask(url, "reports", "generate", "--agreement", str(agreement), "--month", date.today().strftime("%Y-%m"),
          "--no-mail")
    return time.perf_counter() - began


def toucher(url: str, agreement: int):
    """A change to the agreement as the app counts one (tracker/changes.py): every page part made from it is made
    anew on the next request."""
    from sqlalchemy import create_engine, make_url, text

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")

    def touch() -> None:
        with engine.connect() as connection:
            connection.execute(text("UPDATE agreements SET content_version = content_version + 1 WHERE id = :a"),
                               {"a": agreement})
    return touch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the database as it is when it exists")
    parser.add_argument("--port", type=int, default=8100, help="Samverka's port; hello's is the next one")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's, else 2)")
    parser.add_argument("--requests", type=int, default=40, help="single requests per page")
    parser.add_argument("--config", type=Path, default=ROOT / "gunicorn.conf.py",
                        help="gunicorn settings (default: the repository's; without the file, -w 2)")
    args = parser.parse_args()
    ensure_venv()
    ensure_wrk()
    sys.path.insert(0, str(ROOT / "bench"))
    from web_tools import Browser, People, percentile, worker_memory, wrk, wrk_in_background

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    print("==> " + prepare_database(url, args.reuse), flush=True)
    who = cast(url)
    env = {**os.environ, "DATABASE_URL": url, "SAMVERKA_SECRET_KEY": secrets.token_hex(32)}
    base, hello_base = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
    logs = Path(os.environ.get("TMPDIR", "/tmp"))
    rows, load = [], {}
    with gunicorn("wsgi:app", args.port, env, args.workers, logs / "web_bench_samverka.log",
                  args.config) as master:
        coordinator, admin = Browser(base), Browser(base)
        signing = [coordinator.sign_in(who["coordinator"], PASSWORD) for _ in range(args.requests)]
        rows.append(("sign-in (form, post)", signing))
        admin.sign_in(who["admin"], PASSWORD)
        pages = [("start (coordinator)", coordinator, "/"), ("start (administrator)", admin, "/"),
                 ("stalled actions", coordinator, "/actions/?stalled=y"),
                 ("agreements with stalled", coordinator, "/agreements/?stalled=y"),
                 (f"largest agreement ({who['largest_n']})", coordinator, f"/agreements/{who['largest']}"),
                 (f"agreement of {who['second_n']}", admin, f"/agreements/{who['second']}"),
                 ("action page", coordinator, f"/actions/{who['action']}"),
                 ("audit log, page 1", admin, "/admin/audit/"),
                 (f"audit log, page {who['deep']}", admin, f"/admin/audit/?after={deep_cursor(url, env, who)}")]
        for label, browser, path in pages:
            print(f"    timing {label}", flush=True)
            rows.append((label, browser.timings(path, args.requests)))
        touch = toucher(url, who["largest"])  # an agreement that both read
        for label, browser in (("start (coordinator), made anew", coordinator),
                               ("start (administrator), made anew", admin)):
            print(f"    timing {label}", flush=True)
            rows.insert(2 if "coordinator" in label else 4, (label, browser.timings("/", args.requests, before=touch)))
        cookie = coordinator.cookie()
        for label, path in (("start (coordinator)", "/"), ("stalled actions", "/actions/?stalled=y")):
            print(f"    wrk {label}", flush=True)
            load[label] = wrk(base, [path], cookie, 10, 16)
        memory = worker_memory(master)
        quiet = report_seconds(url, who["second"])
        month = time.strftime("%Y-%m")
        asked = [admin.ask_for_report(who["second"], month) for _ in range(3)]
        browsed = ["/", "/actions/?stalled=y", f"/agreements/{who['largest']}", f"/actions/{who['action']}"]
        people = People(base, browsed, cookie, 16, 1.0)
        time.sleep(2)
        try:
            reading = report_seconds(url, who["second"])
            asked_reading = [admin.ask_for_report(who["second"], month) for _ in range(3)]
        finally:
            people.stop()
        browsing = wrk_in_background(base, browsed, cookie, 16)
        time.sleep(2)
        try:
            busy = report_seconds(url, who["second"])
        finally:
            browsing.terminate()
            browsing.wait()
    print("    wrk start (coordinator), nothing kept (SAMVERKA_PAGE_CACHE_SECONDS=0)", flush=True)
    with gunicorn("wsgi:app", args.port, {**env, "SAMVERKA_PAGE_CACHE_SECONDS": "0"}, args.workers,
                  logs / "web_bench_samverka_unkept.log", args.config):
        unkept = Browser(base)
        unkept.sign_in(who["coordinator"], PASSWORD)
        load["start (coordinator), made anew"] = wrk(base, ["/"], unkept.cookie(), 10, 16)
    with gunicorn("hello:app", args.port + 1, {**env, "PYTHONPATH": str(ROOT / "bench")}, args.workers,
                  logs / "web_bench_hello.log", args.config):
        print("    wrk hello", flush=True)
        hello = wrk(hello_base, ["/"], None, 10, 16)
    plan = subprocess.run([sys.executable, str(ROOT / "bench/web_tools.py"), "explain", str(who["coordinator_id"])],
                          cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True,
                          check=True).stdout
    print_results(rows, load, hello, memory, plan, (quiet, reading, busy, median(asked), median(asked_reading)),
                  who, percentile, args.config)
    if not args.keep:
        drop_database(url)


def print_results(rows, load, hello, memory, plan, report, who, percentile, config) -> None:
    print("\n==> EXPLAIN (ANALYZE, BUFFERS) of the stalled list's first page, as the app builds it")
    print("\n".join("    " + line for line in plan.splitlines() if not line.startswith("VERDICT")))
    print()
    config = config.name if config.exists() else f"-w 2 (no {config.name})"
    print(f"Samverka at county scale on PostgreSQL, gunicorn {config}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[1]:.1f} over the last 5 minutes (other work on the machine inflates every figure)")
    print(f"coordinator {who['coordinator']}: party to {who['scope'][0]} agreements, {who['scope'][1]} actions in "
          f"them, owner of {who['scope'][2]}; administrator {who['admin']}")
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'of hello':>9}   issue's baseline")
    for label, times in rows:
        under = load.get(label)
        rate = f"{under['rps']:8.0f} {100 * under['rps'] / hello['rps']:8.1f}%" if under else f"{'':8} {'':9}"
        baseline = next((v for k, v in BASELINE.items() if label.startswith(k)), "")
        print(f"{label:32} {median(times):8.1f} {percentile(times, 0.95):8.1f} {rate}   {baseline}")
    print(f"{'hello (bench/hello.py)':32} {'':8} {'':8} {hello['rps']:8.0f} {100.0:8.1f}%   {BASELINE['hello']}")
    latencies = [f"{k} {v['p50']:.0f}/{v['p99']:.0f}" for k, v in load.items()]
    print("wrk: 16 connections, 10 s; latency under load (p50/p99 ms): " + ", ".join(latencies)
          + f", hello {hello['p50']:.1f}/{hello['p99']:.1f}")
    print("worker memory after the load (MB RSS): " + ", ".join(f"{m:.0f}" for m in memory))
    print("stalled list's query " + plan.splitlines()[-1].removeprefix("VERDICT "))
    print("start page: its sections are kept between requests (tracker/pagecache.py); \"made anew\" is the first visit "
          "after a change to an agreement the person reads, and its req/s is with nothing kept")
    print(f"monthly report of agreement {who['second']} ({who['second_n']} actions), `flask reports generate` with "
          f"its start-up: {report[0]:.1f} s alone, {report[1]:.1f} s while 16 people browse (a page, then 1 s "
          f"reading), {report[2]:.1f} s while wrk's 16 connections ask without pause")
    print(f"the same report asked for on the agreement's page, from asking to the PDF (median of 3): {report[3]:.1f} s "
          f"alone, {report[4]:.1f} s while the 16 people browse")


if __name__ == "__main__":
    main()
