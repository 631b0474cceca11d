"""The monthly report by e-mail: `flask reports send` (and `flask reports generate`) mail each steering group's
active members their agreement's archived PDF for the month, in their language when archived in it, with page 1's
"Till styrgruppen" and the figures at a glance in the body; sending the same month again sends nothing new."""
import datetime as dt
import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_user, make_viewer
from tests.smtp import html_of, smtp_server, text_of  # noqa: F401  (a fixture)
from tests.test_report_steering_items import october  # noqa: F401  (a fixture: October 2026 with every kind of item)
from tracker.actions.rules import Thresholds
from tracker.agreements.models import AgreementStatus
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.mail.delivery import deliver_all
from tracker.mail.models import OutboxMessage
from tracker.reports import services
from tracker.reports.models import Report
from tracker.reports.period import Month

OCTOBER = Month(2026, 10)
TODAY = "2026-11-25"  # the day the tests run the commands on; October is over


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        result = runner.invoke(args=["reports", *args])
        db.session.expire_all()
        return result

    return invoke


@pytest.fixture
def board(october):
    """October's agreement with its steering group: Gunnar (Swedish), Helen (English), Ivar (no language chosen),
    and Karin, deactivated. Olle reads the agreement (his organisation is a party) but is not in the group; Vera is
    a steering-group member of another agreement."""
    county = make_organisation(name="Länsstyrelsen", short_name="Lst")
    october.steering_group = [
        make_viewer(name="Gunnar Wallin", email="gunnar@example.se", organisation=county, language="sv"),
        make_viewer(name="Helen Park", email="helen@example.se", organisation=county, language="en"),
        make_viewer(name="Ivar Ek", email="ivar@example.se", organisation=county, language=None),
        make_viewer(name="Karin Gone", email="karin@example.se", organisation=county, is_active=False)]
    make_user(name="Olle Party", email="olle@example.se", organisation=october.lead_organisation)
    make_agreement(title="Annat avtal", steering_group=[make_viewer(name="Vera Other", email="vera@example.se")])
    db.session.commit()
    return october


def archive(agreement, language="sv", today=dt.date(2026, 11, 2)):
    report = services.generate([agreement], OCTOBER, language=language, by=None, today=today,
                               thresholds=Thresholds())
    db.session.commit()
    return report


def delivered(smtp_server):
    result = deliver_all()
    assert result.failed == 0 and not result.unreachable, result.errors
    return {m["X-Envelope-To"]: m for m in smtp_server.inbox.messages}


def attachment_of(mail):
    [part] = list(mail.iter_attachments())
    return part.get_filename(), part.get_content_type(), part.get_payload(decode=True)


def outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_each_active_member_of_the_steering_group_gets_the_archived_pdf_once(board, cli, smtp_server):
    report = archive(board)

    result = cli("send", "--month", "2026-10", "--agreement", str(board.id), "--today", TODAY)

    assert result.exit_code == 0, result.output
    assert "3 new messages, 0 queued or sent before." in result.output
    assert (f"agreement {board.id} (Trygg i Järva): 3 new, 0 queued or sent before; version 1 in Swedish to 3"
            in result.output)
    assert "1 member left out: deactivated, or may no longer read the agreement" in result.output
    inbox = delivered(smtp_server)
    assert sorted(inbox) == ["gunnar@example.se", "helen@example.se", "ivar@example.se"]
    assert len(smtp_server.inbox.messages) == 3
    for mail in inbox.values():
        filename, content_type, data = attachment_of(mail)
        assert (filename, content_type) == (report.filename, "application/pdf")
        assert hashlib.sha256(data).hexdigest() == report.sha256
        assert "Trygg i Järva" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    # the outbox row names the report; the PDF is read from the archive at delivery
    assert all(m.attachments == [{"kind": "report", "id": report.id}] for m in db.session.scalars(
        select(OutboxMessage)))


