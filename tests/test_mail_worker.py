"""With REDIS_URL set, a commit that queued mail queues a delivery job, and `flask worker` delivers it."""
import uuid

import pytest
from redis import Redis

from tests.factories import make_admin, make_user
from tests.redis_server import REDIS, redis_or_skip
from tests.smtp import smtp_server  # noqa: F401  (a fixture)
from tracker.extensions import db
from tracker.mail import outbox
from tracker.mail.compose import recipient
from tracker.mail.models import MessageState, OutboxMessage


@pytest.fixture
def redis_queue(app):
    connection = redis_or_skip()
    name = f"samverka-test-{uuid.uuid4().hex}"
    app.config.update(REDIS_URL=REDIS, RQ_QUEUE=name)
    yield name
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def test_a_commit_that_queues_mail_queues_one_delivery_job_for_the_worker(app, smtp_server, redis_queue):
    from rq import Queue

    admin = make_admin()
    for person in (make_user(), make_user()):
        outbox.queue_test_message(recipient(person), by=admin)
    db.session.commit()
    queue = Queue(redis_queue, connection=Redis.from_url(REDIS))
    assert [job.func_name for job in queue.jobs] == ["tracker.mail.jobs.deliver"]

    result = app.test_cli_runner().invoke(args=["worker", "--burst"])

    assert result.exit_code == 0, result.output
    assert len(smtp_server.inbox.messages) == 2
    db.session.expire_all()
    assert {m.state for m in db.session.query(OutboxMessage)} == {MessageState.SENT}


def test_a_rolled_back_change_queues_no_job(app, redis_queue):
    from rq import Queue

    outbox.queue_test_message(recipient(make_user()), by=make_admin())
    db.session.rollback()
    db.session.commit()
    assert Queue(redis_queue, connection=Redis.from_url(REDIS)).count == 0


def test_without_redis_the_worker_says_to_use_cron(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 1 and "REDIS_URL is not set" in result.output
