"""An administrator reads the audit log and its CSV export as a person would: names, not numbers."""
import csv
import io

ANNA = "anna.lindqvist@lansstyrelsen.example.se"


def test_the_admin_reads_names_in_the_log_and_a_swedish_csv_that_excel_opens(page_for):
    page = page_for(ANNA, js=False)
    page.goto("/admin/audit/?verb=sign_in")
    first_row = page.locator("main table tbody tr").first
    assert "Användarkonto Anna Lindqvist" in first_row.inner_text()
    with page.expect_download() as download:
        page.click("main a[href*='export.csv']")
    text = download.value.path().read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:2] == ["Tid (Europe/Stockholm)", "Vem"]
    assert rows[1][4] == "loggade in" and rows[1][6] == "Anna Lindqvist"
