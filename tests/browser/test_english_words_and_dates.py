"""What an English reader sees: British dates, counts that agree with their nouns, Swedish user text marked so."""
import re

from babel.dates import format_date

from tracker.clock import local_today

GUNNAR = "gunnar.wallin@lansstyrelsen.example.se"


def test_english_pages_show_british_dates_plural_agreement_and_swedish_user_text(page_for):
    page = page_for(GUNNAR, js=False)
    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    try:
        today = format_date(local_today(), "long", locale="en_GB")  # e.g. "25 November 2026"
        assert f"Today is {today}." in page.locator("main").inner_text()
        for card in page.locator(".summary-card").all_inner_texts():
            number, words = card.split(maxsplit=1)
            plural = {"actions", "commitments", "deadlines", "requests", "need"} & set(words.split())
            assert bool(plural) == (number != "1"), card
        page.goto("/agreements/")
        first = page.locator("main table tbody tr td a").first
        assert first.locator("span[lang=sv]").count() == 1
        period = page.locator("main table tbody tr td.nowrap").first.inner_text()
        assert re.match(r"\d{1,2} [A-Z][a-z]{2} \d{4}", period), period
        first.click()
        assert page.locator("h1 span[lang=sv]").count() == 1
    finally:
        page.click("button[name=language][value=sv]")
        page.wait_for_selector("html[lang=sv]")
