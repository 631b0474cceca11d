"""gunicorn's settings for Samverka: `gunicorn --config gunicorn.conf.py wsgi:app` (what `make serve` runs).

Environment: SAMVERKA_BIND (e.g. 0.0.0.0:8000, or several addresses separated by commas), else PORT on 127.0.0.1
(default 8000); WEB_CONCURRENCY, the number of worker processes (default from the CPU count). Any other setting can
be given on the command line or in GUNICORN_CMD_ARGS (e.g. "--threads 4"), which override this file.
"""
import multiprocessing
import os
from pathlib import Path

MAX_WORKERS = 8


def _bind() -> list[str]:
    if os.environ.get("SAMVERKA_BIND"):
        return [address.strip() for address in os.environ["SAMVERKA_BIND"].split(",") if address.strip()]
    return [f"127.0.0.1:{os.environ.get('PORT') or 8000}"]


def _workers() -> int:
    """WEB_CONCURRENCY if set, else 2 × cores + 1 (one process computes while another waits on PostgreSQL), at most
    MAX_WORKERS: past that, add app instances rather than processes (each holds its own connections)."""
    given = os.environ.get("WEB_CONCURRENCY")
    if given:
        if not given.isdigit() or int(given) < 1:
            raise SystemExit(f"WEB_CONCURRENCY must be a whole number of worker processes, 1 or more, not {given!r}")
        return int(given)
    return min(2 * multiprocessing.cpu_count() + 1, MAX_WORKERS)


bind = _bind()
workers = _workers()
# Threads, not only processes: a worker keeps serving while one of its requests waits on the database or renders a
# PDF, and it holds a load balancer's idle keep-alive connections without tying up a thread (the sync worker ignores
# keep-alive). Two threads a worker: most of a request is Python holding the GIL, so more threads add little but
# database connections. Each thread may hold one: workers × threads × instances must stay under PostgreSQL's
# max_connections (100 by default). gevent would need its own database driver set-up; not worth it here.
worker_class = "gthread"
threads = 2

# A gthread worker reports to the master from its main loop, not per request, so `timeout` kills a process that has
# stopped altogether (a C extension holding the GIL), not a slow request. A single agreement's PDF takes seconds.
timeout = 60
# On a restart or stop (SIGHUP, SIGTERM, a deploy), requests in flight get this long to finish.
graceful_timeout = 30
# Longer than a load balancer keeps an idle connection to us (60 s for nginx's upstream keep-alive and most cloud
# balancers): if we closed first, a request sent on the closing connection would fail as a 502.
keepalive = 75
# Restart each worker after about a thousand requests (jitter: not all at once), so memory that WeasyPrint, lxml or
# a fragmented heap keep does not grow for weeks.
max_requests = 1000
max_requests_jitter = 100

# The access log on stdout: one line per request with the client address, the path without its query string and with
# secret tokens replaced (the app leaves it in the environ as samverka.path, tracker/requestlog.py), the status, bytes,
# the duration in milliseconds and the request id, which the app's own JSON line (logger samverka.request, also on
# stdout) and the X-Request-ID response header carry too. Errors and warnings go to stderr.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %({samverka.path}e)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
errorlog = "-"
loglevel = "info"
proc_name = "samverka"
# gunicorn 25+ opens a control socket at one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): two
# instances on one host would take it from each other. Signals do the same work (HUP reloads, TTIN/TTOU add or remove
# a worker, TERM stops gracefully).
control_socket_disable = True
# The workers' heartbeat files on tmpfs: on a container's overlay file system a write can stall for seconds.
if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"


def on_starting(server) -> None:  # server: gunicorn's Arbiter
    if not os.environ.get("SAMVERKA_SECRET_KEY"):
        server.log.warning(
            "SAMVERKA_SECRET_KEY is not set: sessions are signed with this machine's instance/secret_key (or "
            "instance/config.py's SECRET_KEY). Every instance behind a load balancer must be given the same key.")
    if not os.environ.get("DATABASE_URL"):
        server.log.warning("DATABASE_URL is not set: serving the embedded SQLite database in instance/, which only "
                           "one machine can use.")