def test_the_subject_and_body_carry_page_one_in_the_members_language(app, board, cli, smtp_server):
    app.config["BASE_URL"] = "https://samverka.example.se"
    report = archive(board)
    cli("send", "--month", "2026-10", "--all", "--today", TODAY)
    inbox = delivered(smtp_server)

    gunnar = inbox["gunnar@example.se"]
    assert gunnar["Subject"] == "Månadsrapport oktober 2026: Trygg i Järva (5 frågor till styrgruppen)"
    assert gunnar["Content-Language"] == "sv"
    text = text_of(gunnar)
    assert text.startswith("Hej Gunnar Wallin,")
    assert "Här är månadsrapporten om Trygg i Järva för oktober 2026, version 1, bifogad som pdf." in text
    assert "Åtgärder på styrgruppens dagordning (2)" in text
    assert "- Overdue since mid September · Polisen · avstannad 45 dagar: Försenad 46 d" in text
    assert "Lyft av Lena Berg: Oense om vem som ringer upp familjen." in text
    assert "- Polisen → Skolan, 21 dagar: Vem tar emot kallelserna till SIP?" in text
    assert "Flyttade tidsgränser den här månaden (1)" in text and "flyttad 2 gånger" in text
    assert "Åtgärder utan aktiv ansvarig (1)" in text and "- Left without an owner · Polisen" in text
    assert "October tenth" not in text  # level 2: not the steering group's matter
    assert "du sitter i styrgruppen för Trygg i Järva" in text
    assert f"Rapporten i Samverkas arkiv: https://samverka.example.se/reports/{report.id}.pdf" in text
    assert f"Avtalet i Samverka: https://samverka.example.se/agreements/{board.id}" in text
    html = html_of(gunnar)
    assert '<html lang="sv">' in html and "<img" not in html
    assert "Åtgärder på styrgruppens dagordning (2)" in html and "Vem tar emot kallelserna till SIP?" in html
    assert f'<a href="https://samverka.example.se/agreements/{board.id}">' in html
    assert "<title>Månadsrapport oktober 2026: Trygg i Järva (5 frågor till styrgruppen)</title>" in html

    helen = inbox["helen@example.se"]
    assert helen["Subject"] == "Monthly report October 2026: Trygg i Järva (5 items for the steering group)"
    assert helen["Content-Language"] == "en"
    english = text_of(helen)
    assert "Actions on the steering group's agenda (2)" in english
    assert "No version in English was archived for the month, so the one in Swedish is attached." in english
    assert "you sit on the steering group of Trygg i Järva" in english
    assert inbox["ivar@example.se"]["Subject"].startswith("Månadsrapport oktober 2026")  # the default language


def test_the_figures_at_a_glance_are_the_pdfs(board, cli, smtp_server):
    report = archive(board, language="en")
    cli("send", "--month", "2026-10", "--agreement", str(board.id), "--today", TODAY)
    text = text_of(delivered(smtp_server)["helen@example.se"])
    pdf = " ".join(PdfReader(io.BytesIO(report.content)).pages[0].extract_text().split())
    glance = pdf[pdf.index("At a glance"):pdf.index("For the steering group")]
    # the PDF's table row "Stalled actions 3 2 +1" is the mail's line "- Stalled actions: 3 (End of September: 2, +1)"
    for line in ("Stalled actions", "Done actions", "Progress updates in the month"):
        mail_line = next(t for t in text.splitlines() if t.startswith(f"- {line}:"))
        now, rest = mail_line.removeprefix(f"- {line}: ").split(" (End of September: ")
        before, change = rest.rstrip(")").split(", ")
        assert f"{line} {now} {before} {change}" in glance


def test_the_subject_counts_every_item_and_the_body_lists_eight_of_each(app, cli, smtp_server):
    agreement = make_agreement(title="Stort avtal " + "x" * 200, starts_on=dt.date(2026, 8, 1),
                               steering_group=[make_viewer(email="reader@example.se", language="en")])
    for n in range(10):
        make_action(agreement=agreement, title=f"Ownerless {n}", owner=None, owner_lost_on=dt.date(2026, 10, 20),
                    created_at=dt.datetime(2026, 8, 1, 12, tzinfo=dt.UTC), deadline=dt.date(2027, 3, 1))
    archive(agreement)
    cli("send", "--month", "2026-10", "--all", "--today", TODAY)
    mail = delivered(smtp_server)["reader@example.se"]
    assert mail["Subject"] == ("Monthly report October 2026: Stort avtal " + "x" * 67 + "… "
                               "(10 items for the steering group)")
    text = text_of(mail)  # each action is on the agenda (silent since August) and ownerless: counted once
    assert "Actions on the steering group's agenda (10)" in text and "Actions without an active owner (10)" in text
    assert text.count("- Ownerless ") == 16 and text.count("  and 2 more") == 2


def test_the_mail_compares_with_what_the_pdf_compared_with(board, cli, smtp_server):
    october = archive(board, language="en")  # no September report then: September rebuilt from the history
    services.generate([board], Month(2026, 9), language="sv", by=None, today=dt.date(2026, 11, 3),
                      thresholds=Thresholds(stale_after_days=3))  # archived later, with other figures
    db.session.commit()
    cli("send", "--month", "2026-10", "--agreement", str(board.id), "--today", TODAY)
    text = " ".join(text_of(delivered(smtp_server)["helen@example.se"]).split())
    pdf = " ".join(PdfReader(io.BytesIO(october.content)).pages[0].extract_text().split())
    assert "Compared with 30 September 2026 as rebuilt from the history" in text
    assert "Compared with 30 September 2026 as rebuilt from the history" in pdf


