"""`flask seed-demo` ends with the reminders job for the seed day: the demo administrator's outbox shows the demo's
weekly summaries and escalation notices, whatever day the demo is seeded, and none of the seeded history's
assignments."""
from sqlalchemy import select

from tests.test_cli import run
from tracker.accounts.models import User
from tracker.clock import local_today
from tracker.demo.cli import DEMO_PASSWORD
from tracker.extensions import db
from tracker.mail.models import OutboxMessage


def test_the_demo_administrators_outbox_shows_the_demos_digests(app, client):
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    messages = list(db.session.scalars(select(OutboxMessage)))
    kinds = {m.kind for m in messages}
    assert "digest" in kinds and "notice_level2" in kinds and "notice_level3" in kinds
    assert "notice_assigned" not in kinds and "notice_request" not in kinds  # seeded history is no news
    assert all(m.dedup_key.endswith(local_today().isoformat()) for m in messages if m.kind == "digest")
    digests = sum(m.kind == "digest" for m in messages)
    assert f"The outbox holds {digests} weekly summaries" in result.output
    again = run(app, "reminders", "send")
    assert again.exit_code == 0 and again.output.startswith("0 digests and 0 notices")

    admin = db.session.scalars(select(User).where(User.email.startswith("anna.lindqvist@"))).one()
    assert client.post("/login", data={"email": admin.email, "password": DEMO_PASSWORD}).status_code == 303
    page = client.get("/admin/outbox/?q=Veckosammanfattning").get_data(as_text=True)
    assert page.count("Veckosammanfattning:") == min(digests, 25)
    maria = next(m for m in messages if m.kind == "digest" and m.to_address.startswith("maria.nilsson@"))
    shown = client.get(f"/admin/outbox/{maria.id}").get_data(as_text=True)
    assert "Dina avstannade åtgärder" in shown and "Rapportera läge: http" in shown
