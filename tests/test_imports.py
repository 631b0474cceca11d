"""Importing actions into an agreement from XLSX or CSV: a preview with every row's errors next to its cells,
nothing saved until the whole file is right and confirmed, then everything in one transaction, once."""
import datetime as dt
import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.sheets import HOSTILE, days, make_world, upload, workbook
from tracker.actions.models import Action, ActionStatus, ProgressUpdate
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.mail.models import OutboxMessage
from tracker.sheets.models import ImportBatch

HEADER = ["Rubrik", "Beskrivning", "Ansvarig organisation", "Ansvarig", "Ansvarigs e-post", "Klart senast"]


@pytest.fixture
def world(app):
    return make_world()


def actions_in(agreement) -> list[Action]:
    return list(db.session.scalars(select(Action).where(Action.agreement_id == agreement.id).order_by(Action.id)))


def preview_of(client, response):
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    location = response.headers["Location"]
    return location, client.get(location)


def test_an_xlsx_file_is_previewed_then_imported_in_one_go_and_audited_as_one_import(client, as_user, world):
    client = as_user(world.erik)
    rows = [HEADER, ["Läxhjälp", "Tisdagar på biblioteket.", "Socialtjänsten Rinkeby-Kista", "Maria Nilsson", "",
                     dt.date(2026, 1, 1) + (days(20) - dt.date(2026, 1, 1))],
            ["Trygghetsvandring", "", "Polisen", "", "ERIK@polisen.example.se", days(40).strftime("%d/%m/%Y")]]
    location, page = preview_of(client, upload(client, world.second.id, workbook(rows)))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Granska importen" in html and "2 rader lästa från åtgärder.xlsx" in html
    assert "Importera 2 åtgärder" in html and actions_in(world.second) == []  # nothing saved by the preview
    outbox_before = db.session.scalar(select(func.count(OutboxMessage.id)))
    response = client.post(location)
    assert response.status_code == 303 and response.headers["Location"] == f"/agreements/{world.second.id}"
    saved = actions_in(world.second)
    assert [(a.title, a.owner_organisation_id, a.owner_id, a.deadline, a.status, a.progress) for a in saved] == [
        ("Läxhjälp", world.party.id, world.maria.id, days(20), ActionStatus.PLANNED, 0),
        ("Trygghetsvandring", world.lead.id, world.erik.id, days(40), ActionStatus.PLANNED, 0)]
    assert "2 åtgärder importerade." in client.get(response.headers["Location"]).get_data(as_text=True)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == world.erik.id)
                                .order_by(AuditEvent.id)).all()
    imports = [e for e in events if e.verb == "import"]
    assert len(imports) == 1 and imports[0].object_type == "agreements" and imports[0].object_id == world.second.id
    assert imports[0].changes == {"imported_actions": [None, 2], "file": [None, "åtgärder.xlsx"]}
    ids = [a.id for a in saved]
    assert sorted(e.object_id for e in events if e.verb == "create" and e.object_type == "actions"
                  and e.object_id in ids) == ids
    # Maria is told of the action given to her, as when an action is added by hand; Erik gave his to himself.
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == outbox_before + 1
    history = client.get(f"/agreements/{world.second.id}/history").get_data(as_text=True)
    assert "importerade åtgärder från ett kalkylblad" in history and "Importerade åtgärder" in history


def test_excels_swedish_csv_with_bom_semicolons_and_day_first_dates(client, as_user, world):
    text = ("\ufeffRubrik;Ansvarig organisation;Ansvarig;Klart senast;Status;Genomfört (%)\r\n"
            f"\"Möte; med skolan\";Polisen Järva;Erik Johansson;{days(10).strftime('%d/%m/%Y')};Pågår;\"40,0\"\r\n"
            f"Uppföljning;polisen;erik johansson;{days(11).isoformat()};;\r\n")
    client = as_user(world.erik)
    location, page = preview_of(client, upload(client, world.second.id, text.encode("utf-8"), "lista.csv"))
    assert "Filen är korrekt" in page.get_data(as_text=True)
    client.post(location)
    first, second = actions_in(world.second)
    assert (first.title, first.deadline, first.status, first.progress) == (
        "Möte; med skolan", days(10), ActionStatus.IN_PROGRESS, 40)
    update = db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.action_id == first.id)).one()
    assert update.author_id == world.erik.id and "lista.csv" in update.text and update.status_to == "in_progress"
    assert (second.status, second.progress, second.last_progress_at) == (ActionStatus.PLANNED, 0, None)


