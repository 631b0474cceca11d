"""Parts of pages kept between requests, known by everything they were made from.

A key names what the part shows and from what (the person, the language, the day, the stamp of the agreements it
reads: tracker/changes.py) and this release of the code and templates, so a kept part is never out of date: a change
makes a new key and the old entry is never asked for again, and it expires (PAGE_CACHE_SECONDS).

With REDIS_URL set the parts are kept in Redis, shared by every process and instance; without it each process keeps
its own, at most PAGE_CACHE_ENTRIES of them. A Redis that does not answer only costs the part being made again.
PAGE_CACHE_SECONDS = 0 keeps nothing. Redis is trusted as it is for the job queue: what it keeps is served as HTML.
"""
import hashlib
import logging
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)
PREFIX = "samverka:page:"
_EXTENSION = "samverka.pagecache"


@cache
def release() -> str:
    """A digest of this release: its code, templates, catalogues and migrations, and the pinned libraries
    (requirements.txt) that make a page (Jinja, Babel's dates): what a kept part was made with."""
    digest = hashlib.blake2b(digest_size=8)
    package = Path(__file__).resolve().parent
    project = package.parent
    files = [p for p in package.rglob("*") if p.suffix in {".py", ".html", ".mo"}]
    files += [*(project / "migrations").rglob("*.py"), project / "requirements.txt"]
    for path in sorted(p for p in files if p.is_file()):
        digest.update(str(path.relative_to(project)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class LocalStore:
    """The newest entries of this process, oldest forgotten first; safe across the threads of a worker."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1]

    def set(self, key: str, value: bytes, seconds: int) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + seconds, value)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


class RedisStore:
    """Redis, shared by every process; after it fails to answer, left alone for RESTING seconds."""

    RESTING = 10.0

    def __init__(self, url: str) -> None:
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.resting_until = 0.0

    def _call(self, command: Callable[[], Any]) -> Any:
        if time.monotonic() < self.resting_until:
            return None
        try:
            return command()
        except Exception:
            self.resting_until = time.monotonic() + self.RESTING
            raise

    def get(self, key: str) -> bytes | None:
        value = self._call(lambda: self.redis.get(PREFIX + key))
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes, seconds: int) -> None:
        self._call(lambda: self.redis.set(PREFIX + key, value, ex=seconds))


def init_app(app: Flask) -> None:
    url, entries = app.config.get("REDIS_URL"), int(app.config["PAGE_CACHE_ENTRIES"])
    app.extensions[_EXTENSION] = RedisStore(url) if url else LocalStore(entries)


def name_of(key: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr((release(), *key)).encode(), digest_size=16).hexdigest()


def kept(key: tuple[Any, ...], make: Callable[[], str]) -> str:
    """The part known by key, made by make() unless it is kept; key holds everything the part is made from."""
    seconds = int(current_app.config["PAGE_CACHE_SECONDS"])
    if seconds <= 0:
        return make()
    store, name = current_app.extensions[_EXTENSION], name_of(key)
    try:
        found = store.get(name)
        if found is not None:
            return zlib.decompress(found).decode()
    except Exception:  # Redis down or slow, or an entry that is not one of ours: make the part, as if none were kept
        log.warning("the page cache did not answer", exc_info=True)
    made = make()
    try:
        store.set(name, zlib.compress(made.encode(), 1), seconds)
    except Exception:
        log.warning("the page cache did not keep a part", exc_info=True)
    return made
