"""The demo's archived reports, as the steering-group member Gunnar Wallin downloads them: this month's Järva report
opens with items for the steering group and with what changed since last month, and last month's lists the
steering group's decision with the actions it changed."""
import io

from pypdf import PdfReader
from sqlalchemy import select

from tests.test_cli import run
from tracker.accounts.models import User
from tracker.clock import local_today
from tracker.demo.cli import DEMO_PASSWORD
from tracker.demo.decisions import JARVA
from tracker.extensions import db
from tracker.reports.models import Report
from tracker.reports.period import Month


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_demo_reports_show_the_steering_group_what_to_act_on(app, client):
    assert run(app, "seed-demo").exit_code == 0
    gunnar = db.session.scalars(select(User).where(User.email.startswith("gunnar.wallin@"))).one()
    assert client.post("/login", data={"email": gunnar.email, "password": DEMO_PASSWORD}).status_code == 303

    def report(month: Month) -> list[str]:
        found = db.session.scalars(select(Report).where(Report.title == JARVA, Report.month == str(month))).one()
        response = client.get(f"/reports/{found.id}.pdf")
        assert response.status_code == 200
        return pages(response.data)

    first = report(Month.of(local_today()))[0]
    items = first[first.index("Till styrgruppen"):first.index("Sedan förra månaden")]
    assert "Skolkuratorns återkoppling efter orosanmälan · Husbygårdsskolan · Lyft av Maria Nilsson" in items
    assert "Obesvarade förfrågningar mellan parterna (1) Fryshuset → Soc Rinkeby-Kista" in items
    assert "Flyttade tidsgränser den här månaden (1) Mentorsprogram för elever i årskurs 7–9" in items
    assert "Matchningen av mentorer" in items
    assert "Åtgärder utan aktiv ansvarig (2)" in items
    since = first[first.index("Sedan förra månaden"):]
    assert "Klara (1) Kontaktlista mellan skola, socialtjänst och polis" in since
    assert "Nya åtgärder (1) Jullovsaktiviteter för unga i Husby" in since
    assert "Nyss avstannade (1) Föräldraträffar om nätrekrytering" in since

    last_month = " ".join(report(Month.of(local_today()).previous))
    decisions = last_month[last_month.index("Beslut som fattats den här månaden"):]
    assert "Styrgruppsmöte 14 " in decisions
    assert "Fältassistenter i Husby centrum fredag och lördag kväll: Ny ansvarig (Maria Nilsson)" in decisions
    assert "Trygghetsvandring med elever: Avbryt åtgärden" in decisions