def test_an_english_comma_separated_csv_is_read_too(client, as_user, world):
    text = ("Title,Owning organisation,Owner's e-mail,Deadline,Status,Progress (%),Why blocked\n"
            f"Homework club,Soc RK,maria@soc.example.se,{days(5).isoformat()},Blocked,\"1,5\",No room yet\n")
    client = as_user(world.erik)
    page = preview_of(client, upload(client, world.second.id, text.encode(), "list.csv"))[1].get_data(as_text=True)
    # Erik (Polisen, the lead) may give Soc RK an action, but not its status and progress; "1,5" is no whole number
    assert "Bara samordnarna på Socialtjänsten Rinkeby-Kista anger status" in page
    assert "Ange ett heltal från 0 till 100." in page and "Filen kan inte importeras ännu" in page


def test_a_windows_1252_csv_is_read(client, as_user, world):
    text = f"Rubrik;Ansvarig organisation;Ansvarig;Klart senast\nÅtgärd för äldre;Polisen;Erik Johansson;{days(3)}\n"
    client = as_user(world.erik)
    location, page = preview_of(client, upload(client, world.second.id, text.encode("cp1252"), "ansi.csv"))
    assert "Åtgärd för äldre" in page.get_data(as_text=True)
    client.post(location)
    assert [a.title for a in actions_in(world.second)] == ["Åtgärd för äldre"]


@pytest.mark.parametrize(("cells", "column", "message"), [
    (["X", "Kommunen", "Erik Johansson", "{d}"], "Ansvarig organisation", "Ingen part i avtalet heter så."),
    (["X", "Polisen", "Maria Nilsson", "{d}"], "Ansvarig", "Ingen aktiv person på Polisen Järva heter så."),
    (["X", "Polisen", "nobody@example.se", "{d}"], "Ansvarig", "Ingen aktiv person på Polisen Järva har den e-post"),
    (["X", "Polisen", "Erik Johansson", "2026-02-30"], "Klart senast", "Skriv datumet som 2026-11-24 eller 24/11/"),
    (["X", "Polisen", "Erik Johansson", "11/24/2026"], "Klart senast", "Skriv datumet som"),
    (["X", "Polisen", "Erik Johansson", "{late}"], "Klart senast", "kan inte ligga efter avtalets slut"),
    (["X", "Polisen", "Erik Johansson", ""], "Klart senast", "Ange när åtgärden ska vara klar."),
    (["Ring 19121212-1212 om läget", "Polisen", "Erik Johansson", "{d}"], "Rubrik", "Ta bort personnumret"),
    (["x" * 10_000, "Polisen", "Erik Johansson", "{d}"], "Rubrik", "Högst 300 tecken; här finns 10000."),
    (["Rad ett\r\nrad två", "Polisen", "Erik Johansson", "{d}"], "Rubrik", "utan radbrytningar"),
    (["", "Polisen", "Erik Johansson", "{d}"], "Rubrik", "Ge åtgärden en rubrik."),
], ids=["unknown-organisation", "owner-of-another-organisation", "unknown-owner", "no-such-day", "month-first",
        "after-the-agreement", "no-deadline", "personnummer", "too-long", "line-break", "no-title"])
def test_each_bad_cell_is_named_next_to_it_and_nothing_is_saved(client, as_user, world, cells, column, message):
    cells = [c.format(d=days(9).isoformat(), late=days(401).isoformat()) for c in cells]
    rows = [["Rubrik", "Ansvarig organisation", "Ansvarig", "Klart senast"], ["Bra rad", "Polisen", "Erik Johansson",
                                                                             days(8).isoformat()], cells]
    client = as_user(world.erik)
    location, page = preview_of(client, upload(client, world.second.id, workbook(rows)))
    html = page.get_data(as_text=True)
    cell = html.split('<tr id="row-3"')[1].split("</tr>")[0]
    assert f'data-label="{column}"' in cell and message in cell.split(f'data-label="{column}"')[1].split("</td>")[0]
    assert '<tr id="row-2">' in html  # the good row is shown too, without errors
    assert "1 rad har fel" in html and "Importera" not in html.split("<h1>")[1].split("Filens rader")[0]
    assert client.post(location).status_code == 200  # a confirmation of an invalid file saves nothing
    assert actions_in(world.second) == []


