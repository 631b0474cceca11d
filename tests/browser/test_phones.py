"""A phone's screen: no page scrolls sideways, not even for a 300-character word; list rows read as cards that
are still a table to a screen reader; an icon is found; the current page stays marked in forced colours."""
import time

import pytest
from sqlalchemy import select

from tests.browser.conftest import CHROMIUM, SCREENSHOTS, SERVED
from tests.browser.long_words import ACTION_TITLE, AGREEMENT_TITLE, ORGANISATION_NAME, UPDATE_TEXT, add_long_words
from tests.browser.test_accessibility import axe_violations
from tracker import create_app
from tracker.actions.models import Action
from tracker.extensions import db

ADMIN = "anna.lindqvist@lansstyrelsen.example.se"
COORDINATOR = "erik.johansson@polisen.example.se"
WIDTHS = (320, 390)


@pytest.fixture(scope="module")
def long_words(live_server, browser_database):
    """The long words in the served database; the ids of the agreement and the action that carry them."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": browser_database, "SECRET_KEY": "browser-tests"})
    with app.app_context():
        agreement_id = add_long_words()
        action_id = db.session.scalars(select(Action.id).where(Action.title == ACTION_TITLE)).one()
        db.session.remove()
        db.engine.dispose()
    return {"agreement": agreement_id, "action": action_id}


PAGES = [
    ("start-page", COORDINATOR, "/", ACTION_TITLE),
    ("agreement-list", COORDINATOR, "/agreements/", AGREEMENT_TITLE),
    ("agreement-page", COORDINATOR, "/agreements/{agreement}", UPDATE_TEXT),
    ("action-list", COORDINATOR, "/actions/?stalled=y", ACTION_TITLE),
    ("action-page", COORDINATOR, "/actions/{action}", UPDATE_TEXT),
    ("action-updates", COORDINATOR, "/actions/{action}/updates", ACTION_TITLE),
    ("reports", COORDINATOR, "/reports/", AGREEMENT_TITLE),
    ("change-password", COORDINATOR, "/password", None),
    ("admin-organisations", ADMIN, "/admin/organisations/", ORGANISATION_NAME),
    ("admin-users", ADMIN, "/admin/users/", None),
    ("admin-audit-log", ADMIN, "/admin/audit/", None),
    ("admin-audit-log-creations", ADMIN, "/admin/audit/?verb=create", ORGANISATION_NAME),
]


def sideways_overflow(page) -> int:
    return page.evaluate("(e => e.scrollWidth - e.clientWidth)(document.scrollingElement)")


@pytest.mark.parametrize(("name", "user", "path", "word"), PAGES, ids=[p[0] for p in PAGES])
def test_no_page_scrolls_sideways_on_a_phone_even_for_a_very_long_word(page_for, long_words, name, user, path,
                                                                         word):
    page = page_for(user, width=WIDTHS[0])
    response = page.goto(path.format(**long_words))
    assert response.status == 200
    if word:  # on the page (the audit log shortens a long value: its first hundred letters will do)
        assert page.get_by_text(word[:100]).filter(visible=True).count()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert sideways_overflow(page) <= 0, f"{name} scrolls sideways at {width} px"


def test_start_page_rows_are_cards_that_show_deadline_status_and_why(page_for, long_words):
    page = page_for(COORDINATOR, width=390)
    page.goto("/")
    table = page.get_by_role("table", name="Avstannade åtaganden")
    row = table.get_by_role("row").filter(has=page.get_by_role("link", name=ACTION_TITLE))
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    for label in ("Åtgärd", "Avtal", "Ansvarig", "Klart senast", "Status", "Att bevaka"):
        cell = row.locator(f'td[data-label="{label}"]')
        box = cell.bounding_box()
        assert cell.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390, label
        assert cell.evaluate("td => getComputedStyle(td, '::before').content").startswith(f'"{label}: "'), label
    assert "Försenad 3 dagar" in row.locator('td[data-label="Att bevaka"]').inner_text()
    assert sideways_overflow(page) <= 0
    page.screenshot(path=str(SCREENSHOTS / "start-page-cards-phone.png"), full_page=True)


def test_cards_are_still_a_table_to_a_screen_reader(page_for, long_words):
    page = page_for(COORDINATOR, width=390)
    page.goto("/")
    table = page.get_by_role("table", name="Avstannade åtaganden")
    headings = table.get_by_role("columnheader").all_inner_texts()
    assert [h.strip() for h in headings] == ["Åtgärd", "Avtal", "Ansvarig organisation", "Ansvarig",
                                            "Klart senast", "Status", "Att bevaka"]
    row = table.get_by_role("row").filter(has=page.get_by_role("link", name=ACTION_TITLE))
    assert row.get_by_role("cell").count() == 7
    # The visible "Klart senast: " is for the eye; a screen reader hears the column heading instead, once.
    deadline = row.get_by_role("cell").nth(4)
    assert "Klart senast" not in deadline.aria_snapshot()


@pytest.mark.parametrize(("user", "path"), [(COORDINATOR, "/"), (COORDINATOR, "/agreements/{agreement}"),
                                            (ADMIN, "/admin/audit/?verb=create")], ids=["start", "agreement", "audit"])
def test_cards_and_long_words_pass_axe(page_for, long_words, user, path):
    page = page_for(user, width=390, axe=True)
    page.goto(path.format(**long_words))
    assert axe_violations(page) == []


def test_agreement_page_with_a_long_title_on_the_narrowest_phone(page_for, long_words):
    page = page_for(COORDINATOR, width=320)
    page.goto(f"/agreements/{long_words['agreement']}")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == AGREEMENT_TITLE
    assert heading.bounding_box()["width"] <= 320
    assert sideways_overflow(page) <= 0
    page.screenshot(path=str(SCREENSHOTS / "agreement-page-long-word-320.png"), full_page=True)


def test_no_request_for_an_icon_is_a_404(chromium, live_server):
    # A browser of its own: a browser asks for a site's icon once, and the shared one may have asked already.
    browser = chromium.browser_type.launch(executable_path=CHROMIUM, headless=True)
    try:
        served_before = len(SERVED)
        page = browser.new_page(base_url=live_server)
        page.goto("/login")
        deadline = time.monotonic() + 10
        while not [r for r in SERVED[served_before:] if "favicon" in r[1]] and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        icons = [r for r in SERVED[served_before:] if "favicon" in r[1]]
        assert icons, "the browser asked for no icon"
        assert [r for r in SERVED[served_before:] if r[2] == 404] == []
        assert all(status == 200 for _, _, status in icons), icons
    finally:
        browser.close()


def test_current_page_stays_marked_in_forced_colours(page_for):
    page = page_for(COORDINATOR)
    page.goto("/agreements/")
    page.emulate_media(forced_colors="active")
    links = page.locator(".main-nav a").evaluate_all("""links => links.map(a => {
        const s = getComputedStyle(a);
        return {current: a.getAttribute('aria-current') === 'page', border: s.borderBottomColor,
                weight: s.fontWeight, canvas: getComputedStyle(document.body).backgroundColor};
    })""")
    current = [link for link in links if link["current"]]
    others = [link for link in links if not link["current"]]
    assert len(current) == 1 and others
    assert all(link["border"] == link["canvas"] for link in others), others  # no line under the others
    assert current[0]["border"] != current[0]["canvas"], current
    assert int(current[0]["weight"]) >= 700
    page.screenshot(path=str(SCREENSHOTS / "forced-colours-navigation.png"), clip={"x": 0, "y": 0,
                                                                                    "width": 1280, "height": 80})