def test_a_report_of_the_month_so_far_says_so(board, cli, smtp_server):
    archive(board, language="en", today=dt.date(2026, 10, 20))  # the only October report: as of 20 October
    cli("send", "--month", "2026-10", "--agreement", str(board.id), "--today", TODAY)
    text = text_of(delivered(smtp_server)["helen@example.se"])
    assert "It shows the month so far, as of 20 October 2026." in text


def test_an_ended_agreement_with_a_report_of_the_month_is_sent_with_all(cli, smtp_server):
    ended = make_agreement(title="Avslutat", status=AgreementStatus.ENDED, ends_on=dt.date(2026, 10, 31),
                           steering_group=[make_viewer(email="ended@example.se")])
    archive(ended)
    make_agreement(title="Avslutat utan rapport", status=AgreementStatus.ENDED, ends_on=dt.date(2026, 10, 31))
    result = cli("send", "--month", "2026-10", "--all", "--today", TODAY)
    assert "1 new message, 0 queued or sent before." in result.output and "Avslutat utan rapport" not in result.output
    assert list(delivered(smtp_server)) == ["ended@example.se"]


def test_a_member_with_english_gets_the_english_report_when_one_is_archived(board, cli, smtp_server):
    swedish, english = archive(board, "sv"), archive(board, "en")
    newer_swedish = archive(board, "sv")

    result = cli("send", "--month", "2026-10", "--agreement", str(board.id), "--today", TODAY)

    assert "version 1 in English to 1" in result.output and "version 2 in Swedish to 2" in result.output
    inbox = delivered(smtp_server)
    assert attachment_of(inbox["helen@example.se"])[0] == english.filename
    assert attachment_of(inbox["gunnar@example.se"])[0] == newer_swedish.filename != swedish.filename
    assert "No version" not in text_of(inbox["helen@example.se"])
    assert "version 1, attached as a PDF" in text_of(inbox["helen@example.se"])


def test_sending_the_same_month_again_sends_nothing_new(board, cli, smtp_server):
    archive(board)
    assert cli("send", "--month", "2026-10", "--all", "--today", TODAY).exit_code == 0
    delivered(smtp_server)
    archive(board)  # a new version of the month changes nothing for those who had it

    again = cli("send", "--month", "2026-10", "--all", "--today", TODAY)

    assert again.exit_code == 0, again.output
    assert "0 new messages, 3 queued or sent before." in again.output
    assert outbox_count() == 3
    assert deliver_all().sent == 0 and len(smtp_server.inbox.messages) == 3
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.verb == "send_report")).all()
    assert [(e.object_type, e.object_id, e.actor_id, e.changes) for e in events] == [
        ("agreements", board.id, None, {"month": [None, "2026-10"], "recipients": [None, 3]})]


def test_a_member_added_later_gets_the_month_and_no_one_else_again(board, cli, smtp_server):
    archive(board)
    cli("send", "--month", "2026-10", "--all", "--today", TODAY)
    board.steering_group.append(make_viewer(email="new@example.se"))
    removed = board.steering_group.pop(0)  # Gunnar leaves the group: nothing more for him
    db.session.commit()

    result = cli("send", "--month", "2026-10", "--all", "--today", TODAY)

    assert "1 new message, 2 queued or sent before." in result.output
    assert sorted(delivered(smtp_server)) == ["gunnar@example.se", "helen@example.se", "ivar@example.se",
                                              "new@example.se"]
    assert removed.email == "gunnar@example.se"


def test_a_member_who_may_no_longer_read_the_report_gets_nothing(board, cli, smtp_server):
    archive(board)
    helen = next(u for u in board.steering_group if u.email == "helen@example.se")
    helen.is_active = False
    db.session.commit()
    result = cli("send", "--month", "2026-10", "--all", "--today", TODAY)
    assert "2 members left out" in result.output
    assert "helen@example.se" not in delivered(smtp_server)