def test_an_owner_by_address_none_at_all_and_a_past_deadline(client, as_user, world):
    rows = [["Rubrik", "Ansvarig organisation", "Ansvarig", "Klart senast"],
            ["Med adress", "Polisen", world.erik.email.upper(), days(9)],
            ["Utan ansvarig", "Polisen", "", days(9)],
            ["Sen", "Polisen", "Erik Johansson", days(-3)]]
    client = as_user(world.erik)
    location, page = preview_of(client, upload(client, world.second.id, workbook(rows)))
    html = page.get_data(as_text=True)
    assert "Ingen ansvarig: sparas utan" in html and "räknas som försenad från det ögonblick den sparas" in html
    client.post(location)
    found = {a.title: a for a in actions_in(world.second)}
    assert found["Med adress"].owner_id == world.erik.id and found["Utan ansvarig"].owner_id is None
    assert found["Sen"].deadline == days(-3)


def test_a_formula_cell_gives_the_value_excel_saved_with_it(client, as_user, world):
    rows = [["Rubrik", "Ansvarig organisation", "Ansvarig", "Klart senast"],
            ["Beräknad", "Polisen", "Erik Johansson", "=TODAY()+9"]]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.active["D2"].number_format = "yyyy-mm-dd"  # as Excel keeps a date's format on the formula's cell
    written = io.BytesIO()
    book.save(written)
    data = with_cached_value(written.getvalue(), "D2", str((days(9) - dt.date(1899, 12, 30)).days))
    client = as_user(world.erik)
    client.post(preview_of(client, upload(client, world.second.id, data))[0])
    assert [(a.title, a.deadline) for a in actions_in(world.second)] == [("Beräknad", days(9))]


def with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    """The workbook as Excel saves it: the formula in `cell` with the value it showed (openpyxl writes none)."""
    source, output = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v>[^<]*</v>|<v\s*/>)?'.encode(),
                                 lambda m: m.group(1) + m.group(2) + f"<v>{value}</v>".encode(), content)
            target.writestr(item, content)
    return output.getvalue()


def test_formula_text_is_stored_as_text_and_said_so(client, as_user, world):
    rows = [HEADER, [HOSTILE, "@SUM(A1:A9)", "Polisen", "Erik Johansson", "", days(4)]]
    client = as_user(world.erik)
    location, page = preview_of(client, upload(client, world.second.id, workbook(rows)))
    assert "Börjar som en formel: sparas som vanlig text och körs aldrig." in page.get_data(as_text=True)
    client.post(location)
    (action,) = actions_in(world.second)
    assert (action.title, action.description) == (HOSTILE, "@SUM(A1:A9)")


def test_an_apostrophe_that_neutralised_a_formula_in_a_csv_export_is_taken_off(client, as_user, world):
    text = f"Rubrik;Ansvarig organisation;Ansvarig;Klart senast\n'=1+2;Polisen;Erik Johansson;{days(3)}\n"
    client = as_user(world.erik)
    client.post(preview_of(client, upload(client, world.second.id, text.encode(), "a.csv"))[0])
    assert [a.title for a in actions_in(world.second)] == ["=1+2"]


def big_csv(rows: int) -> bytes:
    line = f"A;Polisen;Erik Johansson;{days(9).isoformat()}\n"
    return ("Rubrik;Ansvarig organisation;Ansvarig;Klart senast\n" + line * rows).encode()


