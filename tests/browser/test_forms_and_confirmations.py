"""What a person sees when a form has errors, and the second look before a change that is hard to undo."""
import re

ANNA = "anna.lindqvist@lansstyrelsen.example.se"
ERIK = "erik.johansson@polisen.example.se"


def focused_class(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.className : ''")


def test_a_refused_sign_in_focuses_the_error_summary_and_names_the_title(page_for):
    page = page_for(None)
    page.goto("/login")
    page.fill("#email", "nobody@example.se")
    page.fill("#password", "wrong")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fel:")
    assert focused_class(page) == "error-summary"
    assert page.locator("#email").get_attribute("aria-describedby") == "form-error-1"


def test_a_form_in_error_focuses_its_summary_and_a_link_shows_the_fields_label(page_for):
    page = page_for(ERIK, width=800)
    page.goto("/agreements/new")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Fel:")
    assert focused_class(page) == "error-summary"
    assert page.locator("main > *").first.get_attribute("class") == "error-summary"
    first_link = page.locator(".error-summary a").first
    target = first_link.get_attribute("href")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    first_link.click()
    label = page.locator(f"label[for='{target.lstrip('#')}']")
    box = label.bounding_box()
    assert box is not None and box["y"] >= 0  # the label is not scrolled off the top


def test_deactivating_an_account_asks_first_and_lists_the_open_actions(page_for):
    page = page_for(ANNA, js=False)
    page.goto("/admin/users/?q=Fatima")
    page.get_by_role("link", name="Fatima Yilmaz").click()
    page.get_by_role("link", name="Inaktivera kontot").click()
    page.wait_for_url(re.compile(r"/admin/users/\d+/deactivate$"))
    assert page.title().startswith("Inaktivera Fatima Yilmaz?")
    assert page.locator(".confirm-list li").count() >= 1
    first_action = page.locator(".confirm-list a").first.get_attribute("href")
    # Nothing is orphaned silently: the open actions go to a new owner or, here, to the coordinators.
    page.select_option("#everyone_to", label="Utan ansvarig: till samordnarna i den ansvariga organisationen")
    page.get_by_role("button", name="Lämna över och inaktivera").click()
    page.wait_for_selector(".flash-success")
    page.goto(first_action)
    assert page.locator(".facts").get_by_text("Utan ansvarig", exact=True).count() == 1


def test_ending_an_agreement_with_open_actions_asks_first(page_for):
    page = page_for(ANNA, js=False)
    page.goto("/agreements/")
    page.get_by_role("link", name="Trygg närmiljö i Husby: belysning, klotter och parker").click()
    show_url = page.url
    page.get_by_role("button", name="Markera som avslutat").click()
    page.wait_for_url(re.compile(r"/agreements/\d+/status$"))
    page.wait_for_load_state()
    assert page.title().startswith("Avsluta Trygg närmiljö i Husby")
    assert re.search(r"\d+ åtgärder i avtalet är fortfarande öppna", page.inner_text("main"))
    page.get_by_role("link", name="Avbryt, låt det vara som det är").click()
    assert page.url == show_url
    assert page.get_by_role("button", name="Markera som avslutat").count() == 1  # still not ended
