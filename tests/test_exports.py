"""Exports of actions and agreements as XLSX and CSV: typed cells, headings in the reader's language, formulas
neutralised, every page of a filtered list, and never a row the reader may not read."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import sign_in
from tests.factories import make_action, make_agreement, make_organisation, make_user
from tests.sheets import HOSTILE, csv_rows, days, make_world, xlsx_rows
from tests.test_query_counts import counting
from tracker.actions.models import ActionStatus
from tracker.agreements.models import Agreement
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.organisations.models import Organisation

SWEDISH_HEADINGS = ["Rubrik", "Beskrivning", "Ansvarig organisation", "Ansvarig", "Ansvarigs e-post", "Klart senast",
                    "Status", "Genomfört (%)", "Varför blockerad", "Att bevaka", "Senaste rapport",
                    "Nummer i Samverka", "Länk"]


@pytest.fixture
def world(app):
    return make_world()


def signed_in(app, user):
    """A second browser, signed in as user."""
    other = app.test_client()
    sign_in(other, user)
    return other


def test_an_agreements_actions_as_xlsx_have_typed_cells_and_swedish_headings(client, as_user, world):
    response = as_user(world.viewer).get(f"/agreements/{world.agreement.id}/actions.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="samverka-agreement-{world.agreement.id}-actions-' in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert sheet.title == "Åtgärder"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M5"
    assert sheet.column_dimensions["A"].width == 40 and sheet.column_dimensions["B"].width == 50
    rows = xlsx_rows(response.data)
    assert rows[0] == SWEDISH_HEADINGS
    assert all(cell.font.bold for cell in sheet[1])
    by_title = {row[0]: row for row in rows[1:]}
    walk = by_title["Nattvandring i Rinkeby"]
    assert walk[1:9] == ["Vuxna på stan fredag och lördag.\nMed föreningarna.", "Polisen Järva", "Erik Johansson",
                         "erik@polisen.example.se", dt.datetime.combine(days(30), dt.time()), "Pågår", 40, None]
    assert walk[10] == dt.datetime.combine(days(0), dt.time())  # the last update: a date cell
    assert walk[11] == world.actions[0].id and walk[12].endswith(f"/actions/{world.actions[0].id}")
    deadline_cell = sheet.cell(row=rows.index(walk) + 1, column=6)
    assert deadline_cell.is_date and deadline_cell.number_format == "yyyy-mm-dd"
    assert sheet.cell(row=rows.index(walk) + 1, column=8).data_type == "n"
    blocked = by_title["Föräldraträffar på Ärvingeskolan"]
    assert blocked[6:10] == ["Blockerad", 20, "Lokalen är inte bokad.",
                             "Försenad 10 dagar · Blockerad: Lokalen är inte bokad."]
    assert by_title["Kartläggning av mötesplatser"][6:8] == ["Klar", 100]


def test_formulas_never_run_xlsx_string_cells_and_csv_apostrophes(client, as_user, world):
    client = as_user(world.erik)
    sheet = load_workbook(io.BytesIO(client.get(f"/agreements/{world.agreement.id}/actions.xlsx").data)).worksheets[0]
    hostile = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == HOSTILE)
    assert hostile[0].data_type == "s" and hostile[0].quotePrefix  # a string marked as text, not a formula
    assert hostile[1].value == "-5 grader: +tjocka jackor @ alla" and hostile[1].data_type == "s"
    rows = csv_rows(client.get(f"/agreements/{world.agreement.id}/actions.csv").data)
    row = next(r for r in rows if "HYPERLINK" in r[0])
    assert row[0] == "'" + HOSTILE and row[1] == "'-5 grader: +tjocka jackor @ alla"


def test_the_csv_is_for_swedish_excel_utf8_bom_semicolons_iso_dates(client, as_user, world):
    response = as_user(world.erik).get(f"/agreements/{world.agreement.id}/actions.csv")
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    assert response.data.decode("utf-8").splitlines()[0] == "\ufeff" + ";".join(SWEDISH_HEADINGS)
    rows = csv_rows(response.data)
    walk = next(r for r in rows if r[0] == "Nattvandring i Rinkeby")
    assert walk[5] == days(30).isoformat() and walk[6] == "Pågår" and walk[7] == "40"


def test_an_english_reader_gets_english_headings_and_commas(client, as_user, world):
    world.erik.language = "en"
    client = as_user(world.erik)
    text = client.get(f"/agreements/{world.agreement.id}/actions.csv").data.decode("utf-8")
    assert text.splitlines()[0] == ("\ufeffTitle,Description,Owning organisation,Owner,Owner's e-mail,Deadline,Status,"
                                    "Progress (%),Why blocked,Attention,Last update,Number in Samverka,Link")
    assert ",In progress,40," in text
    assert xlsx_rows(client.get(f"/agreements/{world.agreement.id}/actions.xlsx").data)[0][0] == "Title"


def test_another_organisations_user_cannot_export_an_agreement(client, as_user, world):
    client = as_user(world.stranger)
    for kind in ("xlsx", "csv"):
        assert client.get(f"/agreements/{world.agreement.id}/actions.{kind}").status_code == 403
    assert client.get("/agreements/2147483648/actions.xlsx").status_code == 404
    assert client.get(f"/agreements/{world.agreement.id}/actions.pdf").status_code == 404


def test_the_action_list_exports_every_page_as_filtered_and_only_what_the_reader_may_read(app, client, as_user,
                                                                                           world):
    hidden = make_agreement(title="Hemligt avtal", lead_organisation=world.outside, starts_on=days(-10))
    make_action(agreement=hidden, title="Ska inte synas", deadline=days(3))
    for n in range(30):  # more than one page of the list (25)
        make_action(agreement=world.agreement, title=f"Extra {n:02}", owner=world.erik, deadline=days(50),
                    status=ActionStatus.PLANNED, progress=0, created_at=utcnow())
    db.session.commit()
    client = as_user(world.erik)
    rows = xlsx_rows(client.get("/actions/export.xlsx").data)
    assert rows[0][:2] == ["Avtal", "Rubrik"]
    assert len(rows) == 1 + 34 and {r[0] for r in rows[1:]} == {"Trygg i Järva"}
    assert "Ska inte synas" not in {r[1] for r in rows}
    filtered = csv_rows(client.get("/actions/export.csv?status=blocked&page=2").data)
    assert [r[1] for r in filtered[1:]] == ["Föräldraträffar på Ärvingeskolan"]
    stalled = xlsx_rows(client.get("/actions/export.xlsx?stalled=y").data)
    assert [r[1] for r in stalled[1:]] == ["Föräldraträffar på Ärvingeskolan"]
    outsider = xlsx_rows(signed_in(app, world.stranger).get("/actions/export.xlsx").data)
    assert [r[1] for r in outsider[1:]] == ["Ska inte synas"]


def test_the_list_page_links_its_exports_with_its_filters(client, as_user, world):
    page = as_user(world.erik).get("/actions/?status=blocked&page=1").get_data(as_text=True)
    assert 'href="/actions/export.xlsx?status=blocked"' in page
    assert 'href="/agreements/export.csv"' in client.get("/agreements/").get_data(as_text=True)
    assert f'href="/agreements/{world.agreement.id}/actions.xlsx"' in client.get(
        f"/agreements/{world.agreement.id}").get_data(as_text=True)


@pytest.mark.parametrize("query", ["due_before=2026-13-40", "owner=99999999999999999999999999999999999999",
                                   "level=7", "status=%3Cscript%3E", "_scheme=javascript"])
def test_a_refused_filter_leads_back_to_the_list_instead_of_exporting_everything(client, as_user, world, query):
    response = as_user(world.erik).get(f"/actions/export.xlsx?{query}")
    if query.startswith("_scheme"):  # no filter of ours: ignored, the export is made
        assert response.status_code == 200
        return
    assert response.status_code == 303 and response.headers["Location"].startswith("/actions/?")
    assert client.get("/agreements/export.csv?theme=nonsense").status_code == 303


def test_the_agreement_list_exports_what_the_reader_may_read_with_counts(client, as_user, world):
    make_agreement(title="Hemligt avtal", lead_organisation=world.outside)
    db.session.commit()
    rows = xlsx_rows(as_user(world.maria).get("/agreements/export.xlsx").data)
    assert rows[0][:6] == ["Rubrik", "Diarienummer", "Tema", "Område", "Huvudansvarig organisation", "Parter"]
    by_title = {r[0]: r for r in rows[1:]}
    assert set(by_title) == {"Trygg i Järva", "Trygg i Järva 2"}
    first = by_title["Trygg i Järva"]
    assert first[5] == "Polisen Järva, Socialtjänsten Rinkeby-Kista"
    assert first[6] == dt.datetime.combine(days(-400), dt.time()) and first[9] == "Aktiv"
    assert first[10:14] == [4, 3, 1, 1]  # actions, open, stalled, done
    filtered = csv_rows(client.get("/agreements/export.csv?q=J%C3%A4rva+2").data)
    assert [r[0] for r in filtered[1:]] == ["Trygg i Järva 2"]


def test_control_characters_that_xml_cannot_hold_are_left_out_of_the_xlsx(client, as_user, world):
    world.actions[0].description = "Rad\x0bett\x1f"  # (PostgreSQL holds no NUL in text)
    db.session.commit()
    rows = xlsx_rows(as_user(world.erik).get(f"/agreements/{world.agreement.id}/actions.xlsx").data)
    assert "Radett" in [r[1] for r in rows]


@pytest.mark.parametrize("path", ["/agreements/{id}/actions.xlsx", "/agreements/{id}/actions.csv",
                                  "/actions/export.xlsx", "/actions/export.csv", "/agreements/export.xlsx",
                                  "/agreements/export.csv"])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, as_user, world, path):
    client = as_user(world.erik)
    agreement_id, lead_id = world.agreement.id, world.lead.id
    path = path.format(id=agreement_id)

    def statements() -> tuple[int, int]:
        client.get(path).get_data()  # warm up
        db.session.expunge_all()
        with counting() as executed:
            data = client.get(path).get_data()
        return len(executed), len(data)

    few, few_size = statements()
    agreement, lead = db.session.get(Agreement, agreement_id), db.session.get(Organisation, lead_id)
    for n in range(25):
        partner = make_organisation(name=f"Partner {n:02}")
        agreement.parties.append(partner)
        make_agreement(lead_organisation=lead, parties=[lead, partner], starts_on=days(-5))
        make_action(agreement=agreement, owner_organisation=partner, owner=make_user(organisation=partner),
                    deadline=days(-n))
    db.session.commit()
    many, many_size = statements()
    assert many == few and many_size > few_size