def big_xlsx(rows: int) -> bytes:
    return workbook([["Rubrik", "Ansvarig organisation", "Ansvarig", "Klart senast"],
                     *[["Nattvandring", "Polisen", "Erik Johansson", days(9)]] * rows])


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"", "tom.csv", "Filen är tom."),
    (b"\xef\xbb\xbf\r\n\r\n", "tom.csv", "Filen är tom."),
    (b"PK\x03\x04" + b"\x00broken" * 50, "trasig.xlsx", "Excelfilen är skadad"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "avtal.pdf", "Det här är inget kalkylblad."),
    (bytes(range(256)) * 8, "bild.png", "Det här är inget kalkylblad."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gammal.xls", "äldre Excelfil (.xls)"),
    (b"Rubrik|Ansvarig organisation|Ansvarig|Klart senast\nA|Polisen|Erik|2026-12-01\n", "pipe.csv",
     "Är filen avgränsad med något annat än semikolon"),
    (b"Rubrik;Ansvarig organisation;Ansvarig;Klart senast\n", "bara-rubriker.csv",
     "Filen har en rubrikrad men inga åtgärder under den."),
    (b"Rubrik;Rubrik;Ansvarig organisation;Ansvarig;Klart senast\nA;B;Polisen;Erik Johansson;2026-12-01\n",
     "dubbel.csv", "Kolumnen Rubrik finns två gånger."),
    (big_csv(50_000), "femtiotusen.csv", "Filen har fler än 2 000 rader."),
], ids=["empty", "only-a-bom", "broken-xlsx", "pdf", "binary", "old-xls", "wrong-delimiter", "header-only",
        "column-twice", "50000-rows-csv"])
def test_files_that_are_no_list_of_actions_get_a_clear_message_and_save_nothing(client, as_user, world, data,
                                                                                 filename, message):
    client = as_user(world.erik)
    response = upload(client, world.second.id, data, filename)
    if response.status_code == 303:  # read as a table: the preview says what is wrong with it
        response = client.get(response.headers["Location"])
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert actions_in(world.second) == []


def test_a_zip_that_is_no_workbook_is_refused(client, as_user, world):
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    page = upload(as_user(world.erik), world.second.id, buffer.getvalue(), "brev.docx").get_data(as_text=True)
    assert "Det här är ingen Excelarbetsbok." in page


def test_fifty_thousand_rows_are_refused_quickly_in_xlsx_too(client, as_user, world):
    data = big_xlsx(50_000)
    assert len(data) < 2 * 1024 * 1024
    client = as_user(world.erik)
    started = time.monotonic()
    page = upload(client, world.second.id, data).get_data(as_text=True)
    assert "Filen har fler än 2 000 rader." in page and time.monotonic() - started < 5
    assert db.session.scalar(select(func.count(ImportBatch.id))) == 0


def test_two_thousand_rows_are_imported(client, as_user, world):
    client = as_user(world.erik)
    location, page = preview_of(client, upload(client, world.second.id, big_csv(2000), "stor.csv"))
    assert "Importera 2000 åtgärder" in page.get_data(as_text=True)
    assert client.post(location).status_code == 303
    assert len(actions_in(world.second)) == 2000


def test_a_file_over_the_body_limit_gets_a_413_page_that_explains_it(client, as_user, world):
    response = upload(as_user(world.erik), world.second.id, b"x" * (2 * 1024 * 1024 + 1), "stor.csv")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Filen är större än 2 MB." in page and 'enctype="multipart/form-data"' in page


def test_no_file_chosen_is_said_next_to_the_field(client, as_user, world):
    page = as_user(world.erik).post(f"/agreements/{world.second.id}/import", data={}).get_data(as_text=True)
    assert "Välj filen som ska importeras." in page


def test_a_row_with_more_cells_than_columns_is_marked(client, as_user, world):
    text = f"Rubrik;Ansvarig organisation;Ansvarig;Klart senast\nA;Polisen;Erik Johansson;{days(3)};extra\n"
    client = as_user(world.erik)
    page = preview_of(client, upload(client, world.second.id, text.encode(), "a.csv"))[1].get_data(as_text=True)
    assert "Raden har fler celler än första raden har kolumner" in page


def test_unknown_columns_are_named_and_left_out(client, as_user, world):
    rows = [[*HEADER, "Anteckning", "Att bevaka"], ["A", "", "Polisen", "Erik Johansson", "", days(3), "x", "y"]]
    client = as_user(world.erik)
    page = preview_of(client, upload(client, world.second.id, workbook(rows)))[1].get_data(as_text=True)
    assert "Kolumner som inte importeras: Anteckning, Att bevaka." in page and "Filen är korrekt" in page