def test_an_agreement_without_a_report_is_named_and_the_others_are_sent(board, cli, smtp_server):
    archive(board)
    bare = make_agreement(title="Utan rapport", starts_on=dt.date(2026, 1, 1),
                          steering_group=[make_viewer(email="bare@example.se")])
    make_action(agreement=bare)

    result = cli("send", "--month", "2026-10", "--all", "--today", TODAY)

    assert result.exit_code == 0, result.output
    assert f"agreement {bare.id} (Utan rapport): no report archived for 2026-10" in result.output
    assert "3 new messages, 0 queued or sent before." in result.output
    alone = cli("send", "--month", "2026-10", "--agreement", str(bare.id), "--today", TODAY)
    assert alone.exit_code == 1
    assert "there is no archived report of 2026-10 for this agreement: generate it first" in alone.output
    assert "bare@example.se" not in delivered(smtp_server)


def test_generate_mails_what_it_archived_unless_told_not_to(board, cli, smtp_server):
    quiet = cli("generate", "--month", "2026-10", "--agreement", str(board.id), "--no-mail", "--today", TODAY)
    assert quiet.exit_code == 0, quiet.output
    assert outbox_count() == 0 and "new message" not in quiet.output

    result = cli("generate", "--month", "2026-10", "--all", "--today", TODAY)

    assert result.exit_code == 0, result.output
    assert "2 reports archived for 2026-10." in result.output  # October's and the other agreement's
    assert "4 new messages, 0 queued or sent before." in result.output
    newest = db.session.scalar(select(Report).where(Report.agreement_id == board.id)
                               .order_by(Report.number.desc()))
    assert newest.number == 2
    inbox = delivered(smtp_server)
    assert sorted(inbox) == ["gunnar@example.se", "helen@example.se", "ivar@example.se", "vera@example.se"]
    assert hashlib.sha256(attachment_of(inbox["gunnar@example.se"])[2]).hexdigest() == newest.sha256
    assert "Annat avtal" in inbox["vera@example.se"]["Subject"]


def test_generate_does_not_mail_a_month_under_way(board, cli):
    result = cli("generate", "--month", "2026-11", "--all", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "Not mailed: 2026-11 is not over yet." in result.output
    assert outbox_count() == 0


def test_the_web_generate_button_does_not_mail(board, as_user):
    admin = make_admin()
    response = as_user(admin).post(f"/agreements/{board.id}/reports", data={"month": "2026-10", "language": "sv"})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(Report.id))) == 1
    assert outbox_count() == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2026-13", "--all"], "give the month as YYYY-MM"),
    (["--month", "", "--all"], "give the month as YYYY-MM"),
    (["--month", "x" * 10_000, "--all"], "give the month as YYYY-MM"),
    (["--month", "2026-10\r\nBcc: x@evil.example", "--all"], "give the month as YYYY-MM"),
    (["--month", "2026-12", "--all"], "2026-12 has not begun yet"),
    (["--month", "2026-11", "--all"], "2026-11 is not over yet"),
    (["--month", "2026-07", "--agreement", "{id}"], "outside the agreement's period"),
    (["--month", "2026-10"], "give either --agreement ID or --all"),
    (["--month", "2026-10", "--all", "--agreement", "{id}"], "give either --agreement ID or --all"),
    (["--month", "2026-10", "--agreement", "987654"], "there is no agreement with id 987654"),
    (["--month", "2026-10", "--agreement", "9" * 40], "there is no agreement with id " + "9" * 40),
    (["--month", "2026-10", "--agreement", "-1"], "there is no agreement with id -1"),
    (["--month", "2026-10", "--agreement", "<script>"], "is not a valid integer"),
    (["--month", "2026-10", "--all", "--today", "811218-9876"], "give the date as YYYY-MM-DD"),
], ids=["month-13", "empty-month", "huge-month", "crlf-month", "future-month", "month-under-way",
        "before-the-start", "no-target", "both-targets", "unknown-id", "forty-digit-id", "negative-id",
        "id-not-a-number", "personnummer-as-today"])
def test_bad_input_exits_non_zero_with_a_clear_message_and_queues_nothing(board, cli, args, message):
    archive(board)
    args = [a.replace("{id}", str(board.id)) for a in args]
    today = [] if "--today" in args else ["--today", TODAY]
    result = cli("send", *args, *today)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert outbox_count() == 0


def test_a_forty_digit_id_is_refused_by_generate_too(cli):
    result = cli("generate", "--month", "2026-10", "--agreement", "9" * 40, "--today", TODAY)
    assert result.exit_code == 1 and "there is no agreement with id" in result.output


def test_a_long_title_is_cut_at_a_word_in_the_output():
    from tracker.reports.cli import _short
    assert _short("Tidiga insatser mot nyrekrytering till kriminella gäng i Järva", 50) == (
        "Tidiga insatser mot nyrekrytering till kriminella…")
    assert _short("Kort titel") == "Kort titel"
