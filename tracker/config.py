"""Configuration: defaults here, overridden by instance/config.py, then by SAMVERKA_* and DATABASE_URL."""
import os
import secrets
from pathlib import Path
from typing import ClassVar

from flask import Flask


class Defaults:
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set SAMVERKA_SESSION_COOKIE_SECURE=1 behind https
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 2 * 60 * 60  # idle timeout: the signed cookie is refused after 2 h unused
    WTF_CSRF_TIME_LIMIT = 8 * 60 * 60
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")
    PER_PAGE = 25
    # RATELIMIT_STORAGE_URI: unless given, REDIS_URL when set (shared by every process and instance), else memory://
    # (counts per process). While Redis cannot be reached the limits count in memory rather than fail the request.
    # Flask-Limiter keeps one limiter per process and reads a missing RATELIMIT_ENABLED from the last app it served:
    # said for every app, one app built with limits off (a test) cannot switch them off for the next.
    RATELIMIT_ENABLED = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_KEY_PREFIX = "samverka"
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = False
    # Failed sign-ins: per submitted e-mail (known or not, so a lockout reveals nothing) and per client address.
    SIGN_IN_ACCOUNT_LIMIT = "10 per 15 minutes"
    SIGN_IN_ADDRESS_LIMIT = "50 per 15 minutes"
    # Behind a reverse proxy, how many X-Forwarded-For hops to trust for the client address (0: none).
    TRUSTED_PROXIES = 0
    STALE_AFTER_DAYS = 30
    DUE_SOON_DAYS = 14
    REQUEST_STALE_DAYS = 14  # a request to another party unanswered this many days makes its action "waiting"
    ESCALATE_LEVEL2_DAYS = 14  # days stalled before the owning organisation's coordinators are told
    ESCALATE_LEVEL3_DAYS = 30  # days stalled before the action goes on the steering group's agenda
    # The site's address as people reach it: every link in an e-mail starts with it (never with a request's Host).
    BASE_URL = "http://127.0.0.1:5000"
    # E-mail. Without MAIL_SMTP_HOST messages wait in the outbox (the administrators' page shows them).
    MAIL_SMTP_HOST = ""
    MAIL_SMTP_PORT = 587
    MAIL_SMTP_SECURITY = "starttls"  # "starttls" (port 587), "tls" (port 465) or "none" (a relay on this host)
    MAIL_SMTP_USERNAME = ""
    MAIL_SMTP_PASSWORD = ""
    MAIL_SMTP_TIMEOUT = 15  # seconds
    MAIL_FROM = "Samverka <samverka@localhost>"
    MAIL_MAX_ATTEMPTS = 8  # a message refused for now (4xx) this many times fails, for an administrator to retry
    MAIL_RETRY_AFTER_SECONDS = 60  # the first pause after a refusal; it doubles each time, up to 6 hours
    MAIL_LEASE_SECONDS = 300  # a sender holds a message this long; if it dies meanwhile, another sends it after
    MAIL_MAX_MESSAGE_BYTES = 10 * 1024 * 1024
    MAIL_BATCH = 200  # messages per delivery round
    # How long a link sent by e-mail works. A reset link is short-lived, yet outlasts a mail server's greylisting.
    INVITATION_HOURS = 72
    PASSWORD_RESET_HOURS = 2
    # Password-reset requests: per submitted e-mail (known or not) and per client address.
    PASSWORD_RESET_ACCOUNT_LIMIT = "5 per hour"
    PASSWORD_RESET_ADDRESS_LIMIT = "30 per hour"
    # Calendar feeds: fetches per secret address, and fetches from one client address that open nothing (a calendar
    # service fetches many people's feeds from a few addresses, and keeps fetching a replaced address for a while).
    CALENDAR_FEED_LIMIT = "60 per hour"
    CALENDAR_MISS_LIMIT = "300 per hour"
    # The JSON API: requests per API key (and per address for requests without a usable key), and the largest body.
    API_RATE_LIMIT = "600 per minute"
    API_MAX_CONTENT_LENGTH = 64 * 1024
    # Background jobs: with REDIS_URL set (the environment variable, or SAMVERKA_REDIS_URL), `flask worker` runs
    # them on RQ; without it, the CLI and cron do the same work.
    REDIS_URL = ""
    RQ_QUEUE = "samverka"
    # A report job running longer than this has lost its worker (RQ stops it then too): it is marked failed.
    REPORT_JOB_TIMEOUT = 60 * 60  # seconds
    # A report job that no worker has taken after this long is marked failed ("never started").
    REPORT_JOB_QUEUED_LIMIT = 6 * 60 * 60  # seconds
    # Parts of pages kept between requests (tracker/pagecache.py): in Redis with REDIS_URL, else in each process.
    # A change makes a new key, so this only bounds how long a part takes room after it was made; 0 keeps nothing.
    PAGE_CACHE_SECONDS = 60 * 60
    PAGE_CACHE_ENTRIES = 500  # per process, without Redis


def database_url(instance_path: str) -> str:
    """DATABASE_URL if set (postgres:// accepted and mapped to psycopg 3), else SQLite in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "samverka.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load(app: Flask, overrides: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SAMVERKA")
    if os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    if os.environ.get("DATABASE_URL") or not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.instance_path)
    if overrides:
        app.config.update(overrides)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL's JIT compiles a statement the planner thinks costly: 250 ms for the administrator's start-page
        # counts over 60,000 actions, which run in 60 ms without it. Short web statements never win it back.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"options": "-c jit=off", **options.get("connect_args", {})}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))


def instance_secret_key(instance: Path) -> str:
    """Read the secret key kept in the instance folder, creating it (mode 0600) on first run.

    Several processes may start at once (gunicorn's workers): the key is written to a file of its own and linked into
    place, so every process reads the one key that won, never a half-written file. It is this machine's key: several
    machines behind a load balancer must all be given the same SAMVERKA_SECRET_KEY instead.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f"secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
            os.link(draft, path)
        except FileExistsError:
            pass  # another process linked its key first: that one is the key
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"The secret key in {path} is too short; delete the file to have a new one made.")
    return key