@pytest.mark.parametrize("who", ["stranger", "viewer"])
def test_another_organisations_coordinator_and_a_viewer_cannot_import(client, as_user, world, who):
    client = as_user(getattr(world, who))
    assert client.get(f"/agreements/{world.agreement.id}/import").status_code == 403
    response = upload(client, world.agreement.id, big_csv(1), "a.csv")
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(ImportBatch.id))) == 0
    page = client.get(f"/agreements/{world.agreement.id}").get_data(as_text=True)
    assert f"/agreements/{world.agreement.id}/import" not in page


def test_a_party_coordinator_imports_for_their_own_organisation_only(client, as_user, world):
    text = (f"Rubrik;Ansvarig organisation;Ansvarig;Klart senast\nVår;Soc RK;Maria Nilsson;{days(3)}\n"
            f"Deras;Polisen;Erik Johansson;{days(3)}\n")
    client = as_user(world.maria)
    page = preview_of(client, upload(client, world.second.id, text.encode(), "a.csv"))[1].get_data(as_text=True)
    row3 = page.split('<tr id="row-3"')[1].split("</tr>")[0]
    assert "Du får bara lägga till åtgärder för din egen organisation." in row3
    assert "Du får bara" not in page.split('<tr id="row-2"')[1].split("</tr>")[0]


def test_an_ended_agreement_takes_no_import(client, as_user, world):
    from tracker.agreements.models import AgreementStatus
    world.second.status = AgreementStatus.ENDED
    db.session.commit()
    assert as_user(world.erik).get(f"/agreements/{world.second.id}/import").status_code == 403


def uploaded(client, world, data=None) -> str:
    data = data or big_csv(1)
    return preview_of(client, upload(client, world.second.id, data, "a.csv"))[0]


def test_the_confirmation_works_once(client, as_user, world):
    client = as_user(world.erik)
    location = uploaded(client, world)
    assert client.post(location).status_code == 303
    again = client.post(location)
    assert again.status_code == 303 and again.headers["Location"] == f"/agreements/{world.second.id}"
    assert "Filen är redan importerad" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert client.get(location).status_code == 303
    assert len(actions_in(world.second)) == 1


def test_another_users_batch_is_not_found(app, client, as_user, world):
    other = app.test_client()
    sign_in(other, world.maria)
    location = uploaded(other, world)
    client = as_user(world.erik)  # a coordinator of the same agreement, and the lead
    assert client.get(location).status_code == 404
    assert client.post(location).status_code == 404
    batch_id = location.rsplit("/", 1)[1]
    assert client.post(f"/agreements/{world.agreement.id}/import/{batch_id}").status_code == 404
    assert client.post(f"/agreements/{world.second.id}/import/{'9' * 40}").status_code == 404
    assert actions_in(world.second) == []


def test_a_batch_belongs_to_its_agreement(client, as_user, world):
    client = as_user(world.erik)
    batch_id = uploaded(client, world).rsplit("/", 1)[1]
    assert client.post(f"/agreements/{world.agreement.id}/import/{batch_id}").status_code == 404
    assert len(actions_in(world.agreement)) == 4


def test_an_expired_batch_is_refused_and_the_user_asked_to_upload_again(client, as_user, world):
    client = as_user(world.erik)
    location = uploaded(client, world)
    batch = db.session.scalars(select(ImportBatch)).one()
    batch.expires_at = batch.created_at - dt.timedelta(seconds=1)
    db.session.commit()
    response = client.post(location)
    assert response.status_code == 303 and response.headers["Location"] == f"/agreements/{world.second.id}/import"
    assert "Förhandsgranskningen hade gått ut" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert actions_in(world.second) == []


def test_what_changed_since_the_preview_is_caught_at_confirmation(client, as_user, world):
    client = as_user(world.erik)
    location = uploaded(client, world, f"Rubrik;Ansvarig organisation;Ansvarigs e-post;Klart senast\n"
                                       f"A;Soc RK;maria@soc.example.se;{days(3)}\n".encode())
    world.maria.is_active = False
    db.session.commit()
    page = client.post(location)
    assert page.status_code == 200
    assert "Ingen aktiv person på Socialtjänsten Rinkeby-Kista har den e-postadressen." in page.get_data(as_text=True)
    assert actions_in(world.second) == []
    assert db.session.scalar(select(ImportBatch.used_at)) is None


