"""The Redis the tests use (SAMVERKA_TEST_REDIS_URL, database 15 on 127.0.0.1 by default): a connection to it, or the
test skipped with the reason when none answers (`.ci/run` starts one)."""
import os

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown

REDIS = os.environ.get("SAMVERKA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip(url: str = REDIS) -> Redis:
    connection = Redis.from_url(url)
    try:
        connection.ping()
    except RedisDown:
        connection.close()
        pytest.skip(f"no Redis at {url} (.ci/run starts one)")
    return connection
