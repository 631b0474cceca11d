"""Health checks for a load balancer or an orchestrator: /healthz (this process answers; it reads nothing) and /readyz
(the database answers a SELECT 1, and Redis a PING when REDIS_URL is set). Public, never rate-limited, plain text,
no cookie; a failed check is a 503 with the reason in a word and one warning in the log, never an error's trace."""
import logging

from flask import Blueprint, Response, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db, limiter

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)
# A check must answer well within a load balancer's own timeout (a few seconds).
REDIS_TIMEOUT_SECONDS = 2
HEADERS = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Response:
    return Response("ok\n", 200, HEADERS)


@bp.get("/readyz")
@limiter.exempt
def readyz() -> Response:
    problems = [name for name, check in (("database", _database_answers), ("redis", _redis_answers)) if not check()]
    if problems:
        log.warning("not ready: %s unreachable", " and ".join(problems))
        return Response("".join(f"{name} unreachable\n" for name in problems), 503, HEADERS)
    return Response("ready\n", 200, HEADERS)


def _database_answers() -> bool:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def _redis_answers() -> bool:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return True  # not configured: nothing to wait for
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                socket_timeout=REDIS_TIMEOUT_SECONDS)
    try:
        return bool(connection.ping())
    except RedisError:
        return False
    finally:
        connection.close()
