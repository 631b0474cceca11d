"""axe-core on every main page (no serious or critical WCAG 2.1 A/AA violation), reflow at 320 px, and
screenshots at desktop and phone width for a reviewer (build/screenshots/)."""
import datetime as dt
from pathlib import Path

import pytest

from tests.browser.conftest import SCREENSHOTS

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
ADMIN = "anna.lindqvist@lansstyrelsen.example.se"
COORDINATOR = "erik.johansson@polisen.example.se"
VIEWER = "gunnar.wallin@lansstyrelsen.example.se"

PAGES = [
    ("sign-in", None, "/login"),
    ("forgot-password", None, "/forgot-password"),
    ("reset-requested", None, "/forgot-password/sent"),
    ("start-page", COORDINATOR, "/"),
    ("agreement-list", COORDINATOR, "/agreements/"),
    ("agreement-page", COORDINATOR, "/agreements/1"),
    ("agreement-form", COORDINATOR, "/agreements/new"),
    ("steering-page", COORDINATOR, "/agreements/1/steering"),
    ("action-list", COORDINATOR, "/actions/?stalled=y"),
    ("action-page", COORDINATOR, "/actions/4"),
    ("action-form", COORDINATOR, "/actions/4/edit"),
    ("import-form", COORDINATOR, "/agreements/1/import"),
    ("report-archive", VIEWER, "/reports/"),
    ("viewer-agreement-page", VIEWER, "/agreements/2"),
    ("viewer-steering-page", VIEWER, "/agreements/1/steering"),
    ("change-password", VIEWER, "/password"),
    ("invite-a-colleague", COORDINATOR, "/invite/"),
    ("mail-settings", COORDINATOR, "/account/e-mail"),
    ("calendar", COORDINATOR, "/account/calendar"),
    ("admin-organisations", ADMIN, "/admin/organisations/"),
    ("admin-organisation-form", ADMIN, "/admin/organisations/2/edit"),
    ("admin-users", ADMIN, "/admin/users/"),
    ("admin-user-form", ADMIN, "/admin/users/2/edit"),
    ("admin-new-user-form", ADMIN, "/admin/users/new"),
    ("admin-audit-log", ADMIN, "/admin/audit/"),
    ("admin-outbox", ADMIN, "/admin/outbox/"),
    ("api-keys", COORDINATOR, "/account/api-keys"),
    ("viewer-api-keys", VIEWER, "/account/api-keys"),
    ("api-documentation", COORDINATOR, "/api-docs"),
    ("admin-api-keys", ADMIN, "/admin/api-keys"),
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize(("name", "user", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_accessibility_violations(page_for, name, user, path):
    page = page_for(user, axe=True)
    response = page.goto(path)
    assert response.status == 200
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)


@pytest.mark.parametrize(("name", "user", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_reflow_on_a_phone_and_at_400_percent_zoom(page_for, name, user, path):
    page = page_for(user, width=390)
    page.goto(path)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10: 1280 px at 400 % zoom
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name} scrolls sideways by {overflow} px at 320 px"


def test_errors_are_accessible_too(page_for):
    page = page_for(COORDINATOR, axe=True)
    page.goto("/agreements/new")
    page.fill("#title", "")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "agreement-form-errors-desktop.png"), full_page=True)


def test_the_calendar_links_once_made_are_accessible_and_reflow(page_for):
    page = page_for(COORDINATOR, axe=True)
    page.goto("/account/calendar")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#feed-personal")
    page.click("main details summary")
    assert axe_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "calendar-links-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the calendar links scroll sideways by {overflow} px at 320 px"
    page.screenshot(path=str(SCREENSHOTS / "calendar-links-phone.png"), full_page=True)


IN_A_MONTH = (dt.date.today() + dt.timedelta(days=30)).isoformat()
IMPORT_FILE = ("Rubrik;Ansvarig organisation;Ansvarig;Klart senast;Status\n"
               f"Trygghetsvandring i Husby;Polisen Järva;Erik Johansson;{IN_A_MONTH};Planerad\n"
               "Ring 19121212-1212;Kommunen;Okänd Person;31/02/2027;Kanske\n"
               f'"=HYPERLINK(""http://evil.example"")";Soc Rinkeby-Kista;Maria Nilsson;{IN_A_MONTH};\n').encode()


def test_the_import_preview_shows_each_error_next_to_its_cell_accessibly(page_for):
    """The preview a coordinator sees after uploading a file with mistakes: every row, errors by the cells."""
    page = page_for(COORDINATOR, axe=True)
    page.goto("/agreements/1/import")
    page.set_input_files("#file", files=[{"name": "åtgärder.csv", "mimeType": "text/csv", "buffer": IMPORT_FILE}])
    page.click("main form.card button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.locator("#row-3 .field-error").count() == 4  # title, organisation, deadline, status
    assert page.locator("#row-2 .field-error").count() == 0
    assert "Börjar som en formel" in page.inner_text("#row-4")
    assert axe_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "import-preview-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=str(SCREENSHOTS / "import-preview-phone.png"), full_page=True)
    assert overflow <= 1, f"the import preview scrolls sideways by {overflow} px at 320 px"


def test_a_file_over_the_size_limit_is_explained_on_the_import_page(page_for):
    page = page_for(COORDINATOR)
    page.goto("/agreements/1/import")
    page.set_input_files("#file", files=[{"name": "stor.csv", "mimeType": "text/csv", "buffer": b"x" * 2_200_000}])
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("#file-error")
    assert "Filen är större än 2 MB." in page.inner_text("#file-error")
