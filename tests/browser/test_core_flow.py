"""The core tasks in a real browser with JavaScript switched off: Samverka needs none."""
import datetime as dt
import io
import re

from pypdf import PdfReader

from tracker.clock import local_today

ERIK = "erik.johansson@polisen.example.se"


def save_form(page):
    page.click("main form.card button[type=submit]")


def add_action(page, title: str, organisation: str, owner: str, deadline: dt.date) -> None:
    page.click("main a[href$='/actions/new']")
    page.fill("#title", title)
    page.select_option("#owner_organisation_id", label=organisation)
    page.select_option("#owner_id", label=owner)
    page.fill("#deadline", deadline.isoformat())
    # Status and progress are not set here: a new action starts planned, and only progress updates move it.
    assert page.locator("#status").count() == 0 and page.locator("#progress").count() == 0
    save_form(page)
    page.wait_for_selector(".flash-success")


def test_coordinator_registers_an_agreement_breaks_it_into_actions_and_sees_what_has_stalled(page_for):
    today = local_today()
    page = page_for(ERIK, js=False)

    # An agreement with two other partners.
    page.goto("/agreements/new")
    page.fill("#title", "Webbtest: trygg skolväg i Husby")
    page.select_option("#theme", "safe_local_environment")
    page.fill("#starts_on", (today - dt.timedelta(days=90)).isoformat())
    page.get_by_label("Rinkeby-Kista stadsdelsförvaltning, socialtjänsten").check()
    page.get_by_label("Husbygårdsskolan", exact=True).check()
    save_form(page)
    page.wait_for_selector(".flash-success")
    agreement_url = page.url
    assert page.locator("h1").inner_text() == "Webbtest: trygg skolväg i Husby"

    # An action owned by each party; one of them already overdue.
    add_action(page, "Webbtest: skolvägsvandring", "Husbygårdsskolan", "Karin Ström",
               today - dt.timedelta(days=5))
    add_action(page, "Webbtest: föräldrakväll", "Rinkeby-Kista stadsdelsförvaltning, socialtjänsten",
               "Maria Nilsson", today + dt.timedelta(days=40))
    add_action(page, "Webbtest: nattvandring med polisen", "Polisen, lokalpolisområde Järva", "Erik Johansson",
               today + dt.timedelta(days=60))

    # Progress on our own action: it becomes blocked, and says why.
    page.get_by_role("link", name="Webbtest: nattvandring med polisen").first.click()
    page.fill("#text", "Vi väntar på besked om lokal för samlingen.")
    page.select_option("#status", "blocked")
    page.fill("#blocked_reason", "Ingen lokal bokad ännu.")
    page.click("form[action$='/progress'] button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "Vi väntar på besked om lokal för samlingen." in page.locator(".timeline").first.inner_text()

    # The start page flags the overdue and the blocked action among the stalled commitments.
    page.goto("/")
    stalled = page.locator("section[aria-labelledby=stalled]").inner_text()
    assert "Webbtest: skolvägsvandring" in stalled and "Webbtest: nattvandring med polisen" in stalled
    assert "Webbtest: föräldrakväll" not in stalled

    # The monthly report, generated from the agreement page and downloaded.
    page.goto(agreement_url)
    page.fill("#month", f"{today:%Y-%m}")
    page.click("form[action$='/reports'] button[type=submit]")
    page.wait_for_url(re.compile(r"/reports/jobs/\d+$"))  # made after the answer, followed on the job's page
    for _ in range(120):
        if page.locator("#job-status[data-state=done]").count():
            break
        page.wait_for_timeout(500)
        page.click("text=Uppdatera")  # without JavaScript the link reloads the page
    with page.expect_download() as download:
        page.locator("#job-status a[href$='.pdf']").click()
    pdf = download.value.path().read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Webbtest: skolvägsvandring" in text and "Karin Ström" in text
    assert re.search(r"Sida 1 av \d+", text)


def test_language_switch_changes_the_whole_page_and_is_remembered(page_for):
    page = page_for(ERIK, js=False)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "Mitt läge" in page.locator("h1").inner_text()
    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "My overview" in page.locator("h1").inner_text()
    page.goto("/agreements/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button[name=language][value=sv]")
    page.wait_for_selector("html[lang=sv]")


def test_a_form_with_errors_keeps_the_input_and_links_each_error_to_its_field(page_for):
    page = page_for(ERIK, js=False)
    page.goto("/agreements/new")
    page.fill("#title", "")
    page.fill("#purpose", "Vi hjälper 19811218-9876 med läxorna.")
    page.fill("#starts_on", "2026-03-01")
    page.fill("#ends_on", "2026-01-01")
    save_form(page)
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.locator("#purpose").input_value() == "Vi hjälper 19811218-9876 med läxorna."
    for field in ("title", "purpose", "ends_on"):
        assert page.locator(f".error-summary a[href='#{field}']").count() == 1
        assert page.locator(f"#{field}").get_attribute("aria-invalid") == "true"
        assert f"{field}-error" in page.locator(f"#{field}").get_attribute("aria-describedby")