def test_old_batches_are_cleared_away_when_a_new_file_comes(client, as_user, world):
    client = as_user(world.erik)
    uploaded(client, world)
    batch = db.session.scalars(select(ImportBatch)).one()
    batch.expires_at = batch.created_at - dt.timedelta(days=2)
    db.session.commit()
    uploaded(client, world)
    assert db.session.scalar(select(func.count(ImportBatch.id))) == 1


def test_an_export_imports_into_another_agreement_and_exports_again_unchanged(app, client, as_user, world):
    """XLSX compared cell by cell (value, type, format), CSV byte for byte: all but the number and the link."""
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.factories import make_admin, make_agreement
    third = make_agreement(title="Trygg i Järva 3", lead_organisation=world.lead, parties=[world.lead, world.party],
                           starts_on=days(-400), ends_on=days(400))
    client = as_user(make_admin(organisation=world.outside))  # may give every party's status and progress

    def round_trip(kind: str, target) -> tuple[bytes, bytes]:
        before = client.get(f"/agreements/{world.agreement.id}/actions.{kind}").data
        location, page = preview_of(client, upload(client, target.id, before, f"export.{kind}"))
        assert "Filen är korrekt" in page.get_data(as_text=True)
        assert client.post(location).status_code == 303
        return before, client.get(f"/agreements/{target.id}/actions.{kind}").data

    before, after = round_trip("xlsx", world.second)
    sheets = [load_workbook(BytesIO(data)).worksheets[0] for data in (before, after)]
    cells = [[[(c.value, c.data_type, c.number_format, c.quotePrefix) for c in row[:-2]] for row in sheet.iter_rows()]
             for sheet in sheets]
    assert len(cells[0]) == 5 and cells[0] == cells[1]
    ids = [[row[-2].value for row in sheet.iter_rows(min_row=2)] for sheet in sheets]
    assert set(ids[0]).isdisjoint(ids[1])

    before, after = round_trip("csv", third)
    without_ids = [re.sub(rb";\d+;http://[^\r\n]*/actions/\d+\r\n", b"\r\n", data) for data in (before, after)]
    assert without_ids[0] == without_ids[1] and before != after
    assert b'"\'=HYPERLINK(""http' in without_ids[1] and b"Blockerad: Lokalen" in without_ids[1]


def test_the_files_name_is_cleaned_and_a_personnummer_in_it_refused(client, as_user, world):
    client = as_user(world.erik)
    page = upload(client, world.second.id, big_csv(1), "19121212-1212 Anna.csv").get_data(as_text=True)
    assert "Ta bort personnumret" in page and db.session.scalar(select(func.count(ImportBatch.id))) == 0
    location = preview_of(client, upload(client, world.second.id, big_csv(1), "/home/x/lista\t.csv"))[0]
    assert db.session.scalar(select(ImportBatch.filename)) == "lista.csv"
    client.post(location)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.verb == "import")).one()
    assert event.changes["file"] == [None, "lista.csv"]


def test_a_csv_with_a_quote_left_open_and_a_huge_cell_is_refused_with_a_message(client, as_user, world):
    text = 'Rubrik;Ansvarig organisation;Ansvarig;Klart senast\n"' + "x" * 200_000 + ";Polisen;Erik;2026-01-01\n"
    page = upload(as_user(world.erik), world.second.id, text.encode(), "a.csv").get_data(as_text=True)
    assert "CSV-filen går inte att läsa vid rad" in page


def test_the_preview_reads_the_same_number_of_queries_for_3_rows_or_300(client, as_user, world):
    from tests.test_query_counts import counting

    client = as_user(world.erik)
    second = world.second.id

    def statements(rows: int) -> int:
        location = preview_of(client, upload(client, second, big_csv(rows), "a.csv"))[0]
        client.get(location)  # warm up
        db.session.expunge_all()
        with counting() as executed:
            page = client.get(location).get_data(as_text=True)
        assert page.count('<tr id="row-') == rows
        return len(executed)

    assert statements(3) == statements(300)
