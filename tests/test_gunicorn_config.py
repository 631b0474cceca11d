"""gunicorn.conf.py: where it listens and how many workers it starts come from the environment and the CPU count."""
import multiprocessing
import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def settings(monkeypatch, **environ: str) -> dict:
    for name in ("SAMVERKA_BIND", "PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


@pytest.mark.parametrize(("environ", "bind"), [
    ({}, ["127.0.0.1:8000"]),
    ({"PORT": "8201"}, ["127.0.0.1:8201"]),
    ({"SAMVERKA_BIND": "0.0.0.0:8000"}, ["0.0.0.0:8000"]),
    ({"SAMVERKA_BIND": "10.0.0.5:8000, unix:/run/samverka.sock", "PORT": "9"}, ["10.0.0.5:8000",
                                                                                 "unix:/run/samverka.sock"]),
], ids=["default", "port", "bind", "several-bind-wins-over-port"])
def test_it_listens_where_the_environment_says(monkeypatch, environ, bind):
    assert settings(monkeypatch, **environ)["bind"] == bind


def test_workers_follow_the_cpu_count_within_a_cap(monkeypatch):
    config = settings(monkeypatch)
    assert config["workers"] == min(2 * multiprocessing.cpu_count() + 1, config["MAX_WORKERS"])
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 64)
    assert settings(monkeypatch)["workers"] == config["MAX_WORKERS"]
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 1)
    assert settings(monkeypatch)["workers"] == 3


def test_web_concurrency_sets_the_workers(monkeypatch):
    assert settings(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3


@pytest.mark.parametrize("given", ["0", "-1", "two", "2.5"])
def test_a_wrong_web_concurrency_stops_start_up_with_a_message(monkeypatch, given):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number"):
        settings(monkeypatch, WEB_CONCURRENCY=given)


def test_the_access_log_carries_the_logged_path_the_duration_and_the_request_id(monkeypatch):
    config = settings(monkeypatch)
    assert config["accesslog"] == "-" and config["errorlog"] == "-"
    for atom in ("%({samverka.path}e)s", "%(M)s", "%({x-request-id}o)s", "%(s)s"):
        assert atom in config["access_log_format"]
    assert "%(r)s" not in config["access_log_format"] and "%(U)s" not in config["access_log_format"]
    assert config["max_requests"] > 0 and 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["graceful_timeout"] < config["timeout"] and config["keepalive"] > 60
